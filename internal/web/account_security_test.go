package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// get fetches path with c and returns the status, body and Location.
func get(t *testing.T, c *http.Client, base, path string) (int, string, string) {
	t.Helper()
	resp, err := c.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

// bearer calls the API with a token and returns the status.
func (f *fixture) bearer(t *testing.T, tok, method, path, body string) int {
	t.Helper()
	req, _ := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestFlashComesFromTheServer (issue 9, item 9): text in ?ok= is never
// shown, on the login page or any other; the confirmation of a change is
// kept with the session, shown once, and the redirect carries no text.
func TestFlashComesFromTheServer(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const planted = "Kujdes: provimi D1 u shty për 09.06.2027"
	q := "?ok=" + url.QueryEscape(planted)
	anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if _, body, _ := get(t, anon, f.srv.URL, "/hyrje"+q); strings.Contains(body, "Kujdes") || strings.Contains(body, `class="flash"`) {
		t.Fatal("the login page shows the text of ?ok=")
	}
	for _, path := range []string{"/paneli", "/llogaria", "/nxenesit"} {
		code, body := f.ui(t, "kmsh", path+q)
		if code != http.StatusOK || strings.Contains(body, "Kujdes") || strings.Contains(body, `class="flash"`) {
			t.Fatalf("%s%s: %d, shows the planted text: %v", path, q, code, strings.Contains(body, "Kujdes"))
		}
	}

	// A real confirmation: kept server-side, shown once.
	c := f.uiLogin(t, "kmsh")
	_, page, _ := get(t, c, f.srv.URL, "/llogaria")
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no form token")
	}
	resp, err := c.PostForm(f.srv.URL+"/llogaria", url.Values{"csrf": {m[1]}, "old": {testPassword}, "new": {"fjalëkalim-i-ri-99"}, "again": {"fjalëkalim-i-ri-99"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/llogaria" {
		t.Fatalf("password change: %d → %q, want 303 to /llogaria with no text", resp.StatusCode, loc)
	}
	if _, body, _ := get(t, c, f.srv.URL, "/llogaria"+q); !strings.Contains(body, "Fjalëkalimi u ndryshua") || strings.Contains(body, "Kujdes") {
		t.Fatalf("the next page does not show the server's confirmation (or shows ?ok=)")
	}
	if _, body, _ := get(t, c, f.srv.URL, "/llogaria"); strings.Contains(body, "Fjalëkalimi u ndryshua") {
		t.Fatal("the confirmation is shown twice")
	}
}

// TestPasswordChangeEndsOtherSessions (issue 9, item 3): a change at
// /llogaria ends the user's other browser sessions and API tokens and
// keeps the one that made it; so does a change through the API, and AVA's
// reset ends them all.
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	here, there := f.uiLogin(t, "kmsh"), f.uiLogin(t, "kmsh")
	tok := f.token(t, "kmsh")
	_, page, _ := get(t, here, f.srv.URL, "/llogaria")
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no form token")
	}
	const pw2, pw3 = "fjalëkalim-i-ri-99", "fjalëkalim-i-ri-77"
	resp, err := here.PostForm(f.srv.URL+"/llogaria", url.Values{"csrf": {m[1]}, "old": {testPassword}, "new": {pw2}, "again": {pw2}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: %d", resp.StatusCode)
	}
	if code, _, _ := get(t, here, f.srv.URL, "/paneli"); code != http.StatusOK {
		t.Fatalf("the session that made the change: %d, want it kept", code)
	}
	if code, _, loc := get(t, there, f.srv.URL, "/paneli"); code != http.StatusSeeOther || !strings.HasPrefix(loc, "/hyrje") {
		t.Fatalf("another session after the change: %d %s, want it ended", code, loc)
	}
	if code := f.bearer(t, tok, "GET", "/api/v1/me", ""); code != http.StatusUnauthorized {
		t.Fatalf("a token after the change: %d, want 401", code)
	}

	// Through the API: the token that made the change stays.
	login := func(password string) string {
		t.Helper()
		body := `{"username":"kmsh","password":"` + password + `"}`
		resp, err := http.Post(f.srv.URL+"/api/v1/tokens", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var out struct{ Token string }
		json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated || out.Token == "" {
			t.Fatalf("token: %d", resp.StatusCode)
		}
		return out.Token
	}
	t1, t2 := login(pw2), login(pw2)
	if code := f.bearer(t, t1, "PUT", "/api/v1/users/kmsh/password", `{"old_password":"`+pw2+`","new_password":"`+pw3+`"}`); code != http.StatusNoContent {
		t.Fatalf("API change: %d", code)
	}
	if code := f.bearer(t, t1, "GET", "/api/v1/me", ""); code != http.StatusOK {
		t.Fatalf("the token that made the change: %d", code)
	}
	if code := f.bearer(t, t2, "GET", "/api/v1/me", ""); code != http.StatusUnauthorized {
		t.Fatalf("another token: %d", code)
	}
	if code, _, _ := get(t, here, f.srv.URL, "/paneli"); code != http.StatusSeeOther {
		t.Fatalf("the browser session after the API change: %d, want it ended", code)
	}

	// AVA's reset ends the rest; AVA stays signed in.
	if code, _ := f.api(t, "ava", "PUT", "/api/v1/users/kmsh/password", map[string]string{"new_password": testPassword}); code != http.StatusNoContent {
		t.Fatalf("reset: %d", code)
	}
	if code := f.bearer(t, t1, "GET", "/api/v1/me", ""); code != http.StatusUnauthorized {
		t.Fatalf("kmsh's token after AVA's reset: %d", code)
	}
	if code, _ := f.api(t, "ava", "GET", "/api/v1/me", nil); code != http.StatusOK {
		t.Fatalf("AVA's own token after the reset: %d", code)
	}
}

// TestLoginRedirectStaysOnSite (issue 9, item 10): the page after login is
// a local path; control characters (as sent or percent-encoded), other
// hosts and schemes go to the dashboard instead.
func TestLoginRedirectStaysOnSite(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for next, want := range map[string]string{
		"/aplikimet?shkolla=A-1": "/aplikimet?shkolla=A-1",
		"/\t/evil.example/x":     "/paneli",
		"/%09/evil.example/x":    "/paneli",
		"/\n/evil.example":       "/paneli",
		"//evil.example":         "/paneli",
		"/\\evil.example":        "/paneli",
		"https://evil.example":   "/paneli",
		"/\u200b/evil.example":   "/paneli",
		"/%2F/evil.example":      "/paneli",
		"javascript:alert(1)":    "/paneli",
	} {
		resp, err := c.PostForm(f.srv.URL+"/hyrje", url.Values{"username": {"kmsh"}, "password": {testPassword}, "pas": {next}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != want {
			t.Errorf("pas=%q: %d → %q, want %q", next, resp.StatusCode, loc, want)
		}
	}
	// The login page does not put a foreign target in its form either.
	if _, body, _ := get(t, c, f.srv.URL, "/hyrje?pas="+url.QueryEscape("/\t/evil.example")); strings.Contains(body, "evil.example") {
		t.Error("the login form carries the foreign target")
	}
}

// TestJSONTrailingDataRefused (issue 9, item 10): a JSON body followed by a
// second value or other data is refused, not read in part.
func TestJSONTrailingDataRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	one := `{"username":"kmsh","password":"` + testPassword + `"}`
	for body, want := range map[string]int{
		one + "\n  ":             http.StatusCreated,
		one + `{"username":"x"}`: http.StatusUnprocessableEntity,
		one + " x":               http.StatusUnprocessableEntity,
		one + " 1":               http.StatusUnprocessableEntity,
		one + "]":                http.StatusUnprocessableEntity,
	} {
		resp, err := http.Post(f.srv.URL+"/api/v1/tokens", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%q: %d %s, want %d", body, resp.StatusCode, b, want)
		}
		if want == http.StatusUnprocessableEntity && !strings.Contains(string(b), "vlerë e vetme JSON") {
			t.Errorf("%q: %s", body, b)
		}
	}
}
