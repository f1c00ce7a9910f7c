package web

import (
	"net/http"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/registry"
)

func (s *Server) apiRegistryRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/students", s.api(s.apiStudents))
	mux.HandleFunc("POST /api/v1/students", s.api(s.apiSaveStudent))
	mux.HandleFunc("GET /api/v1/students/{id}", s.api(s.apiStudent))
	mux.HandleFunc("PUT /api/v1/students/{id}", s.api(s.apiSaveStudent))
	mux.HandleFunc("GET /api/v1/students/{id}/history", s.api(s.apiStudentHistory))
	mux.HandleFunc("POST /api/v1/imports/{entity}", s.api(s.apiImport))
	mux.HandleFunc("GET /api/v1/imports/{entity}/template", s.api(s.apiImportTemplate))

	mux.HandleFunc("GET /api/v1/units", s.api(s.apiUnits))
	mux.HandleFunc("GET /api/v1/schools", s.api(s.apiSchools))
	mux.HandleFunc("POST /api/v1/schools", s.api(s.apiSaveSchool))
	mux.HandleFunc("GET /api/v1/schools/{code}", s.api(s.apiSchool))
	mux.HandleFunc("PUT /api/v1/schools/{code}", s.api(s.apiSaveSchool))

	mux.HandleFunc("GET /api/v1/staff", s.api(s.apiStaffList))
	mux.HandleFunc("POST /api/v1/staff", s.api(s.apiSaveStaff))
	mux.HandleFunc("GET /api/v1/staff/{id}", s.api(s.apiStaff))
	mux.HandleFunc("PUT /api/v1/staff/{id}", s.api(s.apiSaveStaff))

	mux.HandleFunc("GET /api/v1/venues", s.api(s.apiVenues))
	mux.HandleFunc("GET /api/v1/venues/{code}", s.api(s.apiVenue))
	mux.HandleFunc("PUT /api/v1/venues/{code}/rooms/{room}", s.api(s.apiSaveRoom))
}

func (s *Server) apiStudentHistory(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	st, err := s.registry.GetStudent(r.Context(), p, atoi64(r.PathValue("id")))
	if err != nil {
		return err
	}
	// The history names who changed what: for the commissions, not the student.
	if err := auth.Require(p, auth.RoleAVA, auth.RoleKMSH, auth.RoleKSHMSH); err != nil {
		return err
	}
	h, err := s.registry.History(r.Context(), "student", st.PersonalNo)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(h)})
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (s *Server) apiImportTemplate(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	h := registry.Header(r.PathValue("entity"))
	if h == nil {
		return apperr.New(apperr.NotFound, "Nuk ka shabllon për «%s».", r.PathValue("entity"))
	}
	writeJSON(w, http.StatusOK, map[string]any{"entity": r.PathValue("entity"), "columns": h})
	return nil
}

func (s *Server) apiUnits(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	list, err := s.registry.ListUnits(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(list)})
	return nil
}

func (s *Server) apiSchools(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	q := r.URL.Query()
	list, err := s.registry.ListSchools(r.Context(), p, registry.SchoolFilter{Q: q.Get("q"), Unit: q.Get("unit"), Profile: q.Get("profile"),
		Page: registry.Page{Offset: atoi(q.Get("offset")), Limit: atoi(q.Get("limit"))}})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(list)})
	return nil
}

func (s *Server) apiSchool(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	sc, err := s.registry.GetSchool(r.Context(), p, r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sc)
	return nil
}

func (s *Server) apiSaveSchool(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in registry.School
	if err := decode(r, &in); err != nil {
		return err
	}
	status := http.StatusCreated
	if code := r.PathValue("code"); code != "" {
		if _, err := s.registry.GetSchool(r.Context(), p, code); err != nil {
			return err
		}
		in.Code, status = code, http.StatusOK
	}
	saved, err := s.registry.SaveSchool(r.Context(), p, in)
	if err != nil {
		return err
	}
	writeJSON(w, status, saved)
	return nil
}

func (s *Server) apiStaffList(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	q := r.URL.Query()
	list, total, err := s.registry.ListStaff(r.Context(), p, registry.StaffFilter{Q: q.Get("q"), Unit: q.Get("unit"), School: q.Get("school"),
		Position: q.Get("position"), Page: registry.Page{Offset: atoi(q.Get("offset")), Limit: atoi(q.Get("limit"))}})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "items": nonNil(list)})
	return nil
}

func (s *Server) apiStaff(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	st, err := s.registry.GetStaff(r.Context(), p, atoi64(r.PathValue("id")))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *Server) apiSaveStaff(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in registry.Staff
	if err := decode(r, &in); err != nil {
		return err
	}
	in.ID = atoi64(r.PathValue("id"))
	saved, err := s.registry.SaveStaff(r.Context(), p, in)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if in.ID == 0 {
		status = http.StatusCreated
	}
	writeJSON(w, status, saved)
	return nil
}

func (s *Server) apiVenues(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	list, err := s.registry.ListVenues(r.Context(), p, r.URL.Query().Get("unit"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(list)})
	return nil
}

func (s *Server) apiVenue(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	v, err := s.registry.GetVenue(r.Context(), p, r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// apiSaveRoom creates or updates one room; the body carries the venue's
// fields too, so the first room creates the venue.
func (s *Server) apiSaveRoom(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		Venue registry.Venue `json:"venue"`
		Room  registry.Room  `json:"room"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	in.Venue.Code = r.PathValue("code")
	in.Room.Name = r.PathValue("room")
	if old, err := s.registry.GetVenue(r.Context(), p, in.Venue.Code); err == nil && in.Venue.Name == "" {
		old.Rooms = nil
		in.Venue = old
	}
	v, err := s.registry.SaveRoom(r.Context(), p, in.Venue, in.Room)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) apiStudents(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	q := r.URL.Query()
	f := registry.StudentFilter{Q: q.Get("q"), School: q.Get("school"), Unit: q.Get("unit"), Category: q.Get("category"),
		Page: registry.Page{Offset: atoi(q.Get("offset")), Limit: atoi(q.Get("limit"))}}
	list, total, err := s.registry.ListStudents(r.Context(), p, f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []registry.Student{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "items": list})
	return nil
}

func (s *Server) apiStudent(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	st, err := s.registry.GetStudent(r.Context(), p, atoi64(r.PathValue("id")))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *Server) apiSaveStudent(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in registry.Student
	if err := decode(r, &in); err != nil {
		return err
	}
	in.ID = atoi64(r.PathValue("id"))
	saved, err := s.registry.SaveStudent(r.Context(), p, in)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if in.ID == 0 {
		status = http.StatusCreated
	}
	writeJSON(w, status, saved)
	return nil
}

// apiImport takes a multipart "file", or the raw body with ?filename=.
func (s *Server) apiImport(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	entity := r.PathValue("entity")
	var res registry.Result
	var err error
	if f, hdr, ferr := r.FormFile("file"); ferr == nil {
		defer f.Close()
		res, err = s.registry.Import(r.Context(), p, entity, hdr.Filename, f, nil)
	} else {
		name := r.URL.Query().Get("filename")
		if name == "" {
			name = entity + ".csv"
		}
		res, err = s.registry.Import(r.Context(), p, entity, name, http.MaxBytesReader(w, r.Body, 64<<20), nil)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}
