package examday

import "provim/internal/auth"

// MayViewBoard: AVA (national) and the KMSH (its region) follow the
// exam-day board.
func MayViewBoard(p *auth.Principal) bool {
	return p != nil && (p.Role == auth.RoleAVA || (p.Role == auth.RoleKMSH && p.StaffID == 0))
}

// MayWork: the venue roles (drawn or scoped to a venue) and a drawn KMSH
// representative have an exam-day page.
func MayWork(p *auth.Principal) bool {
	return p != nil && (p.IsVenueRole() || (p.Role == auth.RoleKMSH && p.StaffID != 0))
}

// MaySeeAttendance: a candidate sees their own attendance.
func MaySeeAttendance(p *auth.Principal) bool { return p != nil && p.Role == auth.RoleStudent }

// MayCheckIn: the assignment lets its holder check candidates in (the PAP,
// AP and AS of the venue, Neni 48.3, 49.1, 51.2, 52.2).
func MayCheckIn(a Assignment) bool {
	return !a.Viewer && (a.Role == auth.RolePAP || a.Role == auth.RoleAP || a.Role == auth.RoleAS)
}

// MayLead: the assignment is the venue's PAP (rooms for the AP, exclusions,
// paper sheets, packing: Neni 48, 55).
func MayLead(a Assignment) bool { return !a.Viewer && a.Role == auth.RolePAP }

// MayAttachLabels: the assignment may work the desk (AS, or PAP; the
// service refuses a PAP where an AS was drawn, Neni 53.2).
func MayAttachLabels(a Assignment) bool {
	return !a.Viewer && (a.Role == auth.RoleAS || a.Role == auth.RolePAP)
}

// MayMarkLeave: the AP of the room or the PAP records hand-ins and leaves.
func MayMarkLeave(a Assignment) bool {
	return !a.Viewer && (a.Role == auth.RolePAP || a.Role == auth.RoleAP)
}

// MayOpenDay: the exam-day page is offered to the board's viewers and to
// the venue's staff.
func MayOpenDay(p *auth.Principal) bool { return MayViewBoard(p) || MayWork(p) }
