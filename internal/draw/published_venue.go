package draw

import (
	"context"
	"fmt"

	"provim/internal/clock"
	"provim/internal/store"
	"provim/internal/venue"
)

// What package draw tells package venue (through venue.OnPlanUsedBy, set
// by wire.New): which draws were made on an exam's plan in the places a
// change of the plan touches (issue 9 item 11). It runs on db.Q(ctx), so
// it joins the caller's transaction.

// StaleAfterPlanChange names the draws of the exam, not superseded, that
// cover the places (the unit of a venue or the DAR above its ZA): they
// were made (or committed) on the plan as it was.
func (s *Service) StaleAfterPlanChange(ctx context.Context, year, session int, exam string, places []venue.PlanPlace) ([]string, error) {
	var units []string
	seen := map[string]bool{}
	for _, p := range places {
		for _, u := range []string{p.Unit, p.Parent} {
			if u != "" && !seen[u] {
				seen[u] = true
				units = append(units, u)
			}
		}
	}
	if len(units) == 0 {
		return nil, nil
	}
	var q store.Query
	q.Add("year = ?", year)
	q.Add("session = ?", session)
	q.Add("exam = ?", exam)
	q.Add("superseded_by IS NULL")
	q.Add("unit_code IN ("+store.Marks(len(units))+")", store.Args(units)...)
	type row struct{ unit, status, committed, drawn string }
	list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (row, error) {
		var x row
		return x, r.Scan(&x.unit, &x.status, &x.committed, &x.drawn)
	}, `SELECT unit_code, status, committed_at, drawn_at FROM draws`+q.Where()+` ORDER BY unit_code`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("draw: draws on the plan: %w", err)
	}
	var out []string
	for _, x := range list {
		if x.status == "drawn" {
			out = append(out, fmt.Sprintf("Shorti i personelit të provimit %s për DAR/ZA %s, hedhur më %s, u bë mbi planin e mëparshëm: administratorët e sallave dhe qendrave mund të mos përputhen më me kandidatët (Neni 47.1); KMSH-ja vendos nëse duhet short i dytë, me arsye (Neni 44 ¶2).",
				exam, x.unit, clock.Stamp(x.drawn)))
			continue
		}
		out = append(out, fmt.Sprintf("Zotimi i shortit të personelit të provimit %s për DAR/ZA %s, publikuar më %s, u bë mbi planin e mëparshëm (Neni 47.5).", exam, x.unit, clock.Stamp(x.committed)))
	}
	return out, nil
}
