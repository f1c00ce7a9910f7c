package account

import (
	"net/http"
	"strings"

	"provim/internal/auth"
	"provim/internal/web/webkit"
)

func (h *Handler) apiLogin(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
		Name     string `json:"name"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	tok, exp, err := h.auth.IssueToken(r.Context(), in.Username, in.Password, webkit.ClientAddr(r), in.Name)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusCreated, map[string]any{"token": tok, "expires_at": exp})
	return nil
}

func (h *Handler) apiLogout(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	raw := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if err := h.auth.RevokeToken(r.Context(), raw); err != nil {
		return err
	}
	webkit.NoContent(w)
	return nil
}

func (h *Handler) apiMe(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	webkit.WriteJSON(w, http.StatusOK, p)
	return nil
}
