package custody

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/custody"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

type boardView struct {
	Rows            []custody.Consignment
	Units           []registry.Unit
	UnitNames       map[string]string // the DAR/ZA of the rows by name, by code
	Unit, Exam      string
	Session         int
	Now             string
	Late, Missing   int
	AtAVA, Returned int
	CanCreate       bool
}

func (h *Handler) boardPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderBoard(w, r, p, nil)
}

// renderBoard is the live board of the materials, filtered by ?njesia=,
// ?provimi= and ?sesioni= (every session when absent).
func (h *Handler) renderBoard(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	v := boardView{Unit: strings.TrimSpace(r.FormValue("njesia")), Exam: strings.TrimSpace(r.FormValue("provimi")),
		CanCreate: custody.MayCreate(p), Now: clock.Format(h.clock.Now())}
	session, err := webkit.ExamSessionFilter(r.FormValue("sesioni"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v.Session = session
	rows, err := h.custody.Board(r.Context(), p, custody.Filter{Unit: v.Unit, Exam: v.Exam, Session: v.Session})
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v.Rows = rows
	units := make([]string, 0, len(rows))
	for _, c := range rows {
		units = append(units, c.UnitCode)
	}
	names, err := h.registry.ScopeNames(r.Context(), units, nil, nil)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v.UnitNames = names.Units
	for _, c := range rows {
		if c.Late {
			v.Late++
		}
		if c.Missing {
			v.Missing++
		}
		switch c.Stage {
		case 0:
			v.AtAVA++
		case len(custody.Steps):
			v.Returned++
		}
	}
	if custody.ChoosesUnit(p) {
		v.Units, _ = h.registry.ListUnits(r.Context(), p)
	}
	h.kit.Render(w, r, 0, "custody_board", "Materialet e provimit", v, actErr)
}

// create prepares the packages of an exam for every venue of its plan.
func (h *Handler) create(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	session, err := webkit.ExamSession(r.FormValue("sesioni"))
	var res custody.CreateResult
	if err == nil {
		res, err = h.custody.Create(r.Context(), p, custody.CreateInput{Exam: strings.TrimSpace(r.FormValue("provimi")), Session: session})
	}
	if err != nil {
		h.renderBoard(w, r, p, err)
		return
	}
	msg := fmt.Sprintf("U përgatitën materialet për %d qendra (%d paketa); %d i kishin tashmë.", res.Created, res.Packages, res.Existing)
	if !res.FromPlan {
		msg += " Plani i provimit mungon: sasitë janë sipas vendeve të sallave."
	}
	webkit.RedirectOK(w, r, "/materialet", url.Values{"provimi": {r.FormValue("provimi")}}, msg)
}
