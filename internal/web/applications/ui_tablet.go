package applications

import (
	"html/template"
	"net/http"

	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/doc"
	"provim/internal/examyear"
	"provim/internal/web/webkit"
)

// ---- table T ----

type tableTView struct {
	Window      application.Window // the step's deadline as the viewer sees it (the form is disabled once it has passed)
	T           application.TableT
	Doc         doc.Table
	Query       template.URL // shkolla=CODE, for the links
	Unconfirmed int
	CanSend     bool
	ShowLate    bool
	LateReason  string
	Deadline    examyear.Deadline
}

// tableT builds table T of the chosen school; ok is false when KMSH or AVA
// has not chosen one yet.
func (h *Handler) tableT(r *http.Request, p *auth.Principal) (t application.TableT, ok bool, err error) {
	if err := mayHandleForms(p); err != nil {
		return t, false, err
	}
	sc, ok, err := h.schoolParam(r, p)
	if err != nil || !ok {
		return t, ok, err
	}
	t, err = h.apps.TableT(r.Context(), p, sc.Code)
	return t, err == nil, err
}

func (h *Handler) tableTPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderTableT(w, r, p, "", nil)
}

func (h *Handler) renderTableT(w http.ResponseWriter, r *http.Request, p *auth.Principal, lateReason string, actErr error) {
	t, ok, err := h.tableT(r, p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if !ok {
		h.pickSchool(w, r, p, "Tabela T: zgjidhni shkollën")
		return
	}
	v := tableTView{T: t, Doc: t.Document(h.clock.Now()), Query: template.URL(schoolQuery(t.SchoolCode).Encode()), CanSend: t.Sent == "",
		ShowLate: application.LateAllowedOnSchoolStep(p), LateReason: lateReason}
	if y, err := h.activeYear(r); err == nil {
		v.Deadline = deadlineOf(y, examyear.KeyFormsToKMSH)
	}
	for _, row := range t.Rows {
		if row.Status == application.StatusLabel(application.Submitted) {
			v.Unconfirmed++
		}
	}
	v.Window = h.window(r, p, examyear.KeyFormsToKMSH)
	h.kit.Render(w, r, 0, "app_tablet", "Tabela T — "+t.SchoolName, v, actErr)
}

// tableTPDF is table T as a PDF download.
func (h *Handler) tableTPDF(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.tableTFile(w, r, p, doc.PDF)
}

// tableTXLSX is table T as an XLSX download.
func (h *Handler) tableTXLSX(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.tableTFile(w, r, p, doc.XLSX)
}

func (h *Handler) tableTFile(w http.ResponseWriter, r *http.Request, p *auth.Principal, format string) {
	t, ok, err := h.tableT(r, p)
	if err == nil && !ok {
		err = apperr.New(apperr.Invalid, "Zgjidhni shkollën (?shkolla=KODI).")
	}
	if err == nil {
		err = webkit.SendDocument(w, t.Document(h.clock.Now()), format, "tabela-t-"+webkit.FileName(t.SchoolCode))
	}
	if err != nil {
		h.kit.Fail(w, r, err)
	}
}

func (h *Handler) sendTableT(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	late := r.FormValue("late_reason")
	sc, ok, err := h.schoolParam(r, p)
	if err == nil && !ok {
		err = apperr.New(apperr.Invalid, "Zgjidhni shkollën.")
	}
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	n, err := h.apps.SendToKMSH(r.Context(), p, sc.Code, late)
	if err != nil {
		h.renderTableT(w, r, p, late, err)
		return
	}
	webkit.RedirectOK(w, r, "/aplikimet/tabela-t", schoolQuery(sc.Code), "Tabela T dhe "+forms(n)+" u dërguan në KMSH.")
}
