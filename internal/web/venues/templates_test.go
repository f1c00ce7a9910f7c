package venues

import (
	"testing"

	"provim/internal/nextstep"
	"provim/internal/web/webkit/webkittest"
)

// TestTemplates parses every page of the area and executes it with a
// filled sample of its view.
func TestTemplates(t *testing.T) {
	t.Parallel()
	webkittest.ExecuteAll(t, Templates, map[string]any{
		"venue_inspection":   inspectionView{},
		"venue_inspections":  inspectionsView{},
		"venue_mine":         myVenueView{Student: &nextstep.Student{Exams: []nextstep.Exam{{Exam: "D1", Assigned: true}, {Exam: "GJE"}}}},
		"venue_plan":         planView{},
		"venue_plan_confirm": planConfirmView{},
		"venue_move_confirm": moveConfirmView{},
		"venue_notices":      noticesView{},
		"venue_room":         roomView{},
		"venue_school":       schoolSeatsView{},
	})
}
