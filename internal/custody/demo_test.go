package custody_test

import (
	"context"
	"testing"
	"time"

	"provim/internal/audit"
	"provim/internal/clock"
	"provim/internal/custody"
	"provim/internal/demo"
	"provim/internal/testkit"
)

// TestNeni42_43_DemoFirstHandOvers runs the demo's custody phase on a
// small country: every venue's D1 packages end in a KMSH safe, on time,
// each hand-over confirmed by the other side, the audit chain intact.
func TestNeni42_43_DemoFirstHandOvers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := testkit.New(t)
	db, years := k.DB, k.Years
	if _, err := years.Create(ctx, ava, 2027, "", 2009); err != nil {
		t.Fatal(err)
	}
	if err := years.SetActive(ctx, ava, 2027); err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, k.Registry, ava, demo.GenerateN(20270601, 2027, 1500), nil); err != nil {
		t.Fatal(err)
	}
	start := clock.StartTimer()
	if err := demo.RunCustody(ctx, k.Services, k.Clock, ava, func(s string) { t.Log(s) }); err != nil {
		t.Fatal(err)
	}
	t.Logf("custody phase in %.1fs", start.Elapsed().Seconds())
	svc := k.Custody
	k.Clock.Set(time.Date(2027, 6, 8, 7, 0, 0, 0, clock.Tirana))
	board, err := svc.Board(ctx, ava, custody.Filter{Exam: "D1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(board) == 0 {
		t.Fatal("no consignments")
	}
	for _, c := range board {
		if c.Stage != 2 || c.Late || c.Missing || len(c.Handovers) != 2 || c.Next == nil || c.Next.No != 3 {
			t.Fatalf("%s: stage %d, flags %v", c.VenueCode, c.Stage, c.Flags)
		}
	}
	if _, p, err := audit.Verify(ctx, db.DB); err != nil || p != nil {
		t.Fatalf("audit: %v %v", p, err)
	}
	// Running it again changes nothing.
	if err := demo.RunCustody(ctx, k.Services, k.Clock, ava, nil); err != nil {
		t.Fatal(err)
	}
}
