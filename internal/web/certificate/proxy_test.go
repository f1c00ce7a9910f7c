package certificate

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"provim/internal/certificate"
	"provim/internal/testkit"
	"provim/internal/web/webkit"
)

// behind serves the area of w as provim serve --trusted-proxies does
// (webkit.WithClientAddr) and posts the public check with the
// X-Forwarded-For a proxy in front would write.
func behind(t *testing.T, w *webWorld, trusted []netip.Prefix) func(xff, number, pn string) (int, string) {
	t.Helper()
	srv := httptest.NewServer(webkit.WithClientAddr(w.srv.Config.Handler, trusted))
	t.Cleanup(srv.Close)
	return func(xff, number, pn string) (int, string) {
		t.Helper()
		v := url.Values{"numri": {number}, "numri_personal": {pn}}
		req, _ := http.NewRequest("POST", srv.URL+"/vertetimi", strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
}

// Through a trusted proxy (the test's server is reached from 127.0.0.1)
// two clients are throttled apart: the one who guessed is refused, the
// other still checks; a client cannot choose its throttle by writing its
// own X-Forwarded-For (the proxy appends the address it saw, the
// right-most untrusted one counts).
func TestCertificateCheckThrottledPerClientBehindTrustedProxy(t *testing.T) {
	w := newWebWorld(t)
	if _, err := w.k.Certificates.IssueAll(context.Background(), testkit.AVA, 2027, nil); err != nil {
		t.Fatal(err)
	}
	home := w.number(t, w.land.Home.Student)
	trusted, err := webkit.ParseTrustedProxies("127.0.0.0/8, ::1")
	if err != nil {
		t.Fatal(err)
	}
	post := behind(t, w, trusted)
	for i := range certificate.MissLimit {
		// The guesser writes a new address of its own each time.
		if code, b := post("10.9.9."+string(rune('1'+i))+", 203.0.113.5", home, testkit.StudentNID(9, 20+i)); code != 200 || !strings.Contains(b, "Nuk u gjet") {
			t.Fatalf("guess %d: %d", i, code)
		}
	}
	if code, _ := post("10.9.9.99, 203.0.113.5", home, testkit.StudentNID(1, 1)); code != http.StatusTooManyRequests {
		t.Fatalf("the guesser behind the proxy: %d, want 429", code)
	}
	if code, b := post("198.51.100.7", home, testkit.StudentNID(1, 1)); code != 200 || !strings.Contains(b, "është e vlefshme") {
		t.Fatalf("another client behind the proxy: %d, want 200 (throttled apart)", code)
	}
}

// Without --trusted-proxies the header is ignored: every caller through
// the proxy is the proxy's address, and one throttle holds them all.
func TestCertificateCheckIgnoresForwardedForWithoutTrustedProxies(t *testing.T) {
	w := newWebWorld(t)
	if _, err := w.k.Certificates.IssueAll(context.Background(), testkit.AVA, 2027, nil); err != nil {
		t.Fatal(err)
	}
	home := w.number(t, w.land.Home.Student)
	post := behind(t, w, nil)
	for i := range certificate.MissLimit {
		if code, _ := post("203.0.113.5", home, testkit.StudentNID(9, 20+i)); code != 200 {
			t.Fatalf("guess %d: %d", i, code)
		}
	}
	if code, _ := post("198.51.100.7", home, testkit.StudentNID(1, 1)); code != http.StatusTooManyRequests {
		t.Fatalf("X-Forwarded-For believed without trusted proxies: %d, want 429", code)
	}
}
