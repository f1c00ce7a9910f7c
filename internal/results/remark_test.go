package results_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/results"
	"provim/internal/testkit"
)

func published(t *testing.T) *d1World {
	w := newD1(t)
	w.close(t, "D1")
	if _, err := w.k.Results.Compute(context.Background(), ava, year, "D1"); err != nil {
		t.Fatal(err)
	}
	w.at(t, "2009-06-20")
	if _, err := w.k.Results.Publish(context.Background(), ava, year, "D1", ""); err != nil {
		t.Fatal(err)
	}
	return w
}

func seqOf(t *testing.T, w *d1World, id int64) int64 {
	var seq int64
	if err := w.db.QueryRow(`SELECT seq FROM results_pages WHERE year = $1 AND student_id = $2`, year, id).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	return seq
}

func TestNeni64_ApplyRemarkRegradesKeepsHistoryAndCallsHooks(t *testing.T) {
	w := published(t)
	ctx := context.Background()
	var called []int64
	w.k.Results.OnGradeChange(func(ctx context.Context, y int, id int64) error {
		called = append(called, id)
		return nil
	})
	seq := seqOf(t, w, w.fail)
	before, after, err := w.k.Results.ApplyRemark(ctx, ava, year, "D1", w.fail, 12, "Rivlerësim, kërkesa 1")
	if err != nil {
		t.Fatal(err)
	}
	if before.Grade != 4 || after.Grade != 5 || !after.Passed || !after.Remarked {
		t.Fatalf("before %+v after %+v", before, after)
	}
	if len(called) != 1 || called[0] != w.fail {
		t.Errorf("hooks: %v", called)
	}
	if s2 := seqOf(t, w, w.fail); s2 <= seq {
		t.Errorf("seq %d → %d", seq, s2)
	}
	p, _, err := w.k.Results.MyPage(ctx, student(w.fail))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Exams) != 1 || len(p.Exams[0].History) != 1 || p.Exams[0].History[0].GradeBefore != 4 || p.Exams[0].Grade != 5 {
		t.Errorf("page: %+v", p.Exams)
	}
	if len(p.Outcome.Session2) != 0 {
		t.Errorf("still session 2: %+v", p.Outcome)
	}
	// The same grade: no hook.
	if _, _, err := w.k.Results.ApplyRemark(ctx, ava, year, "D1", w.fail, 13, "Rivlerësim, kërkesa 2"); err != nil {
		t.Fatal(err)
	}
	if len(called) != 1 {
		t.Errorf("hook without a change: %v", called)
	}
	// Edge cases: beyond the maximum, no reason, a voided result, not AVA,
	// an unpublished exam.
	_, _, err = w.k.Results.ApplyRemark(ctx, ava, year, "D1", w.fail, 61, "x")
	mustCode(t, err, apperr.Invalid)
	_, _, err = w.k.Results.ApplyRemark(ctx, ava, year, "D1", w.fail, 20, " ")
	mustCode(t, err, apperr.Invalid)
	_, _, err = w.k.Results.ApplyRemark(ctx, ava, year, "D1", w.voided, 20, "x")
	mustCode(t, err, apperr.Conflict)
	_, _, err = w.k.Results.ApplyRemark(ctx, testkit.KMSH("DAR-A"), year, "D1", w.fail, 20, "x")
	mustCode(t, err, apperr.Forbidden)
	_, _, err = w.k.Results.ApplyRemark(ctx, ava, year, "D2", w.fail, 20, "x")
	mustCode(t, err, apperr.NotFound)
	// A hook's error undoes the whole change.
	w.k.Results.OnGradeChange(func(context.Context, int, int64) error { return apperr.New(apperr.Conflict, "jo") })
	if _, _, err := w.k.Results.ApplyRemark(ctx, ava, year, "D1", w.pass, 5, "x"); err == nil {
		t.Fatal("hook error ignored")
	}
	if r, _ := w.k.Results.ResultOf(ctx, year, "D1", w.pass); r.Points != 40 || r.Remarked {
		t.Errorf("half-written: %+v", r)
	}
}

func TestNeni64_PageShowsRemarkWindow(t *testing.T) {
	w := published(t)
	p, etag, err := w.k.Results.MyPage(context.Background(), student(w.pass))
	if err != nil {
		t.Fatal(err)
	}
	// Published 20.06.2009, 4 days (Neni 64 ¶1).
	if etag == "" || p.Exams[0].RemarkUntil != "24.06.2009" || p.RegNo != regNo(w.pass) || !strings.Contains(p.Name, "Agolli") || p.School != "Gjimnazi A-1" {
		t.Errorf("page: %+v", p)
	}
	raw, _, _ := w.k.Results.MyPageRaw(context.Background(), student(w.pass))
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), `"student_id"`) {
		t.Errorf("page names a database id: %s", raw)
	}
}

func TestNeni17_CompletionOfAndCompletions(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	a := w.student(t, "A-1", "Berisha")
	b := w.student(t, "A-1", "Hoxha")
	for _, e := range []string{"D1", "D2"} {
		w.sit(t, e, a, "A-1", 45)
		w.sit(t, e, b, "A-1", 45)
	}
	for _, e := range []string{"D1", "D2"} {
		w.close(t, e)
		if _, err := w.k.Results.Compute(ctx, ava, year, e); err != nil {
			t.Fatal(err)
		}
	}
	w.at(t, "2009-06-20")
	if _, err := w.k.Results.Publish(ctx, ava, year, "D1", ""); err != nil {
		t.Fatal(err)
	}
	// D2 not yet published: nobody complete, nobody in Completions.
	if c, _ := w.k.Results.CompletionOf(ctx, year, a); c.Completed {
		t.Errorf("complete before D2: %+v", c)
	}
	if list, _ := w.k.Results.Completions(ctx, year, 0, 10); len(list) != 0 {
		t.Errorf("completions before D2: %+v", list)
	}
	if _, err := w.k.Results.Publish(ctx, ava, year, "D2", ""); err != nil {
		t.Fatal(err)
	}
	c, err := w.k.Results.CompletionOf(ctx, year, a)
	if err != nil || !c.Completed || len(c.Exams) != 2 || c.StudentID != a {
		t.Fatalf("completion: %+v %v", c, err)
	}
	list, err := w.k.Results.Completions(ctx, year, 0, 1)
	if err != nil || len(list) != 1 || list[0].StudentID != a {
		t.Fatalf("page 1: %+v %v", list, err)
	}
	list, _ = w.k.Results.Completions(ctx, year, a, 10)
	if len(list) != 1 || list[0].StudentID != b {
		t.Fatalf("page 2: %+v", list)
	}
	var _ results.Completion = list[0]
}

func TestNeni17_2_PageAcrossExams(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	a := w.student(t, "A-1", "Berisha")
	w.sit(t, "KIM", a, "A-1", 40)
	w.sit(t, "D1", a, "A-1", 3)
	w.sit(t, "D2", a, "A-1", 30)
	w.at(t, "2009-06-20")
	for _, e := range []string{"KIM", "D2", "D1"} {
		w.close(t, e)
		if _, err := w.k.Results.Compute(ctx, ava, year, e); err != nil {
			t.Fatal(err)
		}
		if _, err := w.k.Results.Publish(ctx, ava, year, e, ""); err != nil {
			t.Fatal(err)
		}
	}
	p, _, err := w.k.Results.MyPage(ctx, student(a))
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, e := range p.Exams {
		order = append(order, e.Exam)
	}
	if strings.Join(order, ",") != "D1,D2,KIM" {
		t.Errorf("order: %v", order)
	}
	o := p.Outcome
	if len(o.Session2) != 1 || o.Session2[0] != "D1" || o.ElectivesCount || o.University || len(o.Pending) != 0 {
		t.Errorf("outcome: %+v", o)
	}
	notes := strings.Join(o.Notes, " ")
	if !strings.Contains(notes, "sesionin e dytë") || !strings.Contains(notes, "vitin e ardhshëm") {
		t.Errorf("notes: %s", notes)
	}
	if c, _ := w.k.Results.CompletionOf(ctx, year, a); c.Completed {
		t.Errorf("completed with D1 failed: %+v", c)
	}
}
