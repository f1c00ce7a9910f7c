package albanian

import (
	"strconv"
	"strings"
)

// Int writes n with a dot between thousands, as Albanian does: 36.110,
// 1.250.000; below 10.000 too (4.500), as the examples read.
func Int(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Count writes n with the noun in the number it takes: the singular for
// exactly 1 and the plural for any other number, "1 kandidat", "2
// kandidatë", "0 ndryshime", with thousands separated (Int).
func Count(n int, one, many string) string {
	if n == 1 || n == -1 {
		return Int(n) + " " + one
	}
	return Int(n) + " " + many
}

// Agree picks the form of a word (a verb, an adjective) that agrees with
// a count: one for exactly 1, else many ("u zhvendos" / "u zhvendosën").
func Agree(n int, one, many string) string {
	if n == 1 || n == -1 {
		return one
	}
	return many
}
