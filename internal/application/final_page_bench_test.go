package application_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"provim/internal/application"
	"provim/internal/clock"
	"provim/internal/registry"
)

// BenchmarkFinalListPage35k measures the final list of D1 at national size
// (issue 11, part B: one page of 34,070 rows took 4.4 s in the browser):
// the whole list as before, one page of 100 with the total, a deep page,
// and a search that ignores ë/ç.
//
//	go test ./internal/application -run '^$' -bench FinalListPage35k -benchtime 1x
func BenchmarkFinalListPage35k(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		k, n := nationalYear(b)
		db, svc := k.DB, k.Applications
		if _, err := db.Exec(`UPDATE applications SET status = 'verified'`); err != nil {
			b.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO unit_submissions (year, unit_code, kind, sent_at, sent_by, items) SELECT 2027, code, k.kind, '', 'bench', 0
			FROM units, (SELECT 'lists' AS kind UNION ALL SELECT 'failing') k WHERE units.kind = 'DAR'`); err != nil {
			b.Fatal(err)
		}
		k.Clock.Set(time.Date(2027, 5, 1, 12, 0, 0, 0, clock.Tirana))
		if got, err := svc.AssignRegistrationNumbers(ctx, ava, ""); err != nil || got != n {
			b.Fatalf("assign: %d of %d, %v", got, n, err)
		}
		k.Clock.Set(time.Date(2027, 5, 30, 12, 0, 0, 0, clock.Tirana))
		if _, err := svc.BuildFinalLists(ctx, ava, ""); err != nil {
			b.Fatal(err)
		}
		// The statistics autovacuum (PostgreSQL) or a maintenance run
		// (SQLite) keeps after a bulk load.
		if _, err := db.Exec(`ANALYZE`); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		all, err := svc.FinalList(ctx, ava, "D1", "")
		b.ReportMetric(time.Since(start).Seconds()*1000, "whole-ms")
		if err != nil || len(all) < 30000 {
			b.Fatalf("whole list: %d, %v", len(all), err)
		}
		for _, c := range []struct {
			metric string
			f      application.FinalFilter
		}{
			{"page1-ms", application.FinalFilter{Exam: "D1", Page: registry.Page{Limit: 100}}},
			{"page300-ms", application.FinalFilter{Exam: "D1", Page: registry.Page{Offset: 30000, Limit: 100}}},
			{"search-ms", application.FinalFilter{Exam: "D1", Q: "cela", Page: registry.Page{Limit: 100}}},
		} {
			start := time.Now()
			page, total, err := svc.FinalListPage(ctx, ava, c.f)
			b.ReportMetric(time.Since(start).Seconds()*1000, c.metric)
			if err != nil || total == 0 || len(page) == 0 || (c.f.Q == "" && total != len(all)) {
				b.Fatalf("%s: %d of %d, %v", c.metric, len(page), total, err)
			}
		}
	}
}

// BenchmarkFinalListKeyset35k measures the keyset pages of the final list
// of D1 at national size (issue 11): the first page, the last page
// (LastPage), the page before it (a "previous" cursor) and the last page
// again from that page's "next" cursor, beside OFFSET's first page and
// its page at the same depth as the reference measured in the same run.
// Each page counts the total and the entries before it, as the page
// shows them. Each figure is the median of five reads.
//
//	go test ./internal/application -run '^$' -bench FinalListKeyset35k -benchtime 1x
func BenchmarkFinalListKeyset35k(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		k, n := nationalYear(b)
		db, svc := k.DB, k.Applications
		if _, err := db.Exec(`UPDATE applications SET status = 'verified'`); err != nil {
			b.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO unit_submissions (year, unit_code, kind, sent_at, sent_by, items) SELECT 2027, code, k.kind, '', 'bench', 0
			FROM units, (SELECT 'lists' AS kind UNION ALL SELECT 'failing') k WHERE units.kind = 'DAR'`); err != nil {
			b.Fatal(err)
		}
		k.Clock.Set(time.Date(2027, 5, 1, 12, 0, 0, 0, clock.Tirana))
		if got, err := svc.AssignRegistrationNumbers(ctx, ava, ""); err != nil || got != n {
			b.Fatalf("assign: %d of %d, %v", got, n, err)
		}
		k.Clock.Set(time.Date(2027, 5, 30, 12, 0, 0, 0, clock.Tirana))
		if _, err := svc.BuildFinalLists(ctx, ava, ""); err != nil {
			b.Fatal(err)
		}
		if _, err := db.Exec(`ANALYZE`); err != nil {
			b.Fatal(err)
		}
		// Warm the caches as a day of use does (untimed).
		if all, err := svc.FinalList(ctx, ava, "D1", ""); err != nil || len(all) < 30000 {
			b.Fatalf("whole list: %d, %v", len(all), err)
		}
		b.StartTimer()
		// Each figure is the median of five reads, as the machine is shared.
		median := func(metric string, read func() error) {
			var ms []float64
			for range 5 {
				start := time.Now()
				if err := read(); err != nil {
					b.Fatalf("%s: %v", metric, err)
				}
				ms = append(ms, time.Since(start).Seconds()*1000)
			}
			slices.Sort(ms)
			b.ReportMetric(ms[2], metric)
		}
		page := func(metric string, f application.FinalFilter) application.FinalPage {
			var pg application.FinalPage
			median(metric, func() (err error) {
				pg, err = svc.FinalListKeyset(ctx, ava, f)
				if err == nil && (len(pg.Items) == 0 || pg.Total < 30000) {
					err = fmt.Errorf("%d of %d", len(pg.Items), pg.Total)
				}
				return err
			})
			return pg
		}
		first := page("page1-ms", application.FinalFilter{Exam: "D1", Page: registry.Page{Limit: 100}})
		last := page("last-ms", application.FinalFilter{Exam: "D1", Cursor: application.LastPage, Page: registry.Page{Limit: 100}})
		prev := page("prev-of-last-ms", application.FinalFilter{Exam: "D1", Cursor: last.Prev, Page: registry.Page{Limit: 100}})
		again := page("next-to-last-ms", application.FinalFilter{Exam: "D1", Cursor: prev.Next, Page: registry.Page{Limit: 100}})
		if first.Offset != 0 || last.Offset+len(last.Items) != last.Total || last.Next != "" || again.Items[0].RegNo != last.Items[0].RegNo {
			b.Fatalf("pages: first at %d, last at %d+%d of %d (next %q), again %s ≠ %s", first.Offset, last.Offset, len(last.Items), last.Total, last.Next,
				again.Items[0].RegNo, last.Items[0].RegNo)
		}
		// The reference: OFFSET's first page and its page at the same depth.
		for _, c := range []struct {
			metric string
			offset int
		}{{"offset-page1-ms", 0}, {"offset-last-ms", last.Offset}} {
			median(c.metric, func() error {
				_, _, err := svc.FinalListPage(ctx, ava, application.FinalFilter{Exam: "D1", Page: registry.Page{Offset: c.offset, Limit: 100}})
				return err
			})
		}
	}
}
