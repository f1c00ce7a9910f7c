package anonym

import (
	"crypto/rand"
	"strings"
)

// Codes (Neni 51.3, 59.3): eight random symbols of Crockford's base-32
// alphabet and a check symbol, mod 37, from Crockford's check alphabet.
// A code is drawn from crypto/rand, so nothing about the candidate (the
// registration number, the seat, the order) can be derived from it. The
// check symbol catches every single-symbol typo and every swap of two
// neighbouring symbols (37 is prime and larger than the alphabet).

const (
	// alphabet is Crockford's base 32: no I, L, O, U.
	alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	// checkAlphabet adds the five check-only symbols of Crockford's
	// specification for the values 32–36.
	checkAlphabet = alphabet + "*~$=U"
	// DataLen is the number of random symbols of a code (40 bits).
	DataLen = 8
	// CodeLen is the length of a code with its check symbol.
	CodeLen = DataLen + 1
)

// symbolValue is the value of each data symbol, -1 for a symbol outside
// the alphabet.
var symbolValue = func() (v [256]int) {
	for i := range v {
		v[i] = -1
	}
	for i := 0; i < len(alphabet); i++ {
		v[alphabet[i]] = i
	}
	return v
}()

// checkSymbol returns the check symbol of data, which must be symbols of
// alphabet.
func checkSymbol(data string) byte {
	m := 0
	for i := 0; i < len(data); i++ {
		m = (m*32 + symbolValue[data[i]]) % 37
	}
	return checkAlphabet[m]
}

// NewCode draws a random code with its check symbol.
func NewCode() string {
	var b [DataLen]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	out := make([]byte, CodeLen)
	for i, x := range b {
		out[i] = alphabet[x&31]
	}
	out[DataLen] = checkSymbol(string(out[:DataLen]))
	return string(out)
}

// Normalize reads a code as a person types it or a scanner sends it:
// lower case, spaces and hyphens are ignored, and the letters Crockford
// maps (O → 0, I and L → 1) are read as digits. It returns the canonical
// code and whether it is well formed with a correct check symbol.
func Normalize(s string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch r {
		case ' ', '-', '\t':
			continue
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		if r > 127 {
			return "", false
		}
		b.WriteRune(r)
	}
	c := b.String()
	if len(c) != CodeLen {
		return c, false
	}
	for i := 0; i < DataLen; i++ {
		if symbolValue[c[i]] < 0 {
			return c, false
		}
	}
	return c, c[DataLen] == checkSymbol(c[:DataLen])
}

// Valid reports whether code is canonical and its check symbol right.
func Valid(code string) bool {
	c, ok := Normalize(code)
	return ok && c == code
}

// Display writes a code for people: two groups of four and the check
// symbol, "K7Q2-M9XD-R".
func Display(code string) string {
	if len(code) != CodeLen {
		return code
	}
	return code[:4] + "-" + code[4:8] + "-" + code[8:]
}
