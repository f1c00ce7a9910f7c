// Package webkit is the small kit every web area of provim shares: the
// pages (parsed once at start), the UI and API handler wrappers, the one
// accessor of the caller's principal and session, the one parser of path
// ids, form and query values read strictly (a bad value is an Albanian
// error, never a default), JSON decoding with a size limit, and the
// answers: JSON, errors with their HTTP status, files and documents.
package webkit

import (
	"context"
	"log/slog"
	"slices"
	"strings"

	"provim/internal/auth"
)

// Kit is what the handlers of every area share. It is built once by the
// web server; the areas keep a pointer to it.
type Kit struct {
	Log *slog.Logger
	// Today is the banner of a training clock (--today), "" otherwise.
	Today string
	// Nav lists the links of the main menu a principal may follow.
	Nav func(*auth.Principal) []Link
	// Scope names a principal's scope as people know it, by the names of
	// its unit, school, venue or subject (accounts.ScopeLabel); unset, a
	// scope is written with its code (auth.Principal.ScopeLabel).
	Scope func(context.Context, *auth.Principal) string
	// SecureCookies marks cookies Secure (set when served over HTTPS).
	SecureCookies bool
	pages         *Pages
}

// ScopeOf is the header's name of p's scope (Scope).
func (k *Kit) ScopeOf(ctx context.Context, p *auth.Principal) string {
	if k.Scope == nil || p == nil {
		return p.ScopeLabel()
	}
	return k.Scope(ctx, p)
}

// Link is an entry of the main menu. Current marks the entry of the page
// shown (Render sets it: aria-current="page").
type Link struct {
	Href, Label string
	Current     bool
}

// markCurrent marks the entry of links whose address is path, or else the
// one with the longest address that path continues ("/qendrat" for
// "/qendrat/Q-TR-003"); the dashboard only for itself.
func markCurrent(links []Link, path string) []Link {
	best, bestLen := -1, 0
	for i, l := range links {
		switch {
		case l.Href == path:
			best, bestLen = i, len(path)+1
		case len(l.Href) > bestLen && l.Href != "/" && strings.HasPrefix(path, l.Href+"/"):
			best, bestLen = i, len(l.Href)
		}
	}
	if best < 0 {
		return links
	}
	out := slices.Clone(links)
	out[best].Current = true
	return out
}

// New builds the kit and parses every page of sets (each with the layout)
// once; a template that does not parse is an error here, never at a
// request.
func New(log *slog.Logger, today string, nav func(*auth.Principal) []Link, sets ...Templates) (*Kit, error) {
	p, err := NewPages(sets...)
	if err != nil {
		return nil, err
	}
	if nav == nil {
		nav = func(*auth.Principal) []Link { return nil }
	}
	return &Kit{Log: log, Today: today, Nav: nav, pages: p}, nil
}

// Pages are the parsed pages of the kit.
func (k *Kit) Pages() *Pages { return k.pages }
