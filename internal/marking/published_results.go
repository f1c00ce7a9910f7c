package marking

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"provim/internal/apperr"
	"provim/internal/store"
)

// What marking hands on to the results (issue 14 item 9): the frozen
// points per code, once the exam's marking has closed.

// CodePoints is a booklet's final points by code, with the points of
// each item; Voided when MASH voided the result (Neni 57.17).
type CodePoints struct {
	Code   string `json:"code"`
	Points int    `json:"points"`
	Items  []int  `json:"items"`
	Voided bool   `json:"voided"`
}

// FinalPoints returns the final points of every candidate's booklet of
// an exam, by code; before the close it is refused (Conflict). The
// seeded calibration booklets are not among them.
func (s *Service) FinalPoints(ctx context.Context, year int, exam string) ([]CodePoints, error) {
	exam = NormExam(exam)
	closed, err := s.Closed(ctx, year, exam)
	if err != nil {
		return nil, err
	}
	if !closed {
		return nil, apperr.New(apperr.Conflict, "Pikët e provimit %s jepen vetëm pasi mbyllet vlerësimi.", exam)
	}
	// Two plain reads merged here rather than a join: the plan of each is
	// an index range whatever the engine knows of the tables' sizes.
	type bk struct {
		c     CodePoints
		round int
	}
	bs, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (bk, error) {
		var x bk
		var state string
		if err := r.Scan(&x.c.Code, &state, &x.c.Points, &x.round); err != nil {
			return x, err
		}
		if x.c.Voided = state == StateVoided; x.c.Voided {
			x.c.Points, x.round = 0, 0
		}
		return x, nil
	}, `SELECT code, state, final_points, final_round FROM marking_booklets WHERE year = $1 AND exam = $2 AND seeded = 0 ORDER BY code`, year, exam)
	if err != nil {
		return nil, fmt.Errorf("marking: final points: %w", err)
	}
	type mk struct {
		code   string
		round  int
		points string
	}
	ms, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (mk, error) {
		var x mk
		return x, r.Scan(&x.code, &x.round, &x.points)
	}, `SELECT code, round, points FROM marking_allocations WHERE year = $1 AND exam = $2 AND round IN (1, 3) AND submitted_at <> ''`, year, exam)
	if err != nil {
		return nil, fmt.Errorf("marking: final points: %w", err)
	}
	points := make(map[string][2]string, len(bs))
	for _, m := range ms {
		v := points[m.code]
		v[m.round/3] = m.points // round 1 → [0], round 3 → [1]
		points[m.code] = v
	}
	out := make([]CodePoints, len(bs))
	for i, b := range bs {
		out[i] = b.c
		if b.round == 0 {
			continue
		}
		raw := points[b.c.Code][0]
		if b.round == 3 {
			raw = points[b.c.Code][1]
		}
		if raw == "" {
			continue
		}
		ps := strings.Split(raw, ",")
		out[i].Items = make([]int, len(ps))
		for j, p := range ps {
			v, err := strconv.Atoi(p)
			if err != nil {
				return nil, fmt.Errorf("marking: points of %s: %w", b.c.Code, err)
			}
			out[i].Items[j] = v
		}
	}
	return out, nil
}
