package admin

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/web/webkit"
)

type yearsView struct {
	Years   []examyear.Year
	Form    struct{ Year, BasedOn int }
	CanEdit bool
}

func (h *Handler) yearsPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderYears(w, r, p, yearsView{}, nil)
}

func (h *Handler) renderYears(w http.ResponseWriter, r *http.Request, p *auth.Principal, v yearsView, err error) {
	years, lerr := h.years.List(r.Context(), p)
	if lerr != nil {
		h.kit.Fail(w, r, lerr)
		return
	}
	v.Years, v.CanEdit = years, examyear.MayEdit(p)
	if v.Form.Year == 0 && len(years) > 0 {
		v.Form.Year, v.Form.BasedOn = years[0].Year+1, years[0].Year
	}
	h.kit.Render(w, r, 0, "years", "Vitet e provimit", v, err)
}

func (h *Handler) createYear(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	var v yearsView
	f := webkit.Form(r)
	v.Form.Year, v.Form.BasedOn = f.Int("year"), f.Int("based_on")
	err := f.Err()
	var y *examyear.Year
	if err == nil {
		y, err = h.years.Create(r.Context(), p, v.Form.Year, r.FormValue("name"), v.Form.BasedOn)
	}
	if err != nil {
		h.renderYears(w, r, p, v, err)
		return
	}
	webkit.RedirectOK(w, r, "/vitet/"+strconv.Itoa(y.Year), nil, "Viti "+strconv.Itoa(y.Year)+" u krijua.")
}

type yearView struct {
	Year       *examyear.Year
	ConfigJSON string
	CanEdit    bool
}

// pathYear reads {year}: a path that is not a year names no exam year.
func pathYear(r *http.Request) (int, error) {
	year, err := webkit.PathID(r, "year", "Viti i provimeve")
	return int(year), err
}

func (h *Handler) yearPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	year, err := pathYear(r)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	y, err := h.years.Get(r.Context(), p, year)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.renderYear(w, r, p, y, "", nil)
}

func (h *Handler) renderYear(w http.ResponseWriter, r *http.Request, p *auth.Principal, y *examyear.Year, configJSON string, err error) {
	if configJSON == "" {
		b, _ := json.MarshalIndent(y.Config, "", "  ")
		configJSON = string(b)
	}
	h.kit.Render(w, r, 0, "year", y.Name, yearView{Year: y, ConfigJSON: configJSON, CanEdit: examyear.MayEdit(p)}, err)
}

func (h *Handler) updateYear(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	year, err := pathYear(r)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	y, err := h.years.Get(r.Context(), p, year)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	raw := r.FormValue("config")
	var cfg examyear.Config
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		h.renderYear(w, r, p, y, raw, webkit.JSONError("Konfigurimi", raw, err))
		return
	}
	if _, err := h.years.Update(r.Context(), p, year, r.FormValue("name"), cfg); err != nil {
		h.renderYear(w, r, p, y, raw, err)
		return
	}
	webkit.RedirectOK(w, r, "/vitet/"+strconv.Itoa(year), nil, "Konfigurimi u ruajt.")
}

func (h *Handler) activateYear(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	year, err := pathYear(r)
	if err == nil {
		err = h.years.SetActive(r.Context(), p, year)
	}
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	webkit.RedirectOK(w, r, "/vitet/"+strconv.Itoa(year), nil, "Viti "+strconv.Itoa(year)+" është tani viti aktiv.")
}
