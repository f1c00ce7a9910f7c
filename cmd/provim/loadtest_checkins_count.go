package main

// After the check-in load test (loadtest_checkins.go): what the run left, counted,
// and the report.

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"text/tabwriter"
	"time"

	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/store"
	"provim/internal/wire"
)

// checkinCount is what the run left: for each candidate driven, the
// check-ins recorded (the venue's day as examday shows it) and the
// check-in entries of the audit log since the run began.
type checkinCount struct {
	candidates        int
	once, none, twice int // candidates present with one seat / not present / with more than one check-in audited
	audited           int // check_in entries of the run
	seatClash         int // rooms where two candidates share a seat
}

// countCheckins counts, after the run, the check-ins recorded per
// candidate: exactly one each, "no duplicates after retries".
func countCheckins(ctx context.Context, svcs *wire.Services, db *store.DB, ava *auth.Principal, venues []string, since time.Time) (checkinCount, error) {
	var c checkinCount
	driven := map[int64]bool{}
	present := map[int64]int{}
	for _, code := range venues {
		v, err := svcs.ExamDay.Venue(ctx, ava, 1, checkinExam, code, true)
		if err != nil {
			return c, err
		}
		for _, room := range v.Rooms {
			seats := map[int]bool{}
			clash := false
			for _, e := range room.Entries {
				driven[e.StudentID] = true
				if e.Status == "present" && e.Seat > 0 {
					present[e.StudentID]++
					clash = clash || seats[e.Seat]
					seats[e.Seat] = true
				}
			}
			if clash {
				c.seatClash++
			}
		}
	}
	audited := map[string]int{}
	for off := 0; ; off += 1000 {
		page, total, err := audit.QueryPage(ctx, db.DB, audit.Filter{Action: "check_in", Type: "candidate", From: since.Add(-time.Minute), Offset: off, Limit: 1000})
		if err != nil {
			return c, err
		}
		for _, e := range page {
			audited[e.ObjectID]++
			c.audited++
		}
		if len(page) == 0 || off+len(page) >= total {
			break
		}
	}
	c.candidates = len(driven)
	for id := range driven {
		n := audited[strconv.FormatInt(id, 10)]
		switch {
		case n > 1:
			c.twice++
		case present[id] == 1 && n == 1:
			c.once++
		default:
			c.none++
		}
	}
	return c, nil
}

// reportCheckins prints the check-in table and the count, and returns 1
// when the check-ins miss the targets (0 otherwise).
func reportCheckins(w io.Writer, engine string, run checkinsRun, rooms, candidates int, ci checkinResult, c checkinCount, results []pageResult) int {
	sends := "një herë"
	if run.retries {
		sends = "dy herë, me të njëjtin çelës (pajisja provon sërish)"
	}
	fmt.Fprintf(w, "Baza: %s · %d klientë · %d salla njëherësh · %d kandidatë, çdo hyrje %s · GOMAXPROCS %d, %d CPU · ngarkesa e makinës (loadavg): %s\n",
		engine, run.clients, rooms, candidates, sends, runtime.GOMAXPROCS(0), runtime.NumCPU(), loadAverage())
	rate := 0.0
	if ci.elapsed > 0 {
		rate = float64(ci.admitted) / ci.elapsed.Seconds()
	}
	fmt.Fprintf(w, "Objektivat: ≥ %.0f hyrje/s, p99 < %s, 0 gabime, çdo kandidat i regjistruar saktësisht një herë.\n\n", targetCheckinRate, targetCheckinP99)
	var helloSum float64
	var helloN int
	for _, r := range results {
		if r.page == "hello-world /" {
			helloSum, helloN = helloSum+r.rps, helloN+1
		}
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "MATJA\tKËRKESA\tKËRKESA/s\tHYRJE/s\tp50\tp99\tmaks\tGABIME\tNDAJ HELLO\tOBJEKTIVAT\t")
	missed := 0
	for _, r := range results {
		perSec, ratio, verdict := "", "", ""
		if r.page == checkinRow {
			perSec = fmt.Sprintf("%.0f", rate)
			if helloN > 0 && helloSum > 0 {
				ratio = fmt.Sprintf("%.1f%%", 100*r.rps/(helloSum/float64(helloN)))
			}
			verdict = "po"
			if rate < targetCheckinRate || r.p99 >= targetCheckinP99 || r.errors > 0 || c.once != c.candidates {
				verdict, missed = "JO", 1
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t\n", r.page, r.requests, r.rps, perSec,
			ms(r.p50), ms(r.p99), ms(r.max), r.errors, ratio, verdict)
	}
	tw.Flush()
	for _, r := range results {
		if r.errors > 0 {
			fmt.Fprintf(w, "  %s: gabimi i parë: %s\n", r.page, r.firstError)
		}
	}
	fmt.Fprintf(w, "\nHyrje: %d kandidatë të pranuar në %.1f s; %d dërgime të dyta morën përgjigjen e parë (replayed).\n",
		ci.admitted, ci.elapsed.Seconds(), ci.replays)
	fmt.Fprintf(w, "Pas matjes, hyrje të regjistruara për kandidat: %d me saktësisht 1, %d pa hyrje, %d me më shumë se 1 (dublikata) · %d shënime check_in në auditim · %d salla me vend të përsëritur.\n",
		c.once, c.none, c.twice, c.audited, c.seatClash)
	if c.twice > 0 || c.seatClash > 0 {
		missed = 1
	}
	return missed
}
