// Package applications serves the application phase (package
// application): the student's forms A1 and A2, the school commission's
// forms, table T and failing students, the regional commission's
// verification and special categories, AVA's registration numbers and the
// final lists; as pages and as the JSON API. The exam year is always the
// active one.
package applications

import (
	"embed"
	"html/template"

	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/web/webkit"
	"provim/internal/wire"
)

//go:embed templates
var templates embed.FS

// Templates are the pages of this area with their template functions.
var Templates = webkit.Sub(templates, "templates", template.FuncMap{
	"statusLabel":   application.StatusLabel,
	"categoryLabel": application.CategoryLabel,
	"sourceLabel":   sourceLabel,
})

// Handler serves the application phase.
type Handler struct {
	kit      *webkit.Kit
	registry *registry.Service
	years    *examyear.Service
	apps     *application.Service
	auth     *auth.Service // the names of who acted in a form's history
	clock    clock.Clock
	// catalogue keeps the rendered options of form A2 (catalogue.go).
	catalogue *catalogueList
}

// New builds the handler over the program's services.
func New(kit *webkit.Kit, svc *wire.Services) *Handler {
	return &Handler{kit: kit, registry: svc.Registry, years: svc.Years, apps: svc.Applications, auth: svc.Auth, clock: svc.Clock,
		catalogue: &catalogueList{}}
}

// sourceLabel names how a form came in.
func sourceLabel(src string) string {
	switch src {
	case application.Online:
		return "Online"
	case application.Paper:
		return "Në letër"
	case application.ByKMSH:
		return "Nga KMSH"
	}
	return src
}
