package application

import (
	"context"
	"fmt"
	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/store"
	"strings"
)

// sentUnits lists the units whose kind of list has gone to AVA in year:
// the units that sent it and the ZA under a DAR that sent it.
func (c *change) sentUnits(ctx context.Context, year int, kind string) ([]string, error) {
	sent, err := store.Select(ctx, c.q(ctx), func(r store.Scanner) (string, error) {
		var code string
		return code, r.Scan(&code)
	}, `SELECT unit_code FROM unit_submissions WHERE year = $1 AND kind = $2`, year, kind)
	if err != nil {
		return nil, fmt.Errorf("application: unit submissions: %w", err)
	}
	return c.s.reg.UnitsUnder(ctx, sent)
}

// AssignRegistrationNumbers gives every verified application whose region
// has sent its lists a registration number (Neni 34 ¶2), in a documented
// order: by DAR/ZA, school, and the Albanian order of names. Numbers once
// given never change; later applications continue the serial. AVA only.
func (s *Service) AssignRegistrationNumbers(ctx context.Context, p *auth.Principal, lateReason string) (int, error) {
	if err := auth.Require(p, auth.RoleAVA); err != nil {
		return 0, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.inTx(ctx, p, func(ctx context.Context, c *change) error {
		late, err := checkDeadline(y.Config, examyear.KeyRegistrationNumbers, auth.RoleAVA, p, lateReason, c.now)
		if err != nil {
			return err
		}
		var last string
		if err := c.q(ctx).QueryRowContext(ctx, `SELECT COALESCE(MAX(reg_no), '') FROM applications WHERE year = $1 AND reg_no IS NOT NULL`, y.Year).Scan(&last); err != nil {
			return err
		}
		serial := 0
		if last != "" {
			serial = regSerial(last)
		}
		units, err := c.sentUnits(ctx, y.Year, "lists")
		if err != nil {
			return err
		}
		var apps []Application
		if len(units) > 0 {
			var q store.Query
			q.Add("a.year = ? AND a.status = ?", y.Year, Verified)
			q.Add(registry.StudentUnitCol+" IN ("+store.Marks(len(units))+")", store.Args(units)...)
			apps, err = c.s.queryApps(ctx, `SELECT `+appCols+appFrom+q.Where()+` ORDER BY `+registry.SchoolOrder+`, `+registry.StudentOrder, q.Args()...)
			if err != nil {
				return err
			}
		}
		if serial+len(apps) > MaxSerial {
			return apperr.New(apperr.Invalid, "Numrat e regjistrimit të vitit %d mbarojnë (%d).", y.Year, MaxSerial)
		}
		note := "Numri i regjistrimit (Neni 34)"
		if late {
			note += ". Me vonesë: " + strings.TrimSpace(lateReason)
		}
		assigned := make([][2]any, 0, len(apps))
		for i := range apps {
			a := &apps[i]
			serial++
			a.RegNo, a.Status = RegNo(y.Year, serial), Registered
			assigned = append(assigned, [2]any{a.ID, a.RegNo})
		}
		n = len(apps)
		if n == 0 {
			return nil
		}
		if err := c.setRegNos(ctx, assigned); err != nil {
			return err
		}
		// One history line per form, and one audit entry for the act that
		// lists every number given.
		if err := c.batchEvents(ctx, Registered, note, "year = ? AND registered_at = ? AND status = ?", y.Year, c.at, Registered); err != nil {
			return err
		}
		return audit.Add(ctx, p.Actor(), "assign_registration_numbers", "applications", fmt.Sprint(y.Year), nil,
			map[string]any{"count": n, "note": note, "assigned": assigned})
	})
	return n, err
}
