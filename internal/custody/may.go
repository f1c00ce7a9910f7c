package custody

import "provim/internal/auth"

// What a principal may do with the exam materials, for the pages to ask
// before they offer an action. The service still enforces every rule.

// MayView: AVA, the regional commissions and the venue staff follow the
// materials (Neni 42–46).
func MayView(p *auth.Principal) bool {
	return p != nil && (p.Role == auth.RoleAVA || p.Role == auth.RoleKMSH || p.IsVenueRole())
}

// MayCreate: AVA prepares the packages of an exam.
func MayCreate(p *auth.Principal) bool { return p.IsNational() }

// ChoosesUnit: AVA and the regional commissions filter the board by
// DAR/ZA; a drawn KMSH representative sees only the venues drawn for.
func ChoosesUnit(p *auth.Principal) bool {
	return p != nil && (p.Role == auth.RoleAVA || p.Role == auth.RoleKMSH) && !staffScoped(p)
}

// MayRecord: p may record a hand-over of step st.
func MayRecord(p *auth.Principal, st *Step) bool {
	return p != nil && st != nil && st.RecorderAllowed(p.Role) && repRefusal(p, *st, false) == nil
}

// MayConfirm: p may confirm the hand-over h: a receiver of its step who did
// not record it.
func MayConfirm(p *auth.Principal, h *Handover) bool {
	if p == nil || h == nil || h.RecordedBy == p.Username {
		return false
	}
	st, ok := StepByNo(h.Step)
	return ok && st.ConfirmerAllowed(p.Role) && repRefusal(p, st, true) == nil
}
