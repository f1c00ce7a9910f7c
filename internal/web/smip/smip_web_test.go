package smip_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"provim/internal/auth"
	"provim/internal/testkit"
	"provim/internal/web"
	"provim/internal/web/webkit"
)

const password = "smip-eksporti-2027"

type site struct {
	srv    *httptest.Server
	client *http.Client
}

func newSite(t *testing.T) *site {
	t.Helper()
	k := testkit.New(t)
	ctx := context.Background()
	for _, u := range []auth.NewUser{{Username: "smip", FullName: "SMIP", Password: password, Role: auth.RoleSMIP},
		{Username: "ava", FullName: "AVA", Password: password, Role: auth.RoleAVA}} {
		if _, err := k.Auth.CreateUser(ctx, nil, u); err != nil {
			t.Fatal(err)
		}
	}
	s, err := web.New(k.Services, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return &site{srv: srv, client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (s *site) token(t *testing.T, user string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": user, "password": password, "name": "eksporti"})
	resp, err := s.client.Post(s.srv.URL+"/api/v1/tokens", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&tok)
	if resp.StatusCode != http.StatusCreated || tok.Token == "" {
		t.Fatalf("token of %s: %s", user, resp.Status)
	}
	return tok.Token
}

func (s *site) get(t *testing.T, token, path string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// SMIP's token reads the feed and nothing else: every other endpoint, the
// caller itself included, is refused; its account opens no page.
func TestSMIPToken_ReachesOnlyTheFeed(t *testing.T) {
	s := newSite(t)
	tok := s.token(t, "smip")
	code, body, _ := s.get(t, tok, "/api/v1/smip/results?since=0&limit=10")
	if code != http.StatusOK || !strings.Contains(body, `"next": "0"`) || !strings.Contains(body, `"items": []`) {
		t.Fatalf("feed: %d %s", code, body)
	}
	for _, p := range []string{"/api/v1/me", "/api/v1/years", "/api/v1/students", "/api/v1/tokens", "/api/v1/marking/exams", "/api/v1/audit"} {
		if code, body, _ := s.get(t, tok, p); code != http.StatusForbidden {
			t.Errorf("smip %s: %d %s", p, code, body)
		}
	}
	if code, _, _ := s.get(t, tok, "/api/v1/smip/export/2009"); code != http.StatusForbidden {
		t.Errorf("smip took AVA's file: %d", code)
	}
	if code, body, _ := s.get(t, tok, "/api/v1/smip/results?limit=0x"); code != http.StatusUnprocessableEntity {
		t.Errorf("bad limit: %d %s", code, body)
	}
	// A session of the account opens no page: back to the login.
	resp, err := s.client.PostForm(s.srv.URL+"/hyrje", url.Values{"username": {"smip"}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var cookie string
	for _, c := range resp.Cookies() {
		if c.Name == webkit.SessionCookie && c.Value != "" {
			cookie = c.Name + "=" + c.Value
		}
	}
	for _, p := range []string{"/paneli", "/eksporti", "/vitet"} {
		req, _ := http.NewRequest(http.MethodGet, s.srv.URL+p, nil)
		req.Header.Set("Cookie", cookie)
		r, err := s.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/hyrje") {
			t.Errorf("smip session %s: %d %s", p, r.StatusCode, r.Header.Get("Location"))
		}
	}
}

// AVA may not read SMIP's feed, and takes the year's file as CSV (with its
// header, streamed) or JSON.
func TestSMIPExport_AVAFile(t *testing.T) {
	s := newSite(t)
	tok := s.token(t, "ava")
	if code, _, _ := s.get(t, tok, "/api/v1/smip/results"); code != http.StatusForbidden {
		t.Errorf("AVA read the feed: %d", code)
	}
	code, body, h := s.get(t, tok, "/api/v1/smip/export/2009?format=csv")
	if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !strings.Contains(body, "nr_regjistrimit,nr_personal") {
		t.Errorf("csv: %d %s %q", code, h.Get("Content-Type"), body)
	}
	code, body, _ = s.get(t, tok, "/api/v1/smip/export/2009?format=json")
	if code != http.StatusOK || strings.TrimSpace(body) != "[]" {
		t.Errorf("json: %d %q", code, body)
	}
	for _, p := range []string{"/api/v1/smip/export/2009?format=xml", "/api/v1/smip/export/abc"} {
		if code, _, _ := s.get(t, tok, p); code != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d", p, code)
		}
	}
	if code, _, _ := s.get(t, tok, "/api/v1/smip/export/2031"); code != http.StatusNotFound {
		t.Errorf("a year that does not exist: %d", code)
	}
}
