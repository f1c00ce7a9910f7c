package certificate

import "net/http"

// Routes registers the pages of the area. GET never changes state.
func (h *Handler) Routes(mux *http.ServeMux) {
	// For anyone, no login: the check by number and personal number
	// (throttled), AVA's public key, the revocation list.
	mux.HandleFunc("GET /vertetimi", h.checkPage)
	mux.HandleFunc("POST /vertetimi", h.check)
	mux.HandleFunc("GET /certifikata/celesi", h.keyFile)
	mux.HandleFunc("GET /certifikata/revokuar", h.revokedPage)
	// The candidate's own, the lists in scope, AVA's issue and revocation.
	mux.HandleFunc("GET /certifikata/ime", h.kit.Page(h.minePDF))
	mux.HandleFunc("GET /certifikatat", h.kit.Page(h.listPage))
	mux.HandleFunc("POST /certifikatat/leshimi", h.kit.Page(h.issueAll))
	mux.HandleFunc("GET /certifikatat/{code}", h.kit.Page(h.viewPage))
	mux.HandleFunc("GET /certifikatat/{code}/pdf", h.kit.Page(h.certPDF))
	mux.HandleFunc("POST /certifikatat/{code}/revokimi", h.kit.Page(h.revoke))
}

// APIRoutes registers the API endpoints of the area (api/openapi.yaml).
func (h *Handler) APIRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/public/certificates/revoked", h.kit.PublicAPI(h.apiRevoked))
	mux.HandleFunc("GET /api/v1/public/certificates/key", h.kit.PublicAPI(h.apiKey))
	mux.HandleFunc("POST /api/v1/public/certificates/check", h.kit.PublicAPI(h.apiCheck))
	mux.HandleFunc("GET /api/v1/certificates", h.kit.API(h.apiList))
	mux.HandleFunc("POST /api/v1/certificates/issue", h.kit.API(h.apiIssue))
	mux.HandleFunc("GET /api/v1/certificates/mine", h.kit.API(h.apiMine))
	mux.HandleFunc("GET /api/v1/certificates/{code}", h.kit.API(h.apiGet))
	mux.HandleFunc("GET /api/v1/certificates/{code}/pdf", h.kit.API(h.apiPDF))
	mux.HandleFunc("POST /api/v1/certificates/{code}/revoke", h.kit.API(h.apiRevoke))
}
