// Package custody serves package custody: the live board of the exam
// materials, each venue's packages and hand-overs, and the procesverbal of
// every hand-over (Neni 42–46), as pages and as the JSON API.
package custody

import (
	"embed"
	"html/template"
	"strings"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/custody"
	"provim/internal/registry"
	"provim/internal/web/webkit"
	"provim/internal/wire"
)

//go:embed templates
var templates embed.FS

// Templates are the pages of this area with their template functions.
var Templates = webkit.Sub(templates, "templates", template.FuncMap{
	"custodyWhen": clock.Stamp,
	"custodyJoin": func(list []string) string { return strings.Join(list, ", ") },
	// custodyWho is the person behind an account with the role recorded
	// ("Arben Hoxha (KMSH — …)"); an account no longer known shows its
	// role only, never a username.
	"custodyWho": func(names map[string]string, user, role string) string {
		who, label := names[user], ""
		if role != "" {
			label = auth.Role(role).Label()
		}
		switch {
		case who != "" && label != "":
			return who + " (" + label + ")"
		case who != "":
			return who
		case label != "":
			return label
		}
		return user
	},
	"custodyLines":      func(list []string) string { return strings.Join(list, "\n") },
	"custodyChecks":     func(st *custody.Step, kind string) bool { return st != nil && st.ChecksKind(kind) },
	"custodyCanRecord":  func(p *auth.Principal, st *custody.Step) bool { return custody.MayRecord(p, st) },
	"custodyCanConfirm": func(p *auth.Principal, h *custody.Handover) bool { return custody.MayConfirm(p, h) },
	"custodyStep": func(n int) *custody.Step {
		st, ok := custody.StepByNo(n)
		if !ok {
			return nil
		}
		return &st
	},
})

// Handler serves the exam materials.
type Handler struct {
	kit      *webkit.Kit
	registry *registry.Service
	custody  *custody.Service
	auth     *auth.Service // the names of the accounts on the procesverbals
	clock    clock.Clock
}

// New builds the handler over the program's services.
func New(kit *webkit.Kit, svc *wire.Services) *Handler {
	return &Handler{kit: kit, registry: svc.Registry, custody: svc.Custody, auth: svc.Auth, clock: svc.Clock}
}
