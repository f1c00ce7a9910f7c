// Package admin serves AVA's administration: the users, the audit log,
// and the exam years (which every role reads and AVA configures).
package admin

import (
	"embed"
	"html/template"

	"provim/internal/accounts"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/store"
	"provim/internal/web/webkit"
	"provim/internal/wire"
)

//go:embed templates
var templates embed.FS

// Templates are the pages of this area.
var Templates = webkit.Sub(templates, "templates", template.FuncMap{"thousands": thousands, "pageOf": pageOf, "int": func(n int64) int { return int(n) }})

// Handler serves the users, the audit log and the exam years.
type Handler struct {
	kit   *webkit.Kit
	db    *store.DB // the audit log reads it
	auth  *auth.Service
	years *examyear.Service
	// accounts creates accounts in bulk and finds a student by the
	// numbers people type.
	accounts *accounts.Service
	registry *registry.Service
	clock    clock.Clock
}

// New builds the handler over the program's services.
func New(kit *webkit.Kit, svc *wire.Services) *Handler {
	return &Handler{kit: kit, db: svc.DB, auth: svc.Auth, years: svc.Years, accounts: svc.Accounts, registry: svc.Registry, clock: svc.Clock}
}
