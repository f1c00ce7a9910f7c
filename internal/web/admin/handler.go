// Package admin serves AVA's administration: the users, the audit log,
// and the exam years (which every role reads and AVA configures).
package admin

import (
	"embed"

	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/store"
	"provim/internal/web/webkit"
	"provim/internal/wire"
)

//go:embed templates
var templates embed.FS

// Templates are the pages of this area.
var Templates = webkit.Sub(templates, "templates", nil)

// Handler serves the users, the audit log and the exam years.
type Handler struct {
	kit   *webkit.Kit
	db    *store.DB // the audit log reads it
	auth  *auth.Service
	years *examyear.Service
}

// New builds the handler over the program's services.
func New(kit *webkit.Kit, svc *wire.Services) *Handler {
	return &Handler{kit: kit, db: svc.DB, auth: svc.Auth, years: svc.Years}
}
