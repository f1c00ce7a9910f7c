package results

import (
	"context"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"provim/internal/auth"
	"provim/internal/testkit"
	"provim/internal/web/webkit"
)

// rendered is the candidate's whole page rendered per request from the
// page (the way before the prepared content), for the same request.
func rendered(t *testing.T, k *testkit.Kit, p *auth.Principal) string {
	t.Helper()
	kit, err := webkit.New(slog.New(slog.NewTextHandler(io.Discard, nil)), "", nil, Templates)
	if err != nil {
		t.Fatal(err)
	}
	pg, _, err := k.Results.MyPage(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/rezultatet", nil)
	r = webkit.WithSession(r, &auth.Session{CSRF: "t", User: &auth.User{Username: p.Username, FullName: p.FullName, Role: p.Role, StudentID: p.StudentID}})
	w := httptest.NewRecorder()
	kit.Render(w, r, 0, "results_me", "Rezultatet e mia", meView{Page: pg}, nil)
	return w.Body.String()
}

func htmlVersion(t *testing.T, k *testkit.Kit, id int64) string {
	t.Helper()
	var v string
	if err := k.DB.QueryRow(`SELECT version FROM results_page_html WHERE year = 2009 AND student_id = $1`, id).Scan(&v); err != nil {
		t.Fatalf("the prepared page of %d: %v", id, err)
	}
	return v
}

// TestPreparedPage: publication stores each candidate's page content as
// HTML with the template's version; the page served from it is, byte for
// byte, the page rendered per request; the layout's own part (the user,
// the form token) is still the request's.
func TestPreparedPage_SameBytesAsRenderedPerRequest(t *testing.T) {
	version, _, err := pageRenderer()
	if err != nil {
		t.Fatalf("results_me.html must parse on its own, with the area's functions: %v", err)
	}
	k, ids := published(t)
	p := testkit.Student(ids["Zeka"])
	do := server(t, k, map[string]*auth.Principal{"zeka": p, "agolli": testkit.Student(ids["Agolli"])})
	if v := htmlVersion(t, k, ids["Zeka"]); v != version {
		t.Fatalf("stored version %q, template %q", v, version)
	}
	code, _, got := do("zeka", "GET", "/rezultatet", "")
	if want := rendered(t, k, p); code != 200 || got != want {
		t.Fatalf("prepared page differs from the rendered one (%d):\n--- got\n%s\n--- want\n%s", code, got, want)
	}
	if !strings.Contains(got, `name="csrf" value="t"`) || !strings.Contains(got, "55/60") {
		t.Errorf("page lacks the request's form token or the result:\n%s", got)
	}
	// It is served from the stored row: a mark added to it shows (on a
	// page this server has not served yet: a page served is kept, and a
	// row changed behind the results' back is not seen, page_cache.go).
	sqlExec(t, k, `UPDATE results_page_html SET html = html || '<p id="stored-mark"></p>' WHERE student_id = $1`, ids["Agolli"])
	if _, _, b := do("agolli", "GET", "/rezultatet", ""); !strings.Contains(b, "stored-mark") {
		t.Errorf("the page was not served from results_page_html")
	}
}

// A row of another template version is never served: the page is
// rendered from the stored JSON; PreparePagesHTML writes it again.
func TestPreparedPage_OtherVersionNotServedAndPreparedAgain(t *testing.T) {
	k, ids := published(t)
	p := testkit.Student(ids["Çela"])
	do := server(t, k, map[string]*auth.Principal{"cela": p})
	sqlExec(t, k, `UPDATE results_page_html SET version = 'old', html = '<p>e vjetër</p>'`)
	sqlExec(t, k, `DELETE FROM results_page_html WHERE student_id = $1`, ids["Zeka"])
	code, _, got := do("cela", "GET", "/rezultatet", "")
	if code != 200 || strings.Contains(got, "e vjetër") || got != rendered(t, k, p) {
		t.Fatalf("stale prepared page served (%d):\n%s", code, got)
	}
	n, err := k.Results.PreparePagesHTML(context.Background(), 2009)
	if err != nil || n != 3 {
		t.Fatalf("prepared %d pages, %v; want 3", n, err)
	}
	if n, err := k.Results.PreparePagesHTML(context.Background(), 2009); err != nil || n != 0 {
		t.Errorf("second run prepared %d, %v; want 0", n, err)
	}
	version, _, _ := pageRenderer()
	for _, id := range ids {
		if v := htmlVersion(t, k, id); v != version {
			t.Errorf("student %d: version %q", id, v)
		}
	}
	if _, _, b := do("cela", "GET", "/rezultatet", ""); b != rendered(t, k, p) {
		t.Errorf("prepared again, the page differs")
	}
}

// Neni 64: a re-marking rebuilds the prepared page in its transaction: the
// candidate sees the new points and the change at once.
func TestNeni64_RemarkRebuildsPreparedPage(t *testing.T) {
	k, ids := published(t)
	id := ids["Çela"]
	p := testkit.Student(id)
	do := server(t, k, map[string]*auth.Principal{"cela": p})
	if _, _, b := do("cela", "GET", "/rezultatet", ""); !strings.Contains(b, "5/60") {
		t.Fatalf("before: %s", b)
	}
	if _, _, err := k.Results.ApplyRemark(context.Background(), testkit.AVA, 2009, "D1", id, 30, "Rivlerësim, kërkesa 1"); err != nil {
		t.Fatal(err)
	}
	_, _, got := do("cela", "GET", "/rezultatet", "")
	if !strings.Contains(got, "30/60") || !strings.Contains(got, "5 → 30 pikë") || got != rendered(t, k, p) {
		t.Errorf("after the re-marking:\n%s", got)
	}
}

// The layout split once writes, for any name and form token, the bytes
// the kit's layout writes: escaped alike; a confirmation to show goes
// through the kit.
func TestPreparedLayout_SameBytesAsKitForAnyNameAndToken(t *testing.T) {
	kit, err := webkit.New(slog.New(slog.NewTextHandler(io.Discard, nil)), "", nil, Templates)
	if err != nil {
		t.Fatal(err)
	}
	h := &Handler{kit: kit}
	content := []byte(`<h1>Rezultatet e mia</h1><p>Ëndrit «Çela» 55/60</p>`)
	for _, c := range []struct{ name, csrf string }{
		{"Ëndrit (Ilir) Çela", "abc123"},
		{`O'Brien <b>&+"x</b>` + "\x00", `a"b<c>&'+`},
		{"", ""},
	} {
		sess := &auth.Session{CSRF: c.csrf, User: &auth.User{Username: "k1", FullName: c.name, Role: auth.RoleStudent, StudentID: 7}}
		r := webkit.WithSession(httptest.NewRequest("GET", "/rezultatet", nil), sess)
		want := httptest.NewRecorder()
		kit.Render(want, r, 0, pagePrepared, pageTitle, template.HTML(content), nil)
		got := httptest.NewRecorder()
		if !h.writePrepared(got, r, webkit.Principal(r), content) {
			t.Fatalf("%q: the layout did not split", c.name)
		}
		if got.Body.String() != want.Body.String() || got.Code != want.Code || got.Header().Get("Content-Length") != want.Header().Get("Content-Length") ||
			got.Header().Get("Content-Type") != want.Header().Get("Content-Type") {
			t.Errorf("%q: differs:\n--- got %d %v\n%s\n--- want %d %v\n%s", c.name, got.Code, got.Header(), got.Body, want.Code, want.Header(), want.Body)
		}
	}
	sess := &auth.Session{CSRF: "t", Flash: "U ruajt.", User: &auth.User{Username: "k1", FullName: "A", Role: auth.RoleStudent, StudentID: 7}}
	r := webkit.WithSession(httptest.NewRequest("GET", "/rezultatet", nil), sess)
	if h.writePrepared(httptest.NewRecorder(), r, webkit.Principal(r), content) {
		t.Errorf("a confirmation to show went around the kit")
	}
	// The mark of a confirmation kept for the next page (webkit.Flash).
	r = httptest.NewRequest("GET", "/rezultatet", nil)
	r.AddCookie(&http.Cookie{Name: webkit.FlashCookie, Value: "1"})
	r = webkit.WithSession(r, &auth.Session{CSRF: "t", User: &auth.User{Username: "k1", FullName: "A", Role: auth.RoleStudent, StudentID: 7}})
	if h.writePrepared(httptest.NewRecorder(), r, webkit.Principal(r), content) {
		t.Errorf("a marked confirmation went around the kit")
	}
}
