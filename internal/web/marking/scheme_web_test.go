package marking

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"provim/internal/auth"
	"provim/internal/marking"
	"provim/internal/testkit"
	"provim/internal/web/webkit"
)

func init() {
	samples = append(samples, func(m map[string]any) {
		t := marking.Test{Year: 2009, Exam: "D1", ExamName: "Gjuhë shqipe dhe letërsi", Defined: true, Title: "Testi", ItemCount: 2, MaxPoints: 60,
			Settled: true, SettledAt: "2009-05-01T08:00:00Z", Published: true, PublishedAt: "2009-06-08T12:30:00Z", Visible: true, Sitting: "08.06.2009 ora 10:00",
			Items: []marking.Item{{No: 1, Label: "1", Kind: marking.KindChoice, MaxPoints: 20, Options: 4, Key: "B"},
				{No: 2, Label: "2", Kind: marking.KindShort, MaxPoints: 40, Levels: []marking.Level{{Points: 40, Text: "e plotë"}}}},
			Group: []marking.GroupMember{{Username: "arta", FullName: "Arta Hoxha", AddedBy: "Arta Hoxha", AddedAt: "2009-05-01T08:00:00Z"}}}
		m["marking_scheme_test"] = schemeView{T: t, Title: t.Title, Rows: marking.RowsOf(t.Items), Kinds: itemKinds, KindLabels: kindLabels,
			Manage: true, Edit: true, Settle: true, Reopen: true, Publish: true, GroupEdit: true, More: 12, Public: "/skema/2009/D1"}
		m["marking_scheme_public"] = publicSchemeView{T: t, KindLabels: kindLabels}
	})
}

// schemeServer serves the area over testkit's services; the caller is
// the principal named by the X-Test-User header (a stand-in for the
// server's sign-in, which package web tests).
func schemeServer(t *testing.T, users map[string]*auth.Principal) (*testkit.Kit, *httptest.Server) {
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
			r = webkit.WithPrincipal(r, p)
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return k, srv
}

func schemeCall(t *testing.T, srv *httptest.Server, user, method, path, ctype string, body []byte) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL+path, bytes.NewReader(body))
	if user != "" {
		req.Header.Set("X-Test-User", user)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

const schemeJSON = `{"title": "Testi i gjuhës shqipe", "items": [
  {"label": "1", "kind": "choice", "max_points": 20, "options": 4, "key": "C"},
  {"label": "2", "kind": "extended", "max_points": 40, "levels": [{"points": 40, "text": "Ese e plotë SEKRET"}, {"points": 20, "text": "Ese e pjesshme"}]}
]}`

// Neni 59.2 and 57.5 over HTTP: the API and the page show the items to
// the test group only before the exam; the public page and API answer 404
// with a sentence that tells nothing until the scheme is published, and
// show it after.
func TestNeni57_5_PublicSchemeOverHTTP(t *testing.T) {
	t.Parallel()
	ava := &auth.Principal{Username: "ava", FullName: "AVA", Role: auth.RoleAVA}
	other := &auth.Principal{Username: "ava2", FullName: "AVA 2", Role: auth.RoleAVA}
	marker := &auth.Principal{Username: "vl", Role: auth.RoleMarker, Subject: "D1"}
	k, srv := schemeServer(t, map[string]*auth.Principal{"ava": ava, "ava2": other, "vl": marker})
	k.At(t, "2009-05-01")

	code, body := schemeCall(t, srv, "ava", "PUT", "/api/v1/marking/D1/test", "application/json", []byte(`{"title": "x", "items": [{"label": "1", "kind": "choice", "max_points": 1, "options": 4, "key": "Z"}]}`))
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Kërkesa 1 «1»: çelësi «Z» nuk është ndër alternativat A–D") || !strings.Contains(body, "mungojnë 59 pikë") {
		t.Fatalf("bad test: %d %s", code, body)
	}
	var mw bytes.Buffer
	form := multipart.NewWriter(&mw)
	fw, _ := form.CreateFormFile("file", "testi.json")
	fw.Write([]byte(schemeJSON))
	form.Close()
	if code, body := schemeCall(t, srv, "ava", "POST", "/api/v1/marking/D1/test/import", form.FormDataContentType(), mw.Bytes()); code != 200 || !strings.Contains(body, "SEKRET") {
		t.Fatalf("import: %d %s", code, body)
	}
	if code, body := schemeCall(t, srv, "ava2", "GET", "/api/v1/marking/D1/test", "", nil); code != 200 || strings.Contains(body, "SEKRET") || !strings.Contains(body, `"item_count": 2`) {
		t.Fatalf("outside the group: %d %s", code, body)
	}
	if code, body := schemeCall(t, srv, "ava2", "GET", "/vleresimi/D1/testi", "", nil); code != 200 || strings.Contains(body, "SEKRET") || !strings.Contains(body, "scheme-hidden") {
		t.Fatalf("the page outside the group: %d %s", code, body)
	}
	if code, body := schemeCall(t, srv, "ava", "GET", "/vleresimi/D1/testi", "", nil); code != 200 || !strings.Contains(body, "SEKRET") || !strings.Contains(body, `name="emertimi"`) {
		t.Fatalf("the page of the group: %d", code)
	}
	if code, body := schemeCall(t, srv, "vl", "GET", "/api/v1/marking/D1/test", "", nil); code != http.StatusForbidden || strings.Contains(body, "SEKRET") {
		t.Fatalf("a marker before the exam: %d %s", code, body)
	}
	notYet := func() {
		t.Helper()
		for _, path := range []string{"/skema/2009/D1", "/api/v1/public/schemes/2009/D1"} {
			code, body := schemeCall(t, srv, "", "GET", path, "", nil)
			if code != http.StatusNotFound || !strings.Contains(body, "Skema e vlerësimit të provimit D1 nuk është shpallur ende (Neni 57.5).") || strings.Contains(body, "SEKRET") || strings.Contains(body, "Testi i gjuhës") {
				t.Fatalf("%s before publication: %d %s", path, code, body)
			}
		}
	}
	notYet()
	if code, _ := schemeCall(t, srv, "ava", "POST", "/api/v1/marking/D1/test/settle", "", nil); code != 200 {
		t.Fatalf("settle: %d", code)
	}
	if code, body := schemeCall(t, srv, "ava", "POST", "/api/v1/marking/D1/test/publish", "", nil); code != http.StatusConflict || !strings.Contains(body, "Neni 57.5") {
		t.Fatalf("publish before the exam: %d %s", code, body)
	}
	notYet()
	k.At(t, "2009-06-08 13:00")
	if code, body := schemeCall(t, srv, "ava2", "POST", "/api/v1/marking/D1/test/publish", "", nil); code != 200 || !strings.Contains(body, `"published": true`) {
		t.Fatalf("publish: %d %s", code, body)
	}
	code, body = schemeCall(t, srv, "", "GET", "/api/v1/public/schemes/2009/D1", "", nil)
	var pub struct {
		Exam  string
		Items []marking.Item
	}
	json.Unmarshal([]byte(body), &pub)
	if code != 200 || pub.Exam != "D1" || len(pub.Items) != 2 || pub.Items[0].Key != "C" || pub.Items[1].Levels[0].Text != "Ese e plotë SEKRET" {
		t.Fatalf("public API: %d %s", code, body)
	}
	if strings.Contains(body, "ava") || strings.Contains(body, "AVA 2") {
		t.Fatalf("the public scheme names who published it: %s", body)
	}
	if code, body := schemeCall(t, srv, "", "GET", "/skema/2009/D1", "", nil); code != 200 || !strings.Contains(body, "Ese e plotë SEKRET") || !strings.Contains(body, "<td data-label=\"Skema\">C</td>") {
		t.Fatalf("public page: %d %s", code, body)
	}
	if code, _ := schemeCall(t, srv, "", "GET", "/skema/2009/XYZ", "", nil); code != http.StatusNotFound {
		t.Fatalf("an exam that does not exist: %d", code)
	}
}
