package marking

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"provim/internal/anonym"
)

// TestBadPathAndFormValuesAreAlbanianErrors: a page number, a queue id or
// a round that does not parse is an Albanian error naming what was typed
// (not_found for a path value, invalid for a query or form value), never
// a silent 0 ("Faqja 0 …" was the domain's answer to "abc").
func TestBadPathAndFormValuesAreAlbanianErrors(t *testing.T) {
	t.Parallel()
	_, call, code := scanWebWorld(t)
	disp := anonym.Display(code)
	const form = "application/x-www-form-urlencoded"
	for _, tc := range []struct {
		user, method, path, body string
		status                   int
		want                     string
	}{
		{"ava", "GET", "/vleresimi/D1/skanimet/radha/abc", "", http.StatusNotFound, "Faqja në radhën e skanimeve «abc» nuk u gjet."},
		{"ava", "POST", "/vleresimi/D1/skanimet/radha/1x", "csrf=t&kodi=" + disp, http.StatusNotFound, "Faqja në radhën e skanimeve «1x» nuk u gjet."},
		{"vl.a", "GET", "/vleresimi/D1/broshura/" + disp + "/skanimi/dy", "", http.StatusNotFound, "Faqja e skanuar «dy» nuk u gjet."},
		{"ava", "GET", "/vleresimi/D1/letra?kodi=" + disp + "&raundi=dy", "", http.StatusUnprocessableEntity, "«raundi» duhet të jetë numër i plotë, jo «dy»."},
		{"ava", "POST", "/vleresimi/D1/letra", "csrf=t&kodi=" + disp + "&raundi=i+dyti&k1=2", http.StatusUnprocessableEntity, "«raundi» duhet të jetë numër i plotë, jo «i dyti»."},
	} {
		ctype := ""
		if tc.method == "POST" {
			ctype = form
		}
		r := call(tc.user, tc.method, tc.path, ctype, []byte(tc.body))
		if r.code != tc.status || !strings.Contains(r.body, tc.want) {
			t.Errorf("%s %s %s: %d, want %d with %q\n%s", tc.user, tc.method, tc.path, r.code, tc.status, tc.want, r.body)
		}
	}
	for _, tc := range []struct {
		user, method, path, body, want string
	}{
		{"ava", "GET", "/api/v1/marking/D1/scans/queue/x", "", "Faqja në radhën e skanimeve «x» nuk u gjet."},
		{"ava", "POST", "/api/v1/marking/D1/scans/queue/-1", `{"code":"` + disp + `"}`, "Faqja në radhën e skanimeve «-1» nuk u gjet."},
		{"vl.a", "GET", "/api/v1/marking/D1/booklets/" + disp + "/scans/01", "", "Faqja e skanuar «01» nuk u gjet."},
	} {
		r := call(tc.user, tc.method, tc.path, "application/json", []byte(tc.body))
		var e struct{ Code, Message string }
		if err := json.Unmarshal([]byte(r.body), &e); err != nil || r.code != http.StatusNotFound || e.Code != "not_found" || e.Message != tc.want {
			t.Errorf("%s %s %s: %d %s, want 404 not_found %q", tc.user, tc.method, tc.path, r.code, r.body, tc.want)
		}
	}
}
