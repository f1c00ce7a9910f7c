package registry

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Every text that enters the registry, from a form, the API or a file, is
// normalised to Unicode NFC (so "e" followed by a combining diaeresis is
// the one letter "ë", as a keyboard types it) and bounded per field: a
// record with a longer value is refused with the field's name and limit.

// Longest values, in characters (runes), of the registry's text fields.
const (
	MaxPersonName = 50  // first name, father's name, surname
	MaxTitle      = 150 // the name of a DAR/ZA, school or venue
	MaxCity       = 60
	MaxAddress    = 200
	MaxPhone      = 30
	MaxCode       = 32 // codes of DAR/ZA, schools and venues
	MaxClass      = 20
	MaxRoom       = 60 // the name of an exam room
	MaxSubjects   = 200
	MaxKeyword    = 40 // enumerated values: sex, category, position, profile, kind
	maxEcho       = 40 // how much of a bad value a message repeats
)

// NFC returns s in Unicode normal form C.
func NFC(s string) string {
	if norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// clean normalises s to NFC and collapses runs of white space to one space.
func clean(s string) string { return strings.Join(strings.Fields(NFC(s)), " ") }

// trim normalises s to NFC and trims surrounding white space (codes).
func trim(s string) string { return strings.TrimSpace(NFC(s)) }

// quote is a value as a message repeats it: cut after maxEcho characters,
// so that a refused megabyte is not sent back.
func quote(s string) string {
	if utf8.RuneCountInString(s) <= maxEcho {
		return s
	}
	r := []rune(s)
	return string(r[:maxEcho]) + "…"
}

// invisible reports a control or format character (NUL, zero-width
// space, direction marks), which no field of the registry holds.
func invisible(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return true
		}
	}
	return false
}

// limit refuses a value longer than max characters or holding invisible
// characters; v is already normalised. It reports whether v is acceptable.
func (ps *problems) limit(field, v string, max int) bool {
	if n := utf8.RuneCountInString(v); n > max {
		ps.addf("%s ka %d shenja, më shumë se %d që lejohen", field, n, max)
		return false
	}
	if invisible(v) {
		ps.addf("%s përmban shenja të padukshme ose shenja kontrolli", field)
		return false
	}
	return true
}

// text is a free-text field: NFC, white space collapsed, bounded.
func (ps *problems) text(field, v string, max int) string {
	v = clean(v)
	ps.limit(field, v, max)
	return v
}

// code is a code or an enumerated value: NFC, trimmed, bounded.
func (ps *problems) code(field, v string, max int) string {
	v = trim(v)
	ps.limit(field, v, max)
	return v
}
