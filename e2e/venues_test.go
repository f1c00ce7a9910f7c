package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestKMSHInspectsVenuesAndSendsTheList: a KMSH member inspects the
// region's venues against Neni 38 in the browser, sees a venue that fails
// a criterion refused with the criterion named, sends the venue list
// (Neni 41), and after that can no longer change a venue without AVA.
func TestKMSHInspectsVenuesAndSendsTheList(t *testing.T) {
	t.Parallel()
	a := startApp(t, func(a *app) {
		a.provim([]string{"PROVIM_PASSWORD=" + password}, "user", "add", "--username", "ava", "--name", "Drita Kola", "--role", "ava")
		a.provim(nil, "import", "--entity", "units", writeFile(t, "units.csv",
			"kodi,emri,lloji,kodi_prind,qyteti\nDAR-TR,DAR Tiranë,DAR,,Tiranë\n"))
		a.provim(nil, "import", "--entity", "schools", writeFile(t, "schools.csv",
			"kodi,emri,kodi_dar_za,qyteti,publike,profili,vite\nTR-001,Gjimnazi Çajupi,DAR-TR,Tiranë,po,gjimnaz,4\nTR-002,Gjimnazi Ismail Qemali,DAR-TR,Tiranë,po,gjimnaz,4\n"))
		a.provim(nil, "import", "--entity", "venues", writeFile(t, "venues.csv",
			"kodi_qendres,emri_qendres,kodi_shkolles,qyteti,salla,vende,gjatesia_cm,gjeresia_cm\n"+
				"Q-TR-001,Gjimnazi Çajupi,TR-001,Tiranë,Salla 1,30,900,600\n"+
				"Q-TR-002,Gjimnazi Ismail Qemali,TR-002,Tiranë,Salla 1,30,900,600\n"))
		a.provim([]string{"PROVIM_PASSWORD=" + password}, "user", "add", "--username", "kmsh.tr", "--name", "Arben Hoxha",
			"--role", "kmsh", "--unit", "DAR-TR")
	}, "PROVIM_TODAY=2027-04-01")
	ctx := browser(t)

	// AVA opens exam year 2027 (a copy of 2009: inspections due 08.04.2027).
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
	logout(t, ctx)

	login(t, ctx, a, "kmsh.tr", password)
	do(t, ctx,
		chromedp.Navigate(a.url+"/qendrat/inspektimi"),
		chromedp.WaitVisible(chromedp.ID("venue-inspections")),
	)
	rows := tableRows(t, ctx, "#venue-inspections")
	if len(rows) != 2 || rows[0][5] != "Pa inspektuar" {
		t.Fatalf("venues before the inspection: %q", rows)
	}

	// The first venue meets every criterion: 900 × 600 cm seats 35, 30 desks.
	do(t, ctx,
		chromedp.Navigate(a.url+"/qendrat/Q-TR-001/inspektimi"),
		chromedp.WaitVisible(chromedp.ID("inspection-form")),
		chromedp.Click(chromedp.ID("no_other_activity")),
		chromedp.Click(chromedp.ID("aired_lit")),
		chromedp.Click(chromedp.ID("no_posters")),
		chromedp.Click(chromedp.ID("one_direction")),
		chromedp.Click(chromedp.ID("road_access")),
	)
	if st := click(t, ctx, chromedp.ID("ruaj-inspektimin")); st != 200 {
		t.Fatalf("inspect: HTTP %d", st)
	}
	mustContain(t, "after the inspection", get(t, ctx, chromedp.Text(chromedp.CSS(".flash"))), "e përshtatshme, 30 vende")

	// The second has no road access (Neni 38.8): it cannot be used.
	do(t, ctx,
		chromedp.Navigate(a.url+"/qendrat/Q-TR-002/inspektimi"),
		chromedp.WaitVisible(chromedp.ID("inspection-form")),
		chromedp.Click(chromedp.ID("no_other_activity")),
		chromedp.Click(chromedp.ID("aired_lit")),
		chromedp.Click(chromedp.ID("no_posters")),
		chromedp.Click(chromedp.ID("one_direction")),
	)
	if st := click(t, ctx, chromedp.ID("ruaj-inspektimin")); st != 200 {
		t.Fatalf("inspect: HTTP %d", st)
	}
	mustContain(t, "the refused venue", get(t, ctx, chromedp.Text(chromedp.CSS(".flash"))), "NUK mund të përdoret", "38.8", "rrugë automobilistike")
	screenshot(t, ctx, "inspektimi.png")

	// The list is sent (Neni 41).
	do(t, ctx,
		chromedp.Navigate(a.url+"/qendrat/inspektimi"),
		chromedp.WaitVisible(chromedp.ID("send-venue-list")),
	)
	if st := click(t, ctx, chromedp.ID("dergo-listen")); st != 200 {
		t.Fatalf("send list: HTTP %d", st)
	}
	mustContain(t, "after sending", get(t, ctx, chromedp.Text(chromedp.CSS("main"))), "u dërgua", "Dërguar më")

	// Sent: a change now needs AVA's approval.
	do(t, ctx,
		chromedp.Navigate(a.url+"/qendrat/Q-TR-002/inspektimi"),
		chromedp.WaitVisible(chromedp.ID("inspection-form")),
		chromedp.Click(chromedp.ID("road_access")),
	)
	if st := click(t, ctx, chromedp.ID("ruaj-inspektimin")); st != 422 {
		t.Fatalf("change after the list: HTTP %d, want 422", st)
	}
	mustContain(t, "the refusal", get(t, ctx, chromedp.Text(chromedp.CSS(".error"))), "Neni 41", "AVA")

	// On the eve of an exam a room's seats change only by AVA (issue 9
	// item 11): for the KMSH the form says so, naming Neni 41, and is
	// closed before anyone fills it in (the server refuses anyway).
	do(t, ctx,
		chromedp.Navigate(a.url+"/qendrat/Q-TR-001/inspektimi"),
		chromedp.WaitVisible(chromedp.ID("room-seats-form")),
	)
	mustContain(t, "the closed seats form", get(t, ctx, chromedp.Text(chromedp.ID("seats-locked"))), "Neni 41", "vetëm AVA")
	if disabled := get(t, ctx, chromedp.Evaluate[bool](`document.querySelector('#room-seats-form fieldset').disabled`)); !disabled {
		t.Fatal("the room seats form is open to the KMSH after the list was sent")
	}
}
