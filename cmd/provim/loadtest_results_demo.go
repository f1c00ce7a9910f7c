package main

import (
	"context"
	"fmt"
	"time"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/demo"
	"provim/internal/store"
	"provim/internal/wire"
)

// demoResults builds the demo country through the whole first session
// (every exam marked and closed), publishes its results as the demo does
// (demo.RunResults: the key holders open the link, the results are
// computed and published, every candidate's page prepared), and returns
// the candidates with a page and the moment to serve them at: the
// evening of the last publication.
func demoResults(ctx context.Context, db *store.DB, run resultsRun) ([]int64, time.Time, error) {
	clk := clock.Fixed(clock.Real{}.Now())
	svcs := wire.New(db, clk)
	if _, err := buildDemo(ctx, svcs, run.seed, run.students, "", func(string) {}); err != nil {
		return nil, time.Time{}, err
	}
	ava := &auth.Principal{Username: "demo", FullName: "Demonstrimi", Role: auth.RoleAVA}
	if err := demo.RunResults(ctx, svcs, clk, ava, func(string) {}); err != nil {
		return nil, time.Time{}, fmt.Errorf("demo results: %w", err)
	}
	ids, err := svcs.Results.PageStudents(ctx, DemoYear)
	if err != nil {
		return nil, time.Time{}, err
	}
	d := clk.Now().In(clock.Tirana)
	return ids, time.Date(d.Year(), d.Month(), d.Day(), 20, 0, 0, 0, clock.Tirana), nil
}
