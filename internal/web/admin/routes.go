package admin

import "net/http"

// Routes registers the pages of the area. GET never changes state.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /perdoruesit", h.kit.Page(h.usersPage))
	mux.HandleFunc("POST /perdoruesit", h.kit.Page(h.createUser))
	mux.HandleFunc("POST /perdoruesit/{username}/gjendja", h.kit.Page(h.setUserDisabled))
	mux.HandleFunc("POST /perdoruesit/zgjedhur", h.kit.Page(h.selectedUsers))

	// Accounts in bulk with activation letters (issue 11, A5); the
	// activation page is public: its visitor has no password yet.
	mux.HandleFunc("GET /llogarite", h.kit.Page(h.accountsPage))
	mux.HandleFunc("POST /llogarite/shkolla", h.kit.Page(h.schoolAccounts))
	mux.HandleFunc("POST /llogarite/qendra", h.kit.Page(h.venueAccounts))
	mux.HandleFunc("GET /aktivizimi", h.activationPage)
	mux.HandleFunc("POST /aktivizimi", h.activate)
	mux.HandleFunc("GET /auditimi", h.kit.Page(h.auditPage))

	// Everyone reads the exam years; AVA creates a year by copying one,
	// edits its configuration and activates it.
	mux.HandleFunc("GET /vitet", h.kit.Page(h.yearsPage))
	mux.HandleFunc("POST /vitet", h.kit.Page(h.createYear))
	mux.HandleFunc("GET /vitet/{year}", h.kit.Page(h.yearPage))
	mux.HandleFunc("POST /vitet/{year}", h.kit.Page(h.updateYear))
	mux.HandleFunc("POST /vitet/{year}/aktivizo", h.kit.Page(h.activateYear))
}

// APIRoutes registers the API endpoints of the area (api/openapi.yaml).
func (h *Handler) APIRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/users", h.kit.API(h.apiUsers))
	mux.HandleFunc("POST /api/v1/users", h.kit.API(h.apiCreateUser))
	mux.HandleFunc("PUT /api/v1/users/{username}/disabled", h.kit.API(h.apiSetDisabled))
	mux.HandleFunc("PUT /api/v1/users/{username}/password", h.kit.API(h.apiSetPassword))
	mux.HandleFunc("POST /api/v1/users/disabled", h.kit.API(h.apiSetDisabledMany))
	mux.HandleFunc("POST /api/v1/users/activation-letters", h.kit.API(h.apiResetByLetter))
	mux.HandleFunc("POST /api/v1/accounts/schools/{code}", h.kit.API(h.apiSchoolAccounts))
	mux.HandleFunc("POST /api/v1/accounts/venues/{code}", h.kit.API(h.apiVenueAccounts))
	mux.HandleFunc("POST /api/v1/activation", h.kit.PublicAPI(h.apiActivate))
	mux.HandleFunc("GET /api/v1/audit", h.kit.API(h.apiAudit))
	mux.HandleFunc("GET /api/v1/audit/verify", h.kit.API(h.apiAuditVerify))

	mux.HandleFunc("GET /api/v1/years", h.kit.API(h.apiYears))
	mux.HandleFunc("POST /api/v1/years", h.kit.API(h.apiCreateYear))
	mux.HandleFunc("GET /api/v1/years/active", h.kit.API(h.apiActiveYear))
	mux.HandleFunc("GET /api/v1/years/{year}", h.kit.API(h.apiYear))
	mux.HandleFunc("PUT /api/v1/years/{year}", h.kit.API(h.apiUpdateYear))
	mux.HandleFunc("PUT /api/v1/years/{year}/active", h.kit.API(h.apiActivateYear))
}
