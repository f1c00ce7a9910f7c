package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/wire"
)

// The second session (Neni 16 ¶2, 58): the candidates who failed a
// mandatory exam of the first session, and the school-year failers who
// passed in the autumn, sit D1 and D2 again in October, through the same
// phases and the same services as the first session — only the session
// differs (examyear.TestKey: the tests D1-2 and D2-2).

// SecondSessionTests are the tests of the second session in the order of
// the calendar: the mandatory exams only (Neni 14.4: no electives).
func SecondSessionTests(cfg examyear.Config) []string {
	var out []string
	for _, exam := range []string{examyear.KindD1, examyear.KindD2} {
		if _, _, ok := cfg.Sitting(exam, 2); ok {
			out = append(out, examyear.TestKey(exam, 2))
		}
	}
	return out
}

// RunSecondSession runs the second session after the KMSHs sent their
// lists (Neni 58 ¶1): on the day after the lists' deadline AVA plans D1
// and D2 of session 2 from the lists, defines their tests two weeks
// before, and then test by test the packages (collected the day before,
// Neni 58 ¶3), the codes and key holders, the staff draw, the exam day at
// every venue and the marking to its close; then the results are
// published (Neni 57.19) and the certificates of those who now completed
// the Matura are issued. Running it again changes nothing.
func RunSecondSession(ctx context.Context, svcs *wire.Services, clk *clock.Manual, ava *auth.Principal, progress func(string)) error {
	if progress == nil {
		progress = func(string) {}
	}
	y, err := svcs.Years.Active(ctx)
	if err != nil {
		return err
	}
	tests := SecondSessionTests(y.Config)
	if len(tests) == 0 {
		progress("Sesioni i dytë: viti nuk ka ditë provimi për të.")
		return nil
	}
	if d, ok := y.Config.Deadline(examyear.KeySession2Lists); ok {
		if day, err := time.ParseInLocation("2006-01-02", d.Date, examyear.Tirana); err == nil {
			if at := day.AddDate(0, 0, 1).Add(11 * time.Hour); clk.Now().Before(at) {
				clk.Set(at)
			}
		}
	}
	began := clock.StartTimer()
	var planned []string
	seats, rooms := 0, 0
	for _, test := range tests {
		exam, session := examyear.SplitTest(test)
		if n, err := svcs.Venues.PlannedSeats(ctx, y.Year, session, exam); err == nil && n > 0 {
			planned = append(planned, test)
			continue // run before
		}
		res, err := svcs.Venues.Plan(ctx, ava, exam, session, "")
		if apperr.Is(err, apperr.Invalid) {
			progress(fmt.Sprintf("Plani i %s: %s", examyear.TestLabel(test), apperr.MessageOf(err)))
			continue // nobody sits it, or no list was sent
		}
		if err != nil {
			return fmt.Errorf("demo: plan %s: %w", test, err)
		}
		planned = append(planned, test)
		seats += res.Candidates
		rooms += res.Rooms
	}
	if len(planned) == 0 {
		return nil
	}
	labels := make([]string, len(planned))
	for i, t := range planned {
		labels[i] = examyear.TestLabel(t)
	}
	progress(fmt.Sprintf("Sesioni i dytë — planet e %s nga listat e KMSH-ve (Neni 58, 39, 52): %d vende në %d salla (%.1fs)",
		strings.Join(labels, ", "), seats, rooms, began.Elapsed().Seconds()))
	for _, test := range planned {
		if err := runTest(ctx, svcs, clk, ava, test, progress); err != nil {
			return err
		}
	}
	for _, test := range planned {
		began = clock.StartTimer()
		if err := runCustody(ctx, svcs, clk, ava, test, progress); err != nil {
			return err
		}
		if err := runCodes(ctx, svcs, clk, ava, test, progress); err != nil {
			return err
		}
		if err := runDraws(ctx, svcs, clk, ava, test, progress); err != nil {
			return err
		}
		if err := runExamDay(ctx, svcs, clk, ava, test, false, progress); err != nil {
			return err
		}
		if err := markExam(ctx, svcs, clk, ava, test, MarkingClosed, progress); err != nil {
			return err
		}
	}
	for _, test := range planned {
		if err := publishExam(ctx, svcs, clk, ava, y, test, progress); err != nil {
			return fmt.Errorf("demo: results of %s: %w", test, err)
		}
	}
	return RunCertificates(ctx, svcs, clk, ava, progress)
}

// RunSession2Lists has every KMSH send its list of the second session to
// AVA (Neni 58 ¶1), after the re-marking's final results, marking four in
// five of its school-year failers as passed in the autumn.
func RunSession2Lists(ctx context.Context, svcs *wire.Services, ava *auth.Principal, progress func(string)) error {
	units, err := svcs.Registry.ListUnits(ctx, ava)
	if err != nil {
		return err
	}
	y, err := svcs.Years.Active(ctx)
	if err != nil {
		return err
	}
	sent, rows := 0, 0
	for _, u := range units {
		p := &auth.Principal{Username: "kmsh." + strings.ToLower(u.Code), FullName: "KMSH " + u.Name, Role: auth.RoleKMSH, Unit: u.Code}
		// The failing students who passed the autumn school session (Neni
		// 58): a deterministic four in five of them.
		list, err := svcs.Results.Session2(ctx, p, y.Year, "")
		if err != nil {
			return fmt.Errorf("demo: session 2 list of %s: %w", u.Code, err)
		}
		var autumn []string
		failers := 0
		for _, r := range list.Rows {
			if r.Failing {
				if failers%5 != 4 {
					autumn = append(autumn, r.PersonalNo)
				}
				failers++
			}
		}
		l, err := svcs.Results.SendSession2(ctx, p, y.Year, autumn)
		if apperr.Is(err, apperr.Invalid) {
			progress("Listat e sesionit të dytë: " + apperr.MessageOf(err))
			return nil
		}
		if err != nil {
			return fmt.Errorf("demo: session 2 list of %s: %w", u.Code, err)
		}
		sent++
		rows += len(l.Rows)
	}
	progress(fmt.Sprintf("Sesioni i dytë: %d KMSH dërguan në AVA listat me %d kandidatë (Neni 58).", sent, rows))
	return nil
}
