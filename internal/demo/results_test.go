package demo

import (
	"strings"
	"testing"

	"provim/internal/audit"
	"provim/internal/examyear"
	"provim/internal/results"
)

// TestRunResults runs the demo on a small country to D1's closed marking
// and then its results: the holders open the link, every listed
// candidate has a result, the results are published within the 15 days
// (Neni 57.19), every candidate's page is ready, the audit chain holds,
// and running it again changes nothing. (The demo keeps the holders'
// shares per set of services, so parallel demos do not take each other's.)
func TestRunResults(t *testing.T) {
	t.Parallel()
	ctx, k := smallCountry(t, 1500)
	var out []string
	logf := func(s string) { out = append(out, s); t.Log(s) }
	for _, run := range []func() error{
		func() error { return RunApplications(ctx, k.Services, k.Clock, ava, seed, nil) },
		func() error { return RunVenuePlan(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunTests(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunDraws(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunCustody(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunAnonymisation(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunExamDay(ctx, k.Services, k.Clock, ava, false, nil) },
		func() error { return RunMarking(ctx, k.Services, k.Clock, ava, MarkingClosed, nil) },
		func() error { return RunResults(ctx, k.Services, k.Clock, ava, logf) },
	} {
		if err := run(); err != nil {
			t.Fatal(err)
		}
	}
	at, ok, err := k.Results.PublishedAt(ctx, 2027, examyear.KindD1)
	if err != nil || !ok {
		t.Fatalf("D1 not published: %v", err)
	}
	if at.In(examyear.Tirana).Format("2006-01-02") > "2027-06-23" {
		t.Errorf("published %s, after the 15 days of Neni 57.19", at)
	}
	_, states, err := k.Results.Status(ctx, ava, 2027)
	if err != nil {
		t.Fatal(err)
	}
	d1 := states[0]
	listed, _ := k.Applications.CountFinalCandidates(ctx, 2027, examyear.KindD1, nil)
	if d1.Candidates != listed || d1.Candidates == 0 || d1.Late || d1.Passed == 0 || d1.Passed == d1.Candidates {
		t.Fatalf("D1: %+v (%d listed)", d1, listed)
	}
	var pages int
	k.DB.QueryRow(`SELECT COUNT(*) FROM results_pages WHERE year = 2027`).Scan(&pages)
	if pages != d1.Candidates {
		t.Errorf("%d pages for %d candidates", pages, d1.Candidates)
	}
	l, err := k.Results.List(ctx, ava, results.Filter{Year: 2027, Exam: "D1", Limit: 1})
	if err != nil || l.Total != d1.Candidates {
		t.Fatalf("list: %+v %v", l, err)
	}
	if len(out) == 0 || !strings.Contains(strings.Join(out, "\n"), "shpallur") {
		t.Errorf("progress: %v", out)
	}
	if _, p, err := audit.Verify(ctx, k.DB.DB); err != nil || p != nil {
		t.Fatalf("audit chain: %+v %v", p, err)
	}
	// Again: nothing changes.
	out = nil
	if err := RunResults(ctx, k.Services, k.Clock, ava, logf); err != nil || len(out) != 0 {
		t.Fatalf("again: %v %v", out, err)
	}
}
