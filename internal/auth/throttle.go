package auth

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"sort"
	"time"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/clock"
	"provim/internal/store"
)

// Login throttling (issue 9, item 4). Failures are kept in the database,
// so every server on it counts the same ones. Four rules, each answering
// one abuse:
//
//   - One account from one address (a guesser): the first PairFree
//     failures are free; after each further one that pair waits 1, 2, 4, …
//     minutes, at most PairMaxDelay. A success from the pair clears it.
//   - One account from many addresses (a distributed guesser): over the
//     last hour each address adds at most AccountPerAddr failures to the
//     account's count; at AccountLimit the account takes no attempt from
//     an address it has not signed in from (in KnownFor) until the count
//     falls. One stranger's address alone can never reach it, so one
//     stranger never keeps the real user out from another address.
//   - One address on many accounts (a school's NAT, or a sprayer): at
//     AddressLimit failures in the last hour, accounts that have not
//     signed in from that address wait AddressDelay after its last
//     failure; accounts that have are not held back at all.
//   - Spellings: failures count under the folded username without
//     invisible characters (accountKey), whether or not the account
//     exists, so the answer never tells which accounts exist.
const (
	PairFree       = 5
	PairMaxDelay   = time.Hour
	PairMemory     = 24 * time.Hour
	AccountWindow  = time.Hour
	AccountPerAddr = 2
	AccountLimit   = 4
	AddressWindow  = time.Hour
	AddressLimit   = 30
	AddressDelay   = time.Minute
	KnownFor       = 30 * 24 * time.Hour
)

// anonymous is the actor of a failed login: nobody is signed in.
var anonymous = audit.Actor{Name: "anonim", Role: "anonim"}

// addressKey groups an address as the throttle counts it: an IPv4 address
// as it is, an IPv6 address by its /64 (one household or one server).
func addressKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

func hashKey(account string) string {
	h := sha256.Sum256([]byte("login:" + account))
	return hex.EncodeToString(h[:])
}

// pairDelay is how long a pair waits after its n-th failure.
func pairDelay(n int) time.Duration {
	if n < PairFree {
		return 0
	}
	d := time.Minute << min(n-PairFree, 10)
	return min(d, PairMaxDelay)
}

// known reports whether user signed in from addr within KnownFor.
func (s *Service) known(ctx context.Context, userID int64, addr string, now time.Time) (bool, error) {
	if userID == 0 {
		return false, nil
	}
	var last string
	err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT last_success FROM login_addresses WHERE user_id = $1 AND address = $2`, userID, addr).Scan(&last)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("auth: read known address: %w", err)
	}
	return last >= clock.Stored(now.Add(-KnownFor)), nil
}

// throttled is the moment until which account may not be tried from addr,
// and the rule that holds it; the zero time when it may be tried now.
func (s *Service) throttled(ctx context.Context, key, addr string, known bool, now time.Time) (time.Time, string, error) {
	q := s.db.Q(ctx)
	key = hashKey(key)
	var until time.Time
	rule := ""
	later := func(t time.Time, r string) {
		if t.After(now) && t.After(until) {
			until, rule = t, r
		}
	}
	// The pair.
	var n int
	var last sql.NullString
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*), MAX(at) FROM login_failures WHERE account = $1 AND address = $2 AND at > $3`,
		key, addr, clock.Stored(now.Add(-PairMemory))).Scan(&n, &last); err != nil {
		return time.Time{}, "", fmt.Errorf("auth: read failures: %w", err)
	}
	if d := pairDelay(n); d > 0 && last.Valid {
		later(parseStored(last.String).Add(d), "account_address")
	}
	if known {
		return until, rule, nil
	}
	// The account, from addresses it has not signed in from.
	type failure struct {
		addr string
		at   time.Time
	}
	fails, err := store.Select(ctx, q, func(r store.Scanner) (failure, error) {
		var f failure
		var at string
		err := r.Scan(&f.addr, &at)
		f.at = parseStored(at)
		return f, err
	}, `SELECT address, at FROM login_failures WHERE account = $1 AND NOT known AND at > $2`,
		key, clock.Stored(now.Add(-AccountWindow)))
	if err != nil {
		return time.Time{}, "", fmt.Errorf("auth: read failures: %w", err)
	}
	sort.Slice(fails, func(i, j int) bool { return fails[i].at.Before(fails[j].at) })
	count := func(from int) int {
		per := map[string]int{}
		total := 0
		for _, f := range fails[from:] {
			if per[f.addr] < AccountPerAddr {
				per[f.addr]++
				total++
			}
		}
		return total
	}
	if count(0) >= AccountLimit {
		// Held until enough of the oldest failures leave the window.
		for i := range fails {
			if count(i+1) < AccountLimit {
				later(fails[i].at.Add(AccountWindow), "account")
				break
			}
		}
	}
	// The address, on accounts that have not signed in from it.
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*), MAX(at) FROM login_failures WHERE address = $1 AND at > $2`,
		addr, clock.Stored(now.Add(-AddressWindow))).Scan(&n, &last); err != nil {
		return time.Time{}, "", fmt.Errorf("auth: read failures: %w", err)
	}
	if n >= AddressLimit && last.Valid {
		later(parseStored(last.String).Add(AddressDelay), "address")
	}
	return until, rule, nil
}

func parseStored(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// tooMany is the answer while an account is held back: it says how long,
// never which rule or whether the account exists.
func tooMany(wait time.Duration) error {
	minutes := int((wait + time.Minute - 1) / time.Minute)
	if minutes <= 1 {
		return apperr.New(apperr.TooMany, "Shumë përpjekje të gabuara. Provoni përsëri pas 1 minute.")
	}
	return apperr.New(apperr.TooMany, "Shumë përpjekje të gabuara. Provoni përsëri pas %d minutash.", minutes)
}

// failed records a failed login of account from addr, with its audit
// entry, and one more entry when it starts a wait.
func (s *Service) failed(ctx context.Context, key, addr string, u *User) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.Q(ctx)
		now := s.db.Now(ctx)
		var userID int64
		object := "?" // a name that is no account is not written: it may be a password typed in the wrong field
		if u != nil {
			userID, object = u.ID, u.Username
		}
		known, err := s.known(ctx, userID, addr, now)
		if err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM login_failures WHERE at < $1`, clock.Stored(now.Add(-PairMemory))); err != nil {
			return fmt.Errorf("auth: sweep failures: %w", err)
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO login_failures (account, address, known, at) VALUES ($1, $2, $3, $4)`,
			hashKey(key), addr, known, clock.Stored(now)); err != nil {
			return fmt.Errorf("auth: record failure: %w", err)
		}
		if err := audit.Add(ctx, anonymous, "login_failed", "login", object, nil, map[string]any{"address": addr, "known_address": known}); err != nil {
			return err
		}
		until, rule, err := s.throttled(ctx, key, addr, known, now)
		if err != nil || until.IsZero() {
			return err
		}
		return audit.Add(ctx, anonymous, "login_throttled", "login", object, nil,
			map[string]any{"address": addr, "rule": rule, "until": clock.Stored(until)})
	})
}

// succeeded clears the pair's failures and remembers the address; it
// joins the transaction of the session or token it starts.
func (s *Service) succeeded(ctx context.Context, key, addr string, u *User) error {
	q := s.db.Q(ctx)
	now := clock.Stored(s.db.Now(ctx))
	if _, err := q.ExecContext(ctx, `DELETE FROM login_failures WHERE account = $1 AND address = $2`, hashKey(key), addr); err != nil {
		return fmt.Errorf("auth: clear failures: %w", err)
	}
	_, err := q.ExecContext(ctx, `INSERT INTO login_addresses (user_id, address, last_success) VALUES ($1, $2, $3)
		ON CONFLICT (user_id, address) DO UPDATE SET last_success = excluded.last_success`, u.ID, addr, now)
	if err != nil {
		return fmt.Errorf("auth: remember address: %w", err)
	}
	return nil
}
