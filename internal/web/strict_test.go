package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestBadValuesAreErrors: a query or form value that does not parse is an
// Albanian error, never a silent default (issue 8: sesioni=3 became 1).
func TestBadValuesAreErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, tc := range []struct {
		user, path, want string
	}{
		{"kmsh", "/shorti?sesioni=3", "Sesioni duhet të jetë 1 ose 2, jo «3»."},
		{"ava", "/materialet?sesioni=x", "Sesioni duhet të jetë 1 ose 2, jo «x»."},
		{"ava", "/nxenesit?nga=dy", "«nga» duhet të jetë numër i plotë, jo «dy»."},
		{"ava", "/personeli?nga=1e3", "«nga» duhet të jetë numër i plotë, jo «1e3»."},
		{"ava", "/aplikimet/kategori-te-vecanta?kategoria=neni99", "Kategoria «neni99» nuk është kategori e veçantë."},
		{"kmsh", "/plani/salla/1?format=docx", "Formati «docx» nuk njihet: pdf."},
	} {
		code, body := f.ui(t, tc.user, tc.path)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) {
			t.Errorf("%s %s: %d, want 422 with %q\n%s", tc.user, tc.path, code, tc.want, errorOf(body))
		}
	}
	for _, tc := range []struct {
		user, path, want string
	}{
		{"kmsh", "/api/v1/staffing/DAR-A?session=3", "Sesioni duhet të jetë 1 ose 2, jo «3»."},
		{"ava", "/api/v1/custody/board?session=0", "Sesioni duhet të jetë 1 ose 2, jo «0»."},
		{"ava", "/api/v1/plans/D1?session=3", "Sesioni duhet të jetë 1 ose 2, jo «3»."},
		{"ava", "/api/v1/schools?offset=x", "«offset» duhet të jetë numër i plotë, jo «x»."},
		{"ava", "/api/v1/students?limit=shumë", "«limit» duhet të jetë numër i plotë, jo «shumë»."},
		{"ava", "/api/v1/audit?limit=x", "«limit» duhet të jetë numër i plotë, jo «x»."},
		{"ava", "/api/v1/applications?failing=po", "Parametri «failing» duhet të jetë true ose false, jo «po»."},
	} {
		resp, body := f.raw(t, tc.user, "GET", tc.path, "", nil)
		if e := apiErr(t, resp, body); resp.StatusCode != http.StatusUnprocessableEntity || e.Code != "invalid" || e.Message != tc.want {
			t.Errorf("%s %s: %d %s, want 422 %q", tc.user, tc.path, resp.StatusCode, e.Message, tc.want)
		}
	}
	// A session in a JSON body: absent is 1, anything but 1 or 2 refused.
	if code, body := f.api(t, "kmsh", "POST", "/api/v1/draw-pools/DAR-A/fill", map[string]any{"session": 3}); code != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "Sesioni duhet të jetë 1 ose 2") {
		t.Errorf("fill with session 3: %d %s", code, snippet(body))
	}
	// A form: a grade that is not a number keeps the form and says why.
	code, body, _ := f.post(t, "ava", "/nxenesit", map[string][]string{"personal_no": {"X1"}, "first_name": {"Ana"}, "average_grade": {"tetë"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "«average_grade» duhet të jetë numër, jo «tetë».") || !strings.Contains(body, `value="Ana"`) {
		t.Errorf("student with a bad grade: %d %s", code, errorOf(body))
	}
}
