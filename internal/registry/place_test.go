package registry_test

import (
	"testing"

	"provim/internal/registry"
)

// TestPlaceSaysNoPlaceTwice: an address, a city and a DAR are joined
// without repeating the city (issue 11, part D: not "Shkodër, Shkodër"),
// whatever the case and ë/ç, and only whole words count.
func TestPlaceSaysNoPlaceTwice(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		parts []string
		want  string
	}{
		{[]string{"Shkodër", "Shkodër"}, "Shkodër"},
		{[]string{"Rruga Ura e Re 4, Shkodër", "Shkodër"}, "Rruga Ura e Re 4, Shkodër"},
		{[]string{"Shkodër", "Rruga Ura e Re 4, Shkodër"}, "Rruga Ura e Re 4, Shkodër"},
		{[]string{"Rruga e Kavajës 5", "Tiranë"}, "Rruga e Kavajës 5, Tiranë"},
		{[]string{"Tiranë", "DAR Tiranë"}, "DAR Tiranë"},
		{[]string{"Rruga 1, SHKODER", "Shkodër"}, "Rruga 1, SHKODER"},
		{[]string{"", "Durrës", " "}, "Durrës"},
		{[]string{"Lagjja Kavaja", "Kavajë"}, "Lagjja Kavaja, Kavajë"},
		{[]string{"Rruga Mati", "Fier"}, "Rruga Mati, Fier"},
		{[]string{"Rrugamat", "Mat"}, "Rrugamat, Mat"},
		{nil, ""},
	} {
		if got := registry.Place(c.parts...); got != c.want {
			t.Errorf("Place(%q) = %q, want %q", c.parts, got, c.want)
		}
	}
}

// TestPersonNameIsOneFormat: every name as "Emër (Atësi) Mbiemër"; the
// students' and the lists' FullName are the same.
func TestPersonNameIsOneFormat(t *testing.T) {
	t.Parallel()
	if got := registry.PersonName("Arbër", "Ilir", "Çela"); got != "Arbër (Ilir) Çela" {
		t.Errorf("%q", got)
	}
	if got := registry.PersonName(" Ema ", "", "Leka"); got != "Ema Leka" {
		t.Errorf("without a father's name: %q", got)
	}
	s := registry.Student{FirstName: "Arbër", FatherName: "Ilir", LastName: "Çela"}
	l := registry.Listed{FirstName: "Arbër", FatherName: "Ilir", LastName: "Çela"}
	if s.FullName() != "Arbër (Ilir) Çela" || l.FullName() != s.FullName() {
		t.Errorf("FullName: %q, %q", s.FullName(), l.FullName())
	}
}
