package draw

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/store"
)

const objectType = "draw"

// Service keeps the staff pools, the declarations of Neni 9 and the draws.
type Service struct {
	db    *store.DB
	years *examyear.Service
	now   func() time.Time
	// Seed makes the secret seed of a commitment (tests may fix it).
	Seed func() (string, error)
}

// NewService returns the service over db.
func NewService(db *store.DB) *Service {
	return &Service{db: db, years: examyear.NewService(db), now: time.Now, Seed: randomSeed}
}

func randomSeed() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// SetClock replaces the clock (tests and the demo stand on an exam day).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

func (s *Service) stamp() string { return s.now().UTC().Format(time.RFC3339) }

// ---- scope ----

// unitParent returns the parent of unit ("" for a DAR), NotFound when
// there is no such unit.
func (s *Service) unitParent(ctx context.Context, q querier, unit string) (string, error) {
	var parent sql.NullString
	err := q.QueryRowContext(ctx, `SELECT parent_code FROM units WHERE code = $1`, unit).Scan(&parent)
	if errors.Is(err, sql.ErrNoRows) {
		return "", apperr.New(apperr.NotFound, "DAR/ZA «%s» nuk u gjet.", unit)
	}
	return parent.String, err
}

// canRead: AVA everywhere, KMSH its DAR/ZA and the ZA under its DAR.
func (s *Service) canRead(ctx context.Context, q querier, p *auth.Principal, unit string) error {
	if err := auth.Require(p, auth.RoleAVA, auth.RoleKMSH); err != nil {
		return err
	}
	parent, err := s.unitParent(ctx, q, unit)
	if err != nil {
		return err
	}
	if p.Role == auth.RoleKMSH && unit != p.Unit && parent != p.Unit {
		return apperr.New(apperr.NotFound, "DAR/ZA «%s» nuk u gjet.", unit)
	}
	return nil
}

// canWrite: only the regional commission runs its draws (Neni 10.8–10.9).
func (s *Service) canWrite(ctx context.Context, q querier, p *auth.Principal, unit string) error {
	if err := s.canRead(ctx, q, p, unit); err != nil {
		return err
	}
	return auth.Require(p, auth.RoleKMSH)
}

func (s *Service) config(ctx context.Context) (*examyear.Year, error) { return s.years.Active(ctx) }

// ---- needs ----

// Needs computes the staffing needs of every venue of unit for an exam of
// the active year, with the lists that a draw would use.
func (s *Service) Needs(ctx context.Context, p *auth.Principal, session int, exam, unit string) (Inputs, error) {
	if err := s.canRead(ctx, s.db, p, unit); err != nil {
		return Inputs{}, err
	}
	y, err := s.config(ctx)
	if err != nil {
		return Inputs{}, err
	}
	if _, err := examKind(y.Config, exam); err != nil {
		return Inputs{}, err
	}
	return buildInputs(ctx, s.db, y.Config, y.Year, session, exam, unit)
}

// Totals sums the needs of the venues by role.
func Totals(venues []Venue) map[string]int {
	t := map[string]int{}
	for _, v := range venues {
		t[RolePAP] += v.PAP
		t[RoleKMSH] += v.KMSH
		t[RoleAS] += v.AS
		t[RoleAP] += v.APs()
		t["candidates"] += v.Candidates
		t["floor_admins"] += v.FloorAdmins
	}
	return t
}

// ---- the draw window ----

// Window returns when the draw of exam may be run: from DrawHoursBefore
// hours before the start (Neni 10.9, 44 ¶2, 47.5) until the PAP collects
// the materials, MaterialsHoursBefore hours before it (Neni 44 ¶1) — or
// the start itself when that is not earlier.
func Window(cfg examyear.Config, exam string, session int) (open, close, start time.Time, err error) {
	kind, err := examKind(cfg, exam)
	if err != nil {
		return
	}
	day, ok := cfg.Exam(kind, session)
	if !ok {
		err = apperr.New(apperr.Invalid, "Provimi %s nuk ka ditë në sesionin %d të kalendarit të vitit.", exam, session)
		return
	}
	start, err = time.ParseInLocation("2006-01-02 15:04", day.Date+" "+day.Start, examyear.Tirana)
	if err != nil {
		err = apperr.New(apperr.Invalid, "Dita e provimit %s ka datë ose orë të pavlefshme.", exam)
		return
	}
	st := cfg.Staffing
	open = start.Add(-time.Duration(st.DrawHoursBefore) * time.Hour)
	close = start
	if st.MaterialsHoursBefore > 0 && st.MaterialsHoursBefore < st.DrawHoursBefore {
		close = start.Add(-time.Duration(st.MaterialsHoursBefore) * time.Hour)
	}
	return
}

func hm(t time.Time) string { return t.In(examyear.Tirana).Format("02.01.2006 15:04") }

// ---- commitment ----

// CommitRequest opens a draw.
type CommitRequest struct {
	Session int    `json:"session"`
	Exam    string `json:"exam"`
	Unit    string `json:"unit"`
	// Reason is required for a second draw of the same exam and unit.
	Reason string `json:"reason"`
}

// Commit freezes the inputs of a draw, draws the secret seed and publishes
// the commitment (step 2). A second draw of the same exam and unit needs a
// reason; the earlier stays on record, superseded.
func (s *Service) Commit(ctx context.Context, p *auth.Principal, req CommitRequest) (Record, error) {
	req.Exam, req.Unit, req.Reason = strings.TrimSpace(req.Exam), strings.TrimSpace(req.Unit), strings.TrimSpace(req.Reason)
	if req.Session == 0 {
		req.Session = 1
	}
	if err := s.canWrite(ctx, s.db, p, req.Unit); err != nil {
		return Record{}, err
	}
	y, err := s.config(ctx)
	if err != nil {
		return Record{}, err
	}
	_, closeAt, _, err := Window(y.Config, req.Exam, req.Session)
	if err != nil {
		return Record{}, err
	}
	if !s.now().Before(closeAt) {
		return Record{}, apperr.New(apperr.Invalid, "Koha e shortit për provimin %s mbaroi më %s (Neni 44, 47.5).", req.Exam, hm(closeAt))
	}
	seed, err := s.Seed()
	if err != nil {
		return Record{}, fmt.Errorf("draw: seed: %w", err)
	}
	var rec Record
	err = s.inTx(ctx, func(tx *sql.Tx, chain *audit.Chain) error {
		// One draw per exam for a place: a DAR's draw covers its ZA.
		parent, err := s.unitParent(ctx, tx, req.Unit)
		if err != nil {
			return err
		}
		var other string
		err = tx.QueryRowContext(ctx, `SELECT unit_code FROM draws WHERE year = $1 AND session = $2 AND exam = $3
			AND superseded_by IS NULL AND unit_code <> $4 AND (unit_code = $5 OR unit_code IN (SELECT code FROM units WHERE parent_code = $4)) LIMIT 1`,
			y.Year, req.Session, req.Exam, req.Unit, parent).Scan(&other)
		if err == nil {
			return apperr.New(apperr.Conflict, "Mjediset e %s përfshihen në shortin e %s për këtë provim.", req.Unit, other)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var prevID int64
		var prevSeq int
		err = tx.QueryRowContext(ctx, `SELECT id, seq FROM draws WHERE year = $1 AND session = $2 AND exam = $3 AND unit_code = $4
			ORDER BY seq DESC LIMIT 1`, y.Year, req.Session, req.Exam, req.Unit).Scan(&prevID, &prevSeq)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if prevID != 0 && req.Reason == "" {
			return apperr.New(apperr.Conflict, "Për provimin %s në %s është hapur tashmë shorti nr. %d; një short i ri lejohet vetëm duke shënuar arsyen, dhe të dy mbeten në regjistër.", req.Exam, req.Unit, prevSeq)
		}
		in, err := buildInputs(ctx, tx, y.Config, y.Year, req.Session, req.Exam, req.Unit)
		if err != nil {
			return err
		}
		hash := InputsHash(in)
		// A trial with a probe entropy: refuse at once a pool that cannot
		// cover the needs (per venue and role).
		if trial, err := Compute(in, seed, "prove"); err != nil {
			return err
		} else if len(trial.Shortages) > 0 {
			return ShortageError(trial.Shortages)
		}
		rec = Record{Version: Version, Year: y.Year, Session: req.Session, Exam: req.Exam, Unit: req.Unit, Seq: prevSeq + 1,
			Reason: req.Reason, Status: StatusCommitted, CommittedBy: p.Username, CommittedAt: s.stamp(),
			Commitment: Commitment(seed, hash), InputsHash: hash, Inputs: in}
		if err := tx.QueryRowContext(ctx, `INSERT INTO draws (year, session, exam, unit_code, seq, reason, status, inputs, excluded, inputs_hash, seed, commitment, committed_by, committed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
			rec.Year, rec.Session, rec.Exam, rec.Unit, rec.Seq, rec.Reason, rec.Status, string(canonical(in)), string(canonical(in.Excluded)), hash, seed,
			rec.Commitment, rec.CommittedBy, rec.CommittedAt).Scan(&rec.ID); err != nil {
			return fmt.Errorf("draw: insert: %w", err)
		}
		if prevID != 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE draws SET superseded_by = $1 WHERE year = $2 AND session = $3 AND exam = $4 AND unit_code = $5 AND id <> $1 AND superseded_by IS NULL`,
				rec.ID, rec.Year, rec.Session, rec.Exam, rec.Unit); err != nil {
				return err
			}
		}
		return chain.Add(ctx, p.Actor(), "draw.commit", objectType, strconv.FormatInt(rec.ID, 10), nil, map[string]any{
			"year": rec.Year, "session": rec.Session, "exam": rec.Exam, "unit": rec.Unit, "seq": rec.Seq, "reason": rec.Reason,
			"commitment": rec.Commitment, "inputs_hash": hash, "venues": len(in.Venues), "pool": len(in.Pool), "superseded": prevID})
	})
	return rec, err
}

// ---- the draw ----

// Run draws with the entropy called out by the people present (steps
// 3–9), inside the time window. With a shortage nothing is written.
func (s *Service) Run(ctx context.Context, p *auth.Principal, id int64, entropy string) (Record, error) {
	rec, seed, err := s.load(ctx, s.db, id)
	if err != nil {
		return Record{}, err
	}
	if err := s.canWrite(ctx, s.db, p, rec.Unit); err != nil {
		return Record{}, notFoundIfHidden(err, id)
	}
	if rec.Status != StatusCommitted {
		return Record{}, apperr.New(apperr.Conflict, "Shorti %d është hedhur tashmë (%s); për një short të ri hapni një tjetër me arsye.", id, rec.DrawnAt)
	}
	if rec.SupersededBy != 0 {
		return Record{}, apperr.New(apperr.Conflict, "Shorti %d është zëvendësuar nga shorti %d.", id, rec.SupersededBy)
	}
	y, err := s.years.Get(ctx, p, rec.Year)
	if err != nil {
		return Record{}, err
	}
	openAt, closeAt, start, err := Window(y.Config, rec.Exam, rec.Session)
	if err != nil {
		return Record{}, err
	}
	if now := s.now(); now.Before(openAt) || !now.Before(closeAt) {
		return Record{}, apperr.New(apperr.Invalid, "Shorti hidhet %d orë para fillimit të provimit (%s): nga %s deri në %s (Neni 10.9, 44, 47.5); tani është %s.",
			y.Config.Staffing.DrawHoursBefore, hm(start), hm(openAt), hm(closeAt), hm(now))
	}
	// The published lists must still be the plan's and the pool's: a plan
	// changed since the commitment would leave rooms without their AP.
	now, err := buildInputs(ctx, s.db, y.Config, rec.Year, rec.Session, rec.Exam, rec.Unit)
	if err != nil {
		return Record{}, err
	}
	if InputsHash(now) != rec.InputsHash {
		return Record{}, apperr.New(apperr.Conflict, "Plani i provimit ose listat e personelit kanë ndryshuar pas publikimit të angazhimit të shortit %d: hapni një short të ri me arsye, mbi listat e sotme.", id)
	}
	entropy = NormalizeEntropy(entropy)
	out, err := Compute(rec.Inputs, seed, entropy)
	if err != nil {
		return Record{}, err
	}
	if len(out.Shortages) > 0 {
		return Record{}, ShortageError(out.Shortages)
	}
	rec.Seed, rec.Entropy, rec.VenueOrder, rec.Result = seed, entropy, out.VenueOrder, out.Assignments
	rec.Status, rec.DrawnBy, rec.DrawnAt = StatusDrawn, p.Username, s.stamp()
	err = s.inTx(ctx, func(tx *sql.Tx, chain *audit.Chain) error {
		res, err := tx.ExecContext(ctx, `UPDATE draws SET status = $1, entropy = $2, result = $3, drawn_by = $4, drawn_at = $5
			WHERE id = $6 AND status = $7 AND superseded_by IS NULL`,
			StatusDrawn, entropy, string(canonical(out)), rec.DrawnBy, rec.DrawnAt, id, StatusCommitted)
		if err != nil {
			return fmt.Errorf("draw: update: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "Shorti %d u hodh ose u zëvendësua ndërkohë.", id)
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO draw_assignments (draw_id, staff_id, role, venue_code, room_id) VALUES ($1, $2, $3, $4, $5)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, a := range out.Assignments {
			if _, err := st.ExecContext(ctx, id, a.StaffID, a.Role, a.Venue, a.RoomID); err != nil {
				return fmt.Errorf("draw: assignment: %w", err)
			}
		}
		sum := sha256hex(canonical(out))
		return chain.Add(ctx, p.Actor(), "draw.run", objectType, strconv.FormatInt(id, 10),
			map[string]any{"status": StatusCommitted, "commitment": rec.Commitment},
			map[string]any{"status": StatusDrawn, "seed": seed, "entropy": entropy, "assignments": len(out.Assignments), "result_sha256": sum})
	})
	if err != nil {
		return Record{}, err
	}
	return rec, nil
}

func notFoundIfHidden(err error, id int64) error {
	if apperr.Is(err, apperr.NotFound) {
		return apperr.New(apperr.NotFound, "Shorti «%d» nuk u gjet.", id)
	}
	return err
}

// ---- reading ----

const drawCols = `id, year, session, exam, unit_code, seq, reason, status, inputs, excluded, inputs_hash, seed, commitment,
	entropy, result, committed_by, committed_at, drawn_by, drawn_at, COALESCE(superseded_by, 0)`

func scanDraw(row interface{ Scan(...any) error }) (Record, string, error) {
	var r Record
	var inputs, excluded, result, seed string
	err := row.Scan(&r.ID, &r.Year, &r.Session, &r.Exam, &r.Unit, &r.Seq, &r.Reason, &r.Status, &inputs, &excluded, &r.InputsHash, &seed,
		&r.Commitment, &r.Entropy, &result, &r.CommittedBy, &r.CommittedAt, &r.DrawnBy, &r.DrawnAt, &r.SupersededBy)
	if err != nil {
		return r, "", err
	}
	r.Version = Version
	if err := json.Unmarshal([]byte(inputs), &r.Inputs); err != nil {
		return r, "", fmt.Errorf("draw %d: inputs: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(excluded), &r.Inputs.Excluded); err != nil {
		return r, "", fmt.Errorf("draw %d: excluded: %w", r.ID, err)
	}
	if result != "" {
		var out Outcome
		if err := json.Unmarshal([]byte(result), &out); err != nil {
			return r, "", fmt.Errorf("draw %d: result: %w", r.ID, err)
		}
		r.VenueOrder, r.Result = out.VenueOrder, out.Assignments
	}
	if r.Status == StatusDrawn {
		r.Seed = seed // published after the draw
	}
	return r, seed, nil
}

func (s *Service) load(ctx context.Context, q querier, id int64) (Record, string, error) {
	r, seed, err := scanDraw(q.QueryRowContext(ctx, `SELECT `+drawCols+` FROM draws WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Record{}, "", apperr.New(apperr.NotFound, "Shorti «%d» nuk u gjet.", id)
	}
	return r, seed, err
}

// Get returns a draw in the caller's scope (the seed only once drawn).
func (s *Service) Get(ctx context.Context, p *auth.Principal, id int64) (Record, error) {
	r, _, err := s.load(ctx, s.db, id)
	if err != nil {
		return Record{}, err
	}
	if err := s.canRead(ctx, s.db, p, r.Unit); err != nil {
		return Record{}, notFoundIfHidden(err, id)
	}
	return r, nil
}

// Public returns the published record of a draw, for anyone: the inputs
// and commitment before the draw, and seed, entropy and result after it;
// never the people left out under Neni 9.
func (s *Service) Public(ctx context.Context, id int64) (Record, error) {
	r, _, err := s.load(ctx, s.db, id)
	r.Inputs.Excluded = nil
	return r, err
}

// Summary is one line of the list of draws.
type Summary struct {
	ID           int64  `json:"id"`
	Year         int    `json:"year"`
	Session      int    `json:"session"`
	Exam         string `json:"exam"`
	Unit         string `json:"unit"`
	Seq          int    `json:"seq"`
	Reason       string `json:"reason,omitempty"`
	Status       string `json:"status"`
	Commitment   string `json:"commitment"`
	CommittedAt  string `json:"committed_at"`
	DrawnAt      string `json:"drawn_at,omitempty"`
	SupersededBy int64  `json:"superseded_by,omitempty"`
}

// List returns the draws of the active year in the caller's scope, newest
// first.
func (s *Service) List(ctx context.Context, p *auth.Principal) ([]Summary, error) {
	if err := auth.Require(p, auth.RoleAVA, auth.RoleKMSH); err != nil {
		return nil, err
	}
	y, err := s.config(ctx)
	if err != nil {
		return nil, err
	}
	var q store.Query
	q.Add("year = ?", y.Year)
	if p.Role == auth.RoleKMSH {
		q.Add("unit_code IN (SELECT code FROM units WHERE code = ? OR parent_code = ?)", p.Unit, p.Unit)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, year, session, exam, unit_code, seq, reason, status, commitment, committed_at, drawn_at,
		COALESCE(superseded_by, 0) FROM draws`+q.Where()+` ORDER BY id DESC`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("draw: list: %w", err)
	}
	defer rows.Close()
	out := []Summary{}
	for rows.Next() {
		var d Summary
		if err := rows.Scan(&d.ID, &d.Year, &d.Session, &d.Exam, &d.Unit, &d.Seq, &d.Reason, &d.Status, &d.Commitment, &d.CommittedAt, &d.DrawnAt, &d.SupersededBy); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ---- transactions ----

func (s *Service) inTx(ctx context.Context, fn func(tx *sql.Tx, chain *audit.Chain) error) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		chain, err := audit.Open(ctx, tx)
		if err != nil {
			return err
		}
		if err := fn(tx, chain); err != nil {
			chain.Close(ctx)
			return err
		}
		return chain.Close(ctx)
	})
}
