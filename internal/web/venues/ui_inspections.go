package venues

import (
	"fmt"
	"net/http"
	"net/url"
	"provim/internal/application"

	"provim/internal/auth"
	"provim/internal/doc"
	"provim/internal/examyear"
	"provim/internal/venue"
	"provim/internal/web/webkit"
)

// ---- inspections and the venue list ----

type inspectionsView struct {
	Unit    unitChoice
	List    venue.VenueList
	Due     examyear.Deadline
	ListDue examyear.Deadline
	// ListWindow is the venue list's deadline as the viewer sees it:
	// past it the form is disabled, but for AVA (Neni 41 ¶1).
	ListWindow application.Window
	National   bool // AVA: chooses any unit, approves late with a reason
	Reason     string
	Criteria   []venue.Criterion
}

func (h *Handler) inspections(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderInspections(w, r, p, nil)
}

func (h *Handler) renderInspections(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	c, err := h.unit(r, p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := inspectionsView{Unit: c, National: venue.MayActLate(p), Reason: r.FormValue("reason"), Criteria: venue.Criteria}
	if y, err := h.years.Active(r.Context()); err == nil {
		v.Due, _ = y.Config.Deadline(examyear.KeyVenueInspection)
		v.ListDue, _ = y.Config.Deadline(examyear.KeyVenueLists)
	}
	if c.Code != "" {
		if v.List, err = h.venues.VenueList(r.Context(), p, c.Code); err != nil {
			h.kit.Fail(w, r, err)
			return
		}
	}
	if v.ListWindow, err = h.venues.Window(r.Context(), p, examyear.KeyVenueLists); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, 0, "venue_inspections", "Inspektimi i qendrave të provimit", v, actErr)
}

func (h *Handler) sendList(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	code := r.FormValue("njesia")
	st, err := h.venues.SendList(r.Context(), p, code, r.FormValue("reason"))
	if err != nil {
		h.renderInspections(w, r, p, err)
		return
	}
	webkit.RedirectOK(w, r, "/qendrat/inspektimi", url.Values{"njesia": {code}}, fmt.Sprintf("Lista e qendrave të provimit (%d qendra) u dërgua në MASH, AVA dhe KSHMSH.", st.Venues))
}

func (h *Handler) venueListPDF(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	code := r.FormValue("njesia")
	l, err := h.venues.VenueList(r.Context(), p, code)
	if err == nil {
		err = webkit.SendDocument(w, l.Document(h.clock.Now()), doc.PDF, "mjediset-"+code)
	}
	if err != nil {
		h.kit.Fail(w, r, err)
	}
}

type inspectionView struct {
	V        venue.Inspection
	Form     venue.InspectionInput
	Criteria []venue.Criterion
	National bool
	CanEdit  bool // AVA and the KMSH; the school and venue staff only read
	// Window is the inspection's deadline as the viewer sees it: past it
	// the form is disabled, but for AVA (Neni 37, 41).
	Window application.Window
	// Notices are the venue's unread notices of the plan's changes, for
	// its own staff (issue 9 item 11).
	Notices []venue.Notice
	// SeatsLocked says why the room seats form is closed to the caller
	// (Neni 41 ¶2); "" when it is open.
	SeatsLocked string
}

func (h *Handler) inspectionPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	v, err := h.venues.Inspection(r.Context(), p, r.PathValue("code"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.renderInspection(w, r, p, v, inspectionFormOf(v), nil)
}

// inspectionFormOf is the inspection form filled with the venue's last
// inspection (or the minimums of Neni 38 before the first).
func inspectionFormOf(v venue.Inspection) venue.InspectionInput {
	form := venue.InspectionInput{Checklist: v.Checklist, Note: v.Note}
	if !v.Inspected {
		form.Checklist = venue.Checklist{SpacingCM: venue.MinSpacingCM, DeskWidthCM: venue.MinDeskWidth, DeskDepthCM: venue.MinDeskDepth}
	}
	return form
}

func (h *Handler) renderInspection(w http.ResponseWriter, r *http.Request, p *auth.Principal, v venue.Inspection, form venue.InspectionInput, actErr error) {
	view := inspectionView{V: v, Form: form, Criteria: venue.Criteria, National: venue.MayActLate(p), CanEdit: venue.MayInspect(p)}
	locked, err := h.venues.SeatsLocked(r.Context(), p, v)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	view.SeatsLocked = locked
	if view.Window, err = h.venues.Window(r.Context(), p, examyear.KeyVenueInspection); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if p.IsVenueRole() && p.Venue == v.VenueCode {
		list, err := h.venues.UnreadNotices(r.Context(), p)
		if err != nil {
			h.kit.Fail(w, r, err)
			return
		}
		view.Notices = list
	}
	h.kit.Render(w, r, 0, "venue_inspection", "Inspektimi — "+v.VenueName, view, actErr)
}

// inspectionForm reads the inspection form: the checklist and the
// measures of each room (length_ID, width_ID for every room_id).
func inspectionForm(r *http.Request) (venue.InspectionInput, error) {
	f := webkit.Form(r)
	in := venue.InspectionInput{
		Checklist: venue.Checklist{
			SpacingCM: f.Int("spacing_cm"), DeskWidthCM: f.Int("desk_width_cm"), DeskDepthCM: f.Int("desk_depth_cm"),
			OneDirection: r.FormValue("one_direction") != "", AiredLit: r.FormValue("aired_lit") != "", NoPosters: r.FormValue("no_posters") != "",
			NoOtherActivity: r.FormValue("no_other_activity") != "", RoadAccess: r.FormValue("road_access") != "",
		},
		Note: r.FormValue("note"), Reason: r.FormValue("reason"),
	}
	for _, id := range r.Form["room_id"] {
		rid, err := webkit.Int64(id, "room_id", 0)
		if err != nil {
			return in, err
		}
		in.Rooms = append(in.Rooms, venue.RoomMeasure{RoomID: rid, LengthCM: f.Int("length_" + id), WidthCM: f.Int("width_" + id)})
	}
	return in, f.Err()
}

func (h *Handler) inspect(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	code := r.PathValue("code")
	in, err := inspectionForm(r)
	var got venue.Inspection
	if err == nil {
		got, err = h.venues.Inspect(r.Context(), p, code, in)
	}
	if err != nil {
		v, gerr := h.venues.Inspection(r.Context(), p, code)
		if gerr != nil {
			h.kit.Fail(w, r, gerr)
			return
		}
		h.renderInspection(w, r, p, v, in, err)
		return
	}
	msg := fmt.Sprintf("Qendra %s u inspektua: e përshtatshme, %d vende.", got.VenueName, got.Seats)
	if !got.Suitable {
		msg = fmt.Sprintf("Qendra %s u inspektua: NUK mund të përdoret — nuk plotëson %s.", got.VenueName, got.FailedText)
	}
	webkit.RedirectOK(w, r, "/qendrat/"+url.PathEscape(code)+"/inspektimi", nil, msg)
}
