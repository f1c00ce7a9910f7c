package certificate

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"time"
)

// Seal is AVA's electronic seal: an Ed25519 key that signs the record in
// each certificate's QR code (COSE_Sign1), and an ECDSA P-256 key beside
// it that signs the PDF (PAdES). pdfsign signs with RSA or ECDSA only, not
// Ed25519, so the PDF's key is a second one, kept in the same PEM file
// and published beside the first. Its X.509 certificate is self-signed
// (AVA is its own issuer: a checker trusts the key AVA publishes, not a
// chain), made once when the seal is loaded.
type Seal struct {
	Ed   ed25519.PrivateKey
	EC   *ecdsa.PrivateKey
	Cert *x509.Certificate
}

// Public is what AVA publishes of its seal: the record key and the PDF
// signature's key.
type Public struct {
	Ed ed25519.PublicKey
	EC *ecdsa.PublicKey
}

// NewSeal makes a fresh seal.
func NewSeal() (*Seal, error) {
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("çelësi i vulës: %w", err)
	}
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("çelësi i vulës: %w", err)
	}
	return sealOf(ed, ec)
}

func sealOf(ed ed25519.PrivateKey, ec *ecdsa.PrivateKey) (*Seal, error) {
	sum := sha256.Sum256(ed.Public().(ed25519.PublicKey))
	tmpl := &x509.Certificate{
		SerialNumber: new(big.Int).SetBytes(sum[:16]),
		Subject: pkix.Name{CommonName: "AVA — vula elektronike e Maturës Shtetërore", Organization: []string{"Agjencia e Vlerësimit të Arsimit"},
			Country: []string{"AL"}},
		NotBefore:             time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2046, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &ec.PublicKey, ec)
	if err != nil {
		return nil, fmt.Errorf("certificate: seal certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("certificate: seal certificate: %w", err)
	}
	return &Seal{Ed: ed, EC: ec, Cert: cert}, nil
}

// Public returns the seal's public half.
func (s *Seal) Public() Public {
	return Public{Ed: s.Ed.Public().(ed25519.PublicKey), EC: &s.EC.PublicKey}
}

// PEM writes both private keys (PKCS #8), the file --seal-key reads.
func (s *Seal) PEM() ([]byte, error) {
	var b bytes.Buffer
	for _, k := range []any{s.Ed, s.EC} {
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			return nil, fmt.Errorf("çelësi i vulës: %w", err)
		}
		pem.Encode(&b, &pem.Block{Type: "PRIVATE KEY", Bytes: der})
	}
	return b.Bytes(), nil
}

// ParseSeal reads a seal's PEM file: an Ed25519 and an ECDSA P-256
// private key (PKCS #8), in either order.
func ParseSeal(data []byte) (*Seal, error) {
	var ed ed25519.PrivateKey
	var ec *ecdsa.PrivateKey
	for {
		var blk *pem.Block
		blk, data = pem.Decode(data)
		if blk == nil {
			break
		}
		if blk.Type != "PRIVATE KEY" {
			continue
		}
		k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("çelësi i vulës: %w", err)
		}
		switch k := k.(type) {
		case ed25519.PrivateKey:
			ed = k
		case *ecdsa.PrivateKey:
			if k.Curve == elliptic.P256() {
				ec = k
			}
		}
	}
	if ed == nil || ec == nil {
		return nil, errors.New("skedari i çelësit të vulës duhet të mbajë një çelës privat Ed25519 dhe një ECDSA P-256 (PKCS #8, PEM)")
	}
	return sealOf(ed, ec)
}

// LoadSeal reads the seal from a PEM file.
func LoadSeal(path string) (*Seal, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("çelësi i vulës: %w", err)
	}
	return ParseSeal(data)
}

// NewSealFile makes a fresh seal and writes it to path (mode 0600); the
// demo keeps one beside its database.
func NewSealFile(path string) (*Seal, error) {
	s, err := NewSeal()
	if err != nil {
		return nil, err
	}
	data, err := s.PEM()
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return nil, fmt.Errorf("çelësi i vulës: %w", err)
	}
	return s, nil
}

// PublicPEM is the published key file (GET /certifikata/celesi): the
// record key and the PDF signature's certificate.
func (s *Seal) PublicPEM() []byte {
	var b bytes.Buffer
	der, _ := x509.MarshalPKIXPublicKey(s.Ed.Public())
	pem.Encode(&b, &pem.Block{Type: "PUBLIC KEY", Bytes: der})
	pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: s.Cert.Raw})
	return b.Bytes()
}

// ParsePublic reads a published key file: an Ed25519 PUBLIC KEY and the
// seal's CERTIFICATE (or an ECDSA PUBLIC KEY).
func ParsePublic(data []byte) (Public, error) {
	var pub Public
	for {
		var blk *pem.Block
		blk, data = pem.Decode(data)
		if blk == nil {
			break
		}
		var k any
		switch blk.Type {
		case "PUBLIC KEY":
			var err error
			if k, err = x509.ParsePKIXPublicKey(blk.Bytes); err != nil {
				return Public{}, fmt.Errorf("çelësi publik: %w", err)
			}
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(blk.Bytes)
			if err != nil {
				return Public{}, fmt.Errorf("çelësi publik: %w", err)
			}
			k = c.PublicKey
		}
		switch k := k.(type) {
		case ed25519.PublicKey:
			pub.Ed = k
		case *ecdsa.PublicKey:
			pub.EC = k
		}
	}
	if pub.Ed == nil || pub.EC == nil {
		return Public{}, errors.New("skedari i çelësit publik duhet të mbajë çelësin Ed25519 të AVA-s dhe certifikatën e vulës (PEM, /certifikata/celesi)")
	}
	return pub, nil
}
