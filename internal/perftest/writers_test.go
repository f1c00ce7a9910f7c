package perftest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"provim/internal/application"
	"provim/internal/audit"
	"provim/internal/clock"
	"provim/internal/demo"
	"provim/internal/registry"
	"provim/internal/testkit"
	"provim/internal/wire"
)

// writers is how many clients write at once on an exam day (issue 12,
// item 4): as many as the student pages' load test drives.
const writers = 32

// writeLoad is 32 clients correcting applications at once, each change
// audited, on the database of a small demo country at the eve of D1,
// through the services as the handlers call them, on the store's own
// connection pool (the engine's real limits, not the recorder's).
type writeLoad struct {
	svcs    *wire.Services
	clients int // how many of the writers run (1 measures one alone)
	// apps[i] are the applications client i corrects: no two clients
	// share a student, so every conflict is the store's, not the data's.
	apps [][]application.Application
}

// newWriteLoad builds the demo country and deals its forms out to the
// clients, perClient each.
func newWriteLoad(t testing.TB, students, perClient int) *writeLoad {
	t.Helper()
	w := newWorld(t, students)
	svcs := wire.New(w.base, clock.Fixed(testkit.Moment(t, demo.Today(year))))
	ctx := context.Background()
	var all []application.Application
	for off := 0; len(all) < writers*perClient; {
		page, total, err := svcs.Applications.List(ctx, ava, application.Filter{Page: registry.Page{Limit: 1000, Offset: off}})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page {
			if a.Status != application.Draft && len(a.Electives) > 0 {
				all = append(all, a)
			}
		}
		off += len(page)
		if off >= total || len(page) == 0 {
			break
		}
	}
	if len(all) < writers*perClient {
		t.Fatalf("the demo country has %d forms to correct, the load needs %d", len(all), writers*perClient)
	}
	l := &writeLoad{svcs: svcs, clients: writers, apps: make([][]application.Application, writers)}
	for i, a := range all[:writers*perClient] {
		l.apps[i%writers] = append(l.apps[i%writers], a)
	}
	return l
}

// writeRun is what one run of the load measured.
type writeRun struct {
	clients int
	changes int
	elapsed time.Duration
	latency []time.Duration // of each change, sorted
	errs    []error
	entries int64 // audit entries the run added (the chain verified)
}

func (r writeRun) perSecond() float64 { return float64(r.changes) / r.elapsed.Seconds() }

func (r writeRun) quantile(q float64) time.Duration {
	if len(r.latency) == 0 {
		return 0
	}
	return r.latency[min(len(r.latency)-1, int(q*float64(len(r.latency))))]
}

func (r writeRun) String() string {
	return fmt.Sprintf("%d clients, %d changes in %v: %.0f changes/s, p50 %v, p99 %v, max %v, %d errors, %d audit entries",
		r.clients, r.changes, r.elapsed.Round(time.Millisecond), r.perSecond(),
		r.quantile(0.50).Round(10*time.Microsecond), r.quantile(0.99).Round(10*time.Microsecond),
		r.quantile(1).Round(10*time.Microsecond), len(r.errs), r.entries)
}

// run makes n changes in all, the clients taking the next one as they
// finish the last, each correcting its own forms in turn (same electives,
// a new reason: a full correction with its history row and audit entry).
// It verifies the whole audit chain before and after.
func (l *writeLoad) run(t testing.TB, n int) writeRun {
	t.Helper()
	ctx := context.Background()
	before := l.verify(t)
	var (
		next atomic.Int64
		mu   sync.Mutex
		run  writeRun
		wg   sync.WaitGroup
	)
	run.clients = l.clients
	start := time.Now()
	for c := range l.clients {
		wg.Go(func() {
			var lat []time.Duration
			var errs []error
			for k := 0; ; k++ {
				i := next.Add(1)
				if i > int64(n) {
					break
				}
				a := l.apps[c][k%len(l.apps[c])]
				t0 := time.Now()
				_, err := l.svcs.Applications.Correct(ctx, ava, a.ID, application.CorrectionInput{
					Electives: a.Electives, Reason: fmt.Sprintf("provë ngarkese %d, klienti %d", i, c)})
				lat = append(lat, time.Since(t0))
				if err != nil {
					errs = append(errs, fmt.Errorf("klienti %d, formulari %d: %w", c, a.ID, err))
				}
			}
			mu.Lock()
			run.latency = append(run.latency, lat...)
			run.errs = append(run.errs, errs...)
			mu.Unlock()
		})
	}
	wg.Wait()
	run.elapsed = time.Since(start)
	run.changes = len(run.latency)
	slices.Sort(run.latency)
	run.entries = l.verify(t) - before
	return run
}

// verify walks the whole audit chain and returns its length.
func (l *writeLoad) verify(t testing.TB) int64 {
	t.Helper()
	n, problem, err := audit.Verify(context.Background(), l.svcs.DB.DB)
	if err != nil {
		t.Fatal(err)
	}
	if problem != nil {
		t.Fatalf("the audit chain does not verify: %v", problem)
	}
	return n
}

// check fails on any error of the run (naming the lock, deadlock and
// serialization failures the audit chain must not cause) and on an entry
// lost or added: one audit entry per change.
func (r writeRun) check(t testing.TB) {
	t.Helper()
	for i, err := range r.errs {
		if i == 5 {
			t.Errorf("… and %d more errors", len(r.errs)-5)
			break
		}
		t.Errorf("%s: %v", kind(err), err)
	}
	if r.entries != int64(r.changes) {
		t.Errorf("%d changes wrote %d audit entries, want one each", r.changes, r.entries)
	}
}

// kind names the failures a write load on the audit chain is known for.
func kind(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "database is locked"), strings.Contains(msg, "SQLITE_BUSY"):
		return "SQLite: database is locked"
	case strings.Contains(msg, "40P01"), strings.Contains(msg, "deadlock"):
		return "PostgreSQL: deadlock"
	case strings.Contains(msg, "40001"):
		return "PostgreSQL: serialization failure"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	}
	return "error"
}

// TestConcurrentWritersKeepTheChain has 32 clients correct forms of
// distinct students at once for a moment (a few hundred changes) on the
// engine of the run: no change fails (no "database is locked", no
// deadlock or serialization failure), and the hash chain verifies after
// the run with exactly one new entry per change.
func TestConcurrentWritersKeepTheChain(t *testing.T) {
	t.Parallel()
	l := newWriteLoad(t, 150, 1)
	r := l.run(t, writers*6)
	t.Log(r)
	r.check(t)
}

// BenchmarkConcurrentWriters measures 32 concurrent writers, each change
// an audited correction, beside one writer alone on the same database:
// changes/s and the p50/p99 latency of one change.
//
//	go test ./internal/perftest -run '^$' -bench ConcurrentWriters -benchtime 2000x
func BenchmarkConcurrentWriters(b *testing.B) {
	l := newWriteLoad(b, 600, 8)
	for _, clients := range []int{1, writers} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			l.clients = clients
			b.ResetTimer()
			r := l.run(b, b.N)
			b.StopTimer()
			r.check(b)
			b.ReportMetric(r.perSecond(), "changes/s")
			b.ReportMetric(float64(r.quantile(0.50).Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(r.quantile(0.99).Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(len(r.errs)), "errors")
			b.Logf("%s", r)
		})
	}
}
