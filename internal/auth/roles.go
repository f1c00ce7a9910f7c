// Package auth holds users, roles and scopes, password hashing, sessions,
// API tokens and login throttling. Authorisation of data access is decided
// by each domain package from the Principal defined here.
package auth

import (
	"strings"

	"provim/internal/apperr"
	"provim/internal/audit"
)

// Role is what a user does in the exam.
type Role string

// Roles (SPEC "Actors", Neni 2, 5–12, 48–51, 57).
const (
	RoleAVA     Role = "ava"       // national exam agency (Neni 6): national scope
	RoleKMSH    Role = "kmsh"      // regional Matura commission (Neni 9–10): one DAR/ZA
	RoleKSHMSH  Role = "kshmsh"    // school Matura commission (Neni 11–12): one school
	RolePAP     Role = "pap"       // venue exam administrator (Neni 48): one venue
	RoleAP      Role = "ap"        // room administrator (Neni 49–50): one venue
	RoleAS      Role = "as"        // anonymisation administrator (Neni 51, 53): one venue
	RoleMarker  Role = "vleresues" // external marker (Neni 57): one subject
	RoleStudent Role = "nxenes"    // student or candidate: only themselves
	// Marking's oversight (Neni 57.15–57.18).
	RoleMonitor  Role = "monitorues" // MASH's monitor of marking (Neni 57.15): one subject
	RoleKOPOTED  Role = "kopoted"    // commission on suspected copying (Neni 57.16): national
	RoleMASH     Role = "mash"       // the ministry, which decides on KOPOTED's reports (Neni 57.17): national
	RoleObserver Role = "vezhgues"   // the State Matura Committee's representative (Neni 57.18): national, reads only
	// The state education information system (issue 15 item 9): a machine
	// account with an API token that reads only the results export.
	RoleSMIP Role = "smip"
)

// Roles lists every role, in display order.
var Roles = []Role{RoleAVA, RoleKMSH, RoleKSHMSH, RolePAP, RoleAP, RoleAS, RoleMarker, RoleMonitor, RoleKOPOTED, RoleMASH, RoleObserver, RoleSMIP, RoleStudent}

// Label is the role's Albanian name.
func (r Role) Label() string {
	switch r {
	case RoleAVA:
		return "AVA — administrator kombëtar"
	case RoleKMSH:
		return "KMSH — komisioni rajonal i Maturës"
	case RoleKSHMSH:
		return "KSHMSH — komisioni shkollor i Maturës"
	case RolePAP:
		return "PAP — përgjegjës i administrimit të provimit"
	case RoleAP:
		return "AP — administrator provimi"
	case RoleAS:
		return "AS — administrator sekretimi"
	case RoleMarker:
		return "Vlerësues"
	case RoleMonitor:
		return "Monitorues i vlerësimit (MASH)"
	case RoleKOPOTED:
		return "KOPOTED — komisioni për testet e dyshuara për kopjim"
	case RoleMASH:
		return "MASH — ministria"
	case RoleObserver:
		return "Vëzhgues i Komitetit të Maturës Shtetërore"
	case RoleSMIP:
		return "SMIP — sistemi i informacionit të arsimit (eksporti i rezultateve)"
	case RoleStudent:
		return "Maturant / kandidat"
	}
	return string(r)
}

// Short is the role's abbreviation as people say it: AVA, KMSH, KSHMSH,
// PAP, AP, AS, vlerësues, nxënës.
func (r Role) Short() string {
	switch r {
	case RoleAVA, RoleKMSH, RoleKSHMSH, RolePAP, RoleAP, RoleAS:
		return strings.ToUpper(string(r))
	case RoleMarker:
		return "vlerësues"
	case RoleMonitor:
		return "monitorues"
	case RoleKOPOTED:
		return "KOPOTED"
	case RoleMASH:
		return "MASH"
	case RoleObserver:
		return "vëzhgues"
	case RoleSMIP:
		return "SMIP"
	case RoleStudent:
		return "nxënës"
	}
	return string(r)
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Principal is the authenticated caller: a user with a role and a scope.
// GET /api/v1/me writes it as JSON; the scope fields a role does not have
// are left out.
type Principal struct {
	UserID    int64  `json:"user_id"`
	Username  string `json:"username"`
	FullName  string `json:"full_name"`
	Role      Role   `json:"role"`
	Unit      string `json:"unit,omitempty"`       // DAR/ZA code, for RoleKMSH
	School    string `json:"school,omitempty"`     // school code, for RoleKSHMSH
	Venue     string `json:"venue,omitempty"`      // venue code, for the venue roles
	Subject   string `json:"subject,omitempty"`    // subject code, for RoleMarker
	StudentID int64  `json:"student_id,omitempty"` // for RoleStudent
	StaffID   int64  `json:"staff_id,omitempty"`   // the registry's record of a member of staff
	// via is the hash of the session or token the caller used, so that a
	// password change can keep it and end the others.
	via string
}

// IsNational reports national scope.
func (p *Principal) IsNational() bool { return p != nil && p.Role == RoleAVA }

// IsVenueRole reports the roles scoped to one venue.
func (p *Principal) IsVenueRole() bool {
	return p != nil && (p.Role == RolePAP || p.Role == RoleAP || p.Role == RoleAS)
}

// ScopeLabel describes the scope in Albanian, for the page header.
func (p *Principal) ScopeLabel() string {
	switch {
	case p == nil:
		return ""
	case p.Role == RoleAVA:
		return "Kombëtar"
	case p.Role == RoleKMSH:
		return "DAR/ZA " + p.Unit
	case p.Role == RoleKSHMSH:
		return "Shkolla " + p.School
	case p.IsVenueRole():
		return "Qendra " + p.Venue
	case p.Role == RoleMarker, p.Role == RoleMonitor:
		return "Lënda " + p.Subject
	case p.Role == RoleKOPOTED, p.Role == RoleMASH, p.Role == RoleObserver:
		return "Kombëtar"
	case p.Role == RoleStudent:
		return "Vetëm të dhënat e mia"
	case p.Role == RoleSMIP:
		return "Kombëtar, vetëm eksporti i rezultateve"
	}
	return ""
}

// ConfinedTo is the one API path prefix a confined role may reach, ""
// for the others: the SMIP's token reaches the results export only
// (issue 15 item 9), never a page or another endpoint.
func (p *Principal) ConfinedTo() string {
	if p != nil && p.Role == RoleSMIP {
		return "/api/v1/smip/"
	}
	return ""
}

// Require returns a Forbidden error unless p has one of roles.
func Require(p *Principal, roles ...Role) error {
	if p == nil {
		return apperr.New(apperr.Unauthorized, "Duhet të identifikoheni.")
	}
	for _, r := range roles {
		if p.Role == r {
			return nil
		}
	}
	return apperr.New(apperr.Forbidden, "Roli juaj (%s) nuk e lejon këtë veprim.", p.Role.Label())
}

// Actor converts the principal for the audit log.
func (p *Principal) Actor() audit.Actor {
	if p == nil {
		return audit.System
	}
	return audit.Actor{Name: p.Username, Role: string(p.Role)}
}

// The audit page names a role and the way of a login as people say them.
func init() {
	audit.LabelValues("role", func(v string) string {
		if r := Role(v); r.Valid() {
			return r.Short()
		}
		return ""
	})
	logins := map[string]string{"session": "hyrje në shfletues", "check": "kontroll i fjalëkalimit", "token": "token API"}
	audit.LabelValues("via", func(v string) string { return logins[v] })
}
