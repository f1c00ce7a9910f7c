package venues

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"provim/internal/auth"
	"provim/internal/venue"
	"provim/internal/web/webkit"
)

// ---- late changes on the eve of an exam (issue 9 item 11) ----

// candidates writes "1 kandidat" or "3 kandidatë".
func candidates(n int) string { return webkit.Plural(n, "kandidat", "kandidatë") }

// moveMessage is the confirmation of a move: who moved where, what it
// made stale and who was told.
func moveMessage(res venue.OverrideResult) string {
	verb := "u zhvendosën"
	if res.Moved == 1 {
		verb = "u zhvendos"
	}
	msg := fmt.Sprintf("%s %s në %s (%s).", candidates(res.Moved), verb, res.VenueName, res.Venue)
	if res.Notified > 0 {
		msg += " " + webkit.Plural(res.Notified, "njoftim iu dërgua", "njoftime iu dërguan") + " nxënësve dhe PAP-ve të qendrave."
	}
	if len(res.Invalidates) > 0 {
		msg += " Duhen rishikuar: " + strings.Join(res.Invalidates, " ")
	}
	return msg
}

// maxShown bounds the stale steps a confirmation page lists.
const maxShown = 12

type planConfirmView struct {
	Exam, Unit string
	Session    int
	Impact     venue.PlanImpact
}

// planConfirm asks before an exam is planned again: what the new plan
// replaces and what was made on the old one (works without JS: the plan
// form leads here, this page's form posts with konfirmo=po).
func (h *Handler) planConfirm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := webkit.Allow(p, venue.MayPlan(p)); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	session, err := sessionParam(r)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := planConfirmView{Exam: examParam(r), Unit: r.FormValue("njesia"), Session: session}
	impact, err := h.venues.PlanImpact(r.Context(), p, v.Exam, session, v.Unit)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	// A national plan names hundreds of venues' packages: the page shows
	// the first ones and says how many more (the API answers them all).
	if n := len(impact.Invalidates); n > maxShown {
		impact.Invalidates = append(impact.Invalidates[:maxShown:maxShown], fmt.Sprintf("… dhe %d të tjera.", n-maxShown))
	}
	v.Impact = impact
	h.kit.Render(w, r, 0, "venue_plan_confirm", "Rihartimi i planit — "+impact.Exam, v, nil)
}

type field struct{ Name, Value string }

type moveConfirmView struct {
	Exam, Unit string
	Session    int
	Fields     []field
	Preview    venue.OverrideResult
}

// moveConfirm shows what a move would do before it is made: the
// candidates, the venue, what it makes stale (the draw, the packages)
// and the notices; its form posts the move with konfirmo=po.
func (h *Handler) moveConfirm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := webkit.Allow(p, venue.MayPlan(p)); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	session, err := sessionParam(r)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := moveConfirmView{Exam: examParam(r), Unit: r.FormValue("njesia"), Session: session}
	pre, err := h.venues.PreviewMove(r.Context(), p, v.Exam, session, overrideForm(r))
	if err != nil {
		h.renderPlan(w, r, p, err)
		return
	}
	for _, k := range overrideFields {
		v.Fields = append(v.Fields, field{k, r.FormValue(k)})
	}
	v.Preview = pre
	h.kit.Render(w, r, 0, "venue_move_confirm", "Konfirmoni zhvendosjen", v, nil)
}

// roomSeats changes a room's seats after the inspection (Neni 41 ¶2).
func (h *Handler) roomSeats(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	code := r.PathValue("code")
	f := webkit.Form(r)
	in := venue.RoomSeatsInput{Room: r.FormValue("salla"), Seats: f.Int("vende"), Reason: r.FormValue("reason")}
	err := f.Err()
	var got venue.Inspection
	if err == nil {
		got, err = h.venues.SetRoomSeats(r.Context(), p, code, in)
	}
	if err != nil {
		v, gerr := h.venues.Inspection(r.Context(), p, code)
		if gerr != nil {
			h.kit.Fail(w, r, gerr)
			return
		}
		h.renderInspection(w, r, p, v, inspectionFormOf(v), err)
		return
	}
	msg := fmt.Sprintf("Vendet e sallës «%s» u ndryshuan; qendra %s ka tani %d vende. Arsyeja u ruajt në historinë e qendrës.", strings.TrimSpace(in.Room), got.VenueName, got.Seats)
	webkit.RedirectOK(w, r, "/qendrat/"+url.PathEscape(code)+"/inspektimi", nil, msg)
}

type noticesView struct {
	Notices []venue.Notice
	Back    string
}

// noticesPage lists the principal's notices of the plan's changes.
func (h *Handler) noticesPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := webkit.Allow(p, venue.MayReceiveNotices(p)); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	list, err := h.venues.NoticesFor(r.Context(), p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, 0, "venue_notices", "Njoftimet", noticesView{Notices: list, Back: "/njoftimet"}, nil)
}

// readNotice marks a notice read and goes back to the page it was read on.
func (h *Handler) readNotice(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, err := webkit.PathID(r, "id", "Njoftimi")
	if err == nil {
		_, err = h.venues.MarkNoticeRead(r.Context(), p, id)
	}
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	webkit.RedirectOK(w, r, localPath(r.FormValue("pas"), "/njoftimet"), nil, "Njoftimi u shënua si i lexuar.")
}

// localPath is back when it is a path of this site ("/qendra-ime"), else
// def: never another host, a scheme or a control character.
func localPath(back, def string) string {
	if len(back) < 1 || back[0] != '/' || (len(back) > 1 && (back[1] == '/' || back[1] == '\\')) {
		return def
	}
	for _, c := range back {
		if c < 0x20 || c == 0x7f || c == '\\' {
			return def
		}
	}
	if u, err := url.Parse(back); err != nil || u.Host != "" || u.Scheme != "" {
		return def
	}
	return back
}
