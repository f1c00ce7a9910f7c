package anonym

import (
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
)

// A batch sealer seals the links of one desk batch (AttachMany: one
// venue's labels) under one ephemeral X25519 key: one key agreement for
// the batch instead of two scalar multiplications per link, the rest as
// sealLink (HKDF of the shared secret, AES-GCM with a random nonce per
// link; AES-GCM with random 96-bit nonces stays safe far beyond a venue's
// few hundred links under one key). Each link's eph column is the batch's
// ephemeral public key, a dot and 8 random bytes (hex), so the column
// stays unique per link and the links' order in the table says nothing of
// the order they were sealed in. openLink reads both forms.
type batchSealer struct {
	ephHex string
	aead   cipher.AEAD
	aad    []byte
}

func newBatchSealer(pub []byte, year int, exam string) (*batchSealer, error) {
	pk, err := ecdh.X25519().NewPublicKey(pub)
	if err != nil {
		return nil, err
	}
	eph, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	shared, err := eph.ECDH(pk)
	if err != nil {
		return nil, err
	}
	ephPub := eph.PublicKey().Bytes()
	aead, err := linkAEAD(shared, ephPub, pub)
	if err != nil {
		return nil, err
	}
	return &batchSealer{ephHex: hex.EncodeToString(ephPub), aead: aead, aad: linkAAD(year, exam)}, nil
}

// seal returns the link's eph column and its sealed box (base64).
func (b *batchSealer) seal(code string, student int64) (string, string, error) {
	var tag [8]byte
	if _, err := rand.Read(tag[:]); err != nil {
		return "", "", err
	}
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", "", err
	}
	box := b.aead.Seal(nonce, nonce, linkPlain(code, student), b.aad)
	return b.ephHex + "." + hex.EncodeToString(tag[:]), base64.StdEncoding.EncodeToString(box), nil
}

// linkOpener opens sealed links, one key agreement per ephemeral key
// (a batch's links share theirs).
type linkOpener struct {
	priv  *ecdh.PrivateKey
	year  int
	exam  string
	aeads map[string]cipher.AEAD
}

func newLinkOpener(priv *ecdh.PrivateKey, year int, exam string) *linkOpener {
	return &linkOpener{priv: priv, year: year, exam: exam, aeads: map[string]cipher.AEAD{}}
}

func (o *linkOpener) open(ephCol, sealed string) (string, int64, error) {
	ephHex, _, _ := strings.Cut(ephCol, ".")
	aead, ok := o.aeads[ephHex]
	if !ok {
		ephPub, err := hex.DecodeString(ephHex)
		if err != nil {
			return "", 0, err
		}
		eph, err := ecdh.X25519().NewPublicKey(ephPub)
		if err != nil {
			return "", 0, err
		}
		shared, err := o.priv.ECDH(eph)
		if err != nil {
			return "", 0, err
		}
		if aead, err = linkAEAD(shared, ephPub, o.priv.PublicKey().Bytes()); err != nil {
			return "", 0, err
		}
		o.aeads[ephHex] = aead
	}
	return openBox(aead, o.year, o.exam, sealed)
}

func openBox(aead cipher.AEAD, year int, exam, sealed string) (string, int64, error) {
	box, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil {
		return "", 0, err
	}
	if len(box) < aead.NonceSize() {
		return "", 0, errors.New("anonym: short link")
	}
	plain, err := aead.Open(nil, box[:aead.NonceSize()], box[aead.NonceSize():], linkAAD(year, exam))
	if err != nil {
		return "", 0, err
	}
	if len(plain) != CodeLen+8 {
		return "", 0, errors.New("anonym: bad link")
	}
	return string(plain[:CodeLen]), int64(beUint64(plain[CodeLen:])), nil
}

func beUint64(b []byte) uint64 {
	var v uint64
	for _, x := range b[:8] {
		v = v<<8 | uint64(x)
	}
	return v
}
