package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/clock"
	"provim/internal/fold"
	"provim/internal/store"
)

// Accounts for everyone who needs one (issue 11, A5): AVA, a school or a
// region creates the accounts of many people at once; each gets a letter
// with a one-time activation code, and sets their own password with it at
// /aktivizimi. Only the code's SHA-256 is stored, with its expiry; the
// first activation empties it, so a code works once, and guessing codes is
// throttled exactly as guessing passwords (throttle.go: the same account
// key, the same counters).

// ActivationTTL is how long an activation code works.
const ActivationTTL = 21 * 24 * time.Hour

// codeAlphabet has no letters that are read as others (0/O, 1/I/L, 5/S).
const codeAlphabet = "ABCDEFGHJKMNPQRTUVWXYZ2346789"

// codeLen is the letters of a code: 29^12 ≈ 2^58 codes.
const codeLen = 12

// newActivationCode returns a random code, printed in groups of four
// ("ABCD-EFGH-JKMN").
func newActivationCode() string {
	b := make([]byte, codeLen)
	rand.Read(b)
	var s strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			s.WriteByte('-')
		}
		// 256 % 29 = 24: the bias is below 1/10 of a letter's share and
		// leaves more than 2^57 codes.
		s.WriteByte(codeAlphabet[int(c)%len(codeAlphabet)])
	}
	return s.String()
}

// normalizeCode is a typed code as it was printed: upper case, without
// spaces or dashes.
func normalizeCode(s string) string {
	s = strings.ToUpper(s)
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, s)
}

func hashCode(code string) string {
	h := sha256.Sum256([]byte("activation:" + normalizeCode(code)))
	return hex.EncodeToString(h[:])
}

// unusableHash is a well-formed password hash no password matches: a
// random key under a random salt (computing no argon2, so thousands of
// accounts are created in a moment). Login compares against it as against
// any hash and fails.
func unusableHash() string {
	salt, key := make([]byte, 16), make([]byte, argonKeyLen)
	rand.Read(salt)
	rand.Read(key)
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// Letter is what the activation letter of one person prints. Code exists
// only here, in memory, between its creation and the letter: the database
// keeps its hash.
type Letter struct {
	Username string    `json:"username"`
	FullName string    `json:"full_name"`
	Role     Role      `json:"role"`
	Scope    string    `json:"scope"`
	Code     string    `json:"activation_code"`
	Expires  time.Time `json:"expires_at"`
	Created  bool      `json:"created"` // false: an account that existed got a new code
	// Account is the role and scope the letter is for, so that its scope
	// can be named by the registry's names (accounts.NameLetters).
	Account Principal `json:"-"`
}

// Provisioned is the outcome of a bulk creation.
type Provisioned struct {
	Letters []Letter `json:"letters"`
	Created int      `json:"created"`
	Renewed int      `json:"renewed"` // accounts not yet activated that got a new code
	Active  int      `json:"active"`  // accounts already activated: no letter (a reset is AVA's)
}

// mayProvision is who creates accounts in bulk and of which roles: AVA
// any role but AVA; a school (KSHMSH) its candidates; a region (KMSH) the
// venue staff. Which school or venue is the caller's is decided by the
// caller of Provision (package accounts), which reads the registry and the
// draw.
func mayProvision(by *Principal, role Role) bool {
	switch {
	case by == nil:
		return false
	case by.Role == RoleAVA:
		return role != RoleAVA
	case by.Role == RoleKSHMSH:
		return role == RoleStudent
	case by.Role == RoleKMSH:
		return role == RolePAP || role == RoleAP || role == RoleAS
	}
	return false
}

// Provision creates, in one transaction, the accounts of people (each
// NewUser without a password): a new account gets an activation code; an
// account of the same person (same student or staff record, or the same
// username) that was never activated gets a new code in place of the old;
// an activated one is left as it is. The letters of every code made are
// returned, in the order of people.
func (s *Service) Provision(ctx context.Context, by *Principal, people []NewUser) (Provisioned, error) {
	var out Provisioned
	if by == nil {
		return out, apperr.New(apperr.Unauthorized, "Duhet të identifikoheni.")
	}
	for i := range people {
		if !mayProvision(by, people[i].Role) {
			return out, apperr.New(apperr.Forbidden, "Roli juaj (%s) nuk krijon llogari %s.", by.Role.Label(), people[i].Role.Label())
		}
		people[i].Password = strings.Repeat("x", 10) // validate checks the policy; no password is stored
		if err := people[i].validate(); err != nil {
			return out, err
		}
	}
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		out = Provisioned{}
		tx := s.db.Q(ctx)
		now := s.db.Now(ctx)
		expires := now.Add(ActivationTTL)
		for _, n := range people {
			var id int64
			var pending bool
			var existing string
			var student, staff int64
			var has NewUser // the scope of the account that exists
			var role string
			err := tx.QueryRowContext(ctx, `SELECT id, username, activation_hash <> '', COALESCE(student_id, 0), COALESCE(staff_id, 0),
				role, COALESCE(unit_code, ''), COALESCE(school_code, ''), COALESCE(venue_code, ''), subject FROM users
				WHERE username = $1 OR (student_id IS NOT NULL AND student_id = $2) OR (staff_id IS NOT NULL AND staff_id = $3)
				ORDER BY id LIMIT 1`,
				n.Username, n.StudentID, n.StaffID).Scan(&id, &existing, &pending, &student, &staff, &role, &has.Unit, &has.School, &has.Venue, &has.Subject)
			has.Role = Role(role)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("auth: find account: %w", err)
			}
			if err == nil && (student != n.StudentID || staff != n.StaffID) {
				// The username is another person's: never hand their account a code.
				return apperr.New(apperr.Conflict, "Emri i përdoruesit %q i përket një llogarie tjetër; llogaria e %s nuk u krijua.", existing, n.FullName)
			}
			code := newActivationCode()
			l := Letter{Username: n.Username, FullName: n.FullName, Role: n.Role, Scope: scopeOf(n), Code: code, Expires: expires, Account: accountOf(n)}
			switch {
			case err == nil && !pending:
				out.Active++
				continue
			case err == nil:
				if _, err := tx.ExecContext(ctx, `UPDATE users SET activation_hash = $1, activation_expires = $2 WHERE id = $3`,
					hashCode(code), clock.Stored(expires), id); err != nil {
					return fmt.Errorf("auth: renew code: %w", err)
				}
				// The letter names the account as it is: a person drawn to a
				// second venue keeps the account of the first.
				l.Username, l.Role, l.Scope, l.Account = existing, has.Role, scopeOf(has), accountOf(has)
				if err := audit.Add(ctx, by.Actor(), "activation_issued", "user", existing, nil,
					map[string]string{"expires": clock.Stored(expires)}); err != nil {
					return err
				}
				out.Renewed++
			default:
				created := clock.Stored(now)
				err := tx.QueryRowContext(ctx, `INSERT INTO users (username, full_name, password_hash, role, unit_code, school_code, venue_code, subject, student_id, staff_id, created_at, activation_hash, activation_expires)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
					n.Username, n.FullName, unusableHash(), string(n.Role), nullIf(n.Unit), nullIf(n.School), nullIf(n.Venue), n.Subject,
					nullID(n.StudentID), nullID(n.StaffID), created, hashCode(code), clock.Stored(expires)).Scan(&id)
				if err != nil {
					if strings.Contains(err.Error(), "FOREIGN KEY") || strings.Contains(err.Error(), "23503") {
						return apperr.New(apperr.Invalid, "Fusha e veprimit e llogarisë %s nuk ekziston.", n.Username)
					}
					return fmt.Errorf("auth: insert user: %w", err)
				}
				u := &User{ID: id, Username: n.Username, FullName: n.FullName, Role: n.Role, Unit: n.Unit, School: n.School,
					Venue: n.Venue, Subject: n.Subject, StudentID: n.StudentID, StaffID: n.StaffID, CreatedAt: created}
				if err := audit.Add(ctx, by.Actor(), "create", "user", n.Username, nil, u); err != nil {
					return err
				}
				l.Created = true
				out.Created++
			}
			out.Letters = append(out.Letters, l)
		}
		return nil
	})
	if err != nil {
		return Provisioned{}, err
	}
	return out, nil
}

// accountOf is the role and scope of n; Scope its label by code.
func accountOf(n NewUser) Principal {
	return Principal{Role: n.Role, Unit: n.Unit, School: n.School, Venue: n.Venue, Subject: n.Subject}
}

func scopeOf(n NewUser) string {
	p := accountOf(n)
	return p.ScopeLabel()
}

// ResetByLetter is AVA's password reset: each account's password stops
// working at once, its sessions and tokens end, and a new activation code
// is made for a letter. The letters are returned in the order asked.
func (s *Service) ResetByLetter(ctx context.Context, by *Principal, usernames []string) ([]Letter, error) {
	if err := Require(by, RoleAVA); err != nil {
		return nil, err
	}
	var out []Letter
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		out = nil
		tx := s.db.Q(ctx)
		expires := s.db.Now(ctx).Add(ActivationTTL)
		for _, name := range usernames {
			u, err := s.userByName(ctx, name)
			if err != nil {
				return err
			}
			if u.Role == RoleAVA && u.Username == by.Username {
				return apperr.New(apperr.Invalid, "Fjalëkalimin tuaj e ndryshoni te «Llogaria», jo me letër aktivizimi.")
			}
			code := newActivationCode()
			if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, activation_hash = $2, activation_expires = $3 WHERE id = $4`,
				unusableHash(), hashCode(code), clock.Stored(expires), u.ID); err != nil {
				return fmt.Errorf("auth: reset: %w", err)
			}
			ended, err := s.endAll(ctx, u.ID, "")
			if err != nil {
				return err
			}
			if err := audit.Add(ctx, by.Actor(), "password_reset", "user", u.Username, nil,
				map[string]any{"by_letter": true, "expires": clock.Stored(expires), "sessions_ended": ended["sessions"], "tokens_ended": ended["api_tokens"]}); err != nil {
				return err
			}
			n := NewUser{Role: u.Role, Unit: u.Unit, School: u.School, Venue: u.Venue, Subject: u.Subject}
			out = append(out, Letter{Username: u.Username, FullName: u.FullName, Role: u.Role, Scope: scopeOf(n), Code: code, Expires: expires, Account: accountOf(n)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// errBadActivation is the one answer to a wrong username, a wrong code, a
// used code and an expired one, so that nobody learns which accounts exist
// or wait for activation.
var errBadActivation = apperr.New(apperr.Unauthorized,
	"Emri i përdoruesit ose kodi i aktivizimit nuk është i saktë, ose kodi është përdorur a ka skaduar. Kërkoni një letër të re te shkolla ose te AVA.")

// Activate sets the first password of an account with its activation
// code, from addr. The code works once and until it expires; wrong tries
// count as failed logins of the account (the same throttle), and a
// successful one clears the pair's failures.
func (s *Service) Activate(ctx context.Context, username, code, password, addr string) (*User, error) {
	if err := CheckPasswordPolicy(password); err != nil {
		return nil, apperr.New(apperr.Invalid, "Fjalëkalimi nuk pranohet: %s.", err)
	}
	key, addr := accountKey(username), addressKey(addr)
	var u *User
	var stored, expires string
	if name, err := NormalizeUsername(username); err == nil {
		u, err = s.userByName(ctx, name)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
		if u != nil {
			if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT activation_hash, activation_expires FROM users WHERE id = $1`, u.ID).Scan(&stored, &expires); err != nil {
				return nil, fmt.Errorf("auth: read activation: %w", err)
			}
		}
	}
	now := s.db.Now(ctx)
	var userID int64
	if u != nil {
		userID = u.ID
	}
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
	given := hashCode(code)
	ok := u != nil && !u.Disabled && stored != "" && subtle.ConstantTimeCompare([]byte(given), []byte(stored)) == 1 &&
		expires > clock.Stored(now)
	if !ok {
		if err := s.failed(ctx, key, addr, u); err != nil {
			return nil, err
		}
		return nil, errBadActivation
	}
	hash, err := HashPassword(ctx, password)
	if err != nil {
		return nil, err
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Q(ctx)
		// The code is spent by the statement that uses it: of two
		// activations at once, one changes the row and the other none.
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, activation_hash = '', activation_expires = '' WHERE id = $2 AND activation_hash = $3`,
			hash, u.ID, stored)
		if err != nil {
			return fmt.Errorf("auth: activate: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errBadActivation
		}
		if err := s.succeeded(ctx, key, addr, u); err != nil {
			return err
		}
		return audit.Add(ctx, u.Principal().Actor(), "activate", "user", u.Username, nil, map[string]string{"address": addr})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// UserFilter narrows SearchUsers. Status is "" (all), "aktiv",
// "joaktiv" (disabled) or "pa-aktivizuar" (waiting for activation).
type UserFilter struct {
	Q      string // name or username, ignoring case and ë/ç
	Role   Role
	Status string
	Offset int
	Limit  int
}

// Account is a user as the users page lists it.
type Account struct {
	User
	// Pending: the account waits for its activation (no password yet).
	Pending bool `json:"pending_activation"`
}

// User statuses of UserFilter.
const (
	StatusActive   = "aktiv"
	StatusDisabled = "joaktiv"
	StatusPending  = "pa-aktivizuar"
)

// SearchUsers lists one page of the accounts (AVA only) that match f, in
// order of name, with the total of the filtered set.
func (s *Service) SearchUsers(ctx context.Context, by *Principal, f UserFilter) ([]Account, int, error) {
	if err := Require(by, RoleAVA); err != nil {
		return nil, 0, err
	}
	var q store.Query
	for _, w := range strings.Fields(f.Q) {
		// Name and username folded once, joined by a space (a word has none).
		q.Add(fold.Like("full_name || ' ' || username"), fold.Contains(w))
	}
	if f.Role != "" {
		if !f.Role.Valid() {
			return nil, 0, apperr.New(apperr.Invalid, "Roli «%s» nuk njihet.", f.Role)
		}
		q.Add("role = ?", string(f.Role))
	}
	switch f.Status {
	case "":
	case StatusActive:
		q.Add("NOT disabled AND activation_hash = ''")
	case StatusDisabled:
		q.Add("disabled")
	case StatusPending:
		q.Add("activation_hash <> ''")
	default:
		return nil, 0, apperr.New(apperr.Invalid, "Gjendja «%s» nuk njihet: aktiv, joaktiv ose pa-aktivizuar.", f.Status)
	}
	db := s.db.Q(ctx)
	var total int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`+q.Where(), q.Args()...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("auth: count users: %w", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	order := ` ORDER BY ` + fold.SQL("full_name") + `, username LIMIT ` + q.Arg(limit) + ` OFFSET ` + q.Arg(max(f.Offset, 0))
	out, err := store.Select(ctx, db, func(r store.Scanner) (Account, error) {
		var a Account
		var role string
		err := r.Scan(&a.ID, &a.Username, &a.FullName, &a.hash, &role, &a.Unit, &a.School, &a.Venue,
			&a.Subject, &a.StudentID, &a.StaffID, &a.Disabled, &a.CreatedAt, &a.Pending)
		a.Role = Role(role)
		a.hash = ""
		return a, err
	}, `SELECT `+userCols+`, activation_hash <> '' FROM users`+q.Where()+order, q.Args()...)
	if err != nil {
		return nil, 0, fmt.Errorf("auth: list users: %w", err)
	}
	return out, total, nil
}

// SetDisabledMany enables or disables many accounts at once (AVA only),
// all or none; AVA's own account is never disabled this way. It returns
// how many changed.
func (s *Service) SetDisabledMany(ctx context.Context, by *Principal, usernames []string, disabled bool) (int, error) {
	if err := Require(by, RoleAVA); err != nil {
		return 0, err
	}
	if len(usernames) == 0 {
		return 0, apperr.New(apperr.Invalid, "Zgjidhni të paktën një përdorues.")
	}
	changed := 0
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		changed = 0
		for _, name := range usernames {
			if disabled && foldUsername(name) == by.Username {
				return apperr.New(apperr.Invalid, "Nuk mund të çaktivizoni llogarinë tuaj.")
			}
			u, err := s.userByName(ctx, name)
			if err != nil {
				return err
			}
			if u.Disabled == disabled {
				continue
			}
			if err := s.SetDisabled(ctx, by, u.Username, disabled); err != nil {
				return err
			}
			changed++
		}
		return nil
	})
	return changed, err
}

// FullNames maps usernames to the names of their accounts, for pages that
// show who did something (the audit log). Unknown names are left out.
func (s *Service) FullNames(ctx context.Context, usernames []string) (map[string]User, error) {
	out := map[string]User{}
	if len(usernames) == 0 {
		return out, nil
	}
	for _, part := range store.Chunks(usernames, 0) {
		list, err := store.Select(ctx, s.db.Q(ctx), scanUser, `SELECT `+callerCols+` FROM users WHERE username IN (`+store.Placeholders(1, len(part))+`)`, store.Args(part)...)
		if err != nil {
			return nil, fmt.Errorf("auth: read names: %w", err)
		}
		for _, u := range list {
			out[u.Username] = *u
		}
	}
	return out, nil
}
