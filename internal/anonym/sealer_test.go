package anonym

import (
	"crypto/ecdh"
	"crypto/rand"
	"strings"
	"testing"
)

// TestNeni59_3_BatchSealedLinksOpenOnlyWithTheKey: the links of one desk
// batch, sealed under one ephemeral key, each open with the exam's private
// key to their own code and candidate, carry eph columns that differ (the
// table's key), and do not open with another key or for another exam; a
// link sealed one by one (sealLink) opens the same way.
func TestNeni59_3_BatchSealedLinksOpenOnlyWithTheKey(t *testing.T) {
	priv, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := ecdh.X25519().GenerateKey(rand.Reader)
	pub := priv.PublicKey().Bytes()
	b, err := newBatchSealer(pub, 2027, "D2")
	if err != nil {
		t.Fatal(err)
	}
	codes := []string{"AAAAAAAA", "BBBBBBBB", "CCCCCCCC"}
	seen := map[string]bool{}
	type link struct{ eph, sealed string }
	var links []link
	for i, c := range codes {
		c = (c + strings.Repeat("X", CodeLen))[:CodeLen]
		codes[i] = c
		eph, sealed, err := b.seal(c, int64(100+i))
		if err != nil {
			t.Fatal(err)
		}
		if seen[eph] {
			t.Fatalf("two links of a batch share the eph column %s", eph)
		}
		seen[eph] = true
		links = append(links, link{eph, sealed})
	}
	o := newLinkOpener(priv, 2027, "D2")
	for i, l := range links {
		code, student, err := o.open(l.eph, l.sealed)
		if err != nil || code != codes[i] || student != int64(100+i) {
			t.Fatalf("link %d opens to %q %d (%v)", i, code, student, err)
		}
		if _, _, err := openLink(other, 2027, "D2", l.eph, l.sealed); err == nil {
			t.Fatal("a batch link opens with another key")
		}
		if _, _, err := openLink(priv, 2027, "D1", l.eph, l.sealed); err == nil {
			t.Fatal("a batch link opens for another exam")
		}
	}
	eph, sealed, err := sealLink(pub, 2027, "D2", codes[0], 7)
	if err != nil {
		t.Fatal(err)
	}
	if code, student, err := o.open(eph, sealed); err != nil || code != codes[0] || student != 7 {
		t.Fatalf("a single link opens to %q %d (%v)", code, student, err)
	}
}
