package applications

import (
	"testing"

	"provim/internal/web/webkit/webkittest"
)

// TestTemplates parses every page of the area and executes it with a
// filled sample of its view.
func TestTemplates(t *testing.T) {
	t.Parallel()
	webkittest.ExecuteAll(t, Templates, map[string]any{
		"app_a2":            a2View{},
		"app_ava":           avaView{},
		"app_failing":       failingView{},
		"app_final":         finalListView{},
		"app_final_confirm": finalConfirmView{},
		"app_list":          appListView{},
		"app_lists":         listsView{},
		"app_new":           paperView{},
		"app_pick":          pickView{},
		"app_receipt":       a1View{},
		"app_region":        regionView{},
		"app_special":       specialView{},
		"app_student":       a1View{},
		"app_tablet":        tableTView{},
		"app_view":          appView{},
	})
}
