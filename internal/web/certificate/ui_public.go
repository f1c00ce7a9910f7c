package certificate

import (
	"net/http"

	"provim/internal/certificate"
	"provim/internal/web/webkit"
)

// The public pages: anyone, no login.

type checkView struct {
	Number string
	Answer *certificate.Answer
}

// checkPage is the public check's form.
func (h *Handler) checkPage(w http.ResponseWriter, r *http.Request) {
	h.kit.Render(w, r, 0, "certificate_check", "Vërtetimi i Dëftesës së Pjekurisë", checkView{}, nil)
}

// maxCheckForm is the largest form the public check reads.
const maxCheckForm = 4 << 10

// check answers the public check (throttled by the service per address).
func (h *Handler) check(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxCheckForm)
	v := checkView{}
	if err := r.ParseForm(); err != nil {
		h.kit.Render(w, r, http.StatusBadRequest, "certificate_check", "Vërtetimi i Dëftesës së Pjekurisë", v, errFormTooLarge())
		return
	}
	v.Number = r.PostFormValue("numri")
	a, err := h.certs.Check(r.Context(), webkit.ClientAddr(r), v.Number, r.PostFormValue("numri_personal"))
	if err != nil {
		h.kit.Render(w, r, webkit.StatusOf(err), "certificate_check", "Vërtetimi i Dëftesës së Pjekurisë", v, err)
		return
	}
	v.Answer = &a
	h.kit.Render(w, r, 0, "certificate_check", "Vërtetimi i Dëftesës së Pjekurisë", v, nil)
}

// keyFile is AVA's public key file: the record key and the seal's
// certificate, for the offline check.
func (h *Handler) keyFile(w http.ResponseWriter, r *http.Request) {
	seal, err := h.certs.Seal()
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	body := seal.PublicPEM()
	w.Header().Set("Content-Type", "application/x-pem-file")
	w.Header().Set("Content-Disposition", `inline; filename="ava-celesi-publik.pem"`)
	w.Write(body)
}

type revokedView struct {
	List []certificate.Revocation
	Next string // the "after" of the next page, "" on the last
}

// revokedPage is the public revocation list, a thousand a page.
func (h *Handler) revokedPage(w http.ResponseWriter, r *http.Request) {
	const per = 1000
	list, err := h.certs.Revoked(r.Context(), r.URL.Query().Get("pas"), per)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := revokedView{List: list}
	if len(list) == per {
		v.Next = list[len(list)-1].Number
	}
	h.kit.Render(w, r, 0, "certificate_revoked", "Dëftesat e revokuara", v, nil)
}
