package venue_test

import (
	"context"
	"strings"
	"testing"

	"provim/internal/venue"
)

// Neni 38.7 asks for a writing surface of at least 40 × 60 cm and gives
// no orientation: 60 wide × 40 deep and 40 wide × 60 deep both meet it; a
// surface under 40 one way or under 60 the other does not.
func TestNeni38_7_DeskSurfaceEitherWayRound(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		w, d int
		ok   bool
	}{
		{60, 40, true}, {40, 60, true}, {70, 50, true}, {45, 65, true},
		{39, 60, false}, {60, 39, false}, {40, 59, false}, {59, 40, false}, {50, 50, false},
	} {
		if got := venue.DeskMeets387(c.w, c.d); got != c.ok {
			t.Errorf("%d × %d: %v, want %v", c.w, c.d, got, c.ok)
		}
	}
	// A deep desk takes room front to back, not across.
	deep, wide := good, good
	deep.DeskWidthCM, deep.DeskDepthCM = 40, 60
	if a, b := venue.RoomSeats(900, 600, 0, deep), venue.RoomSeats(900, 600, 0, wide); a != 35 || b != 35 {
		t.Errorf("900×600: %d seats with 40×60 desks, %d with 60×40; want 35 and 35", a, b)
	}

	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	got, err := w.svc.Inspect(ctx, kmshA, "Q-A-2", venue.InspectionInput{Checklist: deep})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Suitable || len(got.Failed) != 0 {
		t.Errorf("40 × 60 desk: suitable=%v failed=%v", got.Suitable, got.Failed)
	}
	small := good
	small.DeskWidthCM, small.DeskDepthCM = 35, 60
	got, err = w.svc.Inspect(ctx, kmshA, "Q-A-2", venue.InspectionInput{Checklist: small})
	if err != nil {
		t.Fatal(err)
	}
	if got.Suitable || strings.Join(got.Failed, ",") != "38.7" || !strings.Contains(got.FailedText, "Neni 38.7") {
		t.Errorf("35 × 60 desk: suitable=%v failed=%v %q", got.Suitable, got.Failed, got.FailedText)
	}
}
