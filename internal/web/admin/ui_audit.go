package admin

import (
	"net/http"

	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/web/webkit"
)

type auditView struct {
	Entries  []audit.Entry
	Verified int64
	Problem  *audit.Problem
	Checked  bool
	Type, ID string
}

// auditPage lists the latest entries of the audit log (of one object when
// asked) and verifies the chain on request. The times are Tirana's.
func (h *Handler) auditPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := webkit.Allow(p, p.IsNational()); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	q := r.URL.Query()
	v := auditView{Type: q.Get("lloji"), ID: q.Get("id")}
	var err error
	v.Entries, err = audit.Query(r.Context(), h.db.DB, v.Type, v.ID, 200)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if q.Get("verifiko") != "" {
		v.Checked = true
		v.Verified, v.Problem, err = audit.Verify(r.Context(), h.db.DB)
		if err != nil {
			h.kit.Fail(w, r, err)
			return
		}
	}
	h.kit.Render(w, r, 0, "audit", "Auditimi", v, nil)
}
