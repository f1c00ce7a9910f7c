package auth_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
)

const newPw = "fjalëkalim-i-ri-22"

// TestPasswordChangeEndsOtherSessionsAndTokens: a user's own change ends
// every other session and token of the account and keeps the one that made
// it (a browser session or an API token); AVA's reset ends them all and
// leaves AVA's own signed in.
func TestPasswordChangeEndsOtherSessionsAndTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := newAccounts(t, "vleresues")
	if _, err := k.Auth.CreateUser(ctx, nil, auth.NewUser{Username: "ava", FullName: "AVA", Password: pw, Role: auth.RoleAVA}); err != nil {
		t.Fatal(err)
	}
	const addr = "192.0.2.10"
	login := func(user, password string) *auth.Session {
		t.Helper()
		s, err := k.Auth.Login(ctx, user, password, addr)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	token := func(user, password string) string {
		t.Helper()
		tok, _, err := k.Auth.IssueToken(ctx, user, password, addr, "test")
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	alive := func(what string, s *auth.Session, tok string, want bool) {
		t.Helper()
		if s != nil {
			got, err := k.Auth.SessionUser(ctx, s.Token)
			if err != nil || (got != nil) != want {
				t.Errorf("%s: session alive %v, want %v (%v)", what, got != nil, want, err)
			}
		}
		if tok != "" {
			got, err := k.Auth.TokenUser(ctx, tok)
			if err != nil || (got != nil) != want {
				t.Errorf("%s: token alive %v, want %v (%v)", what, got != nil, want, err)
			}
		}
	}

	// Own change at /llogaria: the session that made it stays.
	here, there, tok1, tok2 := login("vleresues", pw), login("vleresues", pw), token("vleresues", pw), token("vleresues", pw)
	me, _ := k.Auth.SessionUser(ctx, here.Token)
	if err := k.Auth.SetPassword(ctx, me.User.Principal(), "vleresues", pw, newPw); err != nil {
		t.Fatal(err)
	}
	alive("the session that changed it", here, "", true)
	alive("another session", there, "", false)
	alive("tokens", nil, tok1, false)
	alive("tokens", nil, tok2, false)

	// Own change through the API: the token that made it stays.
	tok3, tok4, other := token("vleresues", newPw), token("vleresues", newPw), login("vleresues", newPw)
	u, _ := k.Auth.TokenUser(ctx, tok3)
	if err := k.Auth.SetPassword(ctx, u.Principal(), "vleresues", newPw, pw); err != nil {
		t.Fatal(err)
	}
	alive("the token that changed it", nil, tok3, true)
	alive("another token", nil, tok4, false)
	alive("sessions", here, "", false)
	alive("sessions", other, "", false)

	// AVA's reset: every session and token of the account ends; AVA's stays.
	mine, avaTok := login("ava", pw), token("ava", pw)
	ava, _ := k.Auth.TokenUser(ctx, avaTok)
	victim := login("vleresues", pw)
	if err := k.Auth.SetPassword(ctx, ava.Principal(), "vleresues", "", newPw); err != nil {
		t.Fatal(err)
	}
	alive("after the reset", victim, tok3, false)
	alive("AVA's own", mine, avaTok, true)

	// Each change is in the log, with what it ended and no secret.
	entries, err := audit.Query(ctx, k.DB.DB, "user", "vleresues", 100)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
		if strings.HasPrefix(e.Action, "password_") && !strings.Contains(e.After, `"sessions_ended"`) {
			t.Errorf("%s: %s", e.Action, e.After)
		}
	}
	for _, want := range []string{"password_change", "password_reset"} {
		if !slices.Contains(actions, want) {
			t.Errorf("no %s entry: %v", want, actions)
		}
	}
}

// TestSecurityEventsAreAudited: logins, failed logins, throttling, tokens
// issued and revoked, logouts, password changes and resets leave an entry
// each, and no entry holds a password or a token.
func TestSecurityEventsAreAudited(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := newAccounts(t, "kmsh.tirane")
	const addr = "203.0.113.9"
	sess, err := k.Auth.Login(ctx, "kmsh.tirane", pw, addr)
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := k.Auth.IssueToken(ctx, "kmsh.tirane", pw, addr, "skripti")
	if err != nil {
		t.Fatal(err)
	}
	if err := k.Auth.RevokeToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if err := k.Auth.Logout(ctx, sess.Token); err != nil {
		t.Fatal(err)
	}
	for range auth.PairFree {
		k.Auth.Login(ctx, "kmsh.tirane", "gabim-sekret-1", addr)
	}
	// A name that is no account: maybe a password typed in the wrong field.
	k.Auth.Login(ctx, "sekret-fjalekalimi", "gabim-sekret-2", "198.51.100.1")
	me := &auth.Principal{Username: "kmsh.tirane", Role: auth.RoleMarker}
	if err := k.Auth.SetPassword(ctx, me, "kmsh.tirane", pw, newPw); err != nil {
		t.Fatal(err)
	}
	if err := k.Auth.SetPassword(ctx, &auth.Principal{Username: "ava", Role: auth.RoleAVA}, "kmsh.tirane", "", pw); err != nil {
		t.Fatal(err)
	}

	entries, err := audit.Query(ctx, k.DB.DB, "", "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, e := range entries {
		count[e.Action]++
		all := e.Actor + e.ObjectID + e.Before + e.After
		for _, secret := range []string{pw, newPw, "gabim-sekret", "sekret-fjalekalimi", tok, sess.Token} {
			if strings.Contains(all, secret) {
				t.Errorf("%s entry holds a secret: %s", e.Action, all)
			}
		}
	}
	want := map[string]int{"login": 1, "token_issue": 1, "token_revoke": 1, "logout": 1, "login_failed": auth.PairFree + 1,
		"login_throttled": 1, "password_change": 1, "password_reset": 1}
	for action, n := range want {
		if count[action] != n {
			t.Errorf("%s: %d entries, want %d (all: %v)", action, count[action], n, count)
		}
	}
	if _, problem, err := audit.Verify(ctx, k.DB.DB); problem != nil || err != nil {
		t.Errorf("the chain does not verify: %v %v", problem, err)
	}
}

// TestUsernamesAreNormalised: a username is stored folded (NFKC, lower
// case, trimmed) and refused with an invisible character, a space, or
// letters of another alphabet than Latin, mixed or not.
func TestUsernamesAreNormalised(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		" KMSH.Tiranë ":     "kmsh.tiranë",
		"kmsh.tirane\u0308": "kmsh.tiranë", // decomposed ë
		"ｋｍｓｈ.ｔｉｒａｎｅ":       "kmsh.tirane", // full-width letters
		"Çela_2027@ava":     "çela_2027@ava",
	} {
		if got, err := auth.NormalizeUsername(in); err != nil || got != want {
			t.Errorf("%q: %q %v, want %q", in, got, err, want)
		}
	}
	for in, why := range map[string]string{
		"":                                      "mungon",
		"kmsh\u200b.tirane":                     "padukshme", // zero-width space
		"kmsh\u00ad.tirane":                     "padukshme", // soft hyphen
		"\ufeffkmsh":                            "padukshme", // byte-order mark
		"kmsh tirane":                           "hapësira",
		"kmsh.tіrane":                           "alfabeteve", // Cyrillic і
		"кмсх":                                  "latine",
		"kmsh/tirane":                           "palejuar",
		strings.Repeat("a", auth.MaxUsername+1): "shenja",
	} {
		if _, err := auth.NormalizeUsername(in); err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("%q: %v, want a refusal about %q", in, err, why)
		}
	}

	// Spellings of one name are one account.
	ctx := context.Background()
	k := newAccounts(t, "kmsh.tirane")
	for _, dup := range []string{"KMSH.TIRANE", " kmsh.tirane ", "ｋｍｓｈ.ｔｉｒａｎｅ"} {
		_, err := k.Auth.CreateUser(ctx, nil, auth.NewUser{Username: dup, FullName: "X", Password: pw, Role: auth.RoleMarker, Subject: "D1"})
		if apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("%q: %v, want a conflict with kmsh.tirane", dup, err)
		}
	}
	_, err := k.Auth.CreateUser(ctx, nil, auth.NewUser{Username: "kmsh.tirane\u200b", FullName: "X", Password: pw, Role: auth.RoleMarker, Subject: "D1"})
	if apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), "padukshme") {
		t.Errorf("with a zero-width space: %v", err)
	}
	if _, err := k.Auth.Login(ctx, " KMSH.Tirane ", pw, "192.0.2.1"); err != nil {
		t.Errorf("another spelling signs in: %v", err)
	}
}
