package results

import (
	"net/http"
	"strconv"

	"provim/internal/auth"
	"provim/internal/doc"
	"provim/internal/results"
	"provim/internal/web/webkit"
)

// apiMe serves the candidate's prepared page as stored (one primary-key
// read), with its entity tag: a repeated request answers 304.
func (h *Handler) apiMe(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	body, etag, err := h.results.MyPageJSON(r.Context(), p)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "private, no-cache")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body) // the status is sent: a write error cannot be answered
	return nil
}

func (h *Handler) apiList(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	q := r.URL.Query()
	year, err := webkit.Int(q.Get("year"), "year", 0)
	if err != nil {
		return err
	}
	offset, limit, err := webkit.Page(r)
	if err != nil {
		return err
	}
	l, err := h.results.List(r.Context(), p, results.Filter{Year: year, Exam: q.Get("exam"), Search: q.Get("q"), Offset: offset, Limit: limit})
	if err != nil {
		return err
	}
	return webkit.Respond(w, r, l, func() doc.Table { return results.ListTable(l, "Rezultatet e Maturës Shtetërore") }, "rezultatet", doc.Formats...)
}

func (h *Handler) apiExams(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	year, exams, err := h.results.Status(r.Context(), p, 0)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"year": year, "exams": webkit.NonNil(exams)})
	return nil
}

func (h *Handler) apiCompute(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	res, err := h.results.Compute(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, res)
	return nil
}

// publishInput is the body of POST …/publish.
type publishInput struct {
	LateReason string `json:"late_reason"`
}

func (h *Handler) apiPublish(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in publishInput
	if err := webkit.DecodeOptional(r, &in); err != nil {
		return err
	}
	res, err := h.results.Publish(r.Context(), p, 0, r.PathValue("exam"), in.LateReason)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, res)
	return nil
}

func (h *Handler) apiSession2(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	l, err := h.results.Session2(r.Context(), p, 0, r.URL.Query().Get("unit"))
	if err != nil {
		return err
	}
	return webkit.Respond(w, r, l, func() doc.Table { return results.Session2Table(l) }, "sesioni-2", doc.Formats...)
}

func (h *Handler) apiSendSession2(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		AutumnPassed []string `json:"autumn_passed"`
	}
	if err := webkit.DecodeOptional(r, &in); err != nil {
		return err
	}
	l, err := h.results.SendSession2(r.Context(), p, 0, in.AutumnPassed)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, l)
	return nil
}
