package draw

import (
	"context"
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
	// The ids and exams first (the draws_valid index answers them), then
	// the places of the draws held at the same time only, each decoded
	// once (placesOf): a draw's result is large, and the session's other
	// draws are many.
	type drawn struct {
		id   int64
		exam string
	}
	list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (drawn, error) {
		var d drawn
		return d, r.Scan(&d.id, &d.exam)
	}, `SELECT id, exam FROM draws WHERE year = $1 AND session = $2 AND exam <> $3 AND status = $4 AND superseded_by IS NULL ORDER BY id`,
		year, session, exam, StatusDrawn)
	if err != nil {
		return nil, fmt.Errorf("draw: draws at the same time: %w", err)
	}
	out := map[int64]string{}
	for _, d := range list {
		if !cfg.Overlap(exam, d.exam, session) {
			continue
		}
		places, err := s.placesOf(ctx, d.id)
		if err != nil {
			return nil, fmt.Errorf("draw: result of %s: %w", d.exam, err)
		}
		for _, a := range places {
			if _, ok := out[a.StaffID]; !ok && a.StaffID != 0 {
				out[a.StaffID] = d.exam
			}
		}
	}
	return out, nil
}
