package accounts

import "provim/internal/auth"

// MayCreateForSchool: AVA, and a school's commission for its own school
// (the registry's scope decides which school is its own).
func MayCreateForSchool(p *auth.Principal) bool {
	return p != nil && (p.Role == auth.RoleAVA || p.Role == auth.RoleKSHMSH)
}

// MayCreateForVenue: AVA, and a region's commission for the venues of its
// DAR/ZA.
func MayCreateForVenue(p *auth.Principal) bool {
	return p != nil && (p.Role == auth.RoleAVA || p.Role == auth.RoleKMSH)
}

// MayCreateInBulk: the commissions that create accounts in bulk (the menu
// offers them the page).
func MayCreateInBulk(p *auth.Principal) bool { return MayCreateForSchool(p) || MayCreateForVenue(p) }
