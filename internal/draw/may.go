package draw

import "provim/internal/auth"

// What a principal may do with the draws, for the pages to ask before they
// offer an action. The service still enforces every rule.

// MayView: AVA and the regional commissions read the staffing needs, the
// lists and the draws.
func MayView(p *auth.Principal) bool {
	return p != nil && (p.Role == auth.RoleAVA || p.Role == auth.RoleKMSH)
}

// MayWrite: the regional commission fills its lists and commits its draws
// (Neni 47).
func MayWrite(p *auth.Principal) bool { return p != nil && p.Role == auth.RoleKMSH }

// MayRun: the regional commission runs a committed draw that nothing has
// replaced (Neni 47.5).
func MayRun(p *auth.Principal, rec Record) bool {
	return MayWrite(p) && rec.Status == StatusCommitted && rec.SupersededBy == 0
}
