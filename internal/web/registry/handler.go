// Package registry serves the registry (package registry): students,
// schools, staff, the venues with their rooms, the DAR/ZA, and the import
// of registry files, as pages and as the JSON API.
package registry

import (
	"embed"
	"html/template"

	"provim/internal/audit"
	"provim/internal/auth"

	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/venue"
	"provim/internal/web/webkit"
	"provim/internal/wire"
)

//go:embed templates
var templates embed.FS

// Templates are the pages of this area.
var Templates = webkit.Sub(templates, "templates", template.FuncMap{"auditAction": audit.ActionLabel})

// Handler serves the registry.
type Handler struct {
	kit      *webkit.Kit
	registry *registry.Service
	// The school's notices of the venue read the plan and the year.
	venues *venue.Service
	years  *examyear.Service
	auth   *auth.Service // the names of who changed a record
	clock  clock.Clock
}

// New builds the handler over the program's services.
func New(kit *webkit.Kit, svc *wire.Services) *Handler {
	return &Handler{kit: kit, registry: svc.Registry, venues: svc.Venues, years: svc.Years, auth: svc.Auth, clock: svc.Clock}
}

// pageSize is the number of rows of a paged list page.
const pageSize = 50

// pager is the previous and next offsets of a paged list (-1: none).
func pager(offset, total int) (prev, next int) {
	prev, next = -1, -1
	if offset > 0 {
		prev = max(0, offset-pageSize)
	}
	if offset+pageSize < total {
		next = offset + pageSize
	}
	return prev, next
}
