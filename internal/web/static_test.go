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
