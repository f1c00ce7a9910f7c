package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// publicRoutes are the routes anyone may call without signing in.
var publicRoutes = map[string]bool{
	"GET /static/":                  true,
	"GET /healthz":                  true,
	"GET /{$}":                      true, // sends to the login page or the dashboard
	"GET /hyrje":                    true,
	"POST /hyrje":                   true,
	"GET /aktivizimi":               true, // the first password, set with a letter's code (issue 11, A5)
	"POST /aktivizimi":              true,
	"POST /api/v1/activation":       true,
	"GET /shorti-publik/{id}":       true, // the published draw (Neni 47.7)
	"POST /api/v1/tokens":           true,
	"GET /api/v1/public/draws/{id}": true,

	"GET /skema/{year}/{exam}":                 true, // a published marking scheme (Neni 57.5)
	"GET /api/v1/public/schemes/{year}/{exam}": true,

	// certificate: the public check (throttled), AVA's key, the revocation list.
	"GET /vertetimi":                          true,
	"POST /vertetimi":                         true,
	"GET /certifikata/celesi":                 true,
	"GET /certifikata/revokuar":               true,
	"GET /api/v1/public/certificates/revoked": true,
	"GET /api/v1/public/certificates/key":     true,
	"POST /api/v1/public/certificates/check":  true,
}

// pathValues fill the wildcards of a route pattern for a request.
var pathValues = map[string]string{
	"{id}": "1", "{code}": "A-1", "{venue}": "Q-A-1", "{exam}": "D1", "{unit}": "DAR-A", "{username}": "kmsh",
	"{year}": "2009", "{entity}": "students", "{form}": "a1", "{file}": "students.csv", "{room}": "1", "{no}": "1", "{$}": "",
	"{regno}": "090000010", // remark
}

// noRedirects is an anonymous browser that does not follow redirects.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// walkRoute is a registered route with a request path for it.
type walkRoute struct {
	route
	url string
	api bool
}

// everyRoute lists every route the web packages register (parsed from
// their source, as the OpenAPI test does), checks that the server really
// serves each pattern (so the parse and the mux agree), and gives each a
// request path.
func everyRoute(t *testing.T, srv *Server) []walkRoute {
	t.Helper()
	ui, api := http.NewServeMux(), http.NewServeMux()
	srv.mount(ui, api)
	var out []walkRoute
	seen := map[string]bool{}
	for _, r := range registeredRoutes(".") {
		if r.method == "" && r.path == "/api/" { // the API's mount and its catch-all
			continue
		}
		if r.method == "" {
			t.Errorf("%s:%d: route %q has no method", r.file, r.line, r.pattern)
			continue
		}
		if seen[r.pattern] {
			t.Errorf("%s:%d: route %q registered twice", r.file, r.line, r.pattern)
		}
		seen[r.pattern] = true
		u := r.path
		for k, v := range pathValues {
			u = strings.ReplaceAll(u, k, v)
		}
		if strings.Contains(u, "{") {
			t.Errorf("%s: no value for a wildcard of %s", r.pattern, r.path)
			continue
		}
		w := walkRoute{route: r, url: u, api: strings.HasPrefix(r.path, "/api/")}
		mux := ui
		if w.api {
			mux = api
		}
		if _, got := mux.Handler(httptest.NewRequest(r.method, u, nil)); got != r.pattern {
			t.Errorf("%s %s is served by %q, not by its own route %q", r.method, u, got, r.pattern)
		}
		out = append(out, w)
	}
	if len(out) < 180 {
		t.Fatalf("found only %d routes in the web packages", len(out))
	}
	return out
}

// TestEveryRouteIsAuthorised walks every route of every area: an anonymous
// caller gets 401 from the API and the login page from the UI (except the
// public routes), a UI form posted without the session's token is refused,
// and no role gets a server error from any GET (GET never changes state).
// TestAuthorisationMatrix checks who sees what on the routes it names;
// this test makes sure no route escapes the sign-in and the form token.
func TestEveryRouteIsAuthorised(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	routes := everyRoute(t, f.handler)
	t.Logf("%d routes walked", len(routes))
	for _, r := range routes {
		if publicRoutes[r.pattern] {
			continue
		}
		var code int
		if r.api {
			code, _ = f.api(t, "", r.method, r.url, nil)
			if code != http.StatusUnauthorized {
				t.Errorf("anonymous %s %s: %d, want 401", r.method, r.url, code)
			}
			continue
		}
		req, _ := http.NewRequest(r.method, f.srv.URL+r.url, nil)
		resp, err := noRedirects.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/hyrje?pas=") {
			t.Errorf("anonymous %s %s: %d %s, want the login page", r.method, r.url, resp.StatusCode, resp.Header.Get("Location"))
		}
		if r.method == http.MethodPost {
			resp, err := f.client(t, "ava").PostForm(f.srv.URL+r.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s without the form token: %d, want 403", r.url, resp.StatusCode)
			}
		}
	}
	for _, r := range routes {
		if r.method != http.MethodGet || r.pattern == "GET /static/" {
			continue
		}
		for _, user := range allUsers {
			var code int
			var body string
			if r.api {
				code, body = f.api(t, user, r.method, r.url, nil)
			} else {
				code, body = f.ui(t, user, r.url)
			}
			if code >= 500 {
				t.Errorf("%s GET %s: %d\n%s", user, r.url, code, snippet(body))
			}
		}
	}
}
