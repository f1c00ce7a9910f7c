// Package examday serves package examday: the exam day at the venues
// (Neni 48–56) — the staff's places, the room page on a phone with its
// offline queue of check-ins, the desk's labels, incidents and exclusions,
// the packing, the PDFs (room sheet, procesverbal, the report of Neni
// 48.11) — and the live board of KMSH and AVA, as pages and as the JSON
// API.
package examday

import (
	"crypto/rand"
	"embed"
	"encoding/hex"
	"html/template"
	"net/url"
	"time"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examday"
	"provim/internal/web/webkit"
	"provim/internal/wire"
)

//go:embed templates
var templates embed.FS

// Templates are the pages of this area with their template functions.
var Templates = webkit.Sub(templates, "templates", template.FuncMap{
	"examdayHM": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(clock.Tirana).Format("15:04")
	},
	"examdayStamp": func(s string) string {
		if s == "" {
			return ""
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return s
		}
		return t.In(clock.Tirana).Format("15:04")
	},
	"examdayDoc":   examday.DocLabel,
	"examdayEsc":   url.PathEscape,
	"examdayKey":   newKey,
	"examdayLead":  examday.MayLead,
	"examdayCheck": examday.MayCheckIn,
	"examdayDesk":  examday.MayAttachLabels,
	"examdayLeave": examday.MayMarkLeave,
	"examdayRole":  func(r auth.Role) string { return r.Label() },
	"examdayDocs":  func() []string { return examday.DocTypes },
	"examdayNone":  func() string { return examday.DocNone },
})

// newKey is a fresh idempotency key for a form: submitted twice, the
// check-in it carries is recorded once.
func newKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Handler serves the exam day.
type Handler struct {
	kit   *webkit.Kit
	day   *examday.Service
	clock clock.Clock
}

// New builds the handler over the program's services.
func New(kit *webkit.Kit, svc *wire.Services) *Handler {
	return &Handler{kit: kit, day: svc.ExamDay, clock: svc.Clock}
}
