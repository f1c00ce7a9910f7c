package venues

import (
	"strings"
	"testing"

	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/web/webkit/webkittest"
)

// TestNeni37_41_VenueFormsPastTheirDeadlineSayWhyAndAreDisabled: the
// inspection form (Neni 37) and the venue list (Neni 41 ¶1) show, once
// their deadline has passed for a KMSH, the sentence naming the deadline,
// its day and article, with their fields and submit disabled; AVA, which
// may still approve with a reason, is told so and keeps the form open.
func TestNeni37_41_VenueFormsPastTheirDeadlineSayWhyAndAreDisabled(t *testing.T) {
	t.Parallel()
	kmsh := &auth.Principal{Username: "kmsh", FullName: "K", Role: auth.RoleKMSH, Unit: "DAR-A"}
	closed := application.Window{Key: "venue_lists", Name: "Lista e mjediseve", Article: "Neni 41 ¶1", Date: "20.04.2027", Closed: true}
	late := closed
	late.Closed, late.Late = false, true
	for _, c := range []struct {
		page, form, field string
		view              any
	}{
		{"venue_inspection", "inspection-form", "Window", inspectionView{}},
		{"venue_inspections", "send-venue-list", "ListWindow", inspectionsView{}},
	} {
		for _, w := range []application.Window{closed, late, {Key: closed.Key, Name: closed.Name, Article: closed.Article, Date: closed.Date}} {
			page := webkittest.Render(t, Templates, c.page, kmsh, c.view, map[string]any{c.field: w})
			i := strings.Index(page, `id="`+c.form+`"`)
			if i < 0 {
				t.Fatalf("%s: no form %s", c.page, c.form)
			}
			j := strings.Index(page[i:], `<fieldset class="step"`)
			tag := page[i+j : i+j+strings.Index(page[i+j:], ">")+1]
			disabled := tag == `<fieldset class="step" disabled>`
			if disabled != w.Closed {
				t.Errorf("%s #%s with %+v: %s", c.page, c.form, w, tag)
			}
			if said := strings.Contains(page, "Afati «Lista e mjediseve» (Neni 41 ¶1) ka kaluar më 20.04.2027"); said != w.Passed() {
				t.Errorf("%s #%s with %+v: the sentence shown %v", c.page, c.form, w, said)
			}
		}
	}
}
