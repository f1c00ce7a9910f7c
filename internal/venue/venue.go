// Package venue selects the places of the exam and seats every candidate
// in them (Neni 37–41, 52.7–52.8): the KMSH inspects each venue against
// the criteria of Neni 38 two months before the exam (Neni 37), which
// gives each room its seats; the region's venue list is sent by 10 May
// and changes after that need AVA's approval (Neni 41); the plan of each
// exam places every candidate of the final name list (Neni 36) in a
// venue and a room, grouping the small schools (Neni 39), sending the
// candidates of non-public schools to public schools' buildings (Neni 39)
// and the electives to the DAR/ZA cities (Neni 40). Students see their
// venue (Neni 12.9, 41 ¶4); the name list of each room prints with empty
// columns for the code label and the signature (Neni 53.3–53.4).
package venue

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/store"
)

// Service runs the venues and the exam plan of the active exam year.
type Service struct {
	db    *store.DB
	years *examyear.Service
	now   func() time.Time
}

// NewService returns the service over db.
func NewService(db *store.DB) *Service {
	return &Service{db: db, years: examyear.NewService(db), now: time.Now}
}

// SetClock replaces the clock (the demo runs a year's calendar; tests
// stand on a chosen day; the web server shares the application clock).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

// unit is a DAR or ZA as the planner sees it.
type unit struct {
	Code, Name, Kind, Parent, City string
}

// loadUnits returns every unit by code.
func loadUnits(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (map[string]unit, error) {
	rows, err := q.QueryContext(ctx, `SELECT code, name, kind, COALESCE(parent_code, ''), city FROM units`)
	if err != nil {
		return nil, fmt.Errorf("venue: units: %w", err)
	}
	defer rows.Close()
	out := map[string]unit{}
	for rows.Next() {
		var u unit
		if err := rows.Scan(&u.Code, &u.Name, &u.Kind, &u.Parent, &u.City); err != nil {
			return nil, err
		}
		out[u.Code] = u
	}
	return out, rows.Err()
}

// scopeUnits returns the codes of the units a KMSH member or AVA works on
// when asking for unit (empty: the whole scope): the unit and, for a DAR,
// the ZA under it (SPEC "Roles and scopes"). A unit outside the caller's
// scope answers as if it did not exist; other roles are refused.
func (s *Service) scopeUnits(ctx context.Context, p *auth.Principal, code string) ([]string, map[string]unit, error) {
	if err := auth.Require(p, auth.RoleAVA, auth.RoleKMSH); err != nil {
		return nil, nil, err
	}
	units, err := loadUnits(ctx, s.db)
	if err != nil {
		return nil, nil, err
	}
	in := func(u unit, root string) bool { return u.Code == root || u.Parent == root }
	code = strings.TrimSpace(code)
	if code != "" {
		u, ok := units[code]
		if !ok || !inScope(p, units, u.Code) {
			return nil, nil, apperr.New(apperr.NotFound, "DAR/ZA «%s» nuk u gjet.", code)
		}
	}
	root := code
	if root == "" && p.Role == auth.RoleKMSH {
		root = p.Unit
	}
	var out []string
	for _, u := range units {
		if root == "" || in(u, root) {
			out = append(out, u.Code)
		}
	}
	sortStrings(out)
	return out, units, nil
}

// inScope reports whether a KMSH member (or AVA) may act on unitCode.
func inScope(p *auth.Principal, units map[string]unit, unitCode string) bool {
	if p == nil {
		return false
	}
	if p.Role == auth.RoleAVA {
		return true
	}
	if p.Role != auth.RoleKMSH {
		return false
	}
	u := units[unitCode]
	return u.Code == p.Unit || (u.Code != "" && u.Parent == p.Unit)
}

// inTx runs fn in a transaction with an audit chain, so that a change and
// its audit entries are written together or not at all.
func (s *Service) inTx(ctx context.Context, fn func(tx *sql.Tx, chain *audit.Chain) error) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		chain, err := audit.Open(ctx, tx)
		if err != nil {
			return err
		}
		if err := fn(tx, chain); err != nil {
			return err
		}
		return chain.Close(ctx)
	})
}

// year is the active exam year.
func (s *Service) year(ctx context.Context) (*examyear.Year, error) { return s.years.Active(ctx) }
