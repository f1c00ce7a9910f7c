package accounts

import (
	"context"
	"sync"
	"time"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/store"
)

// ScopeLabel names p's scope as people know it, for a page's header and
// the documents it signs (issue 11, part C): "DAR Tiranë", "Shkolla:
// Gjimnazi «Sami Frashëri», Tiranë", "Qendra: …", "Lënda: D1 — Gjuhë
// shqipe dhe letërsi". A scope whose record cannot be read is written as
// auth writes it, with its code: a header is never an error page.
func (s *Service) ScopeLabel(ctx context.Context, p *auth.Principal) string {
	if p == nil || p.Unit == "" && p.School == "" && p.Venue == "" && p.Subject == "" {
		return p.ScopeLabel() // a national scope, or a student's own: nothing to name (every page of results night)
	}
	if store.TxFrom(ctx) != nil { // a transaction reads its own
		return s.ScopeLabels(ctx, []*auth.Principal{p})[0]
	}
	key := labelKey{p.Role, p.Unit, p.School, p.Venue, p.Subject}
	if l, ok := s.labels.get(key); ok {
		return l
	}
	l := s.ScopeLabels(ctx, []*auth.Principal{p})[0]
	s.labels.put(key, l)
	return l
}

// labelTTL is how long a server names a scope as it last read it: a
// renamed school or venue shows in the headers within it.
const labelTTL = time.Second

// labelCache keeps the scope labels of page headers for labelTTL, so that
// a commission's page does not read the registry for its own header each
// time (issue 11, part C). A year's scopes are a few thousand.
type labelCache struct {
	mu   sync.Mutex
	read clock.Timer
	m    map[labelKey]string
}

type labelKey struct {
	role                         auth.Role
	unit, school, venue, subject string
}

// get is the label of k kept less than labelTTL ago; every label is
// dropped together once the first of them is that old.
func (c *labelCache) get(k labelKey) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.read.Elapsed() > labelTTL {
		c.m = nil
	}
	l, ok := c.m[k]
	return l, ok
}

func (c *labelCache) put(k labelKey, l string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m, c.read = map[labelKey]string{}, clock.StartTimer()
	}
	c.m[k] = l
}

// ScopeLabels is ScopeLabel for a list of principals (the users page),
// reading each kind of name once.
func (s *Service) ScopeLabels(ctx context.Context, ps []*auth.Principal) []string {
	out := make([]string, len(ps))
	var units, schools, venues []string
	subjects := false
	for i, p := range ps {
		out[i] = p.ScopeLabel()
		switch {
		case p == nil:
		case p.Role == auth.RoleKMSH && p.Unit != "":
			units = append(units, p.Unit)
		case p.Role == auth.RoleKSHMSH && p.School != "":
			schools = append(schools, p.School)
		case p.IsVenueRole() && p.Venue != "":
			venues = append(venues, p.Venue)
		case (p.Role == auth.RoleMarker || p.Role == auth.RoleMonitor) && p.Subject != "":
			subjects = true
		}
	}
	if len(units)+len(schools)+len(venues) > 0 {
		names, err := s.registry.ScopeNames(ctx, units, schools, venues)
		if err != nil {
			return out
		}
		for i, p := range ps {
			if p == nil {
				continue
			}
			var prefix, name string
			switch {
			case p.Role == auth.RoleKMSH:
				name = names.Units[p.Unit]
			case p.Role == auth.RoleKSHMSH:
				prefix, name = "Shkolla: ", names.Schools[p.School]
			case p.IsVenueRole():
				prefix, name = "Qendra: ", names.Venues[p.Venue]
			}
			if name != "" {
				out[i] = prefix + name
			}
		}
	}
	if subjects {
		y, err := s.years.Active(ctx)
		if err != nil {
			return out
		}
		for i, p := range ps {
			if p == nil || p.Role != auth.RoleMarker && p.Role != auth.RoleMonitor {
				continue
			}
			if name, ok := y.Config.ExamName(p.Subject); ok {
				if p.Subject == examyear.KindD1 || p.Subject == examyear.KindD2 {
					name = p.Subject + " — " + name
				}
				out[i] = "Lënda: " + name
			}
		}
	}
	return out
}

// NameLetters writes the scope of each activation letter by name (as
// ScopeLabels), before the letters are printed or answered.
func (s *Service) NameLetters(ctx context.Context, letters []auth.Letter) {
	ps := make([]*auth.Principal, len(letters))
	for i := range letters {
		ps[i] = &letters[i].Account
	}
	for i, label := range s.ScopeLabels(ctx, ps) {
		letters[i].Scope = label
	}
}
