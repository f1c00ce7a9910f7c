package venue_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"provim/internal/albanian"
	"provim/internal/clock"
	"provim/internal/venue"
)

// The printed venue list dates each inspection by the day in Tirana: one
// recorded half an hour after midnight is stored as the day before in
// UTC, and still prints as the day it was made.
func TestNeni41_VenueListDatesInspectionsInTirana(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.Clock.Set(time.Date(2027, 4, 1, 0, 30, 0, 0, clock.Tirana))
	got, err := w.svc.Inspect(ctx, kmshA, "Q-A-2", venue.InspectionInput{Checklist: good})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got.InspectedAt, "2027-03-31T22:30:00") {
		t.Fatalf("stored moment %q, want 2027-03-31T22:30:00Z (UTC)", got.InspectedAt)
	}
	l, err := w.svc.VenueList(ctx, kmshA, "DAR-A")
	if err != nil {
		t.Fatal(err)
	}
	doc := l.Document(w.Clock.Now())
	want := "E përshtatshme, " + albanian.DateString("2027-04-01")
	found := false
	for _, row := range doc.Rows {
		if row[1] == "Q-A-2" {
			found = true
			if row[6] != want {
				t.Errorf("Q-A-2 status %q, want %q", row[6], want)
			}
		}
	}
	if !found {
		t.Fatalf("Q-A-2 not on the venue list: %v", doc.Rows)
	}
}
