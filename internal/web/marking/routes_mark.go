package marking

import "net/http"

// markRoutes registers the pages of the central flow: the marker's queue
// and marking form, the third marker, the marking sheet, the paper
// sheets and the close (Neni 57.10, 57.13–57.14, 59.3).
func (h *Handler) markRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /vleresimi/{exam}/radha", h.kit.Page(h.queuePage))
	mux.HandleFunc("GET /vleresimi/{exam}/broshura/{code}", h.kit.Page(h.bookletPage))
	mux.HandleFunc("POST /vleresimi/{exam}/broshura/{code}", h.kit.Page(h.markForm))
	mux.HandleFunc("GET /vleresimi/{exam}/e-treta", h.kit.Page(h.thirdPage))
	mux.HandleFunc("POST /vleresimi/{exam}/e-treta", h.kit.Page(h.assignAllForm))
	mux.HandleFunc("POST /vleresimi/{exam}/e-treta/{code}", h.kit.Page(h.assignThirdForm))
	mux.HandleFunc("GET /vleresimi/{exam}/fleta/{code}", h.kit.Page(h.sheetPDF))
	mux.HandleFunc("GET /vleresimi/{exam}/letra", h.kit.Page(h.paperPage))
	mux.HandleFunc("POST /vleresimi/{exam}/letra", h.kit.Page(h.paperForm))
	mux.HandleFunc("GET /vleresimi/{exam}/mbyllja", h.kit.Page(h.closePage))
	mux.HandleFunc("POST /vleresimi/{exam}/mbyllja", h.kit.Page(h.closeForm))
	mux.HandleFunc("POST /vleresimi/{exam}/regjistrimi", h.kit.Page(h.registerForm))
	mux.HandleFunc("POST /vleresimi/{exam}/ndarja", h.kit.Page(h.allocateForm))
}

// markAPIRoutes registers the API endpoints of the central flow
// (api/openapi.yaml, "marking: marks").
func (h *Handler) markAPIRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/marking/{exam}/queue", h.kit.API(h.apiQueue))
	mux.HandleFunc("GET /api/v1/marking/{exam}/booklets/{code}", h.kit.API(h.apiBooklet))
	mux.HandleFunc("PUT /api/v1/marking/{exam}/booklets/{code}/marks", h.kit.API(h.apiMark))
	mux.HandleFunc("POST /api/v1/marking/{exam}/marks", h.kit.API(h.apiMarkMany))
	mux.HandleFunc("GET /api/v1/marking/{exam}/third", h.kit.API(h.apiThirdList))
	mux.HandleFunc("POST /api/v1/marking/{exam}/third", h.kit.API(h.apiAssignThirdAll))
	mux.HandleFunc("GET /api/v1/marking/{exam}/third/{code}", h.kit.API(h.apiLeadBooklet))
	mux.HandleFunc("PUT /api/v1/marking/{exam}/third/{code}", h.kit.API(h.apiAssignThird))
	mux.HandleFunc("GET /api/v1/marking/{exam}/third/{code}/suggestion", h.kit.API(h.apiSuggestThird))
	mux.HandleFunc("GET /api/v1/marking/{exam}/sheets/{code}", h.kit.API(h.apiSheet))
	mux.HandleFunc("POST /api/v1/marking/{exam}/paper", h.kit.API(h.apiPaper))
	mux.HandleFunc("GET /api/v1/marking/{exam}/progress", h.kit.API(h.apiProgress))
	mux.HandleFunc("POST /api/v1/marking/{exam}/register", h.kit.API(h.apiRegister))
	mux.HandleFunc("POST /api/v1/marking/{exam}/allocate", h.kit.API(h.apiAllocate))
	mux.HandleFunc("POST /api/v1/marking/{exam}/close", h.kit.API(h.apiClose))
}
