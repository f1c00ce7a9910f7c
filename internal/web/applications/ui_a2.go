package applications

import (
	"html/template"
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

type a2View struct {
	Student  registry.Student
	Year     *examyear.Year
	Deadline examyear.Deadline
	Window   application.Window // the deadline as the viewer sees it: past it the form is disabled
	App      *application.Application
	A2       *application.A2
	Ranked   []rankedProgramme // the saved A2's programmes, in order
	Slots    []a2Slot          // the boxes 1…MaxProgrammes
	// Catalogue is the <option>s of the boxes' one <datalist>, kept
	// rendered for the catalogue (catalogue.go), and Boxes the Slots
	// written out (boxesHTML); only the form shows them.
	Catalogue, Boxes template.HTML
	Text             a2Text // the form in words (a2Words)
	Receipt          application.Receipt
	Amount           string // the amount as typed
	CanFile          bool
	Note             string
	progs            []application.Programme // the catalogue, in its order
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
	if v.Window, err = h.apps.Window(r.Context(), p, examyear.KeyA2); err != nil {
		return v, err
	}
	// The catalogue is open to every signed-in role (Programmes), and
	// the caller may file A2 (above): the kept one serves as well.
	progs, err := h.catalogue.programmes(h.years.ActiveTTL, func() ([]application.Programme, error) {
		return h.apps.Programmes(r.Context(), p)
	})
	if err != nil {
		return v, err
	}
	v.progs = progs
	byCode := make(map[string]application.Programme, len(progs))
	for _, pr := range progs {
		byCode[pr.Code] = pr
	}
	a, f, filed, err := h.apps.ForStudentA2(r.Context(), p, p.StudentID)
	switch {
	case err == nil:
		v.App = &a
	case !apperr.Is(err, apperr.NotFound):
		return v, err
	}
	if filed {
		v.A2, v.Receipt = &f, f.Receipt
		for _, c := range f.Programmes {
			label := c
			if pr, ok := byCode[c]; ok {
				label = programmeLabel(pr)
			}
			v.Ranked = append(v.Ranked, rankedProgramme{Label: label, Code: c})
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
	v.Slots = programmeSlots(y.Config, progs, chosen)
	if v.Receipt.Amount == 0 {
		v.Receipt.Amount = y.Config.Fees.A2
	}
	v.Amount = strconv.Itoa(v.Receipt.Amount)
	v.Text = a2Words(v)
	return v, nil
}

// rankedProgramme is a programme of the saved form A2: its name with the
// institution and city (the code itself when the catalogue no longer has
// it), and its code.
type rankedProgramme struct{ Label, Code string }

// a2Text is what the A2 page writes of the student and the forms, put in
// words before the template runs (as a1Text).
type a2Text struct {
	Average, A1Status, Deadline string
	// Of the saved form: the receipt's day, when it was submitted and,
	// if it was changed since, when it was changed last ("" if not).
	ReceiptDate, Submitted, Updated string
}

func a2Words(v a2View) a2Text {
	t := a2Text{Average: webkit.Grade(v.Student.AverageGrade), Deadline: webkit.Date(v.Deadline.Date)}
	if v.App != nil {
		t.A1Status = application.StatusLabel(v.App.Status)
	}
	if f := v.A2; f != nil {
		t.ReceiptDate, t.Submitted = webkit.Date(f.Receipt.Date), webkit.When(f.SubmittedAt)
		if f.UpdatedAt != f.SubmittedAt {
			t.Updated = webkit.When(f.UpdatedAt)
		}
	}
	return t
}

// a2Slot is one box of form A2: its number and element id, the code in
// it and, when the code is one of the catalogue's, the programme's name.
type a2Slot struct {
	N           int
	ID          string // program1, program2, …
	Code, Label string
}

// programmeSlots are the boxes of form A2 with chosen in their order, as
// many as the year allows (more when more were sent, so that none is lost
// from the answer to a refused form).
func programmeSlots(cfg examyear.Config, progs []application.Programme, chosen []string) []a2Slot {
	out := make([]a2Slot, max(cfg.MaxProgrammes, len(chosen)))
	for i := range out {
		out[i].N, out[i].ID = i+1, "program"+strconv.Itoa(i+1)
	}
	for i, c := range chosen {
		out[i].Code = c
		if c == "" {
			continue
		}
		for _, pr := range progs {
			if pr.Code == c {
				out[i].Label = programmeLabel(pr)
				break
			}
		}
	}
	return out
}

// setOptions gives the form of v the catalogue's options; only a page
// with the form shows them.
func (h *Handler) setOptions(v *a2View) {
	if v.CanFile {
		v.Catalogue, v.Boxes = h.catalogue.options(v.progs), boxesHTML(v.Slots)
	}
}

// boxesHTML writes the boxes of form A2, each a labelled input offering
// the catalogue's list, with the programme's name under a known code;
// escaped as html/template escapes them (TestNeni21_A2BoxesAreWrittenAsTheTemplateWroteThem).
func boxesHTML(slots []a2Slot) template.HTML {
	var b strings.Builder
	for _, s := range slots {
		id := template.HTMLEscapeString(s.ID)
		b.WriteString(`<div><label for="` + id + `">Zgjedhja ` + strconv.Itoa(s.N) + `</label>` + "\n      ")
		b.WriteString(`<input id="` + id + `" name="program" list="programet" value="` + template.HTMLEscapeString(s.Code) + `" autocomplete="off"`)
		if s.Label != "" {
			b.WriteString(` aria-describedby="` + id + `-emri"`)
		}
		b.WriteString(">\n      ")
		if s.Label != "" {
			b.WriteString(`<small class="muted" id="` + id + `-emri">` + template.HTMLEscapeString(s.Label) + `</small>`)
		}
		b.WriteString("</div>\n")
	}
	return template.HTML(b.String())
}

func (h *Handler) a2Page(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	v, err := h.loadA2(r, p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.setOptions(&v)
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
		v.Slots = programmeSlots(v.Year.Config, v.progs, r.Form["program"])
		v.Receipt, v.Amount = in.Receipt, r.FormValue("amount")
		h.setOptions(&v)
		h.kit.Render(w, r, 0, "app_a2", "Formulari A2", v, err)
		return
	}
	webkit.RedirectOK(w, r, "/formulari/a2", nil, "Formulari A2 u ruajt.")
}
