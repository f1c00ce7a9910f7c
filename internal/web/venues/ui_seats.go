package venues

import (
	"net/http"

	"provim/internal/auth"
	"provim/internal/nextstep"
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
	// Every exam of the session the student sits, with its venue and
	// room once the plan gives them, "not yet assigned" before.
	exams, err := h.next.StudentExams(r.Context(), p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	// The unread notices of a move to another venue or room (issue 9
	// item 11) stand above the table.
	notices, err := h.venues.UnreadNotices(r.Context(), p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, 0, "venue_mine", "Qendra ime e provimit", myVenueView{Student: exams, Notices: notices}, nil)
}

// myVenueView is the student's exams with their unread notices.
type myVenueView struct {
	*nextstep.Student
	Notices []venue.Notice
}

type schoolSeatsView struct {
	School  string
	Exam    string
	Session int
	Exams   []examChoice
	Seats   []venue.SchoolSeat
}

// schoolPage is the school commission's list of where its candidates sit
// an exam (Neni 12.9).
func (h *Handler) schoolPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	session, err := sessionParam(r)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := schoolSeatsView{School: r.FormValue("shkolla"), Exam: examParam(r), Session: session, Exams: h.sessionExams(r, session)}
	if v.School == "" {
		v.School = registry.HomeSchool(p)
	}
	seats, err := h.venues.SchoolSeats(r.Context(), p, v.School, v.Exam, session)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v.Seats = seats
	h.kit.Render(w, r, 0, "venue_school", "Qendrat e provimit të nxënësve", v, nil)
}
