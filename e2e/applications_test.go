package e2e

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"provim/internal/registry"
)

// click clicks sel (a submit button: its name and value go with the form),
// waits until the next page has loaded, and returns its HTTP status.
func click[S chromedp.Selectable](t *testing.T, ctx context.Context, sel S) int64 {
	t.Helper()
	cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(cctx, chromedp.Click(sel))
	if err != nil {
		t.Fatalf("click %v: %v", sel, err)
	}
	if resp == nil {
		t.Fatalf("click %v: no response", sel)
	}
	return resp.Status
}

// logout signs out with the button in the page header.
func logout(t *testing.T, ctx context.Context) {
	t.Helper()
	if st := submit(t, ctx, chromedp.CSS("#who button")); st != 200 {
		t.Fatalf("logout: HTTP %d", st)
	}
	do(t, ctx, chromedp.WaitVisible(chromedp.ID("username")))
}

// screenshot saves a full-page PNG in $PROVIM_E2E_ARTIFACTS (or a
// temporary directory) and returns its path.
func screenshot(t *testing.T, ctx context.Context, name string) string {
	t.Helper()
	shot := get(t, ctx, chromedp.FullScreenshot(100))
	cfg, err := png.DecodeConfig(bytes.NewReader(shot))
	if err != nil || cfg.Width < 300 || cfg.Height < 300 {
		t.Fatalf("screenshot %s: %v, %dx%d", name, err, cfg.Width, cfg.Height)
	}
	dir := os.Getenv("PROVIM_E2E_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%dx%d)", p, cfg.Width, cfg.Height)
	return p
}

// A student files form A1 online with two electives and submits it; the
// school commission confirms it and finds the student in table T.
func TestStudentFilesA1SchoolConfirmsTableT(t *testing.T) {
	t.Parallel()
	nid := registry.MakeNID(time.Date(2009, 2, 11, 0, 0, 0, 0, time.UTC), "F", 11)
	other := registry.MakeNID(time.Date(2009, 6, 2, 0, 0, 0, 0, time.UTC), "M", 12)
	// The calendar stands on 5 March 2027: students may still file A1.
	a := startApp(t, func(a *app) {
		a.provim([]string{"PROVIM_PASSWORD=" + password}, "user", "add", "--username", "ava", "--name", "Drita Kola", "--role", "ava")
		a.provim(nil, "import", "--entity", "units", writeFile(t, "units.csv",
			"kodi,emri,lloji,kodi_prind,qyteti\nDAR-TR,DAR Tiranë,DAR,,Tiranë\n"))
		a.provim(nil, "import", "--entity", "schools", writeFile(t, "schools.csv",
			"kodi,emri,kodi_dar_za,qyteti,publike,profili,vite\nTR-001,Gjimnazi \"Sami Frashëri\",DAR-TR,Tiranë,po,gjimnaz,4\n"))
		a.provim(nil, "import", "--entity", "students", writeFile(t, "students.csv",
			"nr_personal,emri,atesia,mbiemri,datelindja,kodi_shkolles,nota_mesatare\n"+
				nid+",Ëngjëllushe,Çlirim,Çaushi,11.02.2009,TR-001,9.5\n"+
				other+",Dhimitër,Gjergj,Llaci,02.06.2009,TR-001,8.25\n"))
		a.provim([]string{"PROVIM_PASSWORD=" + password}, "user", "add", "--username", "kshmsh.tr001", "--name", "Besa Hoxha",
			"--role", "kshmsh", "--school", "TR-001")
	}, "PROVIM_TODAY=2027-03-05")
	ctx := browser(t)

	// AVA opens exam year 2027 (a copy of 2009: A1 due 10.03.2027) and
	// creates the student's account.
	login(t, ctx, a, "ava", password)
	do(t, ctx,
		chromedp.Navigate(a.url+"/vitet"),
		chromedp.WaitVisible(chromedp.ID("year")),
		chromedp.SetValue(chromedp.ID("year"), "2027"),
		chromedp.SetValue(chromedp.ID("based_on"), "2009"),
	)
	if st := submit(t, ctx, chromedp.ID("year")); st != 200 {
		t.Fatalf("create year 2027: HTTP %d", st)
	}
	if st := submit(t, ctx, chromedp.CSS(`form[action="/vitet/2027/aktivizo"] button`)); st != 200 {
		t.Fatalf("activate 2027: HTTP %d", st)
	}
	mustContain(t, "year 2027", get(t, ctx, chromedp.Text(chromedp.CSS("main"))), "është tani viti aktiv")
	do(t, ctx,
		chromedp.Navigate(a.url+"/nxenesit?q=Çaushi"),
		chromedp.WaitVisible(chromedp.ID("students")),
	)
	// The account names the student by personal number (issue 11, part C).
	personalNo := tableRows(t, ctx, "#students")[0][4]
	do(t, ctx,
		chromedp.Navigate(a.url+"/perdoruesit"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "engjellushe"),
		chromedp.SendKeys(chromedp.ID("full_name"), "Ëngjëllushe Çaushi"),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.SetValue(chromedp.ID("role"), "nxenes"),
		chromedp.SendKeys(chromedp.ID("student"), personalNo),
	)
	if st := submit(t, ctx, chromedp.ID("student")); st != 200 {
		t.Fatalf("create the student's account: HTTP %d", st)
	}
	mustContain(t, "users", get(t, ctx, chromedp.Text(chromedp.ID("users"))), "engjellushe")
	logout(t, ctx)

	// The student chooses two electives and submits form A1.
	login(t, ctx, a, "engjellushe", password)
	do(t, ctx,
		chromedp.Navigate(a.url+"/formulari"),
		chromedp.WaitVisible(chromedp.ID("a1-form")),
	)
	mustContain(t, "the student's data", get(t, ctx, chromedp.Text(chromedp.ID("a1-student"))), "Ëngjëllushe (Çlirim) Çaushi", nid, "Gjimnazi \"Sami Frashëri\"")
	do(t, ctx,
		chromedp.SetValue(chromedp.ID("z1"), "FIZ"),
		chromedp.SetValue(chromedp.ID("z2"), "KIM"),
	)
	if st := click(t, ctx, chromedp.ID("dorezo")); st != 200 {
		t.Fatalf("submit A1: HTTP %d", st)
	}
	do(t, ctx, chromedp.WaitVisible(chromedp.ID("a1-state")))
	if state := get(t, ctx, chromedp.Text(chromedp.ID("a1-state"))); state != "Dorëzuar" {
		t.Fatalf("status after submitting: %q, want Dorëzuar", state)
	}
	mustContain(t, "the form", get(t, ctx, chromedp.Text(chromedp.ID("a1-status"))), "Z1: Fizikë (FIZ), Z2: Kimi (KIM)")
	if rows := tableRows(t, ctx, "#a1-history"); len(rows) != 1 || rows[0][1] != "Dorëzuar" {
		t.Fatalf("history: %q", rows)
	}
	screenshot(t, ctx, "formulari-a1.png")
	do(t, ctx, chromedp.EmulateViewport(390, 844))
	screenshot(t, ctx, "formulari-a1-telefon.png")
	do(t, ctx, chromedp.EmulateViewport(1280, 900))
	logout(t, ctx)

	// 12 March: table T is being filled in (11–24 March, Neni 22 ¶2); the
	// school commission confirms the form and sees it in table T.
	a.serve("PROVIM_TODAY=2027-03-12")
	login(t, ctx, a, "kshmsh.tr001", password)
	mustContain(t, "training banner", get(t, ctx, chromedp.Text(chromedp.CSS(".today"))), "12.03.2027")
	do(t, ctx,
		chromedp.Navigate(a.url+"/aplikimet"),
		chromedp.WaitVisible(chromedp.ID("applications")),
	)
	rows := tableRows(t, ctx, "#applications")
	if len(rows) != 1 || rows[0][2] != "Ëngjëllushe (Çlirim) Çaushi" || rows[0][len(rows[0])-2] != "Dorëzuar" {
		t.Fatalf("the school's forms: %q", rows)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`#applications input[type="checkbox"]`)))
	if st := click(t, ctx, chromedp.ID("konfirmo-zgjedhurit")); st != 200 {
		t.Fatalf("confirm: HTTP %d", st)
	}
	mustContain(t, "after confirming", get(t, ctx, chromedp.Text(chromedp.CSS(".flash"))), "1 formular u konfirmua")
	do(t, ctx,
		chromedp.Navigate(a.url+"/aplikimet/tabela-t"),
		chromedp.WaitVisible(chromedp.ID("tabela-t")),
	)
	rows = tableRows(t, ctx, "#tabela-t")
	var found []string
	for _, r := range rows {
		if len(r) > 3 && r[3] == "Ëngjëllushe (Çlirim) Çaushi" {
			found = r
		}
	}
	if found == nil || found[len(found)-1] != "Konfirmuar nga shkolla" || found[2] != nid || found[9] != "Fizikë" || found[10] != "Kimi" {
		t.Fatalf("table T: got rows %q, want the student's row confirmed by the school", rows)
	}
	mustContain(t, "table T", get(t, ctx, chromedp.Text(chromedp.ID("tabela-t-doc"))), "Tabela T — Gjimnazi \"Sami Frashëri\"", "Formularë: 1")
	screenshot(t, ctx, "tabela-t.png")
}
