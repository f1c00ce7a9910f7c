package examday

import (
	"context"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/examyear"
)

// Places returns the caller's places on the exam days of the active year:
// what a drawn member of staff was drawn for (none before the draw), or
// D1 and D2 of each session with their days at the venue of an account
// scoped to one.
func (s *Service) Places(ctx context.Context, p *auth.Principal) ([]Assignment, error) {
	y, err := s.years.Active(ctx)
	if err != nil {
		return nil, err
	}
	out := []Assignment{}
	if p == nil {
		return out, auth.Require(p)
	}
	if p.StaffID != 0 {
		drawn, err := s.draws.DrawnFor(ctx, y.Year, "", p.StaffID)
		if err != nil {
			return nil, err
		}
		for _, d := range drawn {
			a, err := s.access(ctx, p, y.Year, d.Session, d.Exam, d.Venue)
			if apperr.Is(err, apperr.NotFound) || apperr.Is(err, apperr.Forbidden) {
				continue
			}
			if err != nil {
				return nil, err
			}
			out = append(out, a)
		}
		return out, nil
	}
	if !p.IsVenueRole() || p.Venue == "" {
		return out, nil
	}
	// D1 and D2 of each session that has their day: the second session
	// (Neni 58) has only these two (Neni 14.4).
	for _, session := range []int{1, 2} {
		for _, exam := range []string{examyear.KindD1, examyear.KindD2} {
			if _, _, ok := y.Config.Sitting(exam, session); !ok {
				continue
			}
			a, err := s.access(ctx, p, y.Year, session, exam, p.Venue)
			if err != nil {
				return nil, err
			}
			out = append(out, a)
		}
	}
	return out, nil
}

// ActiveYear is the active exam year, 0 when there is none.
func (s *Service) ActiveYear(ctx context.Context) int {
	y, err := s.years.Active(ctx)
	if err != nil {
		return 0
	}
	return y.Year
}
