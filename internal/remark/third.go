package remark

import (
	"cmp"
	"context"
	"slices"

	"provim/internal/auth"
)

// ThirdChoice is a marker who may be a booklet's third re-marker, for the
// list AVA (or the lead) chooses from: the name and the username, never
// an id, and how many re-markings of the exam they already hold.
type ThirdChoice struct {
	Username string
	FullName string
	Load     int
}

// thirdSkip is who may never be a booklet's third re-marker beyond the
// pool's own rules (Neni 57.14): the two re-markers, and the lead who
// assigns (who would choose themselves after seeing both markings).
func thirdSkip(by *auth.Principal, rs []Remarking) []string {
	skip := []string{by.Username}
	for _, r := range rs {
		if r.Round < 3 {
			skip = append(skip, r.Username)
		}
	}
	return skip
}

// ThirdChoices lists, for each booklet code of exam given, the markers
// AssignThird would accept as its third re-marker (Neni 57.13–57.14: of
// the pool qualified for the test, not the two re-markers nor the one who
// assigns, not an original marker, not of the booklet's schools), the
// lightest load first. A code whose pool cannot be read is left out (the
// page then offers the username field alone). AVA or the subject's lead.
func (s *Service) ThirdChoices(ctx context.Context, by *auth.Principal, year int, exam string, codes []string) (map[string][]ThirdChoice, error) {
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return nil, err
	}
	exam = NormExam(exam)
	if err := s.mayLead(ctx, by, y.Year, exam); err != nil {
		return nil, err
	}
	out := map[string][]ThirdChoice{}
	if len(codes) == 0 {
		return out, nil
	}
	loads, err := s.loads(ctx, y.Year, exam)
	if err != nil {
		return nil, err
	}
	for _, code := range codes {
		code = normCode(code)
		rs, err := s.remarkings(ctx, y.Year, exam, code)
		if err != nil {
			return nil, err
		}
		pool, err := s.marking.RemarkPoolOf(ctx, y.Year, exam, code)
		if err != nil {
			continue
		}
		skip := thirdSkip(by, rs)
		list := []ThirdChoice{}
		for _, m := range pool.Markers {
			if _, ok := pool.Allowed(m.Username, skip...); ok {
				list = append(list, ThirdChoice{Username: m.Username, FullName: m.FullName, Load: loads[m.Username]})
			}
		}
		slices.SortFunc(list, func(a, b ThirdChoice) int {
			return cmp.Or(cmp.Compare(a.Load, b.Load), cmp.Compare(a.FullName, b.FullName), cmp.Compare(a.Username, b.Username))
		})
		out[code] = list
	}
	return out, nil
}
