package demo

import (
	"context"
	"fmt"
	"time"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/custody"
	"provim/internal/examyear"
	"provim/internal/wire"
)

// AnonymHolders are the demo's key holders of the sealed code↔candidate
// link of D1, three of whom open it (Neni 59.3).
var AnonymHolders = []string{"Alma Dervishi", "Bujar Kelmendi", "Çlirim Gashi", "Dafina Mërkuri", "Eltjon Shehu"}

// AnonymThreshold is how many of AnonymHolders open the link.
const AnonymThreshold = 3

// RunAnonymisation makes at AVA, on the eve of D1 after the custody's
// first hand-overs, the anonymisation codes of D1 for every candidate
// seated in the plan (Neni 51.3; two labels each, Neni 53.4) — and of any
// other exam that has a plan — and names the five demo key holders of
// D1's sealed link, three of whom open it (Neni 59.3). The shares are
// given out once, as the service gives them: the demo prints them with
// its progress (they are demo data; a real year hands each to its holder
// and keeps none).
func RunAnonymisation(ctx context.Context, svcs *wire.Services, clk *clock.Manual, ava *auth.Principal, progress func(string)) error {
	if progress == nil {
		progress = func(string) {}
	}
	y, err := svcs.Years.Active(ctx)
	if err != nil {
		return err
	}
	start, err := custody.ExamStart(y.Config, examyear.KindD1, 1)
	if err != nil {
		return fmt.Errorf("demo: anonymisation: %w", err)
	}
	eve := time.Date(start.Year(), start.Month(), start.Day()-1, 15, 0, 0, 0, examyear.Tirana)
	if clk.Now().Before(eve) {
		clk.Set(eve)
	}
	svc := svcs.Anonym
	began := clock.StartTimer()
	res, err := svc.Generate(ctx, ava, y.Year, examyear.KindD1)
	if apperr.Is(err, apperr.Conflict) {
		progress("Kodet e sekretimit: " + apperr.MessageOf(err))
		return nil
	}
	if err != nil {
		return fmt.Errorf("demo: anonymisation: %w", err)
	}
	progress(fmt.Sprintf("Kodet e sekretimit të D1: %d kode (%d etiketa secili) në %d salla të %d qendrave (%.1fs)",
		res.Codes, res.Labels, res.Rooms, res.Venues, began.Elapsed().Seconds()))
	// The other exams have codes once they have a plan.
	others := []string{examyear.KindD2}
	for _, sub := range y.Config.Subjects {
		if sub.Kind == examyear.KindElective {
			others = append(others, sub.Code)
		}
	}
	for _, exam := range others {
		if n, err := svcs.Venues.PlannedSeats(ctx, y.Year, 1, exam); err != nil || n == 0 {
			continue
		}
		if _, err := svc.Generate(ctx, ava, y.Year, exam); err != nil && !apperr.Is(err, apperr.Conflict) {
			return fmt.Errorf("demo: anonymisation %s: %w", exam, err)
		}
	}
	st, err := svc.Status(ctx, ava, y.Year, examyear.KindD1)
	if err != nil {
		return fmt.Errorf("demo: anonymisation: %w", err)
	}
	if st.Keyed {
		progress(fmt.Sprintf("Mbajtësit e çelësit të D1 ishin caktuar: %d, e hapin %d.", len(st.Holders), st.Threshold))
		return nil
	}
	key, err := svc.NameHolders(ctx, ava, y.Year, examyear.KindD1, AnonymHolders, AnonymThreshold)
	if apperr.Is(err, apperr.Conflict) {
		progress("Mbajtësit e çelësit të D1: " + apperr.MessageOf(err))
		return nil
	}
	if err != nil {
		return fmt.Errorf("demo: key holders: %w", err)
	}
	keepShares(svcs, y.Year, examyear.KindD1, key.Shares)
	progress(fmt.Sprintf("Çelësi i lidhjes kod–kandidat të D1 u nda te %d mbajtës, e hapin %d prej tyre (Neni 59.3). Pjesët (vetëm demonstrim; jepen një herë dhe nuk ruhen):",
		len(key.Shares), key.Threshold))
	for _, sh := range key.Shares {
		progress(fmt.Sprintf("    %d. %s: %s", sh.No, sh.Name, sh.Share))
	}
	return nil
}
