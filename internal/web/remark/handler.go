// Package remark serves package remark: the candidate's re-marking
// request and test copy (on a phone), the school commission's and the
// KMSH's lists and forwarding, AVA's re-marking by code and sending, and
// the re-marker's queue and form (Neni 64), as pages and as the JSON API.
package remark

import (
	"embed"
	"html/template"

	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/remark"
	"provim/internal/web/webkit"
	"provim/internal/wire"
)

//go:embed templates
var templates embed.FS

// Templates are the pages of this area with their template functions.
var Templates = webkit.Sub(templates, "templates", template.FuncMap{
	"remarkStamp": clock.Stamp,
	"remarkTest":  examyear.TestLabel, // "D1", "D1 (sesioni 2)" (Neni 58)
})

// Handler serves re-marking.
type Handler struct {
	kit    *webkit.Kit
	remark *remark.Service
	clock  clock.Clock
}

// New builds the handler over the program's services.
func New(kit *webkit.Kit, svc *wire.Services) *Handler {
	return &Handler{kit: kit, remark: svc.Remark, clock: svc.Clock}
}
