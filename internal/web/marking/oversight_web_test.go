package marking

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"provim/internal/auth"
	"provim/internal/marking"
	"provim/internal/testkit"
	"provim/internal/web/webkit"
)

func init() {
	samples = append(samples, func(m map[string]any) {
		ex := marking.Exam{Code: "D1", Name: "Gjuhë shqipe dhe letërsi", MaxPoints: 60}
		mon := marking.Monitoring{Year: 2009, Exam: ex, RatePM: 50, Waiting: 12, CanDraw: true,
			Draws:   []marking.Draw{{No: 1, Monitor: "mon.d1", Seed: "ab12", RatePM: 50, Population: 40, Sampled: 2, DrawnAt: "2009-06-20T08:00:00Z", Verified: true}},
			Samples: []marking.Sample{{Code: "K7Q2M9XDR", Display: "K7Q2-M9XD-R", DrawNo: 1, Verdict: marking.VerdictReturned, Reason: "Kërkesa 2 mbi skemën", Final: -1}, {Code: "K7Q2M9XDS", Display: "K7Q2-M9XD-S", DrawNo: 1, Final: 41}}}
		m["marking_oversight_monitor"] = monitorView{M: mon, Draws: []drawRow{{D: mon.Draws[0], DrawnAt: "20.06.2009 10:00"}}}
		marks := marking.Marks{Choices: []string{"", ""}, Points: []int{3, 4}}
		sb := marking.SampledBooklet{Year: 2009, Exam: "D1", Sample: mon.Samples[1], State: marking.StateFinal, Round: 3, Items: []marking.Item{{No: 1, Label: "1", Kind: marking.KindShort, MaxPoints: 4}}, Marks: &marks, CanReview: true}
		m["marking_oversight_sample"] = sampleView{B: sb, Rows: []sampleRow{{Label: "1", Max: 4, Points: "3"}}, Verdict: "Për t'u shqyrtuar", Total: "7", Reason: "x"}
		cs := marking.Case{No: 1, Codes: []string{"K7Q2M9XDR"}, Displays: []string{"K7Q2-M9XD-R"}, OpenedBy: "kop", OpenedAt: "2009-06-21T08:00:00Z", Finding: marking.FindingCopied, FindingNote: "Njësoj", FindingBy: "kop"}
		cp := marking.Copying{Year: 2009, Exam: ex, CanOpen: true, CanDecide: true, Reports: []marking.Report{{Code: "K7Q2M9XDR", Display: "K7Q2-M9XD-R", ReportedBy: "vl.a", Reason: "Përgjigje identike", CaseNo: 1}, {Code: "K7Q2M9XDS", Display: "K7Q2-M9XD-S", ReportedBy: "vl.b", Reason: "x"}}, Cases: []marking.Case{cs}}
		m["marking_oversight_copying"] = copyingView{C: cp, Reports: []reportRow{{R: cp.Reports[0], At: "21.06.2009 10:00", FirstRow: true}, {R: cp.Reports[1], Waiting: true, FirstRow: true}},
			Cases: []caseRow{{C: cs, Codes: "K7Q2-M9XD-R", Finding: "U kopjua", Decision: "Pret vendimin e MASH", CanFind: true, CanDecide: true}}}
		mq := marking.MarkerQuality{Username: "x", FullName: "Arta Hoxha", Task: marking.TaskMarker, Status: marking.StatusQualified, Marked: 10, Paired: 10, Agreement: 0.6, Warnings: []string{"Rrëshqet."}, Stoppable: true,
			Drift: []marking.DayDiff{{Day: "2009-06-20", Booklets: 5, Mean: 0.2}, {Day: "2009-06-21", Booklets: 5, Mean: 3}}}
		q := marking.Quality{Year: 2009, Exam: ex, Tolerance: 2, Booklets: 20, Paired: 10, Agreement: 0.8, Days: []string{"2009-06-20", "2009-06-21"}, Markers: []marking.MarkerQuality{mq}, CanStop: true}
		m["marking_oversight_quality"] = qualityView{Q: q, Agreement: "80%", MeanAbs: "0,50", Kappa: "0,71", Bars: marking.AgreementChart(q), Drift: marking.DriftChart(q),
			Rows: []qualityRow{{M: mq, Status: "I kualifikuar", Agreement: "60%", MeanAbs: "1,20", Kappa: "0,40", Sided: "0 nga 3", Seeded: "3,0 pikë (1)", CanStop: true}}}
	})
}

// oversightServer serves the area to the users named by X-Test-User,
// each with a session whose form token is "t".
func oversightServer(t *testing.T, users map[string]*auth.Principal) (*testkit.Kit, func(user, method, path, ctype, body string) (int, string)) {
	t.Helper()
	k := testkit.New(t)
	kit, err := webkit.New(slog.New(slog.NewTextHandler(io.Discard, nil)), "", nil, Templates)
	if err != nil {
		t.Fatal(err)
	}
	h := New(kit, k.Services)
	mux := http.NewServeMux()
	h.Routes(mux)
	h.APIRoutes(mux)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := users[r.Header.Get("X-Test-User")]; p != nil {
			if strings.HasPrefix(r.URL.Path, "/api/") {
				r = webkit.WithPrincipal(r, p)
			} else {
				r = webkit.WithSession(r, &auth.Session{CSRF: "t", User: &auth.User{Username: p.Username, FullName: p.FullName, Role: p.Role, Subject: p.Subject}})
			}
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return k, func(user, method, path, ctype, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("X-Test-User", user)
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
}

const ovForm = "application/x-www-form-urlencoded"

// oversightWebWorld: D1 with two items, markers x, a and the lead, three
// final booklets of x and a, a seeded one x marked 3 points over, one
// booklet drawn by the monitor, reported and taken into a case with
// KOPOTED's finding.
func oversightWebWorld(t *testing.T) (*testkit.Kit, func(user, method, path, ctype, body string) (int, string)) {
	t.Helper()
	users := map[string]*auth.Principal{
		"ava":  testkit.AVA,
		"mon":  {Username: "mon", Role: auth.RoleMonitor, Subject: "D1"},
		"kop":  {Username: "kop", Role: auth.RoleKOPOTED},
		"mash": {Username: "mash", Role: auth.RoleMASH},
		"vez":  {Username: "vez", Role: auth.RoleObserver},
		"lead": {Username: "lead", Role: auth.RoleMarker, Subject: "D1"},
		"a":    {Username: "a", Role: auth.RoleMarker, Subject: "D1"},
	}
	k, call := oversightServer(t, users)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := k.DB.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO marking_tests (year, exam, title, updated_at, updated_by) VALUES (2009, 'D1', 'Testi', '2009-06-01T08:00:00Z', 'ava')`)
	exec(`INSERT INTO marking_items (year, exam, no, label, kind, max_points) VALUES (2009, 'D1', 1, '1', 'short', 4), (2009, 'D1', 2, '2', 'short', 4)`)
	exec(`INSERT INTO marking_settings (year, exam, tolerance, monitor_rate_pm, seeded_rate_pm, updated_by, updated_at) VALUES (2009, 'D1', 2, 300, 0, 'ava', 'x')`)
	for _, m := range [][]string{{"x", "marker"}, {"a", "marker"}, {"lead", "lead"}} {
		exec(`INSERT INTO marking_markers (year, exam, username, full_name, task, status, appointed_by, appointed_at) VALUES (2009, 'D1', $1, $2, $3, 'qualified', 'ava', 'x')`, m[0], "Vlerësuesi "+m[0], m[1])
	}
	exec(`INSERT INTO marking_calibration (year, exam, no, purpose, code, choices, points, total, added_by, added_at) VALUES (2009, 'D1', 1, 'seeded', 'S0001', ',', '2,2', 4, 'ava', 'x')`)
	for i, c := range []string{"K0001", "K0002", "K0003", "S0001"} {
		seeded, xp := 0, "2,2"
		if c == "S0001" {
			seeded, xp = 1, "4,3"
		}
		exec(`INSERT INTO marking_booklets (year, exam, code, seeded, schools, state, final_points, final_round, registered_at) VALUES (2009, 'D1', $1, $2, 'A-1', 'final', 4, 2, 'x')`, c, seeded)
		for round, u := range []string{"x", "a"} {
			pts := "2,2"
			if u == "x" {
				pts = xp
			}
			total := map[string]int{"2,2": 4, "4,3": 7}[pts]
			exec(`INSERT INTO marking_allocations (year, exam, code, round, username, allocated_by, allocated_at, choices, points, total, submitted_at, source) VALUES (2009, 'D1', $1, $2, $3, 'ava', 'x', ',', $4, $5, $6, 'screen')`,
				c, round+1, u, pts, total, fmt.Sprintf("2009-06-2%dT09:00:00Z", i))
		}
	}
	ctx := context.Background()
	if _, err := k.Marking.DrawSample(ctx, users["mon"], 0, "D1"); err != nil {
		t.Fatal(err)
	}
	if err := k.Marking.ReportCopying(ctx, users["a"], 0, "D1", "K0001", "Përgjigje identike."); err != nil {
		t.Fatal(err)
	}
	if err := k.Marking.ReportCopying(ctx, users["a"], 0, "D1", "K0002", "Përgjigje identike."); err != nil {
		t.Fatal(err)
	}
	no, err := k.Marking.OpenCase(ctx, users["kop"], 0, "D1", []string{"K0001"})
	if err != nil {
		t.Fatal(err)
	}
	if err := k.Marking.RecordFinding(ctx, users["kop"], 0, "D1", no, marking.FindingCopied, "Njësoj."); err != nil {
		t.Fatal(err)
	}
	return k, call
}

// The pages over HTTP: the monitor draws and reviews, KOPOTED and MASH
// act on the cases, the lead sees the charts and stops a flagged marker.
func TestOversightPagesOverHTTP(t *testing.T) {
	t.Parallel()
	k, call := oversightWebWorld(t)
	code, body := call("mon", "GET", "/vleresimi/D1/monitorimi", "", "")
	if code != 200 || !strings.Contains(body, "Hedhjet dhe farat") || !strings.Contains(body, "Hidhet njësoj nga fara") {
		t.Fatalf("monitor page: %d %s", code, body)
	}
	var m marking.Monitoring
	code, body = call("mon", "GET", "/api/v1/marking/D1/monitoring", "", "")
	if json.Unmarshal([]byte(body), &m); code != 200 || len(m.Samples) != 1 {
		t.Fatalf("monitoring API: %d %s", code, body)
	}
	sample := m.Samples[0].Display
	if code, body = call("mon", "GET", "/vleresimi/D1/monitorimi/"+sample, "", ""); code != 200 || !strings.Contains(body, "Regjistro vendimin") {
		t.Fatalf("sample page: %d %s", code, body)
	}
	if code, body = call("mon", "POST", "/vleresimi/D1/monitorimi/"+sample, ovForm, "csrf=t&vendimi=returned&arsyeja="); code != 422 || !strings.Contains(body, "vetëm me arsye") {
		t.Fatalf("a return without a reason: %d", code)
	}
	if code, _ = call("mon", "POST", "/vleresimi/D1/monitorimi/"+sample, ovForm, "csrf=t&vendimi=returned&arsyeja="+url.QueryEscape("Kërkesa 2 mbi skemën.")); code != http.StatusSeeOther {
		t.Fatalf("return: %d", code)
	}
	if code, body = call("kop", "GET", "/vleresimi/D1/kopjimi", "", ""); code != 200 || !strings.Contains(body, "Regjistro konstatimin") || !strings.Contains(body, `value="K0002"`) {
		t.Fatalf("KOPOTED's page: %d %s", code, body)
	}
	if code, _ = call("kop", "POST", "/vleresimi/D1/kopjimi", ovForm, "csrf=t&kodi=K0002"); code != http.StatusSeeOther {
		t.Fatalf("open case: %d", code)
	}
	if code, body = call("mash", "GET", "/vleresimi/D1/kopjimi", "", ""); code != 200 || !strings.Contains(body, "Regjistro vendimin e MASH") || strings.Contains(body, "Regjistro konstatimin") {
		t.Fatalf("MASH's page: %d %s", code, body)
	}
	if code, _ = call("mash", "POST", "/vleresimi/D1/kopjimi/1/vendimi", ovForm, "csrf=t&vendimi=voided&protokolli=12%2F3"); code != http.StatusSeeOther {
		t.Fatalf("decision: %d", code)
	}
	if n, _ := k.Marking.OpenCases(context.Background(), 2009, "D1"); n != 1 {
		t.Fatalf("open cases = %d, want the second", n)
	}
	code, body = call("lead", "GET", "/vleresimi/D1/cilesia", "", "")
	if code != 200 || !strings.Contains(body, "<svg") || !strings.Contains(body, "Ndalo vlerësuesin") || !strings.Contains(body, `value="x"`) {
		t.Fatalf("the lead's quality page: %d %s", code, body)
	}
	if code, _ = call("lead", "POST", "/vleresimi/D1/cilesia/ndalo", ovForm, "csrf=t&perdoruesi=x&shenimi=Jasht%C3%AB+toleranc%C3%ABs"); code != http.StatusSeeOther {
		t.Fatalf("stop: %d", code)
	}
	if code, body = call("a", "GET", "/vleresimi/D1/cilesia", "", ""); code != http.StatusForbidden {
		t.Fatalf("a marker reads the quality page: %d", code)
	}
	if code, body = call("a", "POST", "/api/v1/marking/D1/booklets/K0003/copying", "application/json", `{"reason": "Njësoj si K0002."}`); code != http.StatusCreated {
		t.Fatalf("report over the API: %d %s", code, body)
	}
	if code, _ = call("a", "POST", "/vleresimi/D1/broshura/K0003/kopjim", ovForm, "csrf=t&arsyeja=x"); code != http.StatusConflict {
		t.Fatalf("a second report from the booklet page: %d", code)
	}
	if strings.Contains(body, "Vlerësuesi") {
		t.Fatal("a marker's answer names a marker")
	}
}

// Neni 57.18 over HTTP: the observer reads the monitoring, the cases and
// the quality board, and every POST, PUT or DELETE of the marking area
// is refused them, changing nothing.
func TestNeni57_18_ObserverIsRefusedEveryWriteOverHTTP(t *testing.T) {
	t.Parallel()
	k, call := oversightWebWorld(t)
	for _, path := range []string{"/vleresimi/D1/monitorimi", "/vleresimi/D1/monitorimi/K0001", "/vleresimi/D1/kopjimi", "/vleresimi/D1/cilesia",
		"/api/v1/marking/D1/monitoring", "/api/v1/marking/D1/copying", "/api/v1/marking/D1/quality"} {
		if strings.HasSuffix(path, "K0001") {
			m, _ := k.Marking.Monitoring(context.Background(), testkit.AVA, 0, "D1")
			path = "/vleresimi/D1/monitorimi/" + m.Samples[0].Display
		}
		if code, body := call("vez", "GET", path, "", ""); code != 200 || strings.Contains(body, `action="/vleresimi/D1/`) {
			t.Errorf("the observer's %s: %d (or a form on it)", path, code)
		}
	}
	var before, after int
	count := func() (n int) {
		k.DB.QueryRow(`SELECT COUNT(*) FROM audit_log`).Scan(&n)
		return n
	}
	before = count()
	// Every write route of the area, as its route files register it.
	files, _ := filepath.Glob("routes*.go")
	pattern := regexp.MustCompile(`"(POST|PUT|DELETE) (/[^"]*)"`)
	values := strings.NewReplacer("{exam}", "D1", "{code}", "K0002", "{id}", "1", "{username}", "a", "{year}", "2009")
	n := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range pattern.FindAllStringSubmatch(string(src), -1) {
			method, path := m[1], values.Replace(m[2])
			ctype, body := ovForm, "csrf=t&arsyeja=x&vendimi=returned&konstatimi=copied&shenimi=x&protokolli=1&kodi=K0002&perdoruesi=a"
			if strings.HasPrefix(path, "/api/") {
				ctype, body = "application/json", `{}`
			}
			code, _ := call("vez", method, path, ctype, body)
			n++
			if code < 400 {
				t.Errorf("the observer's %s %s: %d", method, path, code)
			}
			if strings.Contains(f, "oversight") && code != http.StatusForbidden && code != http.StatusNotFound {
				t.Errorf("the observer's %s %s: %d, want 403 or 404", method, path, code)
			}
		}
	}
	for _, tc := range []struct{ path, body string }{
		{"/api/v1/marking/D1/monitoring/draws", `{}`},
		{"/api/v1/marking/D1/monitoring/samples/K0002/review", `{"verdict": "confirmed", "reason": ""}`},
		{"/api/v1/marking/D1/booklets/K0003/copying", `{"reason": "x"}`},
		{"/api/v1/marking/D1/copying/cases", `{"codes": ["K0002"]}`},
		{"/api/v1/marking/D1/copying/cases/1/finding", `{"finding": "not_copied", "note": "x"}`},
		{"/api/v1/marking/D1/copying/cases/1/decision", `{"decision": "voided", "ref": "x"}`},
		{"/api/v1/marking/D1/quality/markers/x/stop", `{"note": "x"}`},
	} {
		if code, body := call("vez", "POST", tc.path, "application/json", tc.body); code != http.StatusForbidden {
			t.Errorf("the observer's POST %s: %d %s", tc.path, code, body)
		}
	}
	if after = count(); after != before || n < 20 {
		t.Fatalf("audit entries %d → %d over %d write routes", before, after, n)
	}
}

var _ template.HTML
