// Package scope is the one place where a caller's role and scope become
// SQL predicates. A KMSH acts for its unit and, for a DAR, the ZA under
// it; a KSHMSH for its school; the venue roles for their venue; a student
// for themselves. Every domain package limits its queries through these
// functions, so a scope rule is written once.
//
// The unit tree itself belongs to package registry (table units); the
// predicate over it is published here, the only SQL outside registry that
// names that table (see docs/architecture.md).
package scope

import (
	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/store"
)

// unitsUnder is the SQL set of unit codes under a unit: the unit itself
// and, for a DAR, the ZA under it. Its one ? is used twice.
const unitsUnder = `(SELECT code FROM units WHERE code = ? OR parent_code = ?)`

// UnitsUnder adds "col IN (the unit and the ZA under it)" to q.
func UnitsUnder(q *store.Query, col, unit string) {
	q.Add(col+" IN "+unitsUnder, unit, unit)
}

// UnitsUnderSQL is the same predicate for SQL written by hand, with the
// unit's code given as the placeholder ph (e.g. "$2"), used twice.
func UnitsUnderSQL(col, ph string) string {
	return col + " IN (SELECT code FROM units WHERE code = " + ph + " OR parent_code = " + ph + ")"
}

// ParentOrSelfSQL is the SQL expression for the DAR a unit belongs to:
// the unit itself when it is a DAR, its parent when it is a ZA. col names
// the unit's code.
func ParentOrSelfSQL(col string) string {
	return "(SELECT COALESCE(NULLIF(u.parent_code, ''), u.code) FROM units u WHERE u.code = " + col + ")"
}

// Deny is the error for a role with no access at all to a kind of data.
func Deny(p *auth.Principal) error {
	if p == nil {
		return apperr.New(apperr.Unauthorized, "Duhet të identifikoheni.")
	}
	return apperr.New(apperr.Forbidden, "Roli juaj (%s) nuk ka akses në këto të dhëna.", p.Role.Label())
}

// Columns name, for one query, the columns a scope predicate reads: the
// unit code and school code of the rows, and (where rows are a venue's or
// a student's) the venue code and the student id. An empty name means the
// rows have no such column, and a role scoped by it sees nothing.
type Columns struct {
	Unit, School, Venue, Student string
}

// Limit adds to q the predicate of p's scope over rows with columns c:
// AVA sees everything, a KMSH its unit (with its ZA), a KSHMSH its school,
// PAP/AP/AS their venue, a student their own rows. A role the rows cannot
// be scoped for is refused with Deny.
func Limit(p *auth.Principal, q *store.Query, c Columns) error {
	switch {
	case p == nil:
		return Deny(p)
	case p.Role == auth.RoleAVA:
		return nil
	case p.Role == auth.RoleKMSH && c.Unit != "":
		UnitsUnder(q, c.Unit, p.Unit)
		return nil
	case p.Role == auth.RoleKSHMSH && c.School != "":
		q.Add(c.School+" = ?", p.School)
		return nil
	case p.IsVenueRole() && c.Venue != "":
		q.Add(c.Venue+" = ?", p.Venue)
		return nil
	case p.Role == auth.RoleStudent && c.Student != "":
		q.Add(c.Student+" = ?", p.StudentID)
		return nil
	}
	return Deny(p)
}
