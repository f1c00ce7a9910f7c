package web

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"

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

// pathID reads the numeric {id} of a student or staff path. Anything that
// is not a positive number names no record: not_found, with the message
// the registry gives for an unknown id; what names the object («Nxënësi»).
func pathID(r *http.Request, what string) (int64, error) {
	raw := r.PathValue("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.NotFound, "%s «%s» nuk u gjet.", what, raw)
	}
	return id, nil
}

// savedStatus is 201 when a save created the record, 200 when it updated
// (or left unchanged) an existing one.
func savedStatus(created bool) int {
	if created {
		return http.StatusCreated
	}
	return http.StatusOK
}

func (s *Server) apiStudentHistory(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := pathID(r, "Nxënësi")
	if err != nil {
		return err
	}
	st, err := s.registry.GetStudent(r.Context(), p, id)
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
	entity := r.PathValue("entity")
	if err := registry.KnownEntity(entity); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"entity": entity, "columns": registry.Header(entity)})
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
	list, total, err := s.registry.ListSchoolsPage(r.Context(), p, registry.SchoolFilter{Q: q.Get("q"), Unit: q.Get("unit"), Profile: q.Get("profile"),
		Page: registry.Page{Offset: atoi(q.Get("offset")), Limit: atoi(q.Get("limit"))}})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "items": nonNil(list)})
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
	if code := r.PathValue("code"); code != "" {
		if _, err := s.registry.GetSchool(r.Context(), p, code); err != nil {
			return err
		}
		in.Code = code
	}
	saved, created, err := s.registry.UpsertSchool(r.Context(), p, in)
	if err != nil {
		return err
	}
	writeJSON(w, savedStatus(created), saved)
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
	id, err := pathID(r, "Punonjësi")
	if err != nil {
		return err
	}
	st, err := s.registry.GetStaff(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// apiSaveStaff is POST /staff (upsert by personal number, ID ignored) and
// PUT /staff/{id} (that person only, keeping their personal number).
func (s *Server) apiSaveStaff(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var id int64
	if r.Method == http.MethodPut {
		var err error
		if id, err = pathID(r, "Punonjësi"); err != nil {
			return err
		}
	}
	var in registry.Staff
	if err := decode(r, &in); err != nil {
		return err
	}
	in.ID = id
	saved, created, err := s.registry.UpsertStaff(r.Context(), p, in)
	if err != nil {
		return err
	}
	writeJSON(w, savedStatus(created), saved)
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
	v, created, err := s.registry.UpsertRoom(r.Context(), p, in.Venue, in.Room)
	if err != nil {
		return err
	}
	writeJSON(w, savedStatus(created), v)
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
	id, err := pathID(r, "Nxënësi")
	if err != nil {
		return err
	}
	st, err := s.registry.GetStudent(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// apiSaveStudent is POST /students (upsert by personal number, ID ignored)
// and PUT /students/{id} (that student only, keeping their personal number).
func (s *Server) apiSaveStudent(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var id int64
	if r.Method == http.MethodPut {
		var err error
		if id, err = pathID(r, "Nxënësi"); err != nil {
			return err
		}
	}
	var in registry.Student
	if err := decode(r, &in); err != nil {
		return err
	}
	in.ID = id
	saved, created, err := s.registry.UpsertStudent(r.Context(), p, in)
	if err != nil {
		return err
	}
	writeJSON(w, savedStatus(created), saved)
	return nil
}

// multipartOverhead is what a multipart body may carry besides its file
// (boundaries, part headers, other small fields).
const multipartOverhead = 1 << 20

// apiImport imports the file of a multipart/form-data body (the part named
// "file"), or else the raw body, whatever its Content-Type, with the format
// taken from ?filename=. A body over the limit answers 413 and is never
// imported in part.
func (s *Server) apiImport(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	entity := r.PathValue("entity")
	// Refuse what cannot be imported before reading a byte.
	if err := registry.KnownEntity(entity); err != nil {
		return err
	}
	var res registry.Result
	err := withUpload(w, r, entity+".csv", func(name string, file io.Reader) (err error) {
		res, err = s.registry.Import(r.Context(), p, entity, name, file, nil)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// withUpload hands use the uploaded file of an import request: the part
// named "file" of a multipart body, or else the raw body named by
// ?filename= (defaultName when absent), bounded by registry.MaxFileSize.
func withUpload(w http.ResponseWriter, r *http.Request, defaultName string, use func(name string, file io.Reader) error) error {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	isMultipart := mediaType == "multipart/form-data"
	limit := int64(registry.MaxFileSize)
	if isMultipart {
		limit += multipartOverhead
	}
	if r.ContentLength > limit {
		return registry.ErrFileTooLarge
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	name := r.URL.Query().Get("filename")
	var file io.Reader = r.Body
	if isMultipart {
		part, err := importPart(r)
		if err != nil {
			return err
		}
		defer part.Close()
		if fn := part.FileName(); fn != "" {
			name = fn
		}
		file = part
	}
	if name == "" {
		name = defaultName
	}
	err := use(name, file)
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return registry.ErrFileTooLarge
	}
	return err
}

// importPart streams a multipart body up to its part named "file", without
// spooling the body to memory or disk first.
func importPart(r *http.Request) (*multipart.Part, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "Trupi multipart/form-data nuk lexohet: %v.", err)
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil, apperr.New(apperr.Invalid, "Mungon skedari: dërgojeni në pjesën «file» të trupit multipart/form-data.")
		}
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, registry.ErrFileTooLarge
		}
		if err != nil {
			return nil, apperr.New(apperr.Invalid, "Trupi multipart/form-data nuk lexohet: %v.", err)
		}
		if part.FormName() == "file" {
			return part, nil
		}
		part.Close()
	}
}
