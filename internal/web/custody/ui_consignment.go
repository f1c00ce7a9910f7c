package custody

import (
	"fmt"
	"net/http"
	"net/url"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/custody"
	"provim/internal/doc"
	"provim/internal/web/webkit"
)

type consignmentView struct {
	C       custody.Consignment
	Steps   []custody.Step
	Form    url.Values
	Pending *custody.Handover
	// Names are the people behind the accounts that recorded and
	// confirmed the hand-overs: pages show people, not usernames.
	Names map[string]string
	// Unit is the consignment's DAR/ZA by name ("DAR Tiranë").
	Unit string
}

func (h *Handler) consignmentPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderConsignment(w, r, p, nil)
}

// renderConsignment is one venue's packages of one exam, their chain of
// hand-overs and the forms of the next one.
func (h *Handler) renderConsignment(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	session, err := webkit.ExamSession(r.FormValue("sesioni"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	c, err := h.custody.Get(r.Context(), p, r.PathValue("venue"), r.PathValue("exam"), session)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if actErr != nil && apperr.CodeOf(actErr) == apperr.Internal {
		h.kit.Fail(w, r, actErr)
		return
	}
	unit, err := h.registry.UnitName(r.Context(), c.UnitCode)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := consignmentView{C: c, Steps: custody.Steps, Form: r.Form, Pending: c.Pending, Names: h.people(r, c), Unit: unit}
	h.kit.Render(w, r, 0, "custody_consignment", "Materialet — "+c.VenueName+" — "+c.Exam, v, actErr)
}

// sealsForm reads the seal numbers typed for each package (vula_KODI).
func sealsForm(r *http.Request, c custody.Consignment) map[string][]string {
	out := map[string][]string{}
	for _, pk := range c.Packages {
		if v, ok := r.Form["vula_"+pk.Code]; ok {
			out[pk.Code] = v
		}
	}
	return out
}

// back returns to the consignment's page with msg.
func back(w http.ResponseWriter, r *http.Request, c custody.Consignment, msg string) {
	webkit.RedirectOK(w, r, "/materialet/"+url.PathEscape(c.VenueCode)+"/"+url.PathEscape(c.Exam),
		url.Values{"sesioni": {fmt.Sprint(c.Session)}}, msg)
}

// record registers a hand-over: who gives, who receives, the seals read.
func (h *Handler) record(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	session, err := webkit.ExamSession(r.FormValue("sesioni"))
	if err != nil {
		h.renderConsignment(w, r, p, err)
		return
	}
	c, err := h.custody.Get(r.Context(), p, r.PathValue("venue"), r.PathValue("exam"), session)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	step, err := webkit.Int(r.FormValue("hapi"), "hapi", 0)
	if err == nil {
		in := custody.RecordInput{Venue: c.VenueCode, Exam: c.Exam, Session: c.Session, Step: step,
			Givers: []string{r.FormValue("dorezuesit")}, Receivers: []string{r.FormValue("marresit")},
			Note: r.FormValue("shenime"), Seals: sealsForm(r, c)}
		_, err = h.custody.Record(r.Context(), p, in)
	}
	if err != nil {
		h.renderConsignment(w, r, p, err)
		return
	}
	back(w, r, c, "Dorëzimi u regjistrua. Materialet kalojnë te marrësi kur ai e konfirmon.")
}

// confirm is the receiver's confirmation of a hand-over, with the seals
// they read.
func (h *Handler) confirm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, err := webkit.ID(r, "Procesverbali")
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	_, c, err := h.custody.Handover(r.Context(), p, id)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if _, err = h.custody.Confirm(r.Context(), p, id, custody.ConfirmInput{Seals: sealsForm(r, c)}); err == nil {
		back(w, r, c, "Marrja në dorëzim u konfirmua.")
		return
	}
	r.SetPathValue("venue", c.VenueCode)
	r.SetPathValue("exam", c.Exam)
	r.Form.Set("sesioni", fmt.Sprint(c.Session))
	h.renderConsignment(w, r, p, err)
}

// procesverbalPDF is the procesverbal of one hand-over.
func (h *Handler) procesverbalPDF(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, err := webkit.ID(r, "Procesverbali")
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	hv, c, err := h.custody.Handover(r.Context(), p, id)
	if err == nil {
		err = webkit.SendDocument(w, custody.Document(hv, c, h.clock.Now()), doc.PDF, procesverbalName(hv))
	}
	if err != nil {
		h.kit.Fail(w, r, err)
	}
}

// procesverbalName is the download name of a hand-over's procesverbal.
func procesverbalName(hv custody.Handover) string {
	return fmt.Sprintf("procesverbal-%d-%s-%s-hapi-%d", hv.ID, webkit.FileName(hv.VenueCode), webkit.FileName(hv.Exam), hv.Step)
}

// people maps the usernames that recorded or confirmed c's hand-overs to
// the names of their accounts ("" left out: the page then shows the
// role).
func (h *Handler) people(r *http.Request, c custody.Consignment) map[string]string {
	var users []string
	for _, ho := range c.Handovers {
		users = append(users, ho.RecordedBy, ho.ConfirmedBy)
	}
	if c.Pending != nil {
		users = append(users, c.Pending.RecordedBy)
	}
	out := map[string]string{}
	names, err := h.auth.FullNames(r.Context(), users)
	if err != nil {
		h.kit.Log.Error("custody: names", "err", err)
		return out
	}
	for u, n := range names {
		out[u] = n.FullName
	}
	return out
}
