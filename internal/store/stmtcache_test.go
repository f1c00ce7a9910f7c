package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
)

func openTestSQLite(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		if _, err := db.Exec(`INSERT INTO kv (k, v) VALUES ($1, $2)`, i, fmt.Sprint("v", i)); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// kept returns how many statements the connection c keeps and whether it
// is a caching connection at all.
func kept(t *testing.T, c *sql.Conn) int {
	t.Helper()
	n := -1
	if err := c.Raw(func(dc any) error {
		cc, ok := dc.(*cachingConn)
		if !ok {
			return fmt.Errorf("connection %T does not keep statements", dc)
		}
		n = cc.lru.Len()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// A query sent again on a connection runs on the statement parsed the
// first time.
func TestSQLiteKeepsParsedStatements(t *testing.T) {
	t.Parallel()
	db := openTestSQLite(t)
	ctx := context.Background()
	c, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	before := kept(t, c)
	for i := range 50 {
		var v string
		if err := c.QueryRowContext(ctx, `SELECT v FROM kv WHERE k = $1`, i%5+1).Scan(&v); err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprint("v", i%5+1); v != want {
			t.Fatalf("row %d: %q, want %q", i%5+1, v, want)
		}
		if _, err := c.ExecContext(ctx, `UPDATE kv SET v = v WHERE k = $1`, i%5+1); err != nil {
			t.Fatal(err)
		}
	}
	if got := kept(t, c) - before; got != 2 {
		t.Errorf("the connection keeps %d new statements after 100 calls of 2 queries, want 2", got)
	}
}

// The same query again while its own rows are read, in one transaction
// (one connection), gets a statement of its own: both row sets are whole.
func TestSQLiteSameQueryInsideItsOwnRows(t *testing.T) {
	t.Parallel()
	db := openTestSQLite(t)
	ctx := context.Background()
	const q = `SELECT k, v FROM kv WHERE k >= $1 ORDER BY k`
	var outer, inner int
	err := db.InTx(ctx, func(ctx context.Context) error {
		rows, err := db.Q(ctx).QueryContext(ctx, q, 1)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k int
			var v string
			if err := rows.Scan(&k, &v); err != nil {
				return err
			}
			outer++
			got, err := Select(ctx, db.Q(ctx), func(r Scanner) (int, error) {
				var k int
				var v string
				return k, r.Scan(&k, &v)
			}, q, k)
			if err != nil {
				return err
			}
			inner += len(got)
			if _, err := db.Q(ctx).ExecContext(ctx, `UPDATE kv SET v = $1 WHERE k = $2`, v+"!", k); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if outer != 5 || inner != 5+4+3+2+1 {
		t.Errorf("outer %d rows (want 5), inner %d (want 15)", outer, inner)
	}
	var v string
	if err := db.QueryRow(`SELECT v FROM kv WHERE k = 3`).Scan(&v); err != nil || v != "v3!" {
		t.Errorf("after the transaction: %q, %v; want v3!", v, err)
	}
}

// Kept statements change nothing about transactions: a rolled back one
// leaves nothing, a committed one everything, and a statement kept from
// a transaction serves later ones.
func TestSQLiteKeptStatementsInTransactions(t *testing.T) {
	t.Parallel()
	db := openTestSQLite(t)
	ctx := context.Background()
	const ins = `INSERT INTO kv (k, v) VALUES ($1, $2)`
	boom := errors.New("boom")
	for round := range 3 {
		err := db.InTx(ctx, func(ctx context.Context) error {
			if _, err := db.Q(ctx).ExecContext(ctx, ins, 100+round, "x"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("round %d: %v", round, err)
		}
		if err := db.InTx(ctx, func(ctx context.Context) error {
			_, err := db.Q(ctx).ExecContext(ctx, ins, 200+round, "y")
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	var rolledBack, committed int
	db.QueryRow(`SELECT COUNT(*) FROM kv WHERE k >= 100 AND k < 200`).Scan(&rolledBack)
	db.QueryRow(`SELECT COUNT(*) FROM kv WHERE k >= 200`).Scan(&committed)
	if rolledBack != 0 || committed != 3 {
		t.Errorf("%d rows of rolled back transactions (want 0), %d of committed ones (want 3)", rolledBack, committed)
	}
	// A failing statement leaves its kept statement usable.
	if _, err := db.Exec(ins, 200, "dup"); !IsUniqueViolation(err) {
		t.Fatalf("duplicate key: %v", err)
	}
	if _, err := db.Exec(ins, 300, "z"); err != nil {
		t.Fatalf("after a failed insert: %v", err)
	}
}

// A connection keeps at most stmtCacheSize statements, and a kept one
// follows a change of the schema.
func TestSQLiteStatementCacheIsBounded(t *testing.T) {
	t.Parallel()
	db := openTestSQLite(t)
	ctx := context.Background()
	c, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := range stmtCacheSize + 40 {
		var n int
		if err := c.QueryRowContext(ctx, fmt.Sprintf(`SELECT COUNT(*) + %d FROM kv`, i)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 5+i {
			t.Fatalf("query %d: %d", i, n)
		}
	}
	if n := kept(t, c); n > stmtCacheSize {
		t.Errorf("the connection keeps %d statements, more than %d", n, stmtCacheSize)
	}
	const q = `SELECT * FROM kv WHERE k = 1`
	cols := func() int {
		rows, err := c.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		names, _ := rows.Columns()
		return len(names)
	}
	if n := cols(); n != 2 {
		t.Fatalf("%d columns", n)
	}
	if _, err := c.ExecContext(ctx, `ALTER TABLE kv ADD COLUMN w TEXT NOT NULL DEFAULT ''`); err != nil {
		t.Fatal(err)
	}
	if n := cols(); n != 3 {
		t.Errorf("a kept SELECT * after ALTER TABLE returns %d columns, want 3", n)
	}
}

// Connections given back under load stay open for the next requests
// (with their kept statements), up to the pool's bound.
func TestIdleConnectionsStayOpen(t *testing.T) {
	t.Parallel()
	db := openTestSQLite(t)
	ctx := context.Background()
	for range 3 {
		var conns []*sql.Conn
		for range 8 {
			c, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var n int
			if err := c.QueryRowContext(ctx, `SELECT COUNT(*) FROM kv`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
		}
		for _, c := range conns {
			c.Close()
		}
	}
	st := db.Stats()
	if st.MaxIdleClosed != 0 || st.Idle != 8 || st.OpenConnections != 8 {
		t.Errorf("after three rounds of 8 connections: %d closed as idle (want 0), %d idle and %d open (want 8)", st.MaxIdleClosed, st.Idle, st.OpenConnections)
	}
}
