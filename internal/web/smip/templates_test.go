package smip

import (
	"testing"

	"provim/internal/web/webkit/webkittest"
)

// TestTemplates executes every page of the area with a sample view.
func TestTemplates(t *testing.T) {
	t.Parallel()
	webkittest.ExecuteAll(t, Templates, map[string]any{
		"smip_index": indexView{Years: []int{2027, 2026}},
	})
}
