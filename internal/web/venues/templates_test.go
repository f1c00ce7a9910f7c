package venues

import (
	"testing"

	"provim/internal/venue"
	"provim/internal/web/webkit/webkittest"
)

// TestTemplates parses every page of the area and executes it with a
// filled sample of its view.
func TestTemplates(t *testing.T) {
	t.Parallel()
	webkittest.ExecuteAll(t, Templates, map[string]any{
		"venue_inspection":  inspectionView{},
		"venue_inspections": inspectionsView{},
		"venue_mine":        []venue.Seat{},
		"venue_plan":        planView{},
		"venue_room":        roomView{},
		"venue_school":      schoolSeatsView{},
	})
}
