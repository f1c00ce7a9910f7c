package webkit

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"provim/internal/apperr"
)

// TestDecodeRefusesTrailingData: one JSON value, then only spaces; a
// second value or anything else after it is refused (issue 9, item 10).
func TestDecodeRefusesTrailingData(t *testing.T) {
	t.Parallel()
	for body, ok := range map[string]bool{
		`{"a":1}`:          true,
		"{\"a\":1}\n \t":   true,
		`{"a":1}{"a":2}`:   false,
		`{"a":1} 2`:        false,
		`{"a":1}garbage`:   false,
		`{"a":1}]`:         false,
		`{"a":1}` + "\x00": false,
	} {
		var v struct{ A int }
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		err := Decode(r, &v)
		if (err == nil) != ok || (!ok && apperr.CodeOf(err) != apperr.Invalid) {
			t.Errorf("%q: %v, want ok=%v", body, err, ok)
		}
	}
}

// TestRedirectOKPutsNoTextInTheAddress: the confirmation never travels in
// the URL (issue 9, item 9); without a session it is dropped, and the
// page ignores ?ok=.
func TestRedirectOKPutsNoTextInTheAddress(t *testing.T) {
	t.Parallel()
	w := httptest.NewRecorder()
	RedirectOK(w, httptest.NewRequest("POST", "/x", nil), "/aplikimet", url.Values{"shkolla": {"A-1"}}, "U ruajt.")
	if loc := w.Header().Get("Location"); loc != "/aplikimet?shkolla=A-1" {
		t.Fatalf("Location %q", loc)
	}
	w = httptest.NewRecorder()
	RedirectOK(w, httptest.NewRequest("POST", "/x", nil), "/formulari", nil, "U ruajt.")
	if loc := w.Header().Get("Location"); loc != "/formulari" {
		t.Fatalf("Location %q", loc)
	}
	k, err := New(slog.New(slog.NewTextHandler(io.Discard, nil)), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	w = httptest.NewRecorder()
	k.Fail(w, httptest.NewRequest("GET", "/x?ok=Kujdes:+provimi+u+shty", nil), apperr.New(apperr.NotFound, "Nuk u gjet."))
	if body := w.Body.String(); strings.Contains(body, "Kujdes") || w.Code != http.StatusNotFound {
		t.Fatalf("%d, the page shows ?ok=: %v", w.Code, strings.Contains(body, "Kujdes"))
	}
}
