package webkit

import (
	"testing"

	"provim/internal/auth"
)

// TestPeopleNamePeopleOnce: an actor is named by the account's name with
// the role acted in, once; provim itself and an unknown account in words.
func TestPeopleNamePeopleOnce(t *testing.T) {
	t.Parallel()
	ps := People{
		"kmsh.tirane": {FullName: "Arben Hoxha (KMSH Tiranë)", Role: auth.RoleKMSH},
		"ava":         {FullName: "Drita Kola", Role: auth.RoleAVA},
	}
	for _, c := range []struct{ actor, role, want string }{
		{"kmsh.tirane", "kmsh", "Arben Hoxha (KMSH Tiranë)"},
		{"ava", "ava", "Drita Kola (AVA)"},
		{"x", "system", "provim (vetë sistemi)"},
		{"pa.llogari", "kshmsh", "pa.llogari (KSHMSH)"},
		{auth.RoleKSHMSH.Label(), "kshmsh", auth.RoleKSHMSH.Label()},
	} {
		if got := ps.Who(c.actor, c.role); got != c.want {
			t.Errorf("Who(%q, %q) = %q, want %q", c.actor, c.role, got, c.want)
		}
	}
	if got := ps.Name("ava"); got != "Drita Kola (AVA)" {
		t.Errorf("Name(ava) = %q", got)
	}
	if got := ps.Name("e.panjohur"); got != "e.panjohur" {
		t.Errorf("Name of an unknown account = %q", got)
	}
}
