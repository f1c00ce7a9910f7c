package examyear

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/store"
)

// FirstYear is the first exam year of the regulation (Neni 66: school year
// 2008–2009).
const FirstYear = 2009

const objectType = "exam_year"

// Year is a stored exam year.
type Year struct {
	Year      int    `json:"year"`
	Name      string `json:"name"`
	BasedOn   int    `json:"based_on,omitempty"` // 0: copied from Default2009
	Active    bool   `json:"active"`
	Config    Config `json:"config"`
	UpdatedAt string `json:"updated_at"`
}

// Service reads and changes the exam years.
type Service struct {
	db *store.DB
	// ActiveTTL is how long Active serves the active year it read last
	// without asking the database again (outside a transaction). A change
	// made through this Service is seen at once; one made by another
	// server on the same database within ActiveTTL. 0 reads every time.
	ActiveTTL time.Duration
	active    activeCache
	// checks are the other domains' checks of a configuration against the
	// data it would govern, run by Update before it saves (AddCheck).
	checks []func(ctx context.Context, year int, cfg Config) error
}

// AddCheck registers f to run inside Update's transaction before a
// configuration is saved; an error refuses the change whole. The venues
// check the electives' timetable against the registered candidates this
// way (Neni 14.3): package examyear cannot import the packages whose data
// a configuration governs. wire.New registers the checks.
func (s *Service) AddCheck(f func(ctx context.Context, year int, cfg Config) error) {
	s.checks = append(s.checks, f)
}

// NewService returns the service over db.
func NewService(db *store.DB) *Service {
	return &Service{db: db, ActiveTTL: time.Second}
}

// activeCache keeps the active year decoded: every request of every
// service reads it, and decoding its JSON costs more than the rest of a
// student's page. It is refreshed after ActiveTTL, dropped by every change
// made here (gen counts them, so a read that raced a change is not kept),
// and never filled from inside a transaction, whose reads may not commit.
// On a refresh whose stored text is unchanged, the decoding is skipped.
type activeCache struct {
	mu   sync.Mutex
	gen  uint64
	raw  storedYear
	y    *Year
	read clock.Timer
}

// forget drops the kept active year, after a change.
func (s *Service) forget() {
	c := &s.active
	c.mu.Lock()
	c.gen++
	c.y = nil
	c.mu.Unlock()
}

const yearCols = `year, name, based_on, active, config, updated_at`

// storedYear is an exam_years row as stored, before its config is decoded.
type storedYear struct {
	year      int
	name      string
	basedOn   sql.NullInt64
	active    bool
	config    string
	updatedAt string
}

func scanStored(row store.Scanner) (storedYear, error) {
	var r storedYear
	err := row.Scan(&r.year, &r.name, &r.basedOn, &r.active, &r.config, &r.updatedAt)
	return r, err
}

func (r storedYear) decode() (*Year, error) {
	y := Year{Year: r.year, Name: r.name, BasedOn: int(r.basedOn.Int64), Active: r.active, UpdatedAt: r.updatedAt}
	if err := json.Unmarshal([]byte(r.config), &y.Config); err != nil {
		return nil, fmt.Errorf("examyear: year %d: stored config: %w", y.Year, err)
	}
	return &y, nil
}

func scanYear(row store.Scanner) (*Year, error) {
	r, err := scanStored(row)
	if err != nil {
		return nil, err
	}
	return r.decode()
}

func notFound(year int) error {
	return apperr.New(apperr.NotFound, "Viti i provimeve %d nuk ekziston.", year)
}

func get(ctx context.Context, q store.Querier, year int) (*Year, error) {
	y, err := scanYear(q.QueryRowContext(ctx, `SELECT `+yearCols+` FROM exam_years WHERE year = $1`, year))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound(year)
	}
	if err != nil {
		return nil, fmt.Errorf("examyear: get %d: %w", year, err)
	}
	return y, nil
}

// List returns every exam year, newest first. Any logged-in user may read.
func (s *Service) List(ctx context.Context, p *auth.Principal) ([]Year, error) {
	if err := auth.Require(p, auth.Roles...); err != nil {
		return nil, err
	}
	out, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (Year, error) {
		y, err := scanYear(r)
		if err != nil {
			return Year{}, err
		}
		return *y, nil
	}, `SELECT `+yearCols+` FROM exam_years ORDER BY year DESC`)
	if err != nil {
		return nil, fmt.Errorf("examyear: list: %w", err)
	}
	return out, nil
}

// Get returns one exam year. Any logged-in user may read.
func (s *Service) Get(ctx context.Context, p *auth.Principal, year int) (*Year, error) {
	if err := auth.Require(p, auth.Roles...); err != nil {
		return nil, err
	}
	return get(ctx, s.db.Q(ctx), year)
}

// Active returns the active exam year, the one the other services work on.
// The caller gets its own copy of the configuration.
func (s *Service) Active(ctx context.Context) (*Year, error) {
	c := &s.active
	inTx := store.TxFrom(ctx) != nil
	c.mu.Lock()
	gen, kept := c.gen, c.y
	fresh := kept != nil && !inTx && c.read.Elapsed() < s.ActiveTTL
	c.mu.Unlock()
	if fresh {
		return kept.copy(), nil
	}
	r, err := scanStored(s.db.Q(ctx).QueryRowContext(ctx,
		`SELECT `+yearCols+` FROM exam_years WHERE active ORDER BY year DESC LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "Nuk ka asnjë vit provimesh aktiv.")
	}
	if err != nil {
		return nil, fmt.Errorf("examyear: active: %w", err)
	}
	c.mu.Lock()
	y := c.y
	same := y != nil && c.raw == r
	c.mu.Unlock()
	if !same {
		if y, err = r.decode(); err != nil {
			return nil, err
		}
	}
	if !inTx {
		c.mu.Lock()
		if c.gen == gen {
			c.raw, c.y, c.read = r, y, clock.StartTimer()
		}
		c.mu.Unlock()
	}
	return y.copy(), nil
}

// copy is y with a configuration of its own.
func (y *Year) copy() *Year {
	out := *y
	out.Config = y.Config.clone()
	return &out
}

// Create adds year (AVA only), inactive, with the configuration of basedOn
// moved to the new year by ForYear, or Default2009 moved when basedOn is 0.
func (s *Service) Create(ctx context.Context, p *auth.Principal, year int, name string, basedOn int) (*Year, error) {
	if err := auth.Require(p, auth.RoleAVA); err != nil {
		return nil, err
	}
	if err := checkYear(year); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = defaultName(year)
	}
	var y *Year
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Q(ctx)
		if _, err := get(ctx, tx, year); err == nil {
			return apperr.New(apperr.Conflict, "Viti i provimeve %d ekziston.", year)
		} else if !apperr.Is(err, apperr.NotFound) {
			return err
		}
		cfg := ForYear(Default2009(), FirstYear, year)
		if basedOn != 0 {
			base, err := get(ctx, tx, basedOn)
			if apperr.Is(err, apperr.NotFound) {
				return apperr.New(apperr.NotFound, "Viti bazë %d nuk ekziston.", basedOn)
			} else if err != nil {
				return err
			}
			cfg = ForYear(base.Config, basedOn, year)
		}
		if err := validateFor(cfg, year); err != nil {
			return err
		}
		y = &Year{Year: year, Name: name, BasedOn: basedOn, Config: cfg, UpdatedAt: s.stamp(ctx)}
		if err := insert(ctx, tx, y); err != nil {
			return err
		}
		return audit.Add(ctx, p.Actor(), "create", objectType, strconv.Itoa(year), nil, y)
	})
	s.forget()
	if store.IsUniqueViolation(err) {
		return nil, apperr.New(apperr.Conflict, "Viti i provimeve %d ekziston.", year)
	}
	if err != nil {
		return nil, fmt.Errorf("examyear: create %d: %w", year, err)
	}
	return y, nil
}

// Update replaces the name (kept when empty) and the configuration of year
// (AVA only), after validating it. The audit entry keeps both versions.
func (s *Service) Update(ctx context.Context, p *auth.Principal, year int, name string, cfg Config) (*Year, error) {
	if err := auth.Require(p, auth.RoleAVA); err != nil {
		return nil, err
	}
	if err := validateFor(cfg, year); err != nil {
		return nil, err
	}
	var after *Year
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Q(ctx)
		before, err := get(ctx, tx, year)
		if err != nil {
			return err
		}
		for _, check := range s.checks {
			if err := check(ctx, year, cfg); err != nil {
				return err
			}
		}
		a := *before
		if n := strings.TrimSpace(name); n != "" {
			a.Name = n
		}
		a.Config = cfg.clone()
		a.UpdatedAt = s.stamp(ctx)
		js, err := json.Marshal(a.Config)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE exam_years SET name = $1, config = $2, updated_at = $3 WHERE year = $4`,
			a.Name, string(js), a.UpdatedAt, year); err != nil {
			return err
		}
		after = &a
		return audit.Add(ctx, p.Actor(), "update", objectType, strconv.Itoa(year), before, after)
	})
	s.forget()
	if err != nil {
		return nil, fmt.Errorf("examyear: update %d: %w", year, err)
	}
	return after, nil
}

// SetActive makes year the one active exam year (AVA only).
func (s *Service) SetActive(ctx context.Context, p *auth.Principal, year int) error {
	if err := auth.Require(p, auth.RoleAVA); err != nil {
		return err
	}
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Q(ctx)
		// Take the audit chain's lock first: it is one row, so concurrent
		// calls queue there and each then sees the other's result. (Locking
		// the exam_years rows instead could deadlock on PostgreSQL, two
		// transactions taking the rows in different orders; SQLite already
		// holds the write lock.)
		if err := audit.Lock(ctx); err != nil {
			return err
		}
		if _, err := get(ctx, tx, year); err != nil {
			return err
		}
		active, err := store.Select(ctx, tx, func(r store.Scanner) (y int, err error) {
			err = r.Scan(&y)
			return y, err
		}, `SELECT year FROM exam_years WHERE active ORDER BY year`)
		if err != nil {
			return err
		}
		if len(active) == 1 && active[0] == year {
			return nil
		}
		now := s.stamp(ctx)
		if _, err := tx.ExecContext(ctx, `UPDATE exam_years SET active = FALSE, updated_at = $1 WHERE active AND year <> $2`, now, year); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE exam_years SET active = TRUE, updated_at = $1 WHERE year = $2`, now, year); err != nil {
			return err
		}
		return audit.Add(ctx, p.Actor(), "activate", objectType, strconv.Itoa(year),
			map[string]any{"active_years": active}, map[string]any{"active_years": []int{year}})
	})
	s.forget()
	if err != nil {
		return fmt.Errorf("examyear: activate %d: %w", year, err)
	}
	return nil
}

// EnsureDefault inserts year 2009 from Default2009, active, when there is
// no exam year at all. It runs at start-up, as the system actor.
func (s *Service) EnsureDefault(ctx context.Context) error {
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Q(ctx)
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM exam_years`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		y := &Year{Year: FirstYear, Name: defaultName(FirstYear), Active: true, Config: Default2009(), UpdatedAt: s.stamp(ctx)}
		if err := insert(ctx, tx, y); err != nil {
			return err
		}
		return audit.Add(ctx, audit.System, "create", objectType, strconv.Itoa(FirstYear), nil, y)
	})
	s.forget()
	if store.IsUniqueViolation(err) {
		return nil // another process inserted it at the same moment
	}
	if err != nil {
		return fmt.Errorf("examyear: ensure default: %w", err)
	}
	return nil
}

func insert(ctx context.Context, tx store.Querier, y *Year) error {
	js, err := json.Marshal(y.Config)
	if err != nil {
		return err
	}
	var basedOn any
	if y.BasedOn != 0 {
		basedOn = y.BasedOn
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO exam_years (`+yearCols+`) VALUES ($1, $2, $3, $4, $5, $6)`,
		y.Year, y.Name, basedOn, y.Active, string(js), y.UpdatedAt)
	return err
}

// stamp is the moment of the change ctx carries, as stored.
func (s *Service) stamp(ctx context.Context) string { return clock.Stored(s.db.Now(ctx)) }

func defaultName(year int) string {
	return fmt.Sprintf("Matura Shtetërore %d (viti shkollor %d–%d)", year, year-1, year)
}

func checkYear(year int) error {
	if year < FirstYear || year > 2200 {
		return apperr.New(apperr.Invalid, "Viti i provimeve %d nuk pranohet: rregullorja zbatohet nga viti %d (Neni 66).", year, FirstYear)
	}
	return nil
}

// validateFor validates cfg and checks that it belongs to exam year year.
func validateFor(cfg Config, year int) error {
	if err := checkYear(year); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	if got := cfg.examYear(); got != year {
		return apperr.New(apperr.Invalid, "Viti shkollor «%s» nuk i përket vitit të provimeve %d.", cfg.SchoolYear, year)
	}
	return nil
}
