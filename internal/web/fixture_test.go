package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/registry"
	"provim/internal/store"
	"provim/internal/testkit"
	"provim/internal/web/webkit"
	"sync"
	"testing"
	"time"
)

const testPassword = "fjalëkalim-provë-123"

// fixture is testkit's standard country (testkit.Kit.Country): two DARs
// (A with a ZA under it, and B), a school, a student, a staff member and a
// venue on each side, and one user per role. "home" objects are on side A, "foreign" ones on side B. Its
// services are testkit's, over its own database, on the manual clock k.Clock.
type fixture struct {
	k       *testkit.Kit
	db      *store.DB
	srv     *httptest.Server
	handler *Server
	home    ids
	foreign ids

	mu     sync.Mutex
	logins map[string]login // the token and browser session of each user, made on first use
}

// login is a user's API token and browser session.
type login struct {
	token  string
	client *http.Client
}

type ids struct {
	student int64
	staff   int64
	school  string
	venue   string
}

// nidFor is a personal number born in May 2008, as testkit's country's
// students are (testkit.StudentNID is nidFor(day, serial, "M")).
func nidFor(day, serial int, sex string) string {
	return registry.MakeNID(time.Date(2008, 5, day, 0, 0, 0, 0, time.UTC), sex, serial)
}

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

func newFixture(t *testing.T) *fixture {
	t.Helper()
	k := testkit.New(t)
	srv, err := New(k.Services, discard)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{k: k, db: k.DB, handler: srv, logins: map[string]login{}}
	// testkit's standard country, imported by an AVA user named setup.
	land := k.Country(t, testkit.ImportedBy(&auth.Principal{Username: "setup", Role: auth.RoleAVA}))
	side := func(s testkit.Side) ids {
		return ids{student: s.Student, staff: s.Staff, school: s.School, venue: s.Venue}
	}
	f.home, f.foreign = side(land.Home), side(land.Foreign)
	f.srv = httptest.NewServer(srv.Handler())
	t.Cleanup(f.srv.Close)
	f.addUsers(t,
		auth.NewUser{Username: "ava", Role: auth.RoleAVA},
		auth.NewUser{Username: "kmsh", Role: auth.RoleKMSH, Unit: "DAR-A"},
		auth.NewUser{Username: "kshmsh", Role: auth.RoleKSHMSH, School: "A-1"},
		auth.NewUser{Username: "pap", Role: auth.RolePAP, Venue: "Q-A-1"},
		auth.NewUser{Username: "vleresues", Role: auth.RoleMarker, Subject: "D1"},
		auth.NewUser{Username: "nxenes", Role: auth.RoleStudent, StudentID: f.home.student},
	)
	return f
}

// testHash is the argon2 hash of testPassword, computed once for every
// fixture: users are written with it directly, as CreateUser would.
var testHash = sync.OnceValues(func() (string, error) { return auth.HashPassword(context.Background(), testPassword) })

// addUsers creates users with testPassword. The rows are what
// auth.CreateUser writes (a test may name auth's table), without hashing
// the same password again for every fixture.
func (f *fixture) addUsers(t *testing.T, users ...auth.NewUser) {
	t.Helper()
	hash, err := testHash()
	if err != nil {
		t.Fatal(err)
	}
	null := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	for _, u := range users {
		var student any
		if u.StudentID != 0 {
			student = u.StudentID
		}
		if _, err := f.db.Exec(`INSERT INTO users (username, full_name, password_hash, role, unit_code, school_code, venue_code, subject, student_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, u.Username, "Përdorues "+u.Username, hash, string(u.Role),
			null(u.Unit), null(u.School), null(u.Venue), u.Subject, student, clock.Stored(f.k.Clock.Now())); err != nil {
			t.Fatalf("user %s: %v", u.Username, err)
		}
	}
}

// loginOf is user's API token and browser session, made on first use.
// They are written as auth.IssueToken and auth.Login write them, without
// checking the password (an argon2 hash each, most of a test's time) and
// valid whatever day a test moves the clock to: the fixture stands for
// users who are signed in. TestLoginFlows signs in for real.
func (f *fixture) loginOf(t *testing.T, user string) login {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if l, ok := f.logins[user]; ok {
		return l
	}
	var id int64
	if err := f.db.QueryRow(`SELECT id FROM users WHERE username = $1`, user).Scan(&id); err != nil {
		t.Fatalf("user %s: %v", user, err)
	}
	now := clock.Stored(f.k.Clock.Now())
	const never = "9999-12-31T23:59:59Z"
	token, tokenHash := newTestToken()
	session, sessionHash := newTestToken()
	csrf, _ := newTestToken()
	if _, err := f.db.Exec(`INSERT INTO api_tokens (token_hash, user_id, name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		tokenHash, id, "test", now, never); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Exec(`INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		sessionHash, id, csrf, now, never); err != nil {
		t.Fatal(err)
	}
	cookie, err := f.k.Auth.SignSession(context.Background(), session)
	if err != nil {
		t.Fatal(err)
	}
	if token, err = f.k.Auth.SignToken(context.Background(), token); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(f.srv.URL)
	jar.SetCookies(u, []*http.Cookie{{Name: webkit.SessionCookie, Value: cookie, Path: "/"}})
	l := login{token: token, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	f.logins[user] = l
	return l
}

// newTestToken is a random token and its hash, as package auth makes them.
func newTestToken() (raw, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	raw = hex.EncodeToString(b)
	h := sha256.Sum256([]byte(raw))
	return raw, hex.EncodeToString(h[:])
}

// tokenOf is user's API token.
func (f *fixture) tokenOf(t *testing.T, user string) string { return f.loginOf(t, user).token }

// client is user's browser, signed in; it does not follow redirects.
func (f *fixture) client(t *testing.T, user string) *http.Client { return f.loginOf(t, user).client }

func (f *fixture) token(t *testing.T, user string) string {
	body, _ := json.Marshal(map[string]string{"username": user, "password": testPassword})
	resp, err := http.Post(f.srv.URL+"/api/v1/tokens", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != http.StatusCreated || out.Token == "" {
		t.Fatalf("token for %s: %d", user, resp.StatusCode)
	}
	return out.Token
}

func (f *fixture) uiLogin(t *testing.T, user string) *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(f.srv.URL+"/hyrje", url.Values{"username": {user}, "password": {testPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("ui login %s: %d", user, resp.StatusCode)
	}
	return c
}

func (f *fixture) api(t *testing.T, user, method, path string, body any) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, f.srv.URL+path, rd)
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokenOf(t, user))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	checkAPIResponse(t, req, resp.StatusCode, resp.Header, b)
	return resp.StatusCode, string(b)
}

func (f *fixture) ui(t *testing.T, user, path string) (int, string) {
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if user != "" {
		c = f.client(t, user)
	}
	resp, err := c.Get(f.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
