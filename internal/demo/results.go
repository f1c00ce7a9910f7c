package demo

import (
	"context"
	"fmt"
	"time"

	"provim/internal/anonym"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/results"
	"provim/internal/wire"
)

// ResultsAfterDays is the day after its exam on which the demo publishes
// an exam's results: within the 15 days of Neni 57.19.
const ResultsAfterDays = 12

// RunResults publishes the results of every exam of the active year
// whose marking has closed (issue 15 items 1–3): on the morning of the
// realistic day (the exam's day + ResultsAfterDays, or later if the
// marking closed later) the demo's key holders present their shares and
// the link opens (Neni 58, 59.3), AVA computes the results and, in the
// evening, publishes them (Neni 57.19), late only if the marking closed
// after the deadline. Exams already published are left as they are, so
// running it again changes nothing.
func RunResults(ctx context.Context, svcs *wire.Services, clk *clock.Manual, ava *auth.Principal, progress func(string)) error {
	if progress == nil {
		progress = func(string) {}
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
	exams = append(exams, more...)
	for _, exam := range exams {
		if err := publishExam(ctx, svcs, clk, ava, y, exam, progress); err != nil {
			return fmt.Errorf("demo: results of %s: %w", exam, err)
		}
	}
	return nil
}

func publishExam(ctx context.Context, svcs *wire.Services, clk *clock.Manual, ava *auth.Principal, y *examyear.Year, exam string, progress func(string)) error {
	closed, err := svcs.Marking.Closed(ctx, y.Year, exam)
	if err != nil || !closed {
		return err
	}
	if _, done, err := svcs.Results.PublishedAt(ctx, y.Year, exam); err != nil || done {
		return err
	}
	ex, session := examyear.SplitTest(exam)
	day, ok := y.Config.ExamDayOf(ex, session)
	if !ok {
		return nil
	}
	d, err := time.ParseInLocation("2006-01-02", day.Date, examyear.Tirana)
	if err != nil {
		return err
	}
	morning := d.AddDate(0, 0, ResultsAfterDays).Add(9 * time.Hour)
	if clk.Now().Before(morning) {
		clk.Set(morning)
	}
	st, err := svcs.Anonym.Status(ctx, ava, y.Year, exam)
	if err != nil {
		return err
	}
	if !st.Opened {
		holders, shares := DemoShares(svcs, y.Year, exam)
		if len(holders) == 0 {
			progress(fmt.Sprintf("Rezultatet e %s: pjesët e çelësit nuk janë në këtë demonstrim (u dhanë në një ekzekutim tjetër); lidhja nuk hapet.", examyear.TestLabel(exam)))
			return nil
		}
		// Each holder presents their share from their own account, a few
		// minutes apart; the last opens the link.
		var op *anonym.OpenResult
		for i := range holders {
			holder := &auth.Principal{Username: fmt.Sprintf("mbajtes.%d", i+1), FullName: holders[i], Role: auth.RoleAVA}
			res, err := svcs.Anonym.Present(ctx, holder, y.Year, exam, holders[i], shares[i])
			if err != nil {
				return err
			}
			op = res.Opened
			clk.Set(clk.Now().Add(4 * time.Minute))
		}
		if op == nil {
			return fmt.Errorf("the link of %s did not open with %d shares", exam, len(holders))
		}
		progress(fmt.Sprintf("Lidhja kod–kandidat e %s u hap nga %d mbajtës, secili nga llogaria e vet: %d lidhje (Neni 58, 59.3).", examyear.TestLabel(exam), len(op.Holders), op.Links))
	}
	began := clock.StartTimer()
	c, err := svcs.Results.Compute(ctx, ava, y.Year, exam)
	if err != nil {
		return err
	}
	computed := began.Elapsed()
	clk.Set(clk.Now().Add(8 * time.Hour)) // the evening
	reason := ""
	if last, ok := results.PublishDeadline(y.Config, ex, session); ok && results.Late(last, clk.Now()) {
		reason = "Demonstrim: vlerësimi u mbyll pas afatit të shpalljes"
	}
	began = clock.StartTimer()
	p, err := svcs.Results.Publish(ctx, ava, y.Year, exam, reason)
	if err != nil {
		return err
	}
	progress(fmt.Sprintf("Rezultatet e %s: %d kandidatë, %d kalues, %d jokalues, %d mungojnë, %d të anuluar (%.2fs); shpallur më %s%s, %d faqe kandidatësh gati (%.2fs, Neni 57.19).",
		examyear.TestLabel(exam), c.Candidates, c.Passed, c.Failed, c.Absent, c.Voided, computed.Seconds(), clock.Format(clk.Now()), lateNote(p.Late), p.Pages, began.Elapsed().Seconds()))
	return nil
}

func lateNote(late bool) string {
	if late {
		return " (e vonuar, me arsye)"
	}
	return ""
}
