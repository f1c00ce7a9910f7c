package auth

import (
	"bytes"
	"testing"
)

// FuzzClaims: a payload never panics the decoder, and what it accepts it
// writes back byte for byte (one encoding per set of claims); a cookie of
// random bytes never verifies.
func FuzzClaims(f *testing.F) {
	f.Add(claims{Raw: "ab", CSRF: "cd", Expires: "2027-06-08T10:00:00Z", ID: 7, Username: "k1", FullName: "Ëndrit Çela",
		Role: RoleStudent, StudentID: 9, CreatedAt: "2027-01-01T00:00:00Z"}.marshal())
	f.Add([]byte{claimsLayout})
	f.Add([]byte{})
	key := []byte("a key of thirty-two bytes, fuzz!")
	f.Fuzz(func(t *testing.T, b []byte) {
		var c claims
		if c.unmarshal(b) && !bytes.Equal(c.marshal(), b) {
			t.Fatalf("accepted %x, writes %x", b, c.marshal())
		}
		if _, ok := asCookie.verify(key, "s2."+string(b)); ok {
			t.Fatalf("%q verifies", b)
		}
	})
}
