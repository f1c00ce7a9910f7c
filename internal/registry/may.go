package registry

import "provim/internal/auth"

// What a principal may do with the registry, for the pages to ask before
// they offer an action. The service still enforces every rule.

// MayEditSchools: AVA and the regional commissions add and change schools
// and the venues with their rooms.
func MayEditSchools(p *auth.Principal) bool {
	return p != nil && (p.Role == auth.RoleAVA || p.Role == auth.RoleKMSH)
}

// MayEditStudents: the commissions (AVA, regional, school) add and change
// students and read who changed a record.
func MayEditStudents(p *auth.Principal) bool {
	return p != nil && (p.Role == auth.RoleAVA || p.Role == auth.RoleKMSH || p.Role == auth.RoleKSHMSH)
}

// MaySeeHistory: the history of a record names who changed what: for the
// commissions, not for the student.
func MaySeeHistory(p *auth.Principal) bool { return MayEditStudents(p) }

// MayImport: the commissions import registry files.
func MayImport(p *auth.Principal) bool { return MayEditStudents(p) }

// MayListSchools: the commissions read the schools and their staff.
func MayListSchools(p *auth.Principal) bool { return MayEditStudents(p) }

// MayListStudents: the commissions read the students; a student reads
// their own record.
func MayListStudents(p *auth.Principal) bool { return MayEditStudents(p) || OwnRecordOnly(p) }

// OwnRecordOnly: the student sees only their own record.
func OwnRecordOnly(p *auth.Principal) bool { return p != nil && p.Role == auth.RoleStudent }

// MayListVenues: the commissions and the venue staff read the venues.
func MayListVenues(p *auth.Principal) bool { return MayEditStudents(p) || p.IsVenueRole() }

// MayListUnits: AVA and the regional commissions keep the list of DAR/ZA.
func MayListUnits(p *auth.Principal) bool { return MayEditSchools(p) }

// HomeUnit is the DAR/ZA a page is about when none is chosen: the
// regional commission's own; "" for every other role (AVA chooses).
func HomeUnit(p *auth.Principal) string {
	if p != nil && p.Role == auth.RoleKMSH {
		return p.Unit
	}
	return ""
}

// HomeSchool is the school a page is about when none is chosen: the school
// commission's own; "" for every other role.
func HomeSchool(p *auth.Principal) string {
	if p != nil && p.Role == auth.RoleKSHMSH {
		return p.School
	}
	return ""
}
