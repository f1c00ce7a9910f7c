package applications

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"provim/internal/albanian"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/web/webkit"
)

// ---- rebuilding the final lists: confirmation and redirect (issue 9 item 11) ----

type finalConfirmView struct {
	Listed     int
	LateReason string
}

// finalListsConfirm asks before the final lists are built again: the
// rebuild replaces them, and the seats of candidates who leave them go
// with them (Neni 36, 48.3). The AVA page's form leads here when the
// lists exist; this page's form posts with konfirmo=po.
func (h *Handler) finalListsConfirm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := webkit.Allow(p, application.AtNationalDesk(p)); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	n, err := h.apps.FinalListsBuilt(r.Context())
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, 0, "app_final_confirm", "Ndërtimi i sërishëm i listave përfundimtare", finalConfirmView{Listed: n, LateReason: r.FormValue("late_reason")}, nil)
}

// buildFinalLists builds the final lists and answers with a redirect to
// the AVA page, whose confirmation (kept server-side) carries the
// summary: reloading the page builds nothing again. Lists already built
// are rebuilt only after the confirmation page.
func (h *Handler) buildFinalLists(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	late := r.FormValue("late_reason")
	if r.FormValue("konfirmo") != "po" {
		n, err := h.apps.FinalListsBuilt(r.Context())
		if err != nil {
			h.renderAVA(w, r, p, nil, late, err)
			return
		}
		if n > 0 {
			http.Redirect(w, r, "/aplikimet/ava/listat/konfirmo?"+url.Values{"late_reason": {late}}.Encode(), http.StatusSeeOther)
			return
		}
	}
	sum, err := h.apps.BuildFinalLists(r.Context(), p, late)
	if err != nil {
		h.renderAVA(w, r, p, nil, late, err)
		return
	}
	y, err := h.activeYear(r)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	webkit.RedirectOK(w, r, "/aplikimet/ava", nil, finalSummaryMessage(y, sum))
}

// finalSummaryMessage is the summary of a build in one confirmation.
func finalSummaryMessage(y *examyear.Year, sum application.FinalSummary) string {
	var exams []string
	for _, e := range examsOf(y.Config) {
		if n := sum.Exams[e.Code]; n > 0 {
			exams = append(exams, fmt.Sprintf("%s (%s): %s", e.Name, e.Code, albanian.Int(n)))
		}
	}
	noun := "kandidatë"
	if sum.Total == 1 {
		noun = "kandidat"
	}
	msg := fmt.Sprintf("Listat përfundimtare u ndërtuan: %s %s në të paktën një listë", albanian.Int(sum.Total), noun)
	if len(exams) > 0 {
		msg += " — " + strings.Join(exams, "; ")
	}
	msg += fmt.Sprintf(". Lënë jashtë: mbetës %d (Neni 35–36), për përjashtim të vitit të kaluar %d (Neni 55.2), pa numër regjistrimi %d; provime me zgjedhje të palejuara %d (Neni 17 ¶2).",
		sum.Failing, sum.Barred, sum.NoRegNo, sum.Electives)
	if len(sum.Missing) > 0 {
		msg += fmt.Sprintf(" Ndërtuar pa njoftimin e mbetësve nga %s, me arsyen: %s.", strings.Join(sum.Missing, ", "), sum.Reason)
	}
	return msg
}
