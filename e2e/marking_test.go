package e2e

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Issue 14, "Done means": on the second day of D1's marking (the demo
// stops it after two days: booklets allocated, about half marked, some
// with a third marker) a marker marks a booklet on a laptop, and the
// subject's lead assigns a third marker where two markings differ (Neni
// 57.13–57.14). Every page is checked with axe-core, and no page shows
// anything of a candidate (Neni 59.3).

const markingDay2 = "PROVIM_TODAY=2027-06-10T09:00"

// markingCode is a booklet code as pages show it ("K7Q2-M9XD-R"); the
// last symbol is a check symbol, which may be one of *~$=U.
var markingCode = regexp.MustCompile(`\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z*~$=]`)

// markingLeaks are what would name a candidate: a venue code (Q-TR-003),
// a school code (TR-003), a school's name, a registration number (nine
// digits) or a personal number (K95718546Q). Booklet codes are taken out
// of the text first (a code may hold "Q-" or "TR-").
var markingLeaks = []struct {
	what string
	re   *regexp.Regexp
}{
	{"a venue code", regexp.MustCompile(`Q-`)},
	{"a school code", regexp.MustCompile(`\b[A-Z]{2}-\d{3}\b|TR-`)},
	{"a school", regexp.MustCompile(`(?i)gjimnaz`)},
	{"a registration number", regexp.MustCompile(`\b\d{9}\b`)},
	{"a personal number", regexp.MustCompile(`\b[A-Z]\d{8}[A-Z]\b`)},
}

// markingNoLeak fails the test when the page shown (its text, the values
// of its fields and its title) holds anything of a candidate.
func markingNoLeak(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	txt := get(t, ctx, chromedp.Evaluate[string](`document.title + '\n' + document.body.innerText + '\n' +
		Array.from(document.querySelectorAll('input, select, textarea'), e => e.value + ' ' + (e.placeholder || '')).join('\n')`))
	rest := markingCode.ReplaceAllString(txt, "")
	for _, l := range markingLeaks {
		if m := l.re.FindString(rest); m != "" {
			t.Errorf("%s shows %s: %q", page, l.what, m)
		}
	}
}

// markingVisit opens a page on the laptop, checks that it answers 200,
// fits the laptop's width, passes axe-core and leaks nothing.
func markingVisit(t *testing.T, ctx context.Context, a *app, path, shot string) {
	t.Helper()
	if st := visit(t, ctx, a, path, shot); st != http.StatusOK {
		t.Fatalf("%s: HTTP %d", path, st)
	}
	fitsWidth(t, ctx, 1366)
	markingNoLeak(t, ctx, path)
}

// markingLink is the href of the link of the page that sel finds.
func markingLink(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	href := get(t, ctx, chromedp.Evaluate[string](`(document.querySelector(`+jsString(sel)+`) || {getAttribute: () => ''}).getAttribute('href')`))
	if href == "" {
		t.Fatalf("no link %s on the page", sel)
	}
	return href
}

// markingClick clicks sel, waits for the page it leads to and returns its
// HTTP status.
func markingClick(t *testing.T, ctx context.Context, sel string) int64 {
	t.Helper()
	cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(cctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
	if resp == nil {
		t.Fatalf("click %s: no response", sel)
	}
	do(t, ctx, chromedp.WaitReady(chromedp.CSS("body")))
	return resp.Status
}

func TestMarkerMarksOnALaptopAndTheLeadAssignsAThird(t *testing.T) {
	t.Parallel()
	began := time.Now()
	a := startApp(t, func(a *app) {
		a.provim(nil, "demo", "--no-serve", "--db", a.dsn, "--students", "600", "--until", "vleresimi")
	}, markingDay2)
	t.Logf("the demo, marking under way: %.1fs", time.Since(began).Seconds())

	// (1) The marker, on a laptop: the marking's home, the queue, a
	// booklet, the marks, the queue again.
	ctx := browser(t)
	do(t, ctx, chromedp.EmulateViewport(1366, 768))
	login(t, ctx, a, "vleresues.d1", demoPassword)
	markingVisit(t, ctx, a, "/vleresimi", "")
	queue := markingLink(t, ctx, `#marking-exams a[href="/vleresimi/D1/radha"]`)
	markingVisit(t, ctx, a, queue, "vleresimi-radha-laptop.png")
	toMark := func() []string {
		return get(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#queue tbody a'), a => a.innerText.trim())`))
	}
	done := func() string {
		return get(t, ctx, chromedp.Evaluate[string](`document.querySelectorAll('#queue-stats .stat b')[1].innerText.trim()`))
	}
	codes, doneBefore := toMark(), done()
	if len(codes) < 2 {
		t.Fatalf("the marker's queue: %q", codes)
	}
	first := codes[0]
	booklet := markingLink(t, ctx, `#queue tbody a`)
	markingVisit(t, ctx, a, booklet, "vleresimi-broshura-laptop.png")
	mustContain(t, "the booklet's page", text(t, ctx, "h1"), first)
	// The form, as the marker reads it: a letter for a choice item among
	// its options, points within the item's maximum for an open one.
	type field struct {
		Name, Type, Max, Options string
	}
	fields := get(t, ctx, chromedp.Evaluate[[]field](`Array.from(document.querySelectorAll('#marking-form input[name^="k"]'), i => ({
		name: i.name, type: i.type, max: i.max, options: (i.parentElement.querySelector('.muted') || {innerText: ''}).innerText}))`))
	if len(fields) != 31 {
		t.Fatalf("the marking form has %d items, want D1's 31: %+v", len(fields), fields)
	}
	choice, open := 0, 0
	for i, f := range fields {
		var v string
		if f.Type == "number" {
			var max int
			if _, err := fmt.Sscan(f.Max, &max); err != nil || max < 1 {
				t.Fatalf("item %s: max %q", f.Name, f.Max)
			}
			v = fmt.Sprint(max / 2)
			open++
		} else {
			m := regexp.MustCompile(`\(([A-Z])–([A-Z])\)`).FindStringSubmatch(f.Options)
			if m == nil {
				t.Fatalf("item %s: options %q", f.Name, f.Options)
			}
			v = string(rune(m[1][0] + byte(i)%(m[2][0]-m[1][0]+1)))
			choice++
		}
		do(t, ctx, chromedp.SetValue(chromedp.CSS(`#marking-form input[name="`+f.Name+`"]`), v))
	}
	if choice != 20 || open != 11 {
		t.Fatalf("%d choice and %d open items, want 20 and 11", choice, open)
	}
	if st := markingClick(t, ctx, `#marking-form .actions button:not([name])`); st != http.StatusOK {
		t.Fatalf("submit the marks: HTTP %d", st)
	}
	if path := get(t, ctx, chromedp.Evaluate[string](`location.pathname`)); path != queue {
		t.Fatalf("after the marks: on %s, want the queue %s", path, queue)
	}
	mustContain(t, "the queue after the marks", text(t, ctx, "main"), "Testi "+first+" u vlerësua", "nënshkruar më")
	axeCheck(t, ctx, queue+" (after the marks)")
	fitsWidth(t, ctx, 1366)
	markingNoLeak(t, ctx, queue+" (after the marks)")
	after := toMark()
	for _, c := range after {
		if c == first {
			t.Fatalf("the queue still holds %s: %q", first, after)
		}
	}
	if len(after) != len(codes)-1 {
		t.Fatalf("the queue: %d booklets after marking one of %d", len(after), len(codes))
	}
	var nb, na int
	fmt.Sscan(doneBefore, &nb)
	fmt.Sscan(done(), &na)
	if na != nb+1 {
		t.Fatalf("marked: %d after, %d before", na, nb)
	}
	// The other marker's marks are the lead's to see, never a marker's.
	for _, path := range []string{"/vleresimi/D1/e-treta", "/vleresimi/D1/fleta/" + first + ".pdf"} {
		st := get(t, ctx, chromedp.Evaluate[int](`fetch(`+jsString(path)+`).then(r => r.status)`, chromedp.EvalAwaitPromise))
		if st != http.StatusForbidden && st != http.StatusNotFound {
			t.Errorf("the marker opens %s: HTTP %d", path, st)
		}
	}
	marker := apiToken(t, a.url, "vleresues.d1", demoPassword)
	for _, path := range []string{"/api/v1/marking/D1/third", "/api/v1/marking/D1/third/" + first, "/api/v1/marking/D1/sheets/" + first} {
		if st := apiCall(t, a.url, marker, "GET", path, nil, nil); st != http.StatusForbidden && st != http.StatusNotFound {
			t.Errorf("the marker's API %s: HTTP %d", path, st)
		}
	}
	t.Logf("the marker marked %s: %.1fs", first, time.Since(began).Seconds())

	// The demo's lead assigned every third at the end of the second day.
	// Where the marker's marks differ from the other marker's, the
	// booklet now waits for a third; where the other had not marked yet,
	// the other marks on paper, and AVA's two typists type the sheet in
	// (Neni 57.13), until a booklet waits.
	lead := apiToken(t, a.url, "pergjegjes.d1", demoPassword)
	type leadBooklet struct {
		State    string `json:"state"`
		Markings []struct {
			Round       int    `json:"round"`
			Username    string `json:"username"`
			SubmittedAt string `json:"submitted_at"`
		} `json:"markings"`
	}
	waiting := func() int {
		var list struct {
			Items []leadBooklet `json:"items"`
		}
		if st := apiCall(t, a.url, lead, "GET", "/api/v1/marking/D1/third", nil, &list); st != http.StatusOK {
			t.Fatalf("the third list: HTTP %d", st)
		}
		n := 0
		for _, b := range list.Items {
			third := false
			for _, m := range b.Markings {
				third = third || m.Round == 3
			}
			if !third {
				n++
			}
		}
		return n
	}
	if waiting() == 0 {
		a.provim([]string{"PROVIM_PASSWORD=" + demoPassword}, "user", "add", "--username", "ava.shtypja", "--name", "Shtypësi i dytë i AVA", "--role", "ava")
		typists := []string{apiToken(t, a.url, "ava", demoPassword), apiToken(t, a.url, "ava.shtypja", demoPassword)}
		choices, points := make([]string, 31), make([]int, 31)
		for i := range 20 {
			choices[i] = "D"
		}
		for i, code := range append([]string{first}, after...) {
			if i > 0 {
				mine := make([]int, 31)
				for j := 20; j < 31; j++ {
					mine[j] = 1
				}
				if st := apiCall(t, a.url, marker, "PUT", "/api/v1/marking/D1/booklets/"+code+"/marks", map[string]any{"choices": choices, "points": mine}, nil); st != http.StatusOK {
					t.Fatalf("mark %s by the API: HTTP %d", code, st)
				}
			}
			var b leadBooklet
			if st := apiCall(t, a.url, lead, "GET", "/api/v1/marking/D1/third/"+code, nil, &b); st != http.StatusOK {
				t.Fatalf("booklet %s for the lead: HTTP %d", code, st)
			}
			round := 0
			for _, m := range b.Markings {
				if m.Round <= 2 && m.Username != "vleresues.d1" && m.SubmittedAt == "" {
					round = m.Round
				}
			}
			if round == 0 { // the other has marked: the two agree, or they differ
				if waiting() > 0 {
					break
				}
				continue
			}
			for _, tok := range typists {
				if st := apiCall(t, a.url, tok, "POST", "/api/v1/marking/D1/paper", map[string]any{"code": code, "round": round, "choices": choices, "points": points}, nil); st != http.StatusOK {
					t.Fatalf("type the paper sheet of %s: HTTP %d", code, st)
				}
			}
			if waiting() > 0 {
				t.Logf("%s waits for a third: the other marker's paper sheet typed in", code)
				break
			}
		}
		if waiting() == 0 {
			t.Fatal("no booklet waits for a third marker")
		}
	}

	// (2) The lead: the marking's home, the third markers, both markings
	// of a booklet side by side, the suggestion assigned.
	lctx := browser(t)
	do(t, lctx, chromedp.EmulateViewport(1366, 768))
	login(t, lctx, a, "pergjegjes.d1", demoPassword)
	markingVisit(t, lctx, a, "/vleresimi", "")
	third := markingLink(t, lctx, `#marking-exams a[href="/vleresimi/D1/e-treta"]`)
	markingVisit(t, lctx, a, third, "vleresimi-e-treta-laptop.png")
	type marking struct {
		Round, Name string
		Cells       []string // the items' points and the total
	}
	type card struct {
		Code, Differ, Suggest string
		Head                  []string
		Rows                  []marking
	}
	cards := func(list string) []card {
		return get(t, lctx, chromedp.Evaluate[[]card](`Array.from(document.querySelectorAll('#`+list+` .third-booklet'), s => ({
			code: s.querySelector('h3').innerText.replace('Testi', '').trim(),
			differ: s.querySelector('p').innerText,
			suggest: (s.querySelector('.suggestion') || {innerText: ''}).innerText,
			head: Array.from(s.querySelectorAll('thead th'), th => th.innerText.trim()),
			rows: Array.from(s.querySelectorAll('tbody tr'), tr => ({round: tr.querySelector('.round').innerText.trim(), name: tr.querySelector('.name').innerText.trim(),
				cells: Array.from(tr.querySelectorAll('td'), td => td.innerText.trim())}))}))`))
	}
	ws := cards("third-waiting")
	if len(ws) == 0 {
		t.Fatal("the page lists no booklet waiting for a third")
	}
	c := ws[0]
	// Both markings side by side, each item a column, and they differ
	// on the items the page names.
	if len(c.Rows) != 2 || len(c.Head) != 1+31+1 || len(c.Rows[0].Cells) != 31+1 || len(c.Rows[1].Cells) != 31+1 ||
		c.Rows[0].Round != "I parë" || c.Rows[1].Round != "I dyti" {
		t.Fatalf("the markings of %s: %q %+v", c.Code, c.Head, c.Rows)
	}
	differ := regexp.MustCompile(`\d+`).FindAllString(c.Differ, -1)
	if len(differ) == 0 {
		t.Fatalf("%s: which items differ: %q", c.Code, c.Differ)
	}
	for _, it := range differ {
		for j, h := range c.Head {
			if h == it && j >= 1 && c.Rows[0].Cells[j-1] == c.Rows[1].Cells[j-1] {
				t.Errorf("%s: item %s said to differ, both give %s", c.Code, it, c.Rows[0].Cells[j-1])
			}
		}
	}
	m := regexp.MustCompile(`caktohet i propozuari, (.+) \(([a-z0-9._-]+)\)`).FindStringSubmatch(c.Suggest)
	if m == nil {
		t.Fatalf("%s: no suggested third: %q", c.Code, c.Suggest)
	}
	name, user := m[1], m[2]
	for _, r := range c.Rows {
		if r.Name == name {
			t.Fatalf("%s: the suggested third %s marked it already", c.Code, name)
		}
	}
	// The input left empty: the suggestion is assigned.
	form := `form[action="` + third + `/` + c.Code + `"]`
	do(t, lctx, chromedp.WaitVisible(chromedp.CSS(form+` input[name="vleresuesi"]`)))
	if st := markingClick(t, lctx, form+` button`); st != http.StatusOK {
		t.Fatalf("assign the third of %s: HTTP %d", c.Code, st)
	}
	if path := get(t, lctx, chromedp.Evaluate[string](`location.pathname`)); path != third {
		t.Fatalf("after the assignment: on %s, want %s", path, third)
	}
	mustContain(t, "the page after the assignment", text(t, lctx, "main"), "Testi "+c.Code+" iu caktua vlerësuesit të tretë «"+user+"»", "Neni 57.14")
	axeCheck(t, lctx, third+" (after the assignment)")
	fitsWidth(t, lctx, 1366)
	markingNoLeak(t, lctx, third+" (after the assignment)")
	for _, w := range cards("third-waiting") {
		if w.Code == c.Code {
			t.Fatalf("%s still waits for a third", c.Code)
		}
	}
	assigned := false
	for _, x := range cards("third-assigned") {
		if x.Code == c.Code {
			assigned = len(x.Rows) == 3 && x.Rows[2].Round == "I treti" && x.Rows[2].Name == name
			if !assigned {
				t.Fatalf("%s assigned: %q", c.Code, x.Rows)
			}
		}
	}
	if !assigned {
		t.Fatalf("%s is not among the booklets with a third", c.Code)
	}
	if !strings.Contains(text(t, lctx, "#third-assigned"), "Vlerësuesi i tretë: "+name) {
		t.Fatalf("%s: the page does not name the third %s", c.Code, name)
	}
	t.Logf("the lead assigned %s to %s: %.1fs in all", c.Code, user, time.Since(began).Seconds())
}
