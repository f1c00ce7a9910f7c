package marking

import (
	"testing"

	"provim/internal/auth"
	"provim/internal/marking"
	"provim/internal/web/webkit"
	"provim/internal/web/webkit/webkittest"
)

// TestTemplates parses every page of the area and executes it with a
// filled sample of its view. Each part adds its pages to samples.
func TestTemplates(t *testing.T) {
	t.Parallel()
	pages := map[string]any{
		"marking_index": indexView{Year: 2027, Exams: []examRow{{Exam: marking.Exam{Code: "D1", Name: "Gjuhë shqipe dhe letërsi", MaxPoints: 60},
			Links: []webkit.Link{{Href: "/vleresimi/D1/radha", Label: "Testet për vlerësim"}}, Scheme: "/skema/2027/D1"}}, P: &auth.Principal{Role: auth.RoleAVA}},
	}
	for _, add := range samples {
		add(pages)
	}
	webkittest.ExecuteAll(t, Templates, pages)
}

// samples are the parts' additions to the template samples (one file
// per part appends in its init).
var samples []func(map[string]any)
