package application

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/scope"
	"provim/internal/store"
)

const objectType = "application"

// Service runs the application phase of the active exam year.
type Service struct {
	db    *store.DB
	years *examyear.Service
	reg   *registry.Service
	// followers re-derive, in the same transaction, what is derived from
	// the final lists (the venues' seats): see OnFinalLists.
	followers []func(ctx context.Context, who audit.Actor, year int) (int, error)
}

// OnFinalLists registers f to run inside the transaction that rebuilds
// the final lists, after them: what is derived from the lists (seats,
// room lists) follows them or the rebuild fails whole (Neni 48.3, 52.6).
// wire.New registers the venues' FollowFinalLists; package application
// cannot import venue, which reads the lists.
func (s *Service) OnFinalLists(f func(ctx context.Context, who audit.Actor, year int) (int, error)) {
	s.followers = append(s.followers, f)
}

// NewService returns the service over db; the exam years and the registry
// are the services it reads through.
func NewService(db *store.DB, years *examyear.Service, reg *registry.Service) *Service {
	return &Service{db: db, years: years, reg: reg}
}

// Now is the service's clock (documents print the date the service
// stands on).
func (s *Service) Now() time.Time { return s.db.Clock.Now() }

// year is the exam year the applications belong to: the active one.
func (s *Service) year(ctx context.Context) (*examyear.Year, error) {
	return s.years.Active(ctx)
}

// ---- reading ----

// appCols and appFrom read applications with their students: the join and
// the student's columns are the registry's.
var (
	appCols = `a.id, a.year, a.student_id, a.form, a.category, a.mandatory, a.electives, a.status, a.source,
	a.documents, a.resit_receipt, COALESCE(a.reg_no, ''), a.failing, COALESCE(a.submitted_at, ''), COALESCE(a.confirmed_at, ''),
	COALESCE(a.verified_at, ''), COALESCE(a.registered_at, ''), a.updated_at,
	COALESCE(a.handed_in, ''), a.late, COALESCE(a.graduation_year, 0), ` + registry.StudentColumns
	appFrom = ` FROM applications a` + registry.StudentJoin("a.student_id") + registry.SchoolJoin(registry.StudentSchoolCol)
)

func scanApp(row store.Scanner) (Application, error) {
	var a Application
	var mandatory, electives, docs string
	var st registry.Listed
	err := row.Scan(append([]any{&a.ID, &a.Year, &a.StudentID, &a.Form, &a.Category, &mandatory, &electives, &a.Status, &a.Source,
		&docs, &a.ResitReceipt, &a.RegNo, &a.Failing, &a.SubmittedAt, &a.ConfirmedAt, &a.VerifiedAt, &a.RegisteredAt, &a.UpdatedAt,
		&a.HandedIn, &a.Late, &a.GraduationYear},
		st.Dest()...)...)
	a.Mandatory, a.Electives, a.Documents = split(mandatory), split(electives), split(docs)
	a.PersonalNo, a.FullName, a.BirthDate, a.ClassName = st.PersonalNo, st.FullName(), st.BirthDate, st.ClassName
	a.SchoolCode, a.SchoolName, a.UnitCode, a.AverageGrade = st.SchoolCode, st.SchoolName, st.UnitCode, st.AverageGrade
	return a, err
}

func split(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

func join(list []string) string { return strings.Join(list, ",") }

// Filter selects applications.
type Filter struct {
	School, Unit, Status, Category, Q string
	// RegNo finds the form with this registration number, checked with
	// its check digit first (CheckRegNo).
	RegNo   string
	Failing bool
	Page    registry.Page
}

// List returns the applications of the active year in the caller's scope,
// in Albanian alphabetical order, and how many match in all.
func (s *Service) List(ctx context.Context, p *auth.Principal, f Filter) ([]Application, int, error) {
	y, err := s.year(ctx)
	if err != nil {
		return nil, 0, err
	}
	var q store.Query
	if err := registry.ScopeStudents(p, &q); err != nil {
		return nil, 0, err
	}
	q.Add("a.year = ?", y.Year)
	if f.School != "" {
		q.Add(registry.StudentSchoolCol+" = ?", f.School)
	}
	if f.Unit != "" {
		scope.UnitsUnder(&q, registry.StudentUnitCol, f.Unit)
	}
	if f.Status != "" {
		q.Add("a.status = ?", f.Status)
	}
	if f.Category != "" {
		q.Add("a.category = ?", f.Category)
	}
	if f.Failing {
		q.Add("a.failing")
	}
	if f.RegNo != "" {
		if err := CheckRegNo(f.RegNo); err != nil {
			return nil, 0, err
		}
		q.Add("a.reg_no = ?", strings.TrimSpace(f.RegNo))
	}
	// A word of nine digits is a registration number: a mistyped one is
	// refused, not searched for.
	for _, t := range strings.Fields(f.Q) {
		if looksLikeRegNo(t) {
			if err := CheckRegNo(t); err != nil {
				return nil, 0, err
			}
		}
	}
	// Every word must match a name, the personal number or the
	// registration number, ignoring case and ë/ç on both engines
	// ("caushi" finds "Çaushi": the registry's search, issue 11 B).
	registry.StudentSearch(&q, f.Q, "a.reg_no")
	var total int
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*)`+appFrom+q.Where(), q.Args()...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("application: count: %w", err)
	}
	limit := f.Page.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	sqlText := `SELECT ` + appCols + appFrom + q.Where() + ` ORDER BY ` + registry.StudentOrder + ` LIMIT ` + q.Arg(limit) + ` OFFSET ` + q.Arg(max(f.Page.Offset, 0))
	list, err := s.queryApps(ctx, sqlText, q.Args()...)
	return list, total, err
}

// queryApps lists the applications a query returns, inside the
// transaction ctx carries if any.
func (s *Service) queryApps(ctx context.Context, sqlText string, args ...any) ([]Application, error) {
	out, err := store.Select(ctx, s.db.Q(ctx), scanApp, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("application: list: %w", err)
	}
	return out, nil
}

// Get returns one application in the caller's scope.
func (s *Service) Get(ctx context.Context, p *auth.Principal, id int64) (Application, error) {
	var q store.Query
	if err := registry.ScopeStudents(p, &q); err != nil {
		return Application{}, err
	}
	q.Add("a.id = ?", id)
	return s.getWhere(ctx, q, "Formulari", strconv.FormatInt(id, 10))
}

// ForStudent returns the student's application of the active year.
func (s *Service) ForStudent(ctx context.Context, p *auth.Principal, studentID int64) (Application, error) {
	y, err := s.year(ctx)
	if err != nil {
		return Application{}, err
	}
	var q store.Query
	if err := registry.ScopeStudents(p, &q); err != nil {
		return Application{}, err
	}
	q.Add("a.student_id = ?", studentID)
	q.Add("a.year = ?", y.Year)
	return s.getWhere(ctx, q, "Formulari i nxënësit", strconv.FormatInt(studentID, 10))
}

func (s *Service) getWhere(ctx context.Context, q store.Query, what, id string) (Application, error) {
	a, err := scanApp(s.db.Q(ctx).QueryRowContext(ctx, `SELECT `+appCols+appFrom+q.Where(), q.Args()...))
	if errors.Is(err, sql.ErrNoRows) {
		return Application{}, apperr.New(apperr.NotFound, "%s «%s» nuk u gjet.", what, id)
	}
	if err != nil {
		return Application{}, fmt.Errorf("application: get: %w", err)
	}
	return a, nil
}

// History returns the status changes of an application in the caller's
// scope, oldest first.
func (s *Service) History(ctx context.Context, p *auth.Principal, id int64) ([]Event, error) {
	if _, err := s.Get(ctx, p, id); err != nil {
		return nil, err
	}
	return s.history(ctx, p, id)
}

// ForStudentHistory is ForStudent with the form's history (History),
// the form read once: the student's own form page shows both.
func (s *Service) ForStudentHistory(ctx context.Context, p *auth.Principal, studentID int64) (Application, []Event, error) {
	a, err := s.ForStudent(ctx, p, studentID)
	if err != nil {
		return a, nil, err
	}
	events, err := s.history(ctx, p, a.ID)
	return a, events, err
}

// history reads the status changes of the application id, which the
// caller was allowed to read.
func (s *Service) history(ctx context.Context, p *auth.Principal, id int64) ([]Event, error) {
	out, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (Event, error) {
		var e Event
		if err := r.Scan(&e.At, &e.Actor, &e.Role, &e.Status, &e.Note); err != nil {
			return e, err
		}
		// A student sees which body acted, not the commission members'
		// usernames (personal data of staff, Neni 63).
		if p.Role == auth.RoleStudent && e.Role != string(auth.RoleStudent) {
			e.Actor = auth.Role(e.Role).Label()
		}
		return e, nil
	}, `SELECT at, actor, role, status, note FROM application_history WHERE application_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("application: history: %w", err)
	}
	return out, nil
}

// ---- deadlines ----

// level orders the roles of the application chain: the student, the
// school commission, the regional commission, AVA.
func level(r auth.Role) int {
	switch r {
	case auth.RoleStudent:
		return 1
	case auth.RoleKSHMSH:
		return 2
	case auth.RoleKMSH:
		return 3
	case auth.RoleAVA:
		return 4
	}
	return 0
}

// checkDeadline enforces a step of the year's calendar (Neni 20–22, 32–35)
// whose owner is the role that must do it by then. Past the deadline the
// owner is refused with a message naming the deadline and its date; only a
// higher level (AVA for its own steps) may still act, and only with a
// reason, which the caller records. late reports that case.
func checkDeadline(cfg examyear.Config, key string, owner auth.Role, p *auth.Principal, reason string, now time.Time) (late bool, err error) {
	err = cfg.CheckDeadline(key, now)
	if err == nil {
		return false, nil
	}
	if !apperr.Is(err, apperr.Invalid) {
		return false, err
	}
	if !LateAllowed(p, owner) {
		return false, err
	}
	if strings.TrimSpace(reason) == "" {
		return false, apperr.New(apperr.Invalid, "%s Si nivel më i lartë mund ta pranoni me vonesë vetëm duke shënuar arsyen.", apperr.MessageOf(err))
	}
	return true, nil
}

// checkPeriodOpen refuses a step before the first day of its own period
// (the From of its deadline), e.g. confirming forms for table T before
// 11 March, while students may still change them (Neni 22 ¶1–2).
func checkPeriodOpen(cfg examyear.Config, key string, now time.Time) error {
	d, ok := cfg.Deadline(key)
	if !ok || d.From == "" {
		return nil
	}
	first, err := time.ParseInLocation("2006-01-02", d.From, examyear.Tirana)
	if err != nil || !now.Before(first) {
		return nil
	}
	return apperr.New(apperr.Invalid, "«%s» fillon më %s.", d.Name, first.Format("02.01.2006"))
}

// checkOpens refuses a step before the first day of its period (e.g.
// failing students are reported only once the school year has ended).
func checkOpens(cfg examyear.Config, key, dateKey string, now time.Time) error {
	d, ok := cfg.Deadline(dateKey)
	if !ok {
		return nil
	}
	first, err := time.ParseInLocation("2006-01-02", d.Date, examyear.Tirana)
	if err != nil {
		return nil
	}
	if now.Before(first) {
		step, _ := cfg.Deadline(key)
		return apperr.New(apperr.Invalid, "«%s» hapet pas «%s» (%s).", step.Name, d.Name, first.Format("02.01.2006"))
	}
	return nil
}

// ---- writing ----

// change is one write of applications inside a transaction: it records
// the history events and the audit entries together with the change, all
// stamped with the transaction's one moment, and keeps the statements it
// prepares for the length of the transaction.
type change struct {
	s     *Service
	p     *auth.Principal
	now   time.Time // the moment of the change (store.DB.Now)
	at    string    // the same, as stored
	stmts map[string]*sql.Stmt
}

// inTx runs fn in a transaction (or in the one ctx carries already): fn
// gets the context that carries it, and every query and audit entry of fn
// must use that context.
func (s *Service) inTx(ctx context.Context, p *auth.Principal, fn func(ctx context.Context, c *change) error) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		now := s.db.Now(ctx)
		c := &change{s: s, p: p, now: now, at: clock.Stored(now), stmts: map[string]*sql.Stmt{}}
		defer func() {
			for _, st := range c.stmts {
				st.Close()
			}
		}()
		return fn(ctx, c)
	})
}

// q is where the change's queries run: the transaction ctx carries.
func (c *change) q(ctx context.Context) store.Querier { return c.s.db.Q(ctx) }

// exec runs a write, preparing each statement once per transaction: batch
// steps (confirming a school, numbering a country) repeat a few statements
// thousands of times.
func (c *change) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := c.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (c *change) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := c.stmts[query]; ok {
		return st, nil
	}
	st, err := c.q(ctx).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = st
	return st, nil
}

// event records a status event and the audit entry of one application.
func (c *change) event(ctx context.Context, action string, before, after *Application, note string) error {
	status := after.Status
	if _, err := c.exec(ctx, `INSERT INTO application_history (application_id, at, actor, role, status, note) VALUES ($1, $2, $3, $4, $5, $6)`,
		after.ID, c.at, c.p.Actor().Name, c.p.Actor().Role, status, note); err != nil {
		return fmt.Errorf("application: history: %w", err)
	}
	var b any
	if before != nil {
		b = auditView(before)
	}
	a := auditView(after)
	if note != "" {
		a["note"] = note
	}
	return audit.Add(ctx, c.p.Actor(), action, objectType, strconv.FormatInt(after.ID, 10), b, a)
}

// auditView is what the audit log keeps of an application.
func auditView(a *Application) map[string]any {
	return map[string]any{"year": a.Year, "student_id": a.StudentID, "form": a.Form, "category": a.Category,
		"mandatory": a.Mandatory, "electives": a.Electives, "status": a.Status, "source": a.Source,
		"documents": a.Documents, "reg_no": a.RegNo, "failing": a.Failing, "handed_in": a.HandedIn, "late": a.Late,
		"graduation_year": a.GraduationYear}
}

func (c *change) get(ctx context.Context, id int64) (Application, error) {
	var q store.Query
	if err := registry.ScopeStudents(c.p, &q); err != nil {
		return Application{}, err
	}
	q.Add("a.id = ?", id)
	return c.s.getWhere(ctx, q, "Formulari", strconv.FormatInt(id, 10))
}
