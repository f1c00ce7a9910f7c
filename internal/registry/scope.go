package registry

import (
	"fmt"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
)

// query builds a WHERE clause with $N placeholders in order.
type query struct {
	conds []string
	args  []any
}

// add appends a condition; each ? in cond becomes the next $N.
func (q *query) add(cond string, args ...any) {
	for _, a := range args {
		q.args = append(q.args, a)
		cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(q.args)), 1)
	}
	q.conds = append(q.conds, cond)
}

func (q *query) where() string {
	if len(q.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.conds, " AND ")
}

// unitsOf is the SQL set of unit codes under a KMSH's unit: the unit and,
// for a DAR, the ZA under it.
const unitsOf = `(SELECT code FROM units WHERE code = ? OR parent_code = ?)`

// deny is the error for a role with no access at all to a kind of data.
func deny(p *auth.Principal) error {
	if p == nil {
		return apperr.New(apperr.Unauthorized, "Duhet të identifikoheni.")
	}
	return apperr.New(apperr.Forbidden, "Roli juaj (%s) nuk ka akses në këto të dhëna.", p.Role.Label())
}

// notFound hides whether an object outside the caller's scope exists.
func notFound(what, id string) error {
	return apperr.New(apperr.NotFound, "%s «%s» nuk u gjet.", what, id)
}

// scopeSchools limits a query on an aliased schools table.
func scopeSchools(p *auth.Principal, q *query, alias string) error {
	switch {
	case p == nil:
		return deny(p)
	case p.Role == auth.RoleAVA:
		return nil
	case p.Role == auth.RoleKMSH:
		q.add(alias+".unit_code IN "+unitsOf, p.Unit, p.Unit)
		return nil
	case p.Role == auth.RoleKSHMSH:
		q.add(alias+".code = ?", p.School)
		return nil
	}
	return deny(p)
}

// scopeStudents limits a query on students (alias st) joined to schools (alias sc).
func scopeStudents(p *auth.Principal, q *query) error {
	if p != nil && p.Role == auth.RoleStudent {
		q.add("st.id = ?", p.StudentID)
		return nil
	}
	return scopeSchools(p, q, "sc")
}

// scopeStaff limits a query on staff (alias sf).
func scopeStaff(p *auth.Principal, q *query) error {
	switch {
	case p == nil:
		return deny(p)
	case p.Role == auth.RoleAVA:
		return nil
	case p.Role == auth.RoleKMSH:
		q.add("sf.unit_code IN "+unitsOf, p.Unit, p.Unit)
		return nil
	case p.Role == auth.RoleKSHMSH:
		q.add("sf.school_code = ?", p.School)
		return nil
	}
	return deny(p)
}

// scopeVenues limits a query on venues (alias v).
func scopeVenues(p *auth.Principal, q *query) error {
	switch {
	case p == nil:
		return deny(p)
	case p.Role == auth.RoleAVA:
		return nil
	case p.Role == auth.RoleKMSH:
		q.add("v.unit_code IN "+unitsOf, p.Unit, p.Unit)
		return nil
	case p.Role == auth.RoleKSHMSH:
		q.add("v.school_code = ?", p.School)
		return nil
	case p.IsVenueRole():
		q.add("v.code = ?", p.Venue)
		return nil
	}
	return deny(p)
}

// canWrite reports whether p may change registry data at all (the scope
// of each object is checked separately).
func canWrite(p *auth.Principal) error {
	return auth.Require(p, auth.RoleAVA, auth.RoleKMSH, auth.RoleKSHMSH)
}
