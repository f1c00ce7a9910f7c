package marking

import "net/http"

// schemeRoutes registers the pages of the test and its marking scheme
// (Neni 19, 57.2–57.5, 59.2) and the public page of a published scheme.
func (h *Handler) schemeRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /vleresimi/{exam}/testi", h.kit.Page(h.testPage))
	mux.HandleFunc("POST /vleresimi/{exam}/testi", h.kit.Page(h.saveTestForm))
	mux.HandleFunc("POST /vleresimi/{exam}/testi/importi", h.kit.Page(h.importTestFile))
	mux.HandleFunc("POST /vleresimi/{exam}/testi/mbyll", h.kit.Page(h.settleTest))
	mux.HandleFunc("POST /vleresimi/{exam}/testi/rihap", h.kit.Page(h.reopenTest))
	mux.HandleFunc("POST /vleresimi/{exam}/testi/shpall", h.kit.Page(h.publishScheme))
	mux.HandleFunc("POST /vleresimi/{exam}/testi/grupi", h.kit.Page(h.addToGroup))
	mux.HandleFunc("POST /vleresimi/{exam}/testi/grupi/hiq", h.kit.Page(h.removeFromGroup))
	mux.HandleFunc("GET /skema/{year}/{exam}", h.publicSchemePage)
}

// schemeAPIRoutes registers the API endpoints of the test and its scheme.
func (h *Handler) schemeAPIRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/marking/{exam}/test", h.kit.API(h.apiTest))
	mux.HandleFunc("PUT /api/v1/marking/{exam}/test", h.kit.API(h.apiSaveTest))
	mux.HandleFunc("POST /api/v1/marking/{exam}/test/import", h.kit.API(h.apiImportTest))
	mux.HandleFunc("POST /api/v1/marking/{exam}/test/settle", h.kit.API(h.apiSettleTest))
	mux.HandleFunc("POST /api/v1/marking/{exam}/test/reopen", h.kit.API(h.apiReopenTest))
	mux.HandleFunc("POST /api/v1/marking/{exam}/test/publish", h.kit.API(h.apiPublishScheme))
	mux.HandleFunc("POST /api/v1/marking/{exam}/test/group", h.kit.API(h.apiAddToGroup))
	mux.HandleFunc("DELETE /api/v1/marking/{exam}/test/group/{username}", h.kit.API(h.apiRemoveFromGroup))
	mux.HandleFunc("GET /api/v1/public/schemes/{year}/{exam}", h.kit.PublicAPI(h.apiPublicScheme))
}
