package applications

import (
	"html"
	"strings"
	"testing"

	"provim/internal/auth"
	"provim/internal/web/webkit/webkittest"
)

// TestNeni36_FinalListPagerKeepsFiltersAndCursors: a page of a final list
// (Neni 36, issue 11) links to the first, previous, next and last pages
// by their cursors (faqja), keeping the school and the search in the
// address, and numbers its rows from its place in the list.
func TestNeni36_FinalListPagerKeepsFiltersAndCursors(t *testing.T) {
	t.Parallel()
	ava := &auth.Principal{Username: "ava", Role: auth.RoleAVA}
	page := html.UnescapeString(webkittest.Render(t, Templates, "app_final", ava, finalListView{}, map[string]any{
		"School": "A-1", "Q": "çela", "Total": 34070, "Offset": 200, "Count": 100,
		"Prev": "pAAA.BBB", "Next": "nCCC.DDD", "Last": "fund", "First": true,
	}))
	for _, want := range []string{
		`?q=%C3%A7ela&shkolla=A-1" rel="first">« E para`,
		`?faqja=pAAA.BBB&q=%C3%A7ela&shkolla=A-1" rel="prev">← Mëparshmit`,
		`?faqja=nCCC.DDD&q=%C3%A7ela&shkolla=A-1" rel="next">Pasardhësit →`,
		`?faqja=fund&q=%C3%A7ela&shkolla=A-1" rel="last">E fundit »`,
		`201–300 nga 34.070 kandidatë që përputhen me «çela»`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	first := html.UnescapeString(webkittest.Render(t, Templates, "app_final", ava, finalListView{}, map[string]any{
		"School": "", "Q": "", "Total": 34070, "Offset": 0, "Count": 100, "Prev": "", "Next": "nCCC.DDD", "Last": "fund", "First": false,
	}))
	if strings.Contains(first, `rel="prev"`) || strings.Contains(first, `rel="first"`) || !strings.Contains(first, `rel="next"`) {
		t.Errorf("the first page links back")
	}
}
