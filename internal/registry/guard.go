package registry

import (
	"context"
	"sync"
	"time"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
)

// Personal data is confidential (Neni 63): a commission must not learn
// from the registry's answers who exists outside its scope. A record
// outside the scope gets its entity's one answer (spec.outside), which
// names no school, DAR/ZA or person and is the same whether the record
// exists or not. Still, a personal number that exists in another school
// is refused where a new one would be registered, so such refusals are
// counted per account: past the allowance in the window the account
// registers nothing new until the window has passed, and every refusal is
// written to the audit log (object type "scope_refusal", the account's
// username as object id) for AVA to see who searched for whom.

// Limits bound what one request may ask of the registry. The zero value
// of a field means its default (DefaultLimits).
type Limits struct {
	Table TableLimits
	// OutOfScope existing records an account may be refused within
	// OutOfScopeWindow before it is throttled.
	OutOfScope       int
	OutOfScopeWindow time.Duration
}

// DefaultLimits: the file limits of DefaultTableLimits, and 20 refusals
// of existing out-of-scope records per account per hour.
var DefaultLimits = Limits{Table: DefaultTableLimits, OutOfScope: 20, OutOfScopeWindow: time.Hour}

// SetLimits replaces the service's limits (cmd/provim, tests); call it
// before the service answers requests.
func (s *Service) SetLimits(l Limits) {
	l.Table = l.Table.orDefault()
	if l.OutOfScope <= 0 {
		l.OutOfScope = DefaultLimits.OutOfScope
	}
	if l.OutOfScopeWindow <= 0 {
		l.OutOfScopeWindow = DefaultLimits.OutOfScopeWindow
	}
	s.limits = l
}

// ErrThrottled is the answer to an account past its allowance of
// out-of-scope refusals, whatever it asked: it names nothing and is the
// same for every request.
var ErrThrottled = apperr.New(apperr.TooMany, "Nga kjo llogari janë kërkuar shumë të dhëna jashtë fushës suaj të veprimit: "+
	"për një orë nuk mund të regjistroni nxënës, personel, shkolla ose qendra të reja, dhe as një skedar me to. "+
	"Ndryshimet e të dhënave që janë në fushën tuaj lejohen. Nëse një nxënës ose punonjës duhet kaluar te ju, "+
	"kërkojini KMSH-së ose AVA-s ta transferojë (Neni 63: të dhënat personale janë konfidenciale).")

// guard counts each account's refusals of existing out-of-scope records.
// The counts live in memory for the length of the window (a restart
// forgets them); the audit log keeps every refusal.
type guard struct {
	mu   sync.Mutex
	hits map[string][]hit
}

type hit struct {
	at time.Time
	n  int
}

// used returns how many refusals account had within window before now,
// forgetting older ones.
func (g *guard) used(account string, now time.Time, window time.Duration) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	list := g.hits[account]
	keep := list[:0]
	total := 0
	for _, h := range list {
		if now.Sub(h.at) < window {
			keep = append(keep, h)
			total += h.n
		}
	}
	if len(keep) == 0 {
		delete(g.hits, account)
	} else {
		g.hits[account] = keep
	}
	return total
}

func (g *guard) add(account string, now time.Time, n int) {
	if n <= 0 {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.hits == nil {
		g.hits = map[string][]hit{}
	}
	g.hits[account] = append(g.hits[account], hit{now, n})
}

// refusal is what one request was refused for being outside the scope.
type refusal struct {
	Entity    string   `json:"entity"`
	Target    int      `json:"rows_naming_another_scope"` // targetOutside rows
	Existing  int      `json:"rows_of_another_scope"`     // recordOutside rows
	Throttled bool     `json:"throttled"`                 // answered ErrThrottled
	Keys      []string `json:"keys,omitempty"`            // the keys asked for, at most maxKeys
	Lines     []int    `json:"lines,omitempty"`           // their lines in the file
	Rows      int      `json:"rows"`                      // rows in the request
}

const maxKeys = 100

func (r *refusal) note(line int, key string) {
	if len(r.Keys) < maxKeys {
		r.Keys = append(r.Keys, key)
		r.Lines = append(r.Lines, line)
	}
}

func (r *refusal) any() bool { return r.Target+r.Existing > 0 || r.Throttled }

// account is the key the allowance is counted under.
func account(p *auth.Principal) string { return p.Actor().Name }

// remaining is how many more existing out-of-scope records p may be
// refused in the window (≤ 0: throttled).
func (s *Service) remaining(p *auth.Principal, now time.Time) int {
	return s.limits.OutOfScope - s.guard.used(account(p), now, s.limits.OutOfScopeWindow)
}

// logRefusal counts a refused request and writes it to the audit log. The
// refused change itself was rolled back, so the entry is written in a
// transaction of its own (or in the caller's, when ctx carries one).
func (s *Service) logRefusal(ctx context.Context, p *auth.Principal, r *refusal, now time.Time) error {
	s.guard.add(account(p), now, r.Existing)
	return s.db.InTx(ctx, func(ctx context.Context) error {
		return audit.Add(ctx, p.Actor(), "refuse_out_of_scope", "scope_refusal", account(p), nil, r)
	})
}
