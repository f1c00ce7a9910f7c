package custody

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/store"
	"provim/internal/venue"
)

// Service keeps the custody chain of the active exam year.
type Service struct {
	db     *store.DB
	years  *examyear.Service
	venues *venue.Service
	// returnCheck refuses the closing of a venue's box while the exam
	// day's counts do not balance (SetReturnCheck).
	returnCheck ReturnCheck
	// staffPlaces is the exam day's access rule for the accounts of the
	// drawn staff (SetStaffPlaces, staff.go).
	staffPlaces StaffPlaces
}

// NewService returns the service over db; the exam years and the venues
// (plan, rooms, seats) are the services it reads through.
func NewService(db *store.DB, years *examyear.Service, venues *venue.Service) *Service {
	return &Service{db: db, years: years, venues: venues}
}

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.db.Clock.Now() }

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
	// SealsHidden are the packages whose numbers read in this hand-over
	// are withheld from the caller, who must read those seals itself at a
	// later step (Neni 43–45; see SealsWithheld).
	SealsHidden   []string `json:"seals_hidden,omitempty"`
	ConfirmedBy   string   `json:"confirmed_by"`
	ConfirmedRole string   `json:"confirmed_role"`
	ConfirmedAt   string   `json:"confirmed_at"`
	Confirmed     bool     `json:"confirmed"`
	Due           string   `json:"due"`
	Late          bool     `json:"late"`
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

// sites limits a query on consignments (alias c) to the caller's scope
// and to f, and returns the venues they may be of, by code: AVA national,
// KMSH the venues of its DAR/ZA (and the ZA under a DAR), the venue roles
// their venue; f.Unit keeps the venues of that DAR/ZA (and its ZA). An
// account linked to a staff record sees only its places as drawn
// (staffSites). Other roles have no access to the custody chain.
func (s *Service) sites(ctx context.Context, p *auth.Principal, f Filter, q *store.Query) (map[string]registry.Venue, error) {
	if err := deny(p); err != nil {
		return nil, err
	}
	if staffScoped(p) {
		return s.staffSites(ctx, p, f, q)
	}
	code := f.Venue
	if p.IsVenueRole() {
		q.Add("c.venue_code = ?", p.Venue)
		code = p.Venue
	}
	var regions []string // each narrows the venues to a DAR/ZA's
	if p.Role == auth.RoleKMSH {
		regions = append(regions, p.Unit)
	}
	if f.Unit != "" {
		regions = append(regions, f.Unit)
	}
	if len(regions) == 0 {
		regions = []string{""}
	}
	var out map[string]registry.Venue
	for _, unit := range regions {
		list, err := s.venues.Sites(ctx, unit, code)
		if err != nil {
			return nil, err
		}
		in := make(map[string]registry.Venue, len(list))
		for _, v := range list {
			if _, ok := out[v.Code]; ok || out == nil {
				in[v.Code] = v
			}
		}
		out = in
	}
	if regions[0] != "" {
		codes := make([]string, 0, len(out))
		for c := range out {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		ph := make([]string, len(codes))
		for i, c := range codes {
			ph[i] = q.Arg(c)
		}
		if len(codes) == 0 {
			q.Add("1 = 0")
		} else {
			q.Add("c.venue_code IN (" + strings.Join(ph, ", ") + ")")
		}
	}
	return out, nil
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
	list, err := s.load(ctx, p, y, f)
	for i := range list {
		mask(&list[i], p)
	}
	return list, err
}

// Get returns one consignment in the caller's scope.
func (s *Service) Get(ctx context.Context, p *auth.Principal, venue, exam string, session int) (Consignment, error) {
	y, err := s.years.Active(ctx)
	if err != nil {
		return Consignment{}, err
	}
	c, err := s.get(ctx, p, y, venue, exam, session)
	mask(&c, p)
	return c, err
}

func (s *Service) get(ctx context.Context, p *auth.Principal, y *examyear.Year, venue, exam string, session int) (Consignment, error) {
	if session == 0 {
		session = 1
	}
	list, err := s.load(ctx, p, y, Filter{Venue: venue, Exam: exam, Session: session})
	if err != nil {
		return Consignment{}, err
	}
	if len(list) == 0 {
		return Consignment{}, notFound(venue, exam)
	}
	return list[0], nil
}

// load reads the consignments of y in p's scope that match f, with their
// packages and hand-overs, and assesses them at the moment of ctx (the
// transaction's, or the clock's).
func (s *Service) load(ctx context.Context, p *auth.Principal, y *examyear.Year, f Filter) ([]Consignment, error) {
	var q store.Query
	q.Add("c.year = ?", y.Year)
	sites, err := s.sites(ctx, p, f, &q)
	if err != nil {
		return nil, err
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
	db := s.db.Q(ctx)
	list, err := store.Select(ctx, db, func(r store.Scanner) (Consignment, error) {
		var c Consignment
		return c, r.Scan(&c.Year, &c.Session, &c.Exam, &c.VenueCode, &c.Stage, &c.Since)
	}, `SELECT c.year, c.session, c.exam, c.venue_code, c.stage, c.since FROM custody_consignments c`+q.Where()+
		` ORDER BY c.venue_code, c.session, c.exam`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("custody: list: %w", err)
	}
	var out []Consignment
	for _, c := range list {
		v, ok := sites[c.VenueCode]
		if !ok {
			continue
		}
		c.VenueName, c.UnitCode, c.City = v.Name, v.UnitCode, v.City
		c.Holder = HolderLabel(c.Stage)
		c.Packages, c.Handovers, c.Flags = []Package{}, []Handover{}, []string{}
		out = append(out, c)
	}
	// By DAR/ZA, then venue, session and exam.
	sort.SliceStable(out, func(i, j int) bool { return out[i].UnitCode < out[j].UnitCode })
	if len(out) == 0 {
		return out, nil
	}
	index := map[string]int{}
	for i := range out {
		index[out[i].Key()] = i
	}
	key := func(year, session int, exam, venue string) string {
		return fmt.Sprintf("%d-%d-%s-%s", year, session, exam, venue)
	}
	join := ` JOIN custody_consignments c ON c.year = x.year AND c.session = x.session AND c.exam = x.exam AND c.venue_code = x.venue_code`
	type placed struct {
		key string
		pk  Package
	}
	pkgs, err := store.Select(ctx, db, func(r store.Scanner) (placed, error) {
		var year, session int
		var exam, venue, seals string
		var pk Package
		if err := r.Scan(&year, &session, &exam, &venue, &pk.ID, &pk.Code, &pk.Kind, &pk.Items, &seals); err != nil {
			return placed{}, err
		}
		pk.KindLabel, pk.Seals = KindLabel(pk.Kind), strings.Split(seals, ",")
		return placed{key(year, session, exam, venue), pk}, nil
	}, `SELECT x.year, x.session, x.exam, x.venue_code, x.id, x.code, x.kind, x.items, x.seals FROM custody_packages x`+
		join+q.Where()+` ORDER BY x.id`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("custody: packages: %w", err)
	}
	for _, x := range pkgs {
		if i, ok := index[x.key]; ok {
			out[i].Packages = append(out[i].Packages, x.pk)
		}
	}
	hs, err := store.Select(ctx, db, scanHandover, `SELECT `+handoverCols+` FROM custody_handovers x`+join+q.Where()+` ORDER BY x.step`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("custody: hand-overs: %w", err)
	}
	for _, h := range hs {
		if i, ok := index[key(h.Year, h.Session, h.Exam, h.VenueCode)]; ok {
			out[i].Handovers = append(out[i].Handovers, h)
		}
	}
	now := s.db.Now(ctx)
	for i := range out {
		s.assess(&out[i], y.Config, now)
	}
	return out, nil
}

const handoverCols = `x.id, x.year, x.session, x.exam, x.venue_code, x.step, x.givers, x.receivers, x.note, x.seals_given,
	x.recorded_by, x.recorded_role, x.recorded_at, x.seals_received, x.confirmed_by, x.confirmed_role, x.confirmed_at`

func scanHandover(row store.Scanner) (Handover, error) {
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
					clock.Format(at), due[h.Step].Format("02.01.2006 15:04")))
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
	h, c, err := s.handover(ctx, p, y, id)
	maskHandover(&h, &c, p)
	mask(&c, p)
	return h, c, err
}

func (s *Service) handover(ctx context.Context, p *auth.Principal, y *examyear.Year, id int64) (Handover, Consignment, error) {
	if err := deny(p); err != nil {
		return Handover{}, Consignment{}, err
	}
	h, err := scanHandover(s.db.Q(ctx).QueryRowContext(ctx, `SELECT `+handoverCols+` FROM custody_handovers x WHERE x.id = $1 AND x.year = $2`, id, y.Year))
	if errors.Is(err, sql.ErrNoRows) {
		return Handover{}, Consignment{}, apperr.New(apperr.NotFound, "Procesverbali «%d» nuk u gjet.", id)
	}
	if err != nil {
		return Handover{}, Consignment{}, fmt.Errorf("custody: hand-over: %w", err)
	}
	c, err := s.get(ctx, p, y, h.VenueCode, h.Exam, h.Session)
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
