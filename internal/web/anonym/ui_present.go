package anonym

import (
	"fmt"
	"net/http"
	"strings"

	"provim/internal/auth"
	"provim/internal/web/webkit"
)

// present takes one key holder's share from their own account (issue 15
// item 1); the link opens with the threshold's last.
func (h *Handler) present(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	y, err := year(r)
	if err != nil {
		h.renderExam(w, r, p, err)
		return
	}
	res, err := h.anonym.Present(r.Context(), p, y, r.PathValue("exam"), r.PostForm.Get("mbajtesi"), r.PostForm.Get("pjesa"))
	if err != nil {
		r.Form.Del("pjesa") // the share typed is not shown back
		h.renderExam(w, r, p, err)
		return
	}
	msg := fmt.Sprintf("Pjesa u pranua. Kanë paraqitur pjesën %d nga %d mbajtësit e nevojshëm: %s; pjesët presin deri në 30 minuta.",
		len(res.Presented), res.Threshold, strings.Join(res.Presented, ", "))
	if o := res.Opened; o != nil {
		msg = fmt.Sprintf("Lidhja u hap nga %s: %d kode u lidhën me kandidatët për rezultatet (Neni 58, 59.3).", strings.Join(o.Holders, ", "), o.Links)
	}
	webkit.RedirectOK(w, r, examPath(res.Year, res.Exam), nil, msg)
}

// presentInput is the body of POST …/shares.
type presentInput struct {
	Holder string `json:"holder"`
	Share  string `json:"share"`
}

func (h *Handler) apiPresent(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	y, err := year(r)
	if err != nil {
		return err
	}
	var in presentInput
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	res, err := h.anonym.Present(r.Context(), p, y, r.PathValue("exam"), in.Holder, in.Share)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, res)
	return nil
}
