package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"provim/internal/application"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/testkit"
)

// uiAppFixture is newFixture with the exam year 2027 (copied from 2009)
// active and the clock on 25 February 2027, before the A1 deadline of
// 10 March.
func uiAppFixture(t *testing.T) *fixture {
	t.Helper()
	f := withYear2027(t, newFixture(t))
	f.setDay(t, "2027-02-25")
	return f
}

// setDay stands the clock on noon of date in Tirana.
func (f *fixture) setDay(t *testing.T, date string) {
	t.Helper()
	f.day(date)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// post submits a UI form as user, with the session's form token, and
// returns the status, the body and the redirect target.
func (f *fixture) post(t *testing.T, user, path string, form url.Values) (int, string, string) {
	t.Helper()
	_, page := f.ui(t, user, "/paneli")
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form token for %s", user)
	}
	form.Set("csrf", m[1])
	resp, err := f.client(t, user).PostForm(f.srv.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

func (f *fixture) mustPost(t *testing.T, user, path string, form url.Values) string {
	t.Helper()
	code, body, loc := f.post(t, user, path, form)
	if code != http.StatusSeeOther {
		t.Fatalf("%s POST %s: %d, want 303\n%s", user, path, code, errorOf(body))
	}
	return loc
}

// errorOf is the error box of a page, or a snippet of it.
func errorOf(body string) string {
	if i := strings.Index(body, `role="alert"`); i >= 0 {
		return snippet(body[i:])
	}
	return snippet(body)
}

func (f *fixture) expect(t *testing.T, user, path string, code int, want ...string) string {
	t.Helper()
	got, body := f.ui(t, user, path)
	if got != code {
		t.Fatalf("%s GET %s: %d, want %d\n%s", user, path, got, code, errorOf(body))
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Fatalf("%s GET %s: the page does not contain %q\n%s", user, path, w, snippet(body))
		}
	}
	return body
}

func appID(t *testing.T, f *fixture, studentID int64) int64 {
	t.Helper()
	var id int64
	if err := f.db.QueryRow(`SELECT id FROM applications WHERE student_id = $1`, studentID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestApplicationPages walks the application phase through the UI: the
// student files A1 and A2, the school confirms and sends table T, the KMSH
// enters a paper form, verifies and sends the lists, AVA gives the
// registration numbers and builds the final lists; every page answers its
// roles in Albanian and refuses the others.
func TestApplicationPages(t *testing.T) {
	t.Parallel()
	f := uiAppFixture(t)
	ctx := context.Background()
	ava := &auth.Principal{Username: "setup", Role: auth.RoleAVA}
	if err := f.k.Applications.SaveProgrammes(ctx, ava, []application.Programme{
		{Code: "UT-INF", Name: "Informatikë", Institution: "Universiteti i Tiranës", City: "Tiranë", Quota: 120},
		{Code: "UT-DRE", Name: "Drejtësi", Institution: "Universiteti i Tiranës", City: "Tiranë", Quota: 200},
	}); err != nil {
		t.Fatal(err)
	}
	// A form on side B, filed by AVA, to check that nobody on side A sees it.
	foreign, err := f.k.Applications.FileA1(ctx, ava, application.A1Input{StudentID: f.foreign.student, Electives: []string{"BIO", "KIM"}})
	if err != nil {
		t.Fatal(err)
	}

	// The student: the form, a refused choice that keeps what was typed, the submission.
	f.expect(t, "nxenes", "/formulari", 200, "Formulari A1 — Matura Shtetërore 2027", "Pa plotësuar", "Arbër (Ilir) Çela", "Gjimnazi Çajupi",
		"Lënda me zgjedhje 1 (Z1)", "Fizikë", "Dorëzo në shkollë", "Ruaj pa dorëzuar", "10.03.2027")
	code, body, _ := f.post(t, "nxenes", "/formulari", url.Values{"z": {"FIZ", ""}, "veprimi": {"dorezo"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "zgjidhen ose 2 lëndë me zgjedhje ose asnjë") || !strings.Contains(body, `value="FIZ" selected`) {
		t.Fatalf("one elective: %d\n%s", code, errorOf(body))
	}
	loc := f.mustPost(t, "nxenes", "/formulari", url.Values{"z": {"FIZ", "KIM"}, "veprimi": {"draft"}})
	if loc != "/formulari" { // the confirmation is kept with the session, not in the address (issue 9, item 9)
		t.Fatalf("draft went to %s", loc)
	}
	f.expect(t, "nxenes", loc, 200, "E ruajtur, pa dorëzuar", "Formulari u ruajt. Nuk i shkon")
	f.mustPost(t, "nxenes", "/formulari", url.Values{"z": {"FIZ", "KIM"}, "veprimi": {"dorezo"}})
	f.expect(t, "nxenes", "/formulari", 200, `id="a1-state">Dorëzuar`, "Z1: Fizikë (FIZ), Z2: Kimi (KIM)", "Historiku i formularit", "Dorëzo ndryshimet")
	f.expect(t, "nxenes", "/formulari/deshmi", 200, "Dëshmi e dorëzimit të formularit A1", "Dorëzuar", "jepet nga AVA pas verifikimit")
	// Form A2 opens once MASH has approved it (1 April, Neni 21.1).
	f.setDay(t, "2027-04-02")
	f.expect(t, "nxenes", "/formulari/a2", 200, "Formulari A2 — programet e studimit", "Universiteti i Tiranës", "Zgjedhja 10", "1000")
	code, body, _ = f.post(t, "nxenes", "/formulari/a2", url.Values{"program": {"UT-INF", "UT-DRE"}, "receipt_no": {""}, "receipt_date": {"2027-02-20"}, "amount": {"1000"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Neni 29") || !strings.Contains(body, `id="program2" name="program" list="programet" value="UT-DRE"`) {
		t.Fatalf("A2 without receipt: %d\n%s", code, errorOf(body))
	}
	f.mustPost(t, "nxenes", "/formulari/a2", url.Values{"program": {"UT-DRE", "", "UT-INF"}, "receipt_no": {"MA-1"}, "receipt_date": {"2027-02-20"}, "amount": {"1.000"}})
	f.expect(t, "nxenes", "/formulari/a2", 200, "Formulari A2 i ruajtur", "Drejtësi — Universiteti i Tiranës", "MA-1", "1000 lekë")
	id := appID(t, f, f.home.student)

	// The school: list, confirmation (from 11 March, Neni 22 ¶2), the
	// form's page, table T and its files.
	f.setDay(t, "2027-03-12")
	f.expect(t, "kshmsh", "/aplikimet", 200, "Formularët e aplikimit — Gjimnazi Çajupi", "Arbër (Ilir) Çela", "Online", "Konfirmo të zgjedhurit", "Konfirmo të gjithë")
	code, body, _ = f.post(t, "kshmsh", "/aplikimet/konfirmo", url.Values{"veprimi": {"te-zgjedhurit"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Zgjidhni të paktën një formular") {
		t.Fatalf("confirm nothing: %d\n%s", code, errorOf(body))
	}
	loc = f.mustPost(t, "kshmsh", "/aplikimet/konfirmo", url.Values{"id": {fmt.Sprint(id)}, "veprimi": {"te-zgjedhurit"}, "gjendja": {"submitted"}})
	if !strings.Contains(loc, "shkolla=A-1") || !strings.Contains(loc, "gjendja=submitted") {
		t.Fatalf("confirm went to %s", loc)
	}
	f.expect(t, "kshmsh", loc, 200, "1 formular u konfirmua", "Asnjë formular nuk u gjet")
	f.expect(t, "kshmsh", "/aplikimet?gjendja=confirmed", 200, "Arbër (Ilir) Çela", "Konfirmuar nga shkolla")
	f.expect(t, "kshmsh", fmt.Sprintf("/aplikimet/%d", id), 200, "Arbër (Ilir) Çela — formulari A1", "Historiku", "Korrigjim", "Arsyeja e korrigjimit", "Përdorues nxenes (nxënës)", "Përdorues kshmsh (KSHMSH)")
	code, body, _ = f.post(t, "kshmsh", fmt.Sprintf("/aplikimet/%d/korrigjo", id), url.Values{"z": {"BIO", "KIM"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Korrigjimi kërkon arsyen") || !strings.Contains(body, `value="BIO" selected`) {
		t.Fatalf("correction without reason: %d\n%s", code, errorOf(body))
	}
	f.expect(t, "kshmsh", "/aplikimet/tabela-t", 200, "Tabela T — Gjimnazi Çajupi", "Shkolla: Gjimnazi Çajupi (A-1) · DAR Tiranë", `data-label="Z1">Fizikë</td>`, "Arbër (Ilir) Çela", "Konfirmuar nga shkolla", "Shkarko PDF", "Dërgo në KMSH")
	for _, tc := range []struct{ path, ctype, magic string }{
		{"/aplikimet/tabela-t.pdf?shkolla=A-1", "application/pdf", "%PDF"},
		{"/aplikimet/tabela-t.xlsx?shkolla=A-1", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK"},
	} {
		resp, err := f.client(t, "kshmsh").Get(f.srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != tc.ctype || !strings.HasPrefix(string(b), tc.magic) {
			t.Fatalf("%s: %d %s", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	f.expect(t, "kshmsh", "/aplikimet/i-ri", 200, "Formular në letër — Gjimnazi Çajupi", "Të gjithë nxënësit dhe kandidatët")
	f.expect(t, "kshmsh", "/aplikimet/mbetes", 200, "Nxënësit mbetës — Gjimnazi Çajupi", "Shëno mbetës të zgjedhurit")

	// The KMSH enters a paper form for the ZA school, with the late-acceptance field.
	f.expect(t, "kmsh", "/aplikimet/i-ri", 200, "Formular në letër: zgjidhni shkollën", "Gjimnazi Kavaja")
	f.expect(t, "kmsh", "/aplikimet/i-ri?shkolla=A1-1", 200, "Besnik", "Arsyeja e pranimit me vonesë")
	loc = f.mustPost(t, "kmsh", "/aplikimet/i-ri", url.Values{"shkolla": {"A1-1"}, "student_id": {fmt.Sprint(appStudent(t, f, "A1-1"))}, "z": {"HIS", "FIZ"},
		"handed_in": {"2027-03-10"}})
	f.expect(t, "kmsh", strings.SplitN(loc, "?", 2)[0], 200, "Besnik (Ilir) Dema", "Në letër", "Dorëzuar")
	f.expect(t, "kmsh", "/aplikimet?shkolla=A1-1", 200, "Besnik (Ilir) Dema", "Arsyeja e pranimit me vonesë")

	// Special categories: the documents of the chosen category; a refusal keeps the form.
	f.expect(t, "kmsh", "/aplikimet/kategori-te-vecanta", 200, "Kategoritë e veçanta", "Kopje e noterizuar e dëftesës së pjekurisë", "Nota mesatare e viteve")
	f.expect(t, "kmsh", "/aplikimet/kategori-te-vecanta?kategoria=neni26", 200, "Mandat-pagesa e tarifës së riprovimit", "Nr. i mandat-pagesës së riprovimit")
	code, body, _ = f.post(t, "kmsh", "/aplikimet/kategori-te-vecanta", url.Values{"kategoria": {"neni23"}, "nxenesi": {fmt.Sprint(f.home.student)},
		"doc": {"kerkese"}, "z": {"HIS", "GJE"}, "average": {"8,25"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "mungon dokumenti") || !strings.Contains(body, `value="8,25"`) ||
		!strings.Contains(body, `value="kerkese" checked`) {
		t.Fatalf("special category without documents: %d\n%s", code, errorOf(body))
	}

	// Table T goes to the KMSH, which verifies and sends the lists to AVA.
	f.setDay(t, "2027-03-25")
	f.mustPost(t, "kshmsh", "/aplikimet/tabela-t/dergo", url.Values{"shkolla": {"A-1"}})
	f.expect(t, "kshmsh", "/aplikimet/tabela-t", 200, "u dërguan në KMSH", "Në pritje të verifikimit")
	// Past the table T period the KMSH confirms the ZA school's form only with a reason.
	code, body, _ = f.post(t, "kmsh", "/aplikimet/konfirmo", url.Values{"shkolla": {"A1-1"}, "veprimi": {"te-gjithe"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "24.03.2027") || !strings.Contains(body, "arsyen") {
		t.Fatalf("late confirmation without a reason: %d\n%s", code, errorOf(body))
	}
	f.mustPost(t, "kmsh", "/aplikimet/konfirmo", url.Values{"shkolla": {"A1-1"}, "veprimi": {"te-gjithe"}, "late_reason": {"shkolla ishte pa internet"}})
	f.mustPost(t, "kmsh", "/aplikimet/tabela-t/dergo", url.Values{"shkolla": {"A1-1"}})
	f.expect(t, "kmsh", "/aplikimet/rajoni", 200, "Aplikimet e DAR/ZA — DAR Tiranë", "Gjimnazi Çajupi", "Gjimnazi Kavaja", "Verifiko", "Dërgo listat në AVA", "Dërgo mbetësit në AVA")
	code, body, _ = f.post(t, "kmsh", "/aplikimet/rajoni/dergo", url.Values{})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "nuk janë verifikuar ende") {
		t.Fatalf("send before verifying: %d\n%s", code, errorOf(body))
	}
	f.mustPost(t, "kmsh", "/aplikimet/rajoni/verifiko", url.Values{"shkolla": {"A-1"}})
	f.mustPost(t, "kmsh", "/aplikimet/rajoni/verifiko", url.Values{"shkolla": {"A1-1"}})
	f.mustPost(t, "kmsh", "/aplikimet/rajoni/dergo", url.Values{})

	// AVA: registration numbers, failing students, final lists.
	f.setDay(t, "2027-05-01")
	f.expect(t, "ava", "/aplikimet/ava", 200, "Formularët sipas gjendjes", "Verifikuar nga KMSH", "Cakto numrat e regjistrimit", "Ndërto listat përfundimtare", "DAR Tiranë")
	f.mustPost(t, "ava", "/aplikimet/ava/numrat", url.Values{})
	body = f.expect(t, "nxenes", "/formulari/deshmi", 200, "Regjistruar nga AVA")
	if !regexp.MustCompile(`<strong>27\d{7}</strong>`).MatchString(body) {
		t.Fatalf("the receipt has no registration number\n%s", snippet(body))
	}
	code, body, _ = f.post(t, "ava", "/aplikimet/ava/listat", url.Values{})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "shënoni arsyen") {
		t.Fatalf("final lists before the failing students: %d\n%s", code, errorOf(body))
	}
	// The build answers with a redirect and a confirmation kept
	// server-side (issue 9 item 11): reloading builds nothing again.
	if loc := f.mustPost(t, "ava", "/aplikimet/ava/listat", url.Values{"late_reason": {"provë e listave"}}); loc != "/aplikimet/ava" {
		t.Fatalf("final lists went to %s", loc)
	}
	f.expect(t, "ava", "/aplikimet/ava", 200, "Listat përfundimtare u ndërtuan", "Gjuhë shqipe dhe letërsi (D1)")
	// Built: building again asks first, then rebuilds on confirmation.
	if loc := f.mustPost(t, "ava", "/aplikimet/ava/listat", url.Values{"late_reason": {"provë e listave"}}); !strings.HasPrefix(loc, "/aplikimet/ava/listat/konfirmo") {
		t.Fatalf("a rebuild without confirmation went to %s", loc)
	}
	f.expect(t, "ava", "/aplikimet/ava/listat/konfirmo?late_reason=prov%C3%AB", 200, "Ndërtimi i sërishëm", "Po, ndërto përsëri listat", `name="konfirmo" value="po"`)
	if loc := f.mustPost(t, "ava", "/aplikimet/ava/listat", url.Values{"late_reason": {"provë e listave"}, "konfirmo": {"po"}}); loc != "/aplikimet/ava" {
		t.Fatalf("the confirmed rebuild went to %s", loc)
	}
	f.expect(t, "ava", "/aplikimet/ava", 200, "Listat përfundimtare u ndërtuan")
	f.expect(t, "kshmsh", "/listat", 200, "Listat përfundimtare të provimeve", "Fizikë")
	f.expect(t, "kshmsh", "/listat/D1", 200, "Lista përfundimtare — Gjuhë shqipe dhe letërsi (D1)", "Arbër (Ilir) Çela", "Kandidatë: 1")
	f.expect(t, "kmsh", "/listat/fiz?shkolla=A-1", 200, "Lista përfundimtare — Fizikë (FIZ)", "Arbër (Ilir) Çela")
	f.expect(t, "ava", "/listat/HIS", 200, "Besnik (Ilir) Dema")
	resp, err := f.client(t, "kmsh").Get(f.srv.URL + "/listat/D1.pdf?shkolla=A-1")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(string(b), "%PDF") {
		t.Fatalf("final list PDF: %d", resp.StatusCode)
	}

	// Roles out of scope: 403 for the role, 404 for an object outside the scope.
	for _, tc := range []struct {
		user, path string
		code       int
	}{
		{"nxenes", "/aplikimet", 403}, {"nxenes", "/aplikimet/ava", 403}, {"nxenes", "/aplikimet/rajoni", 403},
		{"nxenes", fmt.Sprintf("/aplikimet/%d", id), 403}, {"nxenes", "/listat", 403}, {"nxenes", "/aplikimet/tabela-t", 403},
		{"pap", "/formulari", 403}, {"pap", "/aplikimet", 403}, {"vleresues", "/formulari/a2", 403}, {"kshmsh", "/formulari", 403},
		{"kshmsh", "/aplikimet/rajoni", 403}, {"kshmsh", "/aplikimet/ava", 403}, {"kshmsh", "/aplikimet/kategori-te-vecanta", 403},
		{"kshmsh", "/aplikimet?shkolla=B-1", 404}, {"kshmsh", "/aplikimet/tabela-t?shkolla=B-1", 404},
		{"kshmsh", "/aplikimet/tabela-t.pdf?shkolla=B-1", 404}, {"kshmsh", fmt.Sprintf("/aplikimet/%d", foreign.ID), 404},
		{"kshmsh", "/aplikimet/mbetes?shkolla=A1-1", 404},
		{"kmsh", "/aplikimet/ava", 403}, {"kmsh", "/aplikimet/rajoni?njesia=DAR-B", 404}, {"kmsh", "/aplikimet/tabela-t?shkolla=B-1", 404},
		{"kmsh", fmt.Sprintf("/aplikimet/%d", foreign.ID), 404}, {"kmsh", "/listat/D1?shkolla=B-1", 404}, {"ava", "/listat/XYZ", 404},
	} {
		if got, body := f.ui(t, tc.user, tc.path); got != tc.code {
			t.Errorf("%s GET %s: %d, want %d\n%s", tc.user, tc.path, got, tc.code, errorOf(body))
		}
	}
	f.expect(t, "ava", "/aplikimet/tabela-t?shkolla=B-1", 200, "Tabela T — Gjimnazi Durrësi", "Dritan (Ilir) Hoxha")
	// The DAR's commission also acts for the ZA under it, as the service allows.
	f.expect(t, "kmsh", "/aplikimet/rajoni?njesia=ZA-A1", 200, "ZA Kavajë")
	if code, _ := f.ui(t, "", "/formulari"); code != http.StatusSeeOther {
		t.Errorf("anonymous /formulari: %d, want the login redirect", code)
	}
	// A POST without the form token changes nothing.
	resp, err = f.client(t, "kshmsh").PostForm(f.srv.URL+"/aplikimet/mbetes", url.Values{"id": {fmt.Sprint(id)}, "shkolla": {"A-1"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST without csrf: %d", resp.StatusCode)
	}
}

// appStudent is the id of the (one) student of school in the fixture.
func appStudent(t *testing.T, f *fixture, school string) int64 {
	t.Helper()
	var id int64
	if err := f.db.QueryRow(`SELECT id FROM students WHERE school_code = $1`, school).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestApplicationNavAndDashboard: each role finds its application pages in
// the menu, and the dashboard says what to do next while steps are open.
func TestApplicationNavAndDashboard(t *testing.T) {
	t.Parallel()
	f := uiAppFixture(t)
	for user, links := range map[string][]string{
		"nxenes": {`href="/formulari"`, `href="/formulari/a2"`},
		"kshmsh": {`href="/aplikimet"`, `href="/aplikimet/tabela-t"`, `href="/listat"`},
		"kmsh":   {`href="/aplikimet/rajoni"`, `href="/aplikimet/kategori-te-vecanta"`, `href="/listat"`},
		"ava":    {`href="/aplikimet/ava"`, `href="/aplikimet/kategori-te-vecanta"`, `href="/listat"`},
	} {
		body := f.expect(t, user, "/paneli", 200, links...)
		// The panel uses the real date: it lists the steps still open today.
		if time.Now().Before(time.Date(2027, 3, 10, 0, 0, 0, 0, time.UTC)) && !strings.Contains(body, "Çfarë duhet bërë tani") {
			t.Errorf("%s: no «what to do now» panel", user)
		}
	}
	if _, body := f.ui(t, "pap", "/paneli"); strings.Contains(body, "/aplikimet") || strings.Contains(body, "/formulari") {
		t.Error("pap sees application links")
	}
}

// TestCandidateFilesA1z: a candidate with a maturity certificate files form
// A1z online, for one elective (Neni 2.4, 22 ¶1).
func TestCandidateFilesA1z(t *testing.T) {
	t.Parallel()
	f := uiAppFixture(t)
	ctx := context.Background()
	ava := &auth.Principal{Username: "setup", Role: auth.RoleAVA}
	st, err := f.k.Registry.SaveStudent(ctx, ava, registry.Student{PersonalNo: registry.MakeNID(time.Date(1990, 4, 2, 0, 0, 0, 0, time.UTC), "F", 40),
		FirstName: "Mimoza", FatherName: "Pal", LastName: "Gjoka", Sex: "F", BirthDate: "1990-04-02", SchoolCode: "A-1", Category: registry.Kandidat})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.k.Auth.CreateUser(ctx, nil, auth.NewUser{Username: "kandidat", FullName: "Mimoza Gjoka", Password: testPassword,
		Role: auth.RoleStudent, StudentID: st.ID}); err != nil {
		t.Fatal(err)
	}
	f.expect(t, "kandidat", "/formulari", 200, "Formulari A1z — Matura Shtetërore 2027", "nga 1 deri në 2 lëndë")
	f.mustPost(t, "kandidat", "/formulari", url.Values{"z": {"HIS", ""}, "veprimi": {"dorezo"}})
	f.expect(t, "kandidat", "/formulari", 200, `id="a1-state">Dorëzuar`, "A1z · Kandidat me dëftesë pjekurie", "Z1: Histori (HIS)")
	f.expect(t, "kshmsh", "/aplikimet/tabela-t", 200, "Mimoza (Pal) Gjoka", "A1z")
}

// TestPaperFormsFromAFile: the school uploads its paper A1 forms; a bad
// line refuses the file and is shown with its line number.
func TestPaperFormsFromAFile(t *testing.T) {
	t.Parallel()
	f := uiAppFixture(t)
	f.setDay(t, "2027-03-15")
	var home string
	f.db.QueryRow(`SELECT personal_no FROM students WHERE id = $1`, f.home.student).Scan(&home)
	upload := func(body string) (int, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_, page := f.ui(t, "kshmsh", "/paneli")
		mw.WriteField("csrf", csrfField.FindStringSubmatch(page)[1])
		mw.WriteField("form", "a1")
		fw, _ := mw.CreateFormFile("file", "a1.csv")
		fw.Write([]byte(body))
		mw.Close()
		req, _ := http.NewRequest("POST", f.srv.URL+"/aplikimet/i-ri/skedar", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		resp, err := f.client(t, "kshmsh").Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := upload("nr_personal,z1,z2\n" + home + ",FIZ,XYZ\n")
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Rreshti 2") || !strings.Contains(body, "«XYZ» nuk ofrohet") {
		t.Fatalf("bad file: %d\n%s", code, errorOf(body))
	}
	if code, _ := upload("nr_personal,z1,z2,data_dorezimit\n" + home + ",FIZ,KIM,10.03.2027\n"); code != http.StatusSeeOther {
		t.Fatalf("good file: %d", code)
	}
	f.expect(t, "kshmsh", "/aplikimet", 200, "Arbër (Ilir) Çela", "Në letër")
}

// TestHistoriesNamePeople (issue 11, part D): a record's history says who
// acted by name with the role they acted in, and what they did in words,
// not "kshmsh (kshmsh)" and "update".
func TestHistoriesNamePeople(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	st, err := f.k.Registry.GetStudent(ctx, testkit.AVA, f.home.student)
	if err != nil {
		t.Fatal(err)
	}
	st.Phone = "0691112223"
	if _, _, err := f.k.Registry.UpsertStudent(ctx, &auth.Principal{Username: "kshmsh", Role: auth.RoleKSHMSH, School: f.home.school}, st); err != nil {
		t.Fatal(err)
	}
	f.expect(t, "ava", fmt.Sprintf("/nxenesit/%d", st.ID), 200, "<td>Përdorues kshmsh (KSHMSH)</td><td>"+audit.ActionLabel("update")+"</td>")
}
