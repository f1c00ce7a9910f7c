package applications

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"provim/internal/albanian"
	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/doc"
	"provim/internal/examyear"
	"provim/internal/web/webkit"
)

// ---- the region and AVA ----

func (h *Handler) apiSendUnitLists(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in lateBody
	if err := webkit.DecodeOptional(r, &in); err != nil {
		return err
	}
	n, err := h.apps.SendUnitToAVA(r.Context(), p, r.PathValue("code"), in.LateReason)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]int{"forms": n})
	return nil
}

func (h *Handler) apiSendUnitFailing(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in lateBody
	if err := webkit.DecodeOptional(r, &in); err != nil {
		return err
	}
	n, err := h.apps.SendFailingToAVA(r.Context(), p, r.PathValue("code"), in.LateReason)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]int{"failing": n})
	return nil
}

func (h *Handler) apiAssignRegistrationNumbers(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in lateBody
	if err := webkit.DecodeOptional(r, &in); err != nil {
		return err
	}
	n, err := h.apps.AssignRegistrationNumbers(r.Context(), p, in.LateReason)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]int{"assigned": n})
	return nil
}

func (h *Handler) apiBuildFinalLists(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in lateBody
	if err := webkit.DecodeOptional(r, &in); err != nil {
		return err
	}
	sum, err := h.apps.BuildFinalLists(r.Context(), p, in.LateReason)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, sum)
	return nil
}

// examName names an exam of the final lists (D1, D2 or an elective's
// code) from the year's subjects; ok is false for an exam the year does
// not hold.
func examName(cfg examyear.Config, exam string) (string, bool) {
	for _, sub := range cfg.Subjects {
		switch {
		case (exam == examyear.KindD1 || exam == examyear.KindD2) && sub.Kind == exam:
			return sub.Name, true
		case sub.Code == exam && sub.Kind == examyear.KindElective:
			return sub.Name, true
		}
	}
	return "", false
}

func (h *Handler) apiFinalList(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	exam := strings.ToUpper(strings.TrimSpace(r.PathValue("exam")))
	school := r.URL.Query().Get("school")
	list, err := h.apps.FinalList(r.Context(), p, exam, school)
	if err != nil {
		return err
	}
	y, err := h.years.Active(r.Context())
	if err != nil {
		return err
	}
	subject, ok := examName(y.Config, exam)
	if !ok {
		return apperr.New(apperr.NotFound, "Provimi «%s» nuk është provim i Maturës %d.", exam, y.Year)
	}
	list = webkit.NonNil(list)
	name := fmt.Sprintf("lista-%s-%d", exam, y.Year)
	if school != "" {
		name += "-" + school
	}
	return webkit.Respond(w, r, map[string]any{"year": y.Year, "exam": exam, "subject": subject, "total": len(list), "items": list},
		func() doc.Table { return apiFinalListDocument(y, exam, subject, school, list, h.clock.Now()) }, name)
}

// apiFinalListDocument is the final list of the API as a printable table.
func apiFinalListDocument(y *examyear.Year, exam, subject, school string, list []application.ListEntry, now time.Time) doc.Table {
	t := doc.Table{
		Title: "Lista emërore përfundimtare — " + exam,
		Subtitle: []string{
			fmt.Sprintf("Matura Shtetërore %d, viti shkollor %s · Neni 36", y.Year, y.Config.SchoolYear),
			fmt.Sprintf("Provimi: %s (%s)", exam, subject),
		},
		Columns: []doc.Column{
			{Title: "Nr.", Width: 0.5, Align: "R"}, {Title: "Nr. regjistrimi", Width: 1.2},
			{Title: "Emri (atësia) mbiemri", Width: 3}, {Title: "Datëlindja", Width: 1.1}, {Title: "Shkolla", Width: 3},
		},
		Generated: now,
	}
	if school != "" {
		t.Subtitle = append(t.Subtitle, "Shkolla: "+school)
	}
	t.Subtitle = append(t.Subtitle, fmt.Sprintf("Kandidatë: %d", len(list)))
	for i, e := range list {
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), e.RegNo, e.FullName, albanian.DateString(e.BirthDate),
			e.SchoolName + " (" + e.SchoolCode + ")"})
	}
	return t
}
