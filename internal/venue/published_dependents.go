package venue

import (
	"context"
	"fmt"

	"provim/internal/auth"
)

// What the steps sized on an exam's plan tell package venue when the plan
// changes under them (issue 9 item 11): the staff draw (package draw) and
// the packages of exam material (package custody) are made on the plan;
// a candidate moved after them makes them stale. Those packages import
// this one, so they answer through a hook set once by wire.New.

// PlanPlace is a venue a change of the plan touches, with its DAR/ZA and,
// for a ZA, the DAR above it (a DAR's draw covers its ZA).
type PlanPlace struct {
	Venue, VenueName string
	Unit, Parent     string
}

// PlanUser names, in Albanian sentences, what was made on an exam's plan
// in the places given and is now stale; none when nothing was.
type PlanUser func(ctx context.Context, year, session int, exam string, places []PlanPlace) ([]string, error)

// OnPlanUsedBy adds a step that is made on the plan; call it before the
// service answers requests (wire.New).
func (s *Service) OnPlanUsedBy(f PlanUser) { s.planUsers = append(s.planUsers, f) }

// staleAfter asks every step made on the plan what a change in places
// makes stale.
func (s *Service) staleAfter(ctx context.Context, year, session int, exam string, places []PlanPlace) ([]string, error) {
	var out []string
	for _, f := range s.planUsers {
		got, err := f(ctx, year, session, exam, places)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

// PlanImpact is what planning an exam again would replace: the seats
// placed now, the KMSH's changes among them, and what was made on the
// plan (the draws, the packages) that would be stale.
type PlanImpact struct {
	Exam        string   `json:"exam"`
	Placed      int      `json:"placed"`
	Overrides   int      `json:"overrides"`
	Invalidates []string `json:"invalidates"`
}

// PlanImpact answers what Plan would replace in the unit (empty: the
// caller's whole scope), changing nothing: the page asks for
// confirmation before it plans again.
func (s *Service) PlanImpact(ctx context.Context, p *auth.Principal, exam string, session int, unitCode string) (PlanImpact, error) {
	sum, err := s.Summary(ctx, p, exam, session, unitCode)
	if err != nil {
		return PlanImpact{}, err
	}
	out := PlanImpact{Exam: sum.Exam, Placed: sum.Candidates, Overrides: sum.Overrides, Invalidates: []string{}}
	if sum.Candidates == 0 {
		return out, nil
	}
	codes, units, err := s.scopeUnits(ctx, p, unitCode)
	if err != nil {
		return PlanImpact{}, err
	}
	sites, err := s.reg.VenueSitesIn(ctx, codes)
	if err != nil {
		return PlanImpact{}, fmt.Errorf("venue: plan impact: %w", err)
	}
	places := make([]PlanPlace, 0, len(sites))
	for _, v := range sites {
		places = append(places, PlanPlace{Venue: v.Code, VenueName: v.Name, Unit: v.UnitCode, Parent: units[v.UnitCode].Parent})
	}
	stale, err := s.staleAfter(ctx, sum.Year, session, sum.Exam, places)
	if err != nil {
		return PlanImpact{}, err
	}
	out.Invalidates = append(out.Invalidates, stale...)
	return out, nil
}
