package examday

import (
	"strings"
	"unicode/utf8"

	"provim/internal/clock"
	"provim/internal/registry"
)

// clean is a typed text in NFC with its spaces folded, cut at max runes.
func clean(s string, max int) string {
	s = strings.Join(strings.Fields(registry.NFC(s)), " ")
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max])
	}
	return s
}

// stampOrEmpty is a stored time in Tirana, "" for none.
func stampOrEmpty(stored string) string {
	if stored == "" {
		return ""
	}
	return clock.Stamp(stored)
}
