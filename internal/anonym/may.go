package anonym

import "provim/internal/auth"

// What a principal may do with the anonymisation, for the pages to ask
// before they offer an action. The service still enforces every rule.

// MayManage: only AVA makes the codes, names the key holders and opens the
// link (Neni 51.3, 58, 59.3).
func MayManage(p *auth.Principal) bool { return p.IsNational() }

// MayReadLabels: AVA, and the venue's PAP and AS, read the venue's label
// sheets and counts (Neni 51.4, 53).
func MayReadLabels(p *auth.Principal, venue string) bool {
	if p.IsNational() {
		return true
	}
	return p != nil && (p.Role == auth.RolePAP || p.Role == auth.RoleAS) && (venue == "" || p.Venue == venue)
}

// MaySeeLabels: the menu's entry to the anonymisation, for AVA and the
// venue's PAP and AS.
func MaySeeLabels(p *auth.Principal) bool { return MayManage(p) || MayReadLabels(p, "") }
