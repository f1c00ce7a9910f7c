package marking

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"provim/internal/auth"
	"provim/internal/marking"
	"provim/internal/registry"
	"provim/internal/testkit"
	"provim/internal/web/webkit"
)

func init() {
	samples = append(samples, func(m map[string]any) {
		row := marking.MarkerRow{Marker: marking.Marker{Username: "vl.a", FullName: "Arta Hoxha", School: "A-1", Task: marking.TaskMarker, Status: marking.StatusNotQualified,
			StatusNote: "Jashtë tolerancës"}, Trained: 2, Training: 2, MaxDiff: 3}
		items := []marking.Item{{No: 1, Label: "1", Kind: marking.KindChoice, MaxPoints: 1, Options: 4}, {No: 2, Label: "2", Kind: marking.KindShort, MaxPoints: 2}}
		m["marking_markers_list"] = markersView{Exam: "D1", Manage: true, Lead: true, Settings: marking.DefaultSettings(), Query: "Hoxha",
			Rows:        []markerView{{MarkerRow: row, StatusLabel: "I pakualifikuar", TaskLabel: "Vlerësues", Training: "2 nga 2", CanStop: true, CanResume: true, CanRetrain: true}},
			Found:       []marking.StaffCandidate{{PersonalNo: "J80101001A", FullName: "Drita Kola", School: "A-1", Subjects: "D1", Teaches: true}, {FullName: "Ema Leka", Subjects: "D2"}},
			Calibration: []calibrationView{{No: 1, Purpose: "Trajnim", Marks: "B (1) · 2", Total: 3}, {No: 2, Purpose: "E futur në radhë", Code: "ABCD-EFGH", Total: 1}},
			Items:       items, Purposes: []kindOption{{marking.PurposeTraining, "Trajnim"}}}
		agreed := marking.Marks{Choices: []string{"B", ""}, Points: []int{1, 2}}
		b := marking.TrainingBooklet{No: 1, Submitted: true, Yours: &agreed, YourTotal: 3, Agreed: &agreed, AgreedTotal: 3, Within: true}
		m["marking_markers_training"] = trainingView{T: marking.Training{Exam: "D1", Status: marking.StatusTraining, Tolerance: 2, Remaining: 1}, StatusLabel: "Në trajnim", Open: true, Items: items,
			Booklets: []trainingBookletView{{TrainingBooklet: b, Rows: []trainingRow{{"1", "B (1)", "B (1)"}, {"2", "2", "2"}}}, {TrainingBooklet: marking.TrainingBooklet{No: 2}}}}
	})
}

// The markers' pages and API over HTTP (Neni 57.7–57.11): AVA appoints a
// specialist and gets the letters, sets the tolerance and enters a
// training booklet; the marker trains and sees the agreed marks only
// after submitting, and sees no other marker; a marker of D2 sees
// nothing of D1's training; the lead stops a marker.
func TestNeni57_11_MarkersPagesAndAPI(t *testing.T) {
	t.Parallel()
	users := map[string]*auth.Principal{"ava": testkit.AVA,
		"vl.d2": {Username: "vl.d2", FullName: "Vlerësuesi D2", Role: auth.RoleMarker, Subject: "D2"}}
	for _, u := range []string{"tr.a", "tr.b", "vl.lead"} {
		users[u] = &auth.Principal{Username: u, FullName: "Vlerësuesi " + u, Role: auth.RoleMarker, Subject: "D1"}
	}
	k, srv := schemeServer(t, users)
	exec := func(q string, args ...any) {
		if _, err := k.DB.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO marking_tests (year, exam, title, updated_at, updated_by) VALUES (2009, 'D1', 'Testi', '2009-06-01T08:00:00Z', 'ava')`)
	exec(`INSERT INTO marking_items (year, exam, no, label, kind, max_points, options, answer_key, scheme) VALUES (2009, 'D1', 1, '1', 'choice', 1, 4, 'B', ''), (2009, 'D1', 2, '2', 'short', 2, 0, '', '')`)
	for _, m := range [][]string{{"tr.a", "marker", "training"}, {"tr.b", "marker", "training"}, {"vl.lead", "lead", "qualified"}} {
		exec(`INSERT INTO marking_markers (year, exam, username, full_name, school_code, task, status, appointed_by, appointed_at) VALUES (2009, 'D1', $1, $2, 'A-1', $3, $4, 'ava', '2009-06-01T08:00:00Z')`,
			m[0], "Vlerësuesi "+m[0], m[1], m[2])
	}
	call := func(user, method, path, body string) (int, string) {
		ct := ""
		if body != "" {
			ct = "application/json"
		}
		return schemeCall(t, srv, user, method, path, ct, []byte(body))
	}
	pn := registry.MakeNID(time.Date(1970, 2, 3, 0, 0, 0, 0, time.UTC), "F", 7)
	code, body := call("ava", "POST", "/api/v1/marking/D1/markers", `{"appointments": [{"personal_no": "`+pn+`", "full_name": "Liri Dema", "institution": "Universiteti i Tiranës", "subjects": "D1"}]}`)
	if code != http.StatusOK || !strings.Contains(body, `"appointed": 1`) || !strings.Contains(body, `"activation_code"`) {
		t.Fatalf("appoint: %d %s", code, body)
	}
	if code, _ := call("vl.lead", "POST", "/api/v1/marking/D1/markers", `{"appointments": []}`); code != http.StatusForbidden {
		t.Fatalf("lead appoints: %d", code)
	}
	if code, body := call("ava", "PUT", "/api/v1/marking/D1/settings", `{"tolerance": 0, "monitor_rate_pm": 50, "seeded_rate_pm": 20}`); code != http.StatusOK || !strings.Contains(body, `"tolerance": 0`) {
		t.Fatalf("settings: %d %s", code, body)
	}
	if code, body := call("ava", "POST", "/api/v1/marking/D1/calibration", `{"purpose": "training", "booklets": [{"choices": ["B", ""], "points": [0, 2]}]}`); code != http.StatusCreated {
		t.Fatalf("calibration: %d %s", code, body)
	}
	if code, _ := call("vl.lead", "GET", "/api/v1/marking/D1/calibration", ""); code != http.StatusForbidden {
		t.Fatalf("lead reads the agreed marks: %d", code)
	}
	code, body = call("ava", "GET", "/vleresimi/D1/vleresuesit", "")
	if code != http.StatusOK || !strings.Contains(body, "Liri Dema") || !strings.Contains(body, "Universiteti i Tiranës") || !strings.Contains(body, "markers-calibration") {
		t.Fatalf("AVA's page: %d\n%s", code, body)
	}
	// The marker's training: the agreed marks hidden before submission.
	code, body = call("tr.a", "GET", "/api/v1/marking/D1/training", "")
	if code != http.StatusOK || strings.Contains(body, `"agreed"`) || !strings.Contains(body, `"remaining": 1`) {
		t.Fatalf("training: %d %s", code, body)
	}
	if code, body := call("tr.a", "GET", "/vleresimi/D1/trajnimi", ""); code != http.StatusOK || !strings.Contains(body, "/vleresimi/D1/trajnimi/1") || strings.Contains(body, "E miratuara") {
		t.Fatalf("training page: %d\n%s", code, body)
	}
	code, body = call("tr.a", "PUT", "/api/v1/marking/D1/training/1", `{"choices": ["B", ""], "points": [0, 2]}`)
	if code != http.StatusOK || !strings.Contains(body, `"status": "qualified"`) || !strings.Contains(body, `"agreed_total": 3`) {
		t.Fatalf("mark training: %d %s", code, body)
	}
	if code, body := call("tr.a", "GET", "/vleresimi/D1/trajnimi", ""); code != http.StatusOK || !strings.Contains(body, "E miratuara") {
		t.Fatalf("training page after: %d\n%s", code, body)
	}
	// A marker sees only themselves; a marker of D2 sees nothing of D1.
	if code, body := call("tr.a", "GET", "/vleresimi/D1/vleresuesit", ""); code != http.StatusOK || strings.Contains(body, "tr.b") || strings.Contains(body, "Liri Dema") || strings.Contains(body, "markers-appoint") {
		t.Fatalf("marker's list: %d\n%s", code, body)
	}
	for _, path := range []string{"/vleresimi/D1/trajnimi", "/vleresimi/D1/vleresuesit", "/api/v1/marking/D1/training", "/api/v1/marking/D1/markers"} {
		if code, body := call("vl.d2", "GET", path, ""); code != http.StatusForbidden || strings.Contains(body, "tr.a") {
			t.Fatalf("D2's marker on %s: %d %s", path, code, body)
		}
	}
	// The lead stops and resumes a marker.
	if code, body := call("vl.lead", "POST", "/api/v1/marking/D1/markers/tr.a/stop", `{"reason": "Shmanget nga skema"}`); code != http.StatusOK || !strings.Contains(body, `"status": "stopped"`) {
		t.Fatalf("stop: %d %s", code, body)
	}
	if code, _ := call("tr.b", "POST", "/api/v1/marking/D1/markers/tr.a/resume", ""); code != http.StatusForbidden {
		t.Fatalf("a marker resumes: %d", code)
	}
	if code, body := call("vl.lead", "POST", "/api/v1/marking/D1/markers/tr.a/resume", ""); code != http.StatusOK || !strings.Contains(body, `"status": "qualified"`) {
		t.Fatalf("resume: %d %s", code, body)
	}
	if code, body := call("vl.lead", "GET", "/vleresimi/D1/vleresuesit", ""); code != http.StatusOK || !strings.Contains(body, "vleresuesit/ndalo") || strings.Contains(body, "markers-appoint") {
		t.Fatalf("lead's page: %d\n%s", code, body)
	}
}

// markersUIServer is schemeServer with a session whose form token is "t",
// so the pages' forms can be posted.
func markersUIServer(t *testing.T, users map[string]*auth.Principal) (*testkit.Kit, func(user, path string, form url.Values) (int, string, string)) {
	t.Helper()
	k := testkit.New(t)
	kit, err := webkit.New(slog.New(slog.NewTextHandler(io.Discard, nil)), "", nil, Templates)
	if err != nil {
		t.Fatal(err)
	}
	h := New(kit, k.Services)
	mux := http.NewServeMux()
	h.Routes(mux)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := users[r.Header.Get("X-Test-User")]; p != nil {
			r = webkit.WithPrincipal(webkit.WithSession(r, &auth.Session{CSRF: "t", User: &auth.User{}}), p)
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(user, path string, form url.Values) (int, string, string) {
		method, body := http.MethodGet, io.Reader(nil)
		if form != nil {
			form.Set("csrf", "t")
			method, body = http.MethodPost, strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, srv.URL+path, body)
		req.Header.Set("X-Test-User", user)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
	}
	return k, post
}

// The forms of the pages, without JavaScript: AVA searches the registry,
// appoints the teacher found (the letters come as a PDF), is told why a
// teacher of another subject is refused (Neni 57.7), saves the settings
// and a calibration booklet; the marker trains through the form.
func TestNeni57_8_MarkersForms(t *testing.T) {
	t.Parallel()
	users := map[string]*auth.Principal{"ava": testkit.AVA}
	k, do := markersUIServer(t, users)
	k.Country(t)
	if _, err := k.Marking.SaveTest(context.Background(), testkit.AVA, 0, "D1", marking.TestInput{Title: "Testi", Items: []marking.Item{
		{Label: "1", Kind: "choice", MaxPoints: 20, Options: 4, Key: "B"}, {Label: "2", Kind: "short", MaxPoints: 40, Levels: []marking.Level{{Points: 40, Text: "e plotë"}, {Points: 20, Text: "e pjesshme"}}}}}); err != nil {
		t.Fatal(err)
	}
	code, _, body := do("ava", "/vleresimi/D1/vleresuesit?kerko=Kola", nil)
	if code != http.StatusOK || !strings.Contains(body, "Drita Kola") {
		t.Fatalf("search: %d\n%s", code, body)
	}
	staff, _, _ := k.Registry.ListStaff(context.Background(), testkit.AVA, registry.StaffFilter{})
	pns := map[string]string{}
	for _, s := range staff {
		pns[s.FirstName] = s.PersonalNo
	}
	code, _, body = do("ava", "/vleresimi/D1/vleresuesit", url.Values{"numrat": {pns["Ema"]}, "detyra": {"marker"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Neni 57.7") {
		t.Fatalf("another subject's teacher: %d\n%s", code, body)
	}
	code, ctype, _ := do("ava", "/vleresimi/D1/vleresuesit", url.Values{"numrat": {pns["Drita"]}, "detyra": {"lead"}})
	if code != http.StatusOK || ctype != "application/pdf" {
		t.Fatalf("appoint: %d %s", code, ctype)
	}
	if code, _, _ := do("ava", "/vleresimi/D1/vleresuesit", url.Values{"numrat": {pns["Drita"]}, "detyra": {"lead"}}); code != http.StatusSeeOther {
		t.Fatalf("appoint again: %d", code)
	}
	if code, _, body := do("ava", "/vleresimi/D1/vleresuesit/parametrat", url.Values{"toleranca": {"abc"}, "monitorimi": {"50"}, "kalibrimi": {"20"}}); code != http.StatusUnprocessableEntity {
		t.Fatalf("bad settings: %d\n%s", code, body)
	}
	if code, _, _ := do("ava", "/vleresimi/D1/vleresuesit/parametrat", url.Values{"toleranca": {"20"}, "monitorimi": {"50"}, "kalibrimi": {"20"}}); code != http.StatusSeeOther {
		t.Fatalf("settings: %d", code)
	}
	if code, _, body := do("ava", "/vleresimi/D1/vleresuesit/kalibrimi", url.Values{"qellimi": {"training"}, "k1": {"B"}, "k2": {"20"}}); code != http.StatusSeeOther {
		t.Fatalf("calibration: %d\n%s", code, body)
	}
	rows, err := k.Marking.Markers(context.Background(), testkit.AVA, 0, "D1")
	if err != nil || len(rows) != 1 {
		t.Fatalf("markers: %+v %v", rows, err)
	}
	users[rows[0].Username] = &auth.Principal{Username: rows[0].Username, FullName: rows[0].FullName, Role: auth.RoleMarker, Subject: "D1"}
	if code, _, body := do(rows[0].Username, "/vleresimi/D1/trajnimi", nil); code != http.StatusOK || !strings.Contains(body, "trajnimi/1") {
		t.Fatalf("training page: %d\n%s", code, body)
	}
	if code, _, body := do(rows[0].Username, "/vleresimi/D1/trajnimi/1", url.Values{"k1": {"B"}, "k2": {"x"}}); code != http.StatusUnprocessableEntity {
		t.Fatalf("bad marks: %d\n%s", code, body)
	}
	if code, _, body := do(rows[0].Username, "/vleresimi/D1/trajnimi/1", url.Values{"k1": {"B"}, "k2": {"40"}}); code != http.StatusSeeOther {
		t.Fatalf("training: %d\n%s", code, body)
	}
	if rows, _ := k.Marking.Markers(context.Background(), testkit.AVA, 0, "D1"); rows[0].Status != marking.StatusQualified {
		t.Fatalf("20 points off, tolerance 20: %+v", rows[0])
	}
}
