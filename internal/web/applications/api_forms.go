package applications

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

// lateBody is the body of an action that may be done after its deadline
// by a higher level, with a reason.
type lateBody struct {
	LateReason string `json:"late_reason"`
}

// ---- forms A1/A1z ----

func (h *Handler) apiApplications(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	q := r.URL.Query()
	failing, err := webkit.Bool(q.Get("failing"), "failing", false)
	if err != nil {
		return err
	}
	offset, limit, err := webkit.Page(r)
	if err != nil {
		return err
	}
	f := application.Filter{School: q.Get("school"), Unit: q.Get("unit"), Status: q.Get("status"), Category: q.Get("category"),
		Q: q.Get("q"), RegNo: q.Get("reg_no"), Failing: failing, Page: registry.Page{Offset: offset, Limit: limit}}
	list, total, err := h.apps.List(r.Context(), p, f)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"total": total, "items": webkit.NonNil(list)})
	return nil
}

func (h *Handler) apiApplication(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := webkit.ID(r, "Formulari")
	if err != nil {
		return err
	}
	a, err := h.apps.Get(r.Context(), p, id)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, a)
	return nil
}

func (h *Handler) apiApplicationHistory(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := webkit.ID(r, "Formulari")
	if err != nil {
		return err
	}
	list, err := h.apps.History(r.Context(), p, id)
	if err != nil {
		return err
	}
	webkit.Items(w, list)
	return nil
}

func (h *Handler) apiStudentApplication(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := webkit.ID(r, "Nxënësi")
	if err != nil {
		return err
	}
	a, err := h.apps.ForStudent(r.Context(), p, id)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, a)
	return nil
}

// hasApplication reports whether the student already has an application
// this year that the caller can see, to answer 201 or 200 for a filing.
// Errors are left to the filing itself, which checks the same and more.
func (h *Handler) hasApplication(r *http.Request, p *auth.Principal, studentID int64) bool {
	_, err := h.apps.ForStudent(r.Context(), p, studentID)
	return err == nil
}

func (h *Handler) apiFileA1(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in application.A1Input
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	existed := h.hasApplication(r, p, in.StudentID)
	a, err := h.apps.FileA1(r.Context(), p, in)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, webkit.SavedStatus(!existed), a)
	return nil
}

func (h *Handler) apiRegisterSpecial(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in application.SpecialInput
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	existed := h.hasApplication(r, p, in.StudentID)
	a, err := h.apps.RegisterSpecial(r.Context(), p, in)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, webkit.SavedStatus(!existed), a)
	return nil
}

func (h *Handler) apiCorrectApplication(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := webkit.ID(r, "Formulari")
	if err != nil {
		return err
	}
	var in application.CorrectionInput
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	a, err := h.apps.Correct(r.Context(), p, id, in)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, a)
	return nil
}

// apiApplicationDocuments lists the documents the KMSH checks before it
// registers a special category, for its forms. resit defaults to what
// RegisterSpecial asks: a Neni 26 candidate registers to resit.
func (h *Handler) apiApplicationDocuments(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, application.MayRead(p)); err != nil {
		return err
	}
	category := r.URL.Query().Get("category")
	if !slices.Contains(application.Categories, category) {
		return &apperr.Error{Code: apperr.Invalid,
			Message: fmt.Sprintf("Kategoria «%s» nuk njihet; kategoritë janë: %s.", category, strings.Join(application.Categories, ", ")),
			Details: slices.Clone(application.Categories)}
	}
	resit, err := webkit.Bool(r.URL.Query().Get("resit"), "resit", category == application.Neni26)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"category": category, "label": application.CategoryLabel(category),
		"form": application.FormFor(category), "resit": resit, "items": webkit.NonNil(application.RequiredDocuments(category, resit))})
	return nil
}

// formImporter enters a file of paper forms (ImportA1, ImportA2).
type formImporter func(ctx context.Context, p *auth.Principal, name string, file io.Reader, lateReason string) (int, error)

// apiImportForms enters paper forms A1/A1z ("a1") or A2 ("a2") from a CSV
// or XLSX file, all or nothing; a refused file answers 422 with every bad
// row. ?late_reason= lets a higher level import after the deadline.
func (h *Handler) apiImportForms(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	form := r.PathValue("form")
	importer := map[string]formImporter{"a1": h.apps.ImportA1, "a2": h.apps.ImportA2}[form]
	if importer == nil {
		return apperr.New(apperr.NotFound, "Nuk ka import për formularin «%s» (a1 ose a2).", form)
	}
	// The role first, before reading the file.
	if err := mayHandleForms(p); err != nil {
		return err
	}
	var n int
	err := webkit.Upload(w, r, form+".csv", func(name string, file io.Reader) (err error) {
		n, err = importer(r.Context(), p, name, file, r.URL.Query().Get("late_reason"))
		return err
	})
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"form": form, "changed": n})
	return nil
}
