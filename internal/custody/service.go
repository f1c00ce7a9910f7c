package custody

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/store"
)

// Service keeps the custody chain of the active exam year.
type Service struct {
	db    *store.DB
	years *examyear.Service
	now   func() time.Time
}

// NewService returns the service over db.
func NewService(db *store.DB) *Service {
	return &Service{db: db, years: examyear.NewService(db), now: time.Now}
}

// SetClock replaces the clock (the demo and the training mode stand on a
// chosen day; tests on a chosen minute).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

func (s *Service) stamp() string { return s.now().UTC().Format(time.RFC3339) }

// Package is one package of exam material.
type Package struct {
	ID        int64    `json:"id"`
	Code      string   `json:"code"`
	Kind      string   `json:"kind"`
	KindLabel string   `json:"kind_label"`
	Items     int      `json:"items"`
	Seals     []string `json:"seals"`
}

// Handover is one procesverbal of the chain.
type Handover struct {
	ID            int64               `json:"id"`
	Year          int                 `json:"year"`
	Session       int                 `json:"session"`
	Exam          string              `json:"exam"`
	VenueCode     string              `json:"venue_code"`
	Step          int                 `json:"step"`
	StepName      string              `json:"step_name"`
	Article       string              `json:"article"`
	From          string              `json:"from"`
	To            string              `json:"to"`
	Givers        []string            `json:"givers"`
	Receivers     []string            `json:"receivers"`
	Note          string              `json:"note"`
	SealsGiven    map[string][]string `json:"seals_given"`
	RecordedBy    string              `json:"recorded_by"`
	RecordedRole  string              `json:"recorded_role"`
	RecordedAt    string              `json:"recorded_at"`
	SealsReceived map[string][]string `json:"seals_received"`
	ConfirmedBy   string              `json:"confirmed_by"`
	ConfirmedRole string              `json:"confirmed_role"`
	ConfirmedAt   string              `json:"confirmed_at"`
	Confirmed     bool                `json:"confirmed"`
	Due           string              `json:"due"`
	Late          bool                `json:"late"`
}

// Consignment is the packages of one exam for one venue, where they are,
// and the hand-overs so far.
type Consignment struct {
	Year      int        `json:"year"`
	Session   int        `json:"session"`
	Exam      string     `json:"exam"`
	VenueCode string     `json:"venue_code"`
	VenueName string     `json:"venue_name"`
	UnitCode  string     `json:"unit_code"`
	City      string     `json:"city"`
	Stage     int        `json:"stage"`
	Holder    string     `json:"holder"`
	Since     string     `json:"since"`
	Packages  []Package  `json:"packages"`
	Handovers []Handover `json:"handovers"`
	// Pending is the hand-over recorded and not yet confirmed.
	Pending *Handover `json:"pending,omitempty"`
	// Next is the step to record next (nil when the chain is complete or
	// a hand-over waits for confirmation); NextDue is its deadline.
	Next    *Step  `json:"next,omitempty"`
	NextDue string `json:"next_due,omitempty"`
	Start   string `json:"exam_start"`
	// Late: a step was confirmed after its time; Missing: the next step
	// is past its time and not confirmed. Flags says which, in Albanian.
	Late    bool     `json:"late"`
	Missing bool     `json:"missing"`
	Flags   []string `json:"flags"`
}

// Key identifies a consignment in the audit log and in URLs.
func (c *Consignment) Key() string {
	return fmt.Sprintf("%d-%d-%s-%s", c.Year, c.Session, c.Exam, c.VenueCode)
}

// ---- scope ----

func deny(p *auth.Principal) error {
	return auth.Require(p, auth.RoleAVA, auth.RoleKMSH, auth.RolePAP, auth.RoleAP, auth.RoleAS)
}

// scopeVenues limits a query on venues (alias v): AVA national, KMSH the
// venues of its DAR/ZA (and the ZA under a DAR), the venue roles their
// venue. Other roles have no access to the custody chain.
func scopeVenues(p *auth.Principal, q *store.Query) error {
	if err := deny(p); err != nil {
		return err
	}
	switch {
	case p.Role == auth.RoleKMSH:
		q.Add("v.unit_code IN (SELECT code FROM units WHERE code = ? OR parent_code = ?)", p.Unit, p.Unit)
	case p.IsVenueRole():
		q.Add("v.code = ?", p.Venue)
	}
	return nil
}

func notFound(venue, exam string) error {
	return apperr.New(apperr.NotFound, "Materialet e provimit «%s» për qendrën «%s» nuk u gjetën.", exam, venue)
}

// ---- reading ----

// Filter selects consignments of the active year.
type Filter struct {
	Unit    string // DAR/ZA code: its venues and those of the ZA under it
	Exam    string
	Session int // 0: every session
	Venue   string
}

// Board returns every consignment in the caller's scope that matches f,
// with its packages, hand-overs and flags, ordered by DAR/ZA and venue.
func (s *Service) Board(ctx context.Context, p *auth.Principal, f Filter) ([]Consignment, error) {
	y, err := s.years.Active(ctx)
	if err != nil {
		return nil, err
	}
	list, err := s.load(ctx, s.db, p, y, f)
	for i := range list {
		mask(&list[i], p)
	}
	return list, err
}

// mask hides the registered seal numbers from everyone but AVA, who
// registered them: the others must read them off the seals themselves, so
// a replaced seal shows (the numbers read stay in each procesverbal).
func mask(c *Consignment, p *auth.Principal) {
	if p != nil && p.Role == auth.RoleAVA {
		return
	}
	for i := range c.Packages {
		c.Packages[i].Seals = []string{}
	}
	// The seals the giver read equal the registered ones (Record refuses
	// any other): until the receiver has confirmed with the seals it read
	// itself, they are hidden too, or the receiver could copy them.
	if c.Pending != nil {
		maskPending(c.Pending, p)
	}
	for i := range c.Handovers {
		maskPending(&c.Handovers[i], p)
	}
}

// maskPending hides the seals given of a hand-over not yet confirmed from
// everyone but AVA.
func maskPending(h *Handover, p *auth.Principal) {
	if (p == nil || p.Role != auth.RoleAVA) && !h.Confirmed {
		h.SealsGiven = map[string][]string{}
	}
}

// Get returns one consignment in the caller's scope.
func (s *Service) Get(ctx context.Context, p *auth.Principal, venue, exam string, session int) (Consignment, error) {
	y, err := s.years.Active(ctx)
	if err != nil {
		return Consignment{}, err
	}
	c, err := s.get(ctx, s.db, p, y, venue, exam, session)
	mask(&c, p)
	return c, err
}

func (s *Service) get(ctx context.Context, db querier, p *auth.Principal, y *examyear.Year, venue, exam string, session int) (Consignment, error) {
	if session == 0 {
		session = 1
	}
	list, err := s.load(ctx, db, p, y, Filter{Venue: venue, Exam: exam, Session: session})
	if err != nil {
		return Consignment{}, err
	}
	if len(list) == 0 {
		return Consignment{}, notFound(venue, exam)
	}
	return list[0], nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *Service) load(ctx context.Context, db querier, p *auth.Principal, y *examyear.Year, f Filter) ([]Consignment, error) {
	var q store.Query
	if err := scopeVenues(p, &q); err != nil {
		return nil, err
	}
	q.Add("c.year = ?", y.Year)
	if f.Unit != "" {
		q.Add("v.unit_code IN (SELECT code FROM units WHERE code = ? OR parent_code = ?)", f.Unit, f.Unit)
	}
	if f.Exam != "" {
		q.Add("c.exam = ?", f.Exam)
	}
	if f.Session != 0 {
		q.Add("c.session = ?", f.Session)
	}
	if f.Venue != "" {
		q.Add("c.venue_code = ?", f.Venue)
	}
	from := ` FROM custody_consignments c JOIN venues v ON v.code = c.venue_code`
	rows, err := db.QueryContext(ctx, `SELECT c.year, c.session, c.exam, c.venue_code, v.name, v.unit_code, v.city, c.stage, c.since`+
		from+q.Where()+` ORDER BY v.unit_code, c.venue_code, c.session, c.exam`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("custody: list: %w", err)
	}
	var out []Consignment
	index := map[string]int{}
	for rows.Next() {
		var c Consignment
		if err := rows.Scan(&c.Year, &c.Session, &c.Exam, &c.VenueCode, &c.VenueName, &c.UnitCode, &c.City, &c.Stage, &c.Since); err != nil {
			rows.Close()
			return nil, fmt.Errorf("custody: list: %w", err)
		}
		c.Holder = HolderLabel(c.Stage)
		c.Packages, c.Handovers, c.Flags = []Package{}, []Handover{}, []string{}
		index[c.Key()] = len(out)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	key := func(year, session int, exam, venue string) string {
		return fmt.Sprintf("%d-%d-%s-%s", year, session, exam, venue)
	}
	join := ` JOIN custody_consignments c ON c.year = x.year AND c.session = x.session AND c.exam = x.exam AND c.venue_code = x.venue_code` + from[len(" FROM custody_consignments c"):]
	rows, err = db.QueryContext(ctx, `SELECT x.year, x.session, x.exam, x.venue_code, x.id, x.code, x.kind, x.items, x.seals FROM custody_packages x`+
		join+q.Where()+` ORDER BY x.id`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("custody: packages: %w", err)
	}
	for rows.Next() {
		var year, session int
		var exam, venue, seals string
		var pk Package
		if err := rows.Scan(&year, &session, &exam, &venue, &pk.ID, &pk.Code, &pk.Kind, &pk.Items, &seals); err != nil {
			rows.Close()
			return nil, fmt.Errorf("custody: packages: %w", err)
		}
		pk.KindLabel, pk.Seals = KindLabel(pk.Kind), strings.Split(seals, ",")
		if i, ok := index[key(year, session, exam, venue)]; ok {
			out[i].Packages = append(out[i].Packages, pk)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.QueryContext(ctx, `SELECT `+handoverCols+` FROM custody_handovers x`+join+q.Where()+` ORDER BY x.step`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("custody: hand-overs: %w", err)
	}
	for rows.Next() {
		h, err := scanHandover(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("custody: hand-overs: %w", err)
		}
		if i, ok := index[key(h.Year, h.Session, h.Exam, h.VenueCode)]; ok {
			out[i].Handovers = append(out[i].Handovers, h)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	for i := range out {
		s.assess(&out[i], y.Config, now)
	}
	return out, nil
}

const handoverCols = `x.id, x.year, x.session, x.exam, x.venue_code, x.step, x.givers, x.receivers, x.note, x.seals_given,
	x.recorded_by, x.recorded_role, x.recorded_at, x.seals_received, x.confirmed_by, x.confirmed_role, x.confirmed_at`

func scanHandover(row interface{ Scan(...any) error }) (Handover, error) {
	var h Handover
	var givers, receivers, sg, sr string
	if err := row.Scan(&h.ID, &h.Year, &h.Session, &h.Exam, &h.VenueCode, &h.Step, &givers, &receivers, &h.Note, &sg,
		&h.RecordedBy, &h.RecordedRole, &h.RecordedAt, &sr, &h.ConfirmedBy, &h.ConfirmedRole, &h.ConfirmedAt); err != nil {
		return h, err
	}
	h.Givers, h.Receivers = strings.Split(givers, "\n"), strings.Split(receivers, "\n")
	h.SealsGiven, h.SealsReceived = map[string][]string{}, map[string][]string{}
	if sg != "" {
		if err := json.Unmarshal([]byte(sg), &h.SealsGiven); err != nil {
			return h, err
		}
	}
	if sr != "" {
		if err := json.Unmarshal([]byte(sr), &h.SealsReceived); err != nil {
			return h, err
		}
	}
	h.Confirmed = h.ConfirmedAt != ""
	if st, ok := StepByNo(h.Step); ok {
		h.StepName, h.Article, h.From, h.To = st.Name, st.Article, st.From, st.To
	}
	return h, nil
}

// assess fills the timetable and the flags of c at time now.
func (s *Service) assess(c *Consignment, cfg examyear.Config, now time.Time) {
	start, err := ExamStart(cfg, c.Exam, c.Session)
	if err != nil {
		c.Flags = append(c.Flags, "Dita e provimit nuk gjendet në konfigurimin e vitit: afatet nuk llogariten.")
	}
	var due [9]time.Time
	if err == nil {
		due = Due(start, cfg.Staffing.MaterialsHoursBefore)
		c.Start = start.Format(time.RFC3339)
	}
	for i := range c.Handovers {
		h := &c.Handovers[i]
		if err == nil {
			h.Due = due[h.Step].Format(time.RFC3339)
		}
		if !h.Confirmed {
			hc := *h
			c.Pending = &hc
			continue
		}
		if err == nil {
			at, perr := time.Parse(time.RFC3339, h.ConfirmedAt)
			if perr == nil && at.After(due[h.Step]) {
				h.Late = true
				c.Late = true
				c.Flags = append(c.Flags, fmt.Sprintf("Hapi %d («%s») u krye me vonesë: %s, afati %s.", h.Step, h.StepName,
					at.In(examyear.Tirana).Format("02.01.2006 15:04"), due[h.Step].Format("02.01.2006 15:04")))
			}
		}
	}
	if c.Stage >= len(Steps) {
		return
	}
	next := Steps[c.Stage]
	if c.Pending == nil {
		c.Next = &next
	}
	if err == nil {
		c.NextDue = due[next.No].Format(time.RFC3339)
		if now.After(due[next.No]) {
			c.Missing = true
			what := "nuk është regjistruar"
			if c.Pending != nil {
				what = "nuk është konfirmuar nga marrësi"
			}
			c.Flags = append(c.Flags, fmt.Sprintf("Mungon hapi %d («%s»): afati ishte %s dhe %s.", next.No, next.Name,
				due[next.No].Format("02.01.2006 15:04"), what))
		}
	}
}

// Handover returns one hand-over in the caller's scope, with its
// consignment.
func (s *Service) Handover(ctx context.Context, p *auth.Principal, id int64) (Handover, Consignment, error) {
	y, err := s.years.Active(ctx)
	if err != nil {
		return Handover{}, Consignment{}, err
	}
	h, c, err := s.handover(ctx, s.db, p, y, id)
	mask(&c, p)
	maskPending(&h, p)
	return h, c, err
}

func (s *Service) handover(ctx context.Context, db querier, p *auth.Principal, y *examyear.Year, id int64) (Handover, Consignment, error) {
	if err := deny(p); err != nil {
		return Handover{}, Consignment{}, err
	}
	h, err := scanHandover(db.QueryRowContext(ctx, `SELECT `+handoverCols+` FROM custody_handovers x WHERE x.id = $1 AND x.year = $2`, id, y.Year))
	if errors.Is(err, sql.ErrNoRows) {
		return Handover{}, Consignment{}, apperr.New(apperr.NotFound, "Procesverbali «%d» nuk u gjet.", id)
	}
	if err != nil {
		return Handover{}, Consignment{}, fmt.Errorf("custody: hand-over: %w", err)
	}
	c, err := s.get(ctx, db, p, y, h.VenueCode, h.Exam, h.Session)
	if apperr.Is(err, apperr.NotFound) {
		return Handover{}, Consignment{}, apperr.New(apperr.NotFound, "Procesverbali «%d» nuk u gjet.", id)
	}
	if err != nil {
		return Handover{}, Consignment{}, err
	}
	for _, x := range c.Handovers {
		if x.ID == id {
			return x, c, nil
		}
	}
	return h, c, nil
}

// ---- writing ----

func (s *Service) inTx(ctx context.Context, fn func(tx *sql.Tx, chain *audit.Chain) error) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		chain, err := audit.Open(ctx, tx)
		if err != nil {
			return err
		}
		if err := fn(tx, chain); err != nil {
			return err
		}
		return chain.Close(ctx)
	})
}

// CreateInput asks AVA to prepare the packages of an exam.
type CreateInput struct {
	Exam    string   `json:"exam"`
	Session int      `json:"session"`
	Venues  []string `json:"venues"` // empty: every venue of the exam plan
}

// CreateResult says what Create did.
type CreateResult struct {
	Created  int  `json:"created"`  // consignments created
	Existing int  `json:"existing"` // venues that had them already
	Packages int  `json:"packages"`
	FromPlan bool `json:"from_plan"` // counts come from the exam plan (else from the rooms' seats)
}

// newSeals returns two fresh seal numbers for a package, drawn at random
// so that nobody can work them out from the package's printed code; AVA
// registers them when it packs (Neni 42).
func newSeals() ([]string, error) {
	out := make([]string, 2)
	for i := range out {
		b := make([]byte, 5)
		if _, err := rand.Read(b); err != nil {
			return nil, fmt.Errorf("custody: seal numbers: %w", err)
		}
		out[i] = "VL-" + strings.ToUpper(hex.EncodeToString(b))
	}
	return out, nil
}

// Create prepares at AVA the packages of an exam for every venue of the
// exam plan (table exam_seats; or only those named): test booklets for
// the candidates and 5% reserve, the envelope for unused tests, a pair of
// code labels per candidate (Neni 53) and the return box, each with its
// code and seal numbers. When the exam has no plan yet, every venue with
// rooms gets packages sized to its seats. Venues that have the packages
// already are left as they are. Role ava only; all or nothing.
func (s *Service) Create(ctx context.Context, p *auth.Principal, in CreateInput) (CreateResult, error) {
	var res CreateResult
	if err := auth.Require(p, auth.RoleAVA); err != nil {
		return res, err
	}
	y, err := s.years.Active(ctx)
	if err != nil {
		return res, err
	}
	if in.Session == 0 {
		in.Session = 1
	}
	in.Exam = strings.TrimSpace(in.Exam)
	if _, err := ExamStart(y.Config, in.Exam, in.Session); err != nil {
		return res, apperr.New(apperr.Invalid, "Provimi nuk pranohet: %v.", err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx, chain *audit.Chain) error {
		counts := map[string]int{}
		var order []string
		rows, err := tx.QueryContext(ctx, `SELECT venue_code, COUNT(*) FROM exam_seats WHERE year = $1 AND session = $2 AND exam = $3
			GROUP BY venue_code ORDER BY venue_code`, y.Year, in.Session, in.Exam)
		if err != nil {
			return fmt.Errorf("custody: plan: %w", err)
		}
		for rows.Next() {
			var v string
			var n int
			if err := rows.Scan(&v, &n); err != nil {
				rows.Close()
				return err
			}
			counts[v] = n
			order = append(order, v)
		}
		rows.Close()
		res.FromPlan = len(order) > 0
		if !res.FromPlan {
			rows, err := tx.QueryContext(ctx, `SELECT venue_code, SUM(seats) FROM rooms GROUP BY venue_code HAVING SUM(seats) > 0 ORDER BY venue_code`)
			if err != nil {
				return fmt.Errorf("custody: rooms: %w", err)
			}
			for rows.Next() {
				var v string
				var n int
				if err := rows.Scan(&v, &n); err != nil {
					rows.Close()
					return err
				}
				counts[v] = n
				order = append(order, v)
			}
			rows.Close()
		}
		if len(in.Venues) > 0 {
			var picked []string
			for _, v := range in.Venues {
				v = strings.TrimSpace(v)
				if _, ok := counts[v]; !ok {
					return apperr.New(apperr.NotFound, "Qendra «%s» nuk ka kandidatë në provimin %s.", v, in.Exam)
				}
				if !slices.Contains(picked, v) {
					picked = append(picked, v)
				}
			}
			order = picked
		}
		if len(order) == 0 {
			return apperr.New(apperr.Invalid, "Nuk ka asnjë qendër provimi me kandidatë ose salla për provimin %s.", in.Exam)
		}
		at := s.stamp()
		for _, v := range order {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM custody_consignments WHERE year = $1 AND session = $2 AND exam = $3 AND venue_code = $4`,
				y.Year, in.Session, in.Exam, v).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				res.Existing++
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO custody_consignments (year, session, exam, venue_code, stage, since, created_by)
				VALUES ($1, $2, $3, $4, 0, $5, $6)`, y.Year, in.Session, in.Exam, v, at, p.Username); err != nil {
				return fmt.Errorf("custody: consignment: %w", err)
			}
			cand := counts[v]
			items := map[string]int{KindBooklets: cand + max(2, (cand+19)/20), KindEnvelope: 1, KindCodes: 2 * cand, KindBox: 1}
			var pkgs []map[string]any
			for _, kind := range Kinds {
				code := fmt.Sprintf("%d-%d-%s-%s-%s", y.Year, in.Session, in.Exam, v, kindLetter(kind))
				seals, err := newSeals()
				if err != nil {
					return err
				}
				slices.Sort(seals)
				if _, err := tx.ExecContext(ctx, `INSERT INTO custody_packages (code, year, session, exam, venue_code, kind, items, seals)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, code, y.Year, in.Session, in.Exam, v, kind, items[kind], strings.Join(seals, ",")); err != nil {
					return fmt.Errorf("custody: package: %w", err)
				}
				pkgs = append(pkgs, map[string]any{"code": code, "kind": kind, "items": items[kind], "seals": seals})
				res.Packages++
			}
			key := fmt.Sprintf("%d-%d-%s-%s", y.Year, in.Session, in.Exam, v)
			if err := chain.Add(ctx, p.Actor(), "create", "custody_consignment", key, nil,
				map[string]any{"venue": v, "exam": in.Exam, "session": in.Session, "candidates": cand, "packages": pkgs}); err != nil {
				return err
			}
			res.Created++
		}
		return nil
	})
	return res, err
}

// RecordInput is the giving side's record of a hand-over.
type RecordInput struct {
	Venue     string              `json:"venue_code"`
	Exam      string              `json:"exam"`
	Session   int                 `json:"session"`
	Step      int                 `json:"step"`
	Givers    []string            `json:"givers"`
	Receivers []string            `json:"receivers"`
	Seals     map[string][]string `json:"seals"` // by package code (or kind): the seal numbers read
	Note      string              `json:"note"`
}

// ConfirmInput is the receiving side's confirmation.
type ConfirmInput struct {
	Seals map[string][]string `json:"seals"`
}

// checkSeals compares the seals read against the registered ones for the
// kinds the step checks, and returns them keyed by package code.
func checkSeals(st Step, c *Consignment, read map[string][]string) (map[string][]string, error) {
	byKey := map[string]*Package{}
	for i := range c.Packages {
		pk := &c.Packages[i]
		byKey[pk.Code], byKey[pk.Kind] = pk, pk
	}
	got := map[string][]string{}
	var problems []string
	for k, v := range read {
		pk, ok := byKey[strings.TrimSpace(k)]
		if !ok {
			problems = append(problems, fmt.Sprintf("Paketa «%s» nuk është në këto materiale.", k))
			continue
		}
		if !st.ChecksKind(pk.Kind) {
			continue // read but not checked at this step: ignored
		}
		got[pk.Code] = append(got[pk.Code], normSeals(v)...)
	}
	out := map[string][]string{}
	for _, pk := range c.Packages {
		if !st.ChecksKind(pk.Kind) {
			continue
		}
		want := normSeals(pk.Seals)
		have := got[pk.Code]
		slices.Sort(have)
		switch {
		case len(have) == 0:
			problems = append(problems, fmt.Sprintf("%s (%s): mungojnë numrat e vulave.", pk.KindLabel, pk.Code))
		case !slices.Equal(want, have):
			problems = append(problems, fmt.Sprintf("%s (%s): vulat e lexuara %s nuk përputhen me të regjistruarat %s.",
				pk.KindLabel, pk.Code, strings.Join(have, ", "), strings.Join(want, ", ")))
		}
		out[pk.Code] = have
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return nil, &apperr.Error{Code: apperr.Invalid, Message: "Kontrolli i vulave nuk kaloi: dorëzimi nuk regjistrohet. Nëse një vulë është e dëmtuar, njoftoni menjëherë KMSH dhe AVA.", Details: problems}
	}
	return out, nil
}

// Record records a hand-over by the giving side: the next step of the
// consignment, by a role of that step's giving side, naming the persons on
// both sides, with the seals read. The materials stay with the giver until
// the receiving side confirms.
func (s *Service) Record(ctx context.Context, p *auth.Principal, in RecordInput) (Handover, error) {
	if err := deny(p); err != nil {
		return Handover{}, err
	}
	y, err := s.years.Active(ctx)
	if err != nil {
		return Handover{}, err
	}
	var id int64
	err = s.inTx(ctx, func(tx *sql.Tx, chain *audit.Chain) error {
		c, err := s.get(ctx, tx, p, y, strings.TrimSpace(in.Venue), strings.TrimSpace(in.Exam), in.Session)
		if err != nil {
			return err
		}
		st, ok := StepByNo(in.Step)
		if !ok {
			return apperr.New(apperr.Invalid, "Hapi %d nuk ekziston: hapat janë 1–%d.", in.Step, len(Steps))
		}
		if c.Pending != nil {
			return apperr.New(apperr.Conflict, "Dorëzimi i hapit %d («%s») pret konfirmimin e marrësit: asnjë hap tjetër nuk regjistrohet para tij.", c.Pending.Step, c.Pending.StepName)
		}
		if c.Stage >= len(Steps) {
			return apperr.New(apperr.Conflict, "Zinxhiri i materialeve të kësaj qendre është mbyllur: materialet janë kthyer në AVA.")
		}
		if in.Step != c.Stage+1 {
			next := Steps[c.Stage]
			return apperr.New(apperr.Conflict, "Hapi %d («%s») nuk mund të regjistrohet tani: materialet i ka «%s»; hapi i radhës është %d («%s»). Asnjë hap nuk kapërcehet.",
				st.No, st.Name, c.Holder, next.No, next.Name)
		}
		if !st.RecorderAllowed(p.Role) {
			return apperr.New(apperr.Forbidden, "Hapin «%s» e regjistron ana që dorëzon (%s), jo roli juaj (%s): nuk mund të dorëzoni materiale që nuk i mbani.",
				st.Name, roleList(st.Recorder), p.Role.Label())
		}
		givers, receivers := cleanNames(in.Givers), cleanNames(in.Receivers)
		var problems []string
		if len(givers) < st.MinGivers {
			problems = append(problems, fmt.Sprintf("Shënoni %d emra për anën që dorëzon (%s).", st.MinGivers, st.GiversHint))
		}
		if len(receivers) < st.MinReceivers {
			problems = append(problems, fmt.Sprintf("Shënoni %d emra për anën që merr në dorëzim (%s).", st.MinReceivers, st.ReceiversHint))
		}
		if len(problems) > 0 {
			return &apperr.Error{Code: apperr.Invalid, Message: "Palët e dorëzimit nuk janë plotësuar.", Details: problems}
		}
		seals, err := checkSeals(st, &c, in.Seals)
		if err != nil {
			return err
		}
		sealsJSON, _ := json.Marshal(seals)
		err = tx.QueryRowContext(ctx, `INSERT INTO custody_handovers (year, session, exam, venue_code, step, givers, receivers, note, seals_given,
			recorded_by, recorded_role, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			c.Year, c.Session, c.Exam, c.VenueCode, st.No, strings.Join(givers, "\n"), strings.Join(receivers, "\n"), strings.TrimSpace(in.Note),
			string(sealsJSON), p.Username, string(p.Role), s.stamp()).Scan(&id)
		if store.IsUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "Hapi %d është regjistruar tashmë për këto materiale.", st.No)
		}
		if err != nil {
			return fmt.Errorf("custody: record: %w", err)
		}
		return chain.Add(ctx, p.Actor(), "record", "custody_handover", fmt.Sprint(id), nil, map[string]any{
			"consignment": c.Key(), "step": st.No, "givers": givers, "receivers": receivers, "seals": seals, "note": strings.TrimSpace(in.Note)})
	})
	if err != nil {
		return Handover{}, err
	}
	return s.written(ctx, y, id)
}

// Confirm is the receiving side's confirmation of a recorded hand-over:
// by a role of the step's receiving side, another account than the one
// that recorded it, with the seals read again. Only then do the materials
// change holder.
func (s *Service) Confirm(ctx context.Context, p *auth.Principal, id int64, in ConfirmInput) (Handover, error) {
	if err := deny(p); err != nil {
		return Handover{}, err
	}
	y, err := s.years.Active(ctx)
	if err != nil {
		return Handover{}, err
	}
	err = s.inTx(ctx, func(tx *sql.Tx, chain *audit.Chain) error {
		h, c, err := s.handover(ctx, tx, p, y, id)
		if err != nil {
			return err
		}
		st, _ := StepByNo(h.Step)
		if h.Confirmed {
			return apperr.New(apperr.Conflict, "Procesverbali %d është konfirmuar tashmë më %s nga %s.", h.ID, when(h.ConfirmedAt), h.ConfirmedBy)
		}
		if !st.ConfirmerAllowed(p.Role) {
			return apperr.New(apperr.Forbidden, "Hapin «%s» e konfirmon ana që merr në dorëzim (%s), jo roli juaj (%s).",
				st.Name, roleList(st.Confirmer), p.Role.Label())
		}
		if p.Username == h.RecordedBy {
			return apperr.New(apperr.Forbidden, "Dorëzimin e konfirmon pala tjetër: ju e regjistruat, ndaj nuk mund ta konfirmoni.")
		}
		if c.Stage != h.Step-1 {
			return apperr.New(apperr.Conflict, "Materialet nuk janë në hapin e pritur: rifreskoni faqen.")
		}
		seals, err := checkSeals(st, &c, in.Seals)
		if err != nil {
			return err
		}
		sealsJSON, _ := json.Marshal(seals)
		at := s.stamp()
		res, err := tx.ExecContext(ctx, `UPDATE custody_handovers SET seals_received = $1, confirmed_by = $2, confirmed_role = $3, confirmed_at = $4
			WHERE id = $5 AND confirmed_at = ''`, string(sealsJSON), p.Username, string(p.Role), at, id)
		if err != nil {
			return fmt.Errorf("custody: confirm: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "Procesverbali %d është konfirmuar ndërkohë.", id)
		}
		res, err = tx.ExecContext(ctx, `UPDATE custody_consignments SET stage = $1, since = $2
			WHERE year = $3 AND session = $4 AND exam = $5 AND venue_code = $6 AND stage = $7`,
			h.Step, at, c.Year, c.Session, c.Exam, c.VenueCode, h.Step-1)
		if err != nil {
			return fmt.Errorf("custody: move: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "Materialet ndryshuan ndërkohë: rifreskoni faqen.")
		}
		return chain.Add(ctx, p.Actor(), "confirm", "custody_handover", fmt.Sprint(id),
			map[string]any{"consignment": c.Key(), "stage": c.Stage, "holder": c.Holder},
			map[string]any{"consignment": c.Key(), "stage": h.Step, "holder": HolderLabel(h.Step), "seals": seals})
	})
	if err != nil {
		return Handover{}, err
	}
	return s.written(ctx, y, id)
}

// written reads back a hand-over the caller has just recorded or
// confirmed (its scope was checked in the transaction), with its deadline.
func (s *Service) written(ctx context.Context, y *examyear.Year, id int64) (Handover, error) {
	h, err := scanHandover(s.db.QueryRowContext(ctx, `SELECT `+handoverCols+` FROM custody_handovers x WHERE x.id = $1`, id))
	if err != nil {
		return Handover{}, fmt.Errorf("custody: read back: %w", err)
	}
	if start, err := ExamStart(y.Config, h.Exam, h.Session); err == nil {
		due := Due(start, y.Config.Staffing.MaterialsHoursBefore)[h.Step]
		h.Due = due.Format(time.RFC3339)
		if at, err := time.Parse(time.RFC3339, h.ConfirmedAt); err == nil && at.After(due) {
			h.Late = true
		}
	}
	return h, nil
}

func roleList(roles []auth.Role) string {
	var out []string
	for _, r := range roles {
		out = append(out, strings.ToUpper(string(r)))
	}
	return strings.Join(out, " ose ")
}
