package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"provim/internal/examyear"
	"provim/internal/web/webkit"
)

// TestExamYearLifecycle: AVA creates a year by copying one (dates moved by
// the difference), edits it, sees a broken configuration refused with
// every reason, and activates it; every change is audited.
func TestExamYearLifecycle(t *testing.T) {
	t.Parallel()
	f := newFixture(t)

	code, body := f.api(t, "kmsh", "POST", "/api/v1/years", map[string]any{"year": 2027, "based_on": 2009})
	if code != http.StatusForbidden {
		t.Fatalf("kmsh create: %d %s", code, snippet(body))
	}
	code, body = f.api(t, "ava", "POST", "/api/v1/years", map[string]any{"year": 2027, "based_on": 2009})
	if code != http.StatusCreated {
		t.Fatalf("ava create: %d %s", code, snippet(body))
	}
	var y examyear.Year
	if err := json.Unmarshal([]byte(body), &y); err != nil {
		t.Fatal(err)
	}
	if d, _ := y.Config.Deadline(examyear.KeyA1); d.Date != "2027-03-10" || y.Config.SchoolYear != "2026–2027" || y.Active {
		t.Fatalf("copied year: A1 due %s, school year %s, active %v", d.Date, y.Config.SchoolYear, y.Active)
	}
	if code, _ := f.api(t, "ava", "POST", "/api/v1/years", map[string]any{"year": 2027}); code != http.StatusConflict {
		t.Fatalf("second create: %d, want 409", code)
	}

	// A configuration with two problems is refused, naming both.
	bad := y.Config
	bad.Subjects = append([]examyear.Subject(nil), bad.Subjects...)
	bad.ElectiveCount = 0
	bad.Calendar = nil
	code, body = f.api(t, "ava", "PUT", "/api/v1/years/2027", map[string]any{"config": bad})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "details") {
		t.Fatalf("bad config: %d %s", code, snippet(body))
	}
	var e webkit.APIError
	json.Unmarshal([]byte(body), &e)
	if len(e.Details) < 2 {
		t.Fatalf("bad config: want every reason, got %v", e.Details)
	}

	good := y.Config
	good.Fees.A2 = 1200
	code, body = f.api(t, "ava", "PUT", "/api/v1/years/2027", map[string]any{"name": "Matura 2027", "config": good})
	if code != http.StatusOK || !strings.Contains(body, `"a2": 1200`) {
		t.Fatalf("update: %d %s", code, snippet(body))
	}
	if code, body := f.api(t, "ava", "PUT", "/api/v1/years/2027/active", nil); code != http.StatusNoContent {
		t.Fatalf("activate: %d %s", code, snippet(body))
	}
	code, body = f.api(t, "kshmsh", "GET", "/api/v1/years/active", nil)
	if code != http.StatusOK || !strings.Contains(body, `"year": 2027`) {
		t.Fatalf("active year: %d %s", code, snippet(body))
	}
	code, body = f.ui(t, "kshmsh", "/paneli")
	if code != http.StatusOK || !strings.Contains(body, "Matura 2027") || !strings.Contains(body, "10.03.2027") {
		t.Fatalf("dashboard shows the active year and its deadlines: %d %s", code, snippet(body))
	}
	code, body = f.api(t, "ava", "GET", "/api/v1/audit?object_type=exam_year&object_id=2027", nil)
	if code != http.StatusOK || strings.Count(body, `"action"`) != 3 {
		t.Fatalf("audit of the year (create, update, activate): %d %s", code, snippet(body))
	}
}

// TestNeni14_3_17_YearShowsTheOneSittingWarning: a year whose electives'
// day has one sitting is saved (Validate accepts it), and both its page
// and the API's answer say that no candidate can then take two electives
// (Neni 14.3, 17); the default year, with two sittings, says nothing.
func TestNeni14_3_17_YearShowsTheOneSittingWarning(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	code, body := f.api(t, "ava", "POST", "/api/v1/years", map[string]any{"year": 2028, "based_on": 2009})
	if code != http.StatusCreated || strings.Contains(body, `"warnings"`) {
		t.Fatalf("create: %d %s", code, snippet(body))
	}
	if code, body := f.ui(t, "ava", "/vitet/2028"); code != http.StatusOK || strings.Contains(body, `id="warnings"`) {
		t.Fatalf("two sittings warn on the page: %d %s", code, snippet(body))
	}
	var y examyear.Year
	if err := json.Unmarshal([]byte(body), &y); err != nil {
		t.Fatal(err)
	}
	one := y.Config
	var exams []examyear.ExamDay
	seen := false
	for _, e := range one.Exams {
		if e.Code == examyear.KindElective && e.Session == 1 {
			if seen {
				continue
			}
			seen = true
			e.Subjects = nil
		}
		exams = append(exams, e)
	}
	one.Exams = exams
	code, body = f.api(t, "ava", "PUT", "/api/v1/years/2028", map[string]any{"config": one})
	if code != http.StatusOK || !strings.Contains(body, `"warnings"`) || !strings.Contains(body, "Neni 14.3, 17") {
		t.Fatalf("one sitting saved without its warning: %d %s", code, snippet(body))
	}
	code, body = f.ui(t, "ava", "/vitet/2028")
	if code != http.StatusOK || !strings.Contains(body, `id="warnings"`) || !strings.Contains(body, "asnjë kandidat nuk mund të japë dy lëndë me zgjedhje") {
		t.Fatalf("the page does not warn: %d %s", code, snippet(body))
	}
	if code, body := f.api(t, "ava", "GET", "/api/v1/years/2028", nil); code != http.StatusOK || !strings.Contains(body, "Neni 14.3, 17") {
		t.Fatalf("get: %d %s", code, snippet(body))
	}
}
