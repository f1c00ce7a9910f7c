package webkit

import (
	"context"
	"net/http"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/registry"
)

// UnitChoice is what a region page needs to pick its DAR/ZA: the units
// the caller may list, and the service's check that the caller acts for a
// unit (a DAR's commission also acts for the ZA under it).
type UnitChoice struct {
	Registry *registry.Service
	Allowed  func(ctx context.Context, p *auth.Principal, unit string) error
}

// Pick returns the DAR/ZA of a region page: a KMSH's own unit, or the one
// chosen with ?njesia= (a ZA under the KMSH's DAR, or any unit for AVA),
// with the units to choose from. ok is false while AVA has not chosen;
// may is the domain's answer whether the caller may open the page at all.
func (c UnitChoice) Pick(r *http.Request, p *auth.Principal, may bool) (u registry.Unit, units []registry.Unit, ok bool, err error) {
	if err := Allow(p, may); err != nil {
		return u, nil, false, err
	}
	code := strings.TrimSpace(r.FormValue("njesia"))
	if code == "" {
		code = registry.HomeUnit(p)
	}
	if code != "" {
		if err := c.Allowed(r.Context(), p, code); err != nil {
			return u, nil, false, err
		}
	}
	units, err = c.Registry.ListUnits(r.Context(), p)
	if err != nil {
		return u, nil, false, err
	}
	if code == "" {
		return u, units, false, nil
	}
	for _, x := range units {
		if x.Code == code {
			return x, units, true, nil
		}
	}
	return u, units, false, apperr.New(apperr.NotFound, "DAR/ZA «%s» nuk u gjet.", code)
}
