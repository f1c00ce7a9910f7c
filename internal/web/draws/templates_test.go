package draws

import (
	"testing"

	"provim/internal/draw"
	"provim/internal/web/webkit/webkittest"
)

// TestTemplates parses every page of the area and executes it with a
// filled sample of its view.
func TestTemplates(t *testing.T) {
	t.Parallel()
	webkittest.ExecuteAll(t, Templates, map[string]any{
		"draw_list": drawsView{},
		"draw_view": drawView{},
		"draw_venue": venueDrawsView{Venue: "Q-TR-003", Draws: []draw.VenueDraw{
			{ID: 11, Exam: "D1", Session: 1, Status: draw.StatusDrawn, DrawnAt: "2027-06-08T05:00:00Z", Lines: []draw.Line{{Venue: "Q-TR-003", Role: draw.RolePAP, Name: "Gëzim Leka"}}},
			{ID: 12, Exam: "D2", Session: 1, Status: draw.StatusCommitted},
		}},
	})
}
