// Package venues serves package venue: the inspections and the venue list
// (Neni 37–41), the exam plan (Neni 39–40, 52–53) and the students'
// venues (Neni 12.9), as pages and as the JSON API.
package venues

import (
	"embed"
	"net/http"
	"strings"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/nextstep"
	"provim/internal/registry"
	"provim/internal/venue"
	"provim/internal/web/webkit"
	"provim/internal/wire"
)

//go:embed templates
var templates embed.FS

// Templates are the pages of this area.
var Templates = webkit.Sub(templates, "templates", nil)

// Handler serves the venues.
type Handler struct {
	kit      *webkit.Kit
	registry *registry.Service
	years    *examyear.Service
	venues   *venue.Service
	next     *nextstep.Service // a student's exams, assigned or not
	clock    clock.Clock
}

// New builds the handler over the program's services.
func New(kit *webkit.Kit, svc *wire.Services) *Handler {
	return &Handler{kit: kit, registry: svc.Registry, years: svc.Years, venues: svc.Venues, next: svc.NextSteps, clock: svc.Clock}
}

// unitChoice is the DAR/ZA of a page (?njesia=): the KMSH's own by
// default; AVA picks from every unit.
type unitChoice struct {
	Code  string
	Units []registry.Unit
}

func (h *Handler) unit(r *http.Request, p *auth.Principal) (unitChoice, error) {
	if err := webkit.Allow(p, venue.MayPlan(p)); err != nil {
		return unitChoice{}, err
	}
	c := unitChoice{Code: strings.TrimSpace(r.FormValue("njesia"))}
	if c.Code == "" {
		c.Code = registry.HomeUnit(p)
	}
	units, err := h.registry.ListUnits(r.Context(), p)
	if err != nil {
		return c, err
	}
	c.Units = units
	return c, nil
}

type examChoice struct{ Code, Name string }

// exams are the exams of the active year: D1, D2, then the electives.
func (h *Handler) exams(r *http.Request) []examChoice {
	y, err := h.years.Active(r.Context())
	if err != nil {
		return nil
	}
	var out []examChoice
	for _, kind := range []string{examyear.KindD1, examyear.KindD2} {
		for _, sub := range y.Config.Subjects {
			if sub.Kind == kind {
				out = append(out, examChoice{kind, sub.Name})
				break
			}
		}
	}
	for _, sub := range y.Config.Electives() {
		out = append(out, examChoice{sub.Code, sub.Name})
	}
	return out
}

// sessionExams are the exams of a session: every exam in the first, D1
// and D2 in the second (Neni 14.4, 58).
func (h *Handler) sessionExams(r *http.Request, session int) []examChoice {
	all := h.exams(r)
	if session != 2 {
		return all
	}
	out := []examChoice{}
	for _, e := range all {
		if e.Code == examyear.KindD1 || e.Code == examyear.KindD2 {
			out = append(out, e)
		}
	}
	return out
}

// s2 is the ?sesioni= of a link: 2 in the second session, 0 (left out)
// in the first.
func s2(session int) int {
	if session == 2 {
		return 2
	}
	return 0
}

// S2 is the view's session for links (s2).
func (v planView) S2() int { return s2(v.Session) }

// S2 is the view's session for links (s2).
func (v planConfirmView) S2() int { return s2(v.Session) }

// S2 is the view's session for links (s2).
func (v moveConfirmView) S2() int { return s2(v.Session) }

// S2 is the view's session for links (s2).
func (v schoolSeatsView) S2() int { return s2(v.Session) }

// S2 is the room list's session for links (s2).
func (v roomView) S2() int { return s2(v.L.Session) }
