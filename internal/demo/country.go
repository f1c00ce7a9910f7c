package demo

import (
	"context"
	"slices"
	"strings"

	"provim/internal/auth"
	"provim/internal/registry"
)

// The demo's phases read the country back from the registry, through its
// service as p (AVA) reads it: the unit tree, and the venues.

// darOfUnits maps the code of every DAR and ZA to its DAR's: a DAR's own,
// a ZA's parent's.
func darOfUnits(ctx context.Context, reg *registry.Service, p *auth.Principal) (map[string]string, error) {
	units, err := reg.ListUnits(ctx, p)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(units))
	for _, u := range units {
		out[u.Code] = u.Code
		if u.ParentCode != "" {
			out[u.Code] = u.ParentCode
		}
	}
	return out, nil
}

// unitNames are the names of every DAR and ZA by code ("DAR Tiranë"):
// the hand-overs name commissions as people do.
func unitNames(ctx context.Context, reg *registry.Service, p *auth.Principal) (map[string]string, error) {
	units, err := reg.ListUnits(ctx, p)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(units))
	for _, u := range units {
		out[u.Code] = u.Name
	}
	return out, nil
}

// darCodes lists the codes of the DAR, in code order.
func darCodes(ctx context.Context, reg *registry.Service, p *auth.Principal) ([]string, error) {
	units, err := reg.ListUnits(ctx, p)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, u := range units {
		if u.Kind == "DAR" {
			out = append(out, u.Code)
		}
	}
	slices.Sort(out)
	return out, nil
}

// venuesByCode lists every venue with its rooms, in code order.
func venuesByCode(ctx context.Context, reg *registry.Service, p *auth.Principal) ([]registry.Venue, error) {
	vs, err := reg.ListVenues(ctx, p, "")
	if err != nil {
		return nil, err
	}
	slices.SortFunc(vs, func(a, b registry.Venue) int { return strings.Compare(a.Code, b.Code) })
	return vs, nil
}
