package custody

import (
	"context"
	"fmt"

	"provim/internal/store"
	"provim/internal/venue"
)

// What package custody tells package venue (through venue.OnPlanUsedBy,
// set by wire.New): which venues' packages of exam material were made on
// an exam's plan that a change now touches (issue 9 item 11). It runs on
// db.Q(ctx), so it joins the caller's transaction.

// StaleAfterPlanChange names the consignments of the exam in the places'
// venues: their packages were counted on the plan as it was.
func (s *Service) StaleAfterPlanChange(ctx context.Context, year, session int, exam string, places []venue.PlanPlace) ([]string, error) {
	names := map[string]string{}
	var codes []string
	for _, p := range places {
		if _, ok := names[p.Venue]; !ok {
			names[p.Venue] = p.VenueName
			codes = append(codes, p.Venue)
		}
	}
	if len(codes) == 0 {
		return nil, nil
	}
	var q store.Query
	q.Add("c.year = ?", year)
	q.Add("c.session = ?", session)
	q.Add("c.exam = ?", exam)
	q.Add("c.venue_code IN ("+store.Marks(len(codes))+")", store.Args(codes)...)
	type row struct {
		venue        string
		stage, items int
	}
	list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (row, error) {
		var x row
		return x, r.Scan(&x.venue, &x.stage, &x.items)
	}, `SELECT c.venue_code, c.stage, COALESCE(SUM(CASE WHEN p.kind = 'broshura' THEN p.items ELSE 0 END), 0)
		FROM custody_consignments c LEFT JOIN custody_packages p
		ON p.year = c.year AND p.session = c.session AND p.exam = c.exam AND p.venue_code = c.venue_code`+q.Where()+`
		GROUP BY c.venue_code, c.stage ORDER BY c.venue_code`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("custody: packages on the plan: %w", err)
	}
	var out []string
	for _, x := range list {
		msg := fmt.Sprintf("Paketat e materialeve të provimit %s për qendrën %s (%s) janë përgatitur mbi planin e mëparshëm (%d broshura)", exam, names[x.venue], x.venue, x.items)
		if x.stage > 0 {
			msg += fmt.Sprintf(" dhe kanë kaluar %d dorëzime me procesverbal (Neni 42–44)", x.stage)
		}
		out = append(out, msg+": numri i broshurave duhet kontrolluar me AVA-n.")
	}
	return out, nil
}
