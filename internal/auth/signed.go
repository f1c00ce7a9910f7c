package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
)

// Signed sessions and API tokens (issue 15, results night; issue 12,
// student pages). A
// browser session is what it was: a random token whose row the server
// keeps (its CSRF token, its confirmation message, the password change
// that keeps it), made at login. The cookie carries that token with the
// account it signs in and the session's expiry, signed by the servers'
// key (HMAC-SHA256), so a page resolves its caller without reading the
// database: half of what a page cost was that read. What ends a session
// before its time — a logout, a password change or reset, a disabled
// account — is a revocation every server reads (revocations.go). An API
// token is signed the same way (asToken), with its own prefix and MAC
// domain.
//
// The cookie carries the account as it was at login. Nothing changes an
// account's role, scope or name afterwards (no statement updates them);
// a change that would must end the account's sessions and tokens
// (endAll), as a password change does.
//
// The key is never in the database: a dump of it cannot make a cookie.
// Servers that share one database share the key through
// PROVIM_SESSION_KEY; without it a server on a SQLite file keeps one
// beside the database (cmd/provim/sessionkey.go), and any other process
// makes its own at start, which its cookies stop matching at restart (the
// users sign in again).

// signedKind is what a signed value is: a session cookie or an API token,
// each with its prefix and the domain its MAC is computed in, so that one
// is never taken for the other.
type signedKind struct{ prefix, domain string }

var (
	// asCookie: version 2 of the session cookie (the first was the bare token).
	asCookie = signedKind{"s2.", "provim-session-v2\n"}
	// asToken: version 2 of the API token (the first, the bare token, is
	// still read from its row: tokens given out before it keep working).
	asToken = signedKind{"t2.", "provim-token-v2\n"}
)

// MinSessionKey is the shortest key PROVIM_SESSION_KEY may give, in bytes.
const MinSessionKey = 32

// processKey is the key of a process that was given none: every service of
// the process (the two servers of a load test) signs with it.
var processKey = sync.OnceValue(func() []byte {
	k := make([]byte, MinSessionKey)
	rand.Read(k)
	return k
})

// ParseSessionKey reads PROVIM_SESSION_KEY: hexadecimal, at least
// MinSessionKey bytes.
func ParseSessionKey(s string) ([]byte, error) {
	k, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("PROVIM_SESSION_KEY duhet të jetë heksadecimal: %w", err)
	}
	if len(k) < MinSessionKey {
		return nil, fmt.Errorf("PROVIM_SESSION_KEY ka %d bajte; duhen të paktën %d (openssl rand -hex %d)", len(k), MinSessionKey, MinSessionKey)
	}
	return k, nil
}

// claims are what a session cookie or an API token carries: the token and
// the CSRF token of the session (none for an API token), its expiry (as
// the row's expires_at), and the account it signs in, as callerCols reads
// it. They are written field by field, each string with its length
// (marshal), not as JSON: decoding them is on every request.
type claims struct {
	Raw, CSRF, Expires           string
	ID                           int64
	Username, FullName           string
	Role                         Role
	Unit, School, Venue, Subject string
	StudentID, StaffID           int64
	CreatedAt                    string
}

// claimsLayout is the first byte of a payload: the layout of its fields.
const claimsLayout = 1

func (c claims) marshal() []byte {
	b := make([]byte, 1, 320)
	b[0] = claimsLayout
	for _, f := range []string{c.Raw, c.CSRF, c.Expires, c.Username, c.FullName, string(c.Role), c.Unit, c.School, c.Venue, c.Subject, c.CreatedAt} {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	for _, n := range []int64{c.ID, c.StudentID, c.StaffID} {
		b = binary.AppendVarint(b, n)
	}
	return b
}

// unmarshal reads what marshal wrote; false for anything else (a field
// longer than what is left, a length not in its shortest form, bytes left
// over): one set of claims has one encoding.
func (c *claims) unmarshal(b []byte) bool {
	if len(b) == 0 || b[0] != claimsLayout {
		return false
	}
	b = b[1:]
	fields := [11]*string{&c.Raw, &c.CSRF, &c.Expires, &c.Username, &c.FullName, (*string)(&c.Role), &c.Unit, &c.School, &c.Venue, &c.Subject, &c.CreatedAt}
	for _, f := range fields {
		n, k := binary.Uvarint(b)
		if k <= 0 || k != len(binary.AppendUvarint(nil, n)) || n > uint64(len(b)-k) {
			return false // malformed, not the shortest form, or longer than what is left
		}
		*f, b = string(b[k:k+int(n)]), b[k+int(n):]
	}
	for _, f := range []*int64{&c.ID, &c.StudentID, &c.StaffID} {
		n, k := binary.Varint(b)
		if k <= 0 || k != len(binary.AppendVarint(nil, n)) {
			return false
		}
		*f, b = n, b[k:]
	}
	return len(b) == 0
}

func claimsOf(raw, csrf, expires string, u *User) claims {
	return claims{Raw: raw, CSRF: csrf, Expires: expires, ID: u.ID, Username: u.Username, FullName: u.FullName, Role: u.Role,
		Unit: u.Unit, School: u.School, Venue: u.Venue, Subject: u.Subject, StudentID: u.StudentID, StaffID: u.StaffID, CreatedAt: u.CreatedAt}
}

func (c claims) user() *User {
	return &User{ID: c.ID, Username: c.Username, FullName: c.FullName, Role: c.Role, Unit: c.Unit, School: c.School,
		Venue: c.Venue, Subject: c.Subject, StudentID: c.StudentID, StaffID: c.StaffID, CreatedAt: c.CreatedAt}
}

// sign writes c as a value of kind: prefix, payload and MAC, each part
// base64url.
func (k signedKind) sign(key []byte, c claims) string {
	payload := c.marshal()
	enc := base64.RawURLEncoding
	return k.prefix + enc.EncodeToString(payload) + "." + enc.EncodeToString(k.mac(key, payload))
}

func (k signedKind) mac(key, payload []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(k.domain))
	m.Write(payload)
	return m.Sum(nil)
}

// maxCookie bounds what is decoded of a signed value (a session's cookie is
// well under a kilobyte).
const maxCookie = 4096

// verify reads a value made by sign with key; ok is false for any value
// that is not one of kind, whose MAC does not match, or that does not
// decode.
func (k signedKind) verify(key []byte, value string) (c claims, ok bool) {
	if len(value) > maxCookie || !strings.HasPrefix(value, k.prefix) {
		return c, false
	}
	p, m, found := strings.Cut(value[len(k.prefix):], ".")
	if !found {
		return c, false
	}
	enc := base64.RawURLEncoding
	payload, err := enc.DecodeString(p)
	if err != nil {
		return c, false
	}
	got, err := enc.DecodeString(m)
	if err != nil || !hmac.Equal(got, k.mac(key, payload)) {
		return c, false
	}
	if !c.unmarshal(payload) || c.Raw == "" || c.ID == 0 {
		return claims{}, false
	}
	return c, true
}

// rawToken is the token a value of kind carries: the signed value's,
// verified, else the value itself (what a logout or a revoked API token
// finds its row by).
func (s *Service) rawToken(k signedKind, value string) string {
	if c, ok := k.verify(s.key(), value); ok {
		return c.Raw
	}
	return value
}

func (s *Service) key() []byte {
	if len(s.SessionKey) > 0 {
		return s.SessionKey
	}
	return processKey()
}
