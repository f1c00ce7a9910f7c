package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"provim/internal/accounts"
	"provim/internal/albanian"
	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/web/webkit"
)

// usersPageSize is the rows of one page of the users list.
const usersPageSize = 50

type usersView struct {
	Users    []auth.Account
	Scopes   []string // the scope of each of Users, by name (accounts.ScopeLabels)
	Total    int
	Filter   auth.UserFilter
	Prev     int
	Next     int
	Roles    []auth.Role
	Statuses [][2]string
	Form     auth.NewUser
	// StudentRef is what was typed for a student account: a personal
	// number or a registration number, never a database id.
	StudentRef string
	// StaffRef is the personal number of the member of staff an account
	// is linked to.
	StaffRef string
}

var userStatuses = [][2]string{{auth.StatusActive, "Aktiv"}, {auth.StatusDisabled, "Çaktivizuar"}, {auth.StatusPending, "Pa aktivizuar"}}

// userFilter reads the filters of the users page from its address.
func userFilter(r *http.Request) (auth.UserFilter, error) {
	q := r.URL.Query()
	offset, err := webkit.Offset(q.Get("nga"), "nga")
	return auth.UserFilter{Q: q.Get("q"), Role: auth.Role(q.Get("roli")), Status: q.Get("gjendja"), Offset: offset, Limit: usersPageSize}, err
}

func (h *Handler) usersPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderUsers(w, r, p, auth.NewUser{}, "", nil)
}

func (h *Handler) renderUsers(w http.ResponseWriter, r *http.Request, p *auth.Principal, form auth.NewUser, ref string, err error) {
	f, ferr := userFilter(r)
	if ferr != nil {
		h.kit.Fail(w, r, ferr)
		return
	}
	users, total, lerr := h.auth.SearchUsers(r.Context(), p, f)
	if lerr != nil {
		h.kit.Fail(w, r, lerr)
		return
	}
	form.Password = ""
	ps := make([]*auth.Principal, len(users))
	for i := range users {
		ps[i] = users[i].Principal()
	}
	v := usersView{Users: users, Scopes: h.accounts.ScopeLabels(r.Context(), ps), Total: total, Filter: f, Roles: auth.Roles, Statuses: userStatuses, Form: form, StudentRef: ref,
		StaffRef: r.FormValue("staff"), Prev: -1, Next: -1}
	if f.Offset > 0 {
		v.Prev = max(0, f.Offset-usersPageSize)
	}
	if f.Offset+usersPageSize < total {
		v.Next = f.Offset + usersPageSize
	}
	h.kit.Render(w, r, 0, "users", "Përdoruesit", v, err)
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	n := auth.NewUser{Username: r.FormValue("username"), FullName: r.FormValue("full_name"), Password: r.FormValue("password"),
		Role: auth.Role(r.FormValue("role")), Unit: r.FormValue("unit_code"), School: r.FormValue("school_code"),
		Venue: r.FormValue("venue_code"), Subject: r.FormValue("subject")}
	ref := r.FormValue("student")
	// Issue 11, part C: the student or member of staff is named by the
	// numbers people type, never by a database id.
	n, err := h.accounts.Link(r.Context(), p, n, ref, r.FormValue("staff"))
	if err == nil {
		_, err = h.auth.CreateUser(r.Context(), p, n)
	}
	if err != nil {
		h.renderUsers(w, r, p, n, ref, err)
		return
	}
	webkit.RedirectOK(w, r, "/perdoruesit", url.Values{"q": {n.Username}}, "Përdoruesi "+n.Username+" u krijua.")
}

func (h *Handler) setUserDisabled(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	name := r.PathValue("username")
	if err := h.auth.SetDisabled(r.Context(), p, name, r.FormValue("disabled") == "po"); err != nil {
		h.renderUsers(w, r, p, auth.NewUser{}, "", err)
		return
	}
	webkit.RedirectOK(w, r, "/perdoruesit", backQuery(r), "Gjendja e "+name+" u ndryshua.")
}

// backQuery keeps the filters of the list a form was posted from.
func backQuery(r *http.Request) url.Values {
	q := url.Values{}
	for _, k := range []string{"q", "roli", "gjendja", "nga"} {
		if v := r.FormValue("kthim_" + k); v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// selectedUsers acts on the accounts checked in the list: enable,
// disable, or reset their passwords with new activation letters (the PDF
// is the answer: the codes exist only in it).
func (h *Handler) selectedUsers(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	names := r.Form["perdoruesi"]
	switch action := r.FormValue("veprimi"); action {
	case "aktivizo", "caktivizo":
		n, err := h.auth.SetDisabledMany(r.Context(), p, names, action == "caktivizo")
		if err != nil {
			h.renderUsers(w, r, p, auth.NewUser{}, "", err)
			return
		}
		msg := strconv.Itoa(n) + " llogari u aktivizua"
		switch {
		case action == "caktivizo" && n == 1:
			msg = "1 llogari u çaktivizua"
		case action == "caktivizo":
			msg = thousands(n) + " llogari u çaktivizuan"
		case n != 1:
			msg = thousands(n) + " llogari u aktivizuan"
		}
		webkit.RedirectOK(w, r, "/perdoruesit", backQuery(r), msg+".")
	case "rivendos":
		if len(names) == 0 {
			h.renderUsers(w, r, p, auth.NewUser{}, "", apperr.New(apperr.Invalid, "Zgjidhni të paktën një përdorues."))
			return
		}
		letters, err := h.auth.ResetByLetter(r.Context(), p, names)
		if err != nil {
			h.renderUsers(w, r, p, auth.NewUser{}, "", err)
			return
		}
		h.sendLetters(w, r, letters, "rivendosje")
	default:
		h.renderUsers(w, r, p, auth.NewUser{}, "", apperr.New(apperr.Invalid, "Veprimi «%s» nuk njihet: aktivizo, caktivizo ose rivendos.", action))
	}
}

// sendLetters answers with the PDF of the letters. It is the one answer
// to a POST that is not a redirect: the codes are made by the POST and
// kept nowhere, so there is no page to redirect to.
func (h *Handler) sendLetters(w http.ResponseWriter, r *http.Request, letters []auth.Letter, what string) {
	h.accounts.NameLetters(r.Context(), letters)
	body, err := accounts.Letters(letters, siteOf(r)+"/aktivizimi", h.clock.Now())
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	webkit.SendFile(w, "application/pdf", accounts.LettersFile(webkit.FileName(what))+".pdf", body)
}

// siteOf is the address people type to reach this server, for the letters.
func siteOf(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// thousands writes n with the Albanian thousands separator: 36.110.
func thousands(n int) string { return albanian.Int(n) }

// pageOf is "1–50 nga 1.234", the rows a page shows of a list.
func pageOf(offset, n, total int) string {
	if n == 0 {
		return "0 nga " + thousands(total)
	}
	return fmt.Sprintf("%s–%s nga %s", thousands(offset+1), thousands(offset+n), thousands(total))
}
