package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/examyear"
)

// yearRoutes are the pages of the exam years: everyone reads them, AVA
// creates a year by copying one, edits its configuration and activates it.
func (s *Server) yearRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /vitet", s.page(s.yearsPage))
	mux.HandleFunc("POST /vitet", s.page(s.createYear))
	mux.HandleFunc("GET /vitet/{year}", s.page(s.yearPage))
	mux.HandleFunc("POST /vitet/{year}", s.page(s.updateYear))
	mux.HandleFunc("POST /vitet/{year}/aktivizo", s.page(s.activateYear))
}

type yearsView struct {
	Years []examyear.Year
	Form  struct{ Year, BasedOn int }
}

func (s *Server) yearsPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.renderYears(w, r, p, yearsView{}, nil)
}

func (s *Server) renderYears(w http.ResponseWriter, r *http.Request, p *auth.Principal, v yearsView, err error) {
	years, lerr := s.years.List(r.Context(), p)
	if lerr != nil {
		s.fail(w, r, lerr)
		return
	}
	v.Years = years
	if v.Form.Year == 0 && len(years) > 0 {
		v.Form.Year, v.Form.BasedOn = years[0].Year+1, years[0].Year
	}
	s.render(w, r, 0, "years", "Vitet e provimit", v, err)
}

func (s *Server) createYear(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	var v yearsView
	v.Form.Year, v.Form.BasedOn = atoi(r.FormValue("year")), atoi(r.FormValue("based_on"))
	y, err := s.years.Create(r.Context(), p, v.Form.Year, r.FormValue("name"), v.Form.BasedOn)
	if err != nil {
		s.renderYears(w, r, p, v, err)
		return
	}
	http.Redirect(w, r, "/vitet/"+strconv.Itoa(y.Year)+"?ok="+url.QueryEscape("Viti "+strconv.Itoa(y.Year)+" u krijua."), http.StatusSeeOther)
}

type yearView struct {
	Year       *examyear.Year
	ConfigJSON string
	CanEdit    bool
}

func (s *Server) yearPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	y, err := s.years.Get(r.Context(), p, atoi(r.PathValue("year")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderYear(w, r, p, y, "", nil)
}

func (s *Server) renderYear(w http.ResponseWriter, r *http.Request, p *auth.Principal, y *examyear.Year, configJSON string, err error) {
	if configJSON == "" {
		b, _ := json.MarshalIndent(y.Config, "", "  ")
		configJSON = string(b)
	}
	s.render(w, r, 0, "year", y.Name, yearView{Year: y, ConfigJSON: configJSON, CanEdit: p.IsNational()}, err)
}

func (s *Server) updateYear(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	year := atoi(r.PathValue("year"))
	y, err := s.years.Get(r.Context(), p, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	raw := r.FormValue("config")
	var cfg examyear.Config
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		s.renderYear(w, r, p, y, raw, apperr.New(apperr.Invalid, "Konfigurimi nuk është JSON i vlefshëm: %v.", err))
		return
	}
	if _, err := s.years.Update(r.Context(), p, year, r.FormValue("name"), cfg); err != nil {
		s.renderYear(w, r, p, y, raw, err)
		return
	}
	http.Redirect(w, r, "/vitet/"+strconv.Itoa(year)+"?ok="+url.QueryEscape("Konfigurimi u ruajt."), http.StatusSeeOther)
}

func (s *Server) activateYear(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	year := atoi(r.PathValue("year"))
	if err := s.years.SetActive(r.Context(), p, year); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/vitet/"+strconv.Itoa(year)+"?ok="+url.QueryEscape("Viti "+strconv.Itoa(year)+" është tani viti aktiv."), http.StatusSeeOther)
}
