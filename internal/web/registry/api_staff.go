package registry

import (
	"net/http"

	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

func (h *Handler) apiStaffList(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	offset, limit, err := webkit.Page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	list, total, err := h.registry.ListStaff(r.Context(), p, registry.StaffFilter{Q: q.Get("q"), Unit: q.Get("unit"), School: q.Get("school"),
		Position: q.Get("position"), Page: registry.Page{Offset: offset, Limit: limit}})
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"total": total, "items": webkit.NonNil(list)})
	return nil
}

func (h *Handler) apiStaff(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := webkit.ID(r, "Punonjësi")
	if err != nil {
		return err
	}
	st, err := h.registry.GetStaff(r.Context(), p, id)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, st)
	return nil
}

// apiSaveStaff is POST /staff (upsert by personal number, ID ignored) and
// PUT /staff/{id} (that person only, keeping their personal number).
func (h *Handler) apiSaveStaff(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var id int64
	if r.Method == http.MethodPut {
		var err error
		if id, err = webkit.ID(r, "Punonjësi"); err != nil {
			return err
		}
	}
	var in registry.Staff
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	in.ID = id
	saved, created, err := h.registry.UpsertStaff(r.Context(), p, in)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, webkit.SavedStatus(created), saved)
	return nil
}
