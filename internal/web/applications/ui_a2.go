package applications

import (
	"net/http"
	"strconv"
	"strings"

	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

// ---- form A2 (the student) ----

type programmeGroup struct {
	Institution string
	Programmes  []application.Programme
}

type a2View struct {
	Student  registry.Student
	Year     *examyear.Year
	Deadline examyear.Deadline
	App      *application.Application
	A2       *application.A2
	Ranked   []application.Programme // the saved A2's programmes, in order
	Groups   []programmeGroup
	Slots    []string // the programme of each select box 1…MaxProgrammes
	Receipt  application.Receipt
	Amount   string // the amount as typed
	CanFile  bool
	Note     string
}

func (h *Handler) loadA2(r *http.Request, p *auth.Principal) (a2View, error) {
	var v a2View
	if err := webkit.Allow(p, application.MayFileOwn(p)); err != nil {
		return v, err
	}
	st, err := h.registry.GetStudent(r.Context(), p, p.StudentID)
	if err != nil {
		return v, err
	}
	y, err := h.activeYear(r)
	if err != nil {
		return v, err
	}
	v.Student, v.Year, v.Deadline = st, y, deadlineOf(y, examyear.KeyA2)
	progs, err := h.apps.Programmes(r.Context(), p)
	if err != nil {
		return v, err
	}
	byCode := map[string]application.Programme{}
	for _, pr := range progs {
		byCode[pr.Code] = pr
		if n := len(v.Groups); n == 0 || v.Groups[n-1].Institution != pr.Institution {
			v.Groups = append(v.Groups, programmeGroup{Institution: pr.Institution})
		}
		g := &v.Groups[len(v.Groups)-1]
		g.Programmes = append(g.Programmes, pr)
	}
	a, err := h.apps.ForStudent(r.Context(), p, p.StudentID)
	switch {
	case err == nil:
		v.App = &a
	case !apperr.Is(err, apperr.NotFound):
		return v, err
	}
	if v.App != nil {
		f, err := h.apps.GetA2(r.Context(), p, p.StudentID)
		switch {
		case err == nil:
			v.A2, v.Receipt = &f, f.Receipt
			for _, c := range f.Programmes {
				pr, ok := byCode[c]
				if !ok {
					pr = application.Programme{Code: c, Name: c}
				}
				v.Ranked = append(v.Ranked, pr)
			}
		case !apperr.Is(err, apperr.NotFound):
			return v, err
		}
	}
	switch {
	case v.App == nil || v.App.Status == application.Draft:
		v.Note = "Formulari A2 plotësohet pasi të jetë dorëzuar formulari A1."
	case len(progs) == 0:
		v.Note = "Katalogu i programeve të studimit nuk është publikuar ende."
	default:
		v.CanFile = true
	}
	var chosen []string
	if v.A2 != nil {
		chosen = v.A2.Programmes
	}
	v.Slots = programmeSlots(y.Config, chosen)
	if v.Receipt.Amount == 0 {
		v.Receipt.Amount = y.Config.Fees.A2
	}
	v.Amount = strconv.Itoa(v.Receipt.Amount)
	return v, nil
}

func programmeSlots(cfg examyear.Config, chosen []string) []string {
	out := make([]string, max(cfg.MaxProgrammes, len(chosen)))
	copy(out, chosen)
	return out
}

func (h *Handler) a2Page(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	v, err := h.loadA2(r, p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, 0, "app_a2", "Formulari A2", v, nil)
}

func (h *Handler) saveA2(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	v, err := h.loadA2(r, p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	var codes []string
	for _, c := range r.Form["program"] {
		if c = strings.TrimSpace(c); c != "" {
			codes = append(codes, c)
		}
	}
	amount, err := application.ParseAmount(r.FormValue("amount"))
	in := application.A2Input{StudentID: p.StudentID, Programmes: codes,
		Receipt: application.Receipt{Number: r.FormValue("receipt_no"), Date: r.FormValue("receipt_date"), Amount: amount}}
	if err == nil {
		_, err = h.apps.FileA2(r.Context(), p, in)
	}
	if err != nil {
		v.Slots = programmeSlots(v.Year.Config, r.Form["program"])
		v.Receipt, v.Amount = in.Receipt, r.FormValue("amount")
		h.kit.Render(w, r, 0, "app_a2", "Formulari A2", v, err)
		return
	}
	webkit.RedirectOK(w, r, "/formulari/a2", nil, "Formulari A2 u ruajt.")
}
