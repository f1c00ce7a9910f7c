package draws

import (
	"fmt"
	"net/http"
	"strings"

	"provim/internal/auth"
	"provim/internal/doc"
	"provim/internal/draw"
	"provim/internal/web/webkit"
)

// examQuery reads ?exam= (D1 when absent) and ?session= (1 when absent).
func examQuery(r *http.Request) (string, int, error) {
	session, err := webkit.ExamSession(r.URL.Query().Get("session"))
	if err != nil {
		return "", 0, err
	}
	return examParam(r.URL.Query().Get("exam")), session, nil
}

func (h *Handler) apiStaffing(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	exam, session, err := examQuery(r)
	if err != nil {
		return err
	}
	in, err := h.draws.Needs(r.Context(), p, session, exam, r.PathValue("unit"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"year": in.Year, "session": in.Session, "exam": in.Exam, "unit": in.Unit,
		"exam_subjects": in.ExamSubjects, "venues": in.Venues, "totals": draw.Totals(in.Venues), "pool": in.Pool, "excluded": in.Excluded})
	return nil
}

func (h *Handler) apiDraws(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	list, err := h.draws.List(r.Context(), p)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"items": webkit.NonNil(list)})
	return nil
}

func (h *Handler) apiCommitDraw(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in draw.CommitRequest
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	in.Exam = strings.ToUpper(in.Exam)
	rec, err := h.draws.Commit(r.Context(), p, in)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusCreated, rec)
	return nil
}

func (h *Handler) apiDraw(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	rec, err := h.record(r, p, false)
	if err != nil {
		return err
	}
	return webkit.Respond(w, r, rec, func() doc.Table { return draw.Protocol(rec, h.clock.Now()) },
		fmt.Sprintf("procesverbali-shortit-%d", rec.ID), doc.PDF)
}

func (h *Handler) apiRunDraw(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := webkit.ID(r, "Shorti")
	if err != nil {
		return err
	}
	var in struct {
		Entropy string `json:"entropy"`
	}
	if err := webkit.DecodeOptional(r, &in); err != nil {
		return err
	}
	rec, err := h.draws.Run(r.Context(), p, id, in.Entropy)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, rec)
	return nil
}

func (h *Handler) apiDrawAssignments(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	rec, err := h.record(r, p, true)
	if err != nil {
		return err
	}
	return webkit.Respond(w, r, map[string]any{"items": webkit.NonNil(draw.Lines(rec))},
		func() doc.Table { return draw.AssignmentList(rec, h.clock.Now()) },
		fmt.Sprintf("caktimi-%s-%d-%s", rec.Exam, rec.Year, rec.Unit), doc.PDF)
}

func (h *Handler) apiPublicDraw(w http.ResponseWriter, r *http.Request) error {
	id, err := webkit.ID(r, "Shorti")
	if err != nil {
		return err
	}
	rec, err := h.draws.Public(r.Context(), id)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, rec)
	return nil
}
