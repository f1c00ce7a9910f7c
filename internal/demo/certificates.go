package demo

import (
	"context"
	"fmt"
	"time"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/wire"
)

// RunCertificates issues the Dëftesa e Pjekurisë of the active year
// (issue 15 item 8) to every candidate whose mandatory exams are published
// and passed (Neni 17; in either session, Neni 58), on the morning after
// the last publication, so that
// the re-marking that follows (RunRemarks) revokes and reissues those
// whose grade changes (Neni 64). Without the seal's key, or while nobody
// completes the Matura (the demo marks D2 and the electives only once
// part D runs them), it says so and issues nothing. Running it again
// issues nothing new.
func RunCertificates(ctx context.Context, svcs *wire.Services, clk *clock.Manual, ava *auth.Principal, progress func(string)) error {
	if progress == nil {
		progress = func(string) {}
	}
	if _, err := svcs.Certificates.Seal(); err != nil {
		progress("Dëftesat e Pjekurisë: mungon çelësi i vulës (--seal-key), nuk lëshohet asnjë.")
		return nil
	}
	y, err := svcs.Years.Active(ctx)
	if err != nil {
		return err
	}
	exams := []string{examyear.KindD1}
	more, err := SessionExams(ctx, svcs, y.Config)
	if err != nil {
		return err
	}
	var last time.Time
	for _, exam := range append(append(exams, more...), SecondSessionTests(y.Config)...) {
		at, ok, err := svcs.Results.PublishedAt(ctx, y.Year, exam)
		if err != nil {
			return err
		}
		if ok && at.After(last) {
			last = at
		}
	}
	if last.IsZero() {
		progress("Dëftesat e Pjekurisë: asnjë rezultat nuk është shpallur ende, nuk lëshohet asnjë.")
		return nil
	}
	if clk != nil {
		d := last.In(clock.Tirana)
		morning := time.Date(d.Year(), d.Month(), d.Day()+1, 9, 0, 0, 0, clock.Tirana)
		if clk.Now().Before(morning) {
			clk.Set(morning)
		}
	}
	timer := clock.StartTimer()
	rep, err := svcs.Certificates.IssueAll(ctx, ava, y.Year, progress)
	if err != nil {
		return fmt.Errorf("demo: certificates: %w", err)
	}
	if rep.Issued == 0 && rep.Already == 0 {
		progress(fmt.Sprintf("Dëftesat e Pjekurisë %d: askush nuk e ka përfunduar ende Maturën (duhen D1 dhe D2, "+
			"të shpallura dhe kaluese, Neni 17; %d kandidatë me rezultate të plota pa Maturë të përfunduar), nuk lëshohet asnjë.", y.Year, rep.NotComplete))
		return nil
	}
	progress(fmt.Sprintf("Dëftesat e Pjekurisë %d: %d të lëshuara, %d kishin një më parë, %d pa Maturë të përfunduar (%s).",
		y.Year, rep.Issued, rep.Already, rep.NotComplete, timer.Elapsed().Round(time.Millisecond)))
	return nil
}
