package examday

import "net/http"

// Routes registers the pages of the area. GET never changes state.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /dita-e-provimit", h.kit.Page(h.indexPage))
	mux.HandleFunc("GET /dita-e-provimit/tabela.json", h.kit.Page(h.boardJSON))
	mux.HandleFunc("GET /dita-e-provimit/pjesemarrja", h.kit.Page(h.attendancePage))
	mux.HandleFunc("GET /dita-e-provimit/{venue}/{exam}", h.kit.Page(h.venuePage))
	mux.HandleFunc("POST /dita-e-provimit/{venue}/{exam}/caktimi", h.kit.Page(h.assign))
	mux.HandleFunc("POST /dita-e-provimit/{venue}/{exam}/perjashtim", h.kit.Page(h.exclude))
	mux.HandleFunc("POST /dita-e-provimit/{venue}/{exam}/ngjarje", h.kit.Page(h.report))
	mux.HandleFunc("POST /dita-e-provimit/{venue}/{exam}/letra", h.kit.Page(h.paper))
	mux.HandleFunc("POST /dita-e-provimit/{venue}/{exam}/etiketa", h.kit.Page(h.attach))
	mux.HandleFunc("POST /dita-e-provimit/{venue}/{exam}/largimi", h.kit.Page(h.leave))
	mux.HandleFunc("POST /dita-e-provimit/{venue}/{exam}/paketimi", h.kit.Page(h.pack))
	mux.HandleFunc("GET /dita-e-provimit/{venue}/{exam}/procesverbal.pdf", h.kit.Page(h.procesverbalPDF))
	mux.HandleFunc("GET /dita-e-provimit/{venue}/{exam}/formulari.pdf", h.kit.Page(h.reportPDF))
	mux.HandleFunc("GET /dita-e-provimit/{venue}/{exam}/salla/{room}", h.kit.Page(h.roomPage))
	mux.HandleFunc("POST /dita-e-provimit/{venue}/{exam}/salla/{room}/hyrja", h.kit.Page(h.checkIn))
	mux.HandleFunc("POST /dita-e-provimit/{venue}/{exam}/salla/{room}/gjendja", h.kit.Page(h.sync))
	mux.HandleFunc("GET /dita-e-provimit/{venue}/{exam}/salla/{room}/fleta.pdf", h.kit.Page(h.sheetPDF))
}

// APIRoutes registers the API endpoints of the area (api/openapi.yaml).
func (h *Handler) APIRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/examday/causes", h.kit.API(h.apiCauses))
	mux.HandleFunc("GET /api/v1/examday/places", h.kit.API(h.apiPlaces))
	mux.HandleFunc("GET /api/v1/examday/access", h.kit.API(h.apiAccess))
	mux.HandleFunc("GET /api/v1/examday/board", h.kit.API(h.apiBoard))
	mux.HandleFunc("GET /api/v1/examday/attendance", h.kit.API(h.apiAttendance))
	mux.HandleFunc("GET /api/v1/examday/venues/{venue}/{exam}", h.kit.API(h.apiVenue))
	mux.HandleFunc("GET /api/v1/examday/venues/{venue}/{exam}/rooms/{room}", h.kit.API(h.apiRoom))
	mux.HandleFunc("POST /api/v1/examday/venues/{venue}/{exam}/assignments", h.kit.API(h.apiAssign))
	mux.HandleFunc("POST /api/v1/examday/venues/{venue}/{exam}/packing", h.kit.API(h.apiPack))
	mux.HandleFunc("POST /api/v1/examday/checkins", h.kit.API(h.apiCheckIns))
	mux.HandleFunc("POST /api/v1/examday/sync", h.kit.API(h.apiSync))
	mux.HandleFunc("POST /api/v1/examday/labels", h.kit.API(h.apiAttach))
	mux.HandleFunc("POST /api/v1/examday/leaves", h.kit.API(h.apiLeave))
	mux.HandleFunc("POST /api/v1/examday/events", h.kit.API(h.apiReport))
	mux.HandleFunc("POST /api/v1/examday/exclusions", h.kit.API(h.apiExclude))
}
