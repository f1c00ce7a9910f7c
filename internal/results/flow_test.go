package results_test

import (
	"context"
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/results"
	"provim/internal/testkit"
)

// d1World: five candidates of D1 (GJSH, 60 points; 12 → 5, 38 → 8).
type d1World struct {
	*world
	pass, fail, absent, voided, excluded int64
}

func newD1(t *testing.T) *d1World {
	w := &d1World{world: newWorld(t)}
	w.pass = w.student(t, "A-1", "Agolli")
	w.fail = w.student(t, "A-1", "Çela")
	w.absent = w.student(t, "B-1", "Dushi")
	w.voided = w.student(t, "B-1", "Ëmiri")
	w.excluded = w.student(t, "A-1", "Zeka")
	w.sit(t, "D1", w.pass, "A-1", 40)
	w.sit(t, "D1", w.fail, "A-1", 11)
	w.sit(t, "D1", w.absent, "B-1", -1)
	w.sit(t, "D1", w.voided, "B-1", -2)
	w.sit(t, "D1", w.excluded, "A-1", 50)
	w.exclude(t, "D1", w.excluded, "54.5")
	return w
}

func TestNeni57_1_ComputeGradesEveryListedCandidate(t *testing.T) {
	w := newD1(t)
	ctx := context.Background()
	// Before the close: refused (Neni 59.3).
	_, err := w.k.Results.Compute(ctx, ava, year, "D1")
	mustCode(t, err, apperr.Conflict)
	w.close(t, "D1")
	// Only AVA computes.
	_, err = w.k.Results.Compute(ctx, testkit.KMSH("DAR-A"), year, "D1")
	mustCode(t, err, apperr.Forbidden)
	res, err := w.k.Results.Compute(ctx, ava, year, "d1")
	if err != nil {
		t.Fatal(err)
	}
	if res.Candidates != 5 || res.Passed != 1 || res.Failed != 1 || res.Absent != 1 || res.Voided != 2 {
		t.Fatalf("counts: %+v", res)
	}
	// Not published: nobody reads it through ResultOf.
	_, err = w.k.Results.ResultOf(ctx, year, "D1", w.pass)
	mustCode(t, err, apperr.NotFound)
	// Computing again before publication replaces (idempotent).
	if again, err := w.k.Results.Compute(ctx, ava, year, "D1"); err != nil || again.Candidates != 5 {
		t.Fatalf("again: %+v %v", again, err)
	}
	w.at(t, "2009-06-20")
	if _, err := w.k.Results.Publish(ctx, ava, year, "D1", ""); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[int64]results.ExamResult{
		w.pass:     {Points: 40, Grade: 8, Passed: true},
		w.fail:     {Points: 11, Grade: 4},
		w.absent:   {Absent: true},
		w.voided:   {Voided: true},
		w.excluded: {Voided: true},
	} {
		got, err := w.k.Results.ResultOf(ctx, year, "D1", id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Points != want.Points || got.Grade != want.Grade || got.Passed != want.Passed || got.Absent != want.Absent || got.Voided != want.Voided {
			t.Errorf("student %d: got %+v, want %+v", id, got, want)
		}
		if got.Subject != "GJSH" || got.SubjectName == "" || got.MaxPoints != 60 || got.PublishedAt.IsZero() {
			t.Errorf("student %d: %+v", id, got)
		}
	}
	if got, _ := w.k.Results.ResultOf(ctx, year, "D1", w.excluded); !strings.Contains(got.VoidReason, "54.5") {
		t.Errorf("exclusion reason: %q", got.VoidReason)
	}
	if got, _ := w.k.Results.ResultOf(ctx, year, "D1", w.voided); !strings.Contains(got.VoidReason, "57.17") {
		t.Errorf("MASH reason: %q", got.VoidReason)
	}
	// After publication: refused (Neni 64 alone changes it).
	_, err = w.k.Results.Compute(ctx, ava, year, "D1")
	mustCode(t, err, apperr.Conflict)
	_, err = w.k.Results.Publish(ctx, ava, year, "D1", "")
	mustCode(t, err, apperr.Conflict)
}

func TestNeni58_ComputeNeedsTheOpenedLink(t *testing.T) {
	w := newD1(t)
	run(t, w.db, `INSERT INTO marking_closed (year, exam, booklets, closed_by, closed_at) VALUES ($1, 'D1', 0, 'ava', '2009-06-12T08:00:00Z')`, year)
	run(t, w.db, `DELETE FROM anonym_opened`)
	_, err := w.k.Results.Compute(context.Background(), ava, year, "D1")
	mustCode(t, err, apperr.Conflict)
	if !strings.Contains(apperr.MessageOf(err), "hapur") {
		t.Errorf("message: %v", err)
	}
}

func TestNeni57_19_PublicationDeadline(t *testing.T) {
	ctx := context.Background()
	// Day 15 after the exam (08.06 + 15 = 23.06) is in time, to its end.
	w := newD1(t)
	w.close(t, "D1")
	if _, err := w.k.Results.Compute(ctx, ava, year, "D1"); err != nil {
		t.Fatal(err)
	}
	w.at(t, "2009-06-23 23:59")
	if res, err := w.k.Results.Publish(ctx, ava, year, "D1", ""); err != nil || res.Late {
		t.Fatalf("on the last day: %+v %v", res, err)
	}
	// Day 16: refused without a reason, naming the deadline; with one, flagged.
	w2 := newD1(t)
	w2.close(t, "D1")
	if _, err := w2.k.Results.Compute(ctx, ava, year, "D1"); err != nil {
		t.Fatal(err)
	}
	w2.at(t, "2009-06-24 00:01")
	_, err := w2.k.Results.Publish(ctx, ava, year, "D1", "  ")
	mustCode(t, err, apperr.Invalid)
	if !strings.Contains(apperr.MessageOf(err), "23.06.2009") || !strings.Contains(apperr.MessageOf(err), "57.19") {
		t.Errorf("message: %v", err)
	}
	res, err := w2.k.Results.Publish(ctx, ava, year, "D1", "Vonesë nga rivlerësimi i tretë")
	if err != nil || !res.Late || res.Reason == "" {
		t.Fatalf("late: %+v %v", res, err)
	}
	_, states, err := w2.k.Results.Status(ctx, ava, year)
	if err != nil {
		t.Fatal(err)
	}
	if st := states[0]; st.Code != "D1" || !st.Late || st.LateReason == "" || st.Deadline != "2009-06-23" || !st.Published() || !st.LinkOpened || !st.MarkingClosed {
		t.Errorf("status: %+v", st)
	}
	// Only AVA sees the status before publication (Neni 59.5).
	_, _, err = w2.k.Results.Status(ctx, testkit.KMSH("DAR-A"), year)
	mustCode(t, err, apperr.Forbidden)
}

func TestNeni57_19_DaysLeft(t *testing.T) {
	w := newWorld(t)
	w.at(t, "2009-06-20 18:00")
	_, states, err := w.k.Results.Status(context.Background(), ava, year)
	if err != nil {
		t.Fatal(err)
	}
	if states[0].DaysLeft != 3 || states[1].DaysLeft != 6 {
		t.Errorf("days left: D1 %d, D2 %d", states[0].DaysLeft, states[1].DaysLeft)
	}
}
