package registry

import (
	"testing"

	"provim/internal/registry"
	"provim/internal/web/webkit/webkittest"
)

// TestTemplates parses every page of the area and executes it with a
// filled sample of its view.
func TestTemplates(t *testing.T) {
	t.Parallel()
	webkittest.ExecuteAll(t, Templates, map[string]any{
		"students":     studentsView{},
		"student":      studentView{},
		"import":       importView{},
		"schools":      schoolsView{},
		"school":       schoolView{},
		"staff":        staffListView{},
		"staff_member": staffView{},
		"venues":       venuesView{},
		"venue":        venueView{},
		"units":        []registry.Unit{},
	})
}
