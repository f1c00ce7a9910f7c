package demo

import (
	"testing"

	"provim/internal/audit"
	"provim/internal/examyear"
)

// TestRunExamDay runs the demo's D1 day on a small country: every venue
// outside the DAR left in progress is checked in, labelled, packed with
// counts that balance and its box handed to the KMSH (Neni 45, 48, 52–56);
// the DAR in progress has candidates in and no packing; the audit chain
// holds; running it again changes nothing.
func TestRunExamDay(t *testing.T) {
	t.Parallel()
	ctx, k := smallCountry(t, 1500)
	for _, run := range []func() error{
		func() error { return RunApplications(ctx, k.Services, k.Clock, ava, seed, nil) },
		func() error { return RunVenuePlan(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunDraws(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunCustody(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunAnonymisation(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunExamDay(ctx, k.Services, k.Clock, ava, true, func(s string) { t.Log(s) }) },
	} {
		if err := run(); err != nil {
			t.Fatal(err)
		}
	}
	b, err := k.ExamDay.Board(ctx, ava, 1, examyear.KindD1, "")
	if err != nil {
		t.Fatal(err)
	}
	dar, _ := darOfUnits(ctx, k.Registry, ava)
	var absent, exclusions int
	for _, r := range b.Rows {
		absent += r.Absent
		exclusions += r.Exclusions
		if r.Present == 0 || r.Present > r.Expected {
			t.Fatalf("%s: %d of %d present", r.Venue, r.Present, r.Expected)
		}
		if dar[r.Unit] == InProgressUnit {
			if r.Packed || r.Stage >= 4 || r.Labelled > 0 {
				t.Fatalf("%s in progress: packed %v stage %d", r.Venue, r.Packed, r.Stage)
			}
			continue
		}
		if !r.Packed || !r.Balanced || r.Stage != 7 || r.Labelled+r.Exclusions < r.Present {
			t.Fatalf("%s: %+v", r.Venue, r)
		}
	}
	if absent == 0 || exclusions == 0 {
		t.Fatalf("absent %d, exclusions %d", absent, exclusions)
	}
	if _, p, err := audit.Verify(ctx, k.DB.DB); err != nil || p != nil {
		t.Fatalf("audit: %v %v", p, err)
	}
	var n int
	k.DB.QueryRow(`SELECT COUNT(*) FROM examday_checkins`).Scan(&n)
	if err := RunExamDay(ctx, k.Services, k.Clock, ava, true, nil); err != nil {
		t.Fatal(err)
	}
	var again int
	k.DB.QueryRow(`SELECT COUNT(*) FROM examday_checkins`).Scan(&again)
	if again != n {
		t.Fatalf("second run: %d check-ins, then %d", n, again)
	}
}
