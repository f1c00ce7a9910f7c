package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"text/tabwriter"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/results"
	"provim/internal/store"
	"provim/internal/web"
	"provim/internal/web/webkit"
	"provim/internal/wire"
)

// The results-night targets (issue 15 item 4): a candidate's results page
// serves at least half of what a hello-world net/http server serves on
// the same machine in the same run, p99 under 50 ms, no error, with every
// candidate of the country logged in (35,000, and 1,000,000 synthetic).
const (
	resultsRatio = 0.5
	resultsP99   = 50 * time.Millisecond
	resultsPage  = "/rezultatet"
	resultsAPI   = "/api/v1/results/me"
	maxSynthetic = 2000000
)

// resultsRun is what --results drives.
type resultsRun struct {
	seed                int64
	students, synthetic int
	servers, clients    int
	duration            time.Duration
	runs                int
	check               bool
	target              string // the database, to open once per server
}

// resultsEvening is the synthetic country's moment: the evening of
// publication, when every candidate looks.
var resultsEvening = time.Date(DemoYear, 6, 26, 20, 0, 0, 0, clock.Tirana)

// resultsLoadtest builds the country (the demo's, or --synthetic N
// candidates), logs every candidate in (auth.LoadSessions), serves it
// from --servers stateless servers over the one database, and drives
// GET /rezultatet as each candidate in turn, beside the hello-world
// reference, in rounds.
func resultsLoadtest(ctx context.Context, db *store.DB, run resultsRun, stdout io.Writer) error {
	engine := string(db.Dialect)
	t := clock.StartTimer()
	var ids []int64
	var at time.Time
	var err error
	if run.synthetic > 0 {
		fmt.Fprintf(stdout, "Po shkruhen %d kandidatë sintetikë me faqet e rezultateve (%s, në bllok) …\n", run.synthetic, engine)
		ids, err = syntheticResults(ctx, db, run.synthetic)
		at = resultsEvening
	} else {
		fmt.Fprintf(stdout, "Po ndërtohet demonstrimi deri te rezultatet e publikuara (%d maturantë, %s) …\n", run.students, engine)
		ids, at, err = demoResults(ctx, db, run)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d kandidatë me faqe rezultatesh gati për %.1f s.\n", len(ids), t.Elapsed().Seconds())
	if len(ids) == 0 {
		return errors.New("asnjë kandidat me rezultate të publikuara")
	}

	t = clock.StartTimer()
	clk := clock.Fixed(at)
	sessions, tokens, err := wire.New(db, clk).Auth.LoadSessions(ctx, ids)
	if err != nil {
		return err
	}
	logins := make([]resultsLogin, len(ids))
	for i, id := range ids {
		logins[i] = resultsLogin{id: id, cookie: webkit.SessionCookie + "=" + sessions[i], bearer: "Bearer " + tokens[i]}
	}
	sessions, tokens = nil, nil
	fmt.Fprintf(stdout, "%d kandidatë të hyrë në %.1f s (një llogari, një sesion dhe një token API secili, auth.LoadSessions).\n", len(logins), t.Elapsed().Seconds())

	bases, kept, stop, err := resultsServers(ctx, db, run, clk)
	if err != nil {
		return err
	}
	defer stop()
	hello, stopHello, err := listen(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "Hello, world!\n") }))
	if err != nil {
		return err
	}
	defer stopHello()
	if err := resultsOpen(bases, logins); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d server(a) pa gjendje mbi një bazë; një mostër kandidatësh e hap faqen e vet në secilin.\n\n", len(bases))

	// One cursor over the candidates for every measurement: each goes on
	// where the last stopped, so that a server's kept pages
	// (results.PageCacheLag) serve only a candidate who looks again.
	next := &resultsCursor{}
	drive(hello, []string{"/"}, nil, run.clients, time.Second/2)
	driveResults(bases, resultsPage, logins, next, run.clients, time.Second)
	driveResults(bases, resultsAPI, logins, next, run.clients, time.Second/2)
	missed := 0
	for round := 1; round <= run.runs; round++ {
		if run.runs > 1 {
			fmt.Fprintf(stdout, "Matja %d nga %d\n", round, run.runs)
		}
		var results []pageResult
		results = append(results, drive(hello, []string{"/"}, nil, run.clients, run.duration)...)
		results = append(results, driveResults(bases, resultsPage, logins, next, run.clients, run.duration))
		results = append(results, drive(hello, []string{"/"}, nil, run.clients, run.duration)...)
		results = append(results, driveResults(bases, resultsAPI, logins, next, run.clients, run.duration))
		results = append(results, drive(hello, []string{"/"}, nil, run.clients, run.duration)...)
		missed += reportResults(stdout, engine, run, len(logins), len(bases), results)
		reportKept(stdout, kept())
		fmt.Fprintln(stdout)
	}
	if run.check && missed > 0 {
		return exitError{1, "faqja e rezultateve nuk i arriti objektivat"}
	}
	return nil
}

// syntheticResults writes n candidates straight into an empty database,
// in bulk, through the owners: the year (examyear), the students
// (registry.LoadStudents), their published pages (results.LoadPages).
func syntheticResults(ctx context.Context, db *store.DB, n int) ([]int64, error) {
	svcs := wire.New(db, clock.Fixed(resultsEvening))
	ava := &auth.Principal{Username: "loadtest", FullName: "Prova e ngarkesës", Role: auth.RoleAVA}
	if err := svcs.Years.EnsureDefault(ctx); err != nil {
		return nil, err
	}
	if _, err := svcs.Years.Create(ctx, ava, DemoYear, "Matura Shtetërore 2027 (ngarkesa)", 2009); err != nil {
		return nil, fmt.Errorf("the synthetic year (an empty database is needed): %w", err)
	}
	if err := svcs.Years.SetActive(ctx, ava, DemoYear); err != nil {
		return nil, err
	}
	ids, err := svcs.Registry.LoadStudents(ctx, n)
	if err != nil {
		return nil, err
	}
	names := []string{"Arbër", "Ëndrit", "Besa", "Dorina", "Gëzim", "Çlirim", "Jonida", "Klea", "Luan", "Mirela"}
	err = svcs.Results.LoadPages(ctx, DemoYear, ids, func(id int64) string { return names[id%10] + " (Kandidat) " + fmt.Sprint(id) })
	if err != nil {
		return nil, err
	}
	// As publication does, each page's content is prepared as HTML with
	// the web area's template (results.SetPageRenderer).
	if _, err := svcs.Results.PreparePagesHTML(ctx, DemoYear); err != nil {
		return nil, err
	}
	return ids, db.AnalyzeTables(ctx, "students", "results_pages", "results_page_html")
}

// resultsServers starts run.servers servers, each over its own connection
// pool to the one database (the first reuses db), on free loopback ports.
func resultsServers(ctx context.Context, db *store.DB, run resultsRun, clk clock.Clock) ([]string, func() results.PageCacheStats, func(), error) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	var bases []string
	var stops []func()
	var services []*results.Service
	kept := func() results.PageCacheStats {
		var sum results.PageCacheStats
		for _, s := range services {
			st := s.PageCacheStats()
			sum.Pages, sum.Bytes, sum.Hits, sum.Misses = sum.Pages+st.Pages, sum.Bytes+st.Bytes, sum.Hits+st.Hits, sum.Misses+st.Misses
		}
		return sum
	}
	stop := func() {
		for _, s := range stops {
			s()
		}
	}
	for i := range run.servers {
		sdb := db
		if i > 0 {
			var err error
			if sdb, err = store.Open(ctx, run.target); err != nil {
				stop()
				return nil, nil, nil, err
			}
			stops = append(stops, func() { sdb.Close() })
		}
		wired := wire.New(sdb, clk)
		services = append(services, wired.Results)
		srv, err := web.New(wired, quiet)
		if err != nil {
			stop()
			return nil, nil, nil, err
		}
		base, s, err := listen(srv.Handler())
		if err != nil {
			stop()
			return nil, nil, nil, err
		}
		bases, stops = append(bases, base), append(stops, s)
	}
	return bases, kept, stop, nil
}

// resultsCursor is the next candidate to look, shared by every
// measurement of a run.
type resultsCursor struct{ n atomic.Int64 }

// reportKept prints what the servers keep of the pages and how often a
// request was answered from it.
func reportKept(w io.Writer, st results.PageCacheStats) {
	share := 0.0
	if st.Hits+st.Misses > 0 {
		share = 100 * float64(st.Hits) / float64(st.Hits+st.Misses)
	}
	fmt.Fprintf(w, "Faqe të mbajtura në kujtesë nga serverët: %d (%.0f MB); kërkesa të përgjigjura prej saj: %.1f%% (%d nga %d, që nga nisja).\n",
		st.Pages, float64(st.Bytes)/(1<<20), share, st.Hits, st.Hits+st.Misses)
}

// resultsLogin is one candidate logged in: the session cookie of the
// page, the bearer token of the API.
type resultsLogin struct {
	id             int64
	cookie, bearer string
}

// resultsOpen checks, before measuring, that a sample of candidates spread
// over the country open their own page, and its JSON, on every server.
func resultsOpen(bases []string, logins []resultsLogin) error {
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	step := max(1, len(logins)/50)
	for i := 0; i < len(logins); i += step {
		for _, base := range bases {
			for _, p := range []string{resultsPage, resultsAPI} {
				req, _ := http.NewRequest(http.MethodGet, base+p, nil)
				req.Header.Set("Cookie", logins[i].cookie)
				if p == resultsAPI {
					req.Header = http.Header{"Authorization": {logins[i].bearer}}
				}
				resp, err := client.Do(req)
				if err != nil {
					return err
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), "Rezultatet") && !strings.Contains(string(b), `"reg_no"`) {
					return fmt.Errorf("candidate %d on %s%s: %s %.200s", logins[i].id, base, p, resp.Status, b)
				}
			}
		}
	}
	return nil
}

// driveResults sends GET page (the UI page with the cookie, the API with
// the token) from clients concurrent clients, as fast as they are
// answered, for d: request i goes as candidate i (round robin over every
// candidate logged in) to server i mod servers.
func driveResults(bases []string, page string, logins []resultsLogin, next *resultsCursor, clients int, d time.Duration) pageResult {
	targeter := func(t *vegeta.Target) error {
		i := int(next.n.Add(1) - 1)
		l := logins[i%len(logins)]
		t.Method, t.URL = http.MethodGet, bases[i%len(bases)]+page
		if page == resultsAPI {
			t.Header = http.Header{"Authorization": {l.bearer}}
		} else {
			t.Header = http.Header{"Cookie": {l.cookie}}
		}
		return nil
	}
	atk := vegeta.NewAttacker(vegeta.Workers(uint64(clients)), vegeta.MaxWorkers(uint64(clients)),
		vegeta.Connections(clients), vegeta.MaxBody(0), vegeta.Redirects(vegeta.NoFollow), vegeta.Timeout(10*time.Second))
	var m vegeta.Metrics
	r := pageResult{page: "GET " + page}
	for res := range atk.Attack(vegeta.Targeter(targeter), vegeta.ConstantPacer{}, d, "provim") {
		m.Add(res)
		if res.Code != http.StatusOK || res.Error != "" {
			r.errors++
			if r.firstError == "" {
				r.firstError = fmt.Sprintf("%d %s", res.Code, res.Error)
			}
		}
	}
	m.Close()
	r.requests, r.rps = int(m.Requests), float64(m.Requests)/m.Duration.Seconds()
	r.p50, r.p99, r.max = m.Latencies.P50, m.Latencies.P99, m.Latencies.Max
	return r
}

// reportResults prints the round's table (hello, results page, hello) and
// returns 1 when the page misses a target. The ratio is to the mean of the
// two hello-world runs around it.
func reportResults(w io.Writer, engine string, run resultsRun, candidates, servers int, rs []pageResult) int {
	fmt.Fprintf(w, "Baza: %s · %d kandidatë të hyrë · %d server(a) · %d klientë · %s për matje · GOMAXPROCS %d, %d CPU · ngarkesa e makinës (loadavg): %s\n",
		engine, candidates, servers, run.clients, run.duration, runtime.GOMAXPROCS(0), runtime.NumCPU(), loadAverage())
	fmt.Fprintf(w, "Objektivat: ≥ %.0f%% e hello-world (mesatarja e matjeve para dhe pas), p99 < %s, 0 gabime.\n\n", resultsRatio*100, resultsP99)
	isHello := func(r pageResult) bool { return strings.HasPrefix(r.page, "hello-world") }
	ref := make([]float64, len(rs))
	for i := range rs {
		var sum float64
		var n int
		for _, j := range []int{i - 1, i + 1} {
			if j >= 0 && j < len(rs) && isHello(rs[j]) {
				sum, n = sum+rs[j].rps, n+1
			}
		}
		if n > 0 {
			ref[i] = sum / float64(n)
		}
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "FAQJA\tKËRKESA\tKËRKESA/s\tp50\tp99\tmaks\tGABIME\tNDAJ HELLO\tOBJEKTIVAT\t")
	missed := 0
	for i, r := range rs {
		ratio, verdict := "", ""
		if !isHello(r) {
			ratio, verdict = fmt.Sprintf("%.1f%%", 100*r.rps/ref[i]), "po"
			if r.rps < resultsRatio*ref[i] || r.p99 >= resultsP99 || r.errors > 0 || r.requests == 0 {
				verdict, missed = "JO", missed+1
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%s\t%s\t%s\t%d\t%s\t%s\t\n", r.page, r.requests, r.rps, ms(r.p50), ms(r.p99), ms(r.max), r.errors, ratio, verdict)
	}
	tw.Flush()
	for _, r := range rs {
		if r.errors > 0 {
			fmt.Fprintf(w, "  %s: gabimi i parë: %s\n", r.page, r.firstError)
		}
	}
	return missed
}
