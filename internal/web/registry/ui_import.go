package registry

import (
	"encoding/csv"
	"errors"
	"net/http"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

type importView struct {
	Entities []struct{ Key, Label string }
	Entity   string
	Result   *registry.Result
	Rows     []registry.RowError
}

func (h *Handler) importPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := webkit.Allow(p, registry.MayImport(p)); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, 0, "import", "Importi", importView{Entities: registry.EntitiesFor(p), Entity: r.URL.Query().Get("lloji")}, nil)
}

func (h *Handler) importUpload(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	v := importView{Entities: registry.EntitiesFor(p), Entity: r.FormValue("entity")}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		h.kit.Render(w, r, 0, "import", "Importi", v, apperr.New(apperr.Invalid, "Zgjidhni një skedar CSV ose XLSX."))
		return
	}
	defer f.Close()
	res, err := h.registry.Import(r.Context(), p, v.Entity, hdr.Filename, f, nil)
	if err != nil {
		if ie, ok := errors.AsType[*registry.ImportError](err); ok {
			v.Rows = ie.Rows
		}
		h.kit.Render(w, r, 0, "import", "Importi", v, err)
		return
	}
	v.Result = &res
	h.kit.Render(w, r, 0, "import", "Importi", v, nil)
}

// importTemplate serves the CSV template: the expected header and one
// example row (registry.Template), which the import itself refuses.
func (h *Handler) importTemplate(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	entity := strings.TrimSuffix(r.PathValue("file"), ".csv")
	rows := registry.Template(entity)
	if rows == nil {
		h.kit.Fail(w, r, apperr.New(apperr.NotFound, "Nuk ka shabllon për «%s».", entity))
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+entity+`.csv"`)
	w.Write([]byte("\xef\xbb\xbf"))
	cw := csv.NewWriter(w)
	cw.WriteAll(rows) // the status is sent: a write error cannot be answered
}
