package admin

import (
	"net/http"

	"provim/internal/auth"
	"provim/internal/web/webkit"
)

type usersView struct {
	Users []auth.User
	Roles []auth.Role
	Form  auth.NewUser
}

func (h *Handler) usersPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderUsers(w, r, p, auth.NewUser{}, nil)
}

func (h *Handler) renderUsers(w http.ResponseWriter, r *http.Request, p *auth.Principal, form auth.NewUser, err error) {
	users, lerr := h.auth.ListUsers(r.Context(), p)
	if lerr != nil {
		h.kit.Fail(w, r, lerr)
		return
	}
	form.Password = ""
	h.kit.Render(w, r, 0, "users", "Përdoruesit", usersView{Users: users, Roles: auth.Roles, Form: form}, err)
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	n := auth.NewUser{Username: r.FormValue("username"), FullName: r.FormValue("full_name"), Password: r.FormValue("password"),
		Role: auth.Role(r.FormValue("role")), Unit: r.FormValue("unit_code"), School: r.FormValue("school_code"),
		Venue: r.FormValue("venue_code"), Subject: r.FormValue("subject")}
	id, err := webkit.Int64(r.FormValue("student_id"), "student_id", 0)
	n.StudentID = id
	if err == nil {
		_, err = h.auth.CreateUser(r.Context(), p, n)
	}
	if err != nil {
		h.renderUsers(w, r, p, n, err)
		return
	}
	webkit.RedirectOK(w, r, "/perdoruesit", nil, "Përdoruesi "+n.Username+" u krijua.")
}

func (h *Handler) setUserDisabled(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	name := r.PathValue("username")
	if err := h.auth.SetDisabled(r.Context(), p, name, r.FormValue("disabled") == "po"); err != nil {
		h.renderUsers(w, r, p, auth.NewUser{}, err)
		return
	}
	webkit.RedirectOK(w, r, "/perdoruesit", nil, "Gjendja e "+name+" u ndryshua.")
}
