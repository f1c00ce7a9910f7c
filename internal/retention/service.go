// Package retention destroys, after a year's configured date, what the
// regulation says must not outlive it (Neni 65, Neni 6.10): the booklets
// (their scans) and the code↔candidate link. Results, certificates and
// the audit log remain. It owns no tables: it asks each owner to destroy
// its own (marking.DestroyScans, anonym.DestroyLinks), in one transaction
// per year with one audit entry naming the counts.
package retention

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"provim/internal/anonym"
	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/marking"
	"provim/internal/remark"
	"provim/internal/results"
	"provim/internal/store"
)

// Service runs the retention over the owners' services.
type Service struct {
	db    *store.DB
	years *examyear.Service
	parts []Part
}

// Part is one owner's share of the retention: the tables (or columns) it
// reports, and the call that destroys (or, dryRun, counts) a year's rows
// in them, in the caller's transaction.
type Part struct {
	Tables  []string
	Destroy func(ctx context.Context, year int, dryRun bool) (map[string]int64, error)
}

// Parts are the owners of what Neni 65 destroys: marking's scans, the
// link and codes of anonym, and the codes kept beside a result or a
// re-marking request (results, remark). A nil service is left out.
func Parts(mk *marking.Service, an *anonym.Service, rs *results.Service, rm *remark.Service) []Part {
	var out []Part
	if mk != nil {
		out = append(out, Part{marking.RetentionTables, mk.DestroyScans})
	}
	if an != nil {
		out = append(out, Part{anonym.RetentionTables, an.DestroyLinks})
	}
	if rs != nil {
		out = append(out, Part{results.RetentionTables, rs.ForgetCodes})
	}
	if rm != nil {
		out = append(out, Part{remark.RetentionTables, rm.ForgetCodes})
	}
	return out
}

// NewService returns the service over db and the owners' parts.
func NewService(db *store.DB, years *examyear.Service, parts ...Part) *Service {
	return &Service{db: db, years: years, parts: parts}
}

// Count is the rows destroyed (or, in a dry run, to destroy) in one table.
type Count struct {
	Table string `json:"table"`
	Rows  int64  `json:"rows"`
}

// YearReport is what the retention did, or would do, for one exam year.
type YearReport struct {
	Year        int       `json:"year"`
	SecretUntil time.Time `json:"secret_until"` // last day the booklets are secret in the archive
	DestroyOn   time.Time `json:"destroy_on"`   // first day of the destruction
	Secret      bool      `json:"secret"`       // today is on or before SecretUntil
	Due         bool      `json:"due"`          // today is on or after DestroyOn
	Destroyed   []Count   `json:"destroyed"`    // empty when not due
	Total       int64     `json:"total"`
}

// Report is one run over every exam year, oldest first.
type Report struct {
	Today  time.Time    `json:"today"`
	DryRun bool         `json:"dry_run"`
	Years  []YearReport `json:"years"`
}

// MayRun reports whether p may run the retention: the operator at the
// console (nil: the system) or AVA, whose archive it is (Neni 65).
func MayRun(p *auth.Principal) bool { return p == nil || p.Role == auth.RoleAVA }

// reader reads the exam years for the console, which has no account.
var reader = &auth.Principal{Username: "system", FullName: "provim", Role: auth.RoleAVA}

// Run destroys, for every exam year whose destroy date has passed on the
// clock's today, what Neni 65 destroys, and reports every year; years not
// yet due are listed with their dates and left untouched. dryRun counts
// without changing anything.
func (s *Service) Run(ctx context.Context, by *auth.Principal, dryRun bool) (Report, error) {
	if !MayRun(by) {
		return Report{}, apperr.New(apperr.Forbidden, "Vetëm AVA e zbaton afatin e ruajtjes së dokumenteve të provimit (Neni 65).")
	}
	ys, err := s.years.List(ctx, reader)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Today: s.db.Now(ctx), DryRun: dryRun}
	slices.SortFunc(ys, func(a, b examyear.Year) int { return a.Year - b.Year })
	for _, y := range ys {
		yr, err := s.year(ctx, by, y, dryRun, false)
		if err != nil {
			return rep, err
		}
		rep.Years = append(rep.Years, yr)
	}
	return rep, nil
}

// RunYear is Run for one year; before the year's destroy date it is
// refused with the date named (Neni 65 ¶2).
func (s *Service) RunYear(ctx context.Context, by *auth.Principal, year int, dryRun bool) (YearReport, error) {
	if !MayRun(by) {
		return YearReport{}, apperr.New(apperr.Forbidden, "Vetëm AVA e zbaton afatin e ruajtjes së dokumenteve të provimit (Neni 65).")
	}
	y, err := s.years.Get(ctx, reader, year)
	if err != nil {
		return YearReport{}, err
	}
	return s.year(ctx, by, *y, dryRun, true)
}

// year reports one year and, when due, destroys its scans and link in one
// transaction with one audit entry (none when nothing was left).
func (s *Service) year(ctx context.Context, by *auth.Principal, y examyear.Year, dryRun, refuse bool) (YearReport, error) {
	r := y.Config.Retention
	secret, err := SecretUntil(y.Year, r)
	if err != nil {
		return YearReport{}, apperr.New(apperr.Invalid, "Viti %d: %s (Ruajtja si sekret e test-broshurave).", y.Year, err)
	}
	now := s.db.Now(ctx)
	due, on, err := Due(y.Year, r, now)
	if err != nil {
		return YearReport{}, apperr.New(apperr.Invalid, "Viti %d: %s (Asgjësimi i test-broshurave).", y.Year, err)
	}
	rep := YearReport{Year: y.Year, SecretUntil: secret, DestroyOn: on, Due: due,
		Secret: now.Before(secret.AddDate(0, 0, 1))}
	if !due {
		if refuse {
			return rep, apperr.New(apperr.Conflict, "Test-broshurat dhe lidhja kod–kandidat e vitit %d asgjësohen nga %s (pas %s, Neni 65); sot është %s.",
				y.Year, clock.Day(on), clock.Day(on.AddDate(0, 0, -1)), clock.Day(now))
		}
		return rep, nil
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		rep.Destroyed, rep.Total = nil, 0
		for _, part := range s.parts {
			rows, err := part.Destroy(ctx, y.Year, dryRun)
			if err != nil {
				return err
			}
			for _, t := range part.Tables {
				rep.Destroyed = append(rep.Destroyed, Count{t, rows[t]})
				rep.Total += rows[t]
			}
		}
		if dryRun || rep.Total == 0 {
			return nil
		}
		after := map[string]any{"destroy_on": clock.Day(on), "counts": rep.Destroyed}
		return audit.Add(ctx, by.Actor(), "retention_destroy", "exam_year", strconv.Itoa(y.Year), nil, after)
	})
	if err != nil {
		return YearReport{}, fmt.Errorf("retention: year %d: %w", y.Year, err)
	}
	return rep, nil
}
