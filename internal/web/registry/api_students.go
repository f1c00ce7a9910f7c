package registry

import (
	"net/http"

	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

func (h *Handler) apiStudents(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	offset, limit, err := webkit.Page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := registry.StudentFilter{Q: q.Get("q"), School: q.Get("school"), Unit: q.Get("unit"), Category: q.Get("category"),
		Page: registry.Page{Offset: offset, Limit: limit}}
	list, total, err := h.registry.ListStudents(r.Context(), p, f)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"total": total, "items": webkit.NonNil(list)})
	return nil
}

func (h *Handler) apiStudent(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := webkit.ID(r, "Nxënësi")
	if err != nil {
		return err
	}
	st, err := h.registry.GetStudent(r.Context(), p, id)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, st)
	return nil
}

// apiSaveStudent is POST /students (upsert by personal number, ID ignored)
// and PUT /students/{id} (that student only, keeping their personal number).
func (h *Handler) apiSaveStudent(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var id int64
	if r.Method == http.MethodPut {
		var err error
		if id, err = webkit.ID(r, "Nxënësi"); err != nil {
			return err
		}
	}
	var in registry.Student
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	in.ID = id
	saved, created, err := h.registry.UpsertStudent(r.Context(), p, in)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, webkit.SavedStatus(created), saved)
	return nil
}

func (h *Handler) apiStudentHistory(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := webkit.ID(r, "Nxënësi")
	if err != nil {
		return err
	}
	st, err := h.registry.GetStudent(r.Context(), p, id)
	if err != nil {
		return err
	}
	// The history names who changed what: for the commissions, not the student.
	if err := webkit.Allow(p, registry.MaySeeHistory(p)); err != nil {
		return err
	}
	list, err := h.registry.History(r.Context(), "student", st.PersonalNo)
	if err != nil {
		return err
	}
	webkit.Items(w, list)
	return nil
}
