package demo

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"provim/internal/anonym"
	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/custody"
	"provim/internal/examyear"
	"provim/internal/marking"
	"provim/internal/wire"
)

// The rest of the first session after D1: D2 (on its own day, Neni 14.2)
// and the electives (two sittings on one day, Neni 14.3), each through
// the same phases as D1 — the plan, the test, the packages and their
// first hand-overs, the codes and the key holders, the staff draw, the
// exam day at every venue and the marking to its close — on the demo's
// clock walking each exam's days.

// SessionExams are the exams of session 1 after D1 the demo runs, in the
// order of the calendar: D2, then the electives with candidates on their
// final lists, the morning sitting's before the afternoon's, each sitting
// in the year's order of subjects.
func SessionExams(ctx context.Context, svcs *wire.Services, cfg examyear.Config) ([]string, error) {
	out := []string{examyear.KindD2}
	type el struct {
		code  string
		start time.Time
		order int
	}
	var els []el
	for i, sub := range cfg.Electives() {
		start, _, ok := cfg.Sitting(sub.Code, 1)
		if !ok {
			continue
		}
		els = append(els, el{sub.Code, start, i})
	}
	sort.SliceStable(els, func(i, j int) bool { return els[i].start.Before(els[j].start) })
	for _, e := range els {
		out = append(out, e.code)
	}
	return out, nil
}

// RunSession runs D2 and the electives of session 1 after D1's marking
// closed (RunMarking with MarkingClosed): first every plan on D1's plan
// day (the electives of one sitting share the rooms, Neni 14.3) and every
// test two weeks before its exam, then exam by exam its packages, codes,
// draw, exam day and marking to the close.
func RunSession(ctx context.Context, svcs *wire.Services, clk *clock.Manual, ava *auth.Principal, progress func(string)) error {
	if progress == nil {
		progress = func(string) {}
	}
	y, err := svcs.Years.Active(ctx)
	if err != nil {
		return err
	}
	exams, err := SessionExams(ctx, svcs, y.Config)
	if err != nil {
		return err
	}
	began := clock.StartTimer()
	planned, seats, rooms := []string{}, 0, 0
	planDay, _ := time.ParseInLocation("2006-01-02", fmt.Sprint(y.Year)+"-06-01", examyear.Tirana)
	clk.Set(planDay.Add(11 * time.Hour))
	for _, exam := range exams {
		if n, err := svcs.Venues.PlannedSeats(ctx, y.Year, 1, exam); err == nil && n > 0 {
			planned = append(planned, exam)
			continue // run before
		}
		res, err := svcs.Venues.Plan(ctx, ava, exam, 1, "")
		if apperr.Is(err, apperr.Invalid) && strings.Contains(apperr.MessageOf(err), "nuk ka kandidatë") {
			continue // nobody sits it
		}
		if err != nil {
			return fmt.Errorf("demo: plan %s: %w", exam, err)
		}
		planned = append(planned, exam)
		seats += res.Candidates
		rooms += res.Rooms
	}
	progress(fmt.Sprintf("Planet e provimeve %s (Neni 14, 39, 52): %d vende në %d salla (%.1fs)", strings.Join(planned, ", "), seats, rooms, began.Elapsed().Seconds()))
	quiet := func(string) {}
	began = clock.StartTimer()
	for _, exam := range planned {
		if err := runTest(ctx, svcs, clk, ava, exam, quiet); err != nil {
			return err
		}
	}
	progress(fmt.Sprintf("Testet përfundimtare dhe skemat e vlerësimit (Neni 19.6, 57.2–57.3): %d provime (%.1fs)", len(planned), began.Elapsed().Seconds()))
	for _, exam := range planned {
		// D2 tells each phase; the electives, small exams, one line each.
		say := progress
		if exam != examyear.KindD2 {
			say = quiet
		}
		began = clock.StartTimer()
		if err := runCustody(ctx, svcs, clk, ava, exam, say); err != nil {
			return err
		}
		if err := runCodes(ctx, svcs, clk, ava, exam, say); err != nil {
			return err
		}
		if err := runDraws(ctx, svcs, clk, ava, exam, say); err != nil {
			return err
		}
		if err := runExamDay(ctx, svcs, clk, ava, exam, false, say); err != nil {
			return err
		}
		if err := markExam(ctx, svcs, clk, ava, exam, MarkingClosed, say); err != nil {
			return err
		}
		if exam != examyear.KindD2 {
			pr, err := svcs.Marking.Progress(ctx, ava, y.Year, exam)
			if err != nil {
				return err
			}
			progress(fmt.Sprintf("Provimi %s (%s): paketat, kodet, shorti, dita e provimit dhe vlerësimi deri në mbyllje — %d test-broshura me pikë përfundimtare (%.1fs)",
				exam, y.Config.SittingLabel(exam, 1), pr.Final, began.Elapsed().Seconds()))
		}
	}
	return nil
}

// runCodes makes, on the eve of exam, its codes (if not made yet) and its
// key holders (AnonymHolders, AnonymThreshold of whom open it), keeping
// the shares for the demo (DemoShares).
func runCodes(ctx context.Context, svcs *wire.Services, clk *clock.Manual, ava *auth.Principal, exam string, progress func(string)) error {
	y, err := svcs.Years.Active(ctx)
	if err != nil {
		return err
	}
	e, session := examyear.SplitTest(exam)
	start, err := custody.ExamStart(y.Config, e, session)
	if err != nil {
		return fmt.Errorf("demo: codes of %s: %w", exam, err)
	}
	eve := time.Date(start.Year(), start.Month(), start.Day()-1, 15, 0, 0, 0, examyear.Tirana)
	if clk.Now().Before(eve) {
		clk.Set(eve)
	}
	began := clock.StartTimer()
	res, err := svcs.Anonym.Generate(ctx, ava, y.Year, exam)
	switch {
	case apperr.Is(err, apperr.Conflict):
	case err != nil:
		return fmt.Errorf("demo: codes of %s: %w", exam, err)
	default:
		progress(fmt.Sprintf("Kodet e sekretimit të %s: %d kode (%d etiketa secili) në %d salla të %d qendrave (%.1fs)",
			examyear.TestLabel(exam), res.Codes, res.Labels, res.Rooms, res.Venues, began.Elapsed().Seconds()))
	}
	st, err := svcs.Anonym.Status(ctx, ava, y.Year, exam)
	if err != nil {
		return err
	}
	if st.Keyed {
		return nil
	}
	key, err := svcs.Anonym.NameHolders(ctx, ava, y.Year, exam, AnonymHolders, AnonymThreshold)
	if err != nil {
		return fmt.Errorf("demo: key holders of %s: %w", exam, err)
	}
	keepShares(svcs, y.Year, exam, key.Shares)
	progress(fmt.Sprintf("Çelësi i lidhjes kod–kandidat të %s u nda te %d mbajtës, e hapin %d prej tyre (Neni 59.3).", examyear.TestLabel(exam), len(key.Shares), key.Threshold))
	return nil
}

// The shares of each exam's key as the demo named its holders: a real
// year hands each to its holder and keeps none; the demo keeps them in
// memory, for its own key holders to open the links after marking — per
// set of services (one demo database), so that demos built side by side
// in one process (the tests) do not take each other's shares.
var shares = struct {
	sync.Mutex
	by map[string][]anonymShare
}{by: map[string][]anonymShare{}}

type anonymShare struct{ Holder, Share string }

func sharesKey(svcs *wire.Services, year int, exam string) string {
	return fmt.Sprintf("%p/%d/%s", svcs.Anonym, year, exam)
}

func keepShares(svcs *wire.Services, year int, exam string, in []anonym.HolderShare) {
	shares.Lock()
	defer shares.Unlock()
	var out []anonymShare
	for _, s := range in {
		out = append(out, anonymShare{s.Name, s.Share})
	}
	shares.by[sharesKey(svcs, year, exam)] = out
}

// DemoShares returns the first AnonymThreshold shares (holder, share) of
// the key of exam in year as the demo named its holders for svcs in this
// process, or nil when it did not.
func DemoShares(svcs *wire.Services, year int, exam string) (holders, values []string) {
	shares.Lock()
	defer shares.Unlock()
	for i, s := range shares.by[sharesKey(svcs, year, exam)] {
		if i == AnonymThreshold {
			break
		}
		holders, values = append(holders, s.Holder), append(values, s.Share)
	}
	return holders, values
}

// testFor is the final test of exam: D1's, or for another exam one made to
// the subject's points — three extended answers of 8, eight short answers
// of 2, and choice items of a point for the rest.
func testFor(cfg examyear.Config, test string) marking.TestInput {
	if test == examyear.KindD1 {
		return d1Test()
	}
	exam, session := examyear.SplitTest(test)
	total, name := 60, exam
	if sub, ok := cfg.Subject(exam); ok {
		name = sub.Name
		if sub.MaxPoints > 0 {
			total = sub.MaxPoints
		}
	}
	if exam == examyear.KindD2 {
		for _, sub := range cfg.Subjects {
			if sub.Kind == examyear.KindD2 {
				name, total = sub.Name, sub.MaxPoints
			}
		}
	}
	t := d1Test()
	var items []marking.Item
	choices := total - 3*8 - 8*2
	for _, it := range t.Items {
		if it.Kind == marking.KindChoice {
			if choices <= 0 {
				continue
			}
			choices--
		}
		it.No = len(items) + 1
		it.Label = fmt.Sprint(it.No)
		items = append(items, it)
	}
	for ; choices > 0; choices-- {
		no := len(items) + 1
		items = append(items, marking.Item{No: no, Label: fmt.Sprint(no), Kind: marking.KindChoice, MaxPoints: 1, Options: 4,
			Key: string(rune('A' + hashOf(fmt.Sprintf("%s/key%d", test, no))%4))})
	}
	return marking.TestInput{Title: name + " — testi përfundimtar, sesioni " + []string{"", "I", "II"}[session], Items: items}
}
