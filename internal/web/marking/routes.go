package marking

import "net/http"

// Routes registers the pages of the area, part by part. GET never
// changes state.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /vleresimi", h.kit.Page(h.indexPage))
	h.schemeRoutes(mux)
	h.markerRoutes(mux)
	h.markRoutes(mux)
	h.oversightRoutes(mux)
	h.scanRoutes(mux)
}

// APIRoutes registers the API endpoints of the area (api/openapi.yaml).
func (h *Handler) APIRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/marking/exams", h.kit.API(h.apiExams))
	h.schemeAPIRoutes(mux)
	h.markerAPIRoutes(mux)
	h.markAPIRoutes(mux)
	h.oversightAPIRoutes(mux)
	h.scanAPIRoutes(mux)
}
