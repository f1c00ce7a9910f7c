package registry

import "net/http"

// Routes registers the pages of the area. GET never changes state.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /nxenesit", h.kit.Page(h.studentsPage))
	mux.HandleFunc("GET /nxenesit/i-ri", h.kit.Page(h.newStudentPage))
	mux.HandleFunc("POST /nxenesit", h.kit.Page(h.saveStudent))
	mux.HandleFunc("GET /nxenesit/{id}", h.kit.Page(h.studentPage))
	mux.HandleFunc("POST /nxenesit/{id}", h.kit.Page(h.saveStudent))

	mux.HandleFunc("GET /importi", h.kit.Page(h.importPage))
	mux.HandleFunc("POST /importi", h.kit.Page(h.importUpload))
	mux.HandleFunc("GET /importi/shabllon/{file}", h.kit.Page(h.importTemplate))

	mux.HandleFunc("GET /shkollat", h.kit.Page(h.schoolsPage))
	mux.HandleFunc("GET /shkollat/e-re", h.kit.Page(h.newSchoolPage))
	mux.HandleFunc("POST /shkollat", h.kit.Page(h.saveSchool))
	mux.HandleFunc("GET /shkollat/{code}", h.kit.Page(h.schoolPage))
	mux.HandleFunc("POST /shkollat/{code}", h.kit.Page(h.saveSchool))
	mux.HandleFunc("GET /shkollat/{code}/njoftimet/{file}", h.kit.Page(h.noticesFile))

	mux.HandleFunc("GET /personeli", h.kit.Page(h.staffPage))
	mux.HandleFunc("GET /personeli/i-ri", h.kit.Page(h.newStaffPage))
	mux.HandleFunc("POST /personeli", h.kit.Page(h.saveStaff))
	mux.HandleFunc("GET /personeli/{id}", h.kit.Page(h.staffMemberPage))
	mux.HandleFunc("POST /personeli/{id}", h.kit.Page(h.saveStaff))

	mux.HandleFunc("GET /qendrat", h.kit.Page(h.venuesPage))
	mux.HandleFunc("GET /qendrat/e-re", h.kit.Page(h.newVenuePage))
	mux.HandleFunc("POST /qendrat", h.kit.Page(h.saveRoom))
	mux.HandleFunc("GET /qendrat/{code}", h.kit.Page(h.venuePage))
	mux.HandleFunc("POST /qendrat/{code}", h.kit.Page(h.saveRoom))

	mux.HandleFunc("GET /njesite", h.kit.Page(h.unitsPage))
}

// APIRoutes registers the API endpoints of the area (api/openapi.yaml).
func (h *Handler) APIRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/students", h.kit.API(h.apiStudents))
	mux.HandleFunc("POST /api/v1/students", h.kit.API(h.apiSaveStudent))
	mux.HandleFunc("GET /api/v1/students/{id}", h.kit.API(h.apiStudent))
	mux.HandleFunc("PUT /api/v1/students/{id}", h.kit.API(h.apiSaveStudent))
	mux.HandleFunc("GET /api/v1/students/{id}/history", h.kit.API(h.apiStudentHistory))
	mux.HandleFunc("POST /api/v1/imports/{entity}", h.kit.API(h.apiImport))
	mux.HandleFunc("GET /api/v1/imports/{entity}/template", h.kit.API(h.apiImportTemplate))

	mux.HandleFunc("GET /api/v1/units", h.kit.API(h.apiUnits))
	mux.HandleFunc("GET /api/v1/schools", h.kit.API(h.apiSchools))
	mux.HandleFunc("POST /api/v1/schools", h.kit.API(h.apiSaveSchool))
	mux.HandleFunc("GET /api/v1/schools/{code}", h.kit.API(h.apiSchool))
	mux.HandleFunc("PUT /api/v1/schools/{code}", h.kit.API(h.apiSaveSchool))
	mux.HandleFunc("GET /api/v1/schools/{code}/notices/{exam}", h.kit.API(h.apiNotices))

	mux.HandleFunc("GET /api/v1/staff", h.kit.API(h.apiStaffList))
	mux.HandleFunc("POST /api/v1/staff", h.kit.API(h.apiSaveStaff))
	mux.HandleFunc("GET /api/v1/staff/{id}", h.kit.API(h.apiStaff))
	mux.HandleFunc("PUT /api/v1/staff/{id}", h.kit.API(h.apiSaveStaff))

	mux.HandleFunc("GET /api/v1/venues", h.kit.API(h.apiVenues))
	mux.HandleFunc("GET /api/v1/venues/{code}", h.kit.API(h.apiVenue))
	mux.HandleFunc("PUT /api/v1/venues/{code}/rooms/{room}", h.kit.API(h.apiSaveRoom))
}
