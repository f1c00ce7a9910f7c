package results

import "provim/internal/auth"

// Who may do what with the results (the domain answers "may"; web asks).

// MayManage: AVA computes and publishes the results (Neni 57.19, 58).
func MayManage(p *auth.Principal) bool { return p.IsNational() }

// MaySeeOwn: a candidate sees their own results (issue 15 item 3).
func MaySeeOwn(p *auth.Principal) bool {
	return p != nil && p.Role == auth.RoleStudent && p.StudentID != 0
}

// MayList: AVA all, the KMSH its region, the school commission its
// candidates (issue 15 item 3). Nobody else lists results.
func MayList(p *auth.Principal) bool {
	return p != nil && (p.Role == auth.RoleAVA || p.Role == auth.RoleKMSH || p.Role == auth.RoleKSHMSH)
}

// MaySendSession2: the KMSH sends its second-session list to AVA (Neni 58).
func MaySendSession2(p *auth.Principal) bool { return p != nil && p.Role == auth.RoleKMSH }

// MayOpenResults: who has a results menu at all.
func MayOpenResults(p *auth.Principal) bool { return MaySeeOwn(p) || MayList(p) }
