package anonym

import (
	"fmt"
	"net/http"

	"provim/internal/anonym"
	"provim/internal/auth"
	"provim/internal/web/webkit"
)

// year reads the {year} of the path.
func year(r *http.Request) (int, error) {
	return webkit.Int(r.PathValue("year"), "viti", 0)
}

func (h *Handler) apiStatus(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	y, err := year(r)
	if err != nil {
		return err
	}
	st, err := h.anonym.Status(r.Context(), p, y, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, st)
	return nil
}

// generateInput is the body of POST …/codes: force makes the codes anew
// (refused once a label was attached).
type generateInput struct {
	Force bool `json:"force"`
}

func (h *Handler) apiGenerate(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	y, err := year(r)
	if err != nil {
		return err
	}
	var in generateInput
	if err := webkit.DecodeOptional(r, &in); err != nil {
		return err
	}
	var res anonym.GenerateResult
	if in.Force {
		res, err = h.anonym.Regenerate(r.Context(), p, y, r.PathValue("exam"))
	} else {
		res, err = h.anonym.Generate(r.Context(), p, y, r.PathValue("exam"))
	}
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, webkit.SavedStatus(res.Created), res)
	return nil
}

type holdersInput struct {
	Holders   []string `json:"holders"`
	Threshold int      `json:"threshold"`
}

// apiHolders names the key holders; the answer carries their shares this
// once (never stored, never cached).
func (h *Handler) apiHolders(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	y, err := year(r)
	if err != nil {
		return err
	}
	var in holdersInput
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	res, err := h.anonym.NameHolders(r.Context(), p, y, r.PathValue("exam"), in.Holders, in.Threshold)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	webkit.WriteJSON(w, http.StatusCreated, res)
	return nil
}

type openInput struct {
	Shares []anonym.ShareInput `json:"shares"`
}

func (h *Handler) apiOpen(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	y, err := year(r)
	if err != nil {
		return err
	}
	var in openInput
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	res, err := h.anonym.Open(r.Context(), p, y, r.PathValue("exam"), in.Shares)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, res)
	return nil
}

func (h *Handler) apiCounts(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	y, err := year(r)
	if err != nil {
		return err
	}
	rooms, err := h.anonym.VenueCounts(r.Context(), p, y, r.PathValue("exam"), r.PathValue("venue"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"venue_code": r.PathValue("venue"), "rooms": webkit.NonNil(rooms)})
	return nil
}

func (h *Handler) apiLabels(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	y, err := year(r)
	if err != nil {
		return err
	}
	pdf, err := h.anonym.LabelSheets(r.Context(), p, y, r.PathValue("exam"), r.PathValue("venue"))
	if err != nil {
		return err
	}
	webkit.SendFile(w, "application/pdf", labelsName(y, r.PathValue("exam"), r.PathValue("venue")), pdf)
	return nil
}

type attachInput struct {
	Code      string `json:"code"`
	StudentID int64  `json:"student_id"`
}

// apiAttach is the desk's act (Neni 53.3): the label with code on the
// candidate's booklet. The answer names the room and its count, never the
// code with the candidate.
func (h *Handler) apiAttach(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	y, err := year(r)
	if err != nil {
		return err
	}
	var in attachInput
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	res, err := h.anonym.AttachLabel(r.Context(), p, y, r.PathValue("exam"), r.PathValue("venue"), in.Code, in.StudentID)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, webkit.SavedStatus(res.Created), res)
	return nil
}

type sealInput struct {
	Room   string `json:"room"`
	Unused int    `json:"unused"`
}

func (h *Handler) apiSeal(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	y, err := year(r)
	if err != nil {
		return err
	}
	var in sealInput
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	exam, venue := r.PathValue("exam"), r.PathValue("venue")
	if err := h.anonym.SealUnused(r.Context(), p, y, exam, venue, in.Room, in.Unused); err != nil {
		return err
	}
	rooms, err := h.anonym.VenueCounts(r.Context(), p, y, exam, venue)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"venue_code": venue, "rooms": webkit.NonNil(rooms)})
	return nil
}

func labelsName(year int, exam, venue string) string {
	return webkit.FileName(fmt.Sprintf("etiketat-%s-%s-%d", exam, venue, year)) + ".pdf"
}
