package marking

import (
	"net/http"

	"provim/internal/auth"
	"provim/internal/web/webkit"
)

// The API of the monitors, KOPOTED, MASH and the quality board (the
// active year). Every check is the service's.

// caseNo reads the {id} of the path: a KOPOTED case's number.
func caseNo(r *http.Request) (int, error) {
	return webkit.Int(r.PathValue("id"), "numri i rastit", 0)
}

func (h *Handler) apiMonitoring(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	m, err := h.marking.Monitoring(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, m)
	return nil
}

func (h *Handler) apiDraw(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	d, err := h.marking.DrawSample(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	d.Codes = webkit.NonNil(d.Codes)
	webkit.WriteJSON(w, http.StatusCreated, d)
	return nil
}

func (h *Handler) apiSample(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	b, err := h.marking.SampledBooklet(r.Context(), p, 0, r.PathValue("exam"), r.PathValue("code"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, b)
	return nil
}

// reviewInput is the body of POST …/samples/{code}/review.
type reviewInput struct {
	Verdict string `json:"verdict"`
	Reason  string `json:"reason"`
}

func (h *Handler) apiReview(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in reviewInput
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	exam, code := r.PathValue("exam"), r.PathValue("code")
	if err := h.marking.ReviewSample(r.Context(), p, 0, exam, code, in.Verdict, in.Reason); err != nil {
		return err
	}
	b, err := h.marking.SampledBooklet(r.Context(), p, 0, exam, code)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, b)
	return nil
}

// reportInput is the body of POST …/booklets/{code}/copying.
type reportInput struct {
	Reason string `json:"reason"`
}

func (h *Handler) apiReport(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in reportInput
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	if err := h.marking.ReportCopying(r.Context(), p, 0, r.PathValue("exam"), r.PathValue("code"), in.Reason); err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusCreated, map[string]any{"reported": true})
	return nil
}

func (h *Handler) apiCopying(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	c, err := h.marking.CopyingBoard(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, c)
	return nil
}

// openCaseInput is the body of POST …/copying/cases.
type openCaseInput struct {
	Codes []string `json:"codes"`
}

func (h *Handler) apiOpenCase(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in openCaseInput
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	no, err := h.marking.OpenCase(r.Context(), p, 0, r.PathValue("exam"), in.Codes)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusCreated, map[string]any{"case_no": no})
	return nil
}

// findingInput is the body of POST …/cases/{id}/finding.
type findingInput struct {
	Finding string `json:"finding"`
	Note    string `json:"note"`
}

func (h *Handler) apiFinding(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	no, err := caseNo(r)
	if err != nil {
		return err
	}
	var in findingInput
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	if err := h.marking.RecordFinding(r.Context(), p, 0, r.PathValue("exam"), no, in.Finding, in.Note); err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"case_no": no, "finding": in.Finding})
	return nil
}

// decisionInput is the body of POST …/cases/{id}/decision.
type decisionInput struct {
	Decision string `json:"decision"`
	Ref      string `json:"ref"`
}

func (h *Handler) apiDecision(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	no, err := caseNo(r)
	if err != nil {
		return err
	}
	var in decisionInput
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	if err := h.marking.RecordDecision(r.Context(), p, 0, r.PathValue("exam"), no, in.Decision, in.Ref); err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"case_no": no, "decision": in.Decision})
	return nil
}

func (h *Handler) apiQuality(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	q, err := h.marking.Quality(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, q)
	return nil
}

// stopInput is the body of POST …/quality/markers/{username}/stop.
type stopInput struct {
	Note string `json:"note"`
}

func (h *Handler) apiStop(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in stopInput
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	u := r.PathValue("username")
	if err := h.marking.StopFromQuality(r.Context(), p, 0, r.PathValue("exam"), u, in.Note); err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"username": u, "status": "stopped"})
	return nil
}
