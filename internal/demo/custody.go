package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/custody"
	"provim/internal/examyear"
	"provim/internal/wire"
)

// RunCustody prepares at AVA the packages of the year's first exam (D1,
// session 1) for every venue of the exam plan (every venue with rooms when
// there is no plan yet) and records the first hand-overs of each (Neni 42–
// 43): AVA → the two authorised persons (confirmed by the KMSH
// representative), and the authorised persons → the KMSH chair's safe
// (confirmed by the chair), the day before the exam. The live board then
// shows every package in a KMSH safe, waiting for the PAP on the exam
// morning (Neni 44).
func RunCustody(ctx context.Context, svcs *wire.Services, clk *clock.Manual, ava *auth.Principal, progress func(string)) error {
	if progress == nil {
		progress = func(string) {}
	}
	return runCustody(ctx, svcs, clk, ava, examyear.KindD1, progress)
}

// runCustody is RunCustody for a test (D1, D2 or an elective of session
// 1, or D1-2, D2-2 of the second session: examyear.TestKey).
func runCustody(ctx context.Context, svcs *wire.Services, clk *clock.Manual, ava *auth.Principal, test string, progress func(string)) error {
	y, err := svcs.Years.Active(ctx)
	if err != nil {
		return err
	}
	exam, session := examyear.SplitTest(test)
	start, err := custody.ExamStart(y.Config, exam, session)
	if err != nil {
		return fmt.Errorf("demo: custody: %w", err)
	}
	eve := time.Date(start.Year(), start.Month(), start.Day()-1, 0, 0, 0, 0, examyear.Tirana)
	svc := svcs.Custody
	at := clk.Set

	began := clock.StartTimer()
	at(eve.Add(-3 * 24 * time.Hour).Add(9 * time.Hour))
	res, err := svc.Create(ctx, ava, custody.CreateInput{Exam: exam, Session: session})
	if apperr.Is(err, apperr.Invalid) && strings.Contains(apperr.MessageOf(err), "Nuk ka asnjë qendër") {
		progress("Materialet e provimit: nuk ka qendra me salla, asgjë për të përgatitur")
		return nil
	}
	if err != nil {
		return fmt.Errorf("demo: custody: %w", err)
	}
	source := "sipas planit të provimit"
	if !res.FromPlan {
		source = "sipas vendeve të sallave (plani mungon)"
	}
	progress(fmt.Sprintf("Paketat e provimit %s: %d qendra, %d paketa, %s (%.1fs)", examyear.TestLabel(test), res.Created, res.Packages, source, began.Elapsed().Seconds()))

	began = clock.StartTimer()
	board, err := svc.Board(ctx, ava, custody.Filter{Exam: exam, Session: session})
	if err != nil {
		return err
	}
	dar, err := darOfUnits(ctx, svcs.Registry, ava)
	if err != nil {
		return err
	}
	darName, err := unitNames(ctx, svcs.Registry, ava)
	if err != nil {
		return err
	}
	seals := func(c custody.Consignment) map[string][]string {
		out := map[string][]string{}
		for _, p := range c.Packages {
			out[p.Code] = p.Seals
		}
		return out
	}
	done := 0
	for i, c := range board {
		if c.Stage > 0 || c.Pending != nil {
			continue // run before: left as it is
		}
		d := dar[c.UnitCode]
		chair := &auth.Principal{Username: "kmsh." + strings.ToLower(d), Role: auth.RoleKMSH, Unit: d}
		rep := &auth.Principal{Username: "kmsh." + strings.ToLower(d) + ".perfaqesues", Role: auth.RoleKMSH, Unit: d}
		repName, mashName, chairName := person(d, 1), person(d, 2), person(d, 3)
		// The DARs come to AVA one after the other through the morning.
		pickup := eve.Add(8*time.Hour + time.Duration(i%40)*7*time.Minute)
		at(pickup)
		h, err := svc.Record(ctx, ava, custody.RecordInput{Venue: c.VenueCode, Exam: c.Exam, Session: c.Session, Step: 1,
			Givers: []string{person("AVA", i%5)}, Receivers: []string{repName + " (KMSH, " + darName[d] + ")", mashName + " (MASH)"}, Seals: seals(c)})
		if err != nil {
			return fmt.Errorf("demo: custody %s: %w", c.VenueCode, err)
		}
		at(pickup.Add(5 * time.Minute))
		if _, err := svc.Confirm(ctx, rep, h.ID, custody.ConfirmInput{Seals: seals(c)}); err != nil {
			return fmt.Errorf("demo: custody %s: %w", c.VenueCode, err)
		}
		at(eve.Add(15*time.Hour + time.Duration(i%40)*3*time.Minute))
		h, err = svc.Record(ctx, rep, custody.RecordInput{Venue: c.VenueCode, Exam: c.Exam, Session: c.Session, Step: 2,
			Givers: []string{repName, mashName}, Receivers: []string{chairName + ", kryetar i KMSH, " + darName[d]}, Seals: seals(c)})
		if err != nil {
			return fmt.Errorf("demo: custody %s: %w", c.VenueCode, err)
		}
		at(eve.Add(15*time.Hour + time.Duration(i%40)*3*time.Minute + 4*time.Minute))
		if _, err := svc.Confirm(ctx, chair, h.ID, custody.ConfirmInput{Seals: seals(c)}); err != nil {
			return fmt.Errorf("demo: custody %s: %w", c.VenueCode, err)
		}
		done++
	}
	progress(fmt.Sprintf("Dorëzimet%s AVA → personat e autorizuar → kasaforta e KMSH: %d qendra (%.1fs)", examNote(test), done, began.Elapsed().Seconds()))
	return nil
}

// person is a stable made-up name for the n-th person of a unit.
func person(unit string, n int) string {
	h := fnv.New32a()
	fmt.Fprintf(h, "%s#%d", unit, n)
	v := int(h.Sum32())
	first := fathersNames
	if n%2 == 0 {
		first = womenNames
	}
	return first[v%len(first)] + " " + surnames[(v/7)%len(surnames)]
}

// examNote names a test other than D1 in a line of progress (D1's lines
// stay as they were).
func examNote(test string) string {
	if test == examyear.KindD1 {
		return ""
	}
	return " e " + examyear.TestLabel(test)
}
