package web

import (
	"strings"
	"testing"
)

// A page's header, the account page and the users list name a scope as
// people know it — the DAR's name, the school's and the venue's name with
// their city, the subject — never by its code alone (issue 11, part C).
func TestScopesAreNamedNotCoded(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, c := range []struct{ user, want, lack string }{
		{"ava", "Kombëtar", ""},
		{"kmsh", "DAR Tiranë", "DAR/ZA DAR-A"},
		{"kshmsh", "Shkolla: Gjimnazi Çajupi, Tiranë", "Shkolla A-1"},
		{"pap", "Qendra: Gjimnazi Çajupi, Tiranë", "Qendra Q-A-1"},
		{"vleresues", "Lënda: D1 — Gjuhë shqipe dhe letërsi", "Lënda D1"},
		{"nxenes", "Vetëm të dhënat e mia", ""},
	} {
		for _, path := range []string{"/paneli", "/llogaria"} {
			_, page := f.ui(t, c.user, path)
			head := page[:max(0, strings.Index(page, "</header>"))]
			if !strings.Contains(head, `<span class="scope">`+c.want+`</span>`) {
				t.Errorf("%s %s: the header does not name the scope %q:\n%s", c.user, path, c.want, head)
			}
			if c.lack != "" && strings.Contains(page, c.lack) {
				t.Errorf("%s %s: the page names the scope by code %q", c.user, path, c.lack)
			}
		}
	}
	body := f.expect(t, "ava", "/perdoruesit", 200, "<td>DAR Tiranë</td>", "<td>Shkolla: Gjimnazi Çajupi, Tiranë</td>",
		"<td>Qendra: Gjimnazi Çajupi, Tiranë</td>", "<td>Lënda: D1 — Gjuhë shqipe dhe letërsi</td>")
	if strings.Contains(body, "DAR/ZA DAR-A") {
		t.Error("the users list names a scope by code")
	}
	// An activation letter names the scope too (the API's JSON).
	code, out := f.api(t, "ava", "POST", "/api/v1/users/activation-letters", map[string]any{"usernames": []string{"pap"}})
	if code != 200 || !strings.Contains(out, `"scope": "Qendra: Gjimnazi Çajupi, Tiranë"`) {
		t.Errorf("reset by letter: %d %s", code, out)
	}
}
