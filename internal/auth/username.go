package auth

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxUsername is the longest username, in letters.
const MaxUsername = 64

// foldUsername is the one spelling of a typed username: compatibility
// forms composed (NFKC: "ｋｍｓｈ" and "kmsh", "e"+"◌̈" and "ë" are one),
// lower case, without the spaces around it. Every lookup of an account by
// name goes through it.
func foldUsername(s string) string {
	s = norm.NFKC.String(s)
	s = strings.ToLower(s)
	s = norm.NFC.String(s)
	return strings.TrimFunc(s, unicode.IsSpace)
}

// accountKey is what login throttling counts failures under: the folded
// name without any invisible character, so that "kmsh" and "kmsh" with a
// zero-width space are one account to the throttle.
func accountKey(s string) string {
	return strings.Map(func(r rune) rune {
		if invisible(r) || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, foldUsername(s))
}

// invisible reports the characters that print as nothing: controls and
// format characters (zero-width space and joiners, the byte-order mark,
// the soft hyphen, direction marks).
func invisible(r rune) bool {
	return unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) ||
		r == 0x115F || r == 0x1160 || r == 0x3164 || r == 0xFFA0 // Hangul fillers
}

// NormalizeUsername is the username a new account is stored under: folded
// (NFKC, lower case, trimmed), and refused when it has an invisible
// character, a space, a character other than Latin letters, digits and
// ". - _ @", or letters of two alphabets (Latin "a" and Cyrillic "а" look
// the same). The error is an Albanian phrase.
func NormalizeUsername(s string) (string, error) {
	n := foldUsername(s)
	if n == "" {
		return "", errors.New("emri i përdoruesit mungon")
	}
	if len([]rune(n)) > MaxUsername {
		return "", fmt.Errorf("emri i përdoruesit ka më shumë se %d shenja", MaxUsername)
	}
	var latin, other bool
	for _, r := range n {
		switch {
		case r >= '0' && r <= '9', r == '.', r == '-', r == '_', r == '@':
		case invisible(r):
			return "", fmt.Errorf("emri i përdoruesit ka një shenjë të padukshme (U+%04X)", r)
		case unicode.IsSpace(r):
			return "", errors.New("emri i përdoruesit ka hapësira")
		case unicode.IsLetter(r) && unicode.Is(unicode.Latin, r):
			latin = true
		case unicode.IsLetter(r):
			other = true
		default:
			return "", fmt.Errorf("emri i përdoruesit ka shenjën e palejuar %q (lejohen shkronja latine, shifra dhe . - _ @)", r)
		}
	}
	switch {
	case latin && other:
		return "", errors.New("emri i përdoruesit përzien shkronja të alfabeteve të ndryshme (p.sh. latine dhe cirilike)")
	case other:
		return "", errors.New("emri i përdoruesit lejon vetëm shkronja latine, shifra dhe . - _ @")
	}
	return n, nil
}
