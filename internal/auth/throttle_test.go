package auth_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/testkit"
)

// newAccounts is a testkit system with markers (a role whose scope needs no
// registry row) of the given names, each with password pw.
func newAccounts(t *testing.T, names ...string) *testkit.Kit {
	t.Helper()
	k := testkit.New(t)
	for _, n := range names {
		if _, err := k.Auth.CreateUser(context.Background(), nil, auth.NewUser{Username: n, FullName: "Vlerësues " + n, Password: pw, Role: auth.RoleMarker, Subject: "D1"}); err != nil {
			t.Fatal(err)
		}
	}
	return k
}

// try signs in and reports how it was answered: "ok", "bad" (wrong user
// or password, the password was checked) or "wait" (throttled, not checked).
func try(t *testing.T, k *testkit.Kit, user, password, addr string) string {
	t.Helper()
	_, err := k.Auth.Login(context.Background(), user, password, addr)
	if err == nil {
		return "ok"
	}
	switch apperr.CodeOf(err) {
	case apperr.Unauthorized:
		return "bad"
	case apperr.TooMany:
		return "wait"
	}
	t.Fatalf("login %s from %s: %v", user, addr, err)
	return ""
}

// TestThrottle_GrowingDelaysPerAccountAndAddress: one address gets
// PairFree free failures on an account, then waits 1, 2, 4 minutes after
// each further one; during a wait even the right password is not checked;
// a success from that address clears it.
func TestThrottle_GrowingDelaysPerAccountAndAddress(t *testing.T) {
	t.Parallel()
	k := newAccounts(t, "kmsh.tirane")
	const stranger = "203.0.113.9"
	for i := range auth.PairFree {
		if got := try(t, k, "kmsh.tirane", "gabim-gabim", stranger); got != "bad" {
			t.Fatalf("failure %d: %s", i+1, got)
		}
	}
	for _, wait := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute} {
		if got := try(t, k, "kmsh.tirane", pw, stranger); got != "wait" {
			t.Fatalf("right password during the %v wait: %s, want wait", wait, got)
		}
		k.Clock.Advance(wait - time.Second)
		if got := try(t, k, "kmsh.tirane", "gabim-gabim", stranger); got != "wait" {
			t.Fatalf("a second before the end of the %v wait: %s", wait, got)
		}
		k.Clock.Advance(time.Second)
		if got := try(t, k, "kmsh.tirane", "gabim-gabim", stranger); got != "bad" {
			t.Fatalf("after the %v wait: %s, want the password checked", wait, got)
		}
	}
	k.Clock.Advance(8 * time.Minute)
	if got := try(t, k, "kmsh.tirane", pw, stranger); got != "ok" {
		t.Fatalf("after the last wait, the right password: %s", got)
	}
	if got := try(t, k, "kmsh.tirane", "gabim-gabim", stranger); got != "bad" {
		t.Fatalf("a success clears the pair: %s", got)
	}
}

// TestThrottle_StrangerNeverLocksOutTheRealUser: a stranger's failures
// from one address, however many, never keep the real user out from
// another address — neither one the user signed in from before nor one
// never seen — and the stranger gets few checks an hour.
func TestThrottle_StrangerNeverLocksOutTheRealUser(t *testing.T) {
	t.Parallel()
	k := newAccounts(t, "kmsh.tirane")
	const home, stranger = "192.0.2.10", "203.0.113.9"
	if got := try(t, k, "kmsh.tirane", pw, home); got != "ok" {
		t.Fatal(got)
	}
	checked := 0
	for minute := 0; minute < 120; minute++ {
		for range 3 {
			if try(t, k, "kmsh.tirane", "gabim-gabim", stranger) == "bad" {
				checked++
			}
		}
		if minute%15 == 0 {
			if got := try(t, k, "kmsh.tirane", pw, home); got != "ok" {
				t.Fatalf("minute %d: the real user at home: %s", minute, got)
			}
			if got := try(t, k, "kmsh.tirane", pw, fmt.Sprintf("198.51.100.%d", minute)); got != "ok" {
				t.Fatalf("minute %d: the real user from a new address: %s", minute, got)
			}
		}
		k.Clock.Advance(time.Minute)
	}
	// 5 free, then after 1, 2, 4, 8, 16, 32 minutes and an hour: 11 checks in two hours.
	if checked > 12 {
		t.Fatalf("one address had %d passwords checked in two hours", checked)
	}
}

// TestThrottle_ManyAddressesGetFewTriesPerHour: guessing one account from
// many addresses gets no more than a few passwords checked per hour,
// while the real user from an address they signed in from is not held back.
func TestThrottle_ManyAddressesGetFewTriesPerHour(t *testing.T) {
	t.Parallel()
	k := newAccounts(t, "kmsh.tirane")
	const home = "192.0.2.10"
	if got := try(t, k, "kmsh.tirane", pw, home); got != "ok" {
		t.Fatal(got)
	}
	perHour := map[int]int{}
	for minute := 0; minute < 180; minute += 2 {
		for a := range 12 {
			addr := fmt.Sprintf("203.0.113.%d", 10+a+12*(minute/30)) // fresh addresses every half hour
			if try(t, k, "kmsh.tirane", "gabim-gabim", addr) == "bad" {
				perHour[minute/60]++
			}
		}
		if minute%20 == 0 {
			if got := try(t, k, "kmsh.tirane", pw, home); got != "ok" {
				t.Fatalf("minute %d: the real user at home: %s", minute, got)
			}
		}
		k.Clock.Advance(2 * time.Minute)
	}
	for h := range 3 {
		if perHour[h] > 8 {
			t.Errorf("hour %d: %d passwords checked from many addresses, want at most 8", h+1, perHour[h])
		}
	}
	t.Logf("passwords checked per hour from many addresses: %v", perHour)
}

// TestThrottle_NATDoesNotLockEveryAccount: 30 failures from one address (a
// school behind one NAT) do not lock the accounts behind it: one that has
// signed in from there is not held back at all, another waits at most a
// minute.
func TestThrottle_NATDoesNotLockEveryAccount(t *testing.T) {
	t.Parallel()
	k := newAccounts(t, "kshmsh.a", "kshmsh.b")
	const nat = "192.0.2.77"
	if got := try(t, k, "kshmsh.a", pw, nat); got != "ok" {
		t.Fatal(got)
	}
	for i := range auth.AddressLimit {
		if got := try(t, k, fmt.Sprintf("nxenes.%d", i), "gabim-gabim", nat); got != "bad" {
			t.Fatalf("failure %d: %s", i+1, got)
		}
	}
	if got := try(t, k, "kshmsh.a", pw, nat); got != "ok" {
		t.Fatalf("an account that signed in from the address: %s", got)
	}
	if got := try(t, k, "kshmsh.b", pw, nat); got != "wait" {
		t.Fatalf("another account right after 30 failures: %s, want a short wait", got)
	}
	k.Clock.Advance(auth.AddressDelay)
	if got := try(t, k, "kshmsh.b", pw, nat); got != "ok" {
		t.Fatalf("another account a minute later: %s", got)
	}
}

// TestThrottle_SpellingsAreOneAccount: case, surrounding spaces, Unicode
// forms and invisible characters do not make another account to the
// throttle.
func TestThrottle_SpellingsAreOneAccount(t *testing.T) {
	t.Parallel()
	k := newAccounts(t, "kmsh.tiranë")
	const addr = "203.0.113.9"
	for _, spelling := range []string{"KMSH.TIRANË", "  kmsh.tiranë\t", "kmsh.tirane\u0308", "ｋｍｓｈ.ｔｉｒａｎë", "kmsh\u200b.tiranë"} {
		if got := try(t, k, spelling, "gabim-gabim", addr); got != "bad" {
			t.Fatalf("%q: %s", spelling, got)
		}
	}
	if got := try(t, k, "kmsh.tiranë", pw, addr); got != "wait" {
		t.Fatalf("after five spellings failed: %s, want wait", got)
	}
	// The spellings without invisible characters sign in as the account.
	k.Clock.Advance(time.Minute)
	if got := try(t, k, " KMSH.Tirane\u0308 ", pw, addr); got != "ok" {
		t.Fatalf("another spelling of the account: %s", got)
	}
}

// TestThrottle_CountsAcrossServers: two servers on one database (two auth
// services) count the same failures.
func TestThrottle_CountsAcrossServers(t *testing.T) {
	t.Parallel()
	k := newAccounts(t, "kmsh.tirane")
	other := auth.NewService(k.DB)
	const addr = "203.0.113.9"
	ctx := context.Background()
	for i := range auth.PairFree {
		svc := k.Auth
		if i%2 == 1 {
			svc = other
		}
		if _, err := svc.Login(ctx, "kmsh.tirane", "gabim-gabim", addr); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	for _, svc := range []*auth.Service{k.Auth, other} {
		if _, err := svc.Login(ctx, "kmsh.tirane", pw, addr); apperr.CodeOf(err) != apperr.TooMany {
			t.Fatalf("after failures on both servers: %v, want too_many", err)
		}
	}
}
