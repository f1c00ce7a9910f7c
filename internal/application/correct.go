package application

import (
	"context"
	"fmt"
	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/examyear"
	"strings"
)

// CorrectionInput changes the exam choices of an application already in
// the commissions' hands.
type CorrectionInput struct {
	Electives []string `json:"electives"`
	Reason    string   `json:"reason"`
	// RegNo, when given, is the registration number the correction
	// (reklamim) names: checked with its check digit, and it must be the
	// form's (Neni 34 ¶5).
	RegNo string `json:"reg_no,omitempty"`
}

// Correct changes the electives of an application with a reason, by the
// level that holds the form at that moment (Neni 22, 34 ¶5):
//
//   - before the school sends its forms to the KMSH: the school, until the
//     end of the table T period;
//   - after that and before registration: the KMSH, until the lists are due
//     at AVA;
//   - after registration, as a correction (reklamim): the school until the
//     corrections are due at the KMSH, the KMSH until they are due at AVA.
//
// After each deadline only a higher level may correct; AVA always can.
func (s *Service) Correct(ctx context.Context, p *auth.Principal, id int64, in CorrectionInput) (Application, error) {
	if err := auth.Require(p, auth.RoleKSHMSH, auth.RoleKMSH, auth.RoleAVA); err != nil {
		return Application{}, err
	}
	reason := strings.TrimSpace(in.Reason)
	if reason == "" {
		return Application{}, apperr.New(apperr.Invalid, "Korrigjimi kërkon arsyen.")
	}
	y, err := s.year(ctx)
	if err != nil {
		return Application{}, err
	}
	err = s.inTx(ctx, p, func(ctx context.Context, c *change) error {
		a, err := c.get(ctx, id)
		if err != nil {
			return err
		}
		if a.Year != y.Year {
			return apperr.New(apperr.Invalid, "Formulari i përket vitit %d, jo vitit aktiv %d.", a.Year, y.Year)
		}
		if a.Status == Draft {
			return apperr.New(apperr.Invalid, "Formulari nuk është dorëzuar ende: e ndryshon vetë nxënësi.")
		}
		if no := strings.TrimSpace(in.RegNo); no != "" {
			if err := CheckRegNo(no); err != nil {
				return err
			}
			if no != a.RegNo {
				return apperr.New(apperr.Invalid, "Numri i regjistrimit %s nuk është i këtij formulari (%s): kontrolloni reklamimin.", no, orNone(a.RegNo))
			}
		}
		electives := normCodes(in.Electives)
		if problems := CheckElectives(y.Config, a.Category, electives); len(problems) > 0 {
			return invalid("Korrigjimi nuk u ruajt", problems)
		}
		sent, err := c.schoolSent(ctx, y.Year, a.SchoolCode)
		if err != nil {
			return err
		}
		key, owner := correctionStep(a, sent, p)
		if level(p.Role) < level(owner) {
			return apperr.New(apperr.Forbidden, "Formulari është tashmë te %s: korrigjimin e bën ajo.", holder(owner))
		}
		if _, err := checkDeadline(y.Config, key, owner, p, reason, c.now); err != nil {
			return err
		}
		before := a
		a.Electives = electives
		if a.Status == Registered || a.Status == Final {
			a.Status = Corrected
		}
		if _, err := c.q(ctx).ExecContext(ctx, `UPDATE applications SET electives = $1, status = $2, updated_at = $3 WHERE id = $4`,
			join(a.Electives), a.Status, c.at, a.ID); err != nil {
			return fmt.Errorf("application: correct: %w", err)
		}
		return c.event(ctx, "correct", &before, &a, "Korrigjim: "+reason)
	})
	if err != nil {
		return Application{}, err
	}
	return s.Get(ctx, p, id)
}

func orNone(regNo string) string {
	if regNo == "" {
		return "pa numër regjistrimi ende"
	}
	return regNo
}

func holder(r auth.Role) string {
	switch r {
	case auth.RoleKSHMSH:
		return "KSHMSH"
	case auth.RoleKMSH:
		return "KMSH"
	}
	return "AVA"
}

// correctionStep is the calendar step a correction of a falls under, and
// the role that owns it: before the school sent its forms, table T's;
// confirmed or verified, the lists to AVA's; registered, the corrections
// to the KMSH (the school) or to AVA (the KMSH) of Neni 34 ¶5.
func correctionStep(a Application, sent bool, p *auth.Principal) (string, auth.Role) {
	switch {
	case a.Status == Submitted || (a.Status == Confirmed && !sent):
		return examyear.KeyTableT, auth.RoleKSHMSH
	case a.Status == Confirmed || a.Status == Verified:
		return examyear.KeyListsToAVA, auth.RoleKMSH
	case p.Role == auth.RoleKSHMSH:
		return examyear.KeyCorrectionsToKMSH, auth.RoleKSHMSH
	default:
		return examyear.KeyCorrectionsToAVA, auth.RoleKMSH
	}
}

func (c *change) schoolSent(ctx context.Context, year int, school string) (bool, error) {
	var n int
	if err := c.q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM school_submissions WHERE year = $1 AND school_code = $2`, year, school).Scan(&n); err != nil {
		return false, fmt.Errorf("application: school submission: %w", err)
	}
	return n > 0, nil
}
