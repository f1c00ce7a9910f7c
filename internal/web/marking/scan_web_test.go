package marking

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"

	"provim/internal/anonym"
	"provim/internal/auth"
	"provim/internal/marking"
	"provim/internal/testkit"
	"provim/internal/web/webkit"
)

func init() {
	samples = append(samples, func(m map[string]any) {
		s := marking.ScanSummary{Year: 2009, Exam: "D1", Scanned: true, Pages: 4, Booklets: 2, Queued: 1,
			Queue: []marking.ScanQueueItem{{ID: 1, Reason: "Etiketa me barkod nuk u gjet në faqe.", UploadedBy: "ava", UploadedAt: "2009-06-20T08:00:00Z"}}}
		m["marking_scan_page"] = scanView{Exam: "D1", S: s, Rows: []scanQueueRow{{ID: 1, Reason: s.Queue[0].Reason, Uploaded: "ava, 20.06.2009 10:00", Image: "/vleresimi/D1/skanimet/radha/1"}}}
	})
}

// scanWebPNG is a white page with the Code 128 label of text ("" for
// none).
func scanWebPNG(t *testing.T, text string) []byte {
	t.Helper()
	page := image.NewRGBA(image.Rect(0, 0, 700, 900))
	draw.Draw(page, page.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	if text != "" {
		sym, err := code128.Encode(text)
		if err != nil {
			t.Fatal(err)
		}
		big, err := barcode.Scale(sym, sym.Bounds().Dx()*3, 80)
		if err != nil {
			t.Fatal(err)
		}
		draw.Draw(page, big.Bounds().Add(image.Pt(100, 60)), big, image.Point{}, draw.Src)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, page); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type scanWebResp struct {
	code int
	head http.Header
	body string
}

// scanWebWorld: D1 with one item, markers vl.a (given the booklet) and
// vl.b, the exam marked as scanned by nobody yet, one booklet.
func scanWebWorld(t *testing.T) (*testkit.Kit, func(user, method, path, ctype string, body []byte) scanWebResp, string) {
	t.Helper()
	users := map[string]*auth.Principal{"ava": testkit.AVA}
	for _, u := range []string{"vl.a", "vl.b"} {
		users[u] = &auth.Principal{Username: u, FullName: "Vlerësuesi " + u, Role: auth.RoleMarker, Subject: "D1"}
	}
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
	exec := func(q string, args ...any) {
		if _, err := k.DB.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO marking_tests (year, exam, title, updated_at, updated_by) VALUES (2009, 'D1', 'Testi', '2009-06-01T08:00:00Z', 'ava')`)
	exec(`INSERT INTO marking_items (year, exam, no, label, kind, max_points, options, answer_key, scheme) VALUES (2009, 'D1', 1, '1', 'short', 2, 0, '', '')`)
	for _, u := range []string{"vl.a", "vl.b"} {
		exec(`INSERT INTO marking_markers (year, exam, username, full_name, school_code, task, status, appointed_by, appointed_at) VALUES (2009, 'D1', $1, $2, '', 'marker', 'qualified', 'ava', '2009-06-01T08:00:00Z')`, u, "Vlerësuesi "+u)
	}
	code := anonym.NewCode()
	exec(`INSERT INTO marking_booklets (year, exam, code, seeded, schools, state, registered_at) VALUES (2009, 'D1', $1, 0, 'B-1', 'open', '2009-06-10T08:00:00Z')`, code)
	exec(`INSERT INTO marking_allocations (year, exam, code, round, username, allocated_by, allocated_at) VALUES (2009, 'D1', $1, 1, 'vl.a', 'ava', '2009-06-11T08:00:00Z')`, code)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	call := func(user, method, path, ctype string, body []byte) scanWebResp {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, bytes.NewReader(body))
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
		return scanWebResp{resp.StatusCode, resp.Header, string(b)}
	}
	return k, call, code
}

// scanWebMultipart is a multipart body of the files under field, with
// the form token.
func scanWebMultipart(t *testing.T, field string, files map[string][]byte) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("csrf", "t")
	for name, data := range files {
		fw, err := mw.CreateFormFile(field, name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}

// TestScannedBookletsOverHTTP: AVA marks D1 as scanned and uploads a
// labelled page and a page without a label from the page's form; the
// unlabelled one waits in the queue with its image until AVA types its
// code; the marker given the booklet sees both pages on the marking
// form and the image route answers with the image, never cached; the
// other marker gets 404; the API counts and refuses a file over 20 MiB.
func TestScannedBookletsOverHTTP(t *testing.T) {
	t.Parallel()
	_, call, code := scanWebWorld(t)
	disp := anonym.Display(code)
	const form = "application/x-www-form-urlencoded"
	if r := call("ava", "POST", "/vleresimi/D1/skanimet/flamuri", form, []byte("csrf=t&skanuar=1")); r.code != http.StatusSeeOther {
		t.Fatalf("flag: %d %s", r.code, r.body)
	}
	labelled, blank := scanWebPNG(t, disp), scanWebPNG(t, "")
	ct, body := scanWebMultipart(t, "skedari", map[string][]byte{"faqja1.png": labelled, "faqja2.png": blank})
	if r := call("ava", "POST", "/vleresimi/D1/skanimet", ct, body); r.code != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", r.code, r.body)
	}
	page := call("ava", "GET", "/vleresimi/D1/skanimet", "", nil)
	if page.code != 200 || !strings.Contains(page.body, `src="/vleresimi/D1/skanimet/radha/1"`) || !strings.Contains(page.body, "nuk u gjet") {
		t.Fatalf("scans page: %d %s", page.code, page.body)
	}
	if r := call("ava", "GET", "/vleresimi/D1/skanimet/radha/1", "", nil); r.code != 200 || r.head.Get("Content-Type") != "image/png" || r.body != string(blank) {
		t.Fatalf("queued image: %d %s", r.code, r.head)
	}
	if r := call("vl.a", "GET", "/vleresimi/D1/skanimet", "", nil); r.code != http.StatusForbidden {
		t.Fatalf("a marker opens the scans page: %d", r.code)
	}
	if r := call("ava", "POST", "/vleresimi/D1/skanimet/radha/1", form, []byte("csrf=t&kodi="+url.QueryEscape(strings.ToLower(disp)))); r.code != http.StatusSeeOther {
		t.Fatalf("resolve: %d %s", r.code, r.body)
	}
	b := call("vl.a", "GET", "/vleresimi/D1/broshura/"+disp, "", nil)
	for _, want := range []string{`alt="Faqja 1 e testit ` + disp + `"`, `alt="Faqja 2 e testit ` + disp + `"`, "/vleresimi/D1/broshura/" + disp + "/skanimi/2"} {
		if !strings.Contains(b.body, want) {
			t.Fatalf("the marking form lacks %s: %s", want, b.body)
		}
	}
	img := call("vl.a", "GET", "/vleresimi/D1/broshura/"+disp+"/skanimi/1", "", nil)
	if img.code != 200 || img.head.Get("Content-Type") != "image/png" || img.head.Get("Cache-Control") != "private, no-store" || img.body != string(labelled) {
		t.Fatalf("page 1: %d %v", img.code, img.head)
	}
	if r := call("vl.b", "GET", "/vleresimi/D1/broshura/"+disp+"/skanimi/1", "", nil); r.code != http.StatusNotFound {
		t.Fatalf("another marker: %d", r.code)
	}
	if r := call("vl.a", "GET", "/api/v1/marking/D1/booklets/"+disp+"/scans/2", "", nil); r.code != 200 || r.body != string(blank) {
		t.Fatalf("API page 2: %d", r.code)
	}
	var sum marking.ScanSummary
	r := call("ava", "GET", "/api/v1/marking/D1/scans", "", nil)
	if err := json.Unmarshal([]byte(r.body), &sum); err != nil || sum.Pages != 2 || sum.Queued != 0 {
		t.Fatalf("API summary: %s %v", r.body, err)
	}
	ct, body = scanWebMultipart(t, "file", map[string][]byte{"madh.png": make([]byte, marking.MaxScanFile+1)})
	if r := call("ava", "POST", "/api/v1/marking/D1/scans", ct, body); r.code != http.StatusUnprocessableEntity || !strings.Contains(r.body, "madh.png") {
		t.Fatalf("oversized: %d %s", r.code, r.body)
	}
	ct, body = scanWebMultipart(t, "file", map[string][]byte{"tjeter.png": scanWebPNG(t, "PROVIM")})
	if r := call("ava", "POST", "/api/v1/marking/D1/scans", ct, body); r.code != 200 || !strings.Contains(r.body, `"queued": 1`) {
		t.Fatalf("API upload: %d %s", r.code, r.body)
	}
	if r := call("ava", "GET", "/api/v1/marking/D1/scans/queue", "", nil); r.code != 200 || !strings.Contains(r.body, `"id": 2`) {
		t.Fatalf("API queue: %d %s", r.code, r.body)
	}
}
