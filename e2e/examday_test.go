package e2e

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"provim/internal/store"
)

// TestAPChecksInOfflineOnAPhone: on the morning of D1, the door open, an
// AP the draw sent to a Tirana venue (the demo leaves Tirana's entry
// running), signed in on their own account, opens their room on a
// 390×844 phone, checks a candidate in, loses the connection, checks two
// more in — they wait on the device — and when the connection returns
// they arrive, each exactly once (Neni 52).
func TestAPChecksInOfflineOnAPhone(t *testing.T) {
	t.Parallel()
	a, ctx, venue := staffOnAPhone(t, "2027-06-08T09:45", "AP")
	room := openWaitingRoom(t, ctx, a, venue)
	before := room.present()
	waiting := room.waiting
	// Online: sent at once.
	room.checkIn(waiting[0], "I12345678")
	room.waitFor("the first check-in", `document.getElementById('room-present').innerText.trim() === '`+strconv.Itoa(before+1)+`'`)
	// The connection drops: check-ins wait on the device.
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	offline := func(off bool) {
		t.Helper()
		conds := []*network.Conditions{}
		if off {
			conds = append(conds, &network.Conditions{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
		}
		if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: conds}); err != nil {
			// Debian's Chromium 148 refuses the rule form (-32602) but
			// still takes the one-condition command that cdproto no
			// longer lists.
			if _, err2 := chromedp.Call(ctx, emulateNetworkConditions, legacyConditions{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}); err2 != nil {
				t.Fatal(err, err2)
			}
		}
		if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
			t.Fatal(err)
		}
	}
	offline(true)
	room.checkIn(waiting[1], "I22345678")
	room.checkIn(waiting[2], "P32345678")
	room.waitFor("two check-ins queued", `document.getElementById('queue-count').innerText.trim() === '2'`)
	mustContain(t, "the queue", get(t, ctx, chromedp.Text(chromedp.ID("queue-list"))), waiting[1], waiting[2])
	if n := room.present(); n != before+1 {
		t.Fatalf("offline: %d present, want %d", n, before+1)
	}
	// The connection returns: the queue goes, each once.
	offline(false)
	room.waitFor("the queue sent", `document.getElementById('queue-count').innerText.trim() === '0' && document.getElementById('room-present').innerText.trim() === '`+strconv.Itoa(before+3)+`'`)
	do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("room-list")))
	if n := room.present(); n != before+3 {
		t.Fatalf("after reload: %d present, want %d", n, before+3)
	}
	room.mustBeSeated(waiting[:3])
}

// TestAPReopensTheRoomPageWithoutAConnection: the server itself goes away
// on the morning of D1 (Neni 52). The AP's phone kept the room page
// (examday-sw.js): after a check-in queued, a reload — a phone that
// closed the tab — opens the kept copy, which says it is one and goes on
// queueing; an exam-day page the phone did not keep says so in Albanian
// and links the kept room. When the server is back the queue goes, each
// check-in once. Signing out forgets the kept pages.
func TestAPReopensTheRoomPageWithoutAConnection(t *testing.T) {
	t.Parallel()
	a, ctx, venue := staffOnAPhone(t, "2027-06-08T09:45", "AP")
	room := openWaitingRoom(t, ctx, a, venue)
	const kept = `caches.open('provim-examday-v1').then(c => c.match(location.href)).then(r => !!r)`
	room.waitFor("the service worker", `navigator.serviceWorker.controller !== null`)
	room.waitForPromise("the room page kept", kept)
	before, waiting := room.present(), room.waiting
	a.stop()
	room.checkIn(waiting[0], "I12345678")
	room.waitFor("the check-in queued", `document.getElementById('queue-count').innerText.trim() === '1'`)
	do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("checkin-form")), chromedp.WaitVisible(chromedp.ID("offline-copy")))
	mustContain(t, "the kept copy", get(t, ctx, chromedp.Text(chromedp.ID("offline-copy"))), "Pa lidhje", "ruajtur në këtë pajisje")
	room.waitFor("the queue kept", `document.getElementById('queue-count').innerText.trim() === '1'`)
	room.checkIn(waiting[1], "I22345678")
	room.waitFor("two check-ins queued", `document.getElementById('queue-count').innerText.trim() === '2'`)
	// A page the phone did not keep.
	do(t, ctx, chromedp.Navigate(a.url+"/dita-e-provimit/"+venue+"/D1"), chromedp.WaitVisible(chromedp.ID("offline-kept")))
	mustContain(t, "the offline page", get(t, ctx, chromedp.Text(chromedp.ID("main"))), "Pa lidhje me serverin", "Salla «")
	href := get(t, ctx, chromedp.Evaluate[string](`document.querySelector('#offline-kept a').getAttribute('href')`))
	if href != room.path {
		t.Fatalf("the offline page links %q, want %q", href, room.path)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("#offline-kept a")), chromedp.WaitVisible(chromedp.ID("offline-copy")))
	// The server is back: the queue goes, each once, and the page is live.
	a.restart()
	room.waitFor("the queue sent", `document.getElementById('queue-count').innerText.trim() === '0' && document.getElementById('room-present').innerText.trim() === '`+strconv.Itoa(before+2)+`'`)
	room.waitFor("the live page", `document.getElementById('offline-copy').hidden`)
	do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("room-list")))
	if n := room.present(); n != before+2 {
		t.Fatalf("after the server is back: %d present, want %d", n, before+2)
	}
	room.mustBeSeated(waiting[:2])
	// Signing out: the sign-in page forgets the kept room pages.
	do(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/dalje"] button`)), chromedp.WaitVisible(chromedp.ID("username")))
	room.waitForPromise("the kept pages forgotten", `caches.keys().then(k => !k.includes('provim-examday-v1'))`)
}

// roomPage is an exam-day room page open in the browser, with the
// candidates it still waited for when opened.
type roomPage struct {
	t       *testing.T
	ctx     context.Context
	path    string
	waiting []string
}

// openWaitingRoom opens, from the venue's exam-day page, a room with at
// least three candidates still to come.
func openWaitingRoom(t *testing.T, ctx context.Context, a *app, venue string) *roomPage {
	t.Helper()
	do(t, ctx,
		chromedp.Navigate(a.url+"/dita-e-provimit/"+venue+"/D1"),
		chromedp.WaitVisible(chromedp.ID("venue-rooms")),
	)
	href := get(t, ctx, chromedp.Evaluate[string](`(() => {
		let best = '', most = 2;
		for (const tr of document.querySelectorAll('#venue-rooms tbody tr')) {
			const [inn, of] = tr.cells[1].innerText.split('/').map(s => parseInt(s, 10));
			if (of - inn > most) { most = of - inn; best = tr.querySelector('a').getAttribute('href'); }
		}
		return best;
	})()`))
	if href == "" {
		t.Fatal("no room with three candidates still to come")
	}
	do(t, ctx, chromedp.Navigate(a.url+href), chromedp.WaitVisible(chromedp.ID("checkin-form")))
	waiting := get(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#nr option')).map(o => o.value).filter(v => v)`))
	if len(waiting) < 3 {
		t.Fatalf("waiting: %q", waiting)
	}
	return &roomPage{t: t, ctx: ctx, path: href, waiting: waiting}
}

func (p *roomPage) present() int {
	p.t.Helper()
	n, _ := strconv.Atoi(strings.TrimSpace(get(p.t, p.ctx, chromedp.Text(chromedp.ID("room-present")))))
	return n
}

// waitFor waits up to 20 s for js to be true.
func (p *roomPage) waitFor(what, js string) {
	p.t.Helper()
	p.poll(what, func() bool { return get(p.t, p.ctx, chromedp.Evaluate[bool](js)) })
}

// waitForPromise waits up to 20 s for the promise js to resolve true.
func (p *roomPage) waitForPromise(what, js string) {
	p.t.Helper()
	p.poll(what, func() bool { return get(p.t, p.ctx, chromedp.Evaluate[bool](js, chromedp.EvalAwaitPromise)) })
}

func (p *roomPage) poll(what string, ok func() bool) {
	p.t.Helper()
	for range 100 {
		if ok() {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	state := get(p.t, p.ctx, chromedp.Evaluate[string](`['queue-count', 'queue-status', 'room-present', 'offline-copy'].map(id => { const e = document.getElementById(id); return id + ': ' + (e ? e.innerText : '-'); }).join('; ')`))
	p.t.Fatalf("waited for %s (%s)", what, state)
}

// checkIn checks a candidate of the list in with a document number.
func (p *roomPage) checkIn(regNo, docNo string) {
	p.t.Helper()
	do(p.t, p.ctx,
		chromedp.SetValue(chromedp.ID("nr"), regNo),
		chromedp.SetValue(chromedp.ID("dokumenti"), "letërnjoftim"),
		chromedp.SetValue(chromedp.ID("nr_dokumentit"), docNo),
		chromedp.Click(chromedp.ID("checkin-submit")),
	)
}

// mustBeSeated fails unless each of regNos has a desk in the room's list.
func (p *roomPage) mustBeSeated(regNos []string) {
	p.t.Helper()
	rows := tableRows(p.t, p.ctx, "#room-list")
	seated := 0
	for _, r := range rows {
		for _, no := range regNos {
			if strings.Contains(r[1], no) && r[0] != "—" {
				seated++
			}
		}
	}
	if seated != len(regNos) {
		p.t.Fatalf("%d of the %d seated: %q", seated, len(regNos), rows)
	}
}

// staffOnAPhone builds the demo to D1's morning (Tirana's entry left
// running), serves it at the moment today, and signs in on a 390×844
// phone the demo's account of role (PAP or AP) at a Tirana venue, the
// person the draw sent there; it returns the app, the browser and the
// venue's code.
func staffOnAPhone(t *testing.T, today, role string) (*app, context.Context, string) {
	t.Helper()
	var out string
	a := startApp(t, func(a *app) {
		out = a.provim(nil, "demo", "--no-serve", "--db", a.dsn, "--students", "600", "--until", "dita-e-provimit")
	}, "PROVIM_TODAY="+today)
	m := regexp.MustCompile(`(?m)^\s+(pap\.([a-z0-9-]+))\s`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no PAP account in the demo's output:\n%s", out)
	}
	user, venue := m[1], strings.ToUpper(m[2])
	if role == "AP" {
		ap := regexp.MustCompile(`(?m)^\s+(\S+)\s+AP — administrator provimi`).FindStringSubmatch(out)
		if ap == nil {
			t.Fatalf("no AP account in the demo's output:\n%s", out)
		}
		user = ap[1]
	}
	ctx := browser(t)
	do(t, ctx, chromedp.EmulateViewport(390, 844))
	login(t, ctx, a, user, demoPassword)
	return a, ctx, venue
}

// legacyConditions and emulateNetworkConditions are the protocol's
// Network.emulateNetworkConditions, which the browsers of Debian still
// take where Network.emulateNetworkConditionsByRule is refused.
type legacyConditions struct {
	Offline            bool    `json:"offline"`
	Latency            float64 `json:"latency"`
	DownloadThroughput float64 `json:"downloadThroughput"`
	UploadThroughput   float64 `json:"uploadThroughput"`
}

var emulateNetworkConditions = cdp.Command[legacyConditions, cdp.Empty]{Method: "Network.emulateNetworkConditions"}

// TestPAPPacksAfterTheExamOnAPhone: after D1 (13:30), the PAP of a Tirana
// venue packs the materials on a phone (Neni 48.9–48.10): a packing
// without the used booklets counted is refused in Albanian; counts that
// do not agree are recorded and keep the box open; with the PAP's
// explanation the box may close, and the venue's page shows it.
func TestPAPPacksAfterTheExamOnAPhone(t *testing.T) {
	t.Parallel()
	a, ctx, venue := staffOnAPhone(t, "2027-06-08T13:30", "PAP")
	open := func() {
		t.Helper()
		do(t, ctx, chromedp.Navigate(a.url+"/dita-e-provimit/"+venue+"/D1"), chromedp.WaitVisible(chromedp.ID("pack-form")))
	}
	text := func(sel string) string {
		t.Helper()
		return get(t, ctx, chromedp.Evaluate[string](`(document.querySelector(`+jsString(sel)+`) || {innerText: ''}).innerText`))
	}
	open()
	// The used booklets are required: the browser asks for them, and the
	// server refuses a form sent without them.
	if !get(t, ctx, chromedp.Evaluate[bool](`document.getElementById('pk-u').required`)) {
		t.Fatal("the used booklets are not a required field")
	}
	get(t, ctx, chromedp.Evaluate[bool](`(document.getElementById('pk-u').required = false)`))
	if st := submit(t, ctx, chromedp.ID("pk-u")); st != 422 && st != 400 {
		t.Fatalf("a packing without the used booklets: HTTP %d", st)
	}
	mustContain(t, "the refusal", text("main"), "test-broshurave të përdorura")
	// Counts that do not agree (nobody counted the unused booklets).
	open()
	do(t, ctx, chromedp.SetValue(chromedp.ID("pk-u"), "1"))
	if st := submit(t, ctx, chromedp.ID("pk-u")); st != 200 {
		t.Fatalf("packing: HTTP %d", st)
	}
	mustContain(t, "the packing", text(".flash"), "NUK përputhet", "sqarohet")
	mustContain(t, "the packing card", text("#packing"), "Numërimi nuk përputhet", "të përdorura")
	// Explained: the box may close, and the page says so.
	open()
	do(t, ctx,
		chromedp.SetValue(chromedp.ID("pk-u"), "1"),
		chromedp.SetValue(chromedp.ID("pk-sq"), "Provë e paketimit: test-broshurat e tjera u numëruan në letër."),
	)
	if st := submit(t, ctx, chromedp.ID("pk-u")); st != 200 {
		t.Fatalf("packing with an explanation: HTTP %d", st)
	}
	mustContain(t, "the explained packing", text(".flash"), "me sqarimin tuaj")
	mustContain(t, "the packing card", text("#packing"), "e sqaruar", "Sqarimi:", "numëruan në letër")
}

// TestExamDayDeskIncidentAndTheLiveBoard: at 10:40 on D1, the KMSH of
// Tirana watches the board while, at a Tirana venue, the AP drawn there
// reports an incident of their room to the PAP on a phone (Neni 49.7),
// and the PAP at the desk attaches a candidate's code label, typed as
// the AS reads it from the sheet (Neni 53), then excludes another
// candidate found with a phone (Neni 54.8): the board's row of the venue
// shows all three without a reload.
func TestExamDayDeskIncidentAndTheLiveBoard(t *testing.T) {
	t.Parallel()
	a, ap, venue := staffOnAPhone(t, "2027-06-08T10:40", "AP")
	kmsh := browser(t)
	login(t, kmsh, a, "kmsh.tirane", demoPassword)
	do(t, kmsh, chromedp.Navigate(a.url+"/dita-e-provimit?provimi=D1"), chromedp.WaitVisible(chromedp.ID("examday-board")))
	row := func() (incidents, exclusions, labelled int) {
		t.Helper()
		cells := get(t, kmsh, chromedp.Evaluate[[]string](`Array.from((document.querySelector(`+jsString(`#examday-board tr[data-venue="`+venue+`"]`)+`) || {cells: []}).cells).map(c => c.innerText)`))
		if len(cells) < 7 {
			t.Fatalf("the board has no row of %s: %q", venue, cells)
		}
		parts := strings.Split(strings.Split(cells[5], "·")[0], "/")
		incidents, _ = strconv.Atoi(strings.TrimSpace(parts[0]))
		if len(parts) > 1 {
			exclusions, _ = strconv.Atoi(strings.TrimSpace(parts[1]))
		}
		labelled, _ = strconv.Atoi(strings.TrimSpace(cells[6]))
		return incidents, exclusions, labelled
	}
	incidents, exclusions, labelled := row()

	// The AP, in their room, reports to the PAP.
	do(t, ap, chromedp.Navigate(a.url+"/dita-e-provimit/"+venue+"/D1"), chromedp.WaitVisible(chromedp.ID("venue-rooms")))
	href := get(t, ap, chromedp.Evaluate[string](`document.querySelector('#venue-rooms a').getAttribute('href')`))
	do(t, ap, chromedp.Navigate(a.url+href), chromedp.WaitVisible(chromedp.ID("incident-form")),
		chromedp.SetValue(chromedp.ID("inc-note"), "Një kandidat kërkoi të dalë para dy orëve; u ndalua (Neni 56.3)."))
	if st := submit(t, ap, chromedp.ID("inc-note")); st != 200 {
		t.Fatalf("the AP's report: HTTP %d", st)
	}

	// The PAP at the desk of the same room: the first present candidate
	// without labels gets the next unused code of the room's sheet.
	pap := browser(t)
	login(t, pap, a, "pap."+strings.ToLower(venue), demoPassword)
	do(t, pap, chromedp.Navigate(a.url+href), chromedp.WaitVisible(chromedp.ID("desk-form")))
	waiting := get(t, pap, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#desk-nr option')).map(o => o.value)`))
	if len(waiting) < 2 {
		t.Fatalf("two present candidates without labels are needed in the room: %q", waiting)
	}
	regNo := waiting[0]
	room, err := url.PathUnescape(strings.Split(strings.SplitN(href, "/salla/", 2)[1], "?")[0])
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), a.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var code string
	if err := db.QueryRow(`SELECT c.code FROM anonym_codes c JOIN anonym_rooms r ON r.year = c.year AND r.exam = c.exam AND r.room_id = c.room_id
		WHERE c.year = 2027 AND c.exam = 'D1' AND c.venue_code = $1 AND r.room_name = $2 AND NOT c.used ORDER BY c.code LIMIT 1`, venue, room).Scan(&code); err != nil {
		t.Fatalf("an unused code of room %s: %v", room, err)
	}
	do(t, pap, chromedp.SetValue(chromedp.ID("desk-nr"), regNo), chromedp.SetValue(chromedp.ID("kodi"), code))
	if st := submit(t, pap, chromedp.ID("kodi")); st != 200 {
		t.Fatalf("the label at the desk: HTTP %d", st)
	}
	if left := get(t, pap, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#desk-nr option')).map(o => o.value)`)); slices.Contains(left, regNo) {
		t.Fatalf("%s is still without labels: %q", regNo, left)
	}

	// The PAP excludes another candidate of the room, found with a phone
	// (Neni 54.8: it also bars next year's sitting, Neni 55.2).
	do(t, pap, chromedp.Navigate(a.url+"/dita-e-provimit/"+venue+"/D1"), chromedp.WaitVisible(chromedp.ID("exclude-form")),
		chromedp.SetValue(chromedp.ID("ex-nr"), waiting[1]),
		chromedp.SetValue(chromedp.ID("shkaku"), "54.8"),
		chromedp.SetValue(chromedp.ID("ex-ora"), "10:35"),
		chromedp.SetValue(chromedp.ID("ex-desh"), "AP i sallës; PAP"),
		chromedp.SetValue(chromedp.ID("ex-shen"), "Celular i ndezur në bankë."))
	if st := submit(t, pap, chromedp.ID("ex-nr")); st != 200 {
		t.Fatalf("the exclusion: HTTP %d", st)
	}
	mustContain(t, "the venue's events", text2(t, pap, "main"), "54.8", waiting[1])

	// The board follows, without a reload.
	for range 60 {
		if i, x, l := row(); i == incidents+1 && x == exclusions+1 && l == labelled+1 {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	i, x, l := row()
	t.Fatalf("the board's row of %s: %d incidents, %d exclusions, %d labelled; want %d, %d and %d", venue, i, x, l, incidents+1, exclusions+1, labelled+1)
}
