package auth

import (
	"context"
	"fmt"
	"sync"
	"time"

	"provim/internal/clock"
	"provim/internal/store"
)

// RevocationLag is the longest a server goes without reading the
// revocations other servers wrote: a session another server ended is
// refused here at most this long after (the server that ended it refuses
// it at once, and so does every server for a session whose account was
// disabled on it).
const RevocationLag = 250 * time.Millisecond

// revocationPurgeEvery is how often a server forgets the revocations whose
// sessions have all expired, and deletes their rows.
const revocationPurgeEvery = 10 * time.Minute

// revocationPurgeMargin is how long past its until a revocation is kept
// (a server whose clock runs behind another's still refuses the session).
const revocationPurgeMargin = time.Hour

// purgeBefore is the stored moment before which a revocation's until has
// passed for good: by the exam calendar's clock and by the wall clock
// both, less the margin. The calendar's clock can be moved back (the
// demo, a training server's --today): a session refused by a revocation
// it forgot would then count again, so a revocation is forgotten only
// once the earlier of the two clocks is past it.
func (s *Service) purgeBefore(ctx context.Context) string {
	wall := s.wall
	if wall == nil {
		wall = clock.Real{}
	}
	now := s.db.Now(ctx)
	if w := wall.Now(); w.Before(now) {
		now = w
	}
	return clock.Stored(now.Add(-revocationPurgeMargin))
}

// Revocation kinds (session_revocations.kind).
const (
	revokeEnd     = "end"     // the session token_hash ended
	revokeDisable = "disable" // user_id's account was disabled
	revokeEnable  = "enable"  // user_id's account was enabled again
)

// revocation is one row of session_revocations.
type revocation struct {
	kind   string
	hash   string
	userID int64
	until  string // stored time: after it nothing it ends can still be shown; '' kept
}

// revocations is what a server knows of the revocations: every one up to
// epoch, read in commit order (session_epoch), and those this server
// wrote since, at once.
type revocations struct {
	mu       sync.RWMutex
	epoch    int64
	loaded   bool
	ended    map[string]string // session token hashes, with their until
	accounts map[int64]state   // accounts disabled or enabled again
	read     clock.Timer       // when the table was last read
	purged   clock.Timer       // when the expired ones were last forgotten
	didPurge bool

	rowsPurged   clock.Timer // when their rows were last deleted
	didPurgeRows bool
	reading      sync.Mutex // one reader at a time; the others go on with what is known
}

// state is an account's last known state and the epoch that set it: a
// change this server applied at its commit is not undone by an older one
// read later.
type state struct {
	epoch    int64
	disabled bool
	until    string
}

// revoked reports whether the session hash of user userID has ended or its
// account is disabled, reading what other servers wrote when the last
// read is older than RevocationLag.
func (s *Service) revoked(ctx context.Context, hash string, userID int64) (bool, error) {
	rv := &s.rev
	if loaded, stale := rv.state(); stale {
		// The first read waits for the table; a later one is made by one
		// request while the others go on with what is known.
		if !loaded {
			rv.reading.Lock()
		} else if !rv.reading.TryLock() {
			stale = false
		}
		if stale {
			var err error
			if _, still := rv.state(); still {
				if err = s.refresh(ctx); err == nil {
					s.purge(ctx)
				}
			}
			rv.reading.Unlock()
			if err != nil {
				return false, err
			}
		}
	}
	rv.mu.RLock()
	defer rv.mu.RUnlock()
	_, ended := rv.ended[hash]
	return ended || rv.accounts[userID].disabled, nil
}

// state reports whether the revocations were read, and whether they are
// to be read again (never read, or read longer than RevocationLag ago).
func (rv *revocations) state() (loaded, stale bool) {
	rv.mu.RLock()
	defer rv.mu.RUnlock()
	return rv.loaded, !rv.loaded || rv.read.Elapsed() > RevocationLag
}

// refresh reads the revocations after the known epoch, in epoch order: a
// later epoch commits after every earlier one (session_epoch's lock), so
// nothing committed is ever skipped.
func (s *Service) refresh(ctx context.Context) error {
	rv := &s.rev
	rv.mu.RLock()
	from := rv.epoch
	rv.mu.RUnlock()
	// A database restored from an older copy numbers its revocations again
	// from a lower epoch: they are all read again (the sessions this server
	// knew ended stay ended).
	var now int64
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT n FROM session_epoch WHERE id = 1`).Scan(&now); err != nil {
		return fmt.Errorf("auth: read revocation epoch: %w", err)
	}
	restored := now < from
	if restored {
		from = 0
	}
	type row struct {
		epoch int64
		revocation
	}
	rows, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (row, error) {
		var x row
		return x, r.Scan(&x.epoch, &x.kind, &x.hash, &x.userID, &x.until)
	}, `SELECT epoch, kind, token_hash, user_id, until_at FROM session_revocations WHERE epoch > $1 ORDER BY epoch, kind, token_hash, user_id`, from)
	if err != nil {
		return fmt.Errorf("auth: read revocations: %w", err)
	}
	rv.mu.Lock()
	defer rv.mu.Unlock()
	rv.init()
	if restored {
		rv.epoch, rv.accounts = 0, map[int64]state{}
	}
	// Every row of an epoch is applied: an epoch is one change, often of
	// several rows (a disabled account and its sessions).
	for _, x := range rows {
		rv.apply(x.revocation, x.epoch)
		rv.epoch = max(rv.epoch, x.epoch)
	}
	rv.loaded, rv.read = true, clock.StartTimer()
	return nil
}

// purge forgets, at most once per revocationPurgeEvery, the revocations
// whose until has passed: every session and token they end has expired,
// and SessionUser refuses it for that alone. Their rows are deleted by
// the next revocation written (purgeRows): a page only reads.
func (s *Service) purge(ctx context.Context) {
	rv := &s.rev
	rv.mu.RLock()
	due := !rv.didPurge || rv.purged.Elapsed() > revocationPurgeEvery
	rv.mu.RUnlock()
	if !due {
		return
	}
	now := s.purgeBefore(ctx)
	rv.mu.Lock()
	defer rv.mu.Unlock()
	for h, until := range rv.ended {
		if until != "" && until < now {
			delete(rv.ended, h)
		}
	}
	for id, st := range rv.accounts {
		if st.until != "" && st.until < now {
			delete(rv.accounts, id)
		}
	}
	rv.purged, rv.didPurge = clock.StartTimer(), true
}

// purgeRows deletes, in the transaction of a revocation and at most once
// per revocationPurgeEvery, the rows of the revocations whose until has
// passed: they are of epochs every server has read or never needs.
func (s *Service) purgeRows(ctx context.Context, tx *store.Tx) error {
	rv := &s.rev
	rv.mu.RLock()
	due := !rv.didPurgeRows || rv.rowsPurged.Elapsed() > revocationPurgeEvery
	rv.mu.RUnlock()
	if !due {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM session_revocations WHERE until_at <> '' AND until_at < $1`, s.purgeBefore(ctx)); err != nil {
		return fmt.Errorf("auth: purge revocations: %w", err)
	}
	tx.AfterCommit(func() {
		rv.mu.Lock()
		defer rv.mu.Unlock()
		rv.rowsPurged, rv.didPurgeRows = clock.StartTimer(), true
	})
	return nil
}

func (rv *revocations) init() {
	if rv.ended == nil {
		rv.ended, rv.accounts = map[string]string{}, map[int64]state{}
	}
}

// apply records one revocation of epoch (rv.mu held).
func (rv *revocations) apply(x revocation, epoch int64) {
	switch x.kind {
	case revokeEnd:
		rv.ended[x.hash] = x.until
	case revokeDisable, revokeEnable:
		if rv.accounts[x.userID].epoch < epoch {
			rv.accounts[x.userID] = state{epoch: epoch, disabled: x.kind == revokeDisable, until: x.until}
		}
	}
}

// revoke writes revocations in the transaction ctx carries, under the next
// epoch, and applies them to this server as soon as the transaction
// commits (never before: a change rolled back revokes nothing).
func (s *Service) revoke(ctx context.Context, list ...revocation) error {
	if len(list) == 0 {
		return nil
	}
	tx := store.TxFrom(ctx)
	if tx == nil {
		return fmt.Errorf("auth: a revocation must run inside store.InTx")
	}
	var epoch int64
	if err := tx.QueryRowContext(ctx, `UPDATE session_epoch SET n = n + 1 WHERE id = 1 RETURNING n`).Scan(&epoch); err != nil {
		return fmt.Errorf("auth: revocation epoch: %w", err)
	}
	// A change of an account counts until every session signed before it
	// has expired.
	accountUntil := clock.Stored(s.db.Now(ctx).Add(max(s.SessionTTL, s.TokenTTL)))
	rows := make([][]any, len(list))
	for i := range list {
		if list[i].until == "" && list[i].kind != revokeEnd {
			list[i].until = accountUntil
		}
		x := list[i]
		rows[i] = []any{epoch, x.kind, x.hash, x.userID, x.until}
	}
	if err := store.Insert(ctx, "session_revocations", []string{"epoch", "kind", "token_hash", "user_id", "until_at"}, rows); err != nil {
		return fmt.Errorf("auth: write revocations: %w", err)
	}
	if err := s.purgeRows(ctx, tx); err != nil {
		return err
	}
	tx.AfterCommit(func() {
		rv := &s.rev
		rv.mu.Lock()
		defer rv.mu.Unlock()
		rv.init()
		for _, x := range list {
			rv.apply(x, epoch)
		}
	})
	return nil
}

// ended lists the revocations of the sessions whose token hashes a
// statement deleted (DELETE … RETURNING token_hash, user_id, expires_at),
// each counting until its session's expiry.
func ended(ctx context.Context, q store.Querier, query string, args ...any) ([]revocation, error) {
	return store.Select(ctx, q, func(r store.Scanner) (revocation, error) {
		x := revocation{kind: revokeEnd}
		return x, r.Scan(&x.hash, &x.userID, &x.until)
	}, query, args...)
}
