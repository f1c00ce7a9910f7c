package registry

import (
	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/scope"
	"provim/internal/store"
)

// The registry's lists are limited to the caller's scope through package
// scope, the one place a role and its scope become SQL predicates; these
// name the columns of each of the registry's tables it reads.

// notFound hides whether an object outside the caller's scope exists.
func notFound(what, id string) error {
	return apperr.New(apperr.NotFound, "%s «%s» nuk u gjet.", what, id)
}

// ScopeSchools limits a query on an aliased schools table: AVA sees every
// school, a KMSH those of its unit (with its ZA), a KSHMSH its own.
func ScopeSchools(p *auth.Principal, q *store.Query, alias string) error {
	return scope.Limit(p, q, scope.Columns{Unit: alias + ".unit_code", School: alias + ".code"})
}

// ScopeStudents limits a query on students (alias st) joined to schools
// (alias sc): as ScopeSchools, and a student sees themselves.
func ScopeStudents(p *auth.Principal, q *store.Query) error {
	return scope.Limit(p, q, scope.Columns{Unit: "sc.unit_code", School: "sc.code", Student: "st.id"})
}

// scopeStaff limits a query on staff (alias sf).
func scopeStaff(p *auth.Principal, q *store.Query) error {
	return scope.Limit(p, q, scope.Columns{Unit: "sf.unit_code", School: "sf.school_code"})
}

// scopeVenues limits a query on venues (alias v): as schools, and the
// venue roles see their venue.
func scopeVenues(p *auth.Principal, q *store.Query) error {
	return scope.Limit(p, q, scope.Columns{Unit: "v.unit_code", School: "v.school_code", Venue: "v.code"})
}

// canWrite reports whether p may change registry data at all (the scope
// of each object is checked separately).
func canWrite(p *auth.Principal) error {
	return auth.Require(p, auth.RoleAVA, auth.RoleKMSH, auth.RoleKSHMSH)
}
