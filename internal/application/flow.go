package application

import (
	"context"
	"fmt"
	"strings"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/scope"
	"provim/internal/store"
)

// inScopeSchool checks that the caller may act for school: outside the
// caller's scope the school is not found.
func (c *change) inScopeSchool(ctx context.Context, school string) error {
	_, err := c.s.reg.GetSchool(ctx, c.p, school)
	return err
}

// appsWhere lists the applications matching q (no scope; the caller
// checked it), in Albanian alphabetical order.
func (c *change) appsWhere(ctx context.Context, q store.Query) ([]Application, error) {
	return c.s.queryApps(ctx, `SELECT `+appCols+appFrom+q.Where()+` ORDER BY `+registry.StudentOrder, q.Args()...)
}

// ofSchool selects the applications of year at school in status.
func ofSchool(year int, school, status string) store.Query {
	var q store.Query
	q.Add("a.year = ?", year)
	q.Add(registry.StudentSchoolCol+" = ?", school)
	q.Add("a.status = ?", status)
	return q
}

// Confirm confirms submitted forms of school (Neni 22 ¶2, 31): the ones
// named by ids, or every submitted form when ids is empty. The school
// confirms during the table T period; after it only a higher level, with
// a reason. It returns how many were confirmed.
func (s *Service) Confirm(ctx context.Context, p *auth.Principal, school string, ids []int64, lateReason string) (int, error) {
	if err := auth.Require(p, auth.RoleKSHMSH, auth.RoleKMSH, auth.RoleAVA); err != nil {
		return 0, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.inTx(ctx, p, func(ctx context.Context, c *change) error {
		if err := c.inScopeSchool(ctx, school); err != nil {
			return err
		}
		if err := checkPeriodOpen(y.Config, examyear.KeyTableT, c.now); err != nil {
			return err
		}
		late, err := checkDeadline(y.Config, examyear.KeyTableT, auth.RoleKSHMSH, p, lateReason, c.now)
		if err != nil {
			return err
		}
		if sent, err := c.schoolSent(ctx, y.Year, school); err != nil {
			return err
		} else if sent {
			return apperr.New(apperr.Conflict, "Formularët e shkollës «%s» janë dërguar tashmë në KMSH.", school)
		}
		apps, err := c.appsWhere(ctx, ofSchool(y.Year, school, Submitted))
		if err != nil {
			return err
		}
		want := map[int64]bool{}
		for _, id := range ids {
			want[id] = true
		}
		note := ""
		if late {
			note = "Konfirmuar me vonesë: " + strings.TrimSpace(lateReason)
		}
		var chosen []int64
		for _, a := range apps {
			if len(ids) > 0 && !want[a.ID] {
				continue
			}
			delete(want, a.ID)
			chosen = append(chosen, a.ID)
		}
		if len(want) > 0 {
			return apperr.New(apperr.Invalid, "%d nga formularët e zgjedhur nuk janë të dorëzuar në këtë shkollë ose janë konfirmuar tashmë.", len(want))
		}
		n = len(chosen)
		if n == 0 {
			return nil
		}
		return c.transition(ctx, chosen, Confirmed, "confirmed_at", "confirm", fmt.Sprintf("%d/%s", y.Year, school), note)
	})
	return n, err
}

// SendToKMSH sends the school's confirmed forms with table T to the KMSH
// (Neni 22 ¶3) by the deadline. Every submitted form must be confirmed
// first; drafts that students never submitted are not applications.
func (s *Service) SendToKMSH(ctx context.Context, p *auth.Principal, school, lateReason string) (int, error) {
	if err := auth.Require(p, auth.RoleKSHMSH, auth.RoleKMSH, auth.RoleAVA); err != nil {
		return 0, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return 0, err
	}
	var forms int
	err = s.inTx(ctx, p, func(ctx context.Context, c *change) error {
		if err := c.inScopeSchool(ctx, school); err != nil {
			return err
		}
		late, err := checkDeadline(y.Config, examyear.KeyFormsToKMSH, auth.RoleKSHMSH, p, lateReason, c.now)
		if err != nil {
			return err
		}
		if sent, err := c.schoolSent(ctx, y.Year, school); err != nil {
			return err
		} else if sent {
			return apperr.New(apperr.Conflict, "Formularët e shkollës «%s» janë dërguar tashmë në KMSH.", school)
		}
		var at store.Query
		at.Add("a.year = ?", y.Year)
		at.Add(registry.StudentSchoolCol+" = ?", school)
		counts, err := c.statusCounts(ctx, at)
		if err != nil {
			return err
		}
		if counts[Submitted] > 0 {
			return apperr.New(apperr.Invalid, "%d formularë të dorëzuar nuk janë konfirmuar ende: konfirmojini ose korrigjojini para dërgimit.", counts[Submitted])
		}
		forms = counts[Confirmed]
		if forms == 0 {
			return apperr.New(apperr.Invalid, "Shkolla nuk ka asnjë formular të konfirmuar për të dërguar.")
		}
		if _, err := c.q(ctx).ExecContext(ctx, `INSERT INTO school_submissions (year, school_code, sent_at, sent_by, forms) VALUES ($1, $2, $3, $4, $5)`,
			y.Year, school, c.at, p.Username, forms); err != nil {
			return fmt.Errorf("application: send school: %w", err)
		}
		after := map[string]any{"forms": forms, "article": "Neni 22 ¶3"}
		if late {
			after["late_reason"] = lateReason
		}
		return audit.Add(ctx, p.Actor(), "send_to_kmsh", "school_submission", fmt.Sprintf("%d/%s", y.Year, school), nil, after)
	})
	return forms, err
}

// statusCounts counts the applications matching q, by status.
func (c *change) statusCounts(ctx context.Context, q store.Query) (map[string]int, error) {
	type count struct {
		status string
		n      int
	}
	rows, err := store.Select(ctx, c.q(ctx), func(r store.Scanner) (count, error) {
		var k count
		return k, r.Scan(&k.status, &k.n)
	}, `SELECT a.status, COUNT(*)`+appFrom+q.Where()+` GROUP BY a.status`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("application: counts: %w", err)
	}
	out := map[string]int{}
	for _, k := range rows {
		out[k.status] = k.n
	}
	return out, nil
}

// VerifySchool records the KMSH's verification of a school's submission
// (Neni 10.6, 22 ¶4): its confirmed forms become verified.
func (s *Service) VerifySchool(ctx context.Context, p *auth.Principal, school, lateReason string) (int, error) {
	if err := auth.Require(p, auth.RoleKMSH, auth.RoleAVA); err != nil {
		return 0, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.inTx(ctx, p, func(ctx context.Context, c *change) error {
		if err := c.inScopeSchool(ctx, school); err != nil {
			return err
		}
		late, err := checkDeadline(y.Config, examyear.KeyListsToAVA, auth.RoleKMSH, p, lateReason, c.now)
		if err != nil {
			return err
		}
		if sent, err := c.schoolSent(ctx, y.Year, school); err != nil {
			return err
		} else if !sent {
			return apperr.New(apperr.Invalid, "Shkolla «%s» nuk i ka dërguar ende formularët dhe tabelën T.", school)
		}
		apps, err := c.appsWhere(ctx, ofSchool(y.Year, school, Confirmed))
		if err != nil {
			return err
		}
		note := ""
		if late {
			note = "Verifikuar me vonesë: " + strings.TrimSpace(lateReason)
		}
		ids := make([]int64, len(apps))
		for i, a := range apps {
			ids[i] = a.ID
		}
		n = len(ids)
		if n > 0 {
			if err := c.transition(ctx, ids, Verified, "verified_at", "verify", fmt.Sprintf("%d/%s", y.Year, school), note); err != nil {
				return err
			}
		}
		_, err = c.q(ctx).ExecContext(ctx, `UPDATE school_submissions SET verified_at = $1, verified_by = $2 WHERE year = $3 AND school_code = $4`,
			c.at, p.Username, y.Year, school)
		return err
	})
	return n, err
}

// UnitAllowed checks that the caller may act for unit: AVA for any, a
// KMSH for its own unit and, for a DAR, the ZA under it.
func (s *Service) UnitAllowed(ctx context.Context, p *auth.Principal, unit string) error {
	if p.Role == auth.RoleAVA {
		return nil
	}
	if p.Role == auth.RoleKMSH {
		ok, err := s.reg.UnitUnder(ctx, unit, p.Unit)
		if err != nil {
			return fmt.Errorf("application: unit scope: %w", err)
		}
		if ok {
			return nil
		}
	}
	return apperr.New(apperr.NotFound, "DAR/ZA «%s» nuk u gjet.", unit)
}

// SendUnitToAVA sends the region's lists, per school, to AVA (Neni 22 ¶4)
// by the deadline. Every school that sent forms must be verified, and no
// school may still hold confirmed forms it has not sent.
func (s *Service) SendUnitToAVA(ctx context.Context, p *auth.Principal, unit, lateReason string) (int, error) {
	if err := auth.Require(p, auth.RoleKMSH, auth.RoleAVA); err != nil {
		return 0, err
	}
	if err := s.UnitAllowed(ctx, p, unit); err != nil {
		return 0, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.inTx(ctx, p, func(ctx context.Context, c *change) error {
		late, err := checkDeadline(y.Config, examyear.KeyListsToAVA, auth.RoleKMSH, p, lateReason, c.now)
		if err != nil {
			return err
		}
		var in store.Query
		in.Add("a.year = ?", y.Year)
		scope.UnitsUnder(&in, registry.StudentUnitCol, unit)
		counts, err := c.statusCounts(ctx, in)
		if err != nil {
			return err
		}
		if counts[Confirmed] > 0 || counts[Submitted] > 0 {
			return apperr.New(apperr.Invalid, "%d formularë nuk janë verifikuar ende (shkolla që s’kanë dërguar, ose dërgime pa verifikuar).", counts[Confirmed]+counts[Submitted])
		}
		n = counts[Verified]
		if n == 0 {
			return apperr.New(apperr.Invalid, "Nuk ka formularë të verifikuar për t’i dërguar në AVA.")
		}
		return c.sendUnit(ctx, y.Year, unit, "lists", n, late, lateReason)
	})
	return n, err
}

// sendUnit records what a KMSH sends AVA for its unit, once: the lists of
// Neni 22 ¶4 (kind "lists") or the failing students of Neni 35 ¶3 (kind
// "failing"), with how many items, and audits it.
func (c *change) sendUnit(ctx context.Context, year int, unit, kind string, items int, late bool, lateReason string) error {
	if _, err := c.q(ctx).ExecContext(ctx, `INSERT INTO unit_submissions (year, unit_code, kind, sent_at, sent_by, items) VALUES ($1, $2, $3, $4, $5, $6)`,
		year, unit, kind, c.at, c.p.Username, items); err != nil {
		if store.IsUniqueViolation(err) {
			if kind == "failing" {
				return apperr.New(apperr.Conflict, "Lista e mbetësve e DAR/ZA «%s» është dërguar tashmë në AVA.", unit)
			}
			return apperr.New(apperr.Conflict, "Listat e DAR/ZA «%s» janë dërguar tashmë në AVA.", unit)
		}
		return err
	}
	after := map[string]any{"items": items, "article": map[string]string{"lists": "Neni 22 ¶4", "failing": "Neni 35 ¶3"}[kind]}
	if late {
		after["late_reason"] = lateReason
	}
	return audit.Add(ctx, c.p.Actor(), "send_"+kind+"_to_ava", "unit_submission", fmt.Sprintf("%d/%s/%s", year, unit, kind), nil, after)
}
