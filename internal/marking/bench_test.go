package marking_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"provim/internal/store"
)

// Benchmarks of the central flow at national size (issue 14): markers
// entering marks one by one and 300 at once, and the points per code of
// a country's booklets.

// mkBenchWorld is D1 with n qualified markers and booklets booklets
// allocated to them by Allocate.
func mkBenchWorld(b *testing.B, markers, booklets int) (*mkWorld, []string) {
	w, codes := mkBenchBooklets(b, markers, booklets)
	if _, err := w.svc.Allocate(w.ctx, mkAVA, mkYear, "D1"); err != nil {
		b.Fatal(err)
	}
	return w, codes
}

// mkBenchBooklets is D1 with the markers and booklets, not allocated.
func mkBenchBooklets(b *testing.B, markers, booklets int) (*mkWorld, []string) {
	b.Helper()
	w := newMkWorld(b, mkYear, nil)
	ctx := w.ctx
	codes := make([]string, booklets)
	err := w.k.DB.InTx(ctx, func(ctx context.Context) error {
		var ms, bs [][]any
		for i := range markers {
			ms = append(ms, []any{mkYear, "D1", fmt.Sprintf("vl.%03d", i), fmt.Sprintf("Vlerësuesi %03d", i), "", "marker", "qualified", "ava", "2009-06-01T08:00:00Z"})
		}
		for i := range booklets {
			codes[i] = fmt.Sprintf("B%08d", i)
			bs = append(bs, []any{mkYear, "D1", codes[i], 0, "", "open", -1, 0, "2009-06-10T08:00:00Z"})
		}
		if err := store.Insert(ctx, "marking_markers", []string{"year", "exam", "username", "full_name", "school_code", "task", "status", "appointed_by", "appointed_at"}, ms); err != nil {
			return err
		}
		return store.Insert(ctx, "marking_booklets", []string{"year", "exam", "code", "seeded", "schools", "state", "final_points", "final_round", "registered_at"}, bs)
	})
	if err != nil {
		b.Fatal(err)
	}
	return w, codes
}

// BenchmarkAllocate gives an exam of the country (34,000 booklets) to
// 300 markers.
func BenchmarkAllocate(b *testing.B) {
	for range b.N {
		b.StopTimer()
		w, _ := mkBenchBooklets(b, 300, 34000)
		b.StartTimer()
		res, err := w.svc.Allocate(w.ctx, mkAVA, mkYear, "D1")
		if err != nil || res.Booklets != 34000 {
			b.Fatalf("%+v %v", res, err)
		}
	}
}

type mkJob struct{ user, code string }

func (w *mkWorld) jobs(b *testing.B) []mkJob {
	rows, err := w.k.DB.Query(`SELECT username, code FROM marking_allocations WHERE year = $1 AND exam = 'D1' AND round IN (1, 2)`, mkYear)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var out []mkJob
	for rows.Next() {
		var j mkJob
		rows.Scan(&j.user, &j.code)
		out = append(out, j)
	}
	rand.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// mkRandomMarks are marks with a realistic share of disagreements.
func mkRandomMarks(r *rand.Rand) ([]string, []int) {
	return []string{string(rune('A' + r.IntN(4))), "C", "", ""}, []int{0, 0, 1 + r.IntN(2), 2 + r.IntN(3)*r.IntN(2)}
}

// BenchmarkMark is one marker submitting booklets one after the other,
// and 300 markers submitting at once (ops/s and p99 reported).
func BenchmarkMark(b *testing.B) {
	b.Run("one-marker", func(b *testing.B) {
		w, codes := mkBenchWorld(b, 2, max(b.N, 1))
		r := rand.New(rand.NewPCG(1, 2))
		b.ResetTimer()
		start := time.Now()
		for i := range b.N {
			ch, ps := mkRandomMarks(r)
			if _, err := w.svc.Mark(w.ctx, mkP("vl.000"), mkYear, "D1", codes[i], ch, ps); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "markings/s")
	})
	b.Run("300-markers", func(b *testing.B) {
		w, _ := mkBenchWorld(b, 300, b.N/2+1)
		jobs := w.jobs(b)[:b.N]
		var next atomic.Int64
		var mu sync.Mutex
		lat := make([]time.Duration, 0, b.N)
		b.SetParallelism(150) // 300 goroutines on 2 cores
		b.ResetTimer()
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			r := rand.New(rand.NewPCG(uint64(next.Load()), 7))
			for pb.Next() {
				j := jobs[next.Add(1)-1]
				ch, ps := mkRandomMarks(r)
				t0 := time.Now()
				if _, err := w.svc.Mark(w.ctx, mkP(j.user), mkYear, "D1", j.code, ch, ps); err != nil {
					b.Error(err)
					return
				}
				d := time.Since(t0)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		})
		el := time.Since(start)
		slices.Sort(lat)
		if len(lat) > 0 {
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		}
		b.ReportMetric(float64(b.N)/el.Seconds(), "markings/s")
	})
}

// BenchmarkMarkPaced is 300 markers together submitting 250 markings a
// second (the 200/s with a margin), as the load test does: the
// p99 of a marking's latency under that load.
func BenchmarkMarkPaced(b *testing.B) {
	w, _ := mkBenchWorld(b, 300, b.N/2+1)
	jobs := w.jobs(b)[:b.N]
	work := make(chan mkJob)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failed atomic.Bool
	lat := make([]time.Duration, 0, b.N)
	for g := range 300 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(g), 7))
			for j := range work {
				ch, ps := mkRandomMarks(r)
				t0 := time.Now()
				if _, err := w.svc.Mark(w.ctx, mkP(j.user), mkYear, "D1", j.code, ch, ps); err != nil {
					failed.Store(true)
					b.Error(err)
				}
				d := time.Since(t0)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		}()
	}
	b.ResetTimer()
	start := time.Now()
	tick := time.NewTicker(time.Second / 250)
	for _, j := range jobs {
		<-tick.C
		work <- j
	}
	tick.Stop()
	close(work)
	wg.Wait()
	el := time.Since(start)
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
	b.ReportMetric(float64(b.N)/el.Seconds(), "markings/s")
}

// BenchmarkFinalPoints hands on the points per code of 35,000 final
// booklets (target: under 5 s).
func BenchmarkFinalPoints(b *testing.B) {
	const n = 35000
	w := mkFinalWorld(b, n)
	b.ResetTimer()
	for range b.N {
		pts, err := w.svc.FinalPoints(w.ctx, mkYear, "D1")
		if err != nil || len(pts) != n || pts[0].Points != 7 || len(pts[0].Items) != 4 {
			b.Fatalf("%d points, %v", len(pts), err)
		}
	}
}

// BenchmarkProgress counts the progress of an exam of 35,000 booklets.
func BenchmarkProgress(b *testing.B) {
	w := mkFinalWorld(b, 35000)
	b.ResetTimer()
	for range b.N {
		pr, err := w.svc.Progress(w.ctx, mkAVA, mkYear, "D1")
		if err != nil || pr.MarkedTwice != 35000 {
			b.Fatalf("%+v %v", pr, err)
		}
	}
}

// mkFinalWorld is D1 with n booklets final at round 2, and closed.
func mkFinalWorld(b *testing.B, n int) *mkWorld {
	w := newMkWorld(b, mkYear, nil)
	err := w.k.DB.InTx(w.ctx, func(ctx context.Context) error {
		var bs, as [][]any
		for i := range n {
			c := fmt.Sprintf("B%08d", i)
			bs = append(bs, []any{mkYear, "D1", c, 0, "", "final", 7, 2, "2009-06-10T08:00:00Z"})
			for r := 1; r <= 2; r++ {
				as = append(as, []any{mkYear, "D1", c, r, fmt.Sprintf("vl.%d", r), "ava", "2009-06-10T08:00:00Z", ",,,", "1,1,2,3", 7, "2009-06-11T08:00:00Z", "screen"})
			}
		}
		if err := store.Insert(ctx, "marking_booklets", []string{"year", "exam", "code", "seeded", "schools", "state", "final_points", "final_round", "registered_at"}, bs); err != nil {
			return err
		}
		if err := store.Insert(ctx, "marking_allocations", []string{"year", "exam", "code", "round", "username", "allocated_by", "allocated_at", "choices", "points", "total", "submitted_at", "source"}, as); err != nil {
			return err
		}
		_, err := store.TxFrom(ctx).ExecContext(ctx, `INSERT INTO marking_closed (year, exam, booklets, closed_by, closed_at) VALUES ($1, 'D1', $2, 'ava', '2009-06-30T08:00:00Z')`, mkYear, n)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return w
}
