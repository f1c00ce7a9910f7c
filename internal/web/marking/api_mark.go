package marking

import (
	"net/http"
	"strings"

	"provim/internal/auth"
	"provim/internal/marking"
	"provim/internal/web/webkit"
)

// The JSON API of the central flow (api/openapi.yaml, "marking: marks"):
// the marker's queue and marks, the third marker, the marking sheet, the
// paper sheets and the close. The exam is of the active year; every
// check is the service's.

func (h *Handler) apiQueue(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	q, err := h.marking.Queue(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, q)
	return nil
}

func (h *Handler) apiBooklet(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	b, err := h.marking.BookletFor(r.Context(), p, 0, r.PathValue("exam"), r.PathValue("code"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, b)
	return nil
}

type marksBody struct {
	Choices []string `json:"choices"`
	Points  []int    `json:"points"`
}

func (h *Handler) apiMark(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, marking.MayMark(p)); err != nil {
		return err
	}
	var in marksBody
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	res, err := h.marking.Mark(r.Context(), p, 0, r.PathValue("exam"), r.PathValue("code"), in.Choices, in.Points)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, res)
	return nil
}

func (h *Handler) apiMarkMany(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, marking.MayMark(p)); err != nil {
		return err
	}
	var in struct {
		Items []marking.MarkInput `json:"items"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	n, err := h.marking.MarkMany(r.Context(), p, 0, r.PathValue("exam"), in.Items)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]int{"marked": n})
	return nil
}

func (h *Handler) apiThirdList(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	list, err := h.marking.ThirdList(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.Items(w, list)
	return nil
}

func (h *Handler) apiAssignThirdAll(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	n, err := h.marking.AssignThirdAll(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]int{"assigned": n})
	return nil
}

func (h *Handler) apiLeadBooklet(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	b, err := h.marking.BookletForLead(r.Context(), p, 0, r.PathValue("exam"), r.PathValue("code"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, b)
	return nil
}

func (h *Handler) apiAssignThird(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	exam, code := r.PathValue("exam"), r.PathValue("code")
	if err := webkit.Allow(p, h.marking.MayLeadExam(r.Context(), p, 0, exam)); err != nil {
		return err
	}
	var in struct {
		Username string `json:"username"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	if err := h.marking.AssignThird(r.Context(), p, 0, exam, code, in.Username); err != nil {
		return err
	}
	b, err := h.marking.BookletForLead(r.Context(), p, 0, exam, code)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, b)
	return nil
}

func (h *Handler) apiSuggestThird(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	m, err := h.marking.SuggestThird(r.Context(), p, 0, r.PathValue("exam"), r.PathValue("code"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, m)
	return nil
}

func (h *Handler) apiSheet(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	code := strings.TrimSuffix(r.PathValue("code"), ".pdf")
	body, err := h.marking.MarkingSheet(r.Context(), p, 0, r.PathValue("exam"), code)
	if err != nil {
		return err
	}
	webkit.SendFile(w, "application/pdf", "fleta-e-vleresimit-"+webkit.FileName(code)+".pdf", body)
	return nil
}

type paperBody struct {
	Code    string   `json:"code"`
	Round   int      `json:"round"`
	Choices []string `json:"choices"`
	Points  []int    `json:"points"`
}

func (h *Handler) apiPaper(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, marking.MayManage(p)); err != nil {
		return err
	}
	var in paperBody
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	res, err := h.marking.EnterPaper(r.Context(), p, 0, r.PathValue("exam"), in.Code, in.Round, in.Choices, in.Points)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, res)
	return nil
}

func (h *Handler) apiProgress(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	pr, err := h.marking.Progress(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, pr)
	return nil
}

func (h *Handler) apiRegister(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	res, err := h.marking.RegisterBooklets(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, res)
	return nil
}

func (h *Handler) apiAllocate(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	res, err := h.marking.Allocate(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, res)
	return nil
}

func (h *Handler) apiClose(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	res, err := h.marking.Close(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, res)
	return nil
}
