package marking

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/examyear"
)

// The final test of an exam and its marking scheme (Neni 19.2, 19.6,
// 57.2–57.5, 59.2): AVA's subject test group defines it, sees it and
// settles it; before the exam starts nobody else sees its items; after
// the exam AVA publishes the scheme for everyone.

// TestInput is a test as AVA defines it: its title and its items in
// order (their No is given by the order).
type TestInput struct {
	Exam  string `json:"exam,omitempty"` // a file may name its exam; it must be the one imported into
	Title string `json:"title"`
	Items []Item `json:"items"`
}

// GroupMember is an AVA account of an exam's test group (Neni 19.2).
type GroupMember struct {
	Username string `json:"username"`
	FullName string `json:"full_name"`
	AddedBy  string `json:"added_by"`
	AddedAt  string `json:"added_at"`
}

// Test is an exam's test as the caller may see it. Items are filled only
// when Visible: for the test group, for every AVA account once the exam
// has started, for the marking roles of the exam after its start, and for
// everyone once the scheme is published.
type Test struct {
	Year        int    `json:"year"`
	Exam        string `json:"exam"`
	ExamName    string `json:"exam_name"`
	Defined     bool   `json:"defined"`
	Title       string `json:"title"`
	Items       []Item `json:"items"`
	ItemCount   int    `json:"item_count"`
	MaxPoints   int    `json:"max_points"` // the subject's points (the items' sum once defined)
	Settled     bool   `json:"settled"`
	SettledAt   string `json:"settled_at,omitempty"`
	SettledBy   string `json:"settled_by,omitempty"` // a person's name
	Published   bool   `json:"published"`
	PublishedAt string `json:"published_at,omitempty"`
	PublishedBy string `json:"published_by,omitempty"`
	UpdatedAt   string `json:"updated_at,omitempty"`
	UpdatedBy   string `json:"updated_by,omitempty"`
	Visible     bool   `json:"visible"`
	Sitting     string `json:"sitting"` // when the exam is sat, "08.06.2009 ora 10:00"
	Started     bool   `json:"started"`
	Ended       bool   `json:"ended"`
	InGroup     bool   `json:"in_group"`
	// Group is the test group, shown to AVA only.
	Group []GroupMember `json:"group,omitempty"`
}

// testRow is the stored row of marking_tests.
type testRow struct {
	title, settledAt, settledBy, publishedAt, publishedBy, updatedAt, updatedBy string
}

func testKey(year int, exam string) string { return fmt.Sprintf("%d-%s", year, exam) }

// testRowOf reads an exam's test; ok is false while none is defined.
func (s *Service) testRowOf(ctx context.Context, year int, exam string) (testRow, bool, error) {
	var t testRow
	err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT title, settled_at, settled_by, published_at, published_by, updated_at, updated_by
		FROM marking_tests WHERE year = $1 AND exam = $2`, year, exam).
		Scan(&t.title, &t.settledAt, &t.settledBy, &t.publishedAt, &t.publishedBy, &t.updatedAt, &t.updatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return testRow{}, false, nil
	}
	if err != nil {
		return testRow{}, false, fmt.Errorf("marking: test %s: %w", exam, err)
	}
	return t, true, nil
}

// group lists an exam's test group in the order its members were added.
func (s *Service) testGroup(ctx context.Context, year int, exam string) ([]GroupMember, error) {
	rows, err := s.db.Q(ctx).QueryContext(ctx, `SELECT username, added_by, added_at FROM marking_testgroup
		WHERE year = $1 AND exam = $2 ORDER BY added_at, username`, year, exam)
	if err != nil {
		return nil, fmt.Errorf("marking: test group: %w", err)
	}
	defer rows.Close()
	var out []GroupMember
	for rows.Next() {
		var m GroupMember
		if err := rows.Scan(&m.Username, &m.AddedBy, &m.AddedAt); err != nil {
			return nil, fmt.Errorf("marking: test group: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("marking: test group: %w", err)
	}
	return out, nil
}

func inTestGroup(g []GroupMember, username string) bool {
	return slices.ContainsFunc(g, func(m GroupMember) bool { return m.Username == username })
}

// sitting tells whether exam has started and ended at now (Neni 59.2:
// classified until it starts; Neni 57.5: the scheme is published after it
// ends). An exam the year does not schedule has not started.
func sittingOf(y *examyear.Year, key string, now time.Time) (label string, started, ended bool) {
	exam, session := examyear.SplitTest(key)
	start, end, ok := y.Config.Sitting(exam, session)
	if !ok {
		return "", false, false
	}
	return y.Config.SittingLabel(exam, session), !now.Before(start), !now.Before(end)
}

// testCtx is what every use of a test reads first.
type testCtx struct {
	y       *examyear.Year
	ex      Exam
	row     testRow
	defined bool
	members []GroupMember
	label   string
	started bool
	ended   bool
}

func (s *Service) testCtxOf(ctx context.Context, year int, exam string) (testCtx, error) {
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return testCtx{}, err
	}
	ex, err := examOf(y, exam)
	if err != nil {
		return testCtx{}, err
	}
	c := testCtx{y: y, ex: ex}
	if c.row, c.defined, err = s.testRowOf(ctx, y.Year, ex.Code); err != nil {
		return testCtx{}, err
	}
	if c.members, err = s.testGroup(ctx, y.Year, ex.Code); err != nil {
		return testCtx{}, err
	}
	c.label, c.started, c.ended = sittingOf(y, ex.Code, s.db.Now(ctx))
	return c, nil
}

// classified is the refusal of the test before the exam starts, saying
// nothing of it.
func testClassified(exam string) error {
	return apperr.New(apperr.Forbidden, "Testi dhe skema e vlerësimit të provimit %s janë material i klasifikuar deri në fillimin e provimit: i shohin vetëm grupi lëndor i testit në AVA (Neni 59.2).", exam)
}

// visibleTo decides what p sees of the test: nothing (an error), its
// existence only (false), or its items (true).
func (s *Service) visibleTo(ctx context.Context, p *auth.Principal, c testCtx) (bool, error) {
	if p == nil {
		return false, auth.Require(p)
	}
	if MayManage(p) {
		return inTestGroup(c.members, p.Username) || c.started || c.row.publishedAt != "", nil
	}
	if !MayOpenMarking(p) {
		return false, auth.Require(p)
	}
	if c.row.publishedAt != "" {
		return true, nil
	}
	if !c.started {
		return false, testClassified(c.ex.Code)
	}
	switch {
	case MayMark(p):
		if _, err := s.markerOf(ctx, p, c.y.Year, c.ex.Code); err != nil {
			return false, err
		}
	case MayMonitor(p):
		if NormExam(p.Subject) != c.ex.Code {
			return false, apperr.New(apperr.Forbidden, "Monitoroni provimin %s, jo %s (Neni 57.15).", NormExam(p.Subject), c.ex.Label)
		}
	}
	return true, nil
}

// TestOf returns an exam's test as by may see it (year 0: the active
// year). AVA sees that a test exists, its title, the number of its items,
// its points and whether it is settled; its items only as a member of the
// test group until the exam starts (Neni 59.2). The marking roles see
// nothing before the start; after it the exam's markers and monitors, KOPOTED,
// MASH and the observers see the items.
func (s *Service) TestOf(ctx context.Context, by *auth.Principal, year int, exam string) (Test, error) {
	c, err := s.testCtxOf(ctx, year, exam)
	if err != nil {
		return Test{}, err
	}
	visible, err := s.visibleTo(ctx, by, c)
	if err != nil {
		return Test{}, err
	}
	if !c.defined && !MayManage(by) {
		return Test{}, apperr.New(apperr.NotFound, "Testi i provimit %s nuk është përcaktuar ende.", c.ex.Label)
	}
	t, err := s.testOf(ctx, c, visible)
	if err != nil {
		return Test{}, err
	}
	if MayManage(by) {
		t.InGroup = inTestGroup(c.members, by.Username)
		t.Group = c.members
	}
	return t, s.testNames(ctx, &t)
}

// testOf builds the Test of c, with its items when visible.
func (s *Service) testOf(ctx context.Context, c testCtx, visible bool) (Test, error) {
	t := Test{Year: c.y.Year, Exam: c.ex.Code, ExamName: c.ex.Name, MaxPoints: c.ex.MaxPoints, Defined: c.defined,
		Title: c.row.title, Settled: c.row.settledAt != "", SettledAt: c.row.settledAt, SettledBy: c.row.settledBy,
		Published: c.row.publishedAt != "", PublishedAt: c.row.publishedAt, PublishedBy: c.row.publishedBy,
		UpdatedAt: c.row.updatedAt, UpdatedBy: c.row.updatedBy, Sitting: c.label, Started: c.started, Ended: c.ended, Items: []Item{}}
	if !c.defined {
		return t, nil
	}
	items, err := s.items(ctx, c.y.Year, c.ex.Code)
	if err != nil {
		return Test{}, err
	}
	t.ItemCount = len(items)
	t.MaxPoints = 0
	for _, it := range items {
		t.MaxPoints += it.MaxPoints
	}
	if visible {
		t.Visible, t.Items = true, items
	}
	return t, nil
}

// names writes the names of the people in t in place of their usernames.
func (s *Service) testNames(ctx context.Context, t *Test) error {
	users := []string{t.SettledBy, t.PublishedBy, t.UpdatedBy}
	for _, m := range t.Group {
		users = append(users, m.Username, m.AddedBy)
	}
	known, err := s.auth.FullNames(ctx, slices.DeleteFunc(users, func(u string) bool { return u == "" }))
	if err != nil {
		return err
	}
	name := func(u string) string {
		if k, ok := known[u]; ok && k.FullName != "" {
			return k.FullName
		}
		return u
	}
	t.SettledBy, t.PublishedBy, t.UpdatedBy = name(t.SettledBy), name(t.PublishedBy), name(t.UpdatedBy)
	for i := range t.Group {
		t.Group[i].FullName = name(t.Group[i].Username)
		t.Group[i].AddedBy = name(t.Group[i].AddedBy)
	}
	return nil
}

// mayChange checks that by may change the test of c: an AVA account of
// the test group (any AVA account while there is no test and no group).
func mayChangeTest(by *auth.Principal, c testCtx) error {
	if err := mayManageTests(by); err != nil {
		return err
	}
	if len(c.members) > 0 && !inTestGroup(c.members, by.Username) {
		return apperr.New(apperr.Forbidden, "Testin e provimit %s e ndryshon vetëm grupi lëndor i hartimit të testit; nuk jeni anëtar i tij (Neni 19.2, 19.6).", c.ex.Label)
	}
	return nil
}

func mayManageTests(by *auth.Principal) error {
	if by == nil || !MayManage(by) {
		return auth.Require(by, auth.RoleAVA)
	}
	return nil
}

// markingBegun counts the allocations of an exam: once a booklet is
// given to a marker the test is what they mark by.
func (s *Service) markingBegun(ctx context.Context, year int, exam string) (int, error) {
	var n int
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM marking_allocations WHERE year = $1 AND exam = $2`, year, exam).Scan(&n); err != nil {
		return 0, fmt.Errorf("marking: allocations of %s: %w", exam, err)
	}
	return n, nil
}

// unchangeable refuses a change of a settled test, or of one being marked.
func (s *Service) unchangeable(ctx context.Context, c testCtx) error {
	if c.row.settledAt != "" {
		return apperr.New(apperr.Conflict, "Testi i provimit %s është mbyllur për ndryshime (%s): rihapeni para se ta ndryshoni (Neni 19.6).", c.ex.Label, c.row.settledAt)
	}
	n, err := s.markingBegun(ctx, c.y.Year, c.ex.Code)
	if err != nil {
		return err
	}
	if n > 0 {
		return apperr.New(apperr.Conflict, "Testi i provimit %s nuk ndryshohet më: vlerësimi ka nisur (%d test-broshura të shpërndara), dhe skema është e njëjtë për çdo kandidat (Neni 57.3).", c.ex.Label, n)
	}
	return nil
}

// SaveTest defines or replaces an exam's test as a whole (year 0: the
// active year): every rule is checked first (checkTest) and every error
// named; nothing is written unless all of it is right. The AVA account
// that defines a test first joins its test group.
func (s *Service) SaveTest(ctx context.Context, by *auth.Principal, year int, exam string, in TestInput) (Test, error) {
	return s.saveTest(ctx, by, year, exam, in, testOrigin{})
}

// saveTest is SaveTest with where the items came from and what a reader
// of a file or form already refused (o).
func (s *Service) saveTest(ctx context.Context, by *auth.Principal, year int, exam string, in TestInput, o testOrigin) (Test, error) {
	if err := mayManageTests(by); err != nil {
		return Test{}, err
	}
	var out Test
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		c, err := s.testCtxOf(ctx, year, exam)
		if err != nil {
			return err
		}
		if err := mayChangeTest(by, c); err != nil {
			return err
		}
		if err := s.unchangeable(ctx, c); err != nil {
			return err
		}
		if in.Exam != "" && NormExam(in.Exam) != c.ex.Code {
			o.errs = append([]string{fmt.Sprintf("Skedari është për provimin %s, jo për %s.", schemeQuote(NormExam(in.Exam)), c.ex.Code)}, o.errs...)
		}
		if o.untitled && schemeText(in.Title) == "" {
			in.Title = c.row.title
			if in.Title == "" {
				in.Title = fmt.Sprintf("Testi i provimit %s — %s, %d", c.ex.Label, c.ex.Name, c.y.Year)
			}
		}
		checked, err := checkTest(in, c.ex, o)
		if err != nil {
			return err
		}
		if err := s.writeTest(ctx, by, c, checked); err != nil {
			return err
		}
		c, err = s.testCtxOf(ctx, c.y.Year, c.ex.Code)
		if err != nil {
			return err
		}
		out, err = s.testOf(ctx, c, true)
		out.InGroup, out.Group = true, c.members
		return err
	})
	if err != nil {
		return Test{}, err
	}
	return out, s.testNames(ctx, &out)
}

// writeTest replaces the test of c with in (checked), in the caller's
// transaction.
func (s *Service) writeTest(ctx context.Context, by *auth.Principal, c testCtx, in TestInput) error {
	q, now := s.db.Q(ctx), s.stamp(ctx)
	year, exam := c.y.Year, c.ex.Code
	var before any
	if c.defined {
		items, err := s.items(ctx, year, exam)
		if err != nil {
			return err
		}
		before = testSummary(c.row.title, items)
		if _, err := q.ExecContext(ctx, `DELETE FROM marking_items WHERE year = $1 AND exam = $2`, year, exam); err != nil {
			return fmt.Errorf("marking: replace items: %w", err)
		}
		if _, err := q.ExecContext(ctx, `UPDATE marking_tests SET title = $1, updated_at = $2, updated_by = $3 WHERE year = $4 AND exam = $5`,
			in.Title, now, by.Username, year, exam); err != nil {
			return fmt.Errorf("marking: update test: %w", err)
		}
	} else if _, err := q.ExecContext(ctx, `INSERT INTO marking_tests (year, exam, title, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)`,
		year, exam, in.Title, now, by.Username); err != nil {
		return fmt.Errorf("marking: insert test: %w", err)
	}
	for i, it := range in.Items {
		scheme := ""
		if len(it.Levels) > 0 {
			scheme = encodeLevels(it.Levels)
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO marking_items (year, exam, no, label, kind, max_points, options, answer_key, scheme)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, year, exam, i+1, it.Label, it.Kind, it.MaxPoints, it.Options, it.Key, scheme); err != nil {
			return fmt.Errorf("marking: insert item %d: %w", i+1, err)
		}
	}
	if len(c.members) == 0 {
		if _, err := q.ExecContext(ctx, `INSERT INTO marking_testgroup (year, exam, username, added_by, added_at) VALUES ($1, $2, $3, $4, $5)`,
			year, exam, by.Username, by.Username, now); err != nil {
			return fmt.Errorf("marking: test group: %w", err)
		}
	}
	// The audit entry says what changed in size, never an item or a key:
	// every AVA account reads the log, the test is the group's (Neni 59.2).
	return audit.Add(ctx, by.Actor(), "marking.test", "marking_test", testKey(year, exam), before, testSummary(in.Title, in.Items))
}

func testSummary(title string, items []Item) map[string]any {
	total := 0
	for _, it := range items {
		total += it.MaxPoints
	}
	return map[string]any{"title": title, "items": len(items), "max_points": total}
}

// AddToTestGroup puts another AVA account in an exam's test group
// (Neni 19.2): a member adds. Adding a member again changes nothing.
func (s *Service) AddToTestGroup(ctx context.Context, by *auth.Principal, year int, exam, username string) error {
	return s.changeGroup(ctx, by, year, exam, username, true)
}

// RemoveFromTestGroup takes an account out of the test group; the last
// member stays.
func (s *Service) RemoveFromTestGroup(ctx context.Context, by *auth.Principal, year int, exam, username string) error {
	return s.changeGroup(ctx, by, year, exam, username, false)
}

func (s *Service) changeGroup(ctx context.Context, by *auth.Principal, year int, exam, username string, add bool) error {
	if err := mayManageTests(by); err != nil {
		return err
	}
	username = strings.ToLower(strings.TrimSpace(norm.NFC.String(username)))
	if username == "" || utf8.RuneCountInString(username) > auth.MaxUsername {
		return apperr.New(apperr.Invalid, "Shkruani emrin e përdoruesit të një llogarie të AVA-s.")
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		c, err := s.testCtxOf(ctx, year, exam)
		if err != nil {
			return err
		}
		if len(c.members) == 0 {
			return apperr.New(apperr.Conflict, "Grupi lëndor i testit %s krijohet me testin: llogaria e AVA-s që e përcakton testin bëhet anëtarja e parë e tij (Neni 19.2).", c.ex.Label)
		}
		if err := mayChangeTest(by, c); err != nil {
			return err
		}
		q, key := s.db.Q(ctx), testKey(c.y.Year, c.ex.Code)
		if !add {
			if !inTestGroup(c.members, username) {
				return apperr.New(apperr.NotFound, "«%s» nuk është anëtar i grupit lëndor të testit %s.", username, c.ex.Label)
			}
			if len(c.members) == 1 {
				return apperr.New(apperr.Conflict, "«%s» është anëtari i vetëm i grupit lëndor të testit %s: shtoni një tjetër para se ta hiqni.", username, c.ex.Label)
			}
			if _, err := q.ExecContext(ctx, `DELETE FROM marking_testgroup WHERE year = $1 AND exam = $2 AND username = $3`, c.y.Year, c.ex.Code, username); err != nil {
				return fmt.Errorf("marking: test group: %w", err)
			}
			return audit.Add(ctx, by.Actor(), "marking.test", "marking_test", key, map[string]any{"group_member": username}, nil)
		}
		if inTestGroup(c.members, username) {
			return nil
		}
		users, err := s.auth.FullNames(ctx, []string{username})
		if err != nil {
			return err
		}
		if u, ok := users[username]; !ok || u.Role != auth.RoleAVA || u.Disabled {
			return apperr.New(apperr.Invalid, "«%s» nuk është llogari aktive e AVA-s: në grupin lëndor të testit hyjnë vetëm specialistë të AVA-s (Neni 19.2).", username)
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO marking_testgroup (year, exam, username, added_by, added_at) VALUES ($1, $2, $3, $4, $5)`,
			c.y.Year, c.ex.Code, username, by.Username, s.stamp(ctx)); err != nil {
			return fmt.Errorf("marking: test group: %w", err)
		}
		return audit.Add(ctx, by.Actor(), "marking.test", "marking_test", key, nil, map[string]any{"group_member": username})
	})
}
