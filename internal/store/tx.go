package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Querier is what both *sql.DB and *sql.Tx offer: the store's reads and
// writes run on either, whichever the context carries (DB.Q).
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// Tx is a transaction carried in a context by InTx. It holds the one
// moment of the change and the work to do just before commit (the audit
// chain moves its head there).
type Tx struct {
	*sql.Tx
	// conn is the connection the transaction runs on, for what
	// database/sql cannot do through a Tx: PostgreSQL's COPY (bulk.go).
	conn         *sql.Conn
	dialect      Dialect
	now          time.Time
	beforeCommit []func(context.Context) error
	afterCommit  []func()
	values       map[any]any
}

// Now is the moment of the transaction: read from the clock once, when it
// began, so every row and audit entry of one change carries the same time.
func (t *Tx) Now() time.Time { return t.now }

// BeforeCommit runs fn after the work of the transaction and before it
// commits; an error rolls the whole transaction back.
func (t *Tx) BeforeCommit(fn func(context.Context) error) {
	t.beforeCommit = append(t.beforeCommit, fn)
}

// AfterCommit runs fn once the transaction has committed (never when it
// rolls back): what a process keeps in memory of the database (the
// sessions a server knows ended) follows only what was written.
func (t *Tx) AfterCommit(fn func()) {
	t.afterCommit = append(t.afterCommit, fn)
}

// Value returns what a package attached to the transaction under key (nil
// when nothing), so that state such as the audit chain's tip is shared by
// every package taking part in one transaction.
func (t *Tx) Value(key any) any { return t.values[key] }

// SetValue attaches v to the transaction under key.
func (t *Tx) SetValue(key, v any) {
	if t.values == nil {
		t.values = map[any]any{}
	}
	t.values[key] = v
}

type txKey struct{}

// TxFrom returns the transaction the context carries, or nil.
func TxFrom(ctx context.Context) *Tx {
	t, _ := ctx.Value(txKey{}).(*Tx)
	return t
}

// InTx runs fn in a transaction carried in the context it is given. When
// ctx already carries one, fn joins it: a step of one package that calls
// another's commits both or neither. Otherwise a new transaction begins,
// commits when fn returns nil and rolls back otherwise (also on panic), so
// nothing half-written survives.
func (db *DB) InTx(ctx context.Context, fn func(ctx context.Context) error) (err error) {
	if TxFrom(ctx) != nil {
		return fn(ctx)
	}
	// The transaction begins on a connection of its own (returned to the
	// pool when it ends), so that bulk writes can reach the driver's
	// connection inside it (a *sql.Tx does not lend its connection).
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer conn.Close()
	sqltx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	t := &Tx{Tx: sqltx, conn: conn, dialect: db.Dialect, now: db.Clock.Now()}
	defer func() {
		if p := recover(); p != nil {
			sqltx.Rollback()
			panic(p)
		}
		if err != nil {
			sqltx.Rollback()
		}
	}()
	tctx := context.WithValue(ctx, txKey{}, t)
	if err = fn(tctx); err != nil {
		return err
	}
	// A hook may install another (the audit chain, when a hook records a
	// change): every one runs, in order.
	for i := 0; i < len(t.beforeCommit); i++ {
		if err = t.beforeCommit[i](tctx); err != nil {
			return err
		}
	}
	if err = sqltx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	for _, fn := range t.afterCommit {
		fn()
	}
	return nil
}

// Q is where a query runs: the transaction the context carries, else the
// database itself.
func (db *DB) Q(ctx context.Context) Querier {
	if t := TxFrom(ctx); t != nil {
		return t.Tx
	}
	return db.DB
}

// Now is the moment of the transaction the context carries, else the
// clock's time.
func (db *DB) Now(ctx context.Context) time.Time {
	if t := TxFrom(ctx); t != nil {
		return t.now
	}
	return db.Clock.Now()
}

// Scanner is a row to scan: *sql.Row or *sql.Rows.
type Scanner interface {
	Scan(dest ...any) error
}

// Collect scans every row with scan, closes rows, and returns the first
// error of the scans or of the iteration itself (rows.Err), so that a
// broken connection never passes for a short list.
func Collect[T any](rows *sql.Rows, scan func(Scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Select runs query on q and collects its rows with scan.
func Select[T any](ctx context.Context, q Querier, scan func(Scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return Collect(rows, scan)
}
