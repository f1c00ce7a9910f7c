package venue_test

import (
	"context"
	"testing"
	"time"

	"provim/internal/clock"
	"provim/internal/demo"
	"provim/internal/examyear"
	"provim/internal/testkit"
	"provim/internal/venue"
)

// BenchmarkPlanNational35k measures the target: the plan of an
// exam for every venue of the national demo (~35,000 candidates, ~1,500
// rooms) on SQLite, well under 2 s. The setup builds the demo through the
// application phase and demo.RunVenuePlan (inspections, venue lists, a
// first plan); each iteration plans D1 for the whole country again.
//
//	go test ./internal/venue -run '^$' -bench PlanNational35k -benchtime 5x
func BenchmarkPlanNational35k(b *testing.B) {
	ctx := context.Background()
	k := testkit.New(b)
	data := demo.Generate(20270601, 2027)
	if err := demo.Load(ctx, k.Registry, ava, data, nil); err != nil {
		b.Fatal(err)
	}
	if _, err := k.Years.Create(ctx, ava, 2027, "", 2009); err != nil {
		b.Fatal(err)
	}
	if err := k.Years.SetActive(ctx, ava, 2027); err != nil {
		b.Fatal(err)
	}
	if err := demo.RunApplications(ctx, k.Services, k.Clock, ava, 20270601, nil); err != nil {
		b.Fatal(err)
	}
	if err := demo.RunVenuePlan(ctx, k.Services, k.Clock, ava, func(s string) { b.Log(s) }); err != nil {
		b.Fatal(err)
	}
	k.Clock.Set(time.Date(2027, 6, 2, 12, 0, 0, 0, clock.Tirana))
	svc := k.Venues
	var res venue.PlanResult
	for b.Loop() {
		var err error
		res, err = svc.Plan(ctx, ava, examyear.KindD1, 1, "")
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(res.Candidates), "candidates")
	b.ReportMetric(float64(res.Rooms), "rooms")
}
