package remark

import "net/http"

// Routes registers the pages of the area. GET never changes state.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /rivleresimi", h.kit.Page(h.indexPage))
	// The candidate (Neni 64 ¶1) and the test copy.
	mux.HandleFunc("POST /rivleresimi/{exam}/kerkesa", h.kit.Page(h.fileForm))
	mux.HandleFunc("POST /rivleresimi/{exam}/kopja", h.kit.Page(h.copyForm))
	mux.HandleFunc("GET /rivleresimi/{exam}/kopja", h.kit.Page(h.copyPage))
	mux.HandleFunc("GET /rivleresimi/{exam}/kopja/faqe/{no}", h.kit.Page(h.copyScan))
	// The school and the KMSH (¶1–2).
	mux.HandleFunc("POST /rivleresimi/letra", h.kit.Page(h.paperForm))
	mux.HandleFunc("GET /rivleresimi/njoftimi.pdf", h.kit.Page(h.noticePDF))
	mux.HandleFunc("POST /rivleresimi/{exam}/perciell", h.kit.Page(h.forwardForm))
	mux.HandleFunc("POST /rivleresimi/{exam}/refuzo/{regno}", h.kit.Page(h.refuseForm))
	// AVA and the subject's lead (¶3–4).
	mux.HandleFunc("GET /rivleresimi/{exam}/grupi", h.kit.Page(h.casesPage))
	mux.HandleFunc("POST /rivleresimi/{exam}/grupi", h.kit.Page(h.startForm))
	mux.HandleFunc("POST /rivleresimi/{exam}/e-treta/{code}", h.kit.Page(h.thirdForm))
	mux.HandleFunc("POST /rivleresimi/{exam}/dergo", h.kit.Page(h.sendForm))
	mux.HandleFunc("GET /rivleresimi/kopjet", h.kit.Page(h.copiesPage))
	mux.HandleFunc("POST /rivleresimi/kopjet", h.kit.Page(h.answerForm))
	// The re-marker (¶3).
	mux.HandleFunc("GET /rivleresimi/{exam}/test/{code}", h.kit.Page(h.bookletPage))
	mux.HandleFunc("POST /rivleresimi/{exam}/test/{code}", h.kit.Page(h.markForm))
	mux.HandleFunc("GET /rivleresimi/{exam}/test/{code}/faqe/{no}", h.kit.Page(h.bookletScan))
}

// APIRoutes registers the API endpoints of the area (api/openapi.yaml,
// "remark").
func (h *Handler) APIRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/remark/mine", h.kit.API(h.apiMine))
	mux.HandleFunc("GET /api/v1/remark/{exam}/request", h.kit.API(h.apiRequest))
	mux.HandleFunc("POST /api/v1/remark/{exam}/request", h.kit.API(h.apiFile))
	mux.HandleFunc("GET /api/v1/remark/{exam}/copy", h.kit.API(h.apiCopy))
	mux.HandleFunc("POST /api/v1/remark/{exam}/copy", h.kit.API(h.apiRequestCopy))
	mux.HandleFunc("GET /api/v1/remark/{exam}/copy/scans/{no}", h.kit.API(h.apiCopyScan))
	mux.HandleFunc("GET /api/v1/remark/requests", h.kit.API(h.apiRequests))
	mux.HandleFunc("POST /api/v1/remark/{exam}/requests", h.kit.API(h.apiPaper))
	mux.HandleFunc("GET /api/v1/remark/{exam}/requests/{regno}", h.kit.API(h.apiScoped))
	mux.HandleFunc("POST /api/v1/remark/{exam}/requests/{regno}/refuse", h.kit.API(h.apiRefuse))
	mux.HandleFunc("POST /api/v1/remark/{exam}/forward", h.kit.API(h.apiForward))
	mux.HandleFunc("GET /api/v1/remark/{exam}/cases", h.kit.API(h.apiCases))
	mux.HandleFunc("POST /api/v1/remark/{exam}/start", h.kit.API(h.apiStart))
	mux.HandleFunc("PUT /api/v1/remark/{exam}/cases/{code}/third", h.kit.API(h.apiThird))
	mux.HandleFunc("POST /api/v1/remark/{exam}/send", h.kit.API(h.apiSend))
	mux.HandleFunc("GET /api/v1/remark/queue", h.kit.API(h.apiQueue))
	mux.HandleFunc("GET /api/v1/remark/{exam}/booklets/{code}", h.kit.API(h.apiBooklet))
	mux.HandleFunc("PUT /api/v1/remark/{exam}/booklets/{code}/marks", h.kit.API(h.apiMark))
	mux.HandleFunc("GET /api/v1/remark/copies", h.kit.API(h.apiCopies))
	mux.HandleFunc("PUT /api/v1/remark/{exam}/copies/{regno}", h.kit.API(h.apiAnswer))
}
