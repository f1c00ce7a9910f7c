package web

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/draw"
)

// drawService is the draw service on the server's database and clock
// (the clock follows --today, as the application phase does).
func (s *Server) drawService() *draw.Service {
	svc := draw.NewService(s.db)
	svc.SetClock(s.apps.Now)
	return svc
}

// apiDrawRoutes are the JSON endpoints of package draw: staffing needs,
// the staff lists per role, the declarations of Neni 9 and the draws.
func (s *Server) apiDrawRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/staffing/{unit}", s.api(s.apiStaffing))
	mux.HandleFunc("GET /api/v1/draw-pools/{unit}", s.api(s.apiDrawPool))
	mux.HandleFunc("POST /api/v1/draw-pools/{unit}", s.api(s.apiDrawPoolAdd))
	mux.HandleFunc("POST /api/v1/draw-pools/{unit}/fill", s.api(s.apiDrawPoolFill))
	mux.HandleFunc("DELETE /api/v1/draw-pools/{unit}/{id}", s.api(s.apiDrawPoolRemove))
	mux.HandleFunc("POST /api/v1/staff-declarations", s.api(s.apiDeclare))
	mux.HandleFunc("GET /api/v1/draws", s.api(s.apiDraws))
	mux.HandleFunc("POST /api/v1/draws", s.api(s.apiCommitDraw))
	mux.HandleFunc("GET /api/v1/draws/{id}", s.api(s.apiDraw))
	mux.HandleFunc("POST /api/v1/draws/{id}/run", s.api(s.apiRunDraw))
	mux.HandleFunc("GET /api/v1/draws/{id}/assignments", s.api(s.apiDrawAssignments))
	// The published record: for anyone, no token (Neni 47.7: published lists).
	mux.HandleFunc("GET /api/v1/public/draws/{id}", s.apiPublicDraw)
}

// examQuery reads ?exam= (default D1) and ?session= (default 1).
func examQuery(r *http.Request) (string, int, error) {
	exam := strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("exam")))
	if exam == "" {
		exam = "D1"
	}
	session := 1
	if raw := r.URL.Query().Get("session"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || (n != 1 && n != 2) {
			return "", 0, apperr.New(apperr.Invalid, "Sesioni duhet të jetë 1 ose 2, jo «%s».", raw)
		}
		session = n
	}
	return exam, session, nil
}

func (s *Server) apiStaffing(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	exam, session, err := examQuery(r)
	if err != nil {
		return err
	}
	in, err := s.drawService().Needs(r.Context(), p, session, exam, r.PathValue("unit"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"year": in.Year, "session": in.Session, "exam": in.Exam, "unit": in.Unit,
		"exam_subjects": in.ExamSubjects, "venues": in.Venues, "totals": draw.Totals(in.Venues), "pool": in.Pool, "excluded": in.Excluded})
	return nil
}

func (s *Server) apiDrawPool(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	list, err := s.drawService().Pool(r.Context(), p, r.PathValue("unit"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(list)})
	return nil
}

func (s *Server) apiDrawPoolAdd(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		StaffID int64  `json:"staff_id"`
		Role    string `json:"role"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := s.drawService().AddToPool(r.Context(), p, r.PathValue("unit"), in.StaffID, strings.ToUpper(in.Role)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiDrawPoolFill(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	in := struct {
		Exam    string `json:"exam"`
		Session int    `json:"session"`
	}{Exam: "D1", Session: 1}
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	n, err := s.drawService().FillPool(r.Context(), p, in.Session, strings.ToUpper(in.Exam), r.PathValue("unit"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"added": n})
	return nil
}

func (s *Server) apiDrawPoolRemove(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := positiveID(r, "Punonjësi")
	if err != nil {
		return err
	}
	if err := s.drawService().RemoveFromPool(r.Context(), p, r.PathValue("unit"), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiDeclare(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		StaffID   int64  `json:"staff_id"`
		StudentID int64  `json:"student_id"`
		Relation  string `json:"relation"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := s.drawService().Declare(r.Context(), p, in.StaffID, in.StudentID, in.Relation)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, d)
	return nil
}

func (s *Server) apiDraws(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	list, err := s.drawService().List(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
	return nil
}

func (s *Server) apiCommitDraw(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in draw.CommitRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	in.Exam = strings.ToUpper(in.Exam)
	rec, err := s.drawService().Commit(r.Context(), p, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rec)
	return nil
}

func (s *Server) apiDraw(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := positiveID(r, "Shorti")
	if err != nil {
		return err
	}
	svc := s.drawService()
	rec, err := svc.Get(r.Context(), p, id)
	if err != nil {
		return err
	}
	return writeDrawDocument(w, r, rec, func(b *bytes.Buffer) error { return draw.WriteProtocol(b, rec, svc.Now()) },
		fmt.Sprintf("procesverbali-shortit-%d", rec.ID))
}

func (s *Server) apiRunDraw(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := positiveID(r, "Shorti")
	if err != nil {
		return err
	}
	var in struct {
		Entropy string `json:"entropy"`
	}
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	rec, err := s.drawService().Run(r.Context(), p, id, in.Entropy)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rec)
	return nil
}

func (s *Server) apiDrawAssignments(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := positiveID(r, "Shorti")
	if err != nil {
		return err
	}
	svc := s.drawService()
	rec, err := svc.Get(r.Context(), p, id)
	if err != nil {
		return err
	}
	if rec.Status != draw.StatusDrawn {
		return apperr.New(apperr.Conflict, "Shorti %d nuk është hedhur ende.", id)
	}
	return writeDrawDocument(w, r, map[string]any{"items": nonNil(draw.Lines(rec))},
		func(b *bytes.Buffer) error { return draw.WriteAssignmentList(b, rec, svc.Now()) },
		fmt.Sprintf("caktimi-%s-%d-%s", rec.Exam, rec.Year, rec.Unit))
}

func (s *Server) apiPublicDraw(w http.ResponseWriter, r *http.Request) {
	id, err := positiveID(r, "Shorti")
	if err == nil {
		var rec draw.Record
		if rec, err = s.drawService().Public(r.Context(), id); err == nil {
			writeJSON(w, http.StatusOK, rec)
			return
		}
	}
	if statusOf(err) == http.StatusInternalServerError {
		s.log.Error("api", "path", r.URL.Path, "err", err)
	}
	writeAPIError(w, err)
}

// writeDrawDocument answers v as JSON, or ?format=pdf as the PDF file.
func writeDrawDocument(w http.ResponseWriter, r *http.Request, v any, doc func(*bytes.Buffer) error, name string) error {
	switch format := r.URL.Query().Get("format"); format {
	case "", "json":
		writeJSON(w, http.StatusOK, v)
		return nil
	case "pdf":
	default:
		return apperr.New(apperr.Invalid, "Formati «%s» nuk njihet: json ose pdf.", format)
	}
	var buf bytes.Buffer
	if err := doc(&buf); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", mediaPDF)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name + ".pdf"}))
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
	return nil
}
