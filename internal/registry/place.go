package registry

import (
	"strings"

	"provim/internal/fold"
)

// Place joins the parts of a place as people read it ("Rruga e Kavajës 5,
// Tiranë"), the empty ones left out, without saying a place twice
// (issue 11, part D: not "Shkodër, Shkodër"): a part is left out when a
// part already written ends with it as a whole word ("Rruga Ura e Re,
// Shkodër" and "Shkodër"; "DAR Shkodër" and "Shkodër"), and a part
// already written is dropped when a later one ends with it (the city
// before an address that names it). Case and ë/ç do not count. Every page
// and document that shows an address, a city or a DAR beside each other
// goes through it.
func Place(parts ...string) string {
	var kept []string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		said := false
		for _, k := range kept {
			if endsWithWord(k, p) {
				said = true
				break
			}
		}
		if said {
			continue
		}
		out := kept[:0]
		for _, k := range kept {
			if !endsWithWord(p, k) {
				out = append(out, k)
			}
		}
		kept = append(out, p)
	}
	return strings.Join(kept, ", ")
}

// endsWithWord: s ends with w, folded, and what stands before w in s (if
// anything) ends a word.
func endsWithWord(s, w string) bool {
	fs, fw := fold.Fold(s), fold.Fold(w)
	if !strings.HasSuffix(fs, fw) {
		return false
	}
	rest := strings.TrimSuffix(fs, fw)
	return rest == "" || strings.ContainsAny(rest[len(rest)-1:], " ,-–/(")
}

// PersonName is a person's name in the one format every page and
// document shows (issue 11, part D): "Emër (Atësi) Mbiemër", as the
// Albanian lists print it, the father's name left out when unknown.
func PersonName(first, father, last string) string {
	first, father, last = strings.TrimSpace(first), strings.TrimSpace(father), strings.TrimSpace(last)
	parts := make([]string, 0, 3)
	if first != "" {
		parts = append(parts, first)
	}
	if father != "" {
		parts = append(parts, "("+father+")")
	}
	if last != "" {
		parts = append(parts, last)
	}
	return strings.Join(parts, " ")
}
