package results

import "net/http"

// Routes registers the pages of the area. GET never changes state.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /rezultatet", h.kit.Page(h.indexPage))
	mux.HandleFunc("POST /rezultatet/{exam}/llogarit", h.kit.Page(h.computeForm))
	mux.HandleFunc("POST /rezultatet/{exam}/shpall", h.kit.Page(h.publishForm))
	mux.HandleFunc("GET /rezultatet/sesioni-i-dyte", h.kit.Page(h.session2Page))
	mux.HandleFunc("POST /rezultatet/sesioni-i-dyte/dergo", h.kit.Page(h.sendSession2Form))
}

// APIRoutes registers the API endpoints of the area (api/openapi.yaml).
func (h *Handler) APIRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/results/me", h.kit.API(h.apiMe))
	mux.HandleFunc("GET /api/v1/results", h.kit.API(h.apiList))
	mux.HandleFunc("GET /api/v1/results/exams", h.kit.API(h.apiExams))
	mux.HandleFunc("POST /api/v1/results/exams/{exam}/compute", h.kit.API(h.apiCompute))
	mux.HandleFunc("POST /api/v1/results/exams/{exam}/publish", h.kit.API(h.apiPublish))
	mux.HandleFunc("GET /api/v1/results/session2", h.kit.API(h.apiSession2))
	mux.HandleFunc("POST /api/v1/results/session2/send", h.kit.API(h.apiSendSession2))
}
