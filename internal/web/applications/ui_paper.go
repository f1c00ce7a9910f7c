package applications

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

// ---- a paper form entered by the school ----

type paperStudent struct {
	registry.Student
	Draft bool // the student saved a draft online but did not submit it
}

type paperView struct {
	FileWindow application.Window // the file form's: closed only once both table T (A1) and the A2 forms are (Neni 22 ¶2, 32)
	Window     application.Window // the step's deadline as the viewer sees it (the form is disabled once it has passed)
	School     registry.School
	Year       *examyear.Year
	Students   []paperStudent
	Options    []examyear.Subject
	Slots      []string
	StudentID  int64
	LateReason string
	HandedIn   string // the day the paper form was handed in (Neni 22 ¶1)
	ShowLate   bool
	Deadline   examyear.Deadline
}

func (h *Handler) paperFormPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderPaperForm(w, r, p, nil, nil)
}

func (h *Handler) renderPaperForm(w http.ResponseWriter, r *http.Request, p *auth.Principal, in *application.A1Input, actErr error) {
	if err := mayHandleForms(p); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	sc, ok, err := h.schoolParam(r, p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if !ok {
		h.pickSchool(w, r, p, "Formular në letër: zgjidhni shkollën")
		return
	}
	y, err := h.activeYear(r)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	students, _, err := h.registry.ListStudents(r.Context(), p, registry.StudentFilter{School: sc.Code, Page: registry.Page{Limit: registry.MaxLimit}})
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	apps, _, err := h.apps.List(r.Context(), p, application.Filter{School: sc.Code, Page: registry.Page{Limit: 1000}})
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	status := map[int64]string{}
	for _, a := range apps {
		status[a.StudentID] = a.Status
	}
	v := paperView{School: sc, Year: y, Options: y.Config.Electives(), ShowLate: application.LateAllowedOnSchoolStep(p),
		Deadline: deadlineOf(y, examyear.KeyTableT)}
	for _, st := range students {
		if got, has := status[st.ID]; !has || got == application.Draft {
			v.Students = append(v.Students, paperStudent{Student: st, Draft: has})
		}
	}
	v.Slots = electiveSlots(y.Config, nil)
	if in != nil {
		v.StudentID, v.LateReason, v.HandedIn = in.StudentID, in.LateReason, in.HandedIn
		v.Slots = electiveSlots(y.Config, r.Form["z"])
	}
	v.Window = h.window(r, p, examyear.KeyTableT)
	// The file takes A2 forms too, until their own deadline (Neni 32):
	// after table T it stays open for them (an A1 file is refused on
	// submit), and closes with the A2 deadline.
	switch a2 := h.window(r, p, examyear.KeyA2ToKMSH); {
	case !v.Window.Passed():
		v.FileWindow = v.Window
	case !a2.Passed():
		v.FileWindow = application.Window{Key: examyear.KeyA2ToKMSH}
	default:
		v.FileWindow = a2
	}
	h.kit.Render(w, r, 0, "app_new", "Formular në letër — "+sc.Name, v, actErr)
}

func (h *Handler) savePaperForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, err := webkit.Int64(r.FormValue("student_id"), "student_id", 0)
	in := application.A1Input{StudentID: id, Electives: electivesFrom(r), Submit: true, LateReason: r.FormValue("late_reason"),
		HandedIn: r.FormValue("handed_in")}
	if err == nil && in.StudentID == 0 {
		err = apperr.New(apperr.Invalid, "Zgjidhni nxënësin, formularin e të cilit hidhni.")
	}
	var a application.Application
	if err == nil {
		a, err = h.apps.FileA1(r.Context(), p, in)
	}
	if err != nil {
		h.renderPaperForm(w, r, p, &in, err)
		return
	}
	webkit.RedirectOK(w, r, "/aplikimet/"+strconv.FormatInt(a.ID, 10), nil, "Formulari në letër i "+a.FullName+" u regjistrua si i dorëzuar.")
}

// importPaperForms enters a file of paper A1/A1z or A2 forms, all or
// nothing; a refused file lists every bad line.
func (h *Handler) importPaperForms(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	importer := h.apps.ImportA1
	label := "A1/A1z"
	if r.FormValue("form") == "a2" {
		importer, label = h.apps.ImportA2, "A2"
	}
	file, head, err := r.FormFile("file")
	if err != nil {
		h.renderPaperForm(w, r, p, nil, apperr.New(apperr.Invalid, "Zgjidhni skedarin CSV ose XLSX."))
		return
	}
	defer file.Close()
	n, err := importer(r.Context(), p, head.Filename, file, r.FormValue("late_reason"))
	if ie, ok := errors.AsType[*registry.ImportError](err); ok {
		details := make([]string, len(ie.Rows))
		for i, row := range ie.Rows {
			details[i] = row.String()
		}
		err = &apperr.Error{Code: apperr.Invalid, Message: ie.Error(), Details: details}
	}
	if err != nil {
		h.renderPaperForm(w, r, p, nil, err)
		return
	}
	webkit.RedirectOK(w, r, "/aplikimet", url.Values{"shkolla": {r.URL.Query().Get("shkolla")}},
		fmt.Sprintf("Skedari u ngarkua: %d formularë %s u regjistruan ose u ndryshuan.", n, label))
}
