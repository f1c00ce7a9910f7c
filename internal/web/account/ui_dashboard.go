package account

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/nextstep"
	"provim/internal/registry"
)

type dashboardView struct {
	Counts registry.Counts
	Year   *examyear.Year
	// Next is the caller's "what now" (package nextstep): the steps due,
	// a student's exams, a venue's rooms, draws and materials, and the
	// year's calendar in date order.
	Next nextstep.Dashboard
	// Calendar is Next's calendar on its day, as written (calendarHTML).
	Calendar template.HTML
}

// calendarView is what the "calendar" template of the dashboard shows:
// the year's dated lines, past or not on the day Today.
type calendarView struct {
	Calendar []nextstep.Dated
	Today    string
}

// calendars keeps the calendar last written, by what it was written from:
// every viewer's dashboard shows the same year's calendar on the same day,
// tens of lines, and a template run of them was most of the page's cost.
type calendars struct {
	mu   sync.Mutex
	key  string
	html template.HTML
}

// calendarHTML is the calendar of d on its day, written once for all the
// dashboards that show the same lines on the same day. The key is the
// lines themselves, so a changed calendar is never shown stale.
func (h *Handler) calendarHTML(d nextstep.Dashboard) (template.HTML, error) {
	var b strings.Builder
	b.WriteString(d.Today)
	for _, c := range d.Calendar {
		for _, f := range []string{c.Name, c.From, c.Date, c.Time, c.Article, strconv.FormatBool(c.Exam)} {
			b.WriteString(strconv.Itoa(len(f)))
			b.WriteByte(':')
			b.WriteString(f)
		}
	}
	key := b.String()
	h.calendars.mu.Lock()
	if h.calendars.key == key {
		out := h.calendars.html
		h.calendars.mu.Unlock()
		return out, nil
	}
	h.calendars.mu.Unlock()
	out, err := h.kit.Pages().Fragment("dashboard", "calendar", calendarView{Calendar: d.Calendar, Today: d.Today})
	if err != nil {
		return "", err
	}
	h.calendars.mu.Lock()
	h.calendars.key, h.calendars.html = key, out
	h.calendars.mu.Unlock()
	return out, nil
}

func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	c, err := h.registry.Count(r.Context(), p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := dashboardView{Counts: c}
	y, err := h.years.Active(r.Context())
	switch {
	case err == nil:
		v.Year = y
	case !apperr.Is(err, apperr.NotFound):
		h.kit.Fail(w, r, err)
		return
	}
	if v.Next, err = h.next.For(r.Context(), p); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if v.Calendar, err = h.calendarHTML(v.Next); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, 0, "dashboard", "Paneli", v, nil)
}
