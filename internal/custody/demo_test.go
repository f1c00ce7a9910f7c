package custody_test

import (
	"context"
	"testing"
	"time"

	"provim/internal/audit"
	"provim/internal/custody"
	"provim/internal/demo"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/store/storetest"
)

// TestNeni42_43_DemoFirstHandOvers runs the demo's custody phase on a
// small country: every venue's D1 packages end in a KMSH safe, on time,
// each hand-over confirmed by the other side, the audit chain intact.
func TestNeni42_43_DemoFirstHandOvers(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	years := examyear.NewService(db)
	if err := years.EnsureDefault(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := years.Create(ctx, ava, 2027, "", 2009); err != nil {
		t.Fatal(err)
	}
	if err := years.SetActive(ctx, ava, 2027); err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, registry.NewService(db), ava, demo.GenerateN(20270601, 2027, 1500), nil); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := demo.RunCustody(ctx, db, ava, func(s string) { t.Log(s) }); err != nil {
		t.Fatal(err)
	}
	t.Logf("custody phase in %.1fs", time.Since(start).Seconds())
	svc := custody.NewService(db)
	svc.SetClock(func() time.Time { return time.Date(2027, 6, 8, 7, 0, 0, 0, examyear.Tirana) })
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
	if err := demo.RunCustody(ctx, db, ava, nil); err != nil {
		t.Fatal(err)
	}
}
