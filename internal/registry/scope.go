package registry

import (
	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/store"
)

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

// ScopeSchools limits a query on an aliased schools table.
func ScopeSchools(p *auth.Principal, q *store.Query, alias string) error {
	switch {
	case p == nil:
		return deny(p)
	case p.Role == auth.RoleAVA:
		return nil
	case p.Role == auth.RoleKMSH:
		q.Add(alias+".unit_code IN "+unitsOf, p.Unit, p.Unit)
		return nil
	case p.Role == auth.RoleKSHMSH:
		q.Add(alias+".code = ?", p.School)
		return nil
	}
	return deny(p)
}

// ScopeStudents limits a query on students (alias st) joined to schools (alias sc).
func ScopeStudents(p *auth.Principal, q *store.Query) error {
	if p != nil && p.Role == auth.RoleStudent {
		q.Add("st.id = ?", p.StudentID)
		return nil
	}
	return ScopeSchools(p, q, "sc")
}

// scopeStaff limits a query on staff (alias sf).
func scopeStaff(p *auth.Principal, q *store.Query) error {
	switch {
	case p == nil:
		return deny(p)
	case p.Role == auth.RoleAVA:
		return nil
	case p.Role == auth.RoleKMSH:
		q.Add("sf.unit_code IN "+unitsOf, p.Unit, p.Unit)
		return nil
	case p.Role == auth.RoleKSHMSH:
		q.Add("sf.school_code = ?", p.School)
		return nil
	}
	return deny(p)
}

// scopeVenues limits a query on venues (alias v).
func scopeVenues(p *auth.Principal, q *store.Query) error {
	switch {
	case p == nil:
		return deny(p)
	case p.Role == auth.RoleAVA:
		return nil
	case p.Role == auth.RoleKMSH:
		q.Add("v.unit_code IN "+unitsOf, p.Unit, p.Unit)
		return nil
	case p.Role == auth.RoleKSHMSH:
		q.Add("v.school_code = ?", p.School)
		return nil
	case p.IsVenueRole():
		q.Add("v.code = ?", p.Venue)
		return nil
	}
	return deny(p)
}

// canWrite reports whether p may change registry data at all (the scope
// of each object is checked separately).
func canWrite(p *auth.Principal) error {
	return auth.Require(p, auth.RoleAVA, auth.RoleKMSH, auth.RoleKSHMSH)
}
