package certificate

import "provim/internal/auth"

// Who may do what with certificates (the domain answers "may"; web asks).

// MayIssue: AVA issues and revokes the certificates.
func MayIssue(p *auth.Principal) bool { return p.IsNational() }

// MayList: who has a list of certificates — AVA all, a KMSH its region, a
// school commission its candidates (to print them).
func MayList(p *auth.Principal) bool {
	return p != nil && (p.Role == auth.RoleAVA || p.Role == auth.RoleKMSH || p.Role == auth.RoleKSHMSH)
}

// MayOwn: a candidate downloads their own certificate.
func MayOwn(p *auth.Principal) bool {
	return p != nil && p.Role == auth.RoleStudent && p.StudentID != 0
}
