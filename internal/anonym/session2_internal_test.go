package anonym

import (
	"strings"
	"testing"
)

// TestNeni58_SharesOfASecondSessionTestReadBack: the key of a test of the
// second session (Neni 58, 59.3) is split into shares named by the test's
// key, which holds a dash ("D1-2"): each share reads back as a share of
// that test and of no other — not of D1 of the first session, not of
// another year — and a mistyped share is told apart.
func TestNeni58_SharesOfASecondSessionTestReadBack(t *testing.T) {
	_, shares, err := newSecret(2027, "D1-2", 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	_, first, err := newSecret(2027, "D1", 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i, sh := range shares {
		if !strings.HasPrefix(sh, "2027-D1-2-") {
			t.Fatalf("share %d: %s", i+1, sh)
		}
		p, err := parseShare(2027, "D1-2", strings.ToLower(sh))
		if err != nil || p.no != i+1 {
			t.Fatalf("share %d does not read back: %v", i+1, err)
		}
		if _, err := parseShare(2027, "D1", sh); err == nil {
			t.Fatalf("share %d of D1-2 reads as D1's", i+1)
		}
		if _, err := parseShare(2028, "D1-2", sh); err == nil {
			t.Fatalf("share %d of 2027 reads as 2028's", i+1)
		}
		typo := []byte(sh)
		typo[len("2027-D1-2-1-")] ^= 1
		if _, err := parseShare(2027, "D1-2", string(typo)); err == nil {
			t.Fatalf("share %d mistyped reads", i+1)
		}
	}
	for i, sh := range first {
		if _, err := parseShare(2027, "D1-2", sh); err == nil {
			t.Fatalf("share %d of D1 reads as D1-2's", i+1)
		}
		if p, err := parseShare(2027, "D1", sh); err != nil || p.no != i+1 {
			t.Fatalf("share %d of D1: %v", i+1, err)
		}
	}
}
