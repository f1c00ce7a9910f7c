package remark

import (
	"context"
	"fmt"
	"slices"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/marking"
	"provim/internal/store"
)

// AVA's and the subject lead's view of the re-marking: booklets by code,
// their re-markers and marks, never the candidate.

// Case is a booklet under re-marking, by code.
type Case struct {
	Exam      string      `json:"exam"`
	Code      string      `json:"code"`
	Display   string      `json:"display"`
	State     string      `json:"state"`
	WorkLabel string      `json:"work_label"`
	Markings  []Remarking `json:"markings"`
	Differ    []string    `json:"differ,omitempty"` // the items the two differ on (Neni 57.14)
	Final     int         `json:"final_points"`     // -1 until known
}

// mayLead lets AVA and the exam's lead of the markers through.
func (s *Service) mayLead(ctx context.Context, p *auth.Principal, year int, exam string) error {
	if MayManage(p) {
		return nil
	}
	if MayRemark(p) {
		if ok, err := s.marking.IsLead(ctx, p, year, exam); err != nil {
			return err
		} else if ok {
			return nil
		}
	}
	return apperr.New(apperr.Forbidden, "Rivlerësimin e ndjek AVA ose përgjegjësi i vlerësuesve të lëndës %s (Neni 57.9, 64).", exam)
}

// MayLead reports whether p follows the exam's re-marking (AVA or the
// subject's lead).
func (s *Service) MayLead(ctx context.Context, p *auth.Principal, year int, exam string) bool {
	return s.mayLead(ctx, p, year, NormExam(exam)) == nil
}

// Counts are an exam's requests by state.
type Counts map[string]int

// Cases lists an exam's booklets under re-marking by code, with the
// requests by state (AVA, the subject's lead).
func (s *Service) Cases(ctx context.Context, p *auth.Principal, year int, exam string) (int, []Case, Counts, error) {
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return 0, nil, nil, err
	}
	exam = NormExam(exam)
	if err := s.mayLead(ctx, p, y.Year, exam); err != nil {
		return 0, nil, nil, err
	}
	type st struct {
		state string
		n     int
	}
	cs, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (st, error) {
		var x st
		return x, r.Scan(&x.state, &x.n)
	}, `SELECT state, COUNT(*) FROM remark_requests WHERE year = $1 AND exam = $2 GROUP BY state`, y.Year, exam)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("remark: counts: %w", err)
	}
	counts := Counts{}
	for _, c := range cs {
		counts[c.state] = c.n
	}
	type row struct {
		code, state string
		final       int
	}
	rows, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (row, error) {
		var x row
		return x, r.Scan(&x.code, &x.state, &x.final)
	}, `SELECT code, state, points_after FROM remark_requests WHERE year = $1 AND exam = $2 AND code <> '' ORDER BY code`, y.Year, exam)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("remark: cases: %w", err)
	}
	var items []marking.Item
	out := make([]Case, 0, len(rows))
	for _, x := range rows {
		c := Case{Exam: exam, Code: x.code, Display: marking.DisplayCode(x.code), State: x.state, WorkLabel: WorkLabel(x.state), Final: x.final}
		if c.Markings, err = s.remarkings(ctx, y.Year, exam, x.code); err != nil {
			return 0, nil, nil, err
		}
		// A lead who re-marks this booklet sees only their own marking:
		// the markers never see each other's (Neni 57.13–57.14).
		if !MayManage(p) && slices.ContainsFunc(c.Markings, func(r Remarking) bool { return r.Username == p.Username }) {
			c.Markings = slices.DeleteFunc(c.Markings, func(r Remarking) bool { return r.Username != p.Username })
			out = append(out, c)
			continue
		}
		if x.state == StateThird {
			if items == nil {
				pool, err := s.marking.RemarkPoolOf(ctx, y.Year, exam, x.code)
				if err != nil {
					return 0, nil, nil, err
				}
				items = pool.Items
			}
			c.Differ = differ(items, c.Markings)
		}
		out = append(out, c)
	}
	return y.Year, out, counts, nil
}

// differ names the items on which the two re-markings differ.
func differ(items []marking.Item, rs []Remarking) []string {
	var a, b *marking.Marks
	for _, r := range rs {
		m, _ := r.marks(len(items))
		switch r.Round {
		case 1:
			a = m
		case 2:
			b = m
		}
	}
	if a == nil || b == nil {
		return nil
	}
	var out []string
	for i, it := range items {
		if a.Points[i] != b.Points[i] {
			out = append(out, it.Label)
		}
	}
	return out
}

// AssignThird gives a booklet whose two re-markings differ its third
// marker (Neni 57.14): username, or, when empty, one drawn at random with
// the lightest load — never one of the two, nor an original marker, nor
// one of the booklet's schools. AVA or the subject's lead assigns.
func (s *Service) AssignThird(ctx context.Context, by *auth.Principal, year int, exam, code, username string) (string, error) {
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return "", err
	}
	exam, code = NormExam(exam), normCode(code)
	if err := s.mayLead(ctx, by, y.Year, exam); err != nil {
		return "", err
	}
	var who string
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		_, state, err := s.caseOf(ctx, y.Year, exam, code)
		if err != nil {
			return err
		}
		rs, err := s.remarkings(ctx, y.Year, exam, code)
		if err != nil {
			return err
		}
		if state != StateThird || slices.ContainsFunc(rs, func(r Remarking) bool { return r.Round == 3 && r.SubmittedAt != "" }) {
			return apperr.New(apperr.Conflict, "Testi %s nuk pret vlerësuesin e tretë: dy rivlerësimet nuk ndryshojnë ose i treti ka vlerësuar (Neni 57.14).", marking.DisplayCode(code))
		}
		pool, err := s.marking.RemarkPoolOf(ctx, y.Year, exam, code)
		if err != nil {
			return err
		}
		// Never one of the two, nor the lead who assigns (thirdSkip).
		two := thirdSkip(by, rs)
		var m marking.RemarkMarker
		var ok bool
		if username == "" {
			loads, err := s.loads(ctx, y.Year, exam)
			if err != nil {
				return err
			}
			for i := range pool.Markers {
				pool.Markers[i].Load = loads[pool.Markers[i].Username]
			}
			m, ok = pool.Pick(two...)
		} else {
			m, ok = pool.Allowed(username, two...)
		}
		if !ok {
			return apperr.New(apperr.Invalid, "Vlerësuesi i tretë i testit %s duhet të jetë i trajnuar për lëndën, jo një nga dy rivlerësuesit apo vlerësuesit e parë, dhe jo i shkollave të testit (Neni 57.13–57.14).", marking.DisplayCode(code))
		}
		now := s.stamp(ctx)
		if _, err := s.db.Q(ctx).ExecContext(ctx, `DELETE FROM remark_markings WHERE year = $1 AND exam = $2 AND code = $3 AND round = 3`, y.Year, exam, code); err != nil {
			return fmt.Errorf("remark: third: %w", err)
		}
		if err := store.Insert(ctx, "remark_markings", []string{"year", "exam", "code", "round", "username", "assigned_by", "assigned_at"},
			[][]any{{y.Year, exam, code, 3, m.Username, by.Username, now}}); err != nil {
			return fmt.Errorf("remark: third: %w", err)
		}
		who = m.Username
		return audit.Add(ctx, by.Actor(), "remark.third", "remark_booklet", remarkKey(y.Year, exam, code), nil, map[string]any{"round3": m.Username})
	})
	return who, err
}

// Exams lists the exams of the year that are marked (and so re-marked):
// D1, D2, then the electives.
func (s *Service) Exams(ctx context.Context, year int) (int, []marking.Exam, error) {
	return s.marking.Exams(ctx, year)
}
