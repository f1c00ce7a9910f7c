package examyear

import (
	"context"
	"testing"

	"provim/internal/apperr"
)

// Neni 14.3: a timetable that the data it governs cannot keep (a candidate
// in two exams at once) is refused when AVA saves the year. The venues
// register that check through AddCheck; here a check of our own stands in
// for it, to pin that Update runs every registered check in its
// transaction and that a refusal saves nothing and logs nothing.
func TestNeni14_3_UpdateRunsTheRegisteredChecksBeforeSaving(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db := newService(t)
	y, err := s.Get(ctx, ava, 2009)
	if err != nil {
		t.Fatal(err)
	}
	var seen []int
	s.AddCheck(func(ctx context.Context, year int, cfg Config) error {
		seen = append(seen, year)
		if cfg.Fees.Remarking == 999 {
			return apperr.New(apperr.Invalid, "Orari i provimeve nuk u ruajt.")
		}
		return nil
	})
	before := len(auditEntries(t, db, "2009"))
	refused := y.Config
	refused.Fees.Remarking = 999
	_, err = s.Update(ctx, ava, 2009, "", refused)
	wantCode(t, err, apperr.Invalid)
	if got, _ := s.Get(ctx, ava, 2009); got.Config.Fees.Remarking == 999 {
		t.Fatal("a refused configuration was saved")
	}
	if n := len(auditEntries(t, db, "2009")); n != before {
		t.Fatalf("a refused change left %d audit entries", n-before)
	}
	accepted := y.Config
	accepted.Fees.Remarking = 800
	if _, err := s.Update(ctx, ava, 2009, "", accepted); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[0] != 2009 {
		t.Fatalf("checks ran for %v, want twice for 2009", seen)
	}
}
