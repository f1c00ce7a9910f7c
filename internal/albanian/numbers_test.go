package albanian

import "testing"

// TestIntSeparatesThousands: 36110 reads 36.110.
func TestIntSeparatesThousands(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1.000", 36110: "36.110", 1250000: "1.250.000", -4500: "-4.500"} {
		if got := Int(n); got != want {
			t.Errorf("Int(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestCountAgreesInNumber: "1 kandidat u zhvendos", "2 kandidatë u
// zhvendosën", "0 ndryshime".
func TestCountAgreesInNumber(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		n    int
		want string
	}{{1, "1 kandidat u zhvendos"}, {2, "2 kandidatë u zhvendosën"}, {0, "0 kandidatë u zhvendosën"}, {1200, "1.200 kandidatë u zhvendosën"}} {
		if got := Count(tc.n, "kandidat", "kandidatë") + " " + Agree(tc.n, "u zhvendos", "u zhvendosën"); got != tc.want {
			t.Errorf("%d: %q, want %q", tc.n, got, tc.want)
		}
	}
	if got := Count(1, "ndryshim", "ndryshime"); got != "1 ndryshim" {
		t.Errorf("%q", got)
	}
}
