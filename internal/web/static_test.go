package web

import (
	"net/http"
	"strings"
	"testing"
)

// A static file the server does not have, or its folder, is an Albanian
// 404, never Go's English "404 page not found" nor a listing; the
// stylesheet is served.
func TestStaticFilesAnswerInAlbanian(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, path := range []string{"/static/nope.css", "/static/", "/static/../server.go"} {
		code, body := f.ui(t, "", path)
		if code != http.StatusNotFound || !strings.Contains(body, "nuk ekziston") || strings.Contains(body, "page not found") {
			t.Errorf("GET %s: %d %q", path, code, body)
		}
	}
	if code, body := f.ui(t, "", "/static/app.css"); code != http.StatusOK || !strings.Contains(body, "{") {
		t.Errorf("GET /static/app.css: %d", code)
	}
}

// The exam day's service worker may control /dita-e-provimit/ only (it is
// served from /static/) and is asked for again at every visit, so a fixed
// worker reaches the phones at once; the sign-in page loads the script
// that forgets the room pages it kept (Neni 52).
func TestExamDayServiceWorkerIsScopedToTheExamDay(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	resp, err := http.Get(f.srv.URL + "/static/" + examdaySW)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Service-Worker-Allowed") != "/dita-e-provimit/" ||
		resp.Header.Get("Cache-Control") != "no-cache" || !strings.Contains(resp.Header.Get("Content-Type"), "javascript") {
		t.Errorf("GET /static/%s: %d %v", examdaySW, resp.StatusCode, resp.Header)
	}
	css, err := http.Get(f.srv.URL + "/static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	css.Body.Close()
	if css.Header.Get("Service-Worker-Allowed") != "" {
		t.Errorf("GET /static/app.css widens a worker's scope: %v", css.Header)
	}
	if code, body := f.ui(t, "", "/hyrje"); code != http.StatusOK || !strings.Contains(body, `src="/static/signin.js"`) {
		t.Errorf("GET /hyrje: %d, no signin.js", code)
	}
	if code, body := f.ui(t, "", "/static/signin.js"); code != http.StatusOK || !strings.Contains(body, "provim-examday-v1") {
		t.Errorf("GET /static/signin.js: %d", code)
	}
}
