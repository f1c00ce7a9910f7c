package admin

import (
	"net/http"

	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/web/webkit"
)

func (h *Handler) apiYears(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	list, err := h.years.List(r.Context(), p)
	if err != nil {
		return err
	}
	webkit.Items(w, list)
	return nil
}

func (h *Handler) apiActiveYear(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, examyear.MayRead(p)); err != nil {
		return err
	}
	y, err := h.years.Active(r.Context())
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, y)
	return nil
}

// yearAnswer is one exam year as the API gives it, with what its
// configuration allows but the regulation makes a candidate feel
// (examyear.Config.Warnings), as the year's page shows it.
type yearAnswer struct {
	*examyear.Year
	Warnings []string `json:"warnings,omitempty"`
}

func answerYear(y *examyear.Year) yearAnswer {
	return yearAnswer{Year: y, Warnings: y.Config.Warnings()}
}

func (h *Handler) apiYear(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	y, err := h.years.Get(r.Context(), p, year)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, answerYear(y))
	return nil
}

func (h *Handler) apiCreateYear(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		Year    int    `json:"year"`
		Name    string `json:"name"`
		BasedOn int    `json:"based_on"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	y, err := h.years.Create(r.Context(), p, in.Year, in.Name, in.BasedOn)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusCreated, answerYear(y))
	return nil
}

func (h *Handler) apiUpdateYear(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	var in struct {
		Name   string          `json:"name"`
		Config examyear.Config `json:"config"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	y, err := h.years.Update(r.Context(), p, year, in.Name, in.Config)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, answerYear(y))
	return nil
}

func (h *Handler) apiActivateYear(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	if err := h.years.SetActive(r.Context(), p, year); err != nil {
		return err
	}
	webkit.NoContent(w)
	return nil
}
