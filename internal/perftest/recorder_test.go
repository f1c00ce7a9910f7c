package perftest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"net/url"
	"strings"
	"sync"
	"testing"

	"provim/internal/store"
)

// recorder is a database/sql connector that wraps the store's own driver
// and, while on, records every statement sent with its arguments.
type recorder struct {
	drv  driver.Driver
	name string

	mu   sync.Mutex
	on   bool
	seen []statement
}

// statement is one recorded query and its arguments.
type statement struct {
	SQL  string
	Args []any
}

func (r *recorder) Connect(context.Context) (driver.Conn, error) {
	c, err := r.drv.Open(r.name)
	if err != nil {
		return nil, err
	}
	return &conn{Conn: c, rec: r}, nil
}

func (r *recorder) Driver() driver.Driver { return r.drv }

func (r *recorder) start() {
	r.mu.Lock()
	r.on, r.seen = true, nil
	r.mu.Unlock()
}

func (r *recorder) stop() []statement {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.on = false
	return r.seen
}

func (r *recorder) add(q string, args []driver.NamedValue) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.on {
		return
	}
	st := statement{SQL: q}
	for _, a := range args {
		st.Args = append(st.Args, a.Value)
	}
	r.seen = append(r.seen, st)
}

// conn records the statements of one driver connection and delegates
// everything to it.
type conn struct {
	driver.Conn
	rec *recorder
}

func (c *conn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	qc, ok := c.Conn.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	c.rec.add(q, args)
	return qc.QueryContext(ctx, q, args)
}

func (c *conn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	ec, ok := c.Conn.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	c.rec.add(q, args)
	return ec.ExecContext(ctx, q, args)
}

func (c *conn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	c.rec.add(q, nil)
	if pc, ok := c.Conn.(driver.ConnPrepareContext); ok {
		return pc.PrepareContext(ctx, q)
	}
	return c.Conn.Prepare(q)
}

func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if bc, ok := c.Conn.(driver.ConnBeginTx); ok {
		return bc.BeginTx(ctx, opts)
	}
	return c.Conn.Begin() //nolint:staticcheck // the driver has no BeginTx
}

func (c *conn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *conn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *conn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *conn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.Conn.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

// recording opens base's database a second time through a recorder (base
// has migrated it). Only the connections of the returned store record.
func recording(t testing.TB, base *store.DB, dsn string) (*store.DB, *recorder) {
	t.Helper()
	name := dsn
	if p, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		// The pragmas store.Open gives every SQLite connection.
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Set("_txlock", "immediate")
		name = "file:" + p + "?" + q.Encode()
	}
	rec := &recorder{drv: base.Driver(), name: name}
	sdb := sql.OpenDB(rec)
	sdb.SetMaxOpenConns(4)
	sdb.SetMaxIdleConns(4)
	t.Cleanup(func() { sdb.Close() })
	return &store.DB{DB: sdb, Dialect: base.Dialect, Clock: base.Clock}, rec
}
