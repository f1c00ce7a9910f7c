package venues

import (
	"strings"
	"testing"

	"provim/internal/auth"
	"provim/internal/venue"
	"provim/internal/web/webkit/webkittest"
)

// TestNeni58_PlanPageOfTheSecondSession: the plan page carries the
// session through its forms and its room links, says whose list the
// second session places, and links the first session's plan to the
// second's.
func TestNeni58_PlanPageOfTheSecondSession(t *testing.T) {
	t.Parallel()
	kmsh := &auth.Principal{Username: "kmsh", FullName: "K", Role: auth.RoleKMSH, Unit: "DAR-A"}
	sum := venue.Summary{Year: 2027, Session: 2, Exam: "D1", Date: "2027-10-05", Start: "10:00", Listed: 3, Candidates: 3,
		Venues: []venue.PlannedVenue{{Code: "Q-1", Name: "Gjimnazi", City: "Tiranë", Candidates: 3, Seats: 30, Rooms: []venue.PlannedRoom{{ID: 7, Name: "Salla 1", Seats: 30, Candidates: 3}}}}}
	page := webkittest.Render(t, Templates, "venue_plan", kmsh, planView{}, map[string]any{"Exam": "D1", "Session": 2, "Summary": sum, "Planned": true})
	for _, want := range []string{`name="sesioni" value="2"`, `/plani/salla/7?provimi=D1&amp;sesioni=2`, "në listën e sesionit të dytë", "Neni 58", "(sesioni 2)", "← Sesioni 1"} {
		if !strings.Contains(page, want) {
			t.Errorf("session 2 page without %q", want)
		}
	}
	sum.Session = 1
	page = webkittest.Render(t, Templates, "venue_plan", kmsh, planView{}, map[string]any{"Exam": "D1", "Session": 1, "Summary": sum, "Planned": true})
	if !strings.Contains(page, `/plani/salla/7?provimi=D1"`) || !strings.Contains(page, "sesioni=2") || strings.Contains(page, "(sesioni 2)</h1>") {
		t.Errorf("session 1 page: room links or the link to session 2")
	}
}
