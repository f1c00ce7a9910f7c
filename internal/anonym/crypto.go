package anonym

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/cloudflare/circl/group"
	"github.com/cloudflare/circl/secretsharing"
)

// The sealed link (Neni 58, 59.3).
//
// When AVA names the key holders of an exam, a random secret scalar of the
// prime-order group ristretto255 is split k-of-n with Shamir's scheme
// (cloudflare/circl secretsharing); the exam's X25519 private key is
// derived from the secret with HKDF, its public key stored, and the secret,
// the private key and the shares are forgotten once the shares are given
// out. Only a SHA-256 commitment of each share is kept, to check a share
// when it comes back.
//
// Each link (code, candidate) is encrypted at the desk to the public key:
// a fresh ephemeral X25519 key, HKDF-SHA256 over the shared secret, and
// AES-256-GCM with the year and exam as associated data. The server can
// write links but never read them back; k holders together rebuild the
// secret in memory to open them.

var ristretto = group.Ristretto255

// shareEncoding is Crockford's base 32 without padding, for shares people
// copy by hand.
var shareEncoding = base32.NewEncoding(alphabet).WithPadding(base32.NoPadding)

// keyInfo binds the derived key to the exam.
func keyInfo(year int, exam string) string {
	return fmt.Sprintf("provim anonym x25519 %d %s", year, exam)
}

// deriveKey derives the exam's X25519 private key from the shared secret.
func deriveKey(secret group.Scalar, year int, exam string) (*ecdh.PrivateKey, error) {
	raw, err := secret.MarshalBinary()
	if err != nil {
		return nil, err
	}
	k, err := hkdf.Key(sha256.New, raw, nil, keyInfo(year, exam), 32)
	if err != nil {
		return nil, err
	}
	return ecdh.X25519().NewPrivateKey(k)
}

// newSecret draws the secret, splits it into n shares of which k open,
// and returns the public key and the shares as text.
func newSecret(year int, exam string, k, n int) (pub []byte, shares []string, err error) {
	secret := ristretto.RandomScalar(rand.Reader)
	priv, err := deriveKey(secret, year, exam)
	if err != nil {
		return nil, nil, err
	}
	// circl's threshold t is the degree of the polynomial: t+1 shares open.
	ss := secretsharing.New(rand.Reader, uint(k-1), secret)
	for _, sh := range ss.Share(uint(n)) {
		text, err := shareText(year, exam, sh)
		if err != nil {
			return nil, nil, err
		}
		shares = append(shares, text)
	}
	return priv.PublicKey().Bytes(), shares, nil
}

// Share text: "<year>-<exam>-<no>-<value in 13 groups of 4>-<check>", the
// check being the first two bytes of SHA-256 of what precedes it, so a
// mistyped share is told apart from a wrong one.
func shareText(year int, exam string, sh secretsharing.Share) (string, error) {
	raw, err := sh.Value.MarshalBinary()
	if err != nil {
		return "", err
	}
	id, err := shareID(sh.ID)
	if err != nil {
		return "", err
	}
	v := shareEncoding.EncodeToString(raw)
	var groups []string
	for len(v) > 4 {
		groups = append(groups, v[:4])
		v = v[4:]
	}
	groups = append(groups, v)
	body := fmt.Sprintf("%d-%s-%d-%s", year, exam, id, strings.Join(groups, "-"))
	return body + "-" + shareCheck(body), nil
}

func shareCheck(body string) string {
	sum := sha256.Sum256([]byte(strings.ReplaceAll(body, "-", "")))
	return shareEncoding.EncodeToString(sum[:2])
}

func shareID(s group.Scalar) (int, error) {
	raw, err := s.MarshalBinary()
	if err != nil {
		return 0, err
	}
	// ristretto255 scalars are little-endian; ids are 1..n.
	for _, b := range raw[8:] {
		if b != 0 {
			return 0, errors.New("anonym: share id out of range")
		}
	}
	return int(binary.LittleEndian.Uint64(raw[:8])), nil
}

// parsedShare is a share read back from its text.
type parsedShare struct {
	no    int
	share secretsharing.Share
	hash  string
}

// errShareText is a share that does not read as one of this exam.
var errShareText = errors.New("share text")

// parseShare reads a share of the exam typed by a holder (spaces, case and
// new lines are ignored).
func parseShare(year int, exam, text string) (parsedShare, error) {
	t := strings.ToUpper(strings.Join(strings.Fields(text), ""))
	// The exam is a test key, which may hold a dash itself ("D1-2"): the
	// share must begin with the year and the key, and the rest is read
	// by its dashes.
	rest, ok := strings.CutPrefix(t, strconv.Itoa(year)+"-"+strings.ToUpper(exam)+"-")
	if !ok {
		return parsedShare{}, errShareText
	}
	parts := strings.Split(rest, "-")
	if len(parts) < 3 {
		return parsedShare{}, errShareText
	}
	body := strings.TrimSuffix(t, "-"+parts[len(parts)-1])
	if subtle.ConstantTimeCompare([]byte(shareCheck(body)), []byte(parts[len(parts)-1])) != 1 {
		return parsedShare{}, errShareText
	}
	no, err := strconv.Atoi(parts[0])
	if err != nil || no < 1 || no > 255 {
		return parsedShare{}, errShareText
	}
	raw, err := shareEncoding.DecodeString(strings.Join(parts[1:len(parts)-1], ""))
	if err != nil {
		return parsedShare{}, errShareText
	}
	val := ristretto.NewScalar()
	if err := val.UnmarshalBinary(raw); err != nil {
		return parsedShare{}, errShareText
	}
	id := ristretto.NewScalar()
	id.SetUint64(uint64(no))
	return parsedShare{no: no, share: secretsharing.Share{ID: id, Value: val}, hash: shareHash(year, exam, no, raw)}, nil
}

// shareHash is the commitment kept of a share: SHA-256 over the exam, the
// holder's number and the share's value.
func shareHash(year int, exam string, no int, value []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "provim anonym share %d %s %d:", year, exam, no)
	h.Write(value)
	return hex.EncodeToString(h.Sum(nil))
}

// hashOfShareText is the commitment of a share given out as text.
func hashOfShareText(year int, exam, text string) (int, string, error) {
	p, err := parseShare(year, exam, text)
	if err != nil {
		return 0, "", err
	}
	return p.no, p.hash, nil
}

// recoverKey rebuilds the exam's private key from k shares and checks it
// against the stored public key.
func recoverKey(year int, exam string, k int, shares []parsedShare, pub []byte) (*ecdh.PrivateKey, error) {
	list := make([]secretsharing.Share, len(shares))
	for i, s := range shares {
		list[i] = s.share
	}
	secret, err := secretsharing.Recover(uint(k-1), list)
	if err != nil {
		return nil, err
	}
	priv, err := deriveKey(secret, year, exam)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare(priv.PublicKey().Bytes(), pub) != 1 {
		return nil, errors.New("anonym: the shares do not rebuild the exam's key")
	}
	return priv, nil
}

// linkPlain is the fixed-size plaintext of a link: the code and the
// candidate's id, so every sealed link has the same length.
func linkPlain(code string, student int64) []byte {
	b := make([]byte, CodeLen+8)
	copy(b, code)
	binary.BigEndian.PutUint64(b[CodeLen:], uint64(student))
	return b
}

func linkAAD(year int, exam string) []byte {
	return fmt.Appendf(nil, "provim anonym link %d %s", year, exam)
}

// sealLink encrypts (code, student) to the public key; it returns the
// ephemeral public key (hex) and the sealed box (base64).
func sealLink(pub []byte, year int, exam, code string, student int64) (string, string, error) {
	pk, err := ecdh.X25519().NewPublicKey(pub)
	if err != nil {
		return "", "", err
	}
	eph, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return "", "", err
	}
	shared, err := eph.ECDH(pk)
	if err != nil {
		return "", "", err
	}
	ephPub := eph.PublicKey().Bytes()
	aead, err := linkAEAD(shared, ephPub, pub)
	if err != nil {
		return "", "", err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", "", err
	}
	box := aead.Seal(nonce, nonce, linkPlain(code, student), linkAAD(year, exam))
	return hex.EncodeToString(ephPub), base64.StdEncoding.EncodeToString(box), nil
}

func linkAEAD(shared, ephPub, pub []byte) (cipher.AEAD, error) {
	salt := append(append([]byte{}, ephPub...), pub...)
	key, err := hkdf.Key(sha256.New, shared, salt, "provim anonym link", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// openLink decrypts a sealed link with the exam's private key (its eph
// column is the ephemeral public key, or a batch's key with a tag: see
// batchSealer).
func openLink(priv *ecdh.PrivateKey, year int, exam, ephHex, sealed string) (string, int64, error) {
	return newLinkOpener(priv, year, exam).open(ephHex, sealed)
}
