package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"sync"
	"text/tabwriter"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/marking"
	"provim/internal/store"
	"provim/internal/web"
	"provim/internal/wire"
)

// The marking scenario's targets (issue 14): 300 markers entering marks at
// once, at least 200 booklet markings a second with p99 under 150 ms and
// no error, on SQLite and on PostgreSQL.
const (
	targetMarkingRate = 200.0
	targetMarkingP99  = 150 * time.Millisecond
	markingExam       = examyear.KindD1
)

// The two marking rows of the table.
const (
	markingMax   = "PUT …/booklets/{code}/marks, sa më shpejt"
	markingPaced = "PUT …/booklets/{code}/marks, 200/s"
)

// markingRun is what --marking drives.
type markingRun struct {
	seed              int64
	students, markers int
	clients           int
	duration          time.Duration
	check             bool
}

// markerLogin is one marker with an API token and the booklets of their
// queue.
type markerLogin struct {
	username string
	token    string
	queue    []string
}

// markingLoadtest builds the demo with D1's marking under way (two days
// marked), gives up to --markers qualified markers of D1 a password and an
// API token, and sends each booklet of their queues once as a PUT of its
// marks, from --clients concurrent clients, beside a hello-world server
// measured in the same run.
func markingLoadtest(ctx context.Context, db *store.DB, run markingRun, stdout io.Writer) error {
	engine := string(db.Dialect)
	t := clock.StartTimer()
	fmt.Fprintf(stdout, "Po ndërtohet demonstrimi me vlerësimin e D1 në mes (%d maturantë, %s) …\n", run.students, engine)
	build := wire.New(db, clock.Fixed(clock.Real{}.Now()))
	if _, err := buildDemo(ctx, build, run.seed, run.students, untilMarking, func(string) {}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Demonstrimi gati për %.1f s.\n", t.Elapsed().Seconds())

	// The server runs on the morning of the third day of marking, the
	// clock going on from there.
	y, err := build.Years.Active(ctx)
	if err != nil {
		return err
	}
	start, _, ok := y.Config.Sitting(markingExam, 1)
	if !ok {
		return errors.New("demonstrimi nuk ka provim D1")
	}
	d := start.In(clock.Tirana).AddDate(0, 0, 3)
	morning := time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, clock.Tirana)
	svcs := wire.New(db, clock.NewTraining(morning, true))
	srv, err := web.New(svcs, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	provim, hello, stop, err := listenWithHello(srv.Handler())
	if err != nil {
		return err
	}
	defer stop()

	t = clock.StartTimer()
	ava := &auth.Principal{Username: "loadtest", FullName: "Prova e ngarkesës", Role: auth.RoleAVA}
	rows, err := svcs.Marking.Markers(ctx, ava, y.Year, markingExam)
	if err != nil {
		return err
	}
	var names []string
	for _, m := range rows {
		if m.Status == marking.StatusQualified && len(names) < run.markers {
			names = append(names, m.Username)
		}
	}
	logins, err := loginMarkers(ctx, svcs, provim, names)
	if err != nil {
		return err
	}
	test, err := svcs.Marking.TestOf(ctx, ava, y.Year, markingExam)
	if err != nil {
		return err
	}
	pairs := markingPairs(logins)
	fmt.Fprintf(stdout, "%d vlerësues të kualifikuar të D1 me token (nga %d të kërkuar; %d të emëruar gjithsej) në %.1f s; %d test-broshura në radhët e tyre.\n",
		len(logins), run.markers, len(rows), t.Elapsed().Seconds(), len(pairs))
	if len(pairs) == 0 {
		return errors.New("asnjë test-broshurë për të vlerësuar")
	}

	// Warm-up: the hello-world server and every marker's queue, read only.
	drive(hello, []string{"/"}, nil, run.clients, time.Second/2)
	driveMarking(provim, queueTargeter(provim, logins), vegeta.ConstantPacer{}, run.clients, time.Second, "radha")

	// Two runs of the one targeter (each pair once over both): as fast as
	// the clients are answered (the rate), then at the target rate from
	// the same clients (the latency at that load: at the maximum rate the
	// clients queue, p99 ≈ clients / rate and more).
	// The paced run keeps its share of the pairs (those of the target
	// rate for --duration, at most half).
	keep := min(len(pairs)/2, int(targetMarkingRate*run.duration.Seconds())+int(targetMarkingRate))
	marks := marksTargeter(provim, pairs[:len(pairs)-keep], test.Items, run.seed)
	pacedMarks := marksTargeter(provim, pairs[len(pairs)-keep:], test.Items, run.seed)
	paced := vegeta.ConstantPacer{Freq: int(targetMarkingRate), Per: time.Second}
	var results []pageResult
	results = append(results, drive(hello, []string{"/"}, nil, run.clients, run.duration)...)
	results = append(results, driveMarking(provim, marks, vegeta.ConstantPacer{}, run.clients, run.duration, markingMax))
	results = append(results, drive(hello, []string{"/"}, nil, run.clients, run.duration)...)
	results = append(results, driveMarking(provim, pacedMarks, paced, run.clients, run.duration, markingPaced))
	results = append(results, drive(hello, []string{"/"}, nil, run.clients, run.duration)...)
	fmt.Fprintln(stdout)
	missed := reportMarking(stdout, engine, run, len(logins), len(pairs), results)
	fmt.Fprintln(stdout, "\nFinalPoints (pikët e çdo kodi të vendit) nuk matet këtu: jep pikë vetëm pasi vlerësimi mbyllet; e mat një benchmark Go.")
	if run.check && missed > 0 {
		return exitError{1, "vlerësimi nuk i arriti objektivat"}
	}
	return nil
}

// loginMarkers sets each marker's password (as AVA would), issues them an
// API token over HTTP and reads their queue through the API, four at a
// time (the password hashes run four at a time anyway).
func loginMarkers(ctx context.Context, svcs *wire.Services, base string, names []string) ([]markerLogin, error) {
	ava := &auth.Principal{Username: "loadtest", FullName: "Prova e ngarkesës", Role: auth.RoleAVA}
	out := make([]markerLogin, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	next := make(chan int)
	for range 4 {
		wg.Go(func() {
			for i := range next {
				out[i], errs[i] = loginMarker(ctx, svcs, ava, base, names[i])
			}
		})
	}
	for i := range names {
		next <- i
	}
	close(next)
	wg.Wait()
	return out, errors.Join(errs...)
}

func loginMarker(ctx context.Context, svcs *wire.Services, ava *auth.Principal, base, name string) (markerLogin, error) {
	if err := svcs.Auth.SetPassword(ctx, ava, name, "", loadPassword); err != nil {
		return markerLogin{}, fmt.Errorf("password of %s: %w", name, err)
	}
	body, _ := json.Marshal(map[string]string{"username": name, "password": loadPassword, "name": "prova e ngarkesës"})
	var tok struct {
		Token string `json:"token"`
	}
	if err := apiCall(http.MethodPost, base+"/api/v1/tokens", "", body, http.StatusCreated, &tok); err != nil {
		return markerLogin{}, fmt.Errorf("token of %s: %w", name, err)
	}
	var q marking.Queue
	if err := apiCall(http.MethodGet, base+"/api/v1/marking/"+markingExam+"/queue", tok.Token, nil, http.StatusOK, &q); err != nil {
		return markerLogin{}, fmt.Errorf("queue of %s: %w", name, err)
	}
	l := markerLogin{username: name, token: tok.Token}
	for _, e := range q.ToMark {
		l.queue = append(l.queue, e.Code)
	}
	return l, nil
}

// apiCall sends one JSON request and decodes the answer, which must have
// the status want.
func apiCall(method, url, token string, body []byte, want int, into any) error {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %s %s", method, url, resp.Status, bytes.TrimSpace(b))
	}
	return json.Unmarshal(b, into)
}

// markingPair is one booklet of one marker's queue.
type markingPair struct {
	login *markerLogin
	code  string
}

// markingPairs interleaves the queues: the first booklet of every marker,
// then the second, …, so that at any moment many markers mark at once.
func markingPairs(logins []markerLogin) []markingPair {
	var out []markingPair
	for k := 0; ; k++ {
		added := false
		for i := range logins {
			if k < len(logins[i].queue) {
				out = append(out, markingPair{&logins[i], logins[i].queue[k]})
				added = true
			}
		}
		if !added {
			return out
		}
	}
}

// plausibleMarks are a booklet's marks as read from its code (the two
// markers of a booklet mostly agree); one marking in eight reads one open
// answer a level apart (a difference for a third marker).
func plausibleMarks(items []marking.Item, seed int64, code, marker string) ([]string, []int) {
	h := func(s string) uint64 {
		f := fnv.New64a()
		fmt.Fprintf(f, "%d/%s", seed, s)
		return f.Sum64()
	}
	choices, points := make([]string, len(items)), make([]int, len(items))
	differ := h(code+"/"+marker)%8 == 0
	for i, it := range items {
		v := h(fmt.Sprintf("%s/%d", code, it.No))
		if it.Kind == marking.KindChoice {
			choices[i] = string(rune('A' + int(v%uint64(max(it.Options, 1)))))
			continue
		}
		if len(it.Levels) == 0 {
			points[i] = int(v % uint64(it.MaxPoints+1))
			continue
		}
		k := int(v % uint64(len(it.Levels)+1)) // len(levels): no answer, 0 points
		if differ {
			k, differ = (k+1)%(len(it.Levels)+1), false
		}
		if k < len(it.Levels) {
			points[i] = it.Levels[k].Points
		}
	}
	return choices, points
}

// marksTargeter hands out each (marker, booklet) pair once, as a PUT of
// the booklet's marks with the marker's token; ErrNoTargets when they run
// out, which ends the attack.
func marksTargeter(base string, pairs []markingPair, items []marking.Item, seed int64) vegeta.Targeter {
	var mu sync.Mutex
	n := 0
	return func(t *vegeta.Target) error {
		mu.Lock()
		i := n
		n++
		mu.Unlock()
		if i >= len(pairs) {
			return vegeta.ErrNoTargets
		}
		p := pairs[i]
		ch, pts := plausibleMarks(items, seed, p.code, p.login.username)
		body, err := json.Marshal(map[string]any{"choices": ch, "points": pts})
		if err != nil {
			return err
		}
		t.Method, t.URL, t.Body = http.MethodPut, base+"/api/v1/marking/"+markingExam+"/booklets/"+p.code+"/marks", body
		t.Header = http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + p.login.token}}
		return nil
	}
}

// queueTargeter reads the markers' queues round robin (the warm-up).
func queueTargeter(base string, logins []markerLogin) vegeta.Targeter {
	var mu sync.Mutex
	n := 0
	return func(t *vegeta.Target) error {
		mu.Lock()
		l := logins[n%len(logins)]
		n++
		mu.Unlock()
		t.Method, t.URL = http.MethodGet, base+"/api/v1/marking/"+markingExam+"/queue"
		t.Header = http.Header{"Authorization": {"Bearer " + l.token}}
		return nil
	}
}

// driveMarking runs tr from clients concurrent clients as fast as they are
// answered, for d or until tr runs out. A request counts as an error
// unless it answers 2xx; the first error keeps its body.
func driveMarking(base string, tr vegeta.Targeter, pacer vegeta.Pacer, clients int, d time.Duration, label string) pageResult {
	atk := vegeta.NewAttacker(vegeta.Workers(uint64(clients)), vegeta.MaxWorkers(uint64(clients)),
		vegeta.Connections(clients), vegeta.MaxBody(2048), vegeta.Redirects(vegeta.NoFollow), vegeta.Timeout(10*time.Second))
	var m vegeta.Metrics
	r := pageResult{page: label}
	for res := range atk.Attack(tr, pacer, d, "provim") {
		if res.Method == "" && res.Error == vegeta.ErrNoTargets.Error() {
			continue // a worker that found no target left
		}
		m.Add(res)
		if res.Code < 200 || res.Code > 299 || res.Error != "" {
			r.errors++
			if r.firstError == "" {
				r.firstError = fmt.Sprintf("%d %s %s", res.Code, res.Error, bytes.TrimSpace(res.Body))
			}
		}
	}
	m.Close()
	r.requests = int(m.Requests)
	if el := m.Duration + m.Wait; el > 0 {
		r.rps = float64(r.requests-r.errors) / el.Seconds()
	}
	r.p50, r.p99, r.max = m.Latencies.P50, m.Latencies.P99, m.Latencies.Max
	return r
}

// reportMarking prints the marking table and returns 1 when the markings
// miss the targets (0 otherwise). The hello-world rows are requests a
// second; the marking row counts the markings stored (2xx) a second.
func reportMarking(w io.Writer, engine string, run markingRun, markers, pairs int, results []pageResult) int {
	fmt.Fprintf(w, "Baza: %s · %d klientë · deri në %s · %d vlerësues (--markers %d), %d test-broshura në radhë · GOMAXPROCS %d, %d CPU · ngarkesa e makinës (loadavg): %s\n",
		engine, run.clients, run.duration, markers, run.markers, pairs, runtime.GOMAXPROCS(0), runtime.NumCPU(), loadAverage())
	fmt.Fprintf(w, "Objektivat: ≥ %.0f vlerësime/s sa më shpejt, p99 < %s në %.0f/s, 0 gabime (NË SEKONDË: vlerësime të ruajtura, 2xx; hello-world: kërkesa).\n\n",
		targetMarkingRate, targetMarkingP99, targetMarkingRate)
	var helloSum float64
	var helloN int
	for _, r := range results {
		if r.page == "hello-world /" {
			helloSum, helloN = helloSum+r.rps, helloN+1
		}
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "MATJA\tKËRKESA\tNË SEKONDË\tp50\tp99\tmaks\tGABIME\tNDAJ HELLO\tOBJEKTIVAT\t")
	missed := 0
	for _, r := range results {
		ratio, verdict := "", ""
		if r.page != "hello-world /" {
			if r.page == markingMax && helloN > 0 && helloSum > 0 {
				ratio = fmt.Sprintf("%.1f%%", 100*r.rps/(helloSum/float64(helloN)))
			}
			// The rate is judged at the maximum rate, p99 at the
			// target rate; errors in both.
			bad := r.errors > 0 || r.requests == 0
			if r.page == markingMax {
				bad = bad || r.rps < targetMarkingRate
			} else {
				bad = bad || r.p99 >= targetMarkingP99 || r.rps < 0.95*targetMarkingRate && r.requests >= int(targetMarkingRate)
			}
			verdict = "po"
			if bad {
				verdict, missed = "JO", 1
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
