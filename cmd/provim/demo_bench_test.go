package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"provim/internal/audit"
	"provim/internal/clock"
	"provim/internal/store"
	"provim/internal/store/storetest"
	"provim/internal/wire"
)

// BenchmarkDemoYear is issue 12's second target, side by side in one run:
// the whole demo year (what provim demo --no-serve builds: the registry,
// the application phase, the venue plan, the draws and the custody of the
// materials) on embedded SQLite and, when PROVIM_TEST_DATABASE_URL names
// a PostgreSQL database, on PostgreSQL (a fresh schema). The country has
// PROVIM_BENCH_STUDENTS maturants (35,000 unless set).
//
//	PROVIM_TEST_DATABASE_URL='postgres://…' go test ./cmd/provim -run '^$' -bench DemoYear -benchtime 1x -count 2
func BenchmarkDemoYear(b *testing.B) {
	students := 35000
	if v, err := strconv.Atoi(os.Getenv("PROVIM_BENCH_STUDENTS")); err == nil && v > 0 {
		students = v
	}
	engines := []string{"sqlite"}
	if os.Getenv("PROVIM_TEST_DATABASE_URL") != "" {
		engines = append(engines, "postgres")
	}
	for _, engine := range engines {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			var entries int64
			for b.Loop() {
				b.StopTimer()
				var db *store.DB
				if engine == "sqlite" {
					var err error
					if db, err = store.Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "demo.db")); err != nil {
						b.Fatal(err)
					}
				} else {
					db = storetest.Open(b)
				}
				b.StartTimer()
				if _, err := buildDemo(ctx, wire.New(db, clock.Fixed(time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC))), 20270601, students, "", func(string) {}); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				n, p, err := audit.Verify(ctx, db.DB)
				if err != nil || p != nil {
					b.Fatalf("the audit chain does not verify: %v %v", p, err)
				}
				entries = n
				db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(entries), "audit-entries")
		})
	}
}
