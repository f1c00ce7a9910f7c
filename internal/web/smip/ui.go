package smip

import (
	"net/http"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/results"
)

// AVA's page of the export: each year's file in CSV and JSON, and how
// SMIP reads the changes with its token.

type indexView struct {
	Years []int
}

func (h *Handler) indexPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if !results.MayExportResults(p) {
		h.kit.Fail(w, r, apperr.New(apperr.Forbidden, "Eksportin e rezultateve e merr vetëm AVA."))
		return
	}
	ys, err := h.years.List(r.Context(), p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := indexView{}
	for _, y := range ys {
		v.Years = append(v.Years, y.Year)
	}
	h.kit.Render(w, r, http.StatusOK, "smip_index", "Eksporti i rezultateve", v, nil)
}

// fileUI is the year's file for AVA's session (the same stream as the API).
func (h *Handler) fileUI(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := h.stream(w, r, p); err != nil {
		h.kit.Fail(w, r, err)
	}
}
