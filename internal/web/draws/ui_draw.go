package draws

import (
	"fmt"
	"net/http"
	"strconv"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/doc"
	"provim/internal/draw"
	"provim/internal/web/webkit"
)

type drawView struct {
	Rec      draw.Record
	Lines    []draw.Line
	Totals   map[string]int
	CanRun   bool
	Public   bool
	JSONPath string
	// Verified: the page recomputed the drawn result from the published
	// record (draw.Verify); VerifyError names the first difference.
	Verified    bool
	VerifyError string
	// Venue is the venue of the staff reading their venue's draw: the
	// lines shown are that venue's.
	Venue string
	// DrawnBy names who drew, for the signed-in pages (withNames).
	DrawnBy string
}

// withNames is rec as printed for the signed-in: who committed and who
// drew by name (webkit.People.Name), not by username. The published
// record keeps the usernames it was sealed with.
func (h *Handler) withNames(r *http.Request, rec draw.Record) (draw.Record, error) {
	people, err := webkit.PeopleOf(r.Context(), h.auth, rec.CommittedBy, rec.DrawnBy)
	if err != nil {
		return rec, err
	}
	if rec.CommittedBy != "" {
		rec.CommittedBy = people.Name(rec.CommittedBy)
	}
	if rec.DrawnBy != "" {
		rec.DrawnBy = people.Name(rec.DrawnBy)
	}
	return rec, nil
}

func newDrawView(rec draw.Record, canRun, public bool) drawView {
	v := drawView{Rec: rec, Lines: draw.Lines(rec), Totals: draw.Totals(rec.Inputs.Venues), CanRun: canRun, Public: public,
		JSONPath: "/api/v1/public/draws/" + strconv.FormatInt(rec.ID, 10)}
	if rec.Status == draw.StatusDrawn {
		// A record without its roster key (the public one, or a venue's)
		// is checked as published: the names it carries are not checkable.
		check := rec
		if rec.RosterKey == "" {
			check = draw.Published(rec)
		}
		if err := draw.Verify(check); err != nil {
			v.VerifyError = err.Error()
		} else {
			v.Verified = true
		}
	}
	return v
}

func (h *Handler) drawPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderDraw(w, r, p, nil)
}

func (h *Handler) renderDraw(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	id, err := webkit.ID(r, "Shorti")
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	rec, err := h.draws.Get(r.Context(), p, id)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := newDrawView(rec, draw.MayRun(p, rec), false)
	if named, err := h.withNames(r, rec); err != nil {
		h.kit.Fail(w, r, err)
		return
	} else {
		v.DrawnBy = named.DrawnBy
	}
	if draw.MayReadVenue(p) {
		v.Venue = p.Venue
		mine := v.Lines[:0:0]
		for _, l := range v.Lines {
			if l.Venue == p.Venue {
				mine = append(mine, l)
			}
		}
		v.Lines = mine
	}
	h.kit.Render(w, r, 0, "draw_view", fmt.Sprintf("Shorti nr. %d", id), v, actErr)
}

func (h *Handler) runDraw(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, err := webkit.ID(r, "Shorti")
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if _, err := h.draws.Run(r.Context(), p, id, r.FormValue("entropy")); err != nil {
		h.renderDraw(w, r, p, err)
		return
	}
	webkit.RedirectOK(w, r, "/shorti/"+strconv.FormatInt(id, 10), nil, "Shorti u hodh. Fara, entropia dhe rezultati u publikuan.")
}

// protocolPDF is the procesverbal of a draw.
func (h *Handler) protocolPDF(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	rec, err := h.record(r, p, false)
	if err == nil {
		rec, err = h.withNames(r, rec)
	}
	if err == nil {
		err = webkit.SendDocument(w, draw.Protocol(rec, h.clock.Now()), doc.PDF, fmt.Sprintf("procesverbali-shortit-%d", rec.ID))
	}
	if err != nil {
		h.kit.Fail(w, r, err)
	}
}

// assignmentsPDF is the list of who goes where, once the draw is drawn.
func (h *Handler) assignmentsPDF(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	rec, err := h.record(r, p, true)
	if err == nil {
		err = webkit.SendDocument(w, draw.AssignmentList(rec, h.clock.Now()), doc.PDF, fmt.Sprintf("caktimi-%s-%d-%s", rec.Exam, rec.Year, rec.Unit))
	}
	if err != nil {
		h.kit.Fail(w, r, err)
	}
}

// record is the draw of {id} in the caller's scope; drawn asks that it has
// been drawn.
func (h *Handler) record(r *http.Request, p *auth.Principal, drawn bool) (draw.Record, error) {
	id, err := webkit.ID(r, "Shorti")
	if err != nil {
		return draw.Record{}, err
	}
	rec, err := h.draws.Get(r.Context(), p, id)
	if err == nil && drawn && rec.Status != draw.StatusDrawn {
		err = apperr.New(apperr.Conflict, "Shorti %d nuk është hedhur ende.", id)
	}
	return rec, err
}

// publicDrawPage shows the published record of a draw to anyone.
func (h *Handler) publicDrawPage(w http.ResponseWriter, r *http.Request) {
	id, err := webkit.ID(r, "Shorti")
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	rec, err := h.draws.Public(r.Context(), id)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, 0, "draw_view", fmt.Sprintf("Shorti nr. %d", id), newDrawView(rec, false, true), nil)
}
