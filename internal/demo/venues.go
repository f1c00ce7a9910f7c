package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/store"
	"provim/internal/venue"
)

// RunVenuePlan takes the demo year through the venue phase for the first
// exam, on the dates of the year's calendar: every venue inspected by the
// KMSH of its DAR against Neni 38 (1 April, before the deadline of Neni
// 37), every DAR's venue list sent (5 May, Neni 41), and the plan of D1,
// session 1, for the whole country by AVA (1 June, after the final name
// lists of Neni 36). Every step goes through package venue with its
// rules, deadlines and audit.
func RunVenuePlan(ctx context.Context, db *store.DB, ava *auth.Principal, progress func(string)) error {
	if progress == nil {
		progress = func(string) {}
	}
	y, err := examyear.NewService(db).Active(ctx)
	if err != nil {
		return err
	}
	svc := venue.NewService(db)
	on := func(mmdd string) {
		day, _ := time.ParseInLocation("2006-01-02", fmt.Sprint(y.Year)+mmdd, examyear.Tirana)
		svc.SetClock(func() time.Time { return day.Add(10 * time.Hour) })
	}
	type v struct{ code, dar string }
	rows, err := db.QueryContext(ctx, `SELECT v.code, COALESCE(NULLIF(u.parent_code, ''), u.code) FROM venues v JOIN units u ON u.code = v.unit_code ORDER BY v.code`)
	if err != nil {
		return fmt.Errorf("demo: venues: %w", err)
	}
	var venues []v
	for rows.Next() {
		var x v
		if err := rows.Scan(&x.code, &x.dar); err != nil {
			rows.Close()
			return err
		}
		venues = append(venues, x)
	}
	rows.Close()
	kmsh := func(dar string) *auth.Principal {
		return &auth.Principal{Username: "kmsh." + strings.ToLower(dar), Role: auth.RoleKMSH, Unit: dar}
	}

	// Neni 37–38: the inspection, every criterion met, the rooms as
	// measured in the registry.
	on("-04-01")
	start := time.Now()
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
	progress(fmt.Sprintf("Inspektimi i mjediseve (Neni 37–38): %d qendra, %d vende (%.1fs)", len(venues), seats, time.Since(start).Seconds()))

	// Neni 41: each DAR sends its venue list (with its ZA) by 10 May.
	on("-05-05")
	start = time.Now()
	for _, dar := range darList {
		if _, err := svc.SendList(ctx, kmsh(dar), dar, ""); err != nil {
			return fmt.Errorf("demo: venue list %s: %w", dar, err)
		}
	}
	progress(fmt.Sprintf("Listat e mjediseve (Neni 41): %d DAR (%.1fs)", len(darList), time.Since(start).Seconds()))

	// Neni 39, 52: the plan of the first exam for the whole country.
	on("-06-01")
	start = time.Now()
	res, err := svc.Plan(ctx, ava, examyear.KindD1, 1, "")
	if err != nil {
		return fmt.Errorf("demo: plan D1: %w", err)
	}
	progress(fmt.Sprintf("Plani i provimit D1 (Neni 39, 52): %d kandidatë në %d qendra, %d salla (%.1fs)", res.Candidates, res.Venues, res.Rooms, time.Since(start).Seconds()))
	return nil
}
