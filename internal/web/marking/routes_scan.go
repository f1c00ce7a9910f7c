package marking

import "net/http"

// scanRoutes registers the pages of the scanned booklets (issue 14 item
// 8): AVA's upload and queue, and a booklet's scanned pages.
func (h *Handler) scanRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /vleresimi/{exam}/skanimet", h.kit.Page(h.scansPage))
	mux.HandleFunc("POST /vleresimi/{exam}/skanimet", h.kit.Page(h.uploadScansForm))
	mux.HandleFunc("POST /vleresimi/{exam}/skanimet/flamuri", h.kit.Page(h.scannedForm))
	mux.HandleFunc("GET /vleresimi/{exam}/skanimet/radha/{id}", h.kit.Page(h.queuedScanImage))
	mux.HandleFunc("POST /vleresimi/{exam}/skanimet/radha/{id}", h.kit.Page(h.resolveScanForm))
	mux.HandleFunc("GET /vleresimi/{exam}/broshura/{code}/skanimi/{no}", h.kit.Page(h.scanImage))
}

// scanAPIRoutes registers the API endpoints of the scanned booklets
// (api/openapi.yaml, "marking: scans").
func (h *Handler) scanAPIRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/marking/{exam}/scans", h.kit.API(h.apiScans))
	mux.HandleFunc("POST /api/v1/marking/{exam}/scans", h.kit.API(h.apiUploadScans))
	mux.HandleFunc("PUT /api/v1/marking/{exam}/scans/scanned", h.kit.API(h.apiSetScanned))
	mux.HandleFunc("GET /api/v1/marking/{exam}/scans/queue", h.kit.API(h.apiScanQueue))
	mux.HandleFunc("GET /api/v1/marking/{exam}/scans/queue/{id}", h.kit.API(h.apiQueuedScan))
	mux.HandleFunc("POST /api/v1/marking/{exam}/scans/queue/{id}", h.kit.API(h.apiResolveScan))
	mux.HandleFunc("GET /api/v1/marking/{exam}/booklets/{code}/scans/{no}", h.kit.API(h.apiScanImage))
}
