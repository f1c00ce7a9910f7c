// Package certificate serves package certificate: the public check of a
// Dëftesë Pjekurie (/vertetimi, throttled), AVA's public key and the
// public revocation list, the candidate's own certificate, the lists of
// a school, a region and the country, the issue and the revocation by
// AVA, as pages and as the JSON API.
package certificate

import (
	"embed"
	"html/template"

	"provim/internal/certificate"
	"provim/internal/clock"
	"provim/internal/web/webkit"
	"provim/internal/wire"
)

//go:embed templates
var templates embed.FS

// Templates are the pages of this area with their template functions.
var Templates = webkit.Sub(templates, "templates", template.FuncMap{
	"certDay": clock.Day,
})

// Handler serves the certificates.
type Handler struct {
	kit   *webkit.Kit
	certs *certificate.Service
}

// New builds the handler over the program's services.
func New(kit *webkit.Kit, svc *wire.Services) *Handler {
	return &Handler{kit: kit, certs: svc.Certificates}
}
