// Package smip serves the results export (issue 15 item 9): the feed of
// changed results for SMIP, the state education information system, by
// its API token (GET /api/v1/smip/results), and a year's published
// results as a CSV or JSON file for AVA, streamed.
package smip

import (
	"embed"
	"html/template"

	"provim/internal/examyear"
	"provim/internal/results"
	"provim/internal/web/webkit"
	"provim/internal/wire"
)

//go:embed templates
var templates embed.FS

// Templates are the pages of this area.
var Templates = webkit.Sub(templates, "templates", template.FuncMap{})

// Handler serves the export.
type Handler struct {
	kit     *webkit.Kit
	results *results.Service
	years   *examyear.Service
}

// New builds the handler over the program's services.
func New(kit *webkit.Kit, svc *wire.Services) *Handler {
	return &Handler{kit: kit, results: svc.Results, years: svc.Years}
}
