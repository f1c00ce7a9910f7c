package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/demo"
	"provim/internal/examday"
	"provim/internal/examyear"
	"provim/internal/store"
	"provim/internal/web"
	"provim/internal/wire"
)

// The check-in scenario's targets (issue 13): 35,000 check-ins from the
// 1,400 rooms of D1 at once, at least 300 check-ins a second with p99
// under 200 ms, no error and no candidate checked in twice after the
// devices' retries, on SQLite and on PostgreSQL.
const (
	targetCheckinRate = 300.0
	targetCheckinP99  = 200 * time.Millisecond
	checkinExam       = examyear.KindD1
)

// The check-in row of the table.
const checkinRow = "POST /api/v1/examday/checkins"

// checkinsRun is what --checkins drives.
type checkinsRun struct {
	seed              int64
	students, clients int
	retries           bool
	duration          time.Duration // of each hello-world run
	check             bool
}

// checkinDevice is one room's device: the account that checks in there
// (the room's drawn AP, else the venue's drawn PAP, else the venue's AP
// account), its API token and the room's candidates in list order.
type checkinDevice struct {
	actor checkinActor
	token string
	items []examday.CheckIn
	first []examday.Outcome // the answer to each item's first sending
}

// checkinActor is who a device logs in as.
type checkinActor struct {
	username, fullName string
	role               auth.Role
	staffID            int64
	venue              string // the account's venue (its scope; the only link of a venue account without a staff record)
}

// checkinsLoadtest builds the demo up to D1's morning (before anyone is
// checked in), serves it inside D1's check-in window (an hour before the
// start to the start, Neni 52.1), logs in as each room's AP (or the PAP)
// with an API token, and sends every listed candidate's check-in from
// every room at once, from --clients concurrent clients, each sent twice
// with the same idempotency key (a device retrying after a lost answer),
// beside a hello-world server measured in the same run; then counts the
// check-ins recorded for each candidate.
func checkinsLoadtest(ctx context.Context, db *store.DB, run checkinsRun, stdout io.Writer) error {
	engine := string(db.Dialect)
	t := clock.StartTimer()
	fmt.Fprintf(stdout, "Po ndërtohet demonstrimi deri në mëngjesin e D1, para hyrjes (%d maturantë, %s) …\n", run.students, engine)
	build := wire.New(db, clock.Fixed(clock.Real{}.Now()))
	if err := demoBeforeCheckIns(ctx, build, run.seed, run.students); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Demonstrimi gati për %.1f s.\n", t.Elapsed().Seconds())

	// The server runs 55 minutes before D1's start, five minutes after
	// the door opened, its clock going on from there.
	y, err := build.Years.Active(ctx)
	if err != nil {
		return err
	}
	start, _, ok := y.Config.Sitting(checkinExam, 1)
	if !ok {
		return errors.New("demonstrimi nuk ka provim D1")
	}
	svcs := wire.New(db, clock.NewTraining(start.Add(-55*time.Minute), true))
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
	devices, venues, err := checkinDevices(ctx, svcs, ava)
	if err != nil {
		return err
	}
	candidates := 0
	for _, d := range devices {
		candidates += len(d.items)
	}
	if candidates == 0 {
		return errors.New("asnjë kandidat në listat emërore të D1")
	}
	accounts, err := loginDevices(ctx, svcs, provim, devices)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d salla në %d qendra, %d kandidatë në listat emërore; %d llogari (AP i sallës, ose PAP) me token në %.1f s.\n",
		len(devices), len(venues), candidates, accounts, t.Elapsed().Seconds())

	drive(hello, []string{"/"}, nil, run.clients, time.Second/2) // warm-up
	began := svcs.Clock.Now()
	var results []pageResult
	results = append(results, drive(hello, []string{"/"}, nil, run.clients, run.duration)...)
	ci := driveCheckins(provim, devices, run.clients, run.retries)
	results = append(results, ci.pageResult)
	results = append(results, drive(hello, []string{"/"}, nil, run.clients, run.duration)...)

	count, err := countCheckins(ctx, svcs, db, ava, venues, began)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	missed := reportCheckins(stdout, engine, run, len(devices), candidates, ci, count, results)
	if run.check && missed > 0 {
		return exitError{1, "hyrja nuk i arriti objektivat"}
	}
	return nil
}

// demoBeforeCheckIns runs the demo's year (buildDemo's phases, package
// demo) up to D1's exam day: the registry, applications, venue plan,
// tests, draws, custody and anonymisation, and no check-in.
func demoBeforeCheckIns(ctx context.Context, svcs *wire.Services, seed int64, students int) error {
	clk := svcs.Clock.(*clock.Manual)
	ava := &auth.Principal{Username: "demo", FullName: "Demonstrimi", Role: auth.RoleAVA}
	quiet := func(string) {}
	if err := svcs.Years.EnsureDefault(ctx); err != nil {
		return err
	}
	if _, err := svcs.Years.Create(ctx, ava, DemoYear, "Matura Shtetërore 2027 (viti shkollor 2026–2027)", 2009); err != nil {
		return fmt.Errorf("demo year: %w", err)
	}
	if err := svcs.Years.SetActive(ctx, ava, DemoYear); err != nil {
		return err
	}
	if err := demo.Load(ctx, svcs.Registry, ava, demo.GenerateN(seed, DemoYear, students), quiet); err != nil {
		return err
	}
	if err := demo.RunApplications(ctx, svcs, clk, ava, seed, quiet); err != nil {
		return err
	}
	if err := demo.RunVenuePlan(ctx, svcs, clk, ava, quiet); err != nil {
		return err
	}
	if err := demo.RunTests(ctx, svcs, clk, ava, quiet); err != nil {
		return err
	}
	if err := demo.RunDraws(ctx, svcs, clk, ava, quiet); err != nil {
		return err
	}
	if err := demo.RunCustody(ctx, svcs, clk, ava, quiet); err != nil {
		return err
	}
	if err := demo.RunAnonymisation(ctx, svcs, clk, ava, quiet); err != nil {
		return err
	}
	return nil
}

// checkinDevices lists D1's rooms with candidates, each with its device's
// actor and its candidates' check-ins, and the venues.
func checkinDevices(ctx context.Context, svcs *wire.Services, ava *auth.Principal) ([]*checkinDevice, []string, error) {
	board, err := svcs.ExamDay.Board(ctx, ava, 1, checkinExam, "")
	if err != nil {
		return nil, nil, err
	}
	var devices []*checkinDevice
	var venues []string
	for _, row := range board.Rows {
		v, err := svcs.ExamDay.Venue(ctx, ava, 1, checkinExam, row.Venue, true)
		if err != nil {
			return nil, nil, fmt.Errorf("D1 në %s: %w", row.Venue, err)
		}
		venues = append(venues, row.Venue)
		var pap *examday.Staff
		for i, s := range v.Staff {
			if s.Role == "PAP" && s.StaffID != 0 && pap == nil {
				pap = &v.Staff[i]
			}
		}
		for _, room := range v.Rooms {
			if len(room.Entries) == 0 {
				continue
			}
			d := &checkinDevice{}
			switch {
			case len(room.APs) > 0 && room.APs[0].StaffID != 0:
				s := room.APs[0]
				d.actor = checkinActor{username: fmt.Sprintf("ngarkese.ap.staff%d", s.StaffID), fullName: s.Name + " (AP)", role: auth.RoleAP, staffID: s.StaffID, venue: row.Venue}
			case pap != nil:
				d.actor = checkinActor{username: fmt.Sprintf("ngarkese.pap.staff%d", pap.StaffID), fullName: pap.Name + " (PAP)", role: auth.RolePAP, staffID: pap.StaffID, venue: row.Venue}
			default:
				d.actor = checkinActor{username: "ngarkese.ap." + strings.ToLower(row.Venue), fullName: "AP " + row.Venue, role: auth.RoleAP, venue: row.Venue}
			}
			for i, e := range room.Entries {
				d.items = append(d.items, examday.CheckIn{Key: "ngarkesa/" + row.Venue + "/" + e.RegNo, Session: 1, Exam: checkinExam,
					Venue: row.Venue, Room: room.Name, RegNo: e.RegNo, DocType: examday.DocIDCard, DocNo: fmt.Sprintf("I%08d", len(devices)*100+i)})
			}
			d.first = make([]examday.Outcome, len(d.items))
			devices = append(devices, d)
		}
	}
	return devices, venues, nil
}

// loginDevices creates each distinct actor's account (as AVA would) and
// issues it an API token over HTTP, four at a time (the password hashes
// run four at a time anyway); it returns how many accounts.
func loginDevices(ctx context.Context, svcs *wire.Services, base string, devices []*checkinDevice) (int, error) {
	var actors []checkinActor
	seen := map[string]bool{}
	for _, d := range devices {
		if !seen[d.actor.username] {
			seen[d.actor.username] = true
			actors = append(actors, d.actor)
		}
	}
	tokens := make([]string, len(actors))
	errs := make([]error, len(actors))
	var wg sync.WaitGroup
	next := make(chan int)
	for range 4 {
		wg.Go(func() {
			for i := range next {
				tokens[i], errs[i] = loginDevice(ctx, svcs, base, actors[i])
			}
		})
	}
	for i := range actors {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return 0, err
	}
	byName := map[string]string{}
	for i, a := range actors {
		byName[a.username] = tokens[i]
	}
	for _, d := range devices {
		d.token = byName[d.actor.username]
	}
	return len(actors), nil
}

func loginDevice(ctx context.Context, svcs *wire.Services, base string, a checkinActor) (string, error) {
	if _, err := svcs.Auth.CreateUser(ctx, nil, auth.NewUser{Username: a.username, FullName: a.fullName, Password: loadPassword,
		Role: a.role, StaffID: a.staffID, Venue: a.venue}); err != nil {
		return "", fmt.Errorf("account %s: %w", a.username, err)
	}
	body, _ := json.Marshal(map[string]string{"username": a.username, "password": loadPassword, "name": "pajisja e sallës (prova e ngarkesës)"})
	var tok struct {
		Token string `json:"token"`
	}
	if err := apiCall(http.MethodPost, base+"/api/v1/tokens", "", body, http.StatusCreated, &tok); err != nil {
		return "", fmt.Errorf("token of %s: %w", a.username, err)
	}
	return tok.Token, nil
}

// checkinResult is what the check-in drive measured.
type checkinResult struct {
	pageResult
	admitted int // candidates whose first sending admitted them
	replays  int // second sendings answered with the first answer
	elapsed  time.Duration
}

// driveCheckins sends every device's check-ins, one per request, from
// clients concurrent clients: a client takes the next device that is
// waiting, sends its next request, and puts the device back at the end
// of the line, so that every room sends at once and each room's device
// sends one request after the other, as a real one does. With retries each
// check-in goes twice, the second after the first's answer with the same
// key: it must get the first answer (replayed) and change nothing.
// A request counts as an error unless it answers 200 with the outcome
// expected (admitted the first time, the same outcome replayed the
// second).
func driveCheckins(base string, devices []*checkinDevice, clients int, retries bool) checkinResult {
	sends := 1
	if retries {
		sends = 2
	}
	type turn struct {
		d *checkinDevice
		k int // the next sending: item k/sends, attempt k%sends
	}
	line := make(chan turn, len(devices))
	left := 0
	for _, d := range devices {
		if len(d.items) > 0 {
			line <- turn{d, 0}
			left++
		}
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
	var mu sync.Mutex
	var m vegeta.Metrics
	r := checkinResult{pageResult: pageResult{page: checkinRow}}
	fail := func(msg string) {
		r.errors++
		if r.firstError == "" {
			r.firstError = msg
		}
	}
	if left == 0 {
		close(line)
	}
	began := clock.StartTimer()
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for tu := range line {
				d, i, attempt := tu.d, tu.k/sends, tu.k%sends
				body, _ := json.Marshal(map[string]any{"items": []examday.CheckIn{d.items[i]}})
				req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/examday/checkins", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+d.token)
				at := clock.StartTimer()
				resp, err := client.Do(req)
				res := vegeta.Result{Timestamp: at.Started(), Method: http.MethodPost, URL: req.URL.String()}
				var msg string
				var out struct {
					Outcomes []examday.Outcome `json:"outcomes"`
				}
				if err != nil {
					msg = err.Error()
				} else {
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					res.Code = uint16(resp.StatusCode)
					switch {
					case resp.StatusCode != http.StatusOK:
						msg = fmt.Sprintf("%d %s", resp.StatusCode, bytes.TrimSpace(b))
					case json.Unmarshal(b, &out) != nil || len(out.Outcomes) != 1:
						msg = fmt.Sprintf("përgjigje e palexueshme: %s", bytes.TrimSpace(b))
					}
				}
				res.Latency = at.Elapsed()
				mu.Lock()
				m.Add(&res)
				if msg == "" {
					o := out.Outcomes[0]
					switch {
					case attempt == 0 && (o.Status != examday.Admitted || o.Replayed):
						msg = fmt.Sprintf("%s: %s %s (replayed %t)", d.items[i].RegNo, o.Status, o.Message, o.Replayed)
					case attempt == 0:
						d.first[i] = o
						r.admitted++
					case !o.Replayed || o.Status != d.first[i].Status || o.Seat != d.first[i].Seat:
						msg = fmt.Sprintf("%s: dërgimi i dytë mori %s, vendi %d (replayed %t), jo përgjigjen e parë (vendi %d)",
							d.items[i].RegNo, o.Status, o.Seat, o.Replayed, d.first[i].Seat)
					default:
						r.replays++
					}
				}
				if msg != "" {
					fail(msg)
				}
				mu.Unlock()
				if tu.k+1 < len(d.items)*sends {
					line <- turn{d, tu.k + 1}
					continue
				}
				mu.Lock()
				left--
				if left == 0 {
					close(line)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	r.elapsed = began.Elapsed()
	m.Close()
	r.requests = int(m.Requests)
	if r.elapsed > 0 {
		r.rps = float64(r.requests) / r.elapsed.Seconds()
	}
	r.p50, r.p99, r.max = m.Latencies.P50, m.Latencies.P99, m.Latencies.Max
	return r
}
