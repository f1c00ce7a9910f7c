package remark

import "provim/internal/auth"

// Who may do what in re-marking (the domain answers "may"; web asks).

// MayFile: the candidate files their own request online (Neni 64 ¶1).
func MayFile(p *auth.Principal) bool {
	return p != nil && p.Role == auth.RoleStudent && p.StudentID > 0
}

// MayEnterOnPaper: the school commission enters a request filed on paper
// by its candidate, and forwards its requests (Neni 64 ¶1–2).
func MayEnterOnPaper(p *auth.Principal) bool {
	return p != nil && p.Role == auth.RoleKSHMSH && p.School != ""
}

// MayReview: the KMSH reviews its region's requests and forwards them to
// AVA (Neni 64 ¶2).
func MayReview(p *auth.Principal) bool { return p != nil && p.Role == auth.RoleKMSH && p.Unit != "" }

// MayManage: AVA forms the re-marking groups and sends the results (¶3–4).
func MayManage(p *auth.Principal) bool { return p.IsNational() }

// MayRemark: a marker may have a re-marking queue (¶3).
func MayRemark(p *auth.Principal) bool { return p != nil && p.Role == auth.RoleMarker }

// MayListRequests: who sees requests by candidate: the school its own,
// the KMSH its region's.
func MayListRequests(p *auth.Principal) bool { return MayEnterOnPaper(p) || MayReview(p) }

// MayOpenRemark: who has a re-marking menu at all.
func MayOpenRemark(p *auth.Principal) bool {
	return MayFile(p) || MayListRequests(p) || MayManage(p) || MayRemark(p)
}
