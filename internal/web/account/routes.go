package account

import "net/http"

// Routes registers the pages of the area. GET never changes state.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", h.root)
	mux.HandleFunc("GET /hyrje", h.loginPage)
	mux.HandleFunc("POST /hyrje", h.login)
	mux.HandleFunc("POST /dalje", h.kit.Page(h.logout))
	mux.HandleFunc("GET /paneli", h.kit.Page(h.dashboard))
	mux.HandleFunc("GET /llogaria", h.kit.Page(h.accountPage))
	mux.HandleFunc("POST /llogaria", h.kit.Page(h.changePassword))
}

// APIRoutes registers the API endpoints of the area (api/openapi.yaml).
func (h *Handler) APIRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/tokens", h.kit.PublicAPI(h.apiLogin))
	mux.HandleFunc("DELETE /api/v1/tokens", h.kit.API(h.apiLogout))
	mux.HandleFunc("GET /api/v1/me", h.kit.API(h.apiMe))
}
