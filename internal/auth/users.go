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
	"sync"
	"time"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/clock"
	"provim/internal/store"
)

// User is an account. PasswordHash never leaves this package.
type User struct {
	ID        int64  `json:"id"`
	Username  string `json:"username"`
	FullName  string `json:"full_name"`
	Role      Role   `json:"role"`
	Unit      string `json:"unit_code,omitempty"`
	School    string `json:"school_code,omitempty"`
	Venue     string `json:"venue_code,omitempty"`
	Subject   string `json:"subject,omitempty"`
	StudentID int64  `json:"student_id,omitempty"`
	Disabled  bool   `json:"disabled"`
	CreatedAt string `json:"created_at"`
	hash      string
}

// Principal returns the user as an authenticated caller.
func (u *User) Principal() *Principal {
	return &Principal{UserID: u.ID, Username: u.Username, FullName: u.FullName, Role: u.Role,
		Unit: u.Unit, School: u.School, Venue: u.Venue, Subject: u.Subject, StudentID: u.StudentID}
}

// Service manages users, sessions and tokens.
type Service struct {
	db       *store.DB
	throttle *throttle
	// SessionTTL is how long a browser session lives without a new login.
	SessionTTL time.Duration
	// TokenTTL is how long an API token lives.
	TokenTTL time.Duration
}

// NewService returns the auth service over db.
func NewService(db *store.DB) *Service {
	return &Service{db: db, throttle: newThrottle(),
		SessionTTL: 12 * time.Hour, TokenTTL: 24 * time.Hour}
}

const userCols = `id, username, full_name, password_hash, role, COALESCE(unit_code, ''), COALESCE(school_code, ''),
	COALESCE(venue_code, ''), subject, COALESCE(student_id, 0), disabled, created_at`

func scanUser(row store.Scanner) (*User, error) {
	var u User
	var role string
	err := row.Scan(&u.ID, &u.Username, &u.FullName, &u.hash, &role, &u.Unit, &u.School, &u.Venue,
		&u.Subject, &u.StudentID, &u.Disabled, &u.CreatedAt)
	u.Role = Role(role)
	return &u, err
}

// NewUser is the input for CreateUser.
type NewUser struct {
	Username  string `json:"username"`
	FullName  string `json:"full_name"`
	Password  string `json:"password"`
	Role      Role   `json:"role"`
	Unit      string `json:"unit_code"`
	School    string `json:"school_code"`
	Venue     string `json:"venue_code"`
	Subject   string `json:"subject"`
	StudentID int64  `json:"student_id"`
}

func (n *NewUser) validate() error {
	var problems []string
	n.Username = strings.TrimSpace(strings.ToLower(n.Username))
	n.FullName = strings.TrimSpace(n.FullName)
	if n.Username == "" || strings.ContainsAny(n.Username, " \t/") {
		problems = append(problems, "emri i përdoruesit mungon ose ka hapësira")
	}
	if n.FullName == "" {
		problems = append(problems, "emri i plotë mungon")
	}
	if err := CheckPasswordPolicy(n.Password); err != nil {
		problems = append(problems, err.Error())
	}
	if !n.Role.Valid() {
		problems = append(problems, fmt.Sprintf("roli %q nuk njihet", n.Role))
	}
	// Each role carries exactly the scope it needs.
	need := map[Role]string{RoleKMSH: n.Unit, RoleKSHMSH: n.School, RolePAP: n.Venue, RoleAP: n.Venue, RoleAS: n.Venue, RoleMarker: n.Subject}
	if v, ok := need[n.Role]; ok && strings.TrimSpace(v) == "" {
		problems = append(problems, "roli "+n.Role.Label()+" kërkon fushën e veprimit (DAR/ZA, shkollë, qendër ose lëndë)")
	}
	if n.Role == RoleStudent && n.StudentID == 0 {
		problems = append(problems, "llogaria e nxënësit duhet të lidhet me një nxënës")
	}
	if len(problems) > 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "Përdoruesi nuk u krijua: " + strings.Join(problems, "; ") + ".", Details: problems}
	}
	return nil
}

func nullIf(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// CreateUser adds an account. Only AVA manages users.
func (s *Service) CreateUser(ctx context.Context, by *Principal, n NewUser) (*User, error) {
	if by != nil { // nil: the CLI or the demo, run by the operator
		if err := Require(by, RoleAVA); err != nil {
			return nil, err
		}
	}
	if err := n.validate(); err != nil {
		return nil, err
	}
	hash, err := HashPassword(ctx, n.Password)
	if err != nil {
		return nil, err
	}
	var u *User
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Q(ctx)
		now := clock.Stored(s.db.Now(ctx))
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO users (username, full_name, password_hash, role, unit_code, school_code, venue_code, subject, student_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			n.Username, n.FullName, hash, string(n.Role), nullIf(n.Unit), nullIf(n.School), nullIf(n.Venue), n.Subject, nullID(n.StudentID), now).Scan(&id)
		if store.IsUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "Përdoruesi %q ekziston tashmë.", n.Username)
		}
		if err != nil {
			if strings.Contains(err.Error(), "FOREIGN KEY") || strings.Contains(err.Error(), "23503") {
				return apperr.New(apperr.Invalid, "Fusha e veprimit (DAR/ZA, shkolla, qendra ose nxënësi) nuk ekziston.")
			}
			return fmt.Errorf("auth: insert user: %w", err)
		}
		u = &User{ID: id, Username: n.Username, FullName: n.FullName, Role: n.Role, Unit: n.Unit, School: n.School,
			Venue: n.Venue, Subject: n.Subject, StudentID: n.StudentID, CreatedAt: now}
		return audit.Add(ctx, by.Actor(), "create", "user", n.Username, nil, u)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// ListUsers lists accounts (AVA only).
func (s *Service) ListUsers(ctx context.Context, by *Principal) ([]User, error) {
	if err := Require(by, RoleAVA); err != nil {
		return nil, err
	}
	out, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (User, error) {
		u, err := scanUser(r)
		if err != nil {
			return User{}, err
		}
		return *u, nil
	}, `SELECT `+userCols+` FROM users ORDER BY role, username`)
	if err != nil {
		return nil, fmt.Errorf("auth: list users: %w", err)
	}
	return out, nil
}

// SetDisabled enables or disables an account (AVA only); disabling ends its
// sessions and tokens.
func (s *Service) SetDisabled(ctx context.Context, by *Principal, username string, disabled bool) error {
	if err := Require(by, RoleAVA); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Q(ctx)
		u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE username = $1`, username))
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "Përdoruesi %q nuk ekziston.", username)
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = $1 WHERE id = $2`, disabled, u.ID); err != nil {
			return err
		}
		if disabled {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE user_id = $1`, u.ID); err != nil {
				return err
			}
		}
		return audit.Add(ctx, by.Actor(), "update", "user", username,
			map[string]bool{"disabled": u.Disabled}, map[string]bool{"disabled": disabled})
	})
}

// SetPassword changes a password: the user's own (with the old one) or, for
// AVA, anyone's. The caller is authorised before any account is looked up,
// so a non-AVA caller gets the same answer for every other username,
// whether it exists or not.
func (s *Service) SetPassword(ctx context.Context, by *Principal, username, oldPassword, newPassword string) error {
	if by == nil {
		return apperr.New(apperr.Unauthorized, "Duhet të identifikoheni.")
	}
	username = strings.ToLower(strings.TrimSpace(username))
	if by.Role != RoleAVA && by.Username != username {
		return apperr.New(apperr.Forbidden, "Mund të ndryshoni vetëm fjalëkalimin tuaj.")
	}
	if err := CheckPasswordPolicy(newPassword); err != nil {
		return apperr.New(apperr.Invalid, "Fjalëkalimi i ri nuk pranohet: %s.", err)
	}
	u, err := s.userByName(ctx, username)
	if err != nil {
		return err
	}
	if by.Role != RoleAVA {
		ok, err := CheckPassword(ctx, u.hash, oldPassword)
		if err != nil || !ok {
			return apperr.New(apperr.Invalid, "Fjalëkalimi i vjetër nuk është i saktë.")
		}
	}
	hash, err := HashPassword(ctx, newPassword)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Q(ctx)
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, u.ID); err != nil {
			return err
		}
		return audit.Add(ctx, by.Actor(), "password", "user", username, nil, nil)
	})
}

func (s *Service) userByName(ctx context.Context, username string) (*User, error) {
	u, err := scanUser(s.db.Q(ctx).QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE username = $1`, strings.ToLower(strings.TrimSpace(username))))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "Përdoruesi %q nuk ekziston.", username)
	}
	if err != nil {
		return nil, fmt.Errorf("auth: read user: %w", err)
	}
	return u, nil
}

// errBadLogin is the single message for a wrong user or password, so that a
// caller cannot learn which accounts exist.
var errBadLogin = apperr.New(apperr.Unauthorized, "Emri i përdoruesit ose fjalëkalimi nuk është i saktë.")

// Authenticate checks a username and password, with throttling per account
// and per address.
func (s *Service) Authenticate(ctx context.Context, username, password, addr string) (*User, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	if wait := s.throttle.blocked(username, addr, s.db.Now(ctx)); wait > 0 {
		return nil, apperr.New(apperr.TooMany, "Shumë përpjekje të gabuara. Provoni përsëri pas %d minutash.", int(wait.Minutes())+1)
	}
	u, err := s.userByName(ctx, username)
	if err != nil {
		// Spend the same time as a real check, so timing does not reveal accounts.
		CheckPassword(ctx, dummyHash, password)
		s.throttle.fail(username, addr, s.db.Now(ctx))
		return nil, errBadLogin
	}
	ok, err := CheckPassword(ctx, u.hash, password)
	if err != nil {
		return nil, err
	}
	if !ok || u.Disabled {
		s.throttle.fail(username, addr, s.db.Now(ctx))
		return nil, errBadLogin
	}
	s.throttle.success(username)
	return u, nil
}

var dummyHash = "$argon2id$v=19$m=32768,t=2,p=2$c2FsdHNhbHRzYWx0c2FsdA$5kTFNx5Xh0CV3l8b8m2vNzQbZKQy3b9b1+1k4zA8fWc"

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

// Session is a browser session. The raw token lives only in the cookie.
type Session struct {
	Token string
	CSRF  string
	User  *User
}

// Login authenticates and starts a new session: a fresh token every login,
// so a token planted before login is worthless.
func (s *Service) Login(ctx context.Context, username, password, addr string) (*Session, error) {
	u, err := s.Authenticate(ctx, username, password, addr)
	if err != nil {
		return nil, err
	}
	raw, hash := newToken()
	csrf, _ := newToken()
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Q(ctx)
		now := s.db.Now(ctx).UTC()
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < $1`, now.Format(time.RFC3339)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			hash, u.ID, csrf, now.Format(time.RFC3339), now.Add(s.SessionTTL).Format(time.RFC3339))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("auth: create session: %w", err)
	}
	return &Session{Token: raw, CSRF: csrf, User: u}, nil
}

// SessionUser resolves a session cookie.
func (s *Service) SessionUser(ctx context.Context, raw string) (*Session, error) {
	if raw == "" {
		return nil, nil
	}
	var userID int64
	var csrf, expires string
	err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT user_id, csrf, expires_at FROM sessions WHERE token_hash = $1`, hashToken(raw)).Scan(&userID, &csrf, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("auth: read session: %w", err)
	}
	if expires < clock.Stored(s.db.Now(ctx)) {
		return nil, nil
	}
	u, err := scanUser(s.db.Q(ctx).QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, userID))
	if err != nil || u.Disabled {
		return nil, nil
	}
	return &Session{Token: raw, CSRF: csrf, User: u}, nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, raw string) error {
	_, err := s.db.Q(ctx).ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hashToken(raw))
	return err
}

// IssueToken authenticates and returns a bearer token for the API.
func (s *Service) IssueToken(ctx context.Context, username, password, addr, name string) (string, time.Time, error) {
	u, err := s.Authenticate(ctx, username, password, addr)
	if err != nil {
		return "", time.Time{}, err
	}
	raw, hash := newToken()
	now := s.db.Now(ctx).UTC()
	exp := now.Add(s.TokenTTL)
	_, err = s.db.Q(ctx).ExecContext(ctx, `INSERT INTO api_tokens (token_hash, user_id, name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		hash, u.ID, name, now.Format(time.RFC3339), exp.Format(time.RFC3339))
	if err != nil {
		return "", time.Time{}, fmt.Errorf("auth: create token: %w", err)
	}
	return raw, exp, nil
}

// TokenUser resolves a bearer token.
func (s *Service) TokenUser(ctx context.Context, raw string) (*User, error) {
	var userID int64
	var expires string
	err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT user_id, expires_at FROM api_tokens WHERE token_hash = $1`, hashToken(raw)).Scan(&userID, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("auth: read token: %w", err)
	}
	if expires < clock.Stored(s.db.Now(ctx)) {
		return nil, nil
	}
	u, err := scanUser(s.db.Q(ctx).QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, userID))
	if err != nil || u.Disabled {
		return nil, nil
	}
	return u, nil
}

// RevokeToken deletes a bearer token.
func (s *Service) RevokeToken(ctx context.Context, raw string) error {
	_, err := s.db.Q(ctx).ExecContext(ctx, `DELETE FROM api_tokens WHERE token_hash = $1`, hashToken(raw))
	return err
}

// throttle counts failed logins per account and per address in a sliding
// window. It lives in memory: one provim process serves one database.
type throttle struct {
	mu        sync.Mutex
	failures  map[string][]time.Time
	window    time.Duration
	perUser   int
	perAddr   int
	lastSweep time.Time
}

func newThrottle() *throttle {
	return &throttle{failures: map[string][]time.Time{}, window: 15 * time.Minute, perUser: 5, perAddr: 30}
}

func (t *throttle) recent(key string, now time.Time) []time.Time {
	list := t.failures[key]
	i := 0
	for i < len(list) && now.Sub(list[i]) > t.window {
		i++
	}
	list = list[i:]
	if len(list) == 0 {
		delete(t.failures, key)
	} else {
		t.failures[key] = list
	}
	return list
}

func (t *throttle) blocked(user, addr string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	var wait time.Duration
	for key, limit := range map[string]int{"u:" + user: t.perUser, "a:" + addr: t.perAddr} {
		if l := t.recent(key, now); len(l) >= limit {
			if w := t.window - now.Sub(l[len(l)-limit]); w > wait {
				wait = w
			}
		}
	}
	return wait
}

func (t *throttle) fail(user, addr string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.failures["u:"+user] = append(t.failures["u:"+user], now)
	t.failures["a:"+addr] = append(t.failures["a:"+addr], now)
	if now.Sub(t.lastSweep) > t.window {
		for k := range t.failures {
			t.recent(k, now)
		}
		t.lastSweep = now
	}
}

func (t *throttle) success(user string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.failures, "u:"+user)
}
