package demo

import (
	"testing"

	"provim/internal/audit"
	"provim/internal/examyear"
	"provim/internal/marking"
)

// TestRunMarking runs the demo's marking of D1 on a small country after
// its exam day: every candidate's booklet is marked twice, a realistic
// share goes to a third marker (Neni 57.14), the drifting marker is
// flagged, the copied booklets are voided by MASH, the marking closes and
// the points per code are there for the results; the audit chain holds,
// and running it again changes nothing.
func TestRunMarking(t *testing.T) {
	t.Parallel()
	ctx, k := smallCountry(t, 2000)
	var out []string
	for _, run := range []func() error{
		func() error { return RunApplications(ctx, k.Services, k.Clock, ava, seed, nil) },
		func() error { return RunVenuePlan(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunTests(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunDraws(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunCustody(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunAnonymisation(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunExamDay(ctx, k.Services, k.Clock, ava, false, nil) },
		func() error {
			return RunMarking(ctx, k.Services, k.Clock, ava, MarkingClosed, func(s string) { out = append(out, s); t.Log(s) })
		},
	} {
		if err := run(); err != nil {
			t.Fatal(err)
		}
	}
	svc := k.Marking
	pr, err := svc.Progress(ctx, ava, 2027, examyear.KindD1)
	if err != nil {
		t.Fatal(err)
	}
	if !pr.Closed || pr.Final+pr.Voided != pr.Registered || pr.Voided == 0 || pr.OpenCases != 0 {
		t.Fatalf("progress after the demo's marking: %+v", pr)
	}
	points, err := svc.FinalPoints(ctx, 2027, examyear.KindD1)
	if err != nil {
		t.Fatal(err)
	}
	var labelled int
	k.DB.QueryRow(`SELECT COUNT(*) FROM anonym_codes WHERE year = 2027 AND exam = 'D1' AND used`).Scan(&labelled)
	if len(points) != labelled {
		t.Fatalf("%d codes with points, %d labels attached", len(points), labelled)
	}
	q, err := svc.Quality(ctx, ava, 2027, examyear.KindD1)
	if err != nil {
		t.Fatal(err)
	}
	if share := float64(q.Third) / float64(q.Booklets); share < 0.05 || share > 0.25 {
		t.Fatalf("%d of %d booklets went to a third marker (%.0f%%), want a realistic 5–25%%", q.Third, q.Booklets, 100*share)
	}
	var flagged []string
	for _, m := range q.Markers {
		if m.Flagged() {
			flagged = append(flagged, m.Username)
		}
	}
	if len(flagged) == 0 {
		t.Fatal("the drifting marker is not flagged")
	}
	for _, m := range q.Markers {
		if m.Status == marking.StatusQualified && m.Marked == 0 {
			t.Fatalf("qualified marker %s marked nothing", m.Username)
		}
	}
	if _, p, err := audit.Verify(ctx, k.DB.DB); err != nil || p != nil {
		t.Fatalf("audit: %v %v", p, err)
	}
	var n int
	k.DB.QueryRow(`SELECT COUNT(*) FROM marking_allocations`).Scan(&n)
	if err := RunMarking(ctx, k.Services, k.Clock, ava, MarkingClosed, nil); err != nil {
		t.Fatal(err)
	}
	var again int
	k.DB.QueryRow(`SELECT COUNT(*) FROM marking_allocations`).Scan(&again)
	if again != n {
		t.Fatalf("second run: %d markings, then %d", n, again)
	}
}
