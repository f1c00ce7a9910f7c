package results

// The page each candidate is served (issue 15 item 3–4): built when an
// exam is published and again after a re-marking, stored whole in
// results_pages, so the candidate's page is one primary-key read on the
// night of the results. seq grows with every change of any page, so the
// SMIP export reads the changes since a point.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"

	"provim/internal/application"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/store"
)

// Page is a candidate's results page of a year.
type Page struct {
	Year       int        `json:"year"`
	Name       string     `json:"name"`
	RegNo      string     `json:"reg_no"`
	School     string     `json:"school"`
	Exams      []PageExam `json:"exams"`
	Outcome    Outcome    `json:"outcome"`
	Completion Completion `json:"completion"`
	UpdatedAt  string     `json:"updated_at"` // Tirana, as shown
}

// PageExam is one published exam on a candidate's page.
type PageExam struct {
	ExamResult
	Published   string   `json:"published"`    // day and hour, Tirana
	RemarkUntil string   `json:"remark_until"` // last day of a re-marking request (Neni 64)
	History     []Change `json:"history,omitempty"`
}

// Change is one re-marking's change of a result (Neni 64).
type Change struct {
	PointsBefore int    `json:"points_before"`
	GradeBefore  int    `json:"grade_before"`
	PointsAfter  int    `json:"points_after"`
	GradeAfter   int    `json:"grade_after"`
	Reason       string `json:"reason"`
	At           string `json:"at"` // Tirana
}

// pageScanAll: from this many candidates, one pass over the year's rows
// is cheaper than reading by parts.
const pageScanAll = 2000

// rebuildPages builds and stores the pages of the students (inside the
// caller's transaction).
func (s *Service) rebuildPages(ctx context.Context, year int, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return err
	}
	ids = store.Distinct(ids)
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	bulk := len(ids) >= pageScanAll
	results, err := s.publishedOf(ctx, year, ids, bulk)
	if err != nil {
		return err
	}
	history, err := s.historyOf(ctx, year, ids, bulk)
	if err != nil {
		return err
	}
	var only int64
	if len(ids) == 1 {
		only = ids[0]
	}
	prior, err := s.apps.PriorResults(ctx, only)
	if err != nil {
		return err
	}
	listed, err := s.apps.FinalExams(ctx, year, only)
	if err != nil {
		return err
	}
	people, err := s.registry.ListedStudents(ctx, ids)
	if err != nil {
		return err
	}
	regNos, schools, err := s.placesOf(ctx, year, ids)
	if err != nil {
		return err
	}
	names, err := s.schoolNames(ctx, schools)
	if err != nil {
		return err
	}
	next, err := s.lastSeq(ctx)
	if err != nil {
		return err
	}
	now := s.db.Now(ctx)
	rows := make([][]any, 0, len(ids))
	pr := pageRenderer()
	var htmlRows [][]any
	for _, id := range ids {
		rs := results[id]
		for i := range rs {
			if sub, ok := y.Config.Subject(rs[i].Subject); ok {
				rs[i].SubjectName = sub.Name
			}
		}
		o := Decide(year, y.Config.ElectiveCount, rs, prior[id], listed[id])
		c := completionOf(id, year, y.Config, rs, prior[id], o)
		st := people[id]
		p := Page{Year: year, Name: st.FirstName + " (" + st.FatherName + ") " + st.LastName, RegNo: regNos[id],
			School: names[schools[id]], Outcome: o, Completion: c, UpdatedAt: clock.Format(now)}
		for _, r := range rs {
			p.Exams = append(p.Exams, PageExam{ExamResult: r, Published: clock.Format(r.PublishedAt),
				RemarkUntil: clock.Day(RemarkLastDay(y.Config, r.PublishedAt)), History: history[histKey{r.Exam, r.Session, id}]})
		}
		body, err := json.Marshal(p)
		if err != nil {
			return fmt.Errorf("results: page: %w", err)
		}
		if h, err := htmlRow(pr, year, id, body); err != nil {
			return err
		} else if h != nil {
			htmlRows = append(htmlRows, h)
		}
		sum := sha256.Sum256(body)
		next++
		rows = append(rows, []any{year, id, string(body), `"` + hex.EncodeToString(sum[:12]) + `"`, next,
			len(o.Pending), b2i(c.Completed), clock.Stored(now)})
	}
	for _, part := range store.Chunks(ids, 500) {
		if _, err := s.db.Q(ctx).ExecContext(ctx, `DELETE FROM results_pages WHERE year = $1 AND student_id IN (`+store.Placeholders(2, len(part))+`)`,
			append([]any{year}, store.Args(part)...)...); err != nil {
			return fmt.Errorf("results: pages: %w", err)
		}
	}
	if err := store.Insert(ctx, "results_pages", []string{"year", "student_id", "body", "etag", "seq", "pending", "completed", "updated_at"}, rows); err != nil {
		return fmt.Errorf("results: pages: %w", err)
	}
	s.forgetAtCommit(ctx, year, ids)
	return s.replaceHTML(ctx, year, ids, htmlRows)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// publishedOf reads the published results of year of the students, by
// student, in exam order.
func (s *Service) publishedOf(ctx context.Context, year int, ids []int64, bulk bool) (map[int64][]ExamResult, error) {
	out := make(map[int64][]ExamResult, len(ids))
	add := func(list []ExamResult) {
		for _, r := range list {
			out[r.StudentID] = append(out[r.StudentID], r)
		}
	}
	base := `SELECT ` + resultColumns + resultFrom + ` WHERE r.year = $1 AND e.published_at <> ''`
	if bulk {
		list, err := store.Select(ctx, s.db.Q(ctx), scanResult, base+` ORDER BY r.student_id, r.exam, r.session`, year)
		if err != nil {
			return nil, fmt.Errorf("results: published: %w", err)
		}
		add(list)
	}
	for _, part := range store.Chunks(ids, 500) {
		if bulk {
			break
		}
		list, err := store.Select(ctx, s.db.Q(ctx), scanResult, base+` AND r.student_id IN (`+store.Placeholders(2, len(part))+`) ORDER BY r.student_id, r.exam, r.session`,
			append([]any{year}, store.Args(part)...)...)
		if err != nil {
			return nil, fmt.Errorf("results: published: %w", err)
		}
		add(list)
	}
	for id := range out {
		sortExams(out[id])
	}
	return out, nil
}

// sortExams orders D1, D2, then the electives by code.
func sortExams(rs []ExamResult) {
	rank := func(e string) string {
		switch e {
		case examyear.KindD1:
			return "0"
		case examyear.KindD2:
			return "1"
		}
		return "2" + e
	}
	sort.SliceStable(rs, func(i, j int) bool { return rank(rs[i].Exam) < rank(rs[j].Exam) })
}

type histKey struct {
	exam    string
	session int
	student int64
}

func (s *Service) historyOf(ctx context.Context, year int, ids []int64, bulk bool) (map[histKey][]Change, error) {
	type row struct {
		k histKey
		c Change
	}
	scan := func(r store.Scanner) (row, error) {
		var x row
		var at string
		err := r.Scan(&x.k.exam, &x.k.session, &x.k.student, &x.c.PointsBefore, &x.c.GradeBefore, &x.c.PointsAfter, &x.c.GradeAfter, &x.c.Reason, &at)
		x.c.At = clock.Stamp(at)
		return x, err
	}
	base := `SELECT exam, session, student_id, points_before, grade_before, points_after, grade_after, reason, changed_at FROM results_history WHERE year = $1`
	out := map[histKey][]Change{}
	var parts [][]int64
	if bulk {
		parts = [][]int64{nil}
	} else {
		parts = store.Chunks(ids, 500)
	}
	for _, part := range parts {
		q, args := base, []any{year}
		if part != nil {
			q += ` AND student_id IN (` + store.Placeholders(2, len(part)) + `)`
			args = append(args, store.Args(part)...)
		}
		list, err := store.Select(ctx, s.db.Q(ctx), scan, q+` ORDER BY student_id, exam, no`, args...)
		if err != nil {
			return nil, fmt.Errorf("results: history: %w", err)
		}
		for _, x := range list {
			out[x.k] = append(out[x.k], x.c)
		}
	}
	return out, nil
}

// placesOf reads each student's registration number and school as their
// results of year carry them.
func (s *Service) placesOf(ctx context.Context, year int, ids []int64) (map[int64]string, map[int64]string, error) {
	type row struct {
		id            int64
		regNo, school string
	}
	regNos, schools := make(map[int64]string, len(ids)), make(map[int64]string, len(ids))
	for _, part := range store.Chunks(ids, 500) {
		list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (row, error) {
			var x row
			return x, r.Scan(&x.id, &x.regNo, &x.school)
		}, `SELECT student_id, reg_no, school_code FROM results WHERE year = $1 AND student_id IN (`+store.Placeholders(2, len(part))+`)`,
			append([]any{year}, store.Args(part)...)...)
		if err != nil {
			return nil, nil, fmt.Errorf("results: places: %w", err)
		}
		for _, x := range list {
			// A retaker of the second session may have no number of
			// their own there (Neni 58): the first session's counts.
			if x.regNo != "" || regNos[x.id] == "" {
				regNos[x.id] = x.regNo
			}
			schools[x.id] = x.school
		}
	}
	return regNos, schools, nil
}

func (s *Service) schoolNames(ctx context.Context, schools map[int64]string) (map[string]string, error) {
	var codes []string
	for _, c := range schools {
		codes = append(codes, c)
	}
	m, err := s.registry.SchoolsByCode(ctx, store.Distinct(codes))
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(m))
	for c, sc := range m {
		out[c] = sc.Name
	}
	return out, nil
}

var _ = registry.ListedStudent{}
var _ = application.Result{}

// lastSeq is the highest change number of any page, read so that the
// pages this transaction writes get the next ones. The SMIP export reads
// the changes after a cursor (published_smip.go), so the numbers must be
// given in the order the changes commit, or a reader could pass a number
// whose change is still uncommitted and miss it for ever: on PostgreSQL
// the table is locked against other writers (readers go on) until this
// transaction ends; SQLite has one writer at a time already
// (_txlock=immediate).
func (s *Service) lastSeq(ctx context.Context) (int64, error) {
	if s.db.Dialect == store.Postgres {
		if _, err := s.db.Q(ctx).ExecContext(ctx, `LOCK TABLE results_pages IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return 0, fmt.Errorf("results: page seq lock: %w", err)
		}
	}
	var last int64
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM results_pages`).Scan(&last); err != nil {
		return 0, fmt.Errorf("results: page seq: %w", err)
	}
	return last, nil
}
