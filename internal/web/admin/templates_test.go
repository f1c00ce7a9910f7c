package admin

import (
	"testing"

	"provim/internal/web/webkit/webkittest"
)

// TestTemplates parses every page of the area and executes it with a
// filled sample of its view.
func TestTemplates(t *testing.T) {
	t.Parallel()
	webkittest.ExecuteAll(t, Templates, map[string]any{
		"users": usersView{},
		"audit": auditView{},
		"years": yearsView{},
		"year":  yearView{},
	})
}
