package admin

import (
	"net/http"

	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/web/webkit"
)

func (h *Handler) apiUsers(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	users, err := h.auth.ListUsers(r.Context(), p)
	if err != nil {
		return err
	}
	webkit.Items(w, users)
	return nil
}

func (h *Handler) apiCreateUser(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	// The role first: a body from a caller who may not create users is not
	// read. (nil would mean the operator: the API always acts as its caller.)
	if err := webkit.Allow(p, p.IsNational()); err != nil {
		return err
	}
	var n auth.NewUser
	if err := webkit.Decode(r, &n); err != nil {
		return err
	}
	u, err := h.auth.CreateUser(r.Context(), p, n)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusCreated, u)
	return nil
}

func (h *Handler) apiSetDisabled(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		Disabled bool `json:"disabled"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	if err := h.auth.SetDisabled(r.Context(), p, r.PathValue("username"), in.Disabled); err != nil {
		return err
	}
	webkit.NoContent(w)
	return nil
}

func (h *Handler) apiSetPassword(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		Old string `json:"old_password"`
		New string `json:"new_password"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	if err := h.auth.SetPassword(r.Context(), p, r.PathValue("username"), in.Old, in.New); err != nil {
		return err
	}
	webkit.NoContent(w)
	return nil
}

// auditLimit is the page of the audit API: ?limit= from 1 to 1000, 100
// when absent.
func auditLimit(r *http.Request) (int, error) {
	limit, err := webkit.Int(r.URL.Query().Get("limit"), "limit", 100)
	if err != nil {
		return 0, err
	}
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	return limit, nil
}

func (h *Handler) apiAudit(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, p.IsNational()); err != nil {
		return err
	}
	limit, err := auditLimit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	entries, err := audit.Query(r.Context(), h.db.DB, q.Get("object_type"), q.Get("object_id"), limit)
	if err != nil {
		return err
	}
	webkit.Items(w, entries)
	return nil
}

func (h *Handler) apiAuditVerify(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, p.IsNational()); err != nil {
		return err
	}
	n, problem, err := audit.Verify(r.Context(), h.db.DB)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"verified": n, "intact": problem == nil, "problem": problem})
	return nil
}
