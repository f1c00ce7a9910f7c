package draw

import (
	"context"
	"encoding/json"
	"fmt"

	"provim/internal/examyear"
	"provim/internal/store"
)

// busyAtTheSameTime returns the people drawn, in a draw that stands (not
// superseded), for another exam of session held at the same time as exam
// at least in part (examyear.Config.Overlap: the sittings of the year's
// timetable, Neni 14.3), with that exam's code. Such a person is left out
// of this exam's lists, in every region: nobody is drawn to two venues at
// once.
func (s *Service) busyAtTheSameTime(ctx context.Context, cfg examyear.Config, year, session int, exam string) (map[int64]string, error) {
	type drawn struct{ exam, result string }
	list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (drawn, error) {
		var d drawn
		return d, r.Scan(&d.exam, &d.result)
	}, `SELECT exam, result FROM draws WHERE year = $1 AND session = $2 AND exam <> $3 AND status = $4 AND superseded_by IS NULL ORDER BY id`,
		year, session, exam, StatusDrawn)
	if err != nil {
		return nil, fmt.Errorf("draw: draws at the same time: %w", err)
	}
	out := map[int64]string{}
	for _, d := range list {
		if !cfg.Overlap(exam, d.exam, session) {
			continue
		}
		var o Outcome
		if err := json.Unmarshal([]byte(d.result), &o); err != nil {
			return nil, fmt.Errorf("draw: result of %s: %w", d.exam, err)
		}
		for _, a := range o.Assignments {
			if _, ok := out[a.StaffID]; !ok && a.StaffID != 0 {
				out[a.StaffID] = d.exam
			}
		}
	}
	return out, nil
}
