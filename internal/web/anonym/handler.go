// Package anonym serves package anonym: AVA's page of an exam's
// anonymisation (the codes, the key holders and their shares, the label
// sheets of every venue, the opening of the sealed link after marking),
// the venue staff's page of their label sheets and counts, and the JSON
// API of all of it, including the desk's attachment of a label (Neni 51,
// 53, 58, 59.3).
package anonym

import (
	"embed"
	"html/template"

	"provim/internal/anonym"
	"provim/internal/clock"
	"provim/internal/web/webkit"
	"provim/internal/wire"
)

//go:embed templates
var templates embed.FS

// Templates are the pages of this area with their template functions.
var Templates = webkit.Sub(templates, "templates", template.FuncMap{
	"anonymCode": anonym.Display,
})

// Handler serves the anonymisation.
type Handler struct {
	kit    *webkit.Kit
	anonym *anonym.Service
	clock  clock.Clock
}

// New builds the handler over the program's services.
func New(kit *webkit.Kit, svc *wire.Services) *Handler {
	return &Handler{kit: kit, anonym: svc.Anonym, clock: svc.Clock}
}
