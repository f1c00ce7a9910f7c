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

func (h *Handler) planPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderPlan(w, r, p, nil)
}

func (h *Handler) renderPlan(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	c, err := h.unit(r, p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := planView{Unit: c, Exams: h.exams(r), Exam: examParam(r)}
	sum, err := h.venues.Summary(r.Context(), p, v.Exam, 1, c.Code)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v.Summary, v.Planned = sum, sum.Candidates > 0
	h.kit.Render(w, r, 0, "venue_plan", "Plani i mjediseve — "+v.Exam, v, actErr)
}

func (h *Handler) plan(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam, unit := r.FormValue("provimi"), r.FormValue("njesia")
	res, err := h.venues.Plan(r.Context(), p, exam, 1, unit)
	if err != nil {
		h.renderPlan(w, r, p, err)
		return
	}
	webkit.RedirectOK(w, r, "/plani", url.Values{"provimi": {exam}, "njesia": {unit}},
		fmt.Sprintf("Plani u ndërtua: %d kandidatë në %d qendra, %d salla.", res.Candidates, res.Venues, res.Rooms))
}

// overrideForm reads a manual move: the students (ids separated by commas
// or spaces), the school, the venue and the room.
func overrideForm(r *http.Request) (venue.OverrideInput, error) {
	room, err := webkit.Int64(r.FormValue("salla"), "salla", 0)
	if err != nil {
		return venue.OverrideInput{}, err
	}
	in := venue.OverrideInput{School: strings.TrimSpace(r.FormValue("shkolla")), Venue: strings.TrimSpace(r.FormValue("qendra")),
		RoomID: room, Reason: r.FormValue("reason")}
	for _, f := range strings.FieldsFunc(r.FormValue("nxenesit"), func(c rune) bool { return c == ',' || c == ' ' }) {
		id, err := webkit.Int64(f, "nxenesit", 0)
		if err != nil {
			return in, apperr.New(apperr.Invalid, "«%s» nuk është numër nxënësi.", f)
		}
		in.StudentIDs = append(in.StudentIDs, id)
	}
	return in, nil
}

func (h *Handler) override(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam, unit := r.FormValue("provimi"), r.FormValue("njesia")
	in, err := overrideForm(r)
	var n int
	if err == nil {
		n, err = h.venues.Override(r.Context(), p, exam, 1, in)
	}
	if err != nil {
		h.renderPlan(w, r, p, err)
		return
	}
	webkit.RedirectOK(w, r, "/plani", url.Values{"provimi": {exam}, "njesia": {unit}}, fmt.Sprintf("%d kandidatë u zhvendosën në %s.", n, in.Venue))
}

type roomView struct {
	L   venue.RoomList
	Doc doc.Table
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
	l, err := h.venues.RoomList(r.Context(), p, r.FormValue("provimi"), 1, room)
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
	h.kit.Render(w, r, 0, "venue_room", "Lista emërore — "+l.Room.Name, roomView{L: l, Doc: t}, nil)
}
