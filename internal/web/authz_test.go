package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/store"
	"provim/internal/store/storetest"
)

const testPassword = "fjalëkalim-provë-123"

// fixture is a small country: two DARs (A with a ZA under it, and B), a
// school, a student, a staff member and a venue on each side, and one user
// per role. "home" objects are on side A, "foreign" ones on side B.
type fixture struct {
	db      *store.DB
	srv     *httptest.Server
	home    ids
	foreign ids
	tokens  map[string]string
	clients map[string]*http.Client
}

type ids struct {
	student int64
	staff   int64
	school  string
	venue   string
}

func nidFor(day, serial int, sex string) string {
	return registry.MakeNID(time.Date(2008, 5, day, 0, 0, 0, 0, time.UTC), sex, serial)
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t)
	srv, err := New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, tokens: map[string]string{}, clients: map[string]*http.Client{}}
	op := &auth.Principal{Username: "setup", Role: auth.RoleAVA}
	files := []struct{ entity, body string }{
		{"units", "kodi,emri,lloji,kodi_prind,qyteti\nDAR-A,DAR Tiranë,DAR,,Tiranë\nZA-A1,ZA Kavajë,ZA,DAR-A,Kavajë\nDAR-B,DAR Durrës,DAR,,Durrës\n"},
		{"schools", "kodi,emri,kodi_dar_za,qyteti,publike,profili,vite\nA-1,Gjimnazi Çajupi,DAR-A,Tiranë,po,gjimnaz,4\nA1-1,Gjimnazi Kavaja,ZA-A1,Kavajë,po,gjimnaz,4\nB-1,Gjimnazi Durrësi,DAR-B,Durrës,po,gjimnaz,4\n"},
		{"students", "nr_personal,emri,atesia,mbiemri,datelindja,kodi_shkolles\n" +
			nidFor(1, 1, "M") + ",Arbër,Ilir,Çela,01.05.2008,A-1\n" +
			nidFor(2, 2, "M") + ",Besnik,Ilir,Dema,02.05.2008,A1-1\n" +
			nidFor(3, 3, "M") + ",Dritan,Ilir,Hoxha,03.05.2008,B-1\n"},
		{"staff", "nr_personal,emri,atesia,mbiemri,kodi_shkolles,pozicioni,lendet\n" +
			registry.MakeNID(time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC), "F", 1) + ",Drita,Agim,Kola,A-1,mesues,D1\n" +
			registry.MakeNID(time.Date(1980, 1, 2, 0, 0, 0, 0, time.UTC), "F", 2) + ",Ema,Agim,Leka,B-1,mesues,D2\n"},
		{"venues", "kodi_qendres,emri_qendres,kodi_shkolles,qyteti,salla,vende\nQ-A-1,Gjimnazi Çajupi,A-1,Tiranë,Salla 1,20\nQ-B-1,Gjimnazi Durrësi,B-1,Durrës,Salla 1,20\n"},
	}
	if err := examyear.NewService(db).EnsureDefault(ctx); err != nil {
		t.Fatal(err)
	}
	reg := registry.NewService(db)
	for _, fl := range files {
		if _, err := reg.Import(ctx, op, fl.entity, fl.entity+".csv", strings.NewReader(fl.body), nil); err != nil {
			t.Fatalf("%s: %v", fl.entity, err)
		}
	}
	one := func(q string, args ...any) (id int64) {
		if err := db.QueryRow(q, args...).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	f.home = ids{student: one(`SELECT id FROM students WHERE school_code = 'A-1'`), staff: one(`SELECT id FROM staff WHERE school_code = 'A-1'`), school: "A-1", venue: "Q-A-1"}
	f.foreign = ids{student: one(`SELECT id FROM students WHERE school_code = 'B-1'`), staff: one(`SELECT id FROM staff WHERE school_code = 'B-1'`), school: "B-1", venue: "Q-B-1"}
	users := []auth.NewUser{
		{Username: "ava", Role: auth.RoleAVA},
		{Username: "kmsh", Role: auth.RoleKMSH, Unit: "DAR-A"},
		{Username: "kshmsh", Role: auth.RoleKSHMSH, School: "A-1"},
		{Username: "pap", Role: auth.RolePAP, Venue: "Q-A-1"},
		{Username: "vleresues", Role: auth.RoleMarker, Subject: "D1"},
		{Username: "nxenes", Role: auth.RoleStudent, StudentID: f.home.student},
	}
	f.srv = httptest.NewServer(srv.Handler())
	t.Cleanup(f.srv.Close)
	for _, u := range users {
		u.FullName, u.Password = "Përdorues "+u.Username, testPassword
		if _, err := srv.Auth().CreateUser(ctx, nil, u); err != nil {
			t.Fatal(err)
		}
		f.tokens[u.Username] = f.token(t, u.Username)
		f.clients[u.Username] = f.uiLogin(t, u.Username)
	}
	return f
}

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
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, f.srv.URL+path, rd)
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[user])
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (f *fixture) ui(t *testing.T, user, path string) (int, string) {
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if user != "" {
		c = f.clients[user]
	}
	resp, err := c.Get(f.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var allUsers = []string{"ava", "kmsh", "kshmsh", "pap", "vleresues", "nxenes"}

// TestAuthorisationMatrix walks every role over every endpoint, with an
// object inside and one outside the role's scope, and checks that access
// is granted exactly where it should be and nothing else leaks.
func TestAuthorisationMatrix(t *testing.T) {
	f := newFixture(t)
	type endpoint struct {
		name    string
		method  string
		path    func(o ids) string
		body    func(o ids) any
		home    []string // roles allowed on the home object
		foreign []string // roles allowed on the foreign object
		ui      bool     // a UI page (GET with the session cookie)
	}
	student := func(o ids) any {
		return map[string]any{"personal_no": pnOf(t, f, o.student), "first_name": "Arbër", "father_name": "Ilir", "last_name": "Çela",
			"birth_date": birthOf(t, f, o.student), "school_code": o.school, "phone": "069 000 0000"}
	}
	eps := []endpoint{
		{name: "student", method: "GET", path: func(o ids) string { return fmt.Sprintf("/api/v1/students/%d", o.student) },
			home: []string{"ava", "kmsh", "kshmsh", "nxenes"}, foreign: []string{"ava"}},
		{name: "student history", method: "GET", path: func(o ids) string { return fmt.Sprintf("/api/v1/students/%d/history", o.student) },
			home: []string{"ava", "kmsh", "kshmsh"}, foreign: []string{"ava"}},
		{name: "update student", method: "PUT", path: func(o ids) string { return fmt.Sprintf("/api/v1/students/%d", o.student) }, body: student,
			home: []string{"ava", "kmsh", "kshmsh"}, foreign: []string{"ava"}},
		{name: "school", method: "GET", path: func(o ids) string { return "/api/v1/schools/" + o.school },
			home: []string{"ava", "kmsh", "kshmsh"}, foreign: []string{"ava"}},
		{name: "update school", method: "PUT", path: func(o ids) string { return "/api/v1/schools/" + o.school },
			body: func(o ids) any {
				return map[string]any{"name": "Gjimnazi i ri", "unit_code": map[string]string{"A-1": "DAR-A", "B-1": "DAR-B"}[o.school], "city": "Qyteti", "public": true, "profile": "gjimnaz", "years": 4}
			},
			home: []string{"ava", "kmsh"}, foreign: []string{"ava"}},
		{name: "staff", method: "GET", path: func(o ids) string { return fmt.Sprintf("/api/v1/staff/%d", o.staff) },
			home: []string{"ava", "kmsh", "kshmsh"}, foreign: []string{"ava"}},
		{name: "venue", method: "GET", path: func(o ids) string { return "/api/v1/venues/" + o.venue },
			home: []string{"ava", "kmsh", "kshmsh", "pap"}, foreign: []string{"ava"}},
		{name: "update room", method: "PUT", path: func(o ids) string { return "/api/v1/venues/" + o.venue + "/rooms/Salla%202" },
			body: func(o ids) any { return map[string]any{"room": map[string]any{"seats": 18}} },
			home: []string{"ava", "kmsh"}, foreign: []string{"ava"}},
		{name: "units", method: "GET", path: func(ids) string { return "/api/v1/units" },
			home: []string{"ava", "kmsh", "kshmsh", "pap", "vleresues"}, foreign: []string{"ava", "kmsh", "kshmsh", "pap", "vleresues"}},
		{name: "users", method: "GET", path: func(ids) string { return "/api/v1/users" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "audit", method: "GET", path: func(ids) string { return "/api/v1/audit" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "audit verify", method: "GET", path: func(ids) string { return "/api/v1/audit/verify" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "ui student", ui: true, path: func(o ids) string { return fmt.Sprintf("/nxenesit/%d", o.student) },
			home: []string{"ava", "kmsh", "kshmsh", "nxenes"}, foreign: []string{"ava"}},
		{name: "ui school", ui: true, path: func(o ids) string { return "/shkollat/" + o.school },
			home: []string{"ava", "kmsh", "kshmsh"}, foreign: []string{"ava"}},
		{name: "ui staff", ui: true, path: func(o ids) string { return fmt.Sprintf("/personeli/%d", o.staff) },
			home: []string{"ava", "kmsh", "kshmsh"}, foreign: []string{"ava"}},
		{name: "ui venue", ui: true, path: func(o ids) string { return "/qendrat/" + o.venue },
			home: []string{"ava", "kmsh", "kshmsh", "pap"}, foreign: []string{"ava"}},
		{name: "exam years", method: "GET", path: func(ids) string { return "/api/v1/years" }, home: allUsers, foreign: allUsers},
		{name: "exam year", method: "GET", path: func(ids) string { return "/api/v1/years/2009" }, home: allUsers, foreign: allUsers},
		{name: "active exam year", method: "GET", path: func(ids) string { return "/api/v1/years/active" }, home: allUsers, foreign: allUsers},
		{name: "activate exam year", method: "PUT", path: func(ids) string { return "/api/v1/years/2009/active" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "ui exam years", ui: true, path: func(ids) string { return "/vitet" }, home: allUsers, foreign: allUsers},
		{name: "ui exam year", ui: true, path: func(ids) string { return "/vitet/2009" }, home: allUsers, foreign: allUsers},
		{name: "ui dashboard", ui: true, path: func(ids) string { return "/paneli" }, home: allUsers, foreign: allUsers},
		{name: "ui users", ui: true, path: func(ids) string { return "/perdoruesit" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "ui audit", ui: true, path: func(ids) string { return "/auditimi" }, home: []string{"ava"}, foreign: []string{"ava"}},
	}
	for _, ep := range eps {
		for _, side := range []struct {
			name    string
			obj     ids
			allowed []string
		}{{"home", f.home, ep.home}, {"foreign", f.foreign, ep.foreign}} {
			for _, user := range allUsers {
				t.Run(ep.name+"/"+side.name+"/"+user, func(t *testing.T) {
					want := contains(side.allowed, user)
					var code int
					var body string
					if ep.ui {
						code, body = f.ui(t, user, ep.path(side.obj))
					} else {
						var b any
						if ep.body != nil {
							b = ep.body(side.obj)
						}
						code, body = f.api(t, user, ep.method, ep.path(side.obj), b)
					}
					if want && (code < 200 || code > 299) {
						t.Fatalf("%s %s: %d, want success\n%s", user, ep.path(side.obj), code, snippet(body))
					}
					if !want && code != http.StatusForbidden && code != http.StatusNotFound {
						t.Fatalf("%s %s: %d, want 403 or 404\n%s", user, ep.path(side.obj), code, snippet(body))
					}
				})
			}
		}
		// Anonymous callers get nothing: 401 on the API, the login page in the UI.
		code, _ := f.ui(t, "", ep.path(f.home))
		if !ep.ui {
			code, _ = f.api(t, "", ep.method, ep.path(f.home), nil)
			if code != http.StatusUnauthorized {
				t.Errorf("anonymous %s: %d, want 401", ep.name, code)
			}
		} else if code != http.StatusSeeOther {
			t.Errorf("anonymous %s: %d, want redirect to login", ep.name, code)
		}
	}
}

// TestListsStayInScope checks that list endpoints return only in-scope rows.
func TestListsStayInScope(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		user  string
		path  string
		count int // -1: refused
	}{
		{"ava", "/api/v1/students", 3}, {"kmsh", "/api/v1/students", 2}, {"kshmsh", "/api/v1/students", 1}, {"nxenes", "/api/v1/students", 1},
		{"pap", "/api/v1/students", -1}, {"vleresues", "/api/v1/students", -1},
		{"ava", "/api/v1/schools", 3}, {"kmsh", "/api/v1/schools", 2}, {"kshmsh", "/api/v1/schools", 1}, {"nxenes", "/api/v1/schools", -1},
		{"ava", "/api/v1/staff", 2}, {"kmsh", "/api/v1/staff", 1}, {"kshmsh", "/api/v1/staff", 1}, {"pap", "/api/v1/staff", -1},
		{"ava", "/api/v1/venues", 2}, {"kmsh", "/api/v1/venues", 1}, {"pap", "/api/v1/venues", 1}, {"vleresues", "/api/v1/venues", -1},
	} {
		code, body := f.api(t, tc.user, "GET", tc.path, nil)
		if tc.count < 0 {
			if code != http.StatusForbidden {
				t.Errorf("%s %s: %d, want 403", tc.user, tc.path, code)
			}
			continue
		}
		var out struct{ Items []json.RawMessage }
		json.Unmarshal([]byte(body), &out)
		if code != 200 || len(out.Items) != tc.count {
			t.Errorf("%s %s: %d with %d items, want %d", tc.user, tc.path, code, len(out.Items), tc.count)
		}
		if tc.user != "ava" && strings.Contains(body, "B-1") {
			t.Errorf("%s %s leaks side B: %s", tc.user, tc.path, snippet(body))
		}
	}
}

// TestWritesOutsideScopeChangeNothing: a refused write leaves no trace.
func TestWritesOutsideScopeChangeNothing(t *testing.T) {
	f := newFixture(t)
	for _, user := range []string{"kmsh", "kshmsh", "pap", "vleresues", "nxenes"} {
		body := map[string]any{"personal_no": pnOf(t, f, f.foreign.student), "first_name": "Hakeri", "father_name": "X", "last_name": "Y",
			"birth_date": birthOf(t, f, f.foreign.student), "school_code": "B-1"}
		if code, _ := f.api(t, user, "PUT", fmt.Sprintf("/api/v1/students/%d", f.foreign.student), body); code < 400 {
			t.Errorf("%s changed a foreign student: %d", user, code)
		}
		body["school_code"] = "A-1" // move them into my school: still refused
		if code, _ := f.api(t, user, "POST", "/api/v1/students", body); code < 400 {
			t.Errorf("%s moved a foreign student: %d", user, code)
		}
	}
	var n int
	f.db.QueryRow(`SELECT COUNT(*) FROM students WHERE first_name = 'Hakeri'`).Scan(&n)
	if n != 0 {
		t.Fatal("a refused write changed data")
	}
}

// TestAPIRefusesCookies: the API authenticates by bearer token only.
func TestAPIRefusesCookies(t *testing.T) {
	f := newFixture(t)
	resp, err := f.clients["ava"].Get(f.srv.URL + "/api/v1/students")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("API accepted a session cookie: %d", resp.StatusCode)
	}
}

// TestCrossOriginPostRefused: a form posted from another site is refused.
func TestCrossOriginPostRefused(t *testing.T) {
	f := newFixture(t)
	req, _ := http.NewRequest("POST", f.srv.URL+"/llogaria", strings.NewReader("old=x&new=yyyyyyyyyyyy&again=yyyyyyyyyyyy"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := f.clients["ava"].Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin POST: %d", resp.StatusCode)
	}
	// And a same-site POST without the form token is refused too.
	resp, _ = f.clients["ava"].PostForm(f.srv.URL+"/llogaria", url.Values{"old": {"x"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("POST without form token: %d", resp.StatusCode)
	}
}

// TestLoginThrottle: after 5 wrong passwords the account is locked for a while.
func TestLoginThrottle(t *testing.T) {
	f := newFixture(t)
	for i := 0; i < 5; i++ {
		body, _ := json.Marshal(map[string]string{"username": "kmsh", "password": "gabim-gabim"})
		resp, _ := http.Post(f.srv.URL+"/api/v1/tokens", "application/json", bytes.NewReader(body))
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i, resp.StatusCode)
		}
	}
	body, _ := json.Marshal(map[string]string{"username": "kmsh", "password": testPassword})
	resp, _ := http.Post(f.srv.URL+"/api/v1/tokens", "application/json", bytes.NewReader(body))
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("after 5 failures the right password got %d, want 429", resp.StatusCode)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func snippet(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}

func pnOf(t *testing.T, f *fixture, id int64) (pn string) {
	f.db.QueryRow(`SELECT personal_no FROM students WHERE id = $1`, id).Scan(&pn)
	return pn
}

func birthOf(t *testing.T, f *fixture, id int64) (b string) {
	f.db.QueryRow(`SELECT birth_date FROM students WHERE id = $1`, id).Scan(&b)
	return b
}
