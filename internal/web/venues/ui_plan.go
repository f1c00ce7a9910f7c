package venues

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/doc"
	"provim/internal/examyear"
	"provim/internal/venue"
	"provim/internal/web/webkit"
)

// ---- the plan ----

type planView struct {
	Unit    unitChoice
	Exams   []examChoice
	Exam    string
	Session int // 1, or 2: the second session (Neni 58)
	Summary venue.Summary
	Planned bool
}

// examParam is the exam of a page (?provimi=): D1 when absent.
func examParam(r *http.Request) string {
	if exam := r.FormValue("provimi"); exam != "" {
		return exam
	}
	return examyear.KindD1
}

// sessionParam is the session of a page (?sesioni=): 1 when absent, 2 the
// second session (Neni 58).
func sessionParam(r *http.Request) (int, error) {
	return webkit.ExamSession(r.FormValue("sesioni"))
}

// planQuery is the query of the plan page of exam in session for unit.
func planQuery(exam string, session int, unit string) url.Values {
	q := url.Values{"provimi": {exam}, "njesia": {unit}}
	if session == 2 {
		q.Set("sesioni", "2")
	}
	return q
}

func (h *Handler) planPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderPlan(w, r, p, nil)
}

func (h *Handler) renderPlan(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	c, err := h.unit(r, p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	session, err := sessionParam(r)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := planView{Unit: c, Exams: h.sessionExams(r, session), Exam: examParam(r), Session: session}
	sum, err := h.venues.Summary(r.Context(), p, v.Exam, session, c.Code)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v.Summary, v.Planned = sum, sum.Candidates > 0
	title := "Plani i qendrave të provimit — " + v.Exam
	if session == 2 {
		title += " (sesioni 2)"
	}
	h.kit.Render(w, r, 0, "venue_plan", title, v, actErr)
}

// plan builds the plan; planning again replaces the one there (with the
// KMSH's changes) and makes the draw and the packages made on it stale,
// so it asks for confirmation first (planConfirm).
func (h *Handler) plan(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam, unit := r.FormValue("provimi"), r.FormValue("njesia")
	session, err := sessionParam(r)
	if err != nil {
		h.renderPlan(w, r, p, err)
		return
	}
	q := planQuery(exam, session, unit)
	if r.FormValue("konfirmo") != "po" {
		impact, err := h.venues.PlanImpact(r.Context(), p, exam, session, unit)
		if err != nil {
			h.renderPlan(w, r, p, err)
			return
		}
		if impact.Placed > 0 {
			http.Redirect(w, r, "/plani/konfirmo?"+q.Encode(), http.StatusSeeOther)
			return
		}
	}
	res, err := h.venues.Plan(r.Context(), p, exam, session, unit)
	if err != nil {
		h.renderPlan(w, r, p, err)
		return
	}
	msg := fmt.Sprintf("Plani u ndërtua: %s në %d qendra, %d salla.", candidates(res.Candidates), res.Venues, res.Rooms)
	webkit.RedirectOK(w, r, "/plani", q, msg)
}

// overrideFields are the fields of the move form, kept through its
// confirmation page.
var overrideFields = []string{"provimi", "sesioni", "njesia", "nxenesit", "shkolla", "qendra", "salla", "reason"}

// overrideForm reads a manual move: the candidates by their registration
// numbers (separated by commas or spaces) or a school's code, the venue's
// code and the room's name (issue 11 C: what people type, never ids).
func overrideForm(r *http.Request) venue.OverrideInput {
	in := venue.OverrideInput{School: strings.TrimSpace(r.FormValue("shkolla")), Venue: strings.TrimSpace(r.FormValue("qendra")),
		Room: strings.TrimSpace(r.FormValue("salla")), Reason: r.FormValue("reason")}
	in.RegNos = strings.FieldsFunc(r.FormValue("nxenesit"), func(c rune) bool { return c == ',' || c == ' ' || c == ';' || c == '\n' || c == '\r' || c == '\t' })
	return in
}

// override moves candidates; a move that makes a draw or packages stale
// goes through its confirmation page first (moveConfirm).
func (h *Handler) override(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam := r.FormValue("provimi")
	in := overrideForm(r)
	session, err := sessionParam(r)
	if err != nil {
		h.renderPlan(w, r, p, err)
		return
	}
	if r.FormValue("konfirmo") != "po" {
		pre, err := h.venues.PreviewMove(r.Context(), p, exam, session, in)
		if err != nil {
			h.renderPlan(w, r, p, err)
			return
		}
		if len(pre.Invalidates) > 0 {
			q := url.Values{}
			for _, k := range overrideFields {
				q.Set(k, r.FormValue(k))
			}
			http.Redirect(w, r, "/plani/ndrysho/konfirmo?"+q.Encode(), http.StatusSeeOther)
			return
		}
	}
	res, err := h.venues.Move(r.Context(), p, exam, session, in)
	if err != nil {
		h.renderPlan(w, r, p, err)
		return
	}
	webkit.RedirectOK(w, r, "/plani", planQuery(exam, session, r.FormValue("njesia")), moveMessage(res))
}

type roomView struct {
	L   venue.RoomList
	Doc doc.Table
	// CanPlan: the back link goes to the plan, which only the planners
	// may open; the venue's staff go back to their dashboard.
	CanPlan bool
}

// roomPage is a room's name list: the page, or ?format=pdf the PDF.
func (h *Handler) roomPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	room, err := webkit.PathID(r, "room", "Salla")
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	format := r.FormValue("format")
	if format != "" && format != doc.PDF {
		h.kit.Fail(w, r, apperr.New(apperr.Invalid, "Formati «%s» nuk njihet: pdf.", format))
		return
	}
	session, err := sessionParam(r)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	l, err := h.venues.RoomList(r.Context(), p, r.FormValue("provimi"), session, room)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	t := l.Document(h.clock.Now())
	if format == doc.PDF {
		if err := webkit.SendDocument(w, t, doc.PDF, fmt.Sprintf("lista-%s-%s-salla-%d", l.Exam, l.Venue.Code, l.Room.ID)); err != nil {
			h.kit.Fail(w, r, err)
		}
		return
	}
	h.kit.Render(w, r, 0, "venue_room", "Lista emërore — "+l.Room.Name, roomView{L: l, Doc: t, CanPlan: venue.MayPlan(p)}, nil)
}
