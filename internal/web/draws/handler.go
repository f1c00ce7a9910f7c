// Package draws serves package draw: the staffing needs and the staff
// lists of a region, the declarations of Neni 9, the draws (Neni 47) and
// the public record of a draw, as pages and as the JSON API.
package draws

import (
	"embed"
	"html/template"
	"net/http"
	"provim/internal/accounts"
	"strings"

	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/draw"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/web/webkit"
	"provim/internal/wire"
)

//go:embed templates
var templates embed.FS

// Templates are the pages of this area with their template functions.
var Templates = webkit.Sub(templates, "templates", template.FuncMap{"drawRole": draw.RoleLabel})

// Handler serves the draws.
type Handler struct {
	kit      *webkit.Kit
	registry *registry.Service
	years    *examyear.Service
	apps     *application.Service // which DAR/ZA a commission acts for
	draws    *draw.Service
	auth     *auth.Service // the names of who committed and drew
	// accounts finds a member of staff or a student by the numbers people
	// know them by (the API's personal numbers).
	accounts *accounts.Service
	clock    clock.Clock
}

// New builds the handler over the program's services.
func New(kit *webkit.Kit, svc *wire.Services) *Handler {
	return &Handler{kit: kit, registry: svc.Registry, years: svc.Years, apps: svc.Applications, draws: svc.Draws, auth: svc.Auth, accounts: svc.Accounts, clock: svc.Clock}
}

// unitParam returns the DAR/ZA of the page (webkit.UnitChoice.Pick).
func (h *Handler) unitParam(r *http.Request, p *auth.Principal) (registry.Unit, []registry.Unit, bool, error) {
	return webkit.UnitChoice{Registry: h.registry, Allowed: h.apps.UnitAllowed}.Pick(r, p, draw.MayView(p))
}

// examParam reads the exam of a page or a form (?provimi=): D1 when absent.
func examParam(raw string) string {
	if exam := strings.ToUpper(strings.TrimSpace(raw)); exam != "" {
		return exam
	}
	return examyear.KindD1
}
