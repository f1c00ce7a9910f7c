package draws

import (
	"net/http"
	"strings"

	"provim/internal/auth"
	"provim/internal/web/webkit"
)

func (h *Handler) apiDrawPool(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	list, err := h.draws.Pool(r.Context(), p, r.PathValue("unit"))
	if err != nil {
		return err
	}
	webkit.Items(w, list)
	return nil
}

func (h *Handler) apiDrawPoolAdd(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		StaffID int64  `json:"staff_id"`
		Role    string `json:"role"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	if err := h.draws.AddToPool(r.Context(), p, r.PathValue("unit"), in.StaffID, strings.ToUpper(in.Role)); err != nil {
		return err
	}
	webkit.NoContent(w)
	return nil
}

func (h *Handler) apiDrawPoolFill(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	in := struct {
		Exam    string `json:"exam"`
		Session int    `json:"session"`
	}{Exam: "D1", Session: 1}
	if err := webkit.DecodeOptional(r, &in); err != nil {
		return err
	}
	session, err := webkit.CheckExamSession(in.Session)
	if err != nil {
		return err
	}
	n, err := h.draws.FillPool(r.Context(), p, session, strings.ToUpper(in.Exam), r.PathValue("unit"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]int{"added": n})
	return nil
}

func (h *Handler) apiDrawPoolRemove(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := webkit.ID(r, "Punonjësi")
	if err != nil {
		return err
	}
	if err := h.draws.RemoveFromPool(r.Context(), p, r.PathValue("unit"), id); err != nil {
		return err
	}
	webkit.NoContent(w)
	return nil
}

func (h *Handler) apiDeclare(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		StaffID   int64  `json:"staff_id"`
		StudentID int64  `json:"student_id"`
		Relation  string `json:"relation"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	d, err := h.draws.Declare(r.Context(), p, in.StaffID, in.StudentID, in.Relation)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusCreated, d)
	return nil
}
