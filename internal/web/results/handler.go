// Package results serves package results: the candidate's own results
// page (on a phone), the lists of the school, the region and AVA, AVA's
// computing and publication of each exam (Neni 57.19), and the
// second-session list of each DAR/ZA (Neni 58), as pages and as the JSON
// API. No page, export or answer ranks schools (Neni 63).
package results

import (
	"embed"
	"html/template"

	"provim/internal/clock"
	"provim/internal/results"
	"provim/internal/web/webkit"
	"provim/internal/wire"
)

//go:embed templates
var templates embed.FS

// Templates are the pages of this area.
var Templates = webkit.Sub(templates, "templates", template.FuncMap{
	"resultsStamp": clock.Stamp,
})

// Handler serves the results.
type Handler struct {
	kit     *webkit.Kit
	results *results.Service
	splits  splits // the layout around the prepared page (prepared_layout.go)
}

// New builds the handler over the program's services.
func New(kit *webkit.Kit, svc *wire.Services) *Handler {
	return &Handler{kit: kit, results: svc.Results}
}
