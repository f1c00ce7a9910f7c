package venues

import (
	"net/http"

	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/venue"
	"provim/internal/web/webkit"
)

// ---- the student's venue ----

func (h *Handler) myVenue(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := webkit.Allow(p, venue.MaySeeOwnSeat(p)); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	seats, err := h.venues.StudentSeats(r.Context(), p, p.StudentID)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, 0, "venue_mine", "Qendra ime e provimit", seats, nil)
}

type schoolSeatsView struct {
	School string
	Exam   string
	Exams  []examChoice
	Seats  []venue.SchoolSeat
}

// schoolPage is the school commission's list of where its candidates sit
// an exam (Neni 12.9).
func (h *Handler) schoolPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	v := schoolSeatsView{School: r.FormValue("shkolla"), Exam: examParam(r), Exams: h.exams(r)}
	if v.School == "" {
		v.School = registry.HomeSchool(p)
	}
	seats, err := h.venues.SchoolSeats(r.Context(), p, v.School, v.Exam, 1)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v.Seats = seats
	h.kit.Render(w, r, 0, "venue_school", "Qendrat e provimit të nxënësve", v, nil)
}
