package custody

import (
	"context"
	"fmt"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/store"
)

// The drawn staff's own accounts (Neni 44, 45, 47.5–47.7, 48.12). An
// account linked to a staff record (users.staff_id) follows the materials
// of exactly the places its valid draws gave it — venue, exam and session,
// as the role drawn — from the draw until the venue's box is back at the
// KMSH (stage ReturnedStage): before the draw nobody knows their venue,
// after it their task of the day is over. The rule is the exam day's
// (examday.Access); custody asks it through StaffPlaces, wired by
// wire.New, and never decides it itself.

// StaffPlace is one place of a drawn member of staff: the exam and session
// of a valid draw at a venue.
type StaffPlace struct {
	Session int
	Exam    string
	Venue   string
}

// StaffPlaces returns the places p holds in the active year as a member
// of staff, as the exam day's access rule gives them.
type StaffPlaces func(ctx context.Context, p *auth.Principal) ([]StaffPlace, error)

// SetStaffPlaces installs the exam day's access rule. Without it an
// account linked to a staff record sees no materials at all.
func (s *Service) SetStaffPlaces(f StaffPlaces) { s.staffPlaces = f }

// staffScoped reports whether p's custody scope comes from the draw: a
// venue role or a KMSH account linked to a staff record (the draw places
// PAP, AP, AS and the KMSH representatives, Neni 44 ¶2, 47). AVA is never
// drawn and keeps its national scope.
func staffScoped(p *auth.Principal) bool {
	return p != nil && p.StaffID != 0 && (p.IsVenueRole() || p.Role == auth.RoleKMSH)
}

// The steps of the KMSH representative drawn for a venue (Neni 44 ¶2):
// in the morning they hand the materials over to the PAP they accompany
// (step 3, Neni 44), and after the exam they receive the box the school
// director sealed in their presence (step 6, Neni 45.2–45.3); the box goes
// to the KMSH with them and the PAP, whom the PAP's record names (step 7,
// Neni 45.4). Collecting at AVA, the safe, the confirmation at the KMSH
// and the return to AVA (steps 1, 2, 7, 8: Neni 42, 43, 45.4, 46) are the
// commission's, done from its account: the representative is drawn only
// on the morning of the exam.
const (
	repRecords  = 3
	repConfirms = 6
)

// drawnRepresentative reports whether p is the account of a drawn KMSH
// representative.
func drawnRepresentative(p *auth.Principal) bool { return staffScoped(p) && p.Role == auth.RoleKMSH }

// repRefusal is the sentence refusing a drawn representative a step that
// is not theirs, nil for any other caller or step of theirs.
func repRefusal(p *auth.Principal, st Step, confirm bool) error {
	if !drawnRepresentative(p) || (!confirm && st.No == repRecords) || (confirm && st.No == repConfirms) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "Si përfaqësues i KMSH i caktuar me short për këtë qendër (Neni 44), ju regjistroni dorëzimin e materialeve te PAP në mëngjes (hapi 3) dhe konfirmoni marrjen e kutisë së vulosur (hapi 6); hapin %d («%s») e kryen llogaria e KMSH.", st.No, st.Name)
}

// staffSites limits a query on consignments (alias c) to p's places as a
// member of staff and to f, and returns their venues by code; without a
// place (before the draw, after the box is back, or the access rule not
// wired) it keeps nothing.
func (s *Service) staffSites(ctx context.Context, p *auth.Principal, f Filter, q *store.Query) (map[string]registry.Venue, error) {
	var places []StaffPlace
	if s.staffPlaces != nil {
		var err error
		if places, err = s.staffPlaces(ctx, p); err != nil {
			return nil, fmt.Errorf("custody: staff places: %w", err)
		}
	}
	var conds []string
	codes := map[string]bool{}
	for _, pl := range places {
		if (f.Venue != "" && pl.Venue != f.Venue) || (f.Exam != "" && pl.Exam != f.Exam) || (f.Session != 0 && pl.Session != f.Session) {
			continue
		}
		conds = append(conds, fmt.Sprintf("(c.venue_code = %s AND c.exam = %s AND c.session = %s)", q.Arg(pl.Venue), q.Arg(pl.Exam), q.Arg(pl.Session)))
		codes[pl.Venue] = true
	}
	if len(conds) == 0 {
		q.Add("1 = 0")
		return map[string]registry.Venue{}, nil
	}
	q.Add("(" + strings.Join(conds, " OR ") + ")")
	out := map[string]registry.Venue{}
	for code := range codes {
		list, err := s.venues.Sites(ctx, f.Unit, code)
		if err != nil {
			return nil, err
		}
		for _, v := range list {
			if v.Code == code {
				out[code] = v
			}
		}
	}
	return out, nil
}

// Followed returns whether p follows the materials of an exam in a
// session at a venue: every caller custody lets see them by role and
// scope, and, for an account of the drawn staff, only a place its draws
// gave it — so that a page links a venue's materials only where they open
// (before the draw a drawn PAP's venue is nobody's to know). The places
// are read once, for every question the page asks.
func (s *Service) Followed(ctx context.Context, p *auth.Principal) (func(venue, exam string, session int) bool, error) {
	if !MayView(p) {
		return func(string, string, int) bool { return false }, nil
	}
	if !staffScoped(p) {
		return func(string, string, int) bool { return true }, nil
	}
	var places []StaffPlace
	if s.staffPlaces != nil {
		var err error
		if places, err = s.staffPlaces(ctx, p); err != nil {
			return nil, fmt.Errorf("custody: staff places: %w", err)
		}
	}
	return func(venue, exam string, session int) bool {
		for _, pl := range places {
			if pl.Venue == venue && pl.Exam == exam && pl.Session == session {
				return true
			}
		}
		return false
	}, nil
}
