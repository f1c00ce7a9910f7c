package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/clock"
	"provim/internal/store"

	"golang.org/x/text/unicode/norm"
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
	StaffID   int64  `json:"staff_id,omitempty"`
	Disabled  bool   `json:"disabled"`
	CreatedAt string `json:"created_at"`
	hash      string
	via       string // the hash of the session or token this user was resolved from
}

// Principal returns the user as an authenticated caller.
func (u *User) Principal() *Principal {
	return &Principal{UserID: u.ID, Username: u.Username, FullName: u.FullName, Role: u.Role,
		Unit: u.Unit, School: u.School, Venue: u.Venue, Subject: u.Subject, StudentID: u.StudentID, StaffID: u.StaffID, via: u.via}
}

// Service manages users, sessions and tokens.
type Service struct {
	db *store.DB
	// SessionTTL is how long a browser session lives without a new login.
	SessionTTL time.Duration
	// TokenTTL is how long an API token lives.
	TokenTTL time.Duration
	// SessionKey signs the session cookies (signed.go); servers of one
	// database share it (PROVIM_SESSION_KEY). Empty: the process's own.
	SessionKey []byte
	rev        revocations
	wall       clock.Clock // the wall clock a purge of revocations also waits for; nil: clock.Real
}

// NewService returns the auth service over db.
func NewService(db *store.DB) *Service {
	return &Service{db: db,
		SessionTTL: 12 * time.Hour, TokenTTL: 24 * time.Hour}
}

const userCols = `id, username, full_name, password_hash, role, COALESCE(unit_code, ''), COALESCE(school_code, ''),
	COALESCE(venue_code, ''), subject, COALESCE(student_id, 0), COALESCE(staff_id, 0), disabled, created_at`

// callerCols are userCols without the password's hash: a user resolved
// from a session or a token, on every request, or read for the names a
// page shows (FullNames), never carries it (a password is checked by
// reading the account again, by name).
var callerCols = strings.Replace(userCols, "password_hash", "''", 1)

func scanUser(row store.Scanner) (*User, error) {
	var u User
	var role string
	err := row.Scan(&u.ID, &u.Username, &u.FullName, &u.hash, &role, &u.Unit, &u.School, &u.Venue,
		&u.Subject, &u.StudentID, &u.StaffID, &u.Disabled, &u.CreatedAt)
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
	// StaffID links the account of a member of staff to the registry's
	// record of the person (Neni 48–51: what they are drawn for).
	StaffID int64 `json:"staff_id"`
}

func (n *NewUser) validate() error {
	var problems []string
	name, err := NormalizeUsername(n.Username)
	if err != nil {
		problems = append(problems, err.Error())
	}
	n.Username = name
	n.FullName = strings.TrimSpace(norm.NFC.String(n.FullName))
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
	need := map[Role]string{RoleKMSH: n.Unit, RoleKSHMSH: n.School, RolePAP: n.Venue, RoleAP: n.Venue, RoleAS: n.Venue, RoleMarker: n.Subject, RoleMonitor: n.Subject}
	if v, ok := need[n.Role]; ok && strings.TrimSpace(v) == "" {
		problems = append(problems, "roli "+n.Role.Label()+" kërkon fushën e veprimit (DAR/ZA, shkollë, qendër ose lëndë)")
	}
	// ... and no other: a value in a field the role does not have would
	// be kept and mean nothing (an AVA account "of" a school).
	for _, f := range []struct {
		label, value string
		roles        []Role
	}{
		{"DAR/ZA", n.Unit, []Role{RoleKMSH}},
		{"shkolla", n.School, []Role{RoleKSHMSH}},
		{"qendra", n.Venue, []Role{RolePAP, RoleAP, RoleAS}},
		{"lënda", n.Subject, []Role{RoleMarker, RoleMonitor}},
	} {
		if v := strings.TrimSpace(f.value); v != "" && !slices.Contains(f.roles, n.Role) && n.Role.Valid() {
			problems = append(problems, fmt.Sprintf("roli %s nuk ka fushën «%s» (u dha %q): lëreni bosh", n.Role.Label(), f.label, v))
		}
	}
	if n.StudentID != 0 && n.Role != RoleStudent && n.Role.Valid() {
		problems = append(problems, "vetëm llogaria e një nxënësi lidhet me një nxënës")
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
		err := tx.QueryRowContext(ctx, `INSERT INTO users (username, full_name, password_hash, role, unit_code, school_code, venue_code, subject, student_id, staff_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			n.Username, n.FullName, hash, string(n.Role), nullIf(n.Unit), nullIf(n.School), nullIf(n.Venue), n.Subject, nullID(n.StudentID), nullID(n.StaffID), now).Scan(&id)
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
			Venue: n.Venue, Subject: n.Subject, StudentID: n.StudentID, StaffID: n.StaffID, CreatedAt: now}
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
	username = foldUsername(username)
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
		change := revocation{kind: revokeEnable, userID: u.ID}
		if disabled {
			change.kind = revokeDisable
			gone, err := ended(ctx, tx, `DELETE FROM sessions WHERE user_id = $1 RETURNING token_hash, user_id, expires_at`, u.ID)
			if err != nil {
				return err
			}
			toks, err := ended(ctx, tx, `DELETE FROM api_tokens WHERE user_id = $1 RETURNING token_hash, user_id, expires_at`, u.ID)
			if err != nil {
				return err
			}
			if err := s.revoke(ctx, append(append(gone, toks...), change)...); err != nil {
				return err
			}
		} else if err := s.revoke(ctx, change); err != nil {
			return err
		}
		return audit.Add(ctx, by.Actor(), "update", "user", username,
			map[string]bool{"disabled": u.Disabled}, map[string]bool{"disabled": disabled})
	})
}

// SetPassword changes a password: the user's own (with the old one) or, for
// AVA, anyone's. The caller is authorised before any account is looked up,
// so a non-AVA caller gets the same answer for every other username,
// whether it exists or not. Every other session and token of the account
// ends; the one that made the change, when it is the account's own, stays.
func (s *Service) SetPassword(ctx context.Context, by *Principal, username, oldPassword, newPassword string) error {
	if by == nil {
		return apperr.New(apperr.Unauthorized, "Duhet të identifikoheni.")
	}
	username = foldUsername(username)
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
	own := by.Username == u.Username
	keep := "" // no stored token hash is empty: every session and token ends
	if own {
		keep = by.via
	}
	action := "password_reset"
	if own {
		action = "password_change"
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Q(ctx)
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, u.ID); err != nil {
			return err
		}
		count, err := s.endAll(ctx, u.ID, keep)
		if err != nil {
			return err
		}
		return audit.Add(ctx, by.Actor(), action, "user", username, nil,
			map[string]int64{"sessions_ended": count["sessions"], "tokens_ended": count["api_tokens"]})
	})
}

func (s *Service) userByName(ctx context.Context, username string) (*User, error) {
	u, err := scanUser(s.db.Q(ctx).QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE username = $1`, foldUsername(username)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "Përdoruesi %q nuk ekziston.", username)
	}
	if err != nil {
		return nil, fmt.Errorf("auth: read user: %w", err)
	}
	return u, nil
}

// endAll ends every session and API token of the account userID but the
// one whose hash is keep ("" keeps none: no stored hash is empty), and
// revokes the sessions on every server; it counts what ended of each.
func (s *Service) endAll(ctx context.Context, userID int64, keep string) (map[string]int64, error) {
	tx := s.db.Q(ctx)
	gone, err := ended(ctx, tx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2 RETURNING token_hash, user_id, expires_at`, userID, keep)
	if err != nil {
		return nil, fmt.Errorf("auth: end sessions: %w", err)
	}
	if err := s.revoke(ctx, gone...); err != nil {
		return nil, err
	}
	toks, err := ended(ctx, tx, `DELETE FROM api_tokens WHERE user_id = $1 AND token_hash <> $2 RETURNING token_hash, user_id, expires_at`, userID, keep)
	if err != nil {
		return nil, fmt.Errorf("auth: end api_tokens: %w", err)
	}
	if err := s.revoke(ctx, toks...); err != nil {
		return nil, err
	}
	return map[string]int64{"sessions": int64(len(gone)), "api_tokens": int64(len(toks))}, nil
}
