package certificate

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"

	"github.com/fxamacker/cbor/v2"
	"github.com/veraison/go-cose"
)

// The signed record (issue 15 item 8): what a certificate says, in
// compact CBOR with small integer keys, signed by AVA's Ed25519 key as a
// COSE_Sign1 message (RFC 9052, tag 18), so anyone checks it offline with
// AVA's published key. The QR code and the PDF's Keywords carry it as
// text: QRPrefix and the message in base45 (RFC 9285), whose 45 letters
// are exactly QR's alphanumeric mode, as the EU's health certificates
// ("HC1:") do. A certificate's message is about 190 bytes, 290 letters.

// QRPrefix starts the text of every record (version 1).
const QRPrefix = "MS1:"

// Record is the signed content of a certificate.
type Record struct {
	Number     string       `cbor:"1,keyasint" json:"number"`
	Name       string       `cbor:"2,keyasint" json:"name"`
	PersonalNo string       `cbor:"3,keyasint" json:"personal_no"`
	BirthDate  string       `cbor:"4,keyasint" json:"birth_date"` // YYYY-MM-DD
	Year       int          `cbor:"5,keyasint" json:"year"`
	Exams      []RecordExam `cbor:"6,keyasint" json:"exams"`
}

// RecordExam is one counted exam: the subject's code, the grade and the
// year the result was obtained (Neni 17, 26: an earlier year's counts).
type RecordExam struct {
	_       struct{} `cbor:",toarray"`
	Subject string   `json:"subject"`
	Grade   int      `json:"grade"`
	Year    int      `json:"year"`
}

var encMode = func() cbor.EncMode {
	m, err := cbor.CoreDetEncOptions().EncMode()
	if err != nil {
		panic(err)
	}
	return m
}()

var decMode = func() cbor.DecMode {
	m, err := cbor.DecOptions{MaxArrayElements: 64, MaxMapPairs: 16, MaxNestedLevels: 8, DupMapKey: cbor.DupMapKeyEnforcedAPF}.DecMode()
	if err != nil {
		panic(err)
	}
	return m
}()

// SignRecord signs rec with key: the COSE_Sign1 message, as bytes.
func SignRecord(rec Record, s *Seal) ([]byte, error) {
	payload, err := encMode.Marshal(rec)
	if err != nil {
		return nil, fmt.Errorf("certificate: record: %w", err)
	}
	signer, err := cose.NewSigner(cose.AlgorithmEd25519, s.Ed)
	if err != nil {
		return nil, fmt.Errorf("certificate: signer: %w", err)
	}
	msg := cose.NewSign1Message()
	msg.Headers.Protected.SetAlgorithm(cose.AlgorithmEd25519)
	msg.Payload = payload
	if err := msg.Sign(rand.Reader, nil, signer); err != nil {
		return nil, fmt.Errorf("certificate: sign record: %w", err)
	}
	out, err := msg.MarshalCBOR()
	if err != nil {
		return nil, fmt.Errorf("certificate: record: %w", err)
	}
	return out, nil
}

// ErrForged is a record or PDF that does not verify with AVA's key.
var ErrForged = errors.New("i falsifikuar")

// VerifyRecord checks a COSE_Sign1 message with AVA's public key and
// returns its record; ErrForged when it does not verify.
func VerifyRecord(msgBytes []byte, pub Public) (Record, error) {
	var msg cose.Sign1Message
	if err := msg.UnmarshalCBOR(msgBytes); err != nil {
		return Record{}, fmt.Errorf("%w: nuk është mesazh COSE_Sign1 (%v)", ErrForged, err)
	}
	if alg, err := msg.Headers.Protected.Algorithm(); err != nil || alg != cose.AlgorithmEd25519 {
		return Record{}, fmt.Errorf("%w: nuk është nënshkruar me Ed25519", ErrForged)
	}
	verifier, err := cose.NewVerifier(cose.AlgorithmEd25519, pub.Ed)
	if err != nil {
		return Record{}, fmt.Errorf("certificate: verifier: %w", err)
	}
	if err := msg.Verify(nil, verifier); err != nil {
		return Record{}, fmt.Errorf("%w: nënshkrimi i të dhënave nuk verifikohet me çelësin e AVA-s", ErrForged)
	}
	var rec Record
	if err := decMode.Unmarshal(msg.Payload, &rec); err != nil {
		return Record{}, fmt.Errorf("%w: të dhënat e nënshkruara nuk lexohen (%v)", ErrForged, err)
	}
	return rec, nil
}

// QRText is the text of a signed message: QRPrefix and its base45.
func QRText(msg []byte) string { return QRPrefix + base45Encode(msg) }

// ParseQRText reads the text of a QR code (or of the PDF's Keywords)
// back into the signed message.
func ParseQRText(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	body, ok := strings.CutPrefix(s, QRPrefix)
	if !ok {
		return nil, fmt.Errorf("%w: teksti nuk fillon me %s", ErrForged, QRPrefix)
	}
	b, err := base45Decode(body)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrForged, err)
	}
	return b, nil
}

const base45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

func base45Encode(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b)/2*3 + 2)
	for i := 0; i+1 < len(b); i += 2 {
		n := int(b[i])<<8 | int(b[i+1])
		sb.WriteByte(base45Alphabet[n%45])
		sb.WriteByte(base45Alphabet[n/45%45])
		sb.WriteByte(base45Alphabet[n/2025])
	}
	if len(b)%2 == 1 {
		n := int(b[len(b)-1])
		sb.WriteByte(base45Alphabet[n%45])
		sb.WriteByte(base45Alphabet[n/45])
	}
	return sb.String()
}

func base45Decode(s string) ([]byte, error) {
	if len(s)%3 == 1 {
		return nil, errors.New("base45: bad length")
	}
	val := func(c byte) (int, error) {
		i := strings.IndexByte(base45Alphabet, c)
		if i < 0 {
			return 0, fmt.Errorf("base45: bad letter %q", c)
		}
		return i, nil
	}
	out := make([]byte, 0, len(s)/3*2+1)
	for i := 0; i < len(s); i += 3 {
		n, mul := 0, 1
		end := min(i+3, len(s))
		for j := i; j < end; j++ {
			v, err := val(s[j])
			if err != nil {
				return nil, err
			}
			n += v * mul
			mul *= 45
		}
		if end-i == 3 {
			if n > 0xffff {
				return nil, errors.New("base45: value out of range")
			}
			out = append(out, byte(n>>8), byte(n))
		} else {
			if n > 0xff {
				return nil, errors.New("base45: value out of range")
			}
			out = append(out, byte(n))
		}
	}
	return out, nil
}
