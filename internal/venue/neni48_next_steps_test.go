package venue_test

import (
	"context"
	"testing"

	"provim/internal/apperr"
	"provim/internal/custody"
	"provim/internal/draw"
)

// Neni 48.3, 52.6: only listed candidates enter, so what is sized on the
// plan waits for the plan to follow the final lists. With a candidate
// dropped from the D1 list after the plan, the wired draw and custody
// services refuse to commit a draw or prepare the packages, naming the
// stale plan; once the plan follows the list, the refusal is gone.
func TestNeni48_3_DrawAndPackagesWaitForAPlanThatFollowsTheList(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	w.day("2027-06-01")
	if _, err := w.svc.Plan(ctx, ava, "D1", 1, ""); err != nil {
		t.Fatal(err)
	}
	gone := w.ids["A-1"][0]
	if _, err := w.db.Exec(`DELETE FROM final_lists WHERE exam = 'D1' AND student_id = $1`, gone); err != nil {
		t.Fatal(err)
	}
	_, err := w.Draws.Commit(ctx, kmshA, draw.CommitRequest{Session: 1, Exam: "D1", Unit: "DAR-A"})
	wantCode(t, err, apperr.Conflict, "Plani i provimit D1 nuk ndjek më listën përfundimtare", "Neni 48.3")
	_, err = w.Custody.Create(ctx, ava, custody.CreateInput{Exam: "D1", Session: 1})
	wantCode(t, err, apperr.Conflict, "Plani i provimit D1 nuk ndjek më listën përfundimtare", "Neni 48.3")
	if _, err := w.svc.FollowFinalLists(ctx, ava.Actor(), 2027); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.CheckPlanCurrent(ctx, 2027, 1, "D1", []string{"DAR-A", "ZA-A1"}); err != nil {
		t.Fatalf("after the plan follows the list: %v", err)
	}
	if _, err := w.Custody.Create(ctx, ava, custody.CreateInput{Exam: "D1", Session: 1}); apperr.Is(err, apperr.Conflict) {
		t.Fatalf("packages still refused once the plan follows the list: %v", err)
	}
}

// Neni 36, 48.3: rebuilding the final lists re-derives the seats in the
// same transaction (application.OnFinalLists → venue.FollowFinalLists, as
// wire.New connects them): a rebuild that leaves nobody on the D1 list
// leaves no D1 seat behind.
func TestNeni48_3_RebuildingTheFinalListsMovesTheSeatsWithThem(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	w.day("2027-06-01")
	if _, err := w.svc.Plan(ctx, ava, "D1", 1, ""); err != nil {
		t.Fatal(err)
	}
	if n := len(w.seats(t, "D1")); n == 0 {
		t.Fatal("no seats planned")
	}
	// The world's lists were written by hand, with no forms behind them:
	// the rebuild from the forms lists nobody.
	if _, err := w.Applications.BuildFinalLists(ctx, ava, ""); err != nil {
		t.Fatal(err)
	}
	if n := len(w.seats(t, "D1")); n != 0 {
		t.Errorf("%d D1 seats survive a rebuild that lists nobody", n)
	}
	if err := w.svc.CheckPlanCurrent(ctx, 2027, 1, "D1", nil); err != nil {
		t.Errorf("plan after the rebuild: %v", err)
	}
}
