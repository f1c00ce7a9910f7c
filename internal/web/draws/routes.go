package draws

import "net/http"

// Routes registers the pages of the area. GET never changes state.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /shorti", h.kit.Page(h.drawsPage))
	mux.HandleFunc("POST /shorti", h.kit.Page(h.commitDraw))
	mux.HandleFunc("POST /shorti/listat", h.kit.Page(h.fillDrawPool))
	mux.HandleFunc("GET /shorti/{id}", h.kit.Page(h.drawPage))
	mux.HandleFunc("POST /shorti/{id}/hidh", h.kit.Page(h.runDraw))
	mux.HandleFunc("GET /shorti/{id}/procesverbali.pdf", h.kit.Page(h.protocolPDF))
	mux.HandleFunc("GET /shorti/{id}/caktimi.pdf", h.kit.Page(h.assignmentsPDF))
	// The published record: for anyone, no login (Neni 47.7).
	mux.HandleFunc("GET /shorti-publik/{id}", h.publicDrawPage)
}

// APIRoutes registers the API endpoints of the area (api/openapi.yaml).
func (h *Handler) APIRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/staffing/{unit}", h.kit.API(h.apiStaffing))
	mux.HandleFunc("GET /api/v1/draw-pools/{unit}", h.kit.API(h.apiDrawPool))
	mux.HandleFunc("POST /api/v1/draw-pools/{unit}", h.kit.API(h.apiDrawPoolAdd))
	mux.HandleFunc("POST /api/v1/draw-pools/{unit}/fill", h.kit.API(h.apiDrawPoolFill))
	mux.HandleFunc("DELETE /api/v1/draw-pools/{unit}/{id}", h.kit.API(h.apiDrawPoolRemove))
	mux.HandleFunc("POST /api/v1/staff-declarations", h.kit.API(h.apiDeclare))
	mux.HandleFunc("GET /api/v1/draws", h.kit.API(h.apiDraws))
	mux.HandleFunc("POST /api/v1/draws", h.kit.API(h.apiCommitDraw))
	mux.HandleFunc("GET /api/v1/draws/{id}", h.kit.API(h.apiDraw))
	mux.HandleFunc("POST /api/v1/draws/{id}/run", h.kit.API(h.apiRunDraw))
	mux.HandleFunc("GET /api/v1/draws/{id}/assignments", h.kit.API(h.apiDrawAssignments))
	// The published record: for anyone, no token (Neni 47.7: published lists).
	mux.HandleFunc("GET /api/v1/public/draws/{id}", h.kit.PublicAPI(h.apiPublicDraw))
}
