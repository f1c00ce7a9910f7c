package applications

import (
	"fmt"
	"net/http"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/doc"
	"provim/internal/web/webkit"
)

// ---- the school: confirmation, table T, failing students ----

func (h *Handler) apiConfirmApplications(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		IDs        []int64 `json:"ids"`
		LateReason string  `json:"late_reason"`
	}
	if err := webkit.DecodeOptional(r, &in); err != nil {
		return err
	}
	n, err := h.apps.Confirm(r.Context(), p, r.PathValue("code"), in.IDs, in.LateReason)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]int{"confirmed": n})
	return nil
}

func (h *Handler) apiTableT(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	t, err := h.apps.TableT(r.Context(), p, r.PathValue("code"))
	if err != nil {
		return err
	}
	t.Rows = webkit.NonNil(t.Rows)
	return webkit.Respond(w, r, t, func() doc.Table { return t.Document(h.clock.Now()) },
		fmt.Sprintf("tabela-T-%s-%d", t.SchoolCode, t.Year))
}

func (h *Handler) apiSendTableT(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in lateBody
	if err := webkit.DecodeOptional(r, &in); err != nil {
		return err
	}
	n, err := h.apps.SendToKMSH(r.Context(), p, r.PathValue("code"), in.LateReason)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]int{"forms": n})
	return nil
}

func (h *Handler) apiVerifyTableT(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in lateBody
	if err := webkit.DecodeOptional(r, &in); err != nil {
		return err
	}
	n, err := h.apps.VerifySchool(r.Context(), p, r.PathValue("code"), in.LateReason)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]int{"verified": n})
	return nil
}

func (h *Handler) apiMarkFailing(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		IDs        []int64 `json:"ids"`
		Failing    *bool   `json:"failing"`
		LateReason string  `json:"late_reason"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	// Required: a missing "failing" must not silently take marks back.
	if in.Failing == nil {
		return apperr.New(apperr.Invalid, "Mungon fusha «failing»: true shënon mbetës, false heq shënimin.")
	}
	n, err := h.apps.MarkFailing(r.Context(), p, r.PathValue("code"), in.IDs, *in.Failing, in.LateReason)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]int{"changed": n})
	return nil
}
