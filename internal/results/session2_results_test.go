package results_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"provim/internal/apperr"
	"provim/internal/certificate"
	"provim/internal/examyear"
	"provim/internal/results"
)

// The second session's tests (Neni 16 ¶2, 58): D1 of the second session
// is the test "D1-2", with its own booklets, codes, close and link; its
// results are stored as exam D1 with session 2.

// retake puts the student on the KMSH's sent list of the second session
// for exam (what Session2Candidates reads, Neni 58 ¶1).
func (w *world) retake(t testing.TB, exam string, id int64, unit, school string) {
	t.Helper()
	run(t, w.db, `INSERT INTO results_session2 (year, exam, student_id, unit_code, school_code, reason) VALUES ($1, $2, $3, $4, $5, 'Neni 16, 58')`,
		year, exam, id, unit, school)
}

// sit2 is sit for a test of the second session (key "D1-2"): with
// points ≥ 0 a booklet of theirs was marked final, with -1 none.
func (w *world) sit2(t testing.TB, key string, id int64, points int) {
	t.Helper()
	if points < 0 {
		return
	}
	code := strings.ReplaceAll(key, "-", "S") + strings.Repeat("0", 6-len(itoa(id))) + itoa(id)
	run(t, w.db, `INSERT INTO marking_booklets (year, exam, code, seeded, schools, state, final_points, final_round, registered_at) VALUES ($1, $2, $3, 0, '', 'final', $4, 0, '2009-10-06T08:00:00Z')`,
		year, key, code, points)
	run(t, w.db, `INSERT INTO anonym_opened (year, exam, code, student_id) VALUES ($1, $2, $3, $4)`, year, key, code, id)
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// s2World: after the first session, fail failed D1 (11 of 60 → 4) and
// passed D2; pass passed both. fail is on the sent list of D1's retake.
type s2World struct {
	*world
	pass, fail int64
}

func newS2(t *testing.T) *s2World {
	t.Helper()
	w := &s2World{world: newWorld(t)}
	ctx := context.Background()
	w.pass = w.student(t, "A-1", "Agolli")
	w.fail = w.student(t, "A-1", "Çela")
	w.sit(t, "D1", w.pass, "A-1", 40)
	w.sit(t, "D1", w.fail, "A-1", 11)
	w.sit(t, "D2", w.pass, "A-1", 40)
	w.sit(t, "D2", w.fail, "A-1", 40)
	w.close(t, "D1")
	w.close(t, "D2")
	w.at(t, "2009-06-20")
	for _, e := range []string{"D1", "D2"} {
		if _, err := w.k.Results.Compute(ctx, ava, year, e); err != nil {
			t.Fatal(err)
		}
		if _, err := w.k.Results.Publish(ctx, ava, year, e, ""); err != nil {
			t.Fatal(err)
		}
	}
	w.retake(t, "D1", w.fail, "DAR-A", "A-1")
	return w
}

func TestNeni58_Session2TestComputedAndPublished(t *testing.T) {
	w := newS2(t)
	ctx := context.Background()
	// After the first session: D1 is retaken, the Matura is not complete.
	p, _, err := w.k.Results.MyPage(ctx, student(w.fail))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Outcome.Session2, []string{"D1"}) || p.Completion.Completed {
		t.Fatalf("after session 1: %+v %+v", p.Outcome, p.Completion)
	}
	// The second session's test is on AVA's page, named for people.
	_, states, err := w.k.Results.Status(ctx, ava, year)
	if err != nil {
		t.Fatal(err)
	}
	var st results.ExamState
	for _, s := range states {
		if s.Code == "D1-2" {
			st = s
		}
	}
	if st.Label != "D1 (sesioni 2)" || st.Exam.Exam != "D1" || st.Session != 2 || st.Subject != "GJSH" {
		t.Fatalf("status of D1-2: %+v", st)
	}
	// Before its close: refused; the first session's D1 stays published.
	_, err = w.k.Results.Compute(ctx, ava, year, "D1-2")
	mustCode(t, err, apperr.Conflict)
	w.sit2(t, "D1-2", w.fail, 45)
	w.close(t, "D1-2")
	w.at(t, "2009-10-12")
	res, err := w.k.Results.Compute(ctx, ava, year, "d1-2")
	if err != nil {
		t.Fatal(err)
	}
	if res.Candidates != 1 || res.Passed != 1 || res.Exam != "D1-2" {
		t.Fatalf("compute D1-2: %+v", res)
	}
	_, err = w.k.Results.ResultOf(ctx, year, "D1-2", w.fail)
	mustCode(t, err, apperr.NotFound)
	if _, ok, err := w.k.Results.PublishedAt(ctx, year, "D1-2"); err != nil || ok {
		t.Fatalf("published before publication: %v %v", ok, err)
	}
	pub, err := w.k.Results.Publish(ctx, ava, year, "D1-2", "")
	if err != nil {
		t.Fatal(err)
	}
	if pub.Late || pub.Pages != 1 {
		t.Fatalf("publish D1-2: %+v", pub)
	}
	// Each session's result by its key.
	r2, err := w.k.Results.ResultOf(ctx, year, "D1-2", w.fail)
	if err != nil {
		t.Fatal(err)
	}
	if r2.Session != 2 || r2.Exam != "D1" || r2.Points != 45 || !r2.Passed || r2.TestLabel() != "D1 (sesioni 2)" {
		t.Fatalf("D1-2: %+v", r2)
	}
	r1, err := w.k.Results.ResultOf(ctx, year, "D1", w.fail)
	if err != nil {
		t.Fatal(err)
	}
	if r1.Session != 1 || r1.Points != 11 || r1.Passed {
		t.Fatalf("D1 of session 1 changed: %+v", r1)
	}
	if _, err := w.k.Results.ResultOf(ctx, year, "D1-2", w.pass); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("a candidate not in session 2 has a result of it: %v", err)
	}
	// The list of AVA filters by the test.
	l, err := w.k.Results.List(ctx, ava, results.Filter{Year: year, Exam: "D1-2"})
	if err != nil {
		t.Fatal(err)
	}
	if l.Total != 1 || l.Rows[0].Exam != "D1-2" || l.Rows[0].ExamLabel() != "D1 (sesioni 2)" || l.Rows[0].RegNo != regNo(w.fail) {
		t.Fatalf("list of D1-2: %+v", l)
	}
}

func TestNeni16_PassedInSession2IsPassed(t *testing.T) {
	w := newS2(t)
	ctx := context.Background()
	w.sit2(t, "D1-2", w.fail, 45)
	w.close(t, "D1-2")
	w.at(t, "2009-10-12")
	if _, err := w.k.Results.Compute(ctx, ava, year, "D1-2"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.k.Results.Publish(ctx, ava, year, "D1-2", ""); err != nil {
		t.Fatal(err)
	}
	p, _, err := w.k.Results.MyPage(ctx, student(w.fail))
	if err != nil {
		t.Fatal(err)
	}
	// Both sessions' rows, labelled.
	var labels []string
	for _, e := range p.Exams {
		labels = append(labels, e.TestLabel())
	}
	if !slices.Equal(labels, []string{"D1", "D1 (sesioni 2)", "D2"}) {
		t.Fatalf("page rows: %v", labels)
	}
	if p.RegNo != regNo(w.fail) {
		t.Fatalf("reg no on the page: %q", p.RegNo)
	}
	// Nothing left to sit; the mandatory exams are passed (Neni 17 ¶5);
	// this year's electives did not count (Neni 17 ¶2).
	o := p.Outcome
	if len(o.Session2) != 0 || len(o.Session2Failed) != 0 || !o.Academies || o.University {
		t.Fatalf("outcome: %+v", o)
	}
	if !slices.ContainsFunc(o.Notes, func(n string) bool { return strings.Contains(n, "u kalua në sesionin e dytë") }) {
		t.Fatalf("notes: %v", o.Notes)
	}
	// The Matura is complete: the certificate is due, with the second
	// session's D1.
	c, err := w.k.Results.CompletionOf(ctx, year, w.fail)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Completed {
		t.Fatalf("not completed: %+v", c)
	}
	var d1 results.ExamResult
	for _, e := range c.Exams {
		if e.Exam == "D1" {
			d1 = e
		}
	}
	if d1.Session != 2 || d1.Points != 45 || d1.Grade != examyear.Default2009().Grade("GJSH", 45) {
		t.Fatalf("counted D1: %+v", d1)
	}
	list, err := w.k.Results.Completions(ctx, year, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(list, func(c results.Completion) bool { return c.StudentID == w.fail && c.Completed }) {
		t.Fatalf("completions: %+v", list)
	}
}

func TestNeni58_FailedAgainInSession2(t *testing.T) {
	w := newS2(t)
	ctx := context.Background()
	w.sit2(t, "D1-2", w.fail, 5)
	w.close(t, "D1-2")
	w.at(t, "2009-10-12")
	if _, err := w.k.Results.Compute(ctx, ava, year, "D1-2"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.k.Results.Publish(ctx, ava, year, "D1-2", ""); err != nil {
		t.Fatal(err)
	}
	p, _, err := w.k.Results.MyPage(ctx, student(w.fail))
	if err != nil {
		t.Fatal(err)
	}
	o := p.Outcome
	if len(o.Session2) != 0 || !slices.Equal(o.Session2Failed, []string{"D1"}) || o.Academies || p.Completion.Completed {
		t.Fatalf("outcome: %+v completion %+v", o, p.Completion)
	}
	if !slices.ContainsFunc(o.Notes, func(n string) bool {
		return strings.Contains(n, "nuk u kalua as në sesionin e dytë") && strings.Contains(n, "Neni 17 ¶4")
	}) {
		t.Fatalf("notes: %v", o.Notes)
	}
}

func TestNeni57_19_Session2PublishDeadline(t *testing.T) {
	cfg := examyear.Default2009()
	last, ok := results.PublishDeadline(cfg, "D1", 2)
	if !ok || last.Format("2006-01-02") != "2009-10-20" {
		t.Fatalf("deadline of D1 in session 2: %v %v", last, ok)
	}
	w := newS2(t)
	ctx := context.Background()
	w.sit2(t, "D1-2", w.fail, 45)
	w.close(t, "D1-2")
	w.at(t, "2009-10-21")
	if _, err := w.k.Results.Compute(ctx, ava, year, "D1-2"); err != nil {
		t.Fatal(err)
	}
	_, states, err := w.k.Results.Status(ctx, ava, year)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range states {
		if s.Code == "D1-2" && (s.Deadline != "2009-10-20" || s.DaysLeft != -1) {
			t.Fatalf("status of D1-2: %+v", s)
		}
	}
	_, err = w.k.Results.Publish(ctx, ava, year, "D1-2", "")
	mustCode(t, err, apperr.Invalid)
	if !strings.Contains(err.Error(), "D1 (sesioni 2)") || !strings.Contains(err.Error(), "20.10.2009") {
		t.Fatalf("message: %v", err)
	}
	if pub, err := w.k.Results.Publish(ctx, ava, year, "D1-2", "Vonesë në hapjen e lidhjes"); err != nil || !pub.Late {
		t.Fatalf("late publication: %+v %v", pub, err)
	}
}

func TestNeni14_4_NoElectiveInSession2Results(t *testing.T) {
	w := newWorld(t)
	_, err := w.k.Results.Compute(context.Background(), ava, year, "KIM-2")
	mustCode(t, err, apperr.Invalid)
	if !strings.Contains(err.Error(), "Neni 14.4") {
		t.Fatalf("message: %v", err)
	}
}

func TestNeni16_DecideSession2(t *testing.T) {
	pub := time.Date(2009, 6, 20, 10, 0, 0, 0, examyear.Tirana)
	r := func(exam string, session, grade int) results.ExamResult {
		return results.ExamResult{Year: year, Session: session, Exam: exam, Subject: map[string]string{"D1": "GJSH", "D2": "MAT"}[exam],
			Grade: grade, Passed: grade >= examyear.PassGrade, PublishedAt: pub}
	}
	listed := []string{"D1", "D2"}
	// Failed D1 in session 1, its retake not yet published: retaken.
	o := results.Decide(year, 2, []results.ExamResult{r("D1", 1, 4), r("D2", 1, 7)}, nil, listed)
	if !slices.Equal(o.Session2, []string{"D1"}) || o.Academies {
		t.Fatalf("before session 2: %+v", o)
	}
	// Passed in session 2: passed, nothing left (Neni 16 ¶2, 58); the
	// Matura's mandatory exams are passed (Neni 17 ¶5).
	cur := []results.ExamResult{r("D1", 1, 4), r("D1", 2, 6), r("D2", 1, 7)}
	o = results.Decide(year, 2, cur, nil, listed)
	if len(o.Session2) != 0 || len(o.Session2Failed) != 0 || !o.Academies || o.University || len(o.Pending) != 0 {
		t.Fatalf("passed in session 2: %+v", o)
	}
	counted := results.Counted(year, 2, cur, nil, o)
	if len(counted) < 1 || counted[0].Exam != "D1" || counted[0].Session != 2 || counted[0].Grade != 6 {
		t.Fatalf("counted: %+v", counted)
	}
	// Failed again: the year ends without it (Neni 17 ¶4).
	o = results.Decide(year, 2, []results.ExamResult{r("D1", 1, 4), r("D1", 2, 4), r("D2", 1, 7)}, nil, listed)
	if len(o.Session2) != 0 || !slices.Equal(o.Session2Failed, []string{"D1"}) || o.Academies {
		t.Fatalf("failed again: %+v", o)
	}
	if len(o.Notes) == 0 || !strings.Contains(strings.Join(o.Notes, " "), "provimi D2 i kaluar mbetet i vlefshëm") {
		t.Errorf("failed again, D2 passed: notes %q", o.Notes)
	}
	// Both failed again: no pass is said to stay valid.
	o = results.Decide(year, 2, []results.ExamResult{r("D1", 1, 4), r("D1", 2, 4), r("D2", 1, 4), r("D2", 2, 4)}, nil, listed)
	if strings.Contains(strings.Join(o.Notes, " "), "mbetet i vlefshëm") {
		t.Errorf("both failed again: notes %q", o.Notes)
	}
	// A first-session fail turned into a pass by its re-marking (Neni 64
	// ¶4) after the candidate was listed, then absent or failed in the
	// second session: the pass counts (Neni 17 ¶4).
	cur = []results.ExamResult{r("D1", 1, 5), r("D1", 2, 4), r("D2", 1, 7)}
	o = results.Decide(year, 2, cur, nil, listed)
	counted = results.Counted(year, 2, cur, nil, o)
	if !o.Academies || len(counted) < 1 || counted[0].Session != 1 || !counted[0].Passed {
		t.Fatalf("a first-session pass after re-marking, failed in session 2: %+v counted %+v", o, counted)
	}
	// A student who failed the school year and passed the autumn session
	// sits both in session 2 only (Neni 58).
	o = results.Decide(year, 2, []results.ExamResult{r("D1", 2, 6), r("D2", 2, 5)}, nil, nil)
	if len(o.Session2) != 0 || len(o.Session2Failed) != 0 || !o.Academies {
		t.Fatalf("school-year failer: %+v", o)
	}
}

// After the second session's publication the certificate run issues the
// Dëftesë to those who now completed the Matura (Neni 16 ¶2, 17, 58),
// with the grade of D1 of the session it was passed in.
func TestNeni58_CertificateDueAfterSession2(t *testing.T) {
	w := newS2(t)
	ctx := context.Background()
	seal, err := certificate.NewSeal()
	if err != nil {
		t.Fatal(err)
	}
	w.k.Certificates.SetSeal(seal)
	rep, err := w.k.Certificates.IssueAll(ctx, ava, year, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Issued != 1 || rep.NotComplete != 1 {
		t.Fatalf("after session 1: %+v", rep)
	}
	w.sit2(t, "D1-2", w.fail, 45)
	w.close(t, "D1-2")
	w.at(t, "2009-10-12")
	if _, err := w.k.Results.Compute(ctx, ava, year, "D1-2"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.k.Results.Publish(ctx, ava, year, "D1-2", ""); err != nil {
		t.Fatal(err)
	}
	rep, err = w.k.Certificates.IssueAll(ctx, ava, year, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Issued != 1 || rep.Already != 1 || rep.NotComplete != 0 {
		t.Fatalf("after session 2: %+v", rep)
	}
	list, err := w.k.Certificates.List(ctx, ava, certificate.Filter{Year: year, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var got certificate.Certificate
	for _, c := range list {
		if c.StudentID == w.fail && c.Valid() {
			got = c
		}
	}
	if len(got.Exams) == 0 || got.Exams[0].Exam != "D1" || got.Exams[0].Session != 2 || got.Exams[0].Points != 45 || got.Exams[0].Label() != "D1 (sesioni 2)" {
		t.Fatalf("certificate of the retaker: %+v", got)
	}
}
