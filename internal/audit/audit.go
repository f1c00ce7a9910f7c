// Package audit keeps the append-only, hash-chained log of every change to
// exam data. Each entry's hash covers its own fields and the previous
// entry's hash, so changing, removing or reordering any stored entry breaks
// the chain at that entry, and Verify names it.
package audit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"provim/internal/store"
)

// Entry is one change: who did what to which object, before and after.
type Entry struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"` // username, or "system"
	Role       string    `json:"role"`
	Action     string    `json:"action"`      // e.g. "create", "update"
	ObjectType string    `json:"object_type"` // e.g. "student"
	ObjectID   string    `json:"object_id"`
	Before     string    `json:"before"` // JSON, "" when none
	After      string    `json:"after"`  // JSON, "" when none
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
}

// Actor identifies who makes a change.
type Actor struct {
	Name string
	Role string
}

// System is the actor of changes made by provim itself (demo, migrations).
var System = Actor{Name: "system", Role: "system"}

// JSON renders v for the Before/After fields ("" for nil).
func JSON(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%q", fmt.Sprint(v))
	}
	return string(b)
}

func (e *Entry) computeHash() string {
	h := sha256.New()
	fields := []string{
		strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339Nano), e.Actor, e.Role,
		e.Action, e.ObjectType, e.ObjectID, e.Before, e.After, e.PrevHash,
	}
	for _, f := range fields {
		// Length-prefix every field so no two field lists hash alike.
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// chain is the log's part in one transaction. The entries a change adds,
// from whichever package takes part in it, wait in order in pending; just
// before commit the chain's lock is taken (unless Lock took it earlier),
// its head read, the entries hashed from there and written with one
// statement, and the head moved: the lock is held for those few round
// trips and the commit, not for the whole change, so concurrent changes
// (the check-ins of 1,400 rooms) queue only for their own entries.
type chain struct {
	locked  bool
	seq     int64
	hash    string
	pending []pendingEntry
	hooked  bool // a flush is installed before commit
}

// pendingEntry is an entry waiting for the commit, its before and after
// already rendered (a caller may change its maps afterwards).
type pendingEntry struct {
	who                          Actor
	action, objectType, objectID string
	before, after                string
}

type chainKey struct{}

func chainOf(ctx context.Context) (*store.Tx, *chain, error) {
	tx := store.TxFrom(ctx)
	if tx == nil {
		return nil, nil, fmt.Errorf("audit: a change must run inside store.InTx")
	}
	c, ok := tx.Value(chainKey{}).(*chain)
	if !ok {
		c = &chain{}
		tx.SetValue(chainKey{}, c)
	}
	return tx, c, nil
}

// lock takes the chain's row lock and reads its head, once per
// transaction. The no-op update takes the row lock on PostgreSQL, so
// concurrent appenders queue here; SQLite already holds the write lock.
func (c *chain) lock(ctx context.Context, tx *store.Tx) error {
	if c.locked {
		return nil
	}
	if err := tx.QueryRowContext(ctx, `UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash`).Scan(&c.seq, &c.hash); err != nil {
		return fmt.Errorf("audit: lock chain: %w", err)
	}
	c.locked = true
	return nil
}

// add queues entries and makes sure they are written before commit.
func (c *chain) add(tx *store.Tx, who Actor, items []Item) {
	for _, it := range items {
		c.pending = append(c.pending, pendingEntry{who: who, action: it.Action, objectType: it.ObjectType, objectID: it.ObjectID,
			before: JSON(it.Before), after: JSON(it.After)})
	}
	if c.hooked {
		return
	}
	c.hooked = true
	tx.BeforeCommit(func(ctx context.Context) error {
		c.hooked = false
		return c.flush(ctx, tx)
	})
}

// flush writes the pending entries in their order, continuing the chain
// from its head, and moves the head. The head is signed when this process
// holds the audit key (anchor.go); a writer without it leaves the head
// unsigned.
func (c *chain) flush(ctx context.Context, tx *store.Tx) error {
	if len(c.pending) == 0 {
		return nil
	}
	if err := c.lock(ctx, tx); err != nil {
		return err
	}
	stamp := tx.Now().UTC().Format(time.RFC3339Nano)
	at, _ := time.Parse(time.RFC3339Nano, stamp)
	rows := make([][]any, len(c.pending))
	seq, prev := c.seq, c.hash
	for i, pe := range c.pending {
		e := Entry{
			Seq: seq + 1, At: at, Actor: pe.who.Name, Role: pe.who.Role, Action: pe.action,
			ObjectType: pe.objectType, ObjectID: pe.objectID, Before: pe.before, After: pe.after, PrevHash: prev,
		}
		e.Hash = e.computeHash()
		rows[i] = []any{e.Seq, stamp, e.Actor, e.Role, e.Action, e.ObjectType, e.ObjectID, e.Before, e.After, e.PrevHash, e.Hash}
		seq, prev = e.Seq, e.Hash
	}
	// The head moves in the statement that writes the entries (one round
	// trip under the lock on PostgreSQL).
	if err := store.InsertAfter(ctx, `UPDATE audit_head SET seq = $1, hash = $2, signature = $3 WHERE id = 1`,
		[]any{seq, prev, signHead(seq, prev)}, "audit_log", logCols, rows); err != nil {
		first := c.pending[0]
		return fmt.Errorf("audit: append %d entries (from %s %s/%s) and move the chain head: %w", len(rows), first.action, first.objectType, first.objectID, err)
	}
	c.seq, c.hash, c.pending = seq, prev, nil
	return nil
}

// Lock takes the chain's lock for the rest of the transaction ctx carries,
// before the change reads what it will change: concurrent changes that
// must see each other's result (activating an exam year) queue here on one
// row, in one order, and cannot deadlock.
func Lock(ctx context.Context) error {
	tx, c, err := chainOf(ctx)
	if err != nil {
		return err
	}
	return c.lock(ctx, tx)
}

// Add appends one entry to the log inside the transaction ctx carries
// (store.InTx), stamped with the transaction's moment: the entry commits
// with the change it records, or neither does. It is written, hashed in
// the chain, just before the transaction commits.
func Add(ctx context.Context, who Actor, action, objectType, objectID string, before, after any) error {
	return AddMany(ctx, who, []Item{{Action: action, ObjectType: objectType, ObjectID: objectID, Before: before, After: after}})
}

// Item is one entry of AddMany: what was done to which object.
type Item struct {
	Action, ObjectType, ObjectID string
	Before, After                any
}

// AddMany appends the entries of a bulk step (an import, the forms of a
// country) in their order, exactly as as many calls of Add would — the
// same fields, sequence numbers and hash chain — all written with the
// transaction's other entries in one bulk write (COPY on PostgreSQL).
func AddMany(ctx context.Context, who Actor, items []Item) error {
	if len(items) == 0 {
		return nil
	}
	tx, c, err := chainOf(ctx)
	if err != nil {
		return err
	}
	c.add(tx, who, items)
	return nil
}

var logCols = []string{"seq", "at", "actor", "role", "action", "object_type", "object_id", "before", "after", "prev_hash", "hash"}

// Problem describes the first place where the chain does not verify.
type Problem struct {
	Seq    int64  `json:"seq"`
	Reason string `json:"reason"`
}

func (p *Problem) Error() string {
	return fmt.Sprintf("audit chain broken at entry %d: %s", p.Seq, p.Reason)
}

// Verify re-walks the whole chain. It returns the number of entries that
// verified, and a *Problem naming the first entry that was changed, removed
// or reordered (nil when the chain is intact).
func Verify(ctx context.Context, db *sql.DB) (int64, *Problem, error) {
	rows, err := db.QueryContext(ctx, `SELECT seq, at, actor, role, action, object_type, object_id, before, after, prev_hash, hash
		FROM audit_log ORDER BY seq`)
	if err != nil {
		return 0, nil, fmt.Errorf("audit: read log: %w", err)
	}
	defer rows.Close()
	var want int64 = 1
	prev := ""
	for rows.Next() {
		var e Entry
		var at string
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Role, &e.Action, &e.ObjectType, &e.ObjectID,
			&e.Before, &e.After, &e.PrevHash, &e.Hash); err != nil {
			return 0, nil, fmt.Errorf("audit: scan: %w", err)
		}
		e.At, err = time.Parse(time.RFC3339Nano, at)
		if err != nil {
			return want - 1, &Problem{e.Seq, "time stamp is not valid: " + at}, nil
		}
		switch {
		case e.Seq != want:
			return want - 1, &Problem{want, fmt.Sprintf("entry %d is missing (next stored entry is %d)", want, e.Seq)}, nil
		case e.PrevHash != prev:
			return want - 1, &Problem{e.Seq, "its link to the previous entry does not match (entries removed or reordered)"}, nil
		case e.computeHash() != e.Hash:
			return want - 1, &Problem{e.Seq, "its content was changed after it was written"}, nil
		}
		prev = e.Hash
		want++
	}
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}
	var headSeq int64
	var headHash string
	if err := db.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return 0, nil, fmt.Errorf("audit: read chain head: %w", err)
	}
	if headSeq != want-1 || headHash != prev {
		return want - 1, &Problem{want, fmt.Sprintf("the log ends at entry %d but its head records entry %d (entries at the end were removed)", want-1, headSeq)}, nil
	}
	return want - 1, nil, nil
}

// Query lists entries, newest first, optionally for one object.
func Query(ctx context.Context, db *sql.DB, objectType, objectID string, limit int) ([]Entry, error) {
	q := `SELECT seq, at, actor, role, action, object_type, object_id, before, after, prev_hash, hash FROM audit_log`
	var args []any
	var where []string
	if objectType != "" {
		args = append(args, objectType)
		where = append(where, fmt.Sprintf("object_type = $%d", len(args)))
	}
	if objectID != "" {
		args = append(args, objectID)
		where = append(where, fmt.Sprintf("object_id = $%d", len(args)))
	}
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, limit)
	q += fmt.Sprintf(" ORDER BY seq DESC LIMIT $%d", len(args))
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("audit: query: %w", err)
	}
	return store.Collect(rows, func(r store.Scanner) (Entry, error) {
		var e Entry
		var at string
		err := r.Scan(&e.Seq, &at, &e.Actor, &e.Role, &e.Action, &e.ObjectType, &e.ObjectID,
			&e.Before, &e.After, &e.PrevHash, &e.Hash)
		e.At, _ = time.Parse(time.RFC3339Nano, at)
		return e, err
	})
}
