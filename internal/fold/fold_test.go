package fold

import "testing"

// TestFold: ë and ç read as e and c, in either case, composed or not.
func TestFold(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Çaushi": "caushi", "ÇELA": "cela", "Ëngjëll": "engjell", "e\u0308": "e", "Durrës": "durres", "abc": "abc",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Contains("50%_a\\"); got != `%50\%\_a\\%` {
		t.Errorf("Contains escapes LIKE's characters: %q", got)
	}
}
