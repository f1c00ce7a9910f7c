package certificate

import (
	"bytes"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/digitorus/pdf"
	"github.com/digitorus/pdfsign/verify"
)

// The offline check of a certificate file (provim certificate verify):
// the record in the PDF's Keywords (the QR code's text) must verify with
// AVA's Ed25519 key, and the PDF must carry exactly AVA's PAdES signature
// — valid, by the seal's ECDSA key, and covering every byte of the file
// (an incremental update after signing is an alteration). A file holding
// only the QR code's text is checked for the record alone. Anything else
// is "i falsifikuar".

// Verdict is the answer of a check.
type Verdict struct {
	Status     string      `json:"status"` // StatusValid, StatusRevoked or StatusForged
	Record     *Record     `json:"record,omitempty"`
	Reason     string      `json:"reason,omitempty"` // why forged
	Revocation *Revocation `json:"revocation,omitempty"`
	Signed     bool        `json:"pdf_signed"` // the PAdES signature was checked (a PDF, not QR text)
}

// CheckFile checks a certificate PDF or a file holding the QR code's
// text with AVA's public key, and against the revocation list.
func CheckFile(data []byte, pub Public, revoked []Revocation) Verdict {
	var rec Record
	var err error
	signed := false
	if bytes.HasPrefix(data, []byte("%PDF-")) {
		rec, err = VerifyPDF(data, pub)
		signed = true
	} else {
		var msg []byte
		if msg, err = ParseQRText(string(data)); err == nil {
			rec, err = VerifyRecord(msg, pub)
		}
	}
	if err != nil {
		return Verdict{Status: StatusForged, Reason: strings.TrimPrefix(err.Error(), ErrForged.Error()+": "), Signed: signed}
	}
	v := Verdict{Status: StatusValid, Record: &rec, Signed: signed}
	for i := range revoked {
		if revoked[i].Number == rec.Number {
			v.Status, v.Revocation = StatusRevoked, &revoked[i]
			break
		}
	}
	return v
}

// VerifyPDF checks a certificate PDF and returns its signed record; an
// error wrapping ErrForged when any check fails.
func VerifyPDF(data []byte, pub Public) (rec Record, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: PDF-ja nuk lexohet (%v)", ErrForged, p)
		}
	}()
	size := int64(len(data))
	rdr, err := pdf.NewReader(bytes.NewReader(data), size)
	if err != nil {
		return Record{}, fmt.Errorf("%w: PDF-ja nuk lexohet (%v)", ErrForged, err)
	}
	msg, err := ParseQRText(rdr.Trailer().Key("Info").Key("Keywords").RawString())
	if err != nil {
		return Record{}, fmt.Errorf("%w: PDF-ja nuk mban të dhënat e nënshkruara të kodit QR", ErrForged)
	}
	if rec, err = VerifyRecord(msg, pub); err != nil {
		return Record{}, err
	}
	// The PAdES signature: one, AVA's, valid, over the whole file.
	var ranges [][]int64
	for _, x := range rdr.Xref() {
		v := rdr.Resolve(x.Ptr(), x.Ptr())
		if v.Key("Filter").Name() != "Adobe.PPKLite" {
			continue
		}
		br := v.Key("ByteRange")
		var r []int64
		for i := 0; i < br.Len(); i++ {
			r = append(r, br.Index(i).Int64())
		}
		ranges = append(ranges, r)
	}
	if len(ranges) != 1 {
		return Record{}, fmt.Errorf("%w: PDF-ja ka %d nënshkrime, jo vulën e vetme të AVA-s", ErrForged, len(ranges))
	}
	if r := ranges[0]; len(r) != 4 || r[0] != 0 || r[2]+r[3] != size {
		return Record{}, fmt.Errorf("%w: vula e PDF-së nuk mbulon gjithë skedarin (është ndryshuar pas vulosjes)", ErrForged)
	}
	resp, err := verify.VerifyWithOptions(bytes.NewReader(data), size, &verify.VerifyOptions{AllowUntrustedRoots: true})
	if err != nil {
		return Record{}, fmt.Errorf("%w: vula e PDF-së nuk verifikohet (%v)", ErrForged, err)
	}
	if len(resp.Signers) != 1 || !resp.Signers[0].ValidSignature {
		return Record{}, fmt.Errorf("%w: vula e PDF-së nuk verifikohet (%s)", ErrForged, resp.Error)
	}
	certs := resp.Signers[0].Certificates
	if len(certs) == 0 || certs[0].Certificate == nil {
		return Record{}, fmt.Errorf("%w: vula e PDF-së nuk ka certifikatë", ErrForged)
	}
	k, ok := certs[0].Certificate.PublicKey.(*ecdsa.PublicKey)
	if !ok || !k.Equal(pub.EC) {
		return Record{}, fmt.Errorf("%w: PDF-ja nuk është vulosur me vulën e AVA-s", ErrForged)
	}
	return rec, nil
}

// ParseRevocations reads a revocation list as served by
// GET /api/v1/public/certificates/revoked ({"items": […]}) or a bare array.
func ParseRevocations(data []byte) ([]Revocation, error) {
	var wrapped struct {
		Items []Revocation `json:"items"`
	}
	if err := json.Unmarshal(data, &wrapped); err == nil && wrapped.Items != nil {
		return wrapped.Items, nil
	}
	var list []Revocation
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("certificate: the revocation list does not read: %w", err)
	}
	return list, nil
}
