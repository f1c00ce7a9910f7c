// Package marking serves package marking: the test and its scheme, the
// markers and their training, the marker's queue and marking screen, the
// third marker, the monitors, KOPOTED and MASH, the quality board and the
// close of marking (Neni 19, 57), as pages and as the JSON API.
package marking

import (
	"embed"
	"html/template"
	"provim/internal/accounts"

	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/marking"
	"provim/internal/web/webkit"
	"provim/internal/wire"
)

//go:embed templates
var templates embed.FS

// Templates are the pages of this area with their template functions.
var Templates = webkit.Sub(templates, "templates", template.FuncMap{
	"markingStamp": clock.Stamp,
	"markingTest":  examyear.TestLabel, // "D1", "D1 (sesioni 2)" (Neni 58)
})

// Handler serves marking.
type Handler struct {
	kit     *webkit.Kit
	marking *marking.Service
	// accounts names the scope of the letters of new markers' accounts.
	accounts *accounts.Service
	clock    clock.Clock
}

// New builds the handler over the program's services.
func New(kit *webkit.Kit, svc *wire.Services) *Handler {
	return &Handler{kit: kit, marking: svc.Marking, accounts: svc.Accounts, clock: svc.Clock}
}
