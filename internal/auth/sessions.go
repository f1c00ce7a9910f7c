package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/clock"
	"provim/internal/store"
)

// errBadLogin is the single message for a wrong user or password, so that a
// caller cannot learn which accounts exist.
var errBadLogin = apperr.New(apperr.Unauthorized, "Emri i përdoruesit ose fjalëkalimi nuk është i saktë.")

var dummyHash = "$argon2id$v=19$m=32768,t=2,p=2$c2FsdHNhbHRzYWx0c2FsdA$5kTFNx5Xh0CV3l8b8m2vNzQbZKQy3b9b1+1k4zA8fWc"

// login is a checked sign-in, to be completed in the transaction that
// starts its session or token.
type login struct {
	user *User
	key  string // accountKey of what was typed
	addr string // addressKey of the caller
}

// authenticate checks a username and password under the throttle
// (throttle.go) and records a failure with its audit entry.
func (s *Service) authenticate(ctx context.Context, username, password, addr string) (*login, error) {
	key, addr := accountKey(username), addressKey(addr)
	var u *User
	if name, err := NormalizeUsername(username); err == nil {
		u, err = s.userByName(ctx, name)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
	}
	var userID int64
	if u != nil {
		userID = u.ID
	}
	now := s.db.Now(ctx)
	known, err := s.known(ctx, userID, addr, now)
	if err != nil {
		return nil, err
	}
	until, _, err := s.throttled(ctx, key, addr, known, now)
	if err != nil {
		return nil, err
	}
	if !until.IsZero() {
		return nil, tooMany(until.Sub(now))
	}
	if u == nil {
		// Spend the same time as a real check, so timing does not reveal accounts.
		CheckPassword(ctx, dummyHash, password)
		if err := s.failed(ctx, key, addr, nil); err != nil {
			return nil, err
		}
		return nil, errBadLogin
	}
	ok, err := CheckPassword(ctx, u.hash, password)
	if err != nil {
		return nil, err
	}
	if !ok || u.Disabled {
		if err := s.failed(ctx, key, addr, u); err != nil {
			return nil, err
		}
		return nil, errBadLogin
	}
	return &login{user: u, key: key, addr: addr}, nil
}

// Authenticate checks a username and password from addr, with throttling
// per account and per address (throttle.go); the check is audited.
func (s *Service) Authenticate(ctx context.Context, username, password, addr string) (*User, error) {
	l, err := s.authenticate(ctx, username, password, addr)
	if err != nil {
		return nil, err
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.succeeded(ctx, l.key, l.addr, l.user); err != nil {
			return err
		}
		return audit.Add(ctx, l.user.Principal().Actor(), "login", "login", l.user.Username, nil, map[string]string{"address": l.addr, "via": "check"})
	})
	if err != nil {
		return nil, err
	}
	return l.user, nil
}

func newToken() (raw, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	raw = hex.EncodeToString(b)
	return raw, hashToken(raw)
}

func hashToken(raw string) string {
	h := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(h[:])
}

// Session is a browser session. Token is the cookie's value: the signed
// session (signed.go), whose raw token lives only in the cookie.
type Session struct {
	Token string
	CSRF  string
	User  *User
	// Flash is the confirmation waiting to be shown on the next page, once
	// read (TakeFlash): a page that has none to show reads nothing.
	Flash string
	hash  string // the raw token's hash: the key of the session's row
	svc   *Service
}

// Login authenticates and starts a new session: a fresh token every login,
// so a token planted before login is worthless.
func (s *Service) Login(ctx context.Context, username, password, addr string) (*Session, error) {
	l, err := s.authenticate(ctx, username, password, addr)
	if err != nil {
		return nil, err
	}
	u := l.user
	raw, hash := newToken()
	csrf, _ := newToken()
	var expires string
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Q(ctx)
		now := s.db.Now(ctx).UTC()
		expires = now.Add(s.SessionTTL).Format(time.RFC3339)
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < $1`, now.Format(time.RFC3339)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			hash, u.ID, csrf, now.Format(time.RFC3339), expires); err != nil {
			return err
		}
		if err := s.succeeded(ctx, l.key, l.addr, u); err != nil {
			return err
		}
		return audit.Add(ctx, u.Principal().Actor(), "login", "login", u.Username, nil, map[string]string{"address": l.addr, "via": "session"})
	})
	if err != nil {
		return nil, fmt.Errorf("auth: create session: %w", err)
	}
	u.via = hash
	return &Session{Token: asCookie.sign(s.key(), claimsOf(raw, csrf, expires, u)), CSRF: csrf, User: u, hash: hash, svc: s}, nil
}

// SessionUser resolves a session cookie without reading the database: the
// cookie's signature, then its expiry, then the revocations (what ended
// the session early, or disabled its account) that this server knows,
// read again at most RevocationLag after the last read. Anything else —
// a bare token, another key's cookie, a changed byte — resolves to nobody.
func (s *Service) SessionUser(ctx context.Context, value string) (*Session, error) {
	if value == "" {
		return nil, nil
	}
	c, ok := asCookie.verify(s.key(), value)
	if !ok || c.Expires < clock.Stored(s.db.Now(ctx)) {
		return nil, nil
	}
	hash := hashToken(c.Raw)
	revoked, err := s.revoked(ctx, hash, c.ID)
	if err != nil {
		return nil, err
	}
	if revoked {
		return nil, nil
	}
	u := c.user()
	u.via = hash
	return &Session{Token: value, CSRF: c.CSRF, User: u, hash: hash, svc: s}, nil
}

// SignSession is the cookie of the session whose raw token is raw, as
// Login makes it, read from its row (sessions made in bulk, LoadSessions,
// and the tests' signed-in users).
func (s *Service) SignSession(ctx context.Context, raw string) (string, error) {
	var csrf, expires, flash string
	u, err := scanUser(withExtra(s.db.Q(ctx).QueryRowContext(ctx, sessionUserQuery, hashToken(raw)), &csrf, &expires, &flash))
	if err != nil {
		return "", fmt.Errorf("auth: sign session: %w", err)
	}
	return asCookie.sign(s.key(), claimsOf(raw, csrf, expires, u)), nil
}

// SignToken is the API token whose raw token is raw, as IssueToken gives
// it, read from its row (the tests' signed-in users).
func (s *Service) SignToken(ctx context.Context, raw string) (string, error) {
	var expires string
	u, err := scanUser(withExtra(s.db.Q(ctx).QueryRowContext(ctx, tokenUserQuery, hashToken(raw)), &expires))
	if err != nil {
		return "", fmt.Errorf("auth: sign token: %w", err)
	}
	return asToken.sign(s.key(), claimsOf(raw, "", expires, u)), nil
}

// sessionUserQuery and tokenUserQuery read a user with the session or
// token of a hash. The session's columns are renamed in a derived table,
// so that callerCols names the user's columns alone (both tables have a
// created_at); both engines flatten it into a join on the two primary keys.
var (
	sessionUserQuery = `SELECT ` + callerCols + `, s.s_csrf, s.s_expires, s.s_flash FROM users
	JOIN (SELECT user_id AS s_user, csrf AS s_csrf, expires_at AS s_expires, flash AS s_flash FROM sessions WHERE token_hash = $1) s ON users.id = s.s_user`
	tokenUserQuery = `SELECT ` + callerCols + `, t.t_expires FROM users
	JOIN (SELECT user_id AS t_user, expires_at AS t_expires FROM api_tokens WHERE token_hash = $1) t ON users.id = t.t_user`
)

// withExtra is row whose Scan fills extra after the destinations it is
// given: scanUser's columns, then those of the session or token.
func withExtra(row store.Scanner, extra ...any) store.Scanner {
	return extraScanner{row, extra}
}

type extraScanner struct {
	row   store.Scanner
	extra []any
}

func (e extraScanner) Scan(dest ...any) error {
	return e.row.Scan(append(dest[:len(dest):len(dest)], e.extra...)...)
}

// MaxFlash is the longest confirmation a session keeps, in letters.
const MaxFlash = 500

// SetFlash keeps msg with the session, to be shown once by its next page:
// the confirmation comes from the server, never from the address. The
// page that shows it knows to read it from a mark the web layer sets
// beside the cookie (a page without the mark reads nothing).
func (sess *Session) SetFlash(ctx context.Context, msg string) error {
	if sess == nil || sess.svc == nil {
		return nil
	}
	if utf8.RuneCountInString(msg) > MaxFlash {
		msg = string([]rune(msg)[:MaxFlash-1]) + "…"
	}
	_, err := sess.svc.db.Q(ctx).ExecContext(ctx, `UPDATE sessions SET flash = $1 WHERE token_hash = $2`, msg, sess.hash)
	if err != nil {
		return fmt.Errorf("auth: keep flash: %w", err)
	}
	sess.Flash = msg
	return nil
}

// TakeFlash returns the waiting confirmation and clears it, so it is shown
// once; a newer one set meanwhile stays. It reads the session's row (one
// statement, and one more when there is a message).
func (sess *Session) TakeFlash(ctx context.Context) (string, error) {
	if sess == nil || sess.svc == nil {
		return "", nil
	}
	msg := sess.Flash
	sess.Flash = ""
	q := sess.svc.db.Q(ctx)
	if msg == "" {
		err := q.QueryRowContext(ctx, `SELECT flash FROM sessions WHERE token_hash = $1`, sess.hash).Scan(&msg)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return "", fmt.Errorf("auth: read flash: %w", err)
		}
	}
	if msg == "" {
		return "", nil
	}
	_, err := q.ExecContext(ctx, `UPDATE sessions SET flash = '' WHERE token_hash = $1 AND flash = $2`, sess.hash, msg)
	if err != nil {
		return "", fmt.Errorf("auth: clear flash: %w", err)
	}
	return msg, nil
}

// Logout ends a session (value is its cookie), on every server.
func (s *Service) Logout(ctx context.Context, value string) error {
	return s.end(ctx, "sessions", "logout", s.rawToken(asCookie, value))
}

// end deletes the session or token raw from table and audits it as action
// by its user; an unknown one is no change.
func (s *Service) end(ctx context.Context, table, action, raw string) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.Q(ctx)
		var userID int64
		var until string
		err := q.QueryRowContext(ctx, `DELETE FROM `+table+` WHERE token_hash = $1 RETURNING user_id, expires_at`, hashToken(raw)).Scan(&userID, &until)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("auth: %s: %w", action, err)
		}
		if err := s.revoke(ctx, revocation{kind: revokeEnd, hash: hashToken(raw), userID: userID, until: until}); err != nil {
			return err
		}
		u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, userID))
		if err != nil {
			return fmt.Errorf("auth: %s: %w", action, err)
		}
		return audit.Add(ctx, u.Principal().Actor(), action, "login", u.Username, nil, nil)
	})
}

// IssueToken authenticates and returns a bearer token for the API.
func (s *Service) IssueToken(ctx context.Context, username, password, addr, name string) (string, time.Time, error) {
	l, err := s.authenticate(ctx, username, password, addr)
	if err != nil {
		return "", time.Time{}, err
	}
	if utf8.RuneCountInString(name) > 100 {
		return "", time.Time{}, apperr.New(apperr.Invalid, "Emri i token-it ka më shumë se 100 shenja.")
	}
	u := l.user
	raw, hash := newToken()
	var exp time.Time
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		now := s.db.Now(ctx).UTC()
		exp = now.Add(s.TokenTTL)
		if _, err := s.db.Q(ctx).ExecContext(ctx, `INSERT INTO api_tokens (token_hash, user_id, name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			hash, u.ID, name, now.Format(time.RFC3339), exp.Format(time.RFC3339)); err != nil {
			return fmt.Errorf("auth: create token: %w", err)
		}
		if err := s.succeeded(ctx, l.key, l.addr, u); err != nil {
			return err
		}
		// The token itself is a secret: the entry names it by its name and expiry only.
		return audit.Add(ctx, u.Principal().Actor(), "token_issue", "login", u.Username, nil,
			map[string]string{"address": l.addr, "name": name, "expires_at": clock.Stored(exp)})
	})
	if err != nil {
		return "", time.Time{}, err
	}
	return asToken.sign(s.key(), claimsOf(raw, "", exp.Format(time.RFC3339), u)), exp, nil
}

// TokenUser resolves a bearer token. A signed one (asToken, as IssueToken
// gives them) as SessionUser resolves a cookie, without the database; a
// bare one, given out before, with its user in one indexed read.
func (s *Service) TokenUser(ctx context.Context, raw string) (*User, error) {
	if strings.HasPrefix(raw, asToken.prefix) {
		c, ok := asToken.verify(s.key(), raw)
		if !ok || c.Expires < clock.Stored(s.db.Now(ctx)) {
			return nil, nil
		}
		hash := hashToken(c.Raw)
		revoked, err := s.revoked(ctx, hash, c.ID)
		if err != nil || revoked {
			return nil, err
		}
		u := c.user()
		u.via = hash
		return u, nil
	}
	var expires string
	hash := hashToken(raw)
	u, err := scanUser(withExtra(s.db.Q(ctx).QueryRowContext(ctx, tokenUserQuery, hash), &expires))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("auth: read token: %w", err)
	}
	if expires < clock.Stored(s.db.Now(ctx)) || u.Disabled {
		return nil, nil
	}
	u.via = hash
	return u, nil
}

// RevokeToken deletes a bearer token, on every server.
func (s *Service) RevokeToken(ctx context.Context, value string) error {
	return s.end(ctx, "api_tokens", "token_revoke", s.rawToken(asToken, value))
}
