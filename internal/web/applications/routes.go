package applications

import "net/http"

// Routes registers the pages of the area. GET never changes state.
func (h *Handler) Routes(mux *http.ServeMux) {
	// The student (ui_a1.go, ui_a2.go).
	mux.HandleFunc("GET /formulari", h.kit.Page(h.a1Page))
	mux.HandleFunc("POST /formulari", h.kit.Page(h.saveA1))
	mux.HandleFunc("GET /formulari/deshmi", h.kit.Page(h.a1Receipt))
	mux.HandleFunc("GET /formulari/a2", h.kit.Page(h.a2Page))
	mux.HandleFunc("POST /formulari/a2", h.kit.Page(h.saveA2))

	// The school commission, and KMSH/AVA for a school.
	mux.HandleFunc("GET /aplikimet", h.kit.Page(h.appsPage))
	mux.HandleFunc("POST /aplikimet/konfirmo", h.kit.Page(h.confirmApps))
	mux.HandleFunc("GET /aplikimet/i-ri", h.kit.Page(h.paperFormPage))
	mux.HandleFunc("POST /aplikimet/i-ri", h.kit.Page(h.savePaperForm))
	mux.HandleFunc("POST /aplikimet/i-ri/skedar", h.kit.Page(h.importPaperForms))
	mux.HandleFunc("GET /aplikimet/{id}", h.kit.Page(h.appPage))
	mux.HandleFunc("POST /aplikimet/{id}/korrigjo", h.kit.Page(h.correctApp))
	mux.HandleFunc("GET /aplikimet/tabela-t", h.kit.Page(h.tableTPage))
	mux.HandleFunc("GET /aplikimet/tabela-t.pdf", h.kit.Page(h.tableTPDF))
	mux.HandleFunc("GET /aplikimet/tabela-t.xlsx", h.kit.Page(h.tableTXLSX))
	mux.HandleFunc("POST /aplikimet/tabela-t/dergo", h.kit.Page(h.sendTableT))
	mux.HandleFunc("GET /aplikimet/mbetes", h.kit.Page(h.failingPage))
	mux.HandleFunc("POST /aplikimet/mbetes", h.kit.Page(h.markFailing))

	// The regional commission.
	mux.HandleFunc("GET /aplikimet/rajoni", h.kit.Page(h.regionPage))
	mux.HandleFunc("POST /aplikimet/rajoni/verifiko", h.kit.Page(h.verifySchool))
	mux.HandleFunc("POST /aplikimet/rajoni/dergo", h.kit.Page(h.sendUnit))
	mux.HandleFunc("POST /aplikimet/rajoni/mbetes", h.kit.Page(h.sendFailing))
	mux.HandleFunc("GET /aplikimet/kategori-te-vecanta", h.kit.Page(h.specialPage))
	mux.HandleFunc("POST /aplikimet/kategori-te-vecanta", h.kit.Page(h.saveSpecial))

	// AVA and the final lists.
	mux.HandleFunc("GET /aplikimet/ava", h.kit.Page(h.avaAppsPage))
	mux.HandleFunc("POST /aplikimet/ava/numrat", h.kit.Page(h.assignRegNos))
	mux.HandleFunc("POST /aplikimet/ava/listat", h.kit.Page(h.buildFinalLists))
	mux.HandleFunc("GET /aplikimet/ava/listat/konfirmo", h.kit.Page(h.finalListsConfirm))
	mux.HandleFunc("GET /listat", h.kit.Page(h.finalListsIndex))
	mux.HandleFunc("GET /listat/{exam}", h.kit.Page(h.finalListPage)) // also /listat/{exam}.pdf
}

// APIRoutes registers the API endpoints of the area (api/openapi.yaml).
func (h *Handler) APIRoutes(mux *http.ServeMux) {
	// Forms A1/A1z and their history.
	mux.HandleFunc("GET /api/v1/applications", h.kit.API(h.apiApplications))
	mux.HandleFunc("GET /api/v1/applications/{id}", h.kit.API(h.apiApplication))
	mux.HandleFunc("GET /api/v1/applications/{id}/history", h.kit.API(h.apiApplicationHistory))
	mux.HandleFunc("POST /api/v1/applications/a1", h.kit.API(h.apiFileA1))
	mux.HandleFunc("POST /api/v1/applications/special", h.kit.API(h.apiRegisterSpecial))
	mux.HandleFunc("POST /api/v1/application-imports/{form}", h.kit.API(h.apiImportForms))
	mux.HandleFunc("POST /api/v1/applications/{id}/corrections", h.kit.API(h.apiCorrectApplication))
	mux.HandleFunc("GET /api/v1/students/{id}/application", h.kit.API(h.apiStudentApplication))
	mux.HandleFunc("GET /api/v1/application-documents", h.kit.API(h.apiApplicationDocuments))

	// The school (KSHMSH): confirmation, table T, failing students.
	mux.HandleFunc("POST /api/v1/schools/{code}/applications/confirm", h.kit.API(h.apiConfirmApplications))
	mux.HandleFunc("GET /api/v1/schools/{code}/table-t", h.kit.API(h.apiTableT))
	mux.HandleFunc("POST /api/v1/schools/{code}/table-t/send", h.kit.API(h.apiSendTableT))
	mux.HandleFunc("POST /api/v1/schools/{code}/table-t/verify", h.kit.API(h.apiVerifyTableT))
	mux.HandleFunc("POST /api/v1/schools/{code}/failing", h.kit.API(h.apiMarkFailing))

	// The region (KMSH) and AVA.
	mux.HandleFunc("POST /api/v1/units/{code}/lists/send", h.kit.API(h.apiSendUnitLists))
	mux.HandleFunc("POST /api/v1/units/{code}/failing/send", h.kit.API(h.apiSendUnitFailing))
	mux.HandleFunc("POST /api/v1/registration-numbers", h.kit.API(h.apiAssignRegistrationNumbers))
	mux.HandleFunc("POST /api/v1/final-lists", h.kit.API(h.apiBuildFinalLists))
	mux.HandleFunc("GET /api/v1/final-lists/{exam}", h.kit.API(h.apiFinalList))

	// Form A2 and the study programmes.
	mux.HandleFunc("GET /api/v1/programmes", h.kit.API(h.apiProgrammes))
	mux.HandleFunc("PUT /api/v1/programmes", h.kit.API(h.apiSaveProgrammes))
	mux.HandleFunc("GET /api/v1/students/{id}/a2", h.kit.API(h.apiStudentA2))
	mux.HandleFunc("POST /api/v1/a2", h.kit.API(h.apiFileA2))

	// Earlier results and exclusions (AVA).
	mux.HandleFunc("GET /api/v1/students/{id}/results", h.kit.API(h.apiStudentResults))
	mux.HandleFunc("POST /api/v1/students/{id}/results", h.kit.API(h.apiRecordResults))
	mux.HandleFunc("POST /api/v1/students/{id}/exclusions", h.kit.API(h.apiRecordExclusion))
}
