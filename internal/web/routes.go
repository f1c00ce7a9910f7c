package web

import "net/http"

// uiRoutes is the route table of the web UI. GET never changes state.
func (s *Server) uiRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		if principalOf(r) == nil {
			http.Redirect(w, r, "/hyrje", http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, "/paneli", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /hyrje", s.loginPage)
	mux.HandleFunc("POST /hyrje", s.login)
	mux.HandleFunc("POST /dalje", s.page(s.logout))
	mux.HandleFunc("GET /paneli", s.page(s.dashboard))
	mux.HandleFunc("GET /llogaria", s.page(s.accountPage))
	mux.HandleFunc("POST /llogaria", s.page(s.changePassword))

	mux.HandleFunc("GET /nxenesit", s.page(s.studentsPage))
	mux.HandleFunc("GET /nxenesit/i-ri", s.page(s.newStudentPage))
	mux.HandleFunc("POST /nxenesit", s.page(s.saveStudent))
	mux.HandleFunc("GET /nxenesit/{id}", s.page(s.studentPage))
	mux.HandleFunc("POST /nxenesit/{id}", s.page(s.saveStudent))

	mux.HandleFunc("GET /importi", s.page(s.importPage))
	mux.HandleFunc("POST /importi", s.page(s.importUpload))
	mux.HandleFunc("GET /importi/shabllon/{file}", s.page(s.importTemplate))

	s.registryRoutes(mux)
	s.adminRoutes(mux)
	s.applicationRoutes(mux)
	s.venuesRoutes(mux)
	s.drawRoutes(mux)
	s.custodyRoutes(mux)
}

// registryRoutes are the pages of schools, staff, venues and units.
func (s *Server) registryRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /shkollat", s.page(s.schoolsPage))
	mux.HandleFunc("GET /shkollat/e-re", s.page(s.newSchoolPage))
	mux.HandleFunc("POST /shkollat", s.page(s.saveSchool))
	mux.HandleFunc("GET /shkollat/{code}", s.page(s.schoolPage))
	mux.HandleFunc("POST /shkollat/{code}", s.page(s.saveSchool))

	mux.HandleFunc("GET /personeli", s.page(s.staffPage))
	mux.HandleFunc("GET /personeli/i-ri", s.page(s.newStaffPage))
	mux.HandleFunc("POST /personeli", s.page(s.saveStaff))
	mux.HandleFunc("GET /personeli/{id}", s.page(s.staffMemberPage))
	mux.HandleFunc("POST /personeli/{id}", s.page(s.saveStaff))

	mux.HandleFunc("GET /qendrat", s.page(s.venuesPage))
	mux.HandleFunc("GET /qendrat/e-re", s.page(s.newVenuePage))
	mux.HandleFunc("POST /qendrat", s.page(s.saveRoom))
	mux.HandleFunc("GET /qendrat/{code}", s.page(s.venuePage))
	mux.HandleFunc("POST /qendrat/{code}", s.page(s.saveRoom))

	mux.HandleFunc("GET /njesite", s.page(s.unitsPage))
}
