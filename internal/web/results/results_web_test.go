package results

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"provim/internal/albanian"
	"provim/internal/auth"
	"provim/internal/testkit"
	"provim/internal/web/webkit"
)

// server serves the area to the users named by X-Test-User.
func server(t *testing.T, k *testkit.Kit, users map[string]*auth.Principal) func(user, method, path, etag string) (int, http.Header, string) {
	t.Helper()
	srv := testServer(t, k, users)
	return func(user, method, path, etag string) (int, http.Header, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		req.Header.Set("X-Test-User", user)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(b)
	}
}

// testServer serves the area's routes as the users (by X-Test-User).
func testServer(t *testing.T, k *testkit.Kit, users map[string]*auth.Principal) *httptest.Server {
	t.Helper()
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
				r = webkit.WithSession(r, &auth.Session{CSRF: "t", User: &auth.User{Username: p.Username, FullName: p.FullName, Role: p.Role, Unit: p.Unit, School: p.School, StudentID: p.StudentID}})
			}
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func sqlExec(t *testing.T, k *testkit.Kit, q string, args ...any) {
	t.Helper()
	if _, err := k.DB.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// published builds two schools' candidates of D1 of 2009, marked, closed,
// opened, computed and published; it returns the students by surname.
func published(t *testing.T) (*testkit.Kit, map[string]int64) {
	k := testkit.New(t)
	sqlExec(t, k, `INSERT INTO units (code, name, kind, city) VALUES ('DAR-A', 'DAR-A', 'DAR', 'Tiranë'), ('DAR-B', 'DAR-B', 'DAR', 'Durrës')`)
	sqlExec(t, k, `INSERT INTO schools (code, name, unit_code, city, public, profile, years) VALUES ('A-1', 'Gjimnazi Çajupi', 'DAR-A', 'Tiranë', TRUE, 'gjimnaz', 4), ('B-1', 'Gjimnazi Durrësi', 'DAR-B', 'Durrës', TRUE, 'gjimnaz', 4)`)
	ids := map[string]int64{}
	for i, s := range []struct {
		last, school string
		points       int
	}{{"Zeka", "A-1", 55}, {"Agolli", "B-1", 20}, {"Çela", "A-1", 5}} {
		var id int64
		if err := k.DB.QueryRow(`INSERT INTO students (personal_no, first_name, father_name, last_name, sex, birth_date, school_code, category, sort_key, updated_at)
			VALUES ($1, 'Ëndrit', 'Ilir', $2, 'M', '1991-01-01', $3, 'maturant', $4, '2009-01-01T00:00:00Z') RETURNING id`,
			fmt.Sprintf("S%08d", i), s.last, s.school, albanian.SortKey(s.last, "Ëndrit", "Ilir")).Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids[s.last] = id
		code := fmt.Sprintf("C%08d", id)
		sqlExec(t, k, `INSERT INTO final_lists (year, exam, student_id, reg_no, school_code) VALUES (2009, 'D1', $1, $2, $3)`, id, fmt.Sprintf("2700000%02d", id), s.school)
		sqlExec(t, k, `INSERT INTO marking_booklets (year, exam, code, seeded, schools, state, final_points, final_round, registered_at) VALUES (2009, 'D1', $1, 0, '', 'final', $2, 0, '2009-06-09T08:00:00Z')`, code, s.points)
		sqlExec(t, k, `INSERT INTO anonym_opened (year, exam, code, student_id) VALUES (2009, 'D1', $1, $2)`, code, id)
	}
	sqlExec(t, k, `INSERT INTO marking_closed (year, exam, booklets, closed_by, closed_at) VALUES (2009, 'D1', 3, 'ava', '2009-06-12T08:00:00Z')`)
	ctx := context.Background()
	if _, err := k.Results.Compute(ctx, testkit.AVA, 2009, "D1"); err != nil {
		t.Fatal(err)
	}
	k.At(t, "2009-06-20")
	if _, err := k.Results.Publish(ctx, testkit.AVA, 2009, "D1", ""); err != nil {
		t.Fatal(err)
	}
	return k, ids
}

func TestCandidateSeesOwnResultsOnAPhone(t *testing.T) {
	k, ids := published(t)
	users := map[string]*auth.Principal{"zeka": testkit.Student(ids["Zeka"]), "ava": testkit.AVA, "pap": testkit.PAP("V-A")}
	do := server(t, k, users)
	code, _, body := do("zeka", "GET", "/rezultatet", "")
	if code != 200 || !strings.Contains(body, "Zeka") || !strings.Contains(body, "55/60") || !strings.Contains(body, "24.06.2009") || !strings.Contains(body, `name="viewport"`) {
		t.Fatalf("page: %d\n%s", code, body)
	}
	if strings.Contains(body, "Agolli") || strings.Contains(body, "Çela") {
		t.Errorf("another candidate's results on the page")
	}
	code, h, body := do("zeka", "GET", "/api/v1/results/me", "")
	if code != 200 || h.Get("ETag") == "" || !strings.Contains(body, `"grade":10`) {
		t.Fatalf("api: %d %v %s", code, h, body)
	}
	if code, _, _ := do("zeka", "GET", "/api/v1/results/me", h.Get("ETag")); code != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", code)
	}
	if code, _, _ := do("ava", "GET", "/api/v1/results/me", ""); code != http.StatusForbidden {
		t.Errorf("AVA's own page: %d", code)
	}
	if code, _, _ := do("pap", "GET", "/rezultatet", ""); code != http.StatusForbidden {
		t.Errorf("PAP: %d", code)
	}
}

// Neni 63: no page, export or API answer ranks or aggregates schools by
// results. The list is by name whatever the points (the school with the
// best candidate is not first), its exports carry no per-school figure,
// and no documented path of the whole API offers a ranking or averages.
func TestNeni63_NoPageExportOrAnswerRanksSchools(t *testing.T) {
	k, _ := published(t)
	do := server(t, k, map[string]*auth.Principal{"ava": testkit.AVA, "kmsh": testkit.KMSH("DAR-A")})
	_, _, body := do("ava", "GET", "/api/v1/results?limit=500", "")
	var l struct {
		Rows []struct{ Name, School string } `json:"rows"`
	}
	if err := json.Unmarshal([]byte(body), &l); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range l.Rows {
		names = append(names, r.Name[strings.LastIndex(r.Name, " ")+1:])
	}
	if strings.Join(names, ",") != "Agolli,Çela,Zeka" {
		t.Errorf("order %v: want the Albanian order of names", names)
	}
	for _, path := range []string{"/rezultatet?format=csv", "/api/v1/results?format=csv", "/rezultatet"} {
		_, _, b := do("ava", "GET", path, "")
		low := strings.ToLower(b)
		for _, bad := range []string{"mesatar", "renditja e shkollave", "average", "rank"} {
			if strings.Contains(low, bad) && !strings.Contains(low, "pa renditje shkollash") && !strings.Contains(low, "nuk rendit") {
				t.Errorf("%s carries %q", path, bad)
			}
		}
	}
	// The API's documented paths: none ranks or averages schools.
	spec, err := os.ReadFile("../../../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`(?m)^  (/api/v1/[^:]+):`).FindAllStringSubmatch(string(spec), -1) {
		p := strings.ToLower(m[1])
		for _, bad := range []string{"rank", "renditj", "average", "mesatar", "/top", "best"} {
			if strings.Contains(p, bad) {
				t.Errorf("the API path %s offers %q", m[1], bad)
			}
		}
	}
	// A KMSH sees its region only; its list too is by name.
	_, _, body = do("kmsh", "GET", "/api/v1/results", "")
	if strings.Contains(body, "Agolli") || !strings.Contains(body, "Zeka") {
		t.Errorf("KMSH's list: %s", body)
	}
}

func TestExportsPDFXLSXCSV(t *testing.T) {
	k, _ := published(t)
	do := server(t, k, map[string]*auth.Principal{"ava": testkit.AVA})
	for _, f := range []string{"pdf", "xlsx", "csv"} {
		code, h, body := do("ava", "GET", "/rezultatet?format="+f, "")
		if code != 200 || !strings.Contains(h.Get("Content-Disposition"), "rezultatet-2009."+f) || len(body) < 50 {
			t.Errorf("%s: %d %v", f, code, h)
		}
	}
	// The PDF reads back with its Albanian letters (pdftotext).
	if _, err := exec.LookPath("pdftotext"); err == nil {
		_, _, pdf := do("ava", "GET", "/rezultatet?format=pdf", "")
		f := filepath.Join(t.TempDir(), "r.pdf")
		if err := os.WriteFile(f, []byte(pdf), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdftotext", "-layout", f, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Rezultatet e Maturës Shtetërore", "Ëndrit (Ilir) Çela", "Gjimnazi Çajupi", "Jokalues", "pa renditje shkollash"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("PDF lacks %q:\n%s", want, out)
			}
		}
	}
	code, _, body := do("ava", "GET", "/rezultatet?format=doc", "")
	if code != 422 || !strings.Contains(body, "nuk njihet") {
		t.Errorf("unknown format: %d", code)
	}
}
