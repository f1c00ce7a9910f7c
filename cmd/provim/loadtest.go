package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/demo"
	"provim/internal/registry"
	"provim/internal/store"
	"provim/internal/web"
	"provim/internal/web/webkit"
	"provim/internal/wire"
)

// The load test's targets (issue 12): on 2 cores with 32 clients every
// student page serves at least a quarter of what a hello-world net/http
// server serves on the same machine in the same run, with p99 under 50 ms
// and no error.
const (
	targetRatio = 0.25
	targetP99   = 50 * time.Millisecond
)

// loadPages are the pages a candidate opens; {id} is the student's id.
var loadPages = []string{"/paneli", "/qendra-ime", "/formulari", "/formulari/a2", "/formulari/deshmi", "/nxenesit/{id}"}

func cmdLoadtest(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := fs.String("db", "", "database for the demo: an empty postgres://… (default: SQLite in a temporary directory)")
	students := fs.Int("students", 35000, "maturants of the demo country (500 to 200000)")
	accounts := fs.Int("accounts", 100, "distinct students logged in and driven (1 to 5000)")
	clients := fs.Int("clients", 32, "concurrent clients (1 to 256; with --marking up to 500, default 300)")
	duration := fs.Duration("duration", 5*time.Second, "how long each page is driven (up to 60s)")
	seed := fs.Int64("seed", 20270601, "seed of the demo data")
	runs := fs.Int("runs", 1, "rounds of every page, each with its table, on the one demo (1 to 5)")
	check := fs.Bool("check", false, "exit with an error when a page misses the targets")
	markingScenario := fs.Bool("marking", false, "the marking scenario instead: D1's markers enter marks at once (PUT of each booklet of their queues, once)")
	markers := fs.Int("markers", 300, "with --marking: the qualified markers of D1 driven, at most (1 to 5000; the demo has about 176)")
	resultsScenario := fs.Bool("results", false, "the results-night scenario instead: every candidate logged in opens GET /rezultatet (loadtest_results.go)")
	synthetic := fs.Int("synthetic", 0, "with --results: this many synthetic candidates written in bulk in place of the demo (1 to 2000000)")
	servers := fs.Int("servers", 1, "with --results: stateless servers over the one database, requests alternating (1 to 4)")
	checkinsScenario := fs.Bool("checkins", false, "the check-in scenario instead: every listed candidate of D1 checked in from every room at once, over the API (loadtest_checkins.go)")
	retries := fs.Bool("retries", true, "with --checkins: send each check-in a second time with the same idempotency key, after its answer (a device retrying)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run (the servers, the load and hello-world) to this file (go tool pprof)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	maxClients := 256
	if *markingScenario {
		maxClients = 500
		set := false
		fs.Visit(func(f *flag.Flag) { set = set || f.Name == "clients" })
		if !set {
			*clients = 300
		}
	}
	switch {
	case *students < 500 || *students > 200000:
		return fmt.Errorf("--students %d: between 500 and 200000", *students)
	case *accounts < 1 || *accounts > 5000:
		return fmt.Errorf("--accounts %d: between 1 and 5000", *accounts)
	case *clients < 1 || *clients > maxClients:
		return fmt.Errorf("--clients %d: between 1 and %d", *clients, maxClients)
	case *markers < 1 || *markers > 5000:
		return fmt.Errorf("--markers %d: between 1 and 5000", *markers)
	case *duration <= 0 || *duration > time.Minute:
		return fmt.Errorf("--duration %s: more than 0 and at most 1m", *duration)
	case *runs < 1 || *runs > 5:
		return fmt.Errorf("--runs %d: between 1 and 5", *runs)
	}
	target := dbFlag(*dsn)
	if target == "" {
		dir, err := os.MkdirTemp("", "provim-loadtest-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		target = "sqlite:" + filepath.Join(dir, "demo.db")
	}
	db, err := store.Open(ctx, target)
	if err != nil {
		return err
	}
	defer db.Close()
	engine := string(db.Dialect)
	if *resultsScenario {
		if *synthetic < 0 || *synthetic > maxSynthetic || *servers < 1 || *servers > 4 {
			return fmt.Errorf("--synthetic %d (0 to %d), --servers %d (1 to 4)", *synthetic, maxSynthetic, *servers)
		}
		return resultsLoadtest(ctx, db, resultsRun{seed: *seed, students: *students, synthetic: *synthetic, servers: *servers,
			clients: *clients, duration: *duration, runs: *runs, check: *check, target: target}, stdout)
	}
	if *checkinsScenario {
		return checkinsLoadtest(ctx, db, checkinsRun{seed: *seed, students: *students, clients: *clients, retries: *retries, duration: *duration, check: *check}, stdout)
	}
	if *markingScenario {
		return markingLoadtest(ctx, db, markingRun{seed: *seed, students: *students, markers: *markers, clients: *clients, duration: *duration, check: *check}, stdout)
	}

	t := clock.StartTimer()
	fmt.Fprintf(stdout, "Po ndërtohet demonstrimi (%d maturantë, %s) …\n", *students, engine)
	if _, err := buildDemo(ctx, wire.New(db, clock.Fixed(clock.Real{}.Now())), *seed, *students, "", func(string) {}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Demonstrimi gati për %.1f s.\n", t.Elapsed().Seconds())

	day, err := parseToday(demo.Today(DemoYear))
	if err != nil {
		return err
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	svcs := wire.New(db, day.clock())
	srv, err := web.New(svcs, quiet)
	if err != nil {
		return err
	}
	provim, hello, stop, err := listenWithHello(srv.Handler())
	if err != nil {
		return err
	}
	defer stop()

	t = clock.StartTimer()
	logins, err := loginStudents(ctx, svcs, provim, *accounts)
	if err != nil {
		return err
	}
	logins, dropped := everyPageOpens(provim, logins)
	fmt.Fprintf(stdout, "%d nxënës të hyrë në %.1f s (llogari të reja, hyrje me fjalëkalim); %d të tjerë lënë jashtë: një faqe e tyre nuk hapet (p.sh. pa formular A1).\n\n",
		len(logins), t.Elapsed().Seconds(), dropped)
	if len(logins) == 0 {
		return errors.New("asnjë nxënës me të gjitha faqet")
	}

	// A short warm-up, so the first page does not pay for cold caches.
	drive(hello, []string{"/"}, nil, *clients, time.Second/2)
	drive(provim, loadPages, logins, *clients, time.Second)

	// The hello-world reference runs before every page and once after the
	// last, and each page is compared with the two runs around it: on a
	// machine whose load changes, a page meets the reference of its moment.
	// Each round (--runs) measures every page again, with a table of its own.
	missed := 0
	for round := 1; round <= *runs; round++ {
		if *runs > 1 {
			fmt.Fprintf(stdout, "Matja %d nga %d\n", round, *runs)
		}
		var results []pageResult
		for _, p := range loadPages {
			results = append(results, drive(hello, []string{"/"}, nil, *clients, *duration)...)
			results = append(results, drive(provim, []string{p}, logins, *clients, *duration)...)
		}
		results = append(results, drive(hello, []string{"/"}, nil, *clients, *duration)...)
		missed += report(stdout, engine, *clients, *duration, results)
		fmt.Fprintln(stdout)
	}
	if *check && missed > 0 {
		return exitError{1, fmt.Sprintf("%d faqe nuk i arritën objektivat", missed)}
	}
	return nil
}

// listenWithHello serves h and, beside it, the hello-world reference on
// free loopback ports; stop ends both.
func listenWithHello(h http.Handler) (provim, hello string, stop func(), err error) {
	provim, stopProvim, err := listen(h)
	if err != nil {
		return "", "", nil, err
	}
	hello, stopHello, err := listen(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "Hello, world!\n")
	}))
	if err != nil {
		stopProvim()
		return "", "", nil, err
	}
	return provim, hello, func() { stopHello(); stopProvim() }, nil
}

// listen serves h on a free loopback port and returns its base URL.
func listen(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	go hs.Serve(ln)
	return "http://" + ln.Addr().String(), func() { hs.Close() }, nil
}

// studentLogin is one logged-in student: their id and session cookie.
type studentLogin struct {
	id     int64
	cookie string
}

const loadPassword = "ngarkese-prove-2027"

// loginStudents creates accounts for n maturants spread over the registry
// (through package auth, as AVA would) and logs each in over HTTP.
func loginStudents(ctx context.Context, svcs *wire.Services, base string, n int) ([]studentLogin, error) {
	ava := &auth.Principal{Username: "loadtest", FullName: "Prova e ngarkesës", Role: auth.RoleAVA}
	_, total, err := svcs.Registry.ListStudents(ctx, ava, registry.StudentFilter{Category: registry.Maturant, Page: registry.Page{Limit: 1}})
	if err != nil {
		return nil, err
	}
	if total < n {
		n = total
	}
	var picked []registry.Student
	step := total / n
	for i := 0; len(picked) < n; i++ {
		st, _, err := svcs.Registry.ListStudents(ctx, ava, registry.StudentFilter{Category: registry.Maturant, Page: registry.Page{Limit: 1, Offset: i * step}})
		if err != nil {
			return nil, err
		}
		if len(st) == 0 {
			break
		}
		picked = append(picked, st[0])
	}
	out := make([]studentLogin, len(picked))
	errs := make([]error, len(picked))
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var wg sync.WaitGroup
	next := make(chan int)
	for range 4 { // the password hashes run four at a time anyway
		wg.Go(func() {
			for i := range next {
				out[i], errs[i] = loginOne(ctx, svcs, client, base, picked[i])
			}
		})
	}
	for i := range picked {
		next <- i
	}
	close(next)
	wg.Wait()
	return out, errors.Join(errs...)
}

func loginOne(ctx context.Context, svcs *wire.Services, client *http.Client, base string, st registry.Student) (studentLogin, error) {
	name := fmt.Sprintf("ngarkese.%d", st.ID)
	if _, err := svcs.Auth.CreateUser(ctx, nil, auth.NewUser{Username: name, FullName: st.FirstName + " " + st.LastName,
		Password: loadPassword, Role: auth.RoleStudent, StudentID: st.ID}); err != nil {
		return studentLogin{}, err
	}
	resp, err := client.PostForm(base+"/hyrje", url.Values{"username": {name}, "password": {loadPassword}})
	if err != nil {
		return studentLogin{}, err
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == webkit.SessionCookie && c.Value != "" {
			return studentLogin{id: st.ID, cookie: c.Name + "=" + c.Value}, nil
		}
	}
	return studentLogin{}, fmt.Errorf("login %s: %s without a session", name, resp.Status)
}

// everyPageOpens keeps the students for whom every load page answers 200
// (a maturant who never filed A1 has no receipt), and counts the others.
func everyPageOpens(base string, logins []studentLogin) ([]studentLogin, int) {
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var kept []studentLogin
	for _, l := range logins {
		ok := true
		for _, p := range loadPages {
			req, _ := http.NewRequest(http.MethodGet, base+strings.ReplaceAll(p, "{id}", fmt.Sprint(l.id)), nil)
			req.Header.Set("Cookie", l.cookie)
			resp, err := client.Do(req)
			if err != nil {
				ok = false
				break
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, l)
		}
	}
	return kept, len(logins) - len(kept)
}

// pageResult is what one page served under load.
type pageResult struct {
	page          string
	requests      int
	rps           float64
	p50, p99, max time.Duration
	errors        int
	firstError    string
}

// drive sends requests to the pages from clients concurrent clients, as
// fast as they are answered, for d: each request goes as the next student
// of logins, round robin (none: anonymous). One result per page.
func drive(base string, pages []string, logins []studentLogin, clients int, d time.Duration) []pageResult {
	var mu sync.Mutex
	n := 0
	targeter := func(t *vegeta.Target) error {
		mu.Lock()
		i := n
		n++
		mu.Unlock()
		t.Method = http.MethodGet
		p := pages[i%len(pages)]
		t.Header = http.Header{}
		if len(logins) > 0 {
			l := logins[(i/len(pages))%len(logins)]
			p = strings.ReplaceAll(p, "{id}", fmt.Sprint(l.id))
			t.Header.Set("Cookie", l.cookie)
		}
		t.URL = base + p
		return nil
	}
	atk := vegeta.NewAttacker(vegeta.Workers(uint64(clients)), vegeta.MaxWorkers(uint64(clients)),
		vegeta.Connections(clients), vegeta.MaxBody(0), vegeta.Redirects(vegeta.NoFollow), vegeta.Timeout(10*time.Second))
	metrics := map[string]*vegeta.Metrics{}
	errs := map[string]int{}
	first := map[string]string{}
	name := func(u string) string {
		p := strings.TrimPrefix(u, base)
		for _, pg := range pages {
			if strings.Contains(pg, "{id}") && strings.HasPrefix(p, strings.Split(pg, "{id}")[0]) {
				return pg
			}
		}
		return p
	}
	for res := range atk.Attack(vegeta.Targeter(targeter), vegeta.ConstantPacer{}, d, "provim") {
		pg := name(res.URL)
		m := metrics[pg]
		if m == nil {
			m = &vegeta.Metrics{}
			metrics[pg] = m
		}
		m.Add(res)
		if res.Code != http.StatusOK || res.Error != "" {
			errs[pg]++
			if first[pg] == "" {
				first[pg] = fmt.Sprintf("%d %s", res.Code, res.Error)
			}
		}
	}
	var out []pageResult
	for _, pg := range pages {
		m := metrics[pg]
		if m == nil {
			continue
		}
		m.Close()
		label := pg
		if len(logins) == 0 {
			label = "hello-world " + pg
		}
		out = append(out, pageResult{page: label, requests: int(m.Requests), rps: float64(m.Requests) / m.Duration.Seconds(),
			p50: m.Latencies.P50, p99: m.Latencies.P99, max: m.Latencies.Max, errors: errs[pg], firstError: first[pg]})
	}
	return out
}

// report prints the table and returns how many pages missed the targets.
// Each page's ratio is to the mean of the hello-world runs just before
// and just after it.
func report(w io.Writer, engine string, clients int, d time.Duration, results []pageResult) int {
	isHello := func(r pageResult) bool { return strings.HasPrefix(r.page, "hello-world") }
	ref := make([]float64, len(results))
	for i, r := range results {
		if isHello(r) {
			continue
		}
		var sum float64
		var n int
		for _, j := range []int{i - 1, i + 1} {
			if j >= 0 && j < len(results) && isHello(results[j]) {
				sum, n = sum+results[j].rps, n+1
			}
		}
		if n > 0 {
			ref[i] = sum / float64(n)
		}
	}
	fmt.Fprintf(w, "Baza: %s · %d klientë · %s për faqe · GOMAXPROCS %d, %d CPU · ngarkesa e makinës (loadavg): %s\n",
		engine, clients, d, runtime.GOMAXPROCS(0), runtime.NumCPU(), loadAverage())
	fmt.Fprintf(w, "Objektivat: ≥ %.0f%% e hello-world (mesatarja e matjeve para dhe pas faqes), p99 < %s, 0 gabime.\n\n", targetRatio*100, targetP99)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "FAQJA\tKËRKESA\tKËRKESA/s\tp50\tp99\tmaks\tGABIME\tNDAJ HELLO\tOBJEKTIVAT\t")
	missed := 0
	for i, r := range results {
		ratio, verdict := "", ""
		if !isHello(r) {
			ratio, verdict = fmt.Sprintf("%.1f%%", 100*r.rps/ref[i]), "po"
			if r.rps < targetRatio*ref[i] || r.p99 >= targetP99 || r.errors > 0 {
				verdict, missed = "JO", missed+1
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%s\t%s\t%s\t%d\t%s\t%s\t\n", r.page, r.requests, r.rps,
			ms(r.p50), ms(r.p99), ms(r.max), r.errors, ratio, verdict)
	}
	tw.Flush()
	for _, r := range results {
		if r.errors > 0 {
			fmt.Fprintf(w, "  %s: gabimi i parë: %s\n", r.page, r.firstError)
		}
	}
	return missed
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

// loadAverage is the machine's 1, 5 and 15 minute load ("?" off Linux).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
