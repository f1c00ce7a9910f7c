package nextstep

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"time"

	"provim/internal/albanian"
	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/custody"
	"provim/internal/draw"
	"provim/internal/examyear"
	"provim/internal/marking"
	"provim/internal/registry"
	"provim/internal/venue"
)

// Service computes the dashboards' next steps over the owners' services.
type Service struct {
	clock   clock.Clock
	years   *examyear.Service
	reg     *registry.Service
	apps    *application.Service
	venues  *venue.Service
	draws   *draw.Service
	custody *custody.Service
	marking *marking.Service
}

// SetMarking lets the markers' dashboards say where their training and
// queue stand (wire sets it once marking is built).
func (s *Service) SetMarking(m *marking.Service) { s.marking = m }

// NewService builds the service (once, in package wire).
func NewService(clk clock.Clock, years *examyear.Service, reg *registry.Service, apps *application.Service,
	venues *venue.Service, draws *draw.Service, cust *custody.Service) *Service {
	return &Service{clock: clk, years: years, reg: reg, apps: apps, venues: venues, draws: draws, custody: cust}
}

// Step is one thing the caller should do (or know) now.
type Step struct {
	Text    string `json:"text"`
	Link    string `json:"link,omitempty"`
	When    string `json:"when,omitempty"` // in words: "nesër në orën 07:00", "deri më 30.06.2027, edhe 23 ditë"
	Article string `json:"article,omitempty"`
	Soon    bool   `json:"soon"` // today or tomorrow
}

// Exam is one exam a student sits in the session, and where.
type Exam struct {
	Exam     string `json:"exam"` // D1, D2 or the elective's code
	Name     string `json:"name"`
	Session  int    `json:"session"`
	Date     string `json:"date"`  // YYYY-MM-DD
	Start    string `json:"start"` // HH:MM
	ArriveBy string `json:"arrive_by"`
	Assigned bool   `json:"assigned"` // the plan gives the venue and room
	Venue    string `json:"venue,omitempty"`
	City     string `json:"city,omitempty"`
	Address  string `json:"address,omitempty"`
	Room     string `json:"room,omitempty"`
	Floor    int    `json:"floor"`
	start    time.Time
}

// Student is what a student's dashboard says about their exams.
type Student struct {
	// Failing: a failing student (mbetës, Neni 35) is not on this year's
	// lists (Neni 36) and sits the second session when they pass the
	// autumn resits (Neni 58).
	Failing bool `json:"failing"`
	// Exams are the exams of the session the student sits, by date.
	Exams []Exam `json:"exams"`
	// Next is the student's next exam when it is today or tomorrow, with
	// DayWord ("sot", "nesër").
	Next      *Exam  `json:"next,omitempty"`
	NextDay   string `json:"next_day,omitempty"`
	Bring     []Item `json:"bring,omitempty"`
	Forbidden []Item `json:"forbidden,omitempty"`
}

// VenueRoom is a room of the venue with its name list for an exam.
type VenueRoom struct {
	Name       string `json:"name"`
	Floor      int    `json:"floor"`
	Candidates int    `json:"candidates"`
	Link       string `json:"link"`
}

// VenueExam is an exam held at the caller's venue.
type VenueExam struct {
	Exam       string      `json:"exam"`
	Name       string      `json:"name"`
	Session    int         `json:"session"`
	Date       string      `json:"date"`
	Start      string      `json:"start"`
	Candidates int         `json:"candidates"`
	Rooms      []VenueRoom `json:"rooms"`
	// DrawID is the draw of the exam that covers the venue (0: none yet);
	// Staff those drawn to the venue once drawn.
	DrawID    int64       `json:"draw_id,omitempty"`
	Drawn     bool        `json:"drawn"`
	Staff     []draw.Line `json:"staff,omitempty"`
	Materials string      `json:"materials,omitempty"` // the consignment's page
}

// Venue is the venue of a venue's staff with its exams.
type Venue struct {
	Code    string      `json:"code"`
	Name    string      `json:"name"`
	City    string      `json:"city"`
	Address string      `json:"address"`
	Exams   []VenueExam `json:"exams"`
}

// Dashboard is what the caller's dashboard shows.
type Dashboard struct {
	Steps    []Step   `json:"steps"`
	Student  *Student `json:"student,omitempty"`
	Venue    *Venue   `json:"venue,omitempty"`
	Calendar []Dated  `json:"calendar"`
	Today    string   `json:"today"` // YYYY-MM-DD in Tirana
}

// For computes the caller's dashboard at the service's clock. Without an
// active year it is empty. Every read goes through the owners' services
// in the caller's scope, or through their published reads for the
// caller's own school, unit or venue.
func (s *Service) For(ctx context.Context, p *auth.Principal) (Dashboard, error) {
	now := s.clock.Now()
	d := Dashboard{Today: now.In(clock.Tirana).Format("2006-01-02"), Steps: []Step{}}
	if p == nil {
		return d, auth.Require(p)
	}
	y, err := s.years.Active(ctx)
	if apperr.Is(err, apperr.NotFound) {
		return d, nil
	}
	if err != nil {
		return d, err
	}
	d.Calendar = Calendar(y.Config)
	b := &builder{s: s, p: p, y: y, now: now}
	switch p.Role {
	case auth.RoleStudent:
		err = b.student(ctx, &d)
	case auth.RoleKSHMSH:
		err = b.school(ctx, &d)
	case auth.RoleKMSH:
		err = b.region(ctx, &d)
	case auth.RoleAVA:
		err = b.national(ctx, &d)
	case auth.RolePAP, auth.RoleAP, auth.RoleAS:
		err = b.venue(ctx, &d)
	case auth.RoleMarker:
		b.marker(ctx, &d)
	}
	if err != nil {
		return d, err
	}
	d.Steps = b.steps
	return d, nil
}

// builder gathers the steps of one dashboard.
type builder struct {
	s     *Service
	p     *auth.Principal
	y     *examyear.Year
	now   time.Time
	steps []Step
}

func (b *builder) add(st Step) { b.steps = append(b.steps, st) }

// deadline adds a step of the calendar that ends on the deadline key
// unless done or past: "deri më 30.06.2027, edhe 23 ditë". after: the step
// opens on the deadline's date (it follows it) and stays two weeks.
func (b *builder) deadline(key, text, link string, done, after bool) {
	if done {
		return
	}
	dl, ok := b.y.Config.Deadline(key)
	if !ok {
		return
	}
	days, ok := daysLeft(b.now, dl.Date)
	if !ok {
		return
	}
	st := Step{Text: text, Link: link, Article: dl.Article}
	switch {
	case after && days > 0:
		st.When = "pas " + albanian.DateString(dl.Date)
	case after && days >= -14:
		st.When, st.Soon = "tani", true
	case after:
		return
	case days < 0:
		return
	case dl.From != "" && dl.From > b.now.In(clock.Tirana).Format("2006-01-02"):
		st.When = fmt.Sprintf("%s–%s", albanian.DateString(dl.From), albanian.DateString(dl.Date))
	case days == 0:
		st.When, st.Soon = "sot është dita e fundit", true
	default:
		st.When = fmt.Sprintf("deri më %s, edhe %s", albanian.DateString(dl.Date), albanian.Count(days, "ditë", "ditë"))
		st.Soon = days <= 1
	}
	b.add(st)
}

// ---- student ----

func (b *builder) student(ctx context.Context, d *Dashboard) error {
	cfg := b.y.Config
	st := &Student{Exams: []Exam{}}
	d.Student = st
	app, _, a2Filed, err := b.s.apps.ForStudentA2(ctx, b.p, b.p.StudentID)
	hasApp := err == nil
	switch {
	case apperr.Is(err, apperr.NotFound):
		// No form yet: the A1 is the step (Neni 22 ¶1).
		b.deadline(examyear.KeyA1, "Plotësoni dhe dorëzoni formularin A1 (A1z për kandidatët me dëftesë pjekurie): lëndët me zgjedhje", "/formulari", false, false)
	case err != nil:
		return err
	default:
		st.Failing = app.Failing
		b.deadline(examyear.KeyA1, "Dorëzoni formularin A1 që keni nisur (është ruajtur, pa u dorëzuar)", "/formulari", app.Status != application.Draft, false)
	}
	// Neni 35–36: a failing student is off this year's lists; nothing
	// of the first session is due (no venue, no A2 this year). Once the
	// second session's plan seats them (Neni 58), its exams show below.
	if hasApp && !st.Failing {
		b.deadline(examyear.KeyA2, "Plotësoni formularin A2 (programet e studimit) me mandat-arkëtimin e tarifës", "/formulari/a2", a2Filed, false)
	}
	seats, err := b.s.venues.StudentSeats(ctx, b.p, b.p.StudentID)
	if err != nil {
		return err
	}
	// The exams of the form, and any the plan seats the student for (a
	// form entered on paper is the school's).
	var exams []string
	if hasApp && !st.Failing {
		exams = append(append(exams, app.Mandatory...), app.Electives...)
	}
	for _, seat := range seats {
		if seat.Session == 1 && !st.Failing && !slices.Contains(exams, seat.Exam) {
			exams = append(exams, seat.Exam)
		}
	}
	for _, code := range exams {
		day, ok := cfg.ExamDayOf(code, 1)
		if !ok {
			continue
		}
		e := Exam{Exam: code, Name: subjectName(cfg, code), Session: 1, Date: day.Date, Start: day.Start}
		if start, _, ok := day.Span(); ok {
			e.start, e.ArriveBy = start, ArriveBy(start).Format("15:04")
		}
		for _, seat := range seats {
			if seat.Exam == code && seat.Session == 1 {
				e.Assigned, e.Venue, e.City, e.Address, e.Room, e.Floor = true, seat.VenueName, seat.City, seat.Address, seat.Room, seat.Floor
			}
		}
		st.Exams = append(st.Exams, e)
	}
	// Neni 58: the exams of the second session the plan seats the student
	// for (a retaker of a mandatory exam, or a failing student who passed
	// the autumn school session), with their venue and room.
	for _, seat := range seats {
		if seat.Session != 2 {
			continue
		}
		day, ok := cfg.ExamDayOf(seat.Exam, 2)
		if !ok {
			continue
		}
		e := Exam{Exam: seat.Exam, Name: subjectName(cfg, seat.Exam), Session: 2, Date: day.Date, Start: day.Start,
			Assigned: true, Venue: seat.VenueName, City: seat.City, Address: seat.Address, Room: seat.Room, Floor: seat.Floor}
		if start, _, ok := day.Span(); ok {
			e.start, e.ArriveBy = start, ArriveBy(start).Format("15:04")
		}
		st.Exams = append(st.Exams, e)
	}
	sortExams(st.Exams)
	for i := range st.Exams {
		e := &st.Exams[i]
		if e.start.IsZero() || !e.start.Add(time.Duration(examLength(cfg, e.Exam, e.Session))*time.Minute).After(b.now) {
			continue
		}
		if w := DayWord(b.now, e.start); w == "sot" || w == "nesër" {
			st.Next, st.NextDay, st.Bring, st.Forbidden = e, w, Bring, Forbidden
			text := fmt.Sprintf("%s %s: %s", capital(w), e.Exam, e.Name)
			if e.Assigned {
				text += fmt.Sprintf(" — paraqituni deri në orën %s te %s, %s", e.ArriveBy, e.Venue, e.Room)
			} else {
				text += " — qendra e provimit nuk është caktuar ende; pyesni shkollën"
			}
			b.add(Step{Text: text, Link: "/qendra-ime", When: At(b.now, e.start), Article: "Neni 52.1", Soon: true})
		}
		break
	}
	return nil
}

func capital(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if r[0] >= 'a' && r[0] <= 'z' {
		r[0] -= 'a' - 'A'
	}
	return string(r)
}

func subjectName(cfg examyear.Config, code string) string {
	if sub, ok := cfg.Subject(code); ok {
		return sub.Name
	}
	for _, s := range cfg.Subjects {
		if s.Kind == code {
			return s.Name
		}
	}
	return code
}

func examLength(cfg examyear.Config, code string, session int) int {
	if day, ok := cfg.ExamDayOf(code, session); ok {
		return day.Length()
	}
	return examyear.DefaultMinutes
}

func sortExams(list []Exam) {
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && list[j].Date+list[j].Start < list[j-1].Date+list[j-1].Start; j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
}

// StudentExams is the exams of the session the caller (a student) sits,
// assigned or not: what "Qendra ime" lists.
func (s *Service) StudentExams(ctx context.Context, p *auth.Principal) (*Student, error) {
	d, err := s.For(ctx, p)
	if err != nil {
		return nil, err
	}
	if d.Student == nil {
		return &Student{Exams: []Exam{}}, nil
	}
	return d.Student, nil
}

// ---- the exam-day preparation shared by the commissions ----

// examSoon is the next exam of session 1 when it is at most a week away
// (the commissions' steps for the exam days), with its start.
func (b *builder) examSoon() (examyear.ExamDay, time.Time, bool) {
	e, start, ok := NextExam(b.y.Config, b.now)
	if !ok || start.Sub(b.now) > 7*24*time.Hour {
		return e, start, false
	}
	return e, start, true
}

// drawSteps: the regional commission publishes the draw's commitment,
// then draws at the set hour (Neni 10.9, 47.5–47.7).
func (b *builder) drawSteps(ctx context.Context, e examyear.ExamDay, start time.Time) error {
	list, err := b.s.draws.List(ctx, b.p)
	if err != nil {
		return err
	}
	var cur *draw.Summary
	for i := range list {
		x := &list[i]
		if x.Unit == b.p.Unit && x.Exam == e.Code && x.Session == e.Session && x.SupersededBy == 0 {
			cur = x
			break
		}
	}
	at := DrawAt(b.y.Config, start)
	q := url.Values{"provimi": {e.Code}}.Encode()
	switch {
	case cur == nil:
		b.add(Step{Text: fmt.Sprintf("Publikoni angazhimin e shortit të personelit për %s (listat emërore dhe nevojat e qendrave)", e.Code),
			Link: "/shorti?" + q, When: Around(b.now, at, "para"), Article: "Neni 47.3–47.5", Soon: true})
		fallthrough
	case cur.Status == draw.StatusCommitted:
		link := "/shorti?" + q
		if cur != nil {
			link = "/shorti/" + strconv.FormatInt(cur.ID, 10)
		}
		b.add(Step{Text: fmt.Sprintf("Hidhni shortin e personelit për %s me entropinë e të pranishmëve", e.Code),
			Link: link, When: At(b.now, at), Article: "Neni 10.9, 47.5", Soon: true})
	}
	return nil
}

// custodySteps: the hand-overs of exam materials waiting for the caller's
// role, the earliest due first (Neni 42–46).
func (b *builder) custodySteps(ctx context.Context, e examyear.ExamDay, f custody.Filter) error {
	if !custody.MayView(b.p) {
		return nil
	}
	f.Exam, f.Session = e.Code, e.Session
	list, err := b.s.custody.Board(ctx, b.p, f)
	if err != nil {
		return err
	}
	waiting, late := 0, 0
	var first *custody.Consignment
	for i := range list {
		c := &list[i]
		if c.Next == nil || !custody.MayRecord(b.p, c.Next) {
			continue
		}
		waiting++
		if c.Missing {
			late++
		}
		if first == nil || c.NextDue < first.NextDue {
			first = c
		}
	}
	if first == nil {
		return nil
	}
	link := "/materialet?" + url.Values{"provimi": {e.Code}}.Encode()
	text := fmt.Sprintf("Materialet e %s: %s", e.Code, first.Next.Name)
	if waiting == 1 {
		link = "/materialet/" + url.PathEscape(first.VenueCode) + "/" + url.PathEscape(first.Exam)
		text += " — " + first.VenueName
	} else {
		text += fmt.Sprintf(" — %s", albanian.Count(waiting, "qendër", "qendra"))
	}
	if late > 0 {
		text += fmt.Sprintf(" (%s me vonesë)", albanian.Int(late))
	}
	st := Step{Text: text, Link: link, Article: first.Next.Article, Soon: true}
	if due, err := time.Parse(time.RFC3339, first.NextDue); err == nil {
		st.When = At(b.now, due)
	}
	b.add(st)
	return nil
}

// ---- school commission ----
