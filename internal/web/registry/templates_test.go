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
		"school":       schoolView{Notices: [][2]string{{"D1", "Gjuha shqipe dhe letërsia"}}},
		"staff":        staffListView{},
		"staff_member": staffView{},
		"venues":       venuesView{Total: 1, Prev: 0, Next: 50},
		"venue":        venueView{},
		"units":        []registry.Unit{},
	})
}
