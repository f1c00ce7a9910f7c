package registry

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"provim/internal/albanian"
	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/scope"
	"provim/internal/store"
)

// Page limits a list.
type Page struct {
	Offset, Limit int
}

// Paging of the lists: a limit ≤ 0 or over MaxLimit means DefaultLimit, a
// negative offset means 0.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// bounds returns the offset and limit actually used.
func (p Page) bounds() (offset, limit int) {
	limit = p.Limit
	if limit <= 0 || limit > MaxLimit {
		limit = DefaultLimit
	}
	return max(p.Offset, 0), limit
}

func (p Page) clause(q *store.Query) string {
	offset, limit := p.bounds()
	return " LIMIT " + q.Arg(limit) + " OFFSET " + q.Arg(offset)
}

// ---- units ----

// ListUnits lists DAR and ZA, DAR first then their ZA, for any staff role.
func (s *Service) ListUnits(ctx context.Context, p *auth.Principal) ([]Unit, error) {
	if p == nil || p.Role == auth.RoleStudent {
		return nil, scope.Deny(p)
	}
	out, err := store.Select(ctx, s.db.Q(ctx), scanUnit, `SELECT `+unitCols+` FROM units`)
	if err != nil {
		return nil, fmt.Errorf("registry: list units: %w", err)
	}
	// Each DAR followed by its ZA, both in Albanian order.
	albanian.SortBy(out, func(u Unit) string {
		if u.Kind == "DAR" {
			return u.Name
		}
		for _, d := range out {
			if d.Code == u.ParentCode {
				return d.Name + "\x02" + u.Name
			}
		}
		return u.Name
	})
	return out, nil
}

const unitCols = `code, name, kind, COALESCE(parent_code, ''), city`

func scanUnit(row store.Scanner) (Unit, error) {
	var u Unit
	err := row.Scan(&u.Code, &u.Name, &u.Kind, &u.ParentCode, &u.City)
	return u, err
}

// ---- schools ----

const schoolCols = `sc.code, sc.name, sc.unit_code, sc.city, sc.public, sc.profile, sc.years, sc.address`

func scanSchool(row store.Scanner) (School, error) {
	var s School
	err := row.Scan(&s.Code, &s.Name, &s.UnitCode, &s.City, &s.Public, &s.Profile, &s.Years, &s.Address)
	return s, err
}

// SchoolFilter narrows ListSchools.
type SchoolFilter struct {
	Q       string // name, code or city
	Unit    string
	Profile string
	Page    Page
}

// ListSchools lists the schools in the caller's scope, in Albanian order:
// all of them (for pickers) unless f.Page has a limit; a negative offset
// counts as 0.
func (s *Service) ListSchools(ctx context.Context, p *auth.Principal, f SchoolFilter) ([]School, error) {
	all, err := s.schools(ctx, p, f)
	if err != nil {
		return nil, err
	}
	return pageSlice(all, f.Page), nil
}

// ListSchoolsPage lists one page of the schools in the caller's scope with
// the paging of ListStudents and ListStaff (see Page.bounds), and the total
// count of the filtered set.
func (s *Service) ListSchoolsPage(ctx context.Context, p *auth.Principal, f SchoolFilter) ([]School, int, error) {
	all, err := s.schools(ctx, p, f)
	if err != nil {
		return nil, 0, err
	}
	offset, limit := f.Page.bounds()
	return pageSlice(all, Page{Offset: offset, Limit: limit}), len(all), nil
}

func (s *Service) schools(ctx context.Context, p *auth.Principal, f SchoolFilter) ([]School, error) {
	var q store.Query
	if err := ScopeSchools(p, &q, "sc"); err != nil {
		return nil, err
	}
	addSearch(&q, f.Q, "sc.name", "sc.code", "sc.city")
	if f.Unit != "" {
		scope.UnitsUnder(&q, "sc.unit_code", f.Unit)
	}
	if f.Profile != "" {
		q.Add("sc.profile = ?", f.Profile)
	}
	out, err := store.Select(ctx, s.db.Q(ctx), scanSchool, `SELECT `+schoolCols+` FROM schools sc`+q.Where(), q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("registry: list schools: %w", err)
	}
	albanian.SortBy(out, func(s School) string { return s.Name })
	return out, nil
}

// pageSlice cuts a page out of items: a negative offset counts as 0, a
// limit ≤ 0 means no limit.
func pageSlice[T any](items []T, p Page) []T {
	offset := max(p.Offset, 0)
	if offset >= len(items) {
		return nil
	}
	items = items[offset:]
	if p.Limit > 0 && p.Limit < len(items) {
		items = items[:p.Limit]
	}
	return items
}

// GetSchool returns one school in the caller's scope.
func (s *Service) GetSchool(ctx context.Context, p *auth.Principal, code string) (School, error) {
	var q store.Query
	if err := ScopeSchools(p, &q, "sc"); err != nil {
		return School{}, err
	}
	q.Add("sc.code = ?", code)
	sc, err := scanSchool(s.db.Q(ctx).QueryRowContext(ctx, `SELECT `+schoolCols+` FROM schools sc`+q.Where(), q.Args()...))
	if errors.Is(err, sql.ErrNoRows) {
		return School{}, notFound("Shkolla", code)
	}
	if err != nil {
		return School{}, fmt.Errorf("registry: get school: %w", err)
	}
	return sc, nil
}

// SaveSchool creates or updates a school (AVA, or KMSH in its DAR/ZA).
func (s *Service) SaveSchool(ctx context.Context, p *auth.Principal, in School) (School, error) {
	sc, _, err := s.UpsertSchool(ctx, p, in)
	return sc, err
}

// UpsertSchool is SaveSchool that also tells whether the school was created.
func (s *Service) UpsertSchool(ctx context.Context, p *auth.Principal, in School) (School, bool, error) {
	if err := auth.Require(p, auth.RoleAVA, auth.RoleKMSH); err != nil {
		return School{}, false, err
	}
	res, err := importRecords(ctx, s, p, schoolSpec, []record[School]{{val: in}}, nil)
	if err != nil {
		return School{}, false, singleError("Shkolla nuk u ruajt", schoolSpec.outside, err)
	}
	sc, err := s.GetSchool(ctx, p, trim(in.Code))
	return sc, res.Created > 0, err
}

// singleError turns a one-record import failure into a plain error. A
// record outside the caller's scope answers not_found, as any object
// outside the scope does, with the entity's one answer (outside) and
// nothing else, so the answer is the same whether the record exists.
func singleError(prefix, outside string, err error) error {
	var ie *ImportError
	if errors.As(err, &ie) && len(ie.Rows) == 1 && slices.Contains(ie.Rows[0].Reasons, outside) {
		return &apperr.Error{Code: apperr.NotFound, Message: prefix + ": " + outside + ".", Details: []string{outside}}
	}
	if errors.As(err, &ie) && len(ie.Rows) == 1 {
		return &apperr.Error{Code: apperr.Invalid, Message: prefix + ": " + strings.Join(ie.Rows[0].Reasons, "; ") + ".", Details: ie.Rows[0].Reasons}
	}
	return err
}

// Counts is a summary of the registry in the caller's scope.
type Counts struct {
	Units, Schools, Students, Staff, Venues, Rooms, Seats int
}

// Count summarises the registry for the dashboard.
func (s *Service) Count(ctx context.Context, p *auth.Principal) (Counts, error) {
	var c Counts
	switch {
	case p == nil, p.Role == auth.RoleStudent, p.Role == auth.RoleMarker, p.Role == auth.RoleMonitor,
		p.Role == auth.RoleKOPOTED, p.Role == auth.RoleMASH, p.Role == auth.RoleObserver:
		return c, nil // the marking roles see no registry (Neni 57, 63)
	}
	db := s.db.Q(ctx)
	if p.Role == auth.RoleAVA || p.Role == auth.RoleKMSH {
		var q store.Query
		if p.Role == auth.RoleKMSH {
			scope.UnitsUnder(&q, "code", p.Unit)
		}
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM units`+q.Where(), q.Args()...).Scan(&c.Units)
	}
	var q store.Query
	if ScopeSchools(p, &q, "sc") == nil {
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM schools sc`+q.Where(), q.Args()...).Scan(&c.Schools)
	}
	q = store.Query{}
	if ScopeStudents(p, &q) == nil {
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM students st JOIN schools sc ON sc.code = st.school_code`+q.Where(), q.Args()...).Scan(&c.Students)
	}
	q = store.Query{}
	if scopeStaff(p, &q) == nil {
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM staff sf`+q.Where(), q.Args()...).Scan(&c.Staff)
	}
	q = store.Query{}
	if scopeVenues(p, &q) == nil {
		db.QueryRowContext(ctx, `SELECT COUNT(DISTINCT v.code), COUNT(r.id), COALESCE(SUM(r.seats), 0) FROM venues v LEFT JOIN rooms r ON r.venue_code = v.code`+q.Where(), q.Args()...).Scan(&c.Venues, &c.Rooms, &c.Seats)
	}
	return c, nil
}

// History returns the audit entries of one object, for those who may see it.
func (s *Service) History(ctx context.Context, objectType, objectID string) ([]audit.Entry, error) {
	return audit.Query(ctx, s.db.DB, objectType, objectID, 50)
}
