package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/venue"
	"provim/internal/wire"
)

// RunVenuePlan takes the demo year through the venue phase for the first
// exam, on the dates of the year's calendar: every venue inspected by the
// KMSH of its DAR against Neni 38 (1 April, before the deadline of Neni
// 37), every DAR's venue list sent (5 May, Neni 41), and the plan of D1,
// session 1, for the whole country by AVA (1 June, after the final name
// lists of Neni 36). Every step goes through package venue with its
// rules, deadlines and audit.
func RunVenuePlan(ctx context.Context, svcs *wire.Services, clk *clock.Manual, ava *auth.Principal, progress func(string)) error {
	if progress == nil {
		progress = func(string) {}
	}
	y, err := svcs.Years.Active(ctx)
	if err != nil {
		return err
	}
	svc := svcs.Venues
	on := func(mmdd string) {
		day, _ := time.ParseInLocation("2006-01-02", fmt.Sprint(y.Year)+mmdd, examyear.Tirana)
		clk.Set(day.Add(10 * time.Hour))
	}
	type v struct{ code, dar string }
	darOf, err := darOfUnits(ctx, svcs.Registry, ava)
	if err != nil {
		return fmt.Errorf("demo: venues: %w", err)
	}
	all, err := venuesByCode(ctx, svcs.Registry, ava)
	if err != nil {
		return fmt.Errorf("demo: venues: %w", err)
	}
	venues := make([]v, 0, len(all))
	for _, x := range all {
		venues = append(venues, v{x.Code, darOf[x.UnitCode]})
	}
	kmsh := func(dar string) *auth.Principal {
		return &auth.Principal{Username: "kmsh." + strings.ToLower(dar), Role: auth.RoleKMSH, Unit: dar}
	}

	// Neni 37–38: the inspection, every criterion met, the rooms as
	// measured in the registry.
	on("-04-01")
	start := clock.StartTimer()
	check := venue.Checklist{SpacingCM: venue.MinSpacingCM, DeskWidthCM: 60, DeskDepthCM: 40, OneDirection: true, AiredLit: true,
		NoPosters: true, NoOtherActivity: true, RoadAccess: true}
	seats := 0
	dars := map[string]bool{}
	var darList []string
	for _, x := range venues {
		got, err := svc.Inspect(ctx, kmsh(x.dar), x.code, venue.InspectionInput{Checklist: check})
		if err != nil {
			return fmt.Errorf("demo: inspect %s: %w", x.code, err)
		}
		seats += got.Seats
		if !dars[x.dar] {
			dars[x.dar] = true
			darList = append(darList, x.dar)
		}
	}
	progress(fmt.Sprintf("Inspektimi i mjediseve (Neni 37–38): %d qendra, %d vende (%.1fs)", len(venues), seats, start.Elapsed().Seconds()))

	// Neni 41: each DAR sends its venue list (with its ZA) by 10 May.
	on("-05-05")
	start = clock.StartTimer()
	for _, dar := range darList {
		if _, err := svc.SendList(ctx, kmsh(dar), dar, ""); err != nil {
			return fmt.Errorf("demo: venue list %s: %w", dar, err)
		}
	}
	progress(fmt.Sprintf("Listat e mjediseve (Neni 41): %d DAR (%.1fs)", len(darList), start.Elapsed().Seconds()))

	// Neni 39, 52: the plan of the first exam for the whole country.
	on("-06-01")
	start = clock.StartTimer()
	res, err := svc.Plan(ctx, ava, examyear.KindD1, 1, "")
	if err != nil {
		return fmt.Errorf("demo: plan D1: %w", err)
	}
	progress(fmt.Sprintf("Plani i provimit D1 (Neni 39, 52): %d kandidatë në %d qendra, %d salla (%.1fs)", res.Candidates, res.Venues, res.Rooms, start.Elapsed().Seconds()))
	return nil
}
