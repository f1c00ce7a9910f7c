package demo

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/draw"
	"provim/internal/examyear"
	"provim/internal/wire"
)

// RunDraws runs the staff draw of the first exam (D1, session 1) in every
// DAR of the demo, after the venue plan: the regional commission proposes
// its lists per role from its staff (Neni 47.3), publishes the commitment
// half an hour before the draw window and draws 15 minutes into it, 3
// hours before the exam (Neni 10.9, 44, 47.5), with numbers "called out"
// by the people present (derived from the DAR's code, so the demo is
// repeatable apart from the secret seed). A DAR whose lists fall short is
// reported and skipped. Without an exam plan it says so and does nothing.
// ava reads the DAR; the draws themselves only a KMSH runs.
func RunDraws(ctx context.Context, svcs *wire.Services, clk *clock.Manual, ava *auth.Principal, progress func(string)) error {
	if progress == nil {
		progress = func(string) {}
	}
	return runDraws(ctx, svcs, clk, ava, examyear.KindD1, progress)
}

// runDraws is RunDraws for a test (examyear.TestKey: an exam of session
// 1, or D1-2, D2-2 of the second).
func runDraws(ctx context.Context, svcs *wire.Services, clk *clock.Manual, ava *auth.Principal, test string, progress func(string)) error {
	y, err := svcs.Years.Active(ctx)
	if err != nil {
		return err
	}
	exam, session := examyear.SplitTest(test)
	seats, err := svcs.Venues.PlannedSeats(ctx, y.Year, session, exam)
	if err != nil {
		return fmt.Errorf("demo: draws: %w", err)
	}
	if seats == 0 {
		progress("Shorti i personelit: nuk ka plan provimi për " + exam + " (tabela exam_seats është bosh); shorti nuk u hodh.")
		return nil
	}
	openAt, _, _, err := draw.Window(y.Config, exam, session)
	if err != nil {
		return err
	}
	dars, err := darCodes(ctx, svcs.Registry, ava)
	if err != nil {
		return fmt.Errorf("demo: draws: %w", err)
	}
	svc := svcs.Draws
	start := clock.StartTimer()
	done, places := 0, 0
	for _, dar := range dars {
		kmsh := &auth.Principal{Username: "kmsh." + strings.ToLower(dar), Role: auth.RoleKMSH, Unit: dar}
		clk.Set(openAt.Add(-30 * time.Minute))
		if _, err := svc.FillPool(ctx, kmsh, session, exam, dar); err != nil {
			if skip(err, exam, dar, progress) {
				continue
			}
			return err
		}
		rec, err := svc.Commit(ctx, kmsh, draw.CommitRequest{Session: session, Exam: exam, Unit: dar})
		if err != nil {
			if skip(err, exam, dar, progress) {
				continue
			}
			return err
		}
		clk.Set(openAt.Add(15 * time.Minute))
		rec, err = svc.Run(ctx, kmsh, rec.ID, calledOut(dar))
		if err != nil {
			if skip(err, exam, dar, progress) {
				continue
			}
			return err
		}
		done++
		places += len(rec.Result)
	}
	progress(fmt.Sprintf("Shorti i personelit për %s: %d nga %d DAR, %d caktime (%.1fs)", examyear.TestLabel(test), done, len(dars), places, start.Elapsed().Seconds()))
	return nil
}

// skip reports a domain error of one DAR's draw (e.g. a pool too small)
// and tells the caller to go on; other errors stop the demo.
func skip(err error, exam, dar string, progress func(string)) bool {
	if apperr.CodeOf(err) == apperr.Internal {
		return false
	}
	msg := apperr.MessageOf(err)
	var ae *apperr.Error
	if e, ok := err.(*apperr.Error); ok {
		ae = e
	}
	if ae != nil && len(ae.Details) > 0 {
		n := min(len(ae.Details), 3)
		msg += " " + strings.Join(ae.Details[:n], "; ")
		if len(ae.Details) > n {
			msg += fmt.Sprintf(" … (+%d)", len(ae.Details)-n)
		}
	}
	progress(fmt.Sprintf("Shorti i %s për %s nuk u hodh: %s", dar, exam, msg))
	return true
}

// calledOut is the demo's stand-in for the numbers called out at the draw.
func calledOut(dar string) string {
	sum := sha256.Sum256([]byte(dar))
	var parts []string
	for i := range 4 {
		parts = append(parts, fmt.Sprint(1+binary.BigEndian.Uint16(sum[2*i:])%99))
	}
	return strings.Join(parts, " ")
}
