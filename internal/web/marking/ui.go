package marking

import (
	"fmt"
	"net/http"
	"net/url"

	"provim/internal/auth"
	"provim/internal/marking"
	"provim/internal/web/webkit"
)

type indexView struct {
	Year  int
	Exams []examRow
	P     *auth.Principal
}

// examRow is an exam of the index with the links to the parts of its
// marking the caller may open (the domain says which: marking.Parts).
type examRow struct {
	marking.Exam
	Links  []webkit.Link
	Scheme string // the public scheme's page, once published (Neni 57.5)
}

// partPaths are the pages of the parts of an exam's marking.
var partPaths = map[string]string{
	"test": "testi", "markers": "vleresuesit", "training": "trajnimi", "queue": "radha", "third": "e-treta",
	"paper": "letra", "monitoring": "monitorimi", "copying": "kopjimi", "quality": "cilesia", "progress": "mbyllja",
	"scans": "skanimet",
}

// indexPage is the marking's home: the exams of the year, each with the
// parts the caller may open; exams with nothing for the caller are left
// out.
func (h *Handler) indexPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := webkit.Allow(p, marking.MayOpenMarking(p)); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	y, exams, err := h.marking.Exams(r.Context(), 0)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := indexView{Year: y, P: p}
	for _, e := range exams {
		row := examRow{Exam: e}
		for _, part := range h.marking.Parts(r.Context(), p, y, e.Code) {
			row.Links = append(row.Links, webkit.Link{Href: markPath(e.Code, partPaths[part.Key]), Label: part.Label})
		}
		if _, err := h.marking.PublicScheme(r.Context(), y, e.Code); err == nil {
			row.Scheme = fmt.Sprintf("/skema/%d/%s", y, url.PathEscape(e.Code))
		}
		if len(row.Links) > 0 || row.Scheme != "" {
			v.Exams = append(v.Exams, row)
		}
	}
	h.kit.Render(w, r, 0, "marking_index", "Vlerësimi i testeve", v, nil)
}

func (h *Handler) apiExams(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, marking.MayOpenMarking(p)); err != nil {
		return err
	}
	y, exams, err := h.marking.Exams(r.Context(), 0)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"year": y, "items": webkit.NonNil(exams)})
	return nil
}
