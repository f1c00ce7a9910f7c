package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"provim/internal/auth"
	"provim/internal/draw"
)

// TestTwoServersOneDatabase: provim serve keeps nothing but the database
// and the session key they share (issue 12; PROVIM_SESSION_KEY), so two
// servers on one PostgreSQL database behave as one
// behind a load balancer. Requests alternate between them: a browser
// session and an API token made on one work on the other, and a logout on
// one ends the session on it at once and on the other within
// auth.RevocationLag; concurrent changes made on both keep the
// audit chain whole, with every change in it; failed logins count across
// both; and a draw committed on one and run on the other verifies from
// either's published record.
func TestTwoServersOneDatabase(t *testing.T) {
	if os.Getenv("PROVIM_TEST_DATABASE_URL") == "" {
		// scripts/test.sh runs it in its PostgreSQL pass (CI sets the URL).
		t.Skip("PROVIM_TEST_DATABASE_URL not set: two servers share one PostgreSQL database")
	}
	const today = "PROVIM_TODAY=2027-06-08T07:20" // D1's morning, inside the draw window
	a := startApp(t, func(a *app) {
		a.provim(nil, "demo", "--no-serve", "--db", a.dsn, "--students", "600")
	}, today)
	b := &app{t: t, dsn: a.dsn, sessionKey: a.sessionKey} // servers of one database share the session key
	b.serve(today)
	servers := []*app{a, b}
	other := func(i int) *app { return servers[(i+1)%2] }

	// A browser session made on one server works on the other; a logout on
	// the other ends it on both.
	for i, s := range servers {
		cookie := formLogin(t, s.url, "ava", demoPassword)
		if st, body := getPage(t, other(i).url+"/paneli", cookie); st != http.StatusOK || !strings.Contains(body, "Drita Kola") {
			t.Fatalf("session from server %d on the other: HTTP %d", i+1, st)
		}
		if st := postPage(t, other(i).url+"/dalje", cookie); st != http.StatusSeeOther {
			t.Fatalf("logout on the other server: HTTP %d", st)
		}
		// Ended at once on the server that ended it, and on the other as
		// soon as it reads the revocations (within auth.RevocationLag).
		if st, _ := getPage(t, other(i).url+"/paneli", cookie); st != http.StatusSeeOther {
			t.Fatalf("a session ended on a server still opens its /paneli: HTTP %d", st)
		}
		deadline := time.Now().Add(auth.RevocationLag + 250*time.Millisecond)
		for {
			st, _ := getPage(t, s.url+"/paneli", cookie)
			if st == http.StatusSeeOther {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("a session ended on one server still opens /paneli on the other after %s: HTTP %d", auth.RevocationLag, st)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	// An API token issued by one server works on the other.
	token := apiToken(t, b.url, "ava", demoPassword)
	var me struct {
		Username string `json:"username"`
	}
	if st := apiCall(t, a.url, token, "GET", "/api/v1/me", nil, &me); st != http.StatusOK || me.Username != "ava" {
		t.Fatalf("token from server 2 on server 1: HTTP %d %+v", st, me)
	}

	// Concurrent changes on both: every one is audited, the chain verifies
	// on both servers and with the CLI.
	before := auditCount(t, a, token)
	const perServer = 12
	var wg sync.WaitGroup
	errs := make(chan error, 2*perServer)
	for i, s := range servers {
		for j := range perServer {
			wg.Go(func() {
				body := map[string]any{"username": fmt.Sprintf("ava.s%d.%d", i+1, j), "full_name": "Ëndrit Çuni",
					"password": "fjalëkalim-i-gjatë-2027", "role": "ava"}
				if st := apiCall(t, s.url, token, "POST", "/api/v1/users", body, nil); st != http.StatusCreated {
					errs <- fmt.Errorf("create user %d on server %d: HTTP %d", j, i+1, st)
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for i, s := range servers {
		if got := auditCount(t, s, token); got != before+2*perServer {
			t.Errorf("audit entries after %d changes, on server %d: %d, want %d", 2*perServer, i+1, got, before+2*perServer)
		}
	}
	if out := a.provim(nil, "audit", "verify"); !strings.HasPrefix(out, "OK:") {
		t.Errorf("provim audit verify: %s", out)
	}

	// A draw committed on one server is run on the other and verifies from
	// the published record of either.
	kmsh := apiToken(t, a.url, "kmsh.tirane", demoPassword)
	var committed draw.Record
	if st := apiCall(t, a.url, kmsh, "POST", "/api/v1/draws",
		map[string]any{"session": 1, "exam": "D1", "unit": "DAR-TR", "reason": "Prova me dy serverë"}, &committed); st != http.StatusCreated {
		t.Fatalf("commit a draw on server 1: HTTP %d", st)
	}
	var drawn draw.Record
	if st := apiCall(t, b.url, kmsh, "POST", fmt.Sprintf("/api/v1/draws/%d/run", committed.ID),
		map[string]any{"entropy": "17 42 8"}, &drawn); st != http.StatusOK {
		t.Fatalf("run on server 2 the draw committed on server 1: HTTP %d", st)
	}
	if drawn.Commitment != committed.Commitment || len(drawn.Result) == 0 {
		t.Fatalf("the run draw: commitment %q (committed %q), %d assignments", drawn.Commitment, committed.Commitment, len(drawn.Result))
	}
	for i, s := range servers {
		var pub draw.Record
		if st := apiCall(t, s.url, "", "GET", fmt.Sprintf("/api/v1/public/draws/%d", committed.ID), nil, &pub); st != http.StatusOK {
			t.Fatalf("published draw on server %d: HTTP %d", i+1, st)
		}
		if err := draw.Verify(pub); err != nil {
			t.Fatalf("the published draw on server %d does not verify: %v", i+1, err)
		}
	}

	// Failed logins count across both servers: wrong passwords spread over
	// the two (each alone under the free attempts) hold the account back
	// on both, even with the right password.
	for i := range 2 * 4 {
		if st := postLogin(t, servers[i%2].url, "vleresues.d1", "fjalëkalim-i-gabuar"); st == http.StatusOK {
			t.Fatal("a wrong password was accepted")
		}
	}
	for i, s := range servers {
		if st := postLogin(t, s.url, "vleresues.d1", demoPassword); st != http.StatusTooManyRequests {
			t.Errorf("after 8 failures spread over both servers, the right password on server %d: HTTP %d, want 429", i+1, st)
		}
	}
}

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// postLogin posts the login form and returns the status (303 on success).
func postLogin(t *testing.T, base, user, password string) int {
	t.Helper()
	resp, err := noRedirect.PostForm(base+"/hyrje", url.Values{"username": {user}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusSeeOther {
		return http.StatusOK
	}
	return resp.StatusCode
}

// formLogin logs in with the form and returns the session cookie.
func formLogin(t *testing.T, base, user, password string) *http.Cookie {
	t.Helper()
	resp, err := noRedirect.PostForm(base+"/hyrje", url.Values{"username": {user}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "provim_session" && c.Value != "" {
			return c
		}
	}
	t.Fatalf("login %s on %s: HTTP %d without a session", user, base, resp.StatusCode)
	return nil
}

func getPage(t *testing.T, u string, c *http.Cookie) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.AddCookie(c)
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// postPage posts an empty form with the session's CSRF token, read from
// the dashboard's logout form.
func postPage(t *testing.T, u string, c *http.Cookie) int {
	t.Helper()
	base := u[:strings.Index(u[len("http://"):], "/")+len("http://")]
	_, page := getPage(t, base+"/paneli", c)
	form := url.Values{}
	if i := strings.Index(page, `name="csrf" value="`); i >= 0 {
		rest := page[i+len(`name="csrf" value="`):]
		form.Set("csrf", rest[:strings.Index(rest, `"`)])
	}
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(c)
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// apiToken logs in through the API and returns the bearer token.
func apiToken(t *testing.T, base, user, password string) string {
	t.Helper()
	var out struct {
		Token string `json:"token"`
	}
	if st := apiCall(t, base, "", "POST", "/api/v1/tokens", map[string]string{"username": user, "password": password, "name": "e2e"}, &out); st != http.StatusCreated || out.Token == "" {
		t.Fatalf("token for %s: HTTP %d", user, st)
	}
	return out.Token
}

// apiCall sends a JSON request and decodes a JSON answer into out.
func apiCall(t *testing.T, base, token, method, path string, in, out any) int {
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, base+path, body)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			t.Errorf("%s %s: %v\n%s", method, path, err, b)
		}
	} else if resp.StatusCode >= 300 {
		t.Logf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, b)
	}
	return resp.StatusCode
}

// auditCount is how many entries verify in the audit chain, as one server
// walks it; the chain must be intact.
func auditCount(t *testing.T, s *app, token string) int64 {
	t.Helper()
	var v struct {
		Verified int64 `json:"verified"`
		Intact   bool  `json:"intact"`
	}
	if st := apiCall(t, s.url, token, "GET", "/api/v1/audit/verify", nil, &v); st != http.StatusOK || !v.Intact {
		t.Fatalf("audit verify on %s: HTTP %d intact %v", s.url, st, v.Intact)
	}
	return v.Verified
}
