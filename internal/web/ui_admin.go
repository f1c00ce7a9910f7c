package web

import (
	"net/http"
	"net/url"

	"provim/internal/audit"
	"provim/internal/auth"
)

// adminRoutes are AVA's pages: users and the audit log, and exam years.
func (s *Server) adminRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /perdoruesit", s.page(s.usersPage))
	mux.HandleFunc("POST /perdoruesit", s.page(s.createUser))
	mux.HandleFunc("POST /perdoruesit/{username}/gjendja", s.page(s.setUserDisabled))
	mux.HandleFunc("GET /auditimi", s.page(s.auditPage))
	s.yearRoutes(mux)
}

type usersView struct {
	Users []auth.User
	Roles []auth.Role
	Form  auth.NewUser
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.renderUsers(w, r, p, auth.NewUser{}, nil)
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, p *auth.Principal, form auth.NewUser, err error) {
	users, lerr := s.auth.ListUsers(r.Context(), p)
	if lerr != nil {
		s.fail(w, r, lerr)
		return
	}
	form.Password = ""
	s.render(w, r, 0, "users", "Përdoruesit", usersView{Users: users, Roles: auth.Roles, Form: form}, err)
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	n := auth.NewUser{Username: r.FormValue("username"), FullName: r.FormValue("full_name"), Password: r.FormValue("password"),
		Role: auth.Role(r.FormValue("role")), Unit: r.FormValue("unit_code"), School: r.FormValue("school_code"),
		Venue: r.FormValue("venue_code"), Subject: r.FormValue("subject"), StudentID: atoi64(r.FormValue("student_id"))}
	if _, err := s.auth.CreateUser(r.Context(), p, n); err != nil {
		s.renderUsers(w, r, p, n, err)
		return
	}
	http.Redirect(w, r, "/perdoruesit?ok="+url.QueryEscape("Përdoruesi "+n.Username+" u krijua."), http.StatusSeeOther)
}

func (s *Server) setUserDisabled(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	name := r.PathValue("username")
	if err := s.auth.SetDisabled(r.Context(), p, name, r.FormValue("disabled") == "po"); err != nil {
		s.renderUsers(w, r, p, auth.NewUser{}, err)
		return
	}
	http.Redirect(w, r, "/perdoruesit?ok="+url.QueryEscape("Gjendja e "+name+" u ndryshua."), http.StatusSeeOther)
}

type auditView struct {
	Entries  []audit.Entry
	Verified int64
	Problem  *audit.Problem
	Checked  bool
	Type, ID string
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := auth.Require(p, auth.RoleAVA); err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	v := auditView{Type: q.Get("lloji"), ID: q.Get("id")}
	var err error
	v.Entries, err = audit.Query(r.Context(), s.db.DB, v.Type, v.ID, 200)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if q.Get("verifiko") != "" {
		v.Checked = true
		v.Verified, v.Problem, err = audit.Verify(r.Context(), s.db.DB)
		if err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, 0, "audit", "Auditimi", v, nil)
}
