package draws

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"provim/internal/auth"
	"provim/internal/draw"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

// examRef is an exam code with its name, for the exam picker.
type examRef struct{ Code, Name string }

type drawsView struct {
	Unit     registry.Unit
	Units    []registry.Unit
	Exam     string
	Session  int
	Exams    []examRef
	Needs    *draw.Inputs
	Totals   map[string]int
	Have     map[string]int
	Lists    []drawList
	Draws    []draw.Summary
	CanWrite bool
	Reason   string
}

type drawList struct {
	Role   string
	People []draw.Person
}

func (h *Handler) drawsPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if draw.MayReadVenue(p) {
		h.venueDrawsPage(w, r, p)
		return
	}
	h.renderDraws(w, r, p, nil)
}

type venueDrawsView struct {
	Venue string
	Draws []draw.VenueDraw
}

// venueDrawsPage is, for the staff of a venue, who was drawn to their
// venue for each exam (Neni 44 ¶2, 47.7).
func (h *Handler) venueDrawsPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	list, err := h.draws.VenueDraws(r.Context(), p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, 0, "draw_venue", "Personeli i shortit", venueDrawsView{Venue: p.Venue, Draws: list}, nil)
}

func (h *Handler) renderDraws(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	u, units, ok, err := h.unitParam(r, p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	session, err := webkit.ExamSession(r.FormValue("sesioni"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := drawsView{Unit: u, Exam: examParam(r.FormValue("provimi")), Session: session, CanWrite: draw.MayWrite(p),
		Reason: r.FormValue("reason")}
	if p.IsNational() {
		v.Units = units
	}
	if y, err := h.years.Active(r.Context()); err == nil {
		v.Exams = []examRef{{examyear.KindD1, "D1"}, {examyear.KindD2, "D2"}}
		for _, e := range y.Config.Electives() {
			v.Exams = append(v.Exams, examRef{e.Code, e.Name})
		}
	}
	if v.Draws, err = h.draws.List(r.Context(), p); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if ok {
		in, err := h.draws.Needs(r.Context(), p, v.Session, v.Exam, u.Code)
		if err != nil && actErr == nil {
			actErr = err
		}
		if err == nil {
			v.Needs, v.Totals, v.Have = &in, draw.Totals(in.Venues), map[string]int{}
			for _, role := range draw.Roles {
				l := drawList{Role: role}
				for _, person := range in.Pool {
					if person.Role == role {
						l.People = append(l.People, person)
					}
				}
				v.Have[role] = len(l.People)
				v.Lists = append(v.Lists, l)
			}
		}
	}
	h.kit.Render(w, r, 0, "draw_list", "Shorti i personelit", v, actErr)
}

// drawQuery keeps the page's choices for the answer of a form.
func drawQuery(r *http.Request) url.Values {
	q := url.Values{}
	for _, k := range []string{"njesia", "provimi", "sesioni"} {
		if v := r.FormValue(k); v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// drawForm reads the unit and the session a draw form acts on; a bad value
// is answered here, and ok is false.
func (h *Handler) drawForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) (u registry.Unit, session int, ok bool) {
	u, _, _, err := h.unitParam(r, p)
	if err == nil {
		session, err = webkit.ExamSession(r.FormValue("sesioni"))
	}
	if err != nil {
		h.kit.Fail(w, r, err)
		return u, 0, false
	}
	return u, session, true
}

func (h *Handler) fillDrawPool(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	u, session, ok := h.drawForm(w, r, p)
	if !ok {
		return
	}
	n, err := h.draws.FillPool(r.Context(), p, session, strings.ToUpper(r.FormValue("provimi")), u.Code)
	if err != nil {
		h.renderDraws(w, r, p, err)
		return
	}
	webkit.RedirectOK(w, r, "/shorti", drawQuery(r), fmt.Sprintf("U shtuan %d persona në listat emërore.", n))
}

func (h *Handler) commitDraw(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	u, session, ok := h.drawForm(w, r, p)
	if !ok {
		return
	}
	rec, err := h.draws.Commit(r.Context(), p, draw.CommitRequest{Session: session,
		Exam: strings.ToUpper(r.FormValue("provimi")), Unit: u.Code, Reason: r.FormValue("reason")})
	if err != nil {
		h.renderDraws(w, r, p, err)
		return
	}
	webkit.RedirectOK(w, r, "/shorti/"+strconv.FormatInt(rec.ID, 10), nil, "Angazhimi u publikua: "+rec.Commitment)
}
