package custody

import (
	"net/http"
	"time"

	"provim/internal/auth"
	"provim/internal/custody"
	"provim/internal/doc"
	"provim/internal/web/webkit"
)

func (h *Handler) apiSteps(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, custody.MayView(p)); err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, custody.Steps)
	return nil
}

// apiBoard is the board, filtered by ?unit=, ?exam=, ?session= (every
// session when absent) and ?venue=.
func (h *Handler) apiBoard(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	q := r.URL.Query()
	session, err := webkit.ExamSessionFilter(q.Get("session"))
	if err != nil {
		return err
	}
	list, err := h.custody.Board(r.Context(), p, custody.Filter{Unit: q.Get("unit"), Exam: q.Get("exam"), Session: session, Venue: q.Get("venue")})
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"consignments": webkit.NonNil(list), "now": h.clock.Now().Format(time.RFC3339)})
	return nil
}

func (h *Handler) apiCreate(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in custody.CreateInput
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	res, err := h.custody.Create(r.Context(), p, in)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, res)
	return nil
}

func (h *Handler) apiConsignment(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	session, err := webkit.ExamSession(r.URL.Query().Get("session"))
	if err != nil {
		return err
	}
	c, err := h.custody.Get(r.Context(), p, r.PathValue("venue"), r.PathValue("exam"), session)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, c)
	return nil
}

func (h *Handler) apiRecord(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in custody.RecordInput
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	hv, err := h.custody.Record(r.Context(), p, in)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusCreated, hv)
	return nil
}

func (h *Handler) apiHandover(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := webkit.ID(r, "Procesverbali")
	if err != nil {
		return err
	}
	hv, c, err := h.custody.Handover(r.Context(), p, id)
	if err != nil {
		return err
	}
	return webkit.Respond(w, r, hv, func() doc.Table { return custody.Document(hv, c, h.clock.Now()) }, procesverbalName(hv))
}

func (h *Handler) apiConfirm(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := webkit.ID(r, "Procesverbali")
	if err != nil {
		return err
	}
	var in custody.ConfirmInput
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	hv, err := h.custody.Confirm(r.Context(), p, id, in)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, hv)
	return nil
}
