package e2e

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// letters is the JSON of a bulk creation of accounts.
type letters struct {
	Letters []struct {
		Username string `json:"username"`
		FullName string `json:"full_name"`
		Role     string `json:"role"`
		Code     string `json:"activation_code"`
	} `json:"letters"`
	Created int `json:"created"`
	Renewed int `json:"renewed"`
	Active  int `json:"active"`
	Reps    int `json:"kmsh_representatives"`
}

// postRaw posts to the API and returns the status and the body.
func postRaw(t *testing.T, base, token, path string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

var codeRE = regexp.MustCompile(`[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}`)

// TestAccountsForEveryoneAndActivation (issue 11, A5): AVA finds accounts
// by name ignoring ë/ç and pages through them; a school's candidates get
// accounts in bulk with letters (PDF, one page per person); a renewed
// letter replaces the old code; the candidate activates the account at
// /aktivizimi on a phone, the code works once, and the new password signs
// in; the region creates the accounts of the staff drawn to a venue; AVA
// disables an account from the list. axe-core checks every page.
func TestAccountsForEveryoneAndActivation(t *testing.T) {
	t.Parallel()
	a := startApp(t, func(a *app) {
		a.provim(nil, "demo", "--no-serve", "--db", a.dsn, "--students", "600")
	}, eveOfD1)
	token := apiToken(t, a.url, "ava", demoPassword)

	// The demo's school commission names the school, its PAP the venue.
	var users struct {
		Items []struct {
			Username string `json:"username"`
			School   string `json:"school_code"`
			Venue    string `json:"venue_code"`
		} `json:"items"`
		Total int `json:"total"`
	}
	if st := apiCall(t, a.url, token, "GET", "/api/v1/users?q=kshmsh", nil, &users); st != 200 || users.Total != 1 || users.Items[0].School == "" {
		t.Fatalf("the demo's school commission: HTTP %d %+v", st, users)
	}
	school := users.Items[0].School
	if st := apiCall(t, a.url, token, "GET", "/api/v1/users?q=pap.", nil, &users); st != 200 || users.Total != 1 || users.Items[0].Venue == "" {
		t.Fatalf("the demo's PAP: HTTP %d %+v", st, users)
	}
	venue := users.Items[0].Venue

	// The letters of the school's candidates, to print: one page each.
	st, pdf := postRaw(t, a.url, token, "/api/v1/accounts/schools/"+school+"?format=pdf")
	if st != 200 || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("letters PDF: HTTP %d %.200s", st, pdf)
	}
	file := filepath.Join(t.TempDir(), "letra.pdf")
	os.WriteFile(file, pdf, 0o600)
	text, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Skipf("pdftotext: %v", err)
	}
	pages := strings.Split(strings.TrimRight(string(text), "\f\n "), "\f")
	oldCodes := codeRE.FindAllString(string(text), -1)
	if len(pages) < 2 || len(oldCodes) != len(pages) {
		t.Fatalf("letters: %d pages, %d codes", len(pages), len(oldCodes))
	}
	mustContain(t, "a letter", pages[0], "Matura Shtetërore — llogaria juaj në provim", "Emri i përdoruesit:", "Si ta aktivizoni llogarinë", a.url+"/aktivizimi")

	// Printed again (JSON this time): every code is new, the old ones are void.
	var again letters
	if st := apiCall(t, a.url, token, "POST", "/api/v1/accounts/schools/"+school, nil, &again); st != 200 || again.Renewed != len(pages) || again.Active < 1 {
		t.Fatalf("second run: HTTP %d renewed %d active %d (want %d renewed, the demo's student active)", st, again.Renewed, again.Active, len(pages))
	}
	who := again.Letters[0]
	if strings.Contains(string(text), who.Code) {
		t.Fatal("a renewed letter kept its old code")
	}
	oldCode := codeRE.FindString(pages[0])
	if !strings.Contains(pages[0], who.Username) {
		t.Fatalf("the first letter is not %s's:\n%s", who.Username, pages[0])
	}

	// The candidate activates on a phone: the old code is refused, the new
	// one works once.
	ctx := browser(t)
	phone(t, ctx)
	const password = "fjalëkalimi-im-2027"
	activate := func(code string) int64 {
		visit(t, ctx, a, "/aktivizimi", "")
		do(t, ctx,
			chromedp.SendKeys(chromedp.ID("username"), who.Username),
			chromedp.SendKeys(chromedp.ID("code"), code),
			chromedp.SendKeys(chromedp.ID("password"), password),
			chromedp.SendKeys(chromedp.ID("again"), password),
		)
		return submit(t, ctx, chromedp.ID("again"))
	}
	if st := activate(oldCode); st != http.StatusUnauthorized {
		t.Fatalf("the replaced code: HTTP %d, want 401", st)
	}
	mustContain(t, "the refusal", text2(t, ctx, ".error"), "kodi i aktivizimit nuk është i saktë")
	axeCheck(t, ctx, "/aktivizimi (refused)")
	if st := activate(strings.ToLower(who.Code)); st != 200 {
		t.Fatalf("activate: HTTP %d", st)
	}
	mustContain(t, "after activation", text2(t, ctx, "#activation-done"), "Llogaria u aktivizua")
	axeCheck(t, ctx, "/aktivizimi (done)")
	screenshot(t, ctx, "accounts-activated-phone.png")
	if st := activate(who.Code); st != http.StatusUnauthorized {
		t.Fatalf("the code a second time: HTTP %d, want 401", st)
	}
	login(t, ctx, a, who.Username, password)
	mustContain(t, "the candidate's header", text2(t, ctx, "#who"), who.FullName)
	logout(t, ctx)

	// The region creates the accounts of the staff drawn to a venue: the
	// demo made those of the PAP's venue (its PAP and AP are active), so
	// again they are all kept; another venue of the region gets letters.
	kmsh := apiToken(t, a.url, "kmsh.tirane", demoPassword)
	var staff letters
	if st := apiCall(t, a.url, kmsh, "POST", "/api/v1/accounts/venues/"+venue, nil, &staff); st != 200 {
		t.Fatalf("venue accounts: HTTP %d", st)
	}
	if staff.Active < 2 || staff.Reps < 1 || staff.Created != 0 {
		t.Fatalf("the demo venue's accounts again %+v: want its PAP and AP kept, a KMSH representative, nothing new", staff)
	}
	var venues struct {
		Items []struct {
			Code string `json:"code"`
		} `json:"items"`
	}
	if st := apiCall(t, a.url, kmsh, "GET", "/api/v1/venues", nil, &venues); st != 200 {
		t.Fatalf("the region's venues: HTTP %d", st)
	}
	staff = letters{}
	for _, v := range venues.Items {
		if v.Code == venue {
			continue
		}
		var got letters
		if st := apiCall(t, a.url, kmsh, "POST", "/api/v1/accounts/venues/"+v.Code, nil, &got); st == 200 && len(got.Letters) > 0 {
			staff = got
			break
		}
	}
	if staff.Created == 0 || staff.Reps < 1 || len(staff.Letters) == 0 {
		t.Fatalf("another venue's accounts %+v: want new accounts with letters and a KMSH representative", staff)
	}
	for _, l := range staff.Letters {
		if l.Role != "ap" && l.Role != "as" && l.Role != "pap" {
			t.Fatalf("a venue account with role %q", l.Role)
		}
	}

	// AVA's users page: search ignoring ë/ç, the total, the bulk actions
	// (a tab of its own: each has its time budget).
	ctx = browser(t)
	desktop(t, ctx)
	login(t, ctx, a, "ava", demoPassword)
	visit(t, ctx, a, "/perdoruesit?gjendja=pa-aktivizuar", "accounts-users-pending.png")
	mustContain(t, "pending accounts", text2(t, ctx, "#users-total"), "përdorues")
	visit(t, ctx, a, "/perdoruesit?q="+strings.Split(who.FullName, " ")[0], "")
	rows := tableRows(t, ctx, "#users")
	found := false
	for _, r := range rows {
		found = found || (len(r) > 1 && r[1] == who.Username)
	}
	if !found {
		t.Fatalf("users page search for %q: %q", who.FullName, rows)
	}
	do(t, ctx,
		chromedp.Click(chromedp.ID("zgjidh-"+who.Username)),
		chromedp.SetValue(chromedp.ID("veprimi"), "caktivizo"),
	)
	if st := submit(t, ctx, chromedp.ID("veprimi")); st != 200 {
		t.Fatalf("disable from the list: HTTP %d", st)
	}
	mustContain(t, "the confirmation", text2(t, ctx, ".flash"), "1 llogari u çaktivizua")
	visit(t, ctx, a, "/llogarite", "accounts-bulk.png")
	do(t, ctx, chromedp.WaitVisible(chromedp.ID("accounts-school")), chromedp.WaitVisible(chromedp.ID("accounts-venue")))
	visit(t, ctx, a, "/auditimi?lloji=user&veprimi=activate", "accounts-audit.png")
	// Two activations: the candidate's, newest, and the demo's AP's (the
	// demo activates the AP drawn to its PAP's venue from the letter).
	audit := tableRows(t, ctx, "#audit")
	if len(audit) != 2 || audit[0][2] != who.FullName+" (nxënës)" || audit[0][3] != "aktivizoi llogarinë" || !strings.HasSuffix(audit[1][2], "(AP)") {
		t.Fatalf("the audit page's activation entries: %q", audit)
	}
	var api struct {
		Total int `json:"total"`
	}
	if st := apiCall(t, a.url, token, "GET", "/api/v1/audit?object_type=user&action=activate", nil, &api); st != 200 || api.Total != 2 {
		t.Fatalf("audit API: HTTP %d total %d", st, api.Total)
	}
}

// text2 is the text of the first element sel matches.
func text2(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return get(t, ctx, chromedp.Text(chromedp.CSS(sel)))
}
