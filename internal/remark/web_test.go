package remark_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	osexec "os/exec"
	"strings"
	"testing"

	"provim/internal/auth"
	"provim/internal/marking"
	remarkweb "provim/internal/web/remark"
	"provim/internal/web/webkit"
)

// webOf serves the area's pages and API over the world; the header
// X-Test-User names the caller.
func webOf(t *testing.T, w *world) func(user, method, path, ctype, body string) (int, http.Header, string) {
	t.Helper()
	kit, err := webkit.New(slog.New(slog.NewTextHandler(io.Discard, nil)), "", nil, remarkweb.Templates)
	if err != nil {
		t.Fatal(err)
	}
	h := remarkweb.New(kit, w.k.Services)
	mux := http.NewServeMux()
	h.Routes(mux)
	h.APIRoutes(mux)
	users := map[string]*auth.Principal{"ava": ava, "kshmsh.A-1": schoolA, "kshmsh.B-1": schoolB, "kmsh.DAR-A": kmshA,
		"nx0": w.student(0), "nx3": w.student(3)}
	for _, m := range markers {
		users[m[0]] = vl(m[0])
	}
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if p := users[r.Header.Get("X-Test-User")]; p != nil {
			u := &auth.User{Username: p.Username, FullName: p.FullName, Role: p.Role, Unit: p.Unit, School: p.School, Subject: p.Subject, StudentID: p.StudentID}
			r = webkit.WithSession(r, &auth.Session{CSRF: "t", User: u})
		}
		mux.ServeHTTP(rw, r)
	}))
	t.Cleanup(srv.Close)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return func(user, method, path, ctype, body string) (int, http.Header, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("X-Test-User", user)
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(b)
	}
}

const form = "application/x-www-form-urlencoded"

// A candidate on a phone sees the result and files a request; the school
// and the KMSH see it by name, never by code; AVA and the markers see the
// code, never a name.
func TestNeni64_OverHTTPCandidateSchoolAVAAndMarker(t *testing.T) {
	w := newWorld(t)
	call := webOf(t, w)
	w.at(t, 1, "20:00")
	code, _, body := call("nx0", "GET", "/rivleresimi", "", "")
	if code != 200 || !strings.Contains(body, "Kërko rivlerësimin") || !strings.Contains(body, "14.07.2027") || !strings.Contains(body, `name="viewport"`) {
		t.Fatalf("candidate page: %d\n%s", code, body)
	}
	// A bad receipt: the page again with the field named, nothing written.
	code, _, body = call("nx0", "POST", "/rivleresimi/D1/kerkesa", form, url.Values{"csrf": {"t"}, "mandati": {"x"}}.Encode())
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "mandat-arkëtimit") {
		t.Fatalf("bad receipt: %d\n%s", code, body)
	}
	code, hd, _ := call("nx0", "POST", "/rivleresimi/D1/kerkesa", form, url.Values{"csrf": {"t"}, "mandati": {"MA-2027-0001"}}.Encode())
	if code != http.StatusSeeOther || hd.Get("Location") != "/rivleresimi" {
		t.Fatalf("file: %d %v", code, hd)
	}
	_, _, body = call("nx0", "GET", "/rivleresimi", "", "")
	if !strings.Contains(body, "Kërkesa për rivlerësim: Paraqitur në KSHMSH") {
		t.Fatalf("status:\n%s", body)
	}
	// Online through the API for the other school's candidate.
	if code, _, body := call("nx3", "POST", "/api/v1/remark/D1/request", "application/json", `{"receipt": "MA-2027-0002"}`); code != 201 {
		t.Fatalf("api file: %d %s", code, body)
	}
	// The school sees its candidate by name and registration number.
	_, _, body = call("kshmsh.A-1", "GET", "/rivleresimi", "", "")
	c0 := w.codes[w.students[0]]
	if !strings.Contains(body, w.reg(0)) || !strings.Contains(body, "Çela0001") || strings.Contains(body, w.reg(3)) || strings.Contains(body, marking.DisplayCode(c0)) {
		t.Fatalf("school page:\n%s", body)
	}
	code, _, _ = call("kshmsh.B-1", "GET", "/api/v1/remark/D1/requests/"+w.reg(0), "", "")
	if code != http.StatusNotFound {
		t.Fatalf("foreign request: %d", code)
	}
	// Forwarded by both, AVA forms the group and sees codes only.
	w.at(t, 4, "10:00")
	for _, u := range []string{"kshmsh.A-1", "kshmsh.B-1"} {
		if code, _, body := call(u, "POST", "/api/v1/remark/D1/forward", "", ""); code != 200 || !strings.Contains(body, `"forwarded": 1`) {
			t.Fatalf("%s forward: %d %s", u, code, body)
		}
	}
	if code, _, body := call("kmsh.DAR-A", "POST", "/rivleresimi/D1/perciell", form, "csrf=t"); code != http.StatusSeeOther {
		t.Fatalf("kmsh forward: %d %s", code, body)
	}
	if code, _, body := call("ava", "POST", "/rivleresimi/D1/grupi", form, "csrf=t"); code != http.StatusSeeOther {
		t.Fatalf("start: %d %s", code, body)
	}
	_, _, body = call("ava", "GET", "/rivleresimi/D1/grupi", "", "")
	if !strings.Contains(body, marking.DisplayCode(c0)) || strings.Contains(body, w.reg(0)) || strings.Contains(body, "Çela") {
		t.Fatalf("AVA's page:\n%s", body)
	}
	_, _, body = call("ava", "GET", "/api/v1/remark/D1/cases", "", "")
	if strings.Contains(body, w.reg(0)) || strings.Contains(body, "Çela") || !strings.Contains(body, c0) {
		t.Fatalf("AVA's API: %s", body)
	}
	// The re-marker marks by code on the page.
	rm := w.remarkers(t, c0)
	_, _, body = call(rm[1], "GET", "/rivleresimi", "", "")
	if !strings.Contains(body, marking.DisplayCode(c0)) || strings.Contains(body, "Çela") {
		t.Fatalf("marker's queue:\n%s", body)
	}
	path := "/rivleresimi/D1/test/" + marking.DisplayCode(c0)
	if code, _, body := call(rm[1], "GET", path, "", ""); code != 200 || !strings.Contains(body, `name="k2"`) {
		t.Fatalf("booklet: %d\n%s", code, body)
	}
	if code, _, body := call(rm[1], "POST", path, form, "csrf=t&k1=B&k2=9"); code != http.StatusUnprocessableEntity || !strings.Contains(body, "nga 0 deri në 4") {
		t.Fatalf("over the maximum: %d\n%s", code, body)
	}
	if code, _, body := call(rm[1], "POST", path, form, "csrf=t&k1=B&k2=3"); code != http.StatusSeeOther {
		t.Fatalf("mark: %d\n%s", code, body)
	}
	other := "vl.c"
	for _, u := range []string{"vl.c", "vl.d", "vl.e", "vl.f"} {
		if u != rm[1] && u != rm[2] {
			other = u
			break
		}
	}
	if code, _, _ := call(other, "GET", path, "", ""); code != http.StatusNotFound {
		t.Fatalf("a marker not given it: %d", code)
	}
	// The second agrees; on day 15 AVA sends; the school prints the notice
	// and the candidate sees the change.
	if code, _, body := call(rm[2], "PUT", "/api/v1/remark/D1/booklets/"+c0+"/marks", "application/json", `{"choices": ["B", ""], "points": [0, 3]}`); code != 200 {
		t.Fatalf("api mark: %d %s", code, body)
	}
	w.at(t, 15, "10:00")
	if code, _, body := call("ava", "POST", "/api/v1/remark/D1/send", "", ""); code != 200 || !strings.Contains(body, `"sent": 1`) {
		t.Fatalf("send: %d %s", code, body)
	}
	_, _, body = call("nx0", "GET", "/rivleresimi", "", "")
	if !strings.Contains(body, "pikët 3 → <b>4</b>") {
		t.Fatalf("candidate after the send:\n%s", body)
	}
	code, hd, pdf := call("kshmsh.A-1", "GET", "/rivleresimi/njoftimi.pdf", "", "")
	if code != 200 || hd.Get("Content-Type") != "application/pdf" {
		t.Fatalf("notice: %d %v", code, hd)
	}
	if _, err := osexec.LookPath("pdftotext"); err == nil {
		cmd := osexec.Command("pdftotext", "-layout", "-", "-")
		cmd.Stdin = strings.NewReader(pdf)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(string(out)), " ")
		for _, want := range []string{"Njoftimi i rezultateve të rivlerësimit", w.reg(0), "Çela0001", "3→4", "Përfundimtar"} {
			if !strings.Contains(text, want) && !strings.Contains(strings.ReplaceAll(text, " ", ""), want) {
				t.Fatalf("notice lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, w.reg(3)) {
			t.Fatal("the notice shows another school's candidate")
		}
	}
}
