// Package account serves what every signed-in user has: signing in and
// out (the browser session and the API tokens), the account page and the
// dashboard with the caller's next steps of the exam calendar.
package account

import (
	"embed"
	"html/template"

	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/draw"
	"provim/internal/examyear"
	"provim/internal/nextstep"
	"provim/internal/registry"
	"provim/internal/web/webkit"
	"provim/internal/wire"
)

//go:embed templates
var templates embed.FS

// Templates are the pages of this area.
var Templates = webkit.Sub(templates, "templates", template.FuncMap{"staffRole": draw.RoleLabel})

// Handler serves the account pages and the token API.
type Handler struct {
	kit      *webkit.Kit
	auth     *auth.Service
	registry *registry.Service
	years    *examyear.Service
	apps     *application.Service
	next     *nextstep.Service
	clock    clock.Clock
	// calendars is the dashboard's calendar last written (calendarHTML).
	calendars calendars
}

// New builds the handler over the program's services.
func New(kit *webkit.Kit, svc *wire.Services) *Handler {
	return &Handler{kit: kit, auth: svc.Auth, registry: svc.Registry, years: svc.Years, apps: svc.Applications, next: svc.NextSteps, clock: svc.Clock}
}
