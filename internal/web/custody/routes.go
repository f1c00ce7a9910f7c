package custody

import "net/http"

// Routes registers the pages of the area. GET never changes state.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /materialet", h.kit.Page(h.boardPage))
	mux.HandleFunc("POST /materialet", h.kit.Page(h.create))
	mux.HandleFunc("GET /materialet/{venue}/{exam}", h.kit.Page(h.consignmentPage))
	mux.HandleFunc("POST /materialet/{venue}/{exam}/dorezo", h.kit.Page(h.record))
	mux.HandleFunc("POST /materialet/dorezimet/{id}/konfirmo", h.kit.Page(h.confirm))
	mux.HandleFunc("GET /materialet/dorezimet/{id}/procesverbal.pdf", h.kit.Page(h.procesverbalPDF))
}

// APIRoutes registers the API endpoints of the area (api/openapi.yaml).
func (h *Handler) APIRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/custody/steps", h.kit.API(h.apiSteps))
	mux.HandleFunc("GET /api/v1/custody/board", h.kit.API(h.apiBoard))
	mux.HandleFunc("POST /api/v1/custody/consignments", h.kit.API(h.apiCreate))
	mux.HandleFunc("GET /api/v1/custody/consignments/{venue}/{exam}", h.kit.API(h.apiConsignment))
	mux.HandleFunc("POST /api/v1/custody/handovers", h.kit.API(h.apiRecord))
	mux.HandleFunc("GET /api/v1/custody/handovers/{id}", h.kit.API(h.apiHandover))
	mux.HandleFunc("POST /api/v1/custody/handovers/{id}/confirm", h.kit.API(h.apiConfirm))
}
