package registry

import (
	"net/http"

	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

func (h *Handler) apiUnits(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	list, err := h.registry.ListUnits(r.Context(), p)
	if err != nil {
		return err
	}
	webkit.Items(w, list)
	return nil
}

func (h *Handler) apiSchools(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	offset, limit, err := webkit.Page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	list, total, err := h.registry.ListSchoolsPage(r.Context(), p, registry.SchoolFilter{Q: q.Get("q"), Unit: q.Get("unit"), Profile: q.Get("profile"),
		Page: registry.Page{Offset: offset, Limit: limit}})
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"total": total, "items": webkit.NonNil(list)})
	return nil
}

func (h *Handler) apiSchool(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	sc, err := h.registry.GetSchool(r.Context(), p, r.PathValue("code"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, sc)
	return nil
}

func (h *Handler) apiSaveSchool(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in registry.School
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	if code := r.PathValue("code"); code != "" {
		if _, err := h.registry.GetSchool(r.Context(), p, code); err != nil {
			return err
		}
		in.Code = code
	}
	saved, created, err := h.registry.UpsertSchool(r.Context(), p, in)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, webkit.SavedStatus(created), saved)
	return nil
}
