package certificate

import (
	"encoding/base64"
	"net/http"

	"provim/internal/auth"
	"provim/internal/certificate"
	"provim/internal/doc/pdf"
	"provim/internal/web/webkit"
)

func (h *Handler) apiRevoked(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	n, err := webkit.Int(q.Get("limit"), "limit", 1000)
	if err != nil {
		return err
	}
	list, err := h.certs.Revoked(r.Context(), q.Get("after"), n)
	if err != nil {
		return err
	}
	webkit.Items(w, list)
	return nil
}

// publicKey is AVA's published key, as the API gives it.
type publicKey struct {
	PEM          string `json:"pem"`
	Ed25519      string `json:"ed25519"` // the raw public key, base64
	RecordFormat string `json:"record_format"`
	PDFSignature string `json:"pdf_signature"`
}

func (h *Handler) apiKey(w http.ResponseWriter, r *http.Request) error {
	seal, err := h.certs.Seal()
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, publicKey{
		PEM: string(seal.PublicPEM()), Ed25519: base64.StdEncoding.EncodeToString(seal.Public().Ed),
		RecordFormat: "COSE_Sign1 (EdDSA/Ed25519) over CBOR, as text: \"" + certificate.QRPrefix + "\" + base45",
		PDFSignature: "PAdES (adbe.pkcs7.detached), ECDSA P-256 with SHA-256, the certificate in pem",
	})
	return nil
}

type checkIn struct {
	Number     string `json:"number"`
	PersonalNo string `json:"personal_no"`
}

func (h *Handler) apiCheck(w http.ResponseWriter, r *http.Request) error {
	var in checkIn
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	a, err := h.certs.Check(r.Context(), webkit.ClientAddr(r), in.Number, in.PersonalNo)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, a)
	return nil
}

func (h *Handler) apiList(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	q := r.URL.Query()
	year, err := webkit.Int(q.Get("year"), "year", 0)
	if err != nil {
		return err
	}
	n, err := webkit.Int(q.Get("limit"), "limit", 100)
	if err != nil {
		return err
	}
	list, err := h.certs.List(r.Context(), p, certificate.Filter{Year: year, School: q.Get("school"), After: q.Get("after"), Limit: n})
	if err != nil {
		return err
	}
	webkit.Items(w, list)
	return nil
}

type issueIn struct {
	Year int `json:"year"`
}

func (h *Handler) apiIssue(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in issueIn
	if err := webkit.DecodeOptional(r, &in); err != nil {
		return err
	}
	rep, err := h.certs.IssueAll(r.Context(), p, in.Year, nil)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, rep)
	return nil
}

func (h *Handler) apiMine(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	c, err := h.certs.MineValid(r.Context(), p)
	if err != nil {
		return err
	}
	return h.apiSendPDF(w, r, p, c.Number)
}

// certOut is a certificate as the API gives it, with its QR text.
type certOut struct {
	certificate.Certificate
	Status string `json:"status"`
	QRText string `json:"qr_text"`
}

func (h *Handler) apiGet(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	c, err := h.certs.Get(r.Context(), p, r.PathValue("code"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, certOut{Certificate: c, Status: c.Status(), QRText: certificate.QRText(c.Record)})
	return nil
}

func (h *Handler) apiPDF(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	return h.apiSendPDF(w, r, p, r.PathValue("code"))
}

func (h *Handler) apiSendPDF(w http.ResponseWriter, r *http.Request, p *auth.Principal, number string) error {
	body, c, err := h.certs.PDF(r.Context(), p, number)
	if err != nil {
		return err
	}
	webkit.SendFile(w, pdf.ContentType, "deftese-pjekurie-"+webkit.FileName(c.Number)+".pdf", body)
	return nil
}

type revokeIn struct {
	Reason  string `json:"reason"`
	Reissue bool   `json:"reissue"`
}

func (h *Handler) apiRevoke(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in revokeIn
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	c, err := h.certs.Revoke(r.Context(), p, r.PathValue("code"), in.Reason, in.Reissue)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, certOut{Certificate: c, Status: c.Status(), QRText: certificate.QRText(c.Record)})
	return nil
}
