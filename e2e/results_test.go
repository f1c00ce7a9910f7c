package e2e

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Issue 15, "Done means": on the day after the session's last publication
// (the demo's stop "rezultatet": every exam published, the certificates
// issued, the 4 days of the re-marking requests open, Neni 64) a
// candidate on a phone sees their results and files a re-marking request
// with the number of the fee's receipt; anyone, without an account,
// verifies a certificate by its number and the holder's personal number.
// Every page is checked with axe-core.

// resultsDemo is what the demo printed: the moment it stopped, the
// candidate with results and a certificate, and that certificate.
type resultsDemo struct {
	today      string // PROVIM_TODAY=…
	student    string
	cert, pers string // certificate number, the holder's personal number
}

var (
	demoStop    = regexp.MustCompile(`Demonstrimi ndalon më (\d\d)\.(\d\d)\.(\d{4}) (\d\d:\d\d)`)
	demoStudent = regexp.MustCompile(`(?m)^\s+(nxenes\.\S+)\s+Maturant`)
	demoCert    = regexp.MustCompile(`nr\. (MS-\S+) me nr\. personal (\S+)`)
)

func parseResultsDemo(t *testing.T, out string) resultsDemo {
	t.Helper()
	stop, cert := demoStop.FindStringSubmatch(out), demoCert.FindStringSubmatch(out)
	students := demoStudent.FindAllStringSubmatch(out, -1)
	if stop == nil || cert == nil || len(students) == 0 {
		t.Fatalf("the demo's output names no stop, candidate or certificate:\n%s", out)
	}
	// The last candidate printed is the one with results and certificate.
	return resultsDemo{
		today:   fmt.Sprintf("PROVIM_TODAY=%s-%s-%sT%s", stop[3], stop[2], stop[1], stop[4]),
		student: students[len(students)-1][1], cert: cert[1], pers: cert[2],
	}
}

// startResultsDemo serves the demo stopped at "rezultatet" on a small
// country, on the moment it stopped: built once for the results day's
// journeys, which share it (one reads, one files a request).
func startResultsDemo(t *testing.T) (*app, resultsDemo) {
	began := time.Now()
	var out string
	a := startApp(t, func(a *app) {
		out = a.provim(nil, "demo", "--no-serve", "--students", "600", "--until", "rezultatet", "--db", a.dsn)
	})
	t.Logf("the demo to the results: %.1fs", time.Since(began).Seconds())
	d := parseResultsDemo(t, out)
	a.serve(d.today)
	return a, d
}

// TestResultsDay runs the results day's journeys on one demo build (the
// costliest of the browser tests): the candidate on a phone, and anyone
// checking a certificate.
func TestResultsDay(t *testing.T) {
	t.Parallel()
	a, d := startResultsDemo(t)
	t.Run("CandidateOnAPhoneSeesResultsAndFilesARemark", func(t *testing.T) {
		t.Parallel()
		candidateOnAPhoneSeesResultsAndFilesARemark(t, a, d)
	})
	t.Run("AnyoneVerifiesACertificate", func(t *testing.T) {
		t.Parallel()
		anyoneVerifiesACertificate(t, a, d)
	})
}

// resultsVisit opens a page on the phone: 200, within 390 px, axe-core.
func resultsVisit(t *testing.T, ctx context.Context, a *app, path, shot string) {
	t.Helper()
	if st := visit(t, ctx, a, path, shot); st != http.StatusOK {
		t.Fatalf("%s: HTTP %d", path, st)
	}
	fitsWidth(t, ctx, 390)
}

var remarkUntil = regexp.MustCompile(`Rivlerësim mund të kërkoni deri më (\d\d\.\d\d\.\d{4})`)

func candidateOnAPhoneSeesResultsAndFilesARemark(t *testing.T, a *app, d resultsDemo) {
	ctx := journeyBrowser(t)
	phone(t, ctx)
	login(t, ctx, a, d.student, demoPassword)

	// (1) The results: points, grade and pass of every exam, and the last
	// day of the re-marking's requests (Neni 64: 4 days after the
	// publication).
	resultsVisit(t, ctx, a, "/rezultatet", "rezultatet-telefon.png")
	type exam struct{ Title, Stats, Note string }
	exams := get(t, ctx, chromedp.Evaluate[[]exam](`Array.from(document.querySelectorAll('.results-exam'), s => ({
		title: s.querySelector('h2').innerText.trim(), stats: (s.querySelector('.stats') || {innerText: ''}).innerText.replace(/\s+/g, ' '),
		note: s.querySelector('p.muted').innerText.replace(/\s+/g, ' ')}))`))
	if len(exams) < 4 {
		t.Fatalf("the candidate's results show %d exams, want D1, D2 and two electives: %+v", len(exams), exams)
	}
	stats := regexp.MustCompile(`^\d+/\d+ pikë (\d+) nota (Kalues|Jokalues) rezultati$`)
	until := map[string]string{} // exam code → the last day of its requests
	for _, e := range exams {
		if m := remarkUntil.FindStringSubmatch(e.Note); m != nil {
			until[strings.Fields(e.Title)[0]] = m[1]
		}
		if m := stats.FindStringSubmatch(strings.TrimSpace(e.Stats)); m == nil {
			t.Errorf("%s: the result reads %q, want points, grade and pass", e.Title, e.Stats)
		} else if g, _ := strconv.Atoi(m[1]); g < 4 || g > 10 {
			t.Errorf("%s: grade %d outside 4–10", e.Title, g)
		}
		if remarkUntil.FindString(e.Note) == "" {
			t.Errorf("%s: no last day of the re-marking's requests in %q", e.Title, e.Note)
		}
	}

	// (2) The re-marking: an exam still open takes a request with the
	// receipt's number; the page then shows its status.
	resultsVisit(t, ctx, a, "/rivleresimi", "rivleresimi-telefon.png")
	field := get(t, ctx, chromedp.Evaluate[string](`(document.querySelector('input[name="mandati"]') || {id: ''}).id`))
	if field == "" {
		t.Fatal("no exam of the candidate takes a re-marking request on the day after the publication")
	}
	examCode := strings.TrimPrefix(field, "mandati-")
	// The re-marking's page names the same last day as the results page.
	if until[examCode] == "" {
		t.Fatalf("the results page names no last day for %s: %v", examCode, until)
	}
	mustContain(t, "the request form", text(t, ctx, "#exam-"+examCode), "Afati i fundit: "+until[examCode])
	// A receipt number with too few digits is refused, naming the field.
	do(t, ctx, chromedp.SendKeys(chromedp.ID(field), "MA-12X"))
	if st := submit(t, ctx, chromedp.ID(field)); st != http.StatusOK && st != http.StatusUnprocessableEntity && st != http.StatusBadRequest {
		t.Fatalf("a bad receipt: HTTP %d", st)
	}
	mustContain(t, "a bad receipt", text(t, ctx, "main"), "Numri i mandat-arkëtimit")
	resultsVisit(t, ctx, a, "/rivleresimi", "")
	do(t, ctx, chromedp.SendKeys(chromedp.ID(field), "ma 2027 004512"))
	if st := submit(t, ctx, chromedp.ID(field)); st != http.StatusOK {
		t.Fatalf("file the request: HTTP %d", st)
	}
	axeCheck(t, ctx, "/rivleresimi after the request")
	fitsWidth(t, ctx, 390)
	screenshot(t, ctx, "rivleresimi-kerkesa-telefon.png")
	main := text(t, ctx, "main")
	mustContain(t, "the page after the request", main, "u paraqit (mandati MA2027004512)")
	status := text(t, ctx, "#exam-"+examCode+" h3")
	mustContain(t, "the request's status", status, "Kërkesa për rivlerësim:")
	if get(t, ctx, chromedp.Evaluate[bool](`!!document.querySelector('#mandati-`+examCode+`')`)) {
		t.Errorf("the form to file is still offered for %s after the request", examCode)
	}
	// Reloaded, the status stays.
	resultsVisit(t, ctx, a, "/rivleresimi", "")
	mustContain(t, "the request's status, reloaded", text(t, ctx, "#exam-"+examCode+" h3"), strings.TrimSpace(status))
}

func anyoneVerifiesACertificate(t *testing.T, a *app, d resultsDemo) {
	ctx := journeyBrowser(t)
	check := func(number, personal string) (status, answer string) {
		t.Helper()
		if st := visit(t, ctx, a, "/vertetimi", ""); st != http.StatusOK {
			t.Fatalf("/vertetimi: HTTP %d", st)
		}
		do(t, ctx, chromedp.SendKeys(chromedp.ID("numri"), number), chromedp.SendKeys(chromedp.ID("numri_personal"), personal))
		if st := submit(t, ctx, chromedp.ID("numri_personal")); st != http.StatusOK {
			t.Fatalf("check %s: HTTP %d", number, st)
		}
		axeCheck(t, ctx, "/vertetimi, the answer for "+number)
		return get(t, ctx, chromedp.Evaluate[string](`document.querySelector('#certificate-answer').dataset.status`)),
			strings.Join(strings.Fields(text(t, ctx, "#certificate-answer")), " ")
	}
	// No login: the number and the holder's personal number, in lower case
	// as a person may type it.
	st, ans := check(d.cert, strings.ToLower(d.pers))
	if st != "i vlefshëm" {
		t.Fatalf("the certificate %s with its holder's personal number: %q %q", d.cert, st, ans)
	}
	mustContain(t, "the valid answer", ans, d.cert, "Matura Shtetërore 2027", "D1", "D2")
	screenshot(t, ctx, "vertetimi-i-vlefshem.png")
	// A wrong personal number gets the same answer as a number that does
	// not exist: nothing of the holder.
	wrong := "K00000000A"
	if wrong == d.pers {
		wrong = "K00000001A"
	}
	st1, ans1 := check(d.cert, wrong)
	st2, ans2 := check("MS-2027-9999999-Z", d.pers)
	if st1 != st2 || ans1 != ans2 {
		t.Fatalf("a wrong personal number %q %q, an unknown number %q %q: want the same answer", st1, ans1, st2, ans2)
	}
	if strings.Contains(ans1, d.cert) || st1 == "i vlefshëm" || st1 == "i revokuar" {
		t.Fatalf("a wrong personal number tells of the certificate: %q %q", st1, ans1)
	}
	// The public revocation list opens, without login.
	if st := visit(t, ctx, a, "/certifikata/revokuar", "certifikata-revokuar.png"); st != http.StatusOK {
		t.Fatalf("/certifikata/revokuar: HTTP %d", st)
	}
	mustContain(t, "the revocation list", text(t, ctx, "h1"), "revokuara")
	if !get(t, ctx, chromedp.Evaluate[bool](`!!document.querySelector('#certificate-revoked, #certificate-revoked-none')`)) {
		t.Fatal("the revocation list shows neither a list nor that it is empty")
	}
}
