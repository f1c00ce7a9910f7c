package admin

import (
	"net/http"

	"provim/internal/accounts"
	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

// ---- accounts in bulk (issue 11, A5) ----

type accountsView struct {
	ForSchool bool
	ForVenue  bool
	Schools   []registry.School
	Venues    []registry.Venue
	School    string
	Venue     string
}

// accountsPage offers what the caller may create in bulk: the accounts of
// a school's candidates (AVA, KSHMSH for its school), of a venue's drawn
// staff (AVA, KMSH for its DAR/ZA).
func (h *Handler) accountsPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderAccounts(w, r, p, nil)
}

func (h *Handler) renderAccounts(w http.ResponseWriter, r *http.Request, p *auth.Principal, err error) {
	v := accountsView{ForSchool: accounts.MayCreateForSchool(p), ForVenue: accounts.MayCreateForVenue(p),
		School: r.FormValue("shkolla"), Venue: r.FormValue("qendra")}
	if !v.ForSchool && !v.ForVenue {
		h.kit.Fail(w, r, apperr.New(apperr.Forbidden, "Llogaritë në grup i krijojnë AVA, KMSH dhe KSHMSH."))
		return
	}
	var lerr error
	if v.ForSchool {
		if v.Schools, lerr = h.registry.ListSchools(r.Context(), p, registry.SchoolFilter{}); lerr != nil {
			h.kit.Fail(w, r, lerr)
			return
		}
	}
	if v.ForVenue {
		if v.Venues, lerr = h.registry.ListVenues(r.Context(), p, ""); lerr != nil {
			h.kit.Fail(w, r, lerr)
			return
		}
	}
	h.kit.Render(w, r, 0, "accounts", "Llogaritë në grup", v, err)
}

// schoolAccounts creates the accounts of a school's candidates and
// answers with their letters (PDF).
func (h *Handler) schoolAccounts(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	res, err := h.accounts.ForSchool(r.Context(), p, r.FormValue("shkolla"))
	if err != nil {
		h.renderAccounts(w, r, p, err)
		return
	}
	if len(res.Letters) == 0 {
		webkit.RedirectOK(w, r, "/llogarite", nil, "Të gjitha llogaritë e shkollës janë aktivizuar: nuk u bë asnjë letër.")
		return
	}
	h.sendLetters(w, r, res.Letters, r.FormValue("shkolla"))
}

// venueAccounts creates the accounts of a venue's drawn staff and answers
// with their letters (PDF).
func (h *Handler) venueAccounts(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	res, err := h.accounts.ForVenue(r.Context(), p, r.FormValue("qendra"))
	if err != nil {
		h.renderAccounts(w, r, p, err)
		return
	}
	if len(res.Letters) == 0 {
		webkit.RedirectOK(w, r, "/llogarite", nil, "Të gjitha llogaritë e stafit të qendrës janë aktivizuar: nuk u bë asnjë letër.")
		return
	}
	h.sendLetters(w, r, res.Letters, r.FormValue("qendra"))
}

// ---- activation (public) ----

type activationView struct {
	Username string
	Done     bool
}

// activationPage is where a person sets their first password with the
// code of their letter. Anyone may open it; a signed-in user goes to the
// dashboard.
func (h *Handler) activationPage(w http.ResponseWriter, r *http.Request) {
	if webkit.Principal(r) != nil {
		http.Redirect(w, r, "/paneli", http.StatusSeeOther)
		return
	}
	h.kit.Render(w, r, 0, "activation", "Aktivizimi i llogarisë", activationView{Done: r.URL.Query().Get("u-aktivizua") == "po"}, nil)
}

func (h *Handler) activate(w http.ResponseWriter, r *http.Request) {
	v := activationView{Username: r.FormValue("username")}
	var err error
	if r.FormValue("password") != r.FormValue("again") {
		err = apperr.New(apperr.Invalid, "Fjalëkalimi dhe përsëritja e tij nuk janë njësoj.")
	} else {
		_, err = h.auth.Activate(r.Context(), r.FormValue("username"), r.FormValue("code"), r.FormValue("password"), webkit.ClientAddr(r))
	}
	if err != nil {
		h.kit.Render(w, r, webkit.StatusOf(err), "activation", "Aktivizimi i llogarisë", v, err)
		return
	}
	// No session exists yet to carry a flash: the page's own fixed
	// sentence says it, keyed by the address.
	http.Redirect(w, r, "/aktivizimi?u-aktivizua=po", http.StatusSeeOther)
}
