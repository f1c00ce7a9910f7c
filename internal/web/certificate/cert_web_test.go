package certificate

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
	"provim/internal/certificate"
	"provim/internal/certificate/certtest"
	"provim/internal/testkit"
	"provim/internal/web/webkit"
)

// webWorld is the area over testkit's services and country, with AVA's
// seal and a completed Matura for every student (certtest), the
// principals injected by the X-Test-User header.
type webWorld struct {
	k    *testkit.Kit
	land *testkit.Land
	srv  *httptest.Server
	seal *certificate.Seal
}

func newWebWorld(t *testing.T) *webWorld {
	t.Helper()
	k := testkit.New(t)
	land := k.Country(t)
	seal, err := certificate.NewSeal()
	if err != nil {
		t.Fatal(err)
	}
	src := certtest.New()
	for _, id := range []int64{land.Home.Student, land.ZA.Student, land.Foreign.Student} {
		src.Set(certtest.Complete(id))
	}
	k.Certificates.SetSource(src)
	k.Certificates.SetSeal(seal)
	users := map[string]*auth.Principal{"ava": testkit.AVA, "kmsh": land.Home.KMSH(), "kshmsh": land.Home.KSHMSH(),
		"nxenes": land.Home.StudentP(), "pap": land.Home.PAP()}
	kit, err := webkit.New(slog.New(slog.NewTextHandler(io.Discard, nil)), "", nil, Templates)
	if err != nil {
		t.Fatal(err)
	}
	h := New(kit, k.Services)
	mux := http.NewServeMux()
	h.Routes(mux)
	h.APIRoutes(mux)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := users[r.Header.Get("X-Test-User")]; p != nil {
			r = webkit.WithPrincipal(r, p)
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return &webWorld{k: k, land: land, srv: srv, seal: seal}
}

func (w *webWorld) call(t *testing.T, user, method, path, ctype string, body []byte) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, w.srv.URL+path, bytes.NewReader(body))
	if user != "" {
		req.Header.Set("X-Test-User", user)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func (w *webWorld) number(t *testing.T, id int64) string {
	t.Helper()
	list, err := w.k.Certificates.List(context.Background(), testkit.AVA, certificate.Filter{Year: 2027})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.StudentID == id && c.Valid() {
			return c.Number
		}
	}
	t.Fatalf("no certificate of %d", id)
	return ""
}

// AVA issues through the API; the candidate downloads their own signed
// PDF; the school prints its candidate's and not another school's; AVA
// revokes with a reason and the public list shows it; the public key
// file verifies the PDF.
func TestCertificateWebFlow(t *testing.T) {
	w := newWebWorld(t)
	if code, body := w.call(t, "kmsh", "POST", "/api/v1/certificates/issue", "application/json", []byte(`{"year": 2027}`)); code != http.StatusForbidden {
		t.Fatalf("KMSH issues: %d %s", code, body)
	}
	code, body := w.call(t, "ava", "POST", "/api/v1/certificates/issue", "application/json", []byte(`{"year": 2027}`))
	var rep certificate.IssueReport
	if json.Unmarshal(body, &rep); code != 200 || rep.Issued != 3 {
		t.Fatalf("issue: %d %s", code, body)
	}
	home, foreign := w.number(t, w.land.Home.Student), w.number(t, w.land.Foreign.Student)
	code, key := w.call(t, "", "GET", "/certifikata/celesi", "", nil)
	pub, err := certificate.ParsePublic(key)
	if code != 200 || err != nil {
		t.Fatalf("key: %d %v", code, err)
	}
	code, doc := w.call(t, "nxenes", "GET", "/api/v1/certificates/mine", "", nil)
	if code != 200 {
		t.Fatalf("mine: %d %s", code, doc)
	}
	if rec, err := certificate.VerifyPDF(doc, pub); err != nil || rec.Number != home {
		t.Fatalf("the candidate's PDF: %+v %v", rec, err)
	}
	if code, _ := w.call(t, "kshmsh", "GET", "/api/v1/certificates/"+home+"/pdf", "", nil); code != 200 {
		t.Fatalf("the school's candidate: %d", code)
	}
	for _, u := range []string{"kshmsh", "kmsh", "nxenes"} {
		if code, _ := w.call(t, u, "GET", "/api/v1/certificates/"+foreign, "", nil); code != http.StatusNotFound {
			t.Errorf("%s reads another region's certificate: %d", u, code)
		}
	}
	if code, _ := w.call(t, "pap", "GET", "/api/v1/certificates/"+home, "", nil); code != http.StatusForbidden && code != http.StatusNotFound {
		t.Errorf("PAP reads a certificate: %d", code)
	}
	code, body = w.call(t, "ava", "POST", "/api/v1/certificates/"+home+"/revoke", "application/json", []byte(`{"reason": "Gabim në datëlindje", "reissue": true}`))
	var out struct {
		Status     string `json:"status"`
		ReplacedBy string `json:"replaced_by"`
	}
	if json.Unmarshal(body, &out); code != 200 || out.Status != certificate.StatusRevoked || out.ReplacedBy == "" {
		t.Fatalf("revoke: %d %s", code, body)
	}
	code, body = w.call(t, "", "GET", "/api/v1/public/certificates/revoked", "", nil)
	list, err := certificate.ParseRevocations(body)
	if code != 200 || err != nil || len(list) != 1 || list[0].Number != home || list[0].ReplacedBy != out.ReplacedBy || strings.Contains(string(body), "personal") {
		t.Fatalf("revocation list: %d %s", code, body)
	}
	if v := certificate.CheckFile(doc, pub, list); v.Status != certificate.StatusRevoked {
		t.Fatalf("the old PDF with the list: %+v", v)
	}
	code, page := w.call(t, "", "GET", "/certifikata/revokuar", "", nil)
	// The public page names the revocation, not AVA's words ("Gabim në
	// datëlindje" says something of the person, Neni 63 ¶3).
	if code != 200 || !strings.Contains(string(page), home) || !strings.Contains(string(page), certificate.ReasonByHand) || strings.Contains(string(page), "Gabim në datëlindje") {
		t.Fatalf("revoked page: %d", code)
	}
}

// The public page answers with the pair and is throttled per address
// with a clear Albanian message (429).
func TestCertificateVerifyPageThrottledOnTheWeb(t *testing.T) {
	w := newWebWorld(t)
	if _, err := w.k.Certificates.IssueAll(context.Background(), testkit.AVA, 2027, nil); err != nil {
		t.Fatal(err)
	}
	home := w.number(t, w.land.Home.Student)
	form := func(number, pn string) (int, string) {
		v := url.Values{"numri": {number}, "numri_personal": {pn}}
		code, b := w.call(t, "", "POST", "/vertetimi", "application/x-www-form-urlencoded", []byte(v.Encode()))
		return code, string(b)
	}
	if code, b := w.call(t, "", "GET", "/vertetimi", "", nil); code != 200 || !strings.Contains(string(b), "numri_personal") {
		t.Fatalf("form: %d", code)
	}
	code, b := form(home, testkit.StudentNID(1, 1))
	if code != 200 || !strings.Contains(b, "është e vlefshme") || !strings.Contains(b, "Arbër (Ilir) Çela") {
		t.Fatalf("valid: %d %s", code, b)
	}
	for i := range certificate.MissLimit {
		code, b := form(home, testkit.StudentNID(9, 20+i))
		if code != 200 || !strings.Contains(b, "Nuk u gjet") || strings.Contains(b, "Çela") {
			t.Fatalf("guess %d: %d %s", i, code, b)
		}
	}
	code, b = form(home, testkit.StudentNID(1, 1))
	if code != http.StatusTooManyRequests || !strings.Contains(b, "provoni përsëri pas orës") || strings.Contains(b, "Çela") {
		t.Fatalf("throttled: %d %s", code, b)
	}
	code, b2 := w.call(t, "", "POST", "/api/v1/public/certificates/check", "application/json", []byte(`{"number": "`+home+`", "personal_no": "`+testkit.StudentNID(1, 1)+`"}`))
	if code != http.StatusTooManyRequests {
		t.Fatalf("API throttled: %d %s", code, b2)
	}
}
