package venue

import (
	"context"

	"provim/internal/application"
	"provim/internal/auth"
)

// What a principal may do with the venues, for the pages to ask before
// they offer an action. The service still enforces every rule.

// MayInspect: AVA and the regional commissions inspect the venues, send
// the venue list and plan the exam (Neni 37–41); the school and the venue
// staff only read an inspection.
func MayInspect(p *auth.Principal) bool {
	return p != nil && (p.Role == auth.RoleAVA || p.Role == auth.RoleKMSH)
}

// MayPlan: the same commissions build and change the exam plan.
func MayPlan(p *auth.Principal) bool { return MayInspect(p) }

// MayActLate: AVA inspects and sends a list after its deadline, with a
// reason.
func MayActLate(p *auth.Principal) bool { return p.IsNational() }

// MaySeeOwnSeat: the student reads their own venue and room (Neni 12.9).
func MaySeeOwnSeat(p *auth.Principal) bool { return p != nil && p.Role == auth.RoleStudent }

// MayListSchoolSeats: the school commission reads where its candidates sit.
func MayListSchoolSeats(p *auth.Principal) bool { return p != nil && p.Role == auth.RoleKSHMSH }

// Window is the calendar step key of the active year (the venue
// inspection, Neni 37, or the venue list, Neni 41 ¶1) as p sees it now,
// for the page to say that the deadline has passed and show its form
// disabled before it is filled in; past it only AVA still acts, with a
// reason (needApproval), and its form stays open (Late).
func (s *Service) Window(ctx context.Context, p *auth.Principal, key string) (application.Window, error) {
	y, err := s.year(ctx)
	if err != nil {
		return application.Window{}, err
	}
	return application.WindowAt(y.Config, key, p, s.db.Now(ctx)), nil
}
