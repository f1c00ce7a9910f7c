package auth

import (
	"context"
	"strings"
	"sync"
	"testing"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	ctx := context.Background()
	h, err := HashPassword(ctx, "fjalëkalim-çelës")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=32768,t=2,p=2$") {
		t.Fatalf("hash keeps its parameters: %s", h)
	}
	h2, _ := HashPassword(ctx, "fjalëkalim-çelës")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	for pw, want := range map[string]bool{"fjalëkalim-çelës": true, "fjalekalim-celes": false, "": false} {
		if ok, err := CheckPassword(ctx, h, pw); err != nil || ok != want {
			t.Errorf("check %q: %v %v, want %v", pw, ok, err, want)
		}
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA"} {
		if _, err := CheckPassword(ctx, bad, "x"); err == nil {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
}

// TestHashConcurrencyIsBounded: no more than cap(hashSlots) hashes run at
// once however many logins arrive, and a cancelled caller stops waiting.
func TestHashConcurrencyIsBounded(t *testing.T) {
	for range cap(hashSlots) {
		hashSlots <- struct{}{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := HashPassword(ctx, "fjalëkalim-çelës"); err == nil {
		t.Fatal("hash ran with every slot taken")
	}
	var wg sync.WaitGroup
	done := make(chan struct{})
	wg.Go(func() {
		HashPassword(context.Background(), "fjalëkalim-çelës")
		close(done)
	})
	select {
	case <-done:
		t.Fatal("hash ran with every slot taken")
	default:
	}
	for range cap(hashSlots) {
		<-hashSlots
	}
	wg.Wait()
}

func TestPasswordPolicy(t *testing.T) {
	if CheckPasswordPolicy("ëëëëëëëëë") == nil {
		t.Error("9 letters accepted")
	}
	if CheckPasswordPolicy("ëëëëëëëëëë") != nil {
		t.Error("10 letters (counted as letters, not bytes) refused")
	}
}
