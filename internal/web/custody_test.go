package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"provim/internal/auth"
	"provim/internal/custody"
)

// custodyFixture is newFixture with the D1 packages prepared and the
// clock on the day before the 2009 D1 exam (8 June), 7 June at 10:00.
func custodyFixture(t *testing.T) (*fixture, custody.Consignment) {
	t.Helper()
	f := newFixture(t)
	f.k.At(t, "2009-06-07 10:00")
	f.addUsers(t, auth.NewUser{Username: "kmsh2", Role: auth.RoleKMSH, Unit: "DAR-A"}, auth.NewUser{Username: "ap", Role: auth.RoleAP, Venue: "Q-A-1"})
	code, body := f.api(t, "ava", "POST", "/api/v1/custody/consignments", map[string]any{"exam": "D1", "session": 1})
	if code != 200 || !strings.Contains(body, `"created": 2`) {
		t.Fatalf("create packages: %d %s", code, body)
	}
	code, body = f.api(t, "ava", "GET", "/api/v1/custody/consignments/Q-A-1/D1", nil)
	if code != 200 {
		t.Fatalf("consignment: %d %s", code, body)
	}
	var c custody.Consignment
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		t.Fatal(err)
	}
	return f, c
}

func custodySealMap(c custody.Consignment) map[string][]string {
	out := map[string][]string{}
	for _, p := range c.Packages {
		out[p.Code] = p.Seals
	}
	return out
}

func TestNeni42_CustodyAPIChainAndProcesverbal(t *testing.T) {
	t.Parallel()
	f, c := custodyFixture(t)
	rec := func(user string, step int, givers, receivers []string) (int, string) {
		return f.api(t, user, "POST", "/api/v1/custody/handovers", map[string]any{"venue_code": "Q-A-1", "exam": "D1", "step": step,
			"givers": givers, "receivers": receivers, "seals": custodySealMap(c)})
	}
	confirm := func(user string, id int64) (int, string) {
		return f.api(t, user, "POST", fmt.Sprintf("/api/v1/custody/handovers/%d/confirm", id), map[string]any{"seals": custodySealMap(c)})
	}
	// Neni 44: the PAP cannot take what is still at AVA.
	if code, body := rec("kmsh", 3, []string{"Genc Kola"}, []string{"PAP", "KMSH"}); code != http.StatusConflict {
		t.Fatalf("skip to step 3: %d %s", code, body)
	}
	if code, body := rec("pap", 1, []string{"x"}, []string{"a", "b"}); code != http.StatusForbidden {
		t.Fatalf("PAP records AVA's step: %d %s", code, body)
	}
	code, body := rec("ava", 1, []string{"Arta Hoxha"}, []string{"Besa Leka (KMSH)", "Ilir Dema (MASH)"})
	if code != http.StatusCreated {
		t.Fatalf("record step 1: %d %s", code, body)
	}
	var h custody.Handover
	json.Unmarshal([]byte(body), &h)
	if code, body := confirm("ava", h.ID); code != http.StatusForbidden {
		t.Fatalf("giver confirms: %d %s", code, body)
	}
	bad := custodySealMap(c)
	bad[c.Packages[1].Code] = []string{"VL-1", "VL-2"}
	if code, body := f.api(t, "kmsh", "POST", fmt.Sprintf("/api/v1/custody/handovers/%d/confirm", h.ID), map[string]any{"seals": bad}); code != http.StatusUnprocessableEntity || !strings.Contains(body, c.Packages[1].Code) {
		t.Fatalf("seal mismatch: %d %s", code, body)
	}
	if code, body := confirm("kmsh", h.ID); code != 200 || !strings.Contains(body, `"confirmed": true`) {
		t.Fatalf("confirm step 1: %d %s", code, body)
	}
	code, body = rec("kmsh", 2, []string{"Besa Leka", "Ilir Dema"}, []string{"Genc Kola"})
	if code != http.StatusCreated {
		t.Fatalf("record step 2: %d %s", code, body)
	}
	json.Unmarshal([]byte(body), &h)
	if code, body := confirm("kmsh", h.ID); code != http.StatusForbidden {
		t.Fatalf("same account confirms: %d %s", code, body)
	}
	if code, body := confirm("kmsh2", h.ID); code != 200 {
		t.Fatalf("confirm step 2: %d %s", code, body)
	}
	// The board: in the KMSH safe; the PAP sees only its venue.
	code, body = f.api(t, "pap", "GET", "/api/v1/custody/board", nil)
	if code != 200 || !strings.Contains(body, "Kasaforta e kryetarit të KMSH") || strings.Contains(body, "Q-B-1") {
		t.Fatalf("PAP board: %d %s", code, snippet(body))
	}
	code, body = f.api(t, "ava", "GET", "/api/v1/custody/board?unit=DAR-B&exam=D1", nil)
	if code != 200 || !strings.Contains(body, "Q-B-1") || strings.Contains(body, `"venue_code": "Q-A-1"`) {
		t.Fatalf("board filtered: %d %s", code, snippet(body))
	}
	// The procesverbal as PDF, in scope only.
	resp, pdfBody := f.raw(t, "kmsh", "GET", fmt.Sprintf("/api/v1/custody/handovers/%d?format=pdf", h.ID), "", nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdfBody, "%PDF") {
		t.Fatalf("pdf: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for user, want := range map[string]int{"kshmsh": 403, "nxenes": 403, "vleresues": 403, "ava": 200, "kmsh": 200, "pap": 200} {
		if code, _ := f.api(t, user, "GET", fmt.Sprintf("/api/v1/custody/handovers/%d", h.ID), nil); code != want {
			t.Errorf("%s reads the procesverbal: %d, want %d", user, code, want)
		}
	}
	if code, _ := f.api(t, "pap", "GET", "/api/v1/custody/consignments/Q-B-1/D1", nil); code != 404 {
		t.Errorf("PAP of another venue: %d", code)
	}
	if code, _ := f.api(t, "kmsh", "POST", "/api/v1/custody/consignments", map[string]any{"exam": "D1"}); code != 403 {
		t.Errorf("KMSH prepares packages: %d", code)
	}
}

func TestNeni44_CustodyPagesLateFlagAndForms(t *testing.T) {
	t.Parallel()
	f, c := custodyFixture(t)
	// Every venue is still at AVA on the exam morning: step 1 is missing.
	f.k.At(t, "2009-06-08 07:00")
	code, body := f.ui(t, "ava", "/materialet?provimi=D1")
	if code != 200 || !strings.Contains(body, "Mungon") || !strings.Contains(body, "Gjimnazi Durrësi") || !strings.Contains(body, "custody-create") {
		t.Fatalf("board: %d %s", code, snippet(body))
	}
	// Each row names its DAR/ZA (issue 11, part C).
	if !strings.Contains(body, `<td data-label="DAR/ZA">DAR Durrës</td>`) || strings.Contains(body, `<td data-label="DAR/ZA">DAR-B</td>`) {
		t.Fatalf("board: the DAR/ZA is not named: %s", snippet(body))
	}
	code, body = f.ui(t, "kmsh", "/materialet")
	if code != 200 || strings.Contains(body, "Gjimnazi Durrësi") || strings.Contains(body, "custody-create") {
		t.Fatalf("KMSH board: %d %s", code, snippet(body))
	}
	if code, _ := f.ui(t, "kshmsh", "/materialet"); code != 403 {
		t.Fatalf("KSHMSH board: %d", code)
	}
	// AVA records step 1 through the form; KMSH confirms through its form.
	code, body = f.ui(t, "ava", "/materialet/Q-A-1/D1")
	if code != 200 || !strings.Contains(body, "record-form") {
		t.Fatalf("consignment page: %d %s", code, snippet(body))
	}
	form := url.Values{"csrf": {custodyCSRF(t, body)}, "sesioni": {"1"}, "hapi": {"1"}, "dorezuesit": {"Arta Hoxha"},
		"marresit": {"Besa Leka\nIlir Dema"}}
	for _, p := range c.Packages {
		form.Set("vula_"+p.Code, strings.Join(p.Seals, ", "))
	}
	resp, err := f.client(t, "ava").PostForm(f.srv.URL+"/materialet/Q-A-1/D1/dorezo", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("record form: %d", resp.StatusCode)
	}
	code, body = f.ui(t, "kmsh", "/materialet/Q-A-1/D1")
	if code != 200 || !strings.Contains(body, "confirm-form") {
		t.Fatalf("KMSH sees the confirmation form: %d %s", code, snippet(body))
	}
	var b custody.Consignment
	_, jb := f.api(t, "kmsh", "GET", "/api/v1/custody/consignments/Q-A-1/D1", nil)
	json.Unmarshal([]byte(jb), &b)
	confirm := url.Values{"csrf": {custodyCSRF(t, body)}}
	for _, p := range c.Packages {
		confirm.Set("vula_"+p.Code, strings.Join(p.Seals, " "))
	}
	resp, err = f.client(t, "kmsh").PostForm(f.srv.URL+fmt.Sprintf("/materialet/dorezimet/%d/konfirmo", b.Pending.ID), confirm)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm form: %d", resp.StatusCode)
	}
	code, body = f.ui(t, "kmsh", "/materialet/Q-A-1/D1")
	if code != 200 || !strings.Contains(body, custody.HolderLabel(1)) || !strings.Contains(body, "me vonesë") {
		t.Fatalf("after step 1 (late: due by 7 June): %d %s", code, snippet(body))
	}
	code, body = f.ui(t, "kmsh", fmt.Sprintf("/materialet/dorezimet/%d/procesverbal.pdf", b.Pending.ID))
	if code != 200 || !strings.HasPrefix(body, "%PDF") {
		t.Fatalf("procesverbal page: %d", code)
	}
}

// custodyCSRF reads the form token of a page.
func custodyCSRF(t *testing.T, body string) string {
	t.Helper()
	const mark = `name="csrf" value="`
	i := strings.Index(body, mark)
	if i < 0 {
		t.Fatal("no form token on the page")
	}
	rest := body[i+len(mark):]
	return rest[:strings.Index(rest, `"`)]
}
