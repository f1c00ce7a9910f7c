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
	"fmt"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/store"
)

// Service runs the venues and the exam plan of the active exam year.
type Service struct {
	db    *store.DB
	years *examyear.Service
	reg   *registry.Service
	apps  *application.Service
	// planUsers are the steps made on the plan (OnPlanUsedBy).
	planUsers []PlanUser
	// session2 reads the second session's lists (SetSession2Source).
	session2 Session2Source
}

// NewService returns the service over db; the exam years, the registry and
// the applications (final lists) are the services it reads through.
func NewService(db *store.DB, years *examyear.Service, reg *registry.Service, apps *application.Service) *Service {
	return &Service{db: db, years: years, reg: reg, apps: apps}
}

// Now is the service's clock (the printed lists carry its date).
func (s *Service) Now() time.Time { return s.db.Clock.Now() }

// unit is a DAR or ZA as the planner sees it.
type unit struct {
	Code, Name, Kind, Parent, City string
}

// loadUnits returns every unit by code (the registry's unit tree).
func (s *Service) loadUnits(ctx context.Context) (map[string]unit, error) {
	list, err := s.reg.AllUnits(ctx)
	if err != nil {
		return nil, fmt.Errorf("venue: units: %w", err)
	}
	out := make(map[string]unit, len(list))
	for _, u := range list {
		out[u.Code] = unit{Code: u.Code, Name: u.Name, Kind: u.Kind, Parent: u.ParentCode, City: u.City}
	}
	return out, nil
}

// scopeUnits returns the codes of the units a KMSH member or AVA works on
// when asking for unit (empty: the whole scope): the unit and, for a DAR,
// the ZA under it (SPEC "Roles and scopes"). A unit outside the caller's
// scope answers as if it did not exist; other roles are refused.
func (s *Service) scopeUnits(ctx context.Context, p *auth.Principal, code string) ([]string, map[string]unit, error) {
	if err := auth.Require(p, auth.RoleAVA, auth.RoleKMSH); err != nil {
		return nil, nil, err
	}
	units, err := s.loadUnits(ctx)
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

// year is the active exam year.
func (s *Service) year(ctx context.Context) (*examyear.Year, error) { return s.years.Active(ctx) }
