package smip

import "net/http"

// Routes registers AVA's page of the export and its files.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /eksporti", h.kit.Page(h.indexPage))
	mux.HandleFunc("GET /eksporti/{year}", h.kit.Page(h.fileUI))
}

// APIRoutes registers the feed and the file (api/openapi.yaml, "smip").
func (h *Handler) APIRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/smip/results", h.kit.API(h.apiFeed))
	mux.HandleFunc("GET /api/v1/smip/export/{year}", h.kit.API(h.apiFile))
}
