package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"provim/internal/auth"
)

// A session cookie is signed (auth/signed.go): a page resolves its caller
// from it without the database, and anything that is not a cookie this
// server's key signed, unchanged and unexpired, resolves to nobody.
func TestSignedSessionRefusesAnythingElse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := newAccounts(t, "vleresues")
	s, err := k.Auth.Login(ctx, "vleresues", pw, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	got, err := k.Auth.SessionUser(ctx, s.Token)
	if err != nil || got == nil || got.User.Username != "vleresues" || got.User.Role != auth.RoleMarker || got.User.Subject != "D1" || got.CSRF != s.CSRF {
		t.Fatalf("the session does not resolve to its account: %+v %v", got, err)
	}
	payload, sig, _ := strings.Cut(strings.TrimPrefix(s.Token, "s2."), ".")
	raw, _ := base64.RawURLEncoding.DecodeString(payload)
	forged := strings.Replace(string(raw), "vleresues", "vleresuez", 1) // another account's name, same length
	if forged == string(raw) {
		t.Fatal("the payload does not carry the username")
	}
	other := auth.NewService(k.DB)
	other.SessionKey = []byte("another key of thirty-two bytes!")
	bad := map[string]string{
		"a changed account":      "s2." + base64.RawURLEncoding.EncodeToString([]byte(forged)) + "." + sig,
		"a changed signature":    "s2." + payload + "." + strings.Repeat("A", len(sig)),
		"no signature":           "s2." + payload,
		"the bare session token": strings.Repeat("ab", 32),
		"another version":        "s3." + payload + "." + sig,
		"not base64":             "s2.%%%." + sig,
		"very long":              "s2." + strings.Repeat("A", 10000) + "." + sig,
	}
	for what, v := range bad {
		if got, err := k.Auth.SessionUser(ctx, v); got != nil || err != nil {
			t.Errorf("%s resolves: %+v %v", what, got, err)
		}
	}
	if got, _ := other.SessionUser(ctx, s.Token); got != nil {
		t.Error("a server with another key accepts the cookie")
	}
	// The cookie's expiry is the row's: past it, nobody.
	k.Clock.Advance(k.Auth.SessionTTL + time.Minute)
	if got, _ := k.Auth.SessionUser(ctx, s.Token); got != nil {
		t.Error("an expired session resolves")
	}
}

// What ends a session early ends it on every server of the database: on
// the one that ended it at once, on the others within auth.RevocationLag
// (they read session_revocations in commit order). A logout, a password
// change (which keeps the session that made it), a disabled account (even
// a session its row no longer lists), an account enabled again; a change
// rolled back revokes nothing.
func TestSignedSessionEndsOnEveryServer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := newAccounts(t, "vleresues", "ava0")
	if _, err := k.Auth.CreateUser(ctx, nil, auth.NewUser{Username: "ava", FullName: "AVA", Password: pw, Role: auth.RoleAVA}); err != nil {
		t.Fatal(err)
	}
	a, b := k.Auth, auth.NewService(k.DB) // two servers of one database
	login := func(user, password string) *auth.Session {
		t.Helper()
		s, err := a.Login(ctx, user, password, "192.0.2.2")
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	alive := func(what string, srv *auth.Service, s *auth.Session, want bool) {
		t.Helper()
		got, err := srv.SessionUser(ctx, s.Token)
		if err != nil || (got != nil) != want {
			t.Errorf("%s: alive %v, want %v (%v)", what, got != nil, want, err)
		}
	}
	lag := func() { time.Sleep(auth.RevocationLag + 50*time.Millisecond) }

	s1, s2 := login("vleresues", pw), login("vleresues", pw)
	alive("a new session, here", a, s1, true)
	alive("a new session, on the other server", b, s1, true)
	if err := a.Logout(ctx, s1.Token); err != nil {
		t.Fatal(err)
	}
	alive("a logout, here at once", a, s1, false)
	lag()
	alive("a logout, on the other server", b, s1, false)
	alive("the account's other session", b, s2, true)

	// A password change keeps the session that made it and ends the rest
	// (one change of several rows: every one counts on every server).
	s2b := login("vleresues", pw)
	s3 := login("vleresues", pw)
	me, _ := a.SessionUser(ctx, s3.Token)
	if err := a.SetPassword(ctx, me.User.Principal(), "vleresues", pw, newPw); err != nil {
		t.Fatal(err)
	}
	alive("the changing session, here", a, s3, true)
	alive("the other session, here", a, s2, false)
	lag()
	alive("the changing session, there", b, s3, true)
	alive("the other session, there", b, s2, false)
	alive("the third session, there", b, s2b, false)

	// Disabled: every session ends, even one its row no longer lists.
	admin, _ := a.SessionUser(ctx, login("ava", pw).Token)
	s4 := login("ava0", pw)
	alive("before the account is disabled", b, s4, true)
	err := k.DB.InTx(ctx, func(ctx context.Context) error {
		if err := a.SetDisabled(ctx, admin.User.Principal(), "ava0", true); err != nil {
			return err
		}
		return errors.New("rolled back")
	})
	if err == nil {
		t.Fatal("the transaction committed")
	}
	alive("a disable rolled back", a, s4, true)
	if err := a.SetDisabled(ctx, admin.User.Principal(), "ava0", true); err != nil {
		t.Fatal(err)
	}
	alive("disabled, here", a, s4, false)
	lag()
	alive("disabled, there", b, s4, false)
	// A session the disabling did not see (a login racing it) is refused
	// as well: the account is disabled.
	var id int64
	if err := k.DB.QueryRow(`SELECT id FROM users WHERE username = 'ava0'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	raced := strings.Repeat("cd", 32)
	if _, err := k.DB.Exec(`INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, 'x', '2000-01-01T00:00:00Z', '9999-12-31T23:59:59Z')`,
		tokenHash(raced), id); err != nil {
		t.Fatal(err)
	}
	cookie, err := a.SignSession(ctx, raced)
	if err != nil {
		t.Fatal(err)
	}
	for _, srv := range []*auth.Service{a, b} {
		if got, _ := srv.SessionUser(ctx, cookie); got != nil {
			t.Error("a session of a disabled account resolves")
		}
	}
	// Enabled again: the old session stays ended, a new login works.
	if err := a.SetDisabled(ctx, admin.User.Principal(), "ava0", false); err != nil {
		t.Fatal(err)
	}
	s5 := login("ava0", pw)
	alive("an ended session after enabling", a, s4, false)
	alive("a new login after enabling, here", a, s5, true)
	lag()
	alive("a new login after enabling, there", b, s5, true)
}

// tokenHash is what auth stores of a session's token (SHA-256, hex).
func tokenHash(raw string) string {
	h := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(h[:])
}

// An API token is signed as a session is, in a domain of its own (a
// cookie is no token, nor the other way round), and ends on every server
// as a session does; a bare token given out before signed tokens is
// still read from its row.
func TestSignedTokenEndsOnEveryServer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := newAccounts(t, "vleresues")
	a, b := k.Auth, auth.NewService(k.DB)
	tok, _, err := a.IssueToken(ctx, "vleresues", pw, "192.0.2.3", "test")
	if err != nil {
		t.Fatal(err)
	}
	sess, err := a.Login(ctx, "vleresues", pw, "192.0.2.3")
	if err != nil {
		t.Fatal(err)
	}
	alive := func(what string, srv *auth.Service, tok string, want bool) {
		t.Helper()
		got, err := srv.TokenUser(ctx, tok)
		if err != nil || (got != nil) != want {
			t.Errorf("%s: alive %v, want %v (%v)", what, got != nil, want, err)
		}
	}
	if !strings.HasPrefix(tok, "t2.") {
		t.Fatalf("the token is not signed: %q", tok)
	}
	alive("a new token, here", a, tok, true)
	alive("a new token, there", b, tok, true)
	alive("a session cookie as a token", a, sess.Token, false)
	if got, _ := a.SessionUser(ctx, tok); got != nil {
		t.Error("a token resolves as a session cookie")
	}
	alive("a changed token", a, tok[:len(tok)-2]+"AA", false)

	if err := a.RevokeToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	alive("revoked, here at once", a, tok, false)
	time.Sleep(auth.RevocationLag + 50*time.Millisecond)
	alive("revoked, there", b, tok, false)

	// A bare token, as tokens were given out before: read from its row.
	var id int64
	if err := k.DB.QueryRow(`SELECT id FROM users WHERE username = 'vleresues'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	bare := strings.Repeat("ef", 32)
	if _, err := k.DB.Exec(`INSERT INTO api_tokens (token_hash, user_id, name, created_at, expires_at) VALUES ($1, $2, 'old', '2000-01-01T00:00:00Z', '9999-12-31T23:59:59Z')`,
		tokenHash(bare), id); err != nil {
		t.Fatal(err)
	}
	alive("a bare token", b, bare, true)
	if err := a.RevokeToken(ctx, bare); err != nil {
		t.Fatal(err)
	}
	alive("a bare token revoked", b, bare, false)
}

// A revocation counts only while what it ends could still be shown: once
// every session and token it ends has expired, the servers forget it and
// its row is deleted (revocations.go, purge). One that still counts stays,
// on a server started after the purge too.
func TestRevocationsForgottenOnceTheirSessionsExpire(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := newAccounts(t, "vleresues", "ava0")
	if _, err := k.Auth.CreateUser(ctx, nil, auth.NewUser{Username: "ava", FullName: "AVA", Password: pw, Role: auth.RoleAVA}); err != nil {
		t.Fatal(err)
	}
	a := k.Auth
	a.SetWall(k.Clock) // the calendar's clock is the wall's here: it only moves forward
	rows := func() (n int) {
		t.Helper()
		if err := k.DB.QueryRow(`SELECT COUNT(*) FROM session_revocations WHERE until_at <> ''`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	login := func(user string) *auth.Session {
		t.Helper()
		s, err := a.Login(ctx, user, pw, "192.0.2.3")
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	old := login("vleresues")
	if err := a.Logout(ctx, old.Token); err != nil {
		t.Fatal(err)
	}
	admin, _ := a.SessionUser(ctx, login("ava").Token)
	if err := a.SetDisabled(ctx, admin.User.Principal(), "ava0", true); err != nil {
		t.Fatal(err)
	}
	if err := a.SetDisabled(ctx, admin.User.Principal(), "ava0", false); err != nil {
		t.Fatal(err)
	}
	var until string
	if err := k.DB.QueryRow(`SELECT until_at FROM session_revocations WHERE kind = 'end'`).Scan(&until); err != nil || until == "" {
		t.Fatalf("a logout counts until the session's expiry: %q %v", until, err)
	}
	if n := rows(); n != 3 {
		t.Fatalf("%d revocations written, want 3 (a logout, a disable, an enable)", n)
	}
	// Past the longest lifetime of a session or a token, and the purge's
	// margin: all expired.
	k.Clock.Advance(26 * time.Hour)
	b := auth.NewService(k.DB) // a server started now: its first revocation deletes the rows
	b.SetWall(k.Clock)
	fresh, err := b.Login(ctx, "vleresues", pw, "192.0.2.3")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := a.SessionUser(ctx, fresh.Token); err != nil || got == nil {
		t.Fatalf("a new session: %v", err)
	}
	if err := b.Logout(ctx, fresh.Token); err != nil {
		t.Fatal(err)
	}
	if got, err := b.SessionUser(ctx, old.Token); err != nil || got != nil {
		t.Errorf("an expired session resolves: %+v %v", got, err)
	}
	if got, err := b.SessionUser(ctx, fresh.Token); err != nil || got != nil {
		t.Errorf("a session ended before its expiry resolves after the purge: %+v %v", got, err)
	}
	if n := rows(); n != 1 {
		t.Errorf("%d revocations left, want only the one that still counts", n)
	}
	// The first server, which read them all before, forgets the expired
	// ones at its next purge and keeps the one that counts.
	if n := a.RevocationsKept(); n != 2 {
		t.Fatalf("the first server keeps %d revocations, want 2 (the logout, the account's last change)", n)
	}
	a.PurgeDue()
	time.Sleep(auth.RevocationLag + 50*time.Millisecond)
	if got, err := a.SessionUser(ctx, fresh.Token); err != nil || got != nil {
		t.Errorf("a server that forgot the expired revocations lost one that counts: %+v %v", got, err)
	}
	if n := a.RevocationsKept(); n != 1 {
		t.Errorf("the first server keeps %d revocations after its purge, want 1", n)
	}
	if got, err := b.SessionUser(ctx, login("ava0").Token); err != nil || got == nil {
		t.Errorf("the account enabled again signs in after the purge: %v", err)
	}
}

// The exam calendar's clock can be moved back (the demo, a training
// server's --today): a revocation is forgotten only once the wall clock
// is past it too, so moving the calendar back never brings a session
// that was ended back to life.
func TestRevocationsNotForgottenWhileTheCalendarCanGoBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := newAccounts(t, "vleresues")
	a := k.Auth // the wall clock is the real one: it stands before the calendar's 2027
	s, err := a.Login(ctx, "vleresues", pw, "192.0.2.4")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Logout(ctx, s.Token); err != nil {
		t.Fatal(err)
	}
	start := k.Clock.Now()
	k.Clock.Advance(26 * time.Hour)
	b := auth.NewService(k.DB)
	other, err := b.Login(ctx, "vleresues", pw, "192.0.2.4")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Logout(ctx, other.Token); err != nil { // the first revocation of b: its purge
		t.Fatal(err)
	}
	k.Clock.Set(start) // the calendar goes back: the first session is unexpired again
	for _, srv := range []*auth.Service{a, b, auth.NewService(k.DB)} {
		if got, err := srv.SessionUser(ctx, s.Token); err != nil || got != nil {
			t.Errorf("a session ended before the calendar went back resolves: %+v %v", got, err)
		}
	}
}
