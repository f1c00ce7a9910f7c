package venues

import "net/http"

// Routes registers the pages of the area. GET never changes state.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /qendrat/inspektimi", h.kit.Page(h.inspections))
	mux.HandleFunc("POST /qendrat/inspektimi/dergo", h.kit.Page(h.sendList))
	mux.HandleFunc("GET /qendrat/inspektimi/lista.pdf", h.kit.Page(h.venueListPDF))
	mux.HandleFunc("GET /qendrat/{code}/inspektimi", h.kit.Page(h.inspectionPage))
	mux.HandleFunc("POST /qendrat/{code}/inspektimi", h.kit.Page(h.inspect))
	mux.HandleFunc("GET /plani", h.kit.Page(h.planPage))
	mux.HandleFunc("POST /plani", h.kit.Page(h.plan))
	mux.HandleFunc("POST /plani/ndrysho", h.kit.Page(h.override))
	mux.HandleFunc("GET /plani/konfirmo", h.kit.Page(h.planConfirm))
	mux.HandleFunc("GET /plani/ndrysho/konfirmo", h.kit.Page(h.moveConfirm))
	mux.HandleFunc("POST /qendrat/{code}/salla", h.kit.Page(h.roomSeats))
	mux.HandleFunc("GET /njoftimet", h.kit.Page(h.noticesPage))
	mux.HandleFunc("POST /njoftimet/{id}/lexuar", h.kit.Page(h.readNotice))
	mux.HandleFunc("GET /plani/salla/{room}", h.kit.Page(h.roomPage))
	mux.HandleFunc("GET /qendra-ime", h.kit.Page(h.myVenue))
	mux.HandleFunc("GET /plani/shkolla", h.kit.Page(h.schoolPage))
}

// APIRoutes registers the API endpoints of the area (api/openapi.yaml).
func (h *Handler) APIRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/venue-inspections", h.kit.API(h.apiInspections))
	mux.HandleFunc("GET /api/v1/venues/{code}/inspection", h.kit.API(h.apiInspection))
	mux.HandleFunc("PUT /api/v1/venues/{code}/inspection", h.kit.API(h.apiInspect))
	mux.HandleFunc("GET /api/v1/units/{code}/venue-list", h.kit.API(h.apiVenueList))
	mux.HandleFunc("POST /api/v1/units/{code}/venue-list/send", h.kit.API(h.apiSendList))
	mux.HandleFunc("GET /api/v1/plans/{exam}", h.kit.API(h.apiSummary))
	mux.HandleFunc("POST /api/v1/plans/{exam}", h.kit.API(h.apiPlan))
	mux.HandleFunc("POST /api/v1/plans/{exam}/overrides", h.kit.API(h.apiOverride))
	mux.HandleFunc("POST /api/v1/venues/{code}/inspection/room-seats", h.kit.API(h.apiRoomSeats))
	mux.HandleFunc("GET /api/v1/notices", h.kit.API(h.apiNotices))
	mux.HandleFunc("POST /api/v1/notices/{id}/read", h.kit.API(h.apiReadNotice))
	mux.HandleFunc("GET /api/v1/plans/{exam}/rooms/{room}", h.kit.API(h.apiRoomList))
	mux.HandleFunc("GET /api/v1/students/{id}/seats", h.kit.API(h.apiStudentSeats))
	mux.HandleFunc("GET /api/v1/schools/{code}/seats/{exam}", h.kit.API(h.apiSchoolSeats))
}
