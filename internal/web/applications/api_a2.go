package applications

import (
	"net/http"

	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/web/webkit"
)

// ---- form A2 and the programmes ----

func (h *Handler) apiProgrammes(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	list, err := h.apps.Programmes(r.Context(), p)
	if err != nil {
		return err
	}
	webkit.Items(w, list)
	return nil
}

func (h *Handler) apiSaveProgrammes(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	// Role first: a caller who may not edit the catalogue learns nothing
	// about the body.
	if err := webkit.Allow(p, application.MayEditProgrammes(p)); err != nil {
		return err
	}
	var in struct {
		Items []application.Programme `json:"items"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	if err := h.apps.SaveProgrammes(r.Context(), p, in.Items); err != nil {
		return err
	}
	h.catalogue.forget() // form A2 offers the new catalogue at once
	return h.apiProgrammes(w, r, p)
}

func (h *Handler) apiStudentA2(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := webkit.ID(r, "Nxënësi")
	if err != nil {
		return err
	}
	f, err := h.apps.GetA2(r.Context(), p, id)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, f)
	return nil
}

func (h *Handler) apiFileA2(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in application.A2Input
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	_, err := h.apps.GetA2(r.Context(), p, in.StudentID)
	existed := err == nil
	f, err := h.apps.FileA2(r.Context(), p, in)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, webkit.SavedStatus(!existed), f)
	return nil
}

// ---- results and exclusions ----

func (h *Handler) apiStudentResults(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := webkit.ID(r, "Nxënësi")
	if err != nil {
		return err
	}
	list, err := h.apps.Results(r.Context(), p, id)
	if err != nil {
		return err
	}
	webkit.Items(w, list)
	return nil
}

func (h *Handler) apiRecordResults(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := webkit.ID(r, "Nxënësi")
	if err != nil {
		return err
	}
	if err := webkit.Allow(p, application.MayRecordResults(p)); err != nil {
		return err
	}
	var in struct {
		Results []application.Result `json:"results"`
		Source  string               `json:"source"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	if err := h.apps.RecordResults(r.Context(), p, id, in.Results, in.Source); err != nil {
		return err
	}
	return h.apiStudentResults(w, r, p)
}

func (h *Handler) apiRecordExclusion(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := webkit.ID(r, "Nxënësi")
	if err != nil {
		return err
	}
	if err := webkit.Allow(p, application.MayRecordResults(p)); err != nil {
		return err
	}
	var in application.Exclusion
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	if err := h.apps.RecordExclusion(r.Context(), p, id, in); err != nil {
		return err
	}
	webkit.NoContent(w)
	return nil
}
