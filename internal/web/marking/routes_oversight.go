package marking

import "net/http"

// oversightRoutes registers the pages of this part: the monitors'
// samples (Neni 57.15), the reports of copying with KOPOTED's cases and
// MASH's decisions (Neni 57.16–57.17), and the quality board.
func (h *Handler) oversightRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /vleresimi/{exam}/monitorimi", h.kit.Page(h.monitorPage))
	mux.HandleFunc("POST /vleresimi/{exam}/monitorimi", h.kit.Page(h.drawForm))
	mux.HandleFunc("GET /vleresimi/{exam}/monitorimi/{code}", h.kit.Page(h.samplePage))
	mux.HandleFunc("POST /vleresimi/{exam}/monitorimi/{code}", h.kit.Page(h.reviewForm))
	mux.HandleFunc("POST /vleresimi/{exam}/broshura/{code}/kopjim", h.kit.Page(h.reportForm))
	mux.HandleFunc("GET /vleresimi/{exam}/kopjimi", h.kit.Page(h.copyingPage))
	mux.HandleFunc("POST /vleresimi/{exam}/kopjimi", h.kit.Page(h.openCaseForm))
	mux.HandleFunc("POST /vleresimi/{exam}/kopjimi/{id}/konstatimi", h.kit.Page(h.findingForm))
	mux.HandleFunc("POST /vleresimi/{exam}/kopjimi/{id}/vendimi", h.kit.Page(h.decisionForm))
	mux.HandleFunc("GET /vleresimi/{exam}/cilesia", h.kit.Page(h.qualityPage))
	mux.HandleFunc("POST /vleresimi/{exam}/cilesia/ndalo", h.kit.Page(h.stopForm))
}

// oversightAPIRoutes registers the API endpoints of this part.
func (h *Handler) oversightAPIRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/marking/{exam}/monitoring", h.kit.API(h.apiMonitoring))
	mux.HandleFunc("POST /api/v1/marking/{exam}/monitoring/draws", h.kit.API(h.apiDraw))
	mux.HandleFunc("GET /api/v1/marking/{exam}/monitoring/samples/{code}", h.kit.API(h.apiSample))
	mux.HandleFunc("POST /api/v1/marking/{exam}/monitoring/samples/{code}/review", h.kit.API(h.apiReview))
	mux.HandleFunc("POST /api/v1/marking/{exam}/booklets/{code}/copying", h.kit.API(h.apiReport))
	mux.HandleFunc("GET /api/v1/marking/{exam}/copying", h.kit.API(h.apiCopying))
	mux.HandleFunc("POST /api/v1/marking/{exam}/copying/cases", h.kit.API(h.apiOpenCase))
	mux.HandleFunc("POST /api/v1/marking/{exam}/copying/cases/{id}/finding", h.kit.API(h.apiFinding))
	mux.HandleFunc("POST /api/v1/marking/{exam}/copying/cases/{id}/decision", h.kit.API(h.apiDecision))
	mux.HandleFunc("GET /api/v1/marking/{exam}/quality", h.kit.API(h.apiQuality))
	mux.HandleFunc("POST /api/v1/marking/{exam}/quality/markers/{username}/stop", h.kit.API(h.apiStop))
}
