package anonym

import "net/http"

// Routes registers the pages of the area. GET never changes state.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /sekretimi", h.kit.Page(h.indexPage))
	mux.HandleFunc("GET /sekretimi/{year}/{exam}", h.kit.Page(h.examPage))
	mux.HandleFunc("POST /sekretimi/{year}/{exam}/kodet", h.kit.Page(h.generate))
	mux.HandleFunc("POST /sekretimi/{year}/{exam}/mbajtesit", h.kit.Page(h.nameHolders))
	mux.HandleFunc("POST /sekretimi/{year}/{exam}/hap", h.kit.Page(h.open))
	mux.HandleFunc("POST /sekretimi/{year}/{exam}/pjesa", h.kit.Page(h.present)) // one holder at a time
	mux.HandleFunc("GET /sekretimi/{year}/{exam}/{venue}", h.kit.Page(h.venuePage))
	mux.HandleFunc("GET /sekretimi/{year}/{exam}/{venue}/etiketat.pdf", h.kit.Page(h.labelsPDF))
}

// APIRoutes registers the API endpoints of the area (api/openapi.yaml).
func (h *Handler) APIRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/anonym/{year}/{exam}", h.kit.API(h.apiStatus))
	mux.HandleFunc("POST /api/v1/anonym/{year}/{exam}/codes", h.kit.API(h.apiGenerate))
	mux.HandleFunc("POST /api/v1/anonym/{year}/{exam}/holders", h.kit.API(h.apiHolders))
	mux.HandleFunc("POST /api/v1/anonym/{year}/{exam}/open", h.kit.API(h.apiOpen))
	mux.HandleFunc("POST /api/v1/anonym/{year}/{exam}/shares", h.kit.API(h.apiPresent)) // one holder at a time
	mux.HandleFunc("GET /api/v1/anonym/{year}/{exam}/venues/{venue}/counts", h.kit.API(h.apiCounts))
	mux.HandleFunc("GET /api/v1/anonym/{year}/{exam}/venues/{venue}/labels", h.kit.API(h.apiLabels))
	mux.HandleFunc("POST /api/v1/anonym/{year}/{exam}/venues/{venue}/attach", h.kit.API(h.apiAttach))
	mux.HandleFunc("POST /api/v1/anonym/{year}/{exam}/venues/{venue}/seal", h.kit.API(h.apiSeal))
}
