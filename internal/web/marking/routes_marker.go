package marking

import "net/http"

// markerRoutes registers the pages of the markers, their leads and their
// training (Neni 57.6–57.11).
func (h *Handler) markerRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /vleresimi/{exam}/vleresuesit", h.kit.Page(h.markersPage))
	mux.HandleFunc("POST /vleresimi/{exam}/vleresuesit", h.kit.Page(h.appointForm))
	mux.HandleFunc("POST /vleresimi/{exam}/vleresuesit/importi", h.kit.Page(h.importMarkersForm))
	mux.HandleFunc("POST /vleresimi/{exam}/vleresuesit/parametrat", h.kit.Page(h.settingsForm))
	mux.HandleFunc("POST /vleresimi/{exam}/vleresuesit/kalibrimi", h.kit.Page(h.calibrationForm))
	mux.HandleFunc("POST /vleresimi/{exam}/vleresuesit/ndalo", h.kit.Page(h.stopMarkerForm))
	mux.HandleFunc("POST /vleresimi/{exam}/vleresuesit/rifillo", h.kit.Page(h.resumeForm))
	mux.HandleFunc("POST /vleresimi/{exam}/vleresuesit/ritrajno", h.kit.Page(h.retrainForm))
	mux.HandleFunc("GET /vleresimi/{exam}/trajnimi", h.kit.Page(h.trainingPage))
	mux.HandleFunc("POST /vleresimi/{exam}/trajnimi/{no}", h.kit.Page(h.trainingForm))
}

// markerAPIRoutes registers the API endpoints of this part.
func (h *Handler) markerAPIRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/marking/{exam}/markers", h.kit.API(h.apiMarkers))
	mux.HandleFunc("POST /api/v1/marking/{exam}/markers", h.kit.API(h.apiAppoint))
	mux.HandleFunc("POST /api/v1/marking/{exam}/markers/import", h.kit.API(h.apiImportMarkers))
	mux.HandleFunc("POST /api/v1/marking/{exam}/markers/{username}/stop", h.kit.API(h.apiStopMarker))
	mux.HandleFunc("POST /api/v1/marking/{exam}/markers/{username}/resume", h.kit.API(h.apiResumeMarker))
	mux.HandleFunc("POST /api/v1/marking/{exam}/markers/{username}/retrain", h.kit.API(h.apiRetrain))
	mux.HandleFunc("GET /api/v1/marking/{exam}/staff", h.kit.API(h.apiStaffCandidates))
	mux.HandleFunc("GET /api/v1/marking/{exam}/settings", h.kit.API(h.apiSettings))
	mux.HandleFunc("PUT /api/v1/marking/{exam}/settings", h.kit.API(h.apiSetSettings))
	mux.HandleFunc("GET /api/v1/marking/{exam}/calibration", h.kit.API(h.apiCalibration))
	mux.HandleFunc("POST /api/v1/marking/{exam}/calibration", h.kit.API(h.apiAddCalibration))
	mux.HandleFunc("GET /api/v1/marking/{exam}/training", h.kit.API(h.apiTraining))
	mux.HandleFunc("PUT /api/v1/marking/{exam}/training/{no}", h.kit.API(h.apiMarkTraining))
}
