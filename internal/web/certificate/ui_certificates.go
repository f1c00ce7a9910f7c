package certificate

import (
	"fmt"
	"net/http"
	"net/url"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/certificate"
	"provim/internal/doc/pdf"
	"provim/internal/web/webkit"
)

func errFormTooLarge() error {
	return apperr.New(apperr.Invalid, "Formulari nuk lexohet (më i madh se 4 KiB).")
}

func certPath(number string) string { return "/certifikatat/" + url.PathEscape(number) }

// minePDF is the candidate's own valid certificate, as a PDF; before
// there is one, a page that says when it comes (the menu links here).
func (h *Handler) minePDF(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	c, err := h.certs.MineValid(r.Context(), p)
	if apperr.Is(err, apperr.NotFound) && certificate.MayOwn(p) {
		h.kit.Render(w, r, 0, "certificate_none", "Dëftesa ime e Pjekurisë", nil, nil)
		return
	}
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.sendPDF(w, r, p, c.Number)
}

func (h *Handler) sendPDF(w http.ResponseWriter, r *http.Request, p *auth.Principal, number string) {
	body, c, err := h.certs.PDF(r.Context(), p, number)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	webkit.SendFile(w, pdf.ContentType, "deftese-pjekurie-"+webkit.FileName(c.Number)+".pdf", body)
}

type listView struct {
	List   []certificate.Certificate
	School string
	Next   string
	Issue  bool // AVA: the issue form
}

// listPage lists the certificates in the caller's scope (?shkolla=, ?pas=).
func (h *Handler) listPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := webkit.Allow(p, certificate.MayList(p)); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	const per = 200
	q := r.URL.Query()
	list, err := h.certs.List(r.Context(), p, certificate.Filter{School: q.Get("shkolla"), After: q.Get("pas"), Limit: per})
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := listView{List: list, School: q.Get("shkolla"), Issue: certificate.MayIssue(p)}
	if len(list) == per {
		v.Next = list[len(list)-1].Number
	}
	h.kit.Render(w, r, 0, "certificate_list", "Dëftesat e Pjekurisë", v, nil)
}

// issueAll issues the certificates of the active year (AVA).
func (h *Handler) issueAll(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	rep, err := h.certs.IssueAll(r.Context(), p, 0, nil)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	webkit.RedirectOK(w, r, "/certifikatat", nil, fmt.Sprintf("U lëshuan %s (%d kishin një më parë; %d kandidatë nuk e kanë përfunduar Maturën).",
		webkit.Plural(rep.Issued, "dëftesë", "dëftesa"), rep.Already, rep.NotComplete))
}

type certView struct {
	C      certificate.Certificate
	Revoke bool // AVA, a valid certificate: the revocation form
}

// viewPage is one certificate in the caller's scope.
func (h *Handler) viewPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	c, err := h.certs.Get(r.Context(), p, r.PathValue("code"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, 0, "certificate_view", "Dëftesa "+c.Number, certView{C: c, Revoke: certificate.MayIssue(p) && c.Valid()}, nil)
}

// certPDF is one certificate's PDF (the school prints its candidates').
func (h *Handler) certPDF(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.sendPDF(w, r, p, r.PathValue("code"))
}

// revoke revokes a certificate by hand (AVA), reissuing if asked.
func (h *Handler) revoke(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	c, err := h.certs.Revoke(r.Context(), p, r.PathValue("code"), r.FormValue("arsyeja"), r.FormValue("rilesho") == "po")
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	msg := "Dëftesa " + c.Number + " u revokua."
	to := certPath(c.Number)
	if c.ReplacedBy != "" {
		msg += " Në vend të saj u lëshua " + c.ReplacedBy + "."
		to = certPath(c.ReplacedBy)
	}
	webkit.RedirectOK(w, r, to, nil, msg)
}
