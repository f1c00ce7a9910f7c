package web

import (
	"encoding/csv"
	"errors"
	"net/http"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/registry"
)

type importView struct {
	Entities []struct{ Key, Label string }
	Entity   string
	Result   *registry.Result
	Rows     []registry.RowError
}

func (s *Server) importPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := auth.Require(p, auth.RoleAVA, auth.RoleKMSH, auth.RoleKSHMSH); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, 0, "import", "Importi", importView{Entities: registry.Entities, Entity: r.URL.Query().Get("lloji")}, nil)
}

func (s *Server) importUpload(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	v := importView{Entities: registry.Entities, Entity: r.FormValue("entity")}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		s.render(w, r, 0, "import", "Importi", v, apperr.New(apperr.Invalid, "Zgjidhni një skedar CSV ose XLSX."))
		return
	}
	defer f.Close()
	res, err := s.registry.Import(r.Context(), p, v.Entity, hdr.Filename, f, nil)
	if err != nil {
		var ie *registry.ImportError
		if errors.As(err, &ie) {
			v.Rows = ie.Rows
		}
		s.render(w, r, 0, "import", "Importi", v, err)
		return
	}
	v.Result = &res
	s.render(w, r, 0, "import", "Importi", v, nil)
}

// importTemplate serves an empty CSV with the expected header.
func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	entity := strings.TrimSuffix(r.PathValue("file"), ".csv")
	h := registry.Header(entity)
	if h == nil {
		s.fail(w, r, apperr.New(apperr.NotFound, "Nuk ka shabllon për «%s».", entity))
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+entity+`.csv"`)
	w.Write([]byte("\xef\xbb\xbf"))
	cw := csv.NewWriter(w)
	cw.Write(h)
	cw.Flush()
}
