package custody

import (
	"maps"
	"slices"

	"provim/internal/auth"
)

// mask hides from p what it must read off the seals itself (Neni 43–45):
// the registered seal numbers from everyone but AVA, who registered them;
// the seals read in a hand-over not yet confirmed, since the giver's
// equal the registered ones (Record refuses any other) and the receiver
// could copy them; and, in confirmed hand-overs, the numbers of every
// package whose seals p reads again at a later step (SealsWithheld).
func mask(c *Consignment, p *auth.Principal) {
	if isAVA(p) {
		return
	}
	for i := range c.Packages {
		c.Packages[i].Seals = []string{}
	}
	if c.Pending != nil {
		maskHandover(c.Pending, c, p)
	}
	for i := range c.Handovers {
		maskHandover(&c.Handovers[i], c, p)
	}
}

// maskHandover hides from p the seal numbers of h that p may not see yet:
// all of them while h waits for confirmation, and those of the packages p
// reads again later once it is confirmed. A package the consignment does
// not list is hidden too.
func maskHandover(h *Handover, c *Consignment, p *auth.Principal) {
	if isAVA(p) {
		return
	}
	kinds := make(map[string]string, len(c.Packages))
	for _, pk := range c.Packages {
		kinds[pk.Code] = pk.Kind
	}
	var role auth.Role
	if p != nil {
		role = p.Role
	}
	// The maps may be shared with other copies of h (Pending): each copy
	// is masked on its own.
	h.SealsGiven, h.SealsReceived = maps.Clone(h.SealsGiven), maps.Clone(h.SealsReceived)
	hidden := map[string]bool{}
	for _, m := range []map[string][]string{h.SealsGiven, h.SealsReceived} {
		for code := range m {
			kind, ok := kinds[code]
			if !h.Confirmed || !ok || SealsWithheld(role, kind, c.Stage) {
				delete(m, code)
				hidden[code] = true
			}
		}
	}
	h.SealsHidden = nil
	for code := range hidden {
		h.SealsHidden = append(h.SealsHidden, code)
	}
	slices.Sort(h.SealsHidden)
}

func isAVA(p *auth.Principal) bool { return p != nil && p.Role == auth.RoleAVA }
