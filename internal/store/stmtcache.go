package store

import (
	"container/list"
	"context"
	"database/sql"
	"database/sql/driver"
	"reflect"
)

// SQLite parses every statement it is sent; the modernc driver keeps a
// parsed statement only as long as a database/sql Stmt lives, and
// db.QueryContext makes a new one every time (a fifth of a student page's
// cost went into SQLite's parser). PostgreSQL needs nothing of this: pgx
// keeps the statements of each connection itself (its default
// QueryExecModeCacheStatement, 512 a connection).
//
// So every SQLite connection keeps its own parsed statements, by their
// SQL text, up to stmtCacheSize, the least recently used one finalized
// first. This works below database/sql, on the driver's connection, which
// database/sql gives to one goroutine at a time: a transaction carried in
// a context (InTx) runs its statements on its connection and finds them
// there, and nothing is shared between connections, so nothing is locked.
// A statement whose rows are still being read (the same query again
// inside the loop over its own rows, in a transaction) is not reused:
// that call gets a statement of its own, finalized after it.
const stmtCacheSize = 256

// cachingDriver opens SQLite connections that keep their statements.
type cachingDriver struct{ driver.Driver }

func (d cachingDriver) Open(name string) (driver.Conn, error) {
	c, err := d.Driver.Open(name)
	if err != nil {
		return nil, err
	}
	return newCachingConn(c), nil
}

// cachingConnector is the connector of an SQLite database: its DSN, opened
// through cachingDriver.
type cachingConnector struct {
	dsn string
	drv cachingDriver
}

func (c cachingConnector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c cachingConnector) Driver() driver.Driver                        { return c.drv }

// sqliteDriver is the modernc driver registered as "sqlite", with the
// functions this package registers on it (lower, above).
func sqliteDriver() driver.Driver {
	db, _ := sql.Open("sqlite", "") // no connection is made
	defer db.Close()
	return db.Driver()
}

// openSQLite opens dsn (a modernc DSN) with statements kept per connection.
func openSQLite(dsn string) *sql.DB {
	return sql.OpenDB(cachingConnector{dsn: dsn, drv: cachingDriver{sqliteDriver()}})
}

// cachingConn is a driver connection that keeps its parsed statements.
type cachingConn struct {
	driver.Conn
	byQuery map[string]*list.Element // of *cachedStmt
	lru     list.List                // most recently used first
}

type cachedStmt struct {
	query string
	si    driver.Stmt
	busy  bool // its rows are being read
}

func newCachingConn(c driver.Conn) *cachingConn {
	return &cachingConn{Conn: c, byQuery: map[string]*list.Element{}}
}

// stmt returns the kept statement of query, parsing it first if needed;
// nil (and no error) when it is busy.
func (c *cachingConn) stmt(ctx context.Context, query string) (*cachedStmt, error) {
	if e, ok := c.byQuery[query]; ok {
		cs := e.Value.(*cachedStmt)
		if cs.busy {
			return nil, nil
		}
		c.lru.MoveToFront(e)
		return cs, nil
	}
	si, err := c.prepare(ctx, query)
	if err != nil {
		return nil, err
	}
	cs := &cachedStmt{query: query, si: si}
	c.byQuery[query] = c.lru.PushFront(cs)
	for c.lru.Len() > stmtCacheSize {
		if !c.evict(cs) {
			break
		}
	}
	return cs, nil
}

// evict finalizes the least recently used statement that is neither busy
// nor keep.
func (c *cachingConn) evict(keep *cachedStmt) bool {
	for e := c.lru.Back(); e != nil; e = e.Prev() {
		cs := e.Value.(*cachedStmt)
		if cs.busy || cs == keep {
			continue
		}
		c.lru.Remove(e)
		delete(c.byQuery, cs.query)
		cs.si.Close()
		return true
	}
	return false
}

func (c *cachingConn) prepare(ctx context.Context, query string) (driver.Stmt, error) {
	if pc, ok := c.Conn.(driver.ConnPrepareContext); ok {
		return pc.PrepareContext(ctx, query)
	}
	return c.Conn.Prepare(query)
}

// ExecContext runs query on its kept statement.
func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	cs, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
	}
	return cs.si.(driver.StmtExecContext).ExecContext(ctx, args)
}

// QueryContext runs query on its kept statement, busy until its rows are
// closed.
func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	cs, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	}
	r, err := cs.si.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	cs.busy = true
	return &cachedRows{Rows: r, cs: cs}, nil
}

// PrepareContext is database/sql's own Prepare: a statement its caller
// owns and closes, not kept here.
func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.prepare(ctx, query)
}

// Close finalizes the kept statements and closes the connection.
func (c *cachingConn) Close() error {
	for e := c.lru.Front(); e != nil; e = e.Next() {
		e.Value.(*cachedStmt).si.Close()
	}
	c.lru.Init()
	clear(c.byQuery)
	return c.Conn.Close()
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if bc, ok := c.Conn.(driver.ConnBeginTx); ok {
		return bc.BeginTx(ctx, opts)
	}
	return c.Conn.Begin() //nolint:staticcheck // the driver has no BeginTx
}

func (c *cachingConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *cachingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *cachingConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// cachedRows are the rows of a kept statement: closing them (the driver
// resets the statement) makes it free for the next query.
type cachedRows struct {
	driver.Rows
	cs *cachedStmt
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	r.cs.busy = false
	return err
}

// The driver's column types, passed through (sql.Rows.ColumnTypes).

func (r *cachedRows) ColumnTypeScanType(i int) reflect.Type {
	if c, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return c.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	if c, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return c.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *cachedRows) ColumnTypeLength(i int) (int64, bool) {
	if c, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return c.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *cachedRows) ColumnTypeNullable(i int) (bool, bool) {
	if c, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return c.ColumnTypeNullable(i)
	}
	return false, false
}

func (r *cachedRows) ColumnTypePrecisionScale(i int) (int64, int64, bool) {
	if c, ok := r.Rows.(driver.RowsColumnTypePrecisionScale); ok {
		return c.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}
