package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/draw"
	"provim/internal/examyear"
	"provim/internal/registry"
)

func init() {
	funcs["drawRole"] = draw.RoleLabel
}

// drawRoutes are the pages of package draw: the staffing needs and lists
// of a region, the draws, and the public page of a draw (no login).
func (s *Server) drawRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /shorti", s.page(s.drawsPage))
	mux.HandleFunc("POST /shorti", s.page(s.commitDraw))
	mux.HandleFunc("POST /shorti/listat", s.page(s.fillDrawPool))
	mux.HandleFunc("GET /shorti/{id}", s.page(s.drawPage))
	mux.HandleFunc("POST /shorti/{id}/hidh", s.page(s.runDraw))
	mux.HandleFunc("GET /shorti/{id}/procesverbali.pdf", s.page(s.drawProtocolPDF))
	mux.HandleFunc("GET /shorti/{id}/caktimi.pdf", s.page(s.drawAssignmentsPDF))
	mux.HandleFunc("GET /shorti-publik/{id}", s.publicDrawPage)
}

type drawsView struct {
	Unit     registry.Unit
	Units    []registry.Unit
	Exam     string
	Session  int
	Exams    []subjectRef
	Needs    *draw.Inputs
	Totals   map[string]int
	Have     map[string]int
	Lists    []drawList
	Draws    []draw.Summary
	CanWrite bool
	Reason   string
}

type drawList struct {
	Role   string
	People []draw.Person
}

func (s *Server) drawsPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.renderDraws(w, r, p, nil)
}

func (s *Server) renderDraws(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	u, units, ok, err := s.unitParam(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := drawsView{Unit: u, Exam: strings.ToUpper(r.FormValue("provimi")), Session: atoi(r.FormValue("sesioni")), CanWrite: p.Role == auth.RoleKMSH,
		Reason: r.FormValue("reason")}
	if v.Exam == "" {
		v.Exam = examyear.KindD1
	}
	if v.Session != 2 {
		v.Session = 1
	}
	if p.Role == auth.RoleAVA {
		v.Units = units
	}
	if y, err := s.activeYear(r); err == nil {
		v.Exams = []subjectRef{{examyear.KindD1, "D1"}, {examyear.KindD2, "D2"}}
		for _, e := range y.Config.Electives() {
			v.Exams = append(v.Exams, subjectRef{e.Code, e.Name})
		}
	}
	svc := s.drawService()
	if v.Draws, err = svc.List(r.Context(), p); err != nil {
		s.fail(w, r, err)
		return
	}
	if ok {
		in, err := svc.Needs(r.Context(), p, v.Session, v.Exam, u.Code)
		if err != nil && actErr == nil {
			actErr = err
		}
		if err == nil {
			v.Needs, v.Totals, v.Have = &in, draw.Totals(in.Venues), map[string]int{}
			for _, role := range draw.Roles {
				l := drawList{Role: role}
				for _, person := range in.Pool {
					if person.Role == role {
						l.People = append(l.People, person)
					}
				}
				v.Have[role] = len(l.People)
				v.Lists = append(v.Lists, l)
			}
		}
	}
	s.render(w, r, 0, "draw_list", "Shorti i personelit", v, actErr)
}

func drawQuery(r *http.Request) url.Values {
	q := url.Values{}
	for _, k := range []string{"njesia", "provimi", "sesioni"} {
		if v := r.FormValue(k); v != "" {
			q.Set(k, v)
		}
	}
	return q
}

func (s *Server) fillDrawPool(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	u, _, _, err := s.unitParam(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	session := max(atoi(r.FormValue("sesioni")), 1)
	n, err := s.drawService().FillPool(r.Context(), p, session, strings.ToUpper(r.FormValue("provimi")), u.Code)
	if err != nil {
		s.renderDraws(w, r, p, err)
		return
	}
	redirectOK(w, r, "/shorti", drawQuery(r), fmt.Sprintf("U shtuan %d persona në listat emërore.", n))
}

func (s *Server) commitDraw(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	u, _, _, err := s.unitParam(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rec, err := s.drawService().Commit(r.Context(), p, draw.CommitRequest{Session: max(atoi(r.FormValue("sesioni")), 1),
		Exam: strings.ToUpper(r.FormValue("provimi")), Unit: u.Code, Reason: r.FormValue("reason")})
	if err != nil {
		s.renderDraws(w, r, p, err)
		return
	}
	redirectOK(w, r, "/shorti/"+strconv.FormatInt(rec.ID, 10), nil, "Angazhimi u publikua: "+rec.Commitment)
}

type drawView struct {
	Rec      draw.Record
	Lines    []draw.Line
	Totals   map[string]int
	CanRun   bool
	Public   bool
	JSONPath string
	// Verified: the page recomputed the drawn result from the published
	// record (draw.Verify); VerifyError names the first difference.
	Verified    bool
	VerifyError string
}

func (s *Server) drawView(rec draw.Record, canRun, public bool) drawView {
	v := drawView{Rec: rec, Lines: draw.Lines(rec), Totals: draw.Totals(rec.Inputs.Venues),
		CanRun: canRun && rec.Status == draw.StatusCommitted && rec.SupersededBy == 0, Public: public,
		JSONPath: "/api/v1/public/draws/" + strconv.FormatInt(rec.ID, 10)}
	if rec.Status == draw.StatusDrawn {
		if err := draw.Verify(rec); err != nil {
			v.VerifyError = err.Error()
		} else {
			v.Verified = true
		}
	}
	return v
}

func (s *Server) drawPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.renderDraw(w, r, p, nil)
}

func (s *Server) renderDraw(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	id, err := positiveID(r, "Shorti")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rec, err := s.drawService().Get(r.Context(), p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, 0, "draw_view", fmt.Sprintf("Shorti %d", id), s.drawView(rec, p.Role == auth.RoleKMSH, false), actErr)
}

func (s *Server) runDraw(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, err := positiveID(r, "Shorti")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.drawService().Run(r.Context(), p, id, r.FormValue("entropy")); err != nil {
		s.renderDraw(w, r, p, err)
		return
	}
	redirectOK(w, r, "/shorti/"+strconv.FormatInt(id, 10), nil, "Shorti u hodh. Fara, entropia dhe rezultati u publikuan.")
}

func (s *Server) drawPDF(w http.ResponseWriter, r *http.Request, p *auth.Principal, list bool) {
	id, err := positiveID(r, "Shorti")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	svc := s.drawService()
	rec, err := svc.Get(r.Context(), p, id)
	if err == nil && list && rec.Status != draw.StatusDrawn {
		err = apperr.New(apperr.Conflict, "Shorti %d nuk është hedhur ende.", id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	name := fmt.Sprintf("procesverbali-shortit-%d.pdf", id)
	if list {
		err = draw.WriteAssignmentList(&buf, rec, svc.Now())
		name = fmt.Sprintf("caktimi-%s-%d-%s.pdf", rec.Exam, rec.Year, rec.Unit)
	} else {
		err = draw.WriteProtocol(&buf, rec, svc.Now())
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", mediaPDF)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	buf.WriteTo(w)
}

func (s *Server) drawProtocolPDF(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.drawPDF(w, r, p, false)
}

func (s *Server) drawAssignmentsPDF(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.drawPDF(w, r, p, true)
}

// publicDrawPage shows the published record of a draw to anyone.
func (s *Server) publicDrawPage(w http.ResponseWriter, r *http.Request) {
	id, err := positiveID(r, "Shorti")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rec, err := s.drawService().Public(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, 0, "draw_view", fmt.Sprintf("Shorti %d", id), s.drawView(rec, false, true), nil)
}
