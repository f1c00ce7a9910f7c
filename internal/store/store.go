// Package store opens provim's database — embedded SQLite by default,
// PostgreSQL in production — and applies the versioned migrations of the
// chosen dialect. Every domain package writes plain SQL with $N parameters,
// which both engines accept, so there is one code path for both.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"database/sql/driver"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
	"provim/internal/clock"

	sqlite "modernc.org/sqlite" // driver "sqlite"
)

// SQLite's built-in lower() folds ASCII only, so a search for "çela" would
// miss "Çela": replace it with Unicode folding, as PostgreSQL has.
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("lower", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return strings.ToLower(v), nil
		case []byte:
			return strings.ToLower(string(v)), nil
		}
		return args[0], nil
	})
}

// Dialect names the SQL engine behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is the shared database handle. It embeds *sql.DB so domain stores use
// the ordinary database/sql API.
type DB struct {
	*sql.DB
	Dialect Dialect
	// Clock is the one clock of the program (cmd/provim sets it at
	// wiring; clock.Real until then). InTx freezes it once per
	// transaction; Now reads it.
	Clock clock.Clock
}

//go:embed migrations
var migrations embed.FS

// Open connects to the database named by dsn and migrates it to the latest
// schema. Accepted forms:
//
//	sqlite:PATH            (or a bare path ending in .db)
//	sqlite::memory:        (tests; one shared connection)
//	postgres://user:pass@host/db?sslmode=disable
func Open(ctx context.Context, dsn string) (*DB, error) {
	db, err := open(dsn)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: cannot reach the database: %w", err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func open(dsn string) (*DB, error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		sqldb, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("store: open postgres: %w", err)
		}
		pool(sqldb, postgresConns())
		return &DB{DB: sqldb, Dialect: Postgres, Clock: clock.Real{}}, nil
	case strings.HasPrefix(dsn, "sqlite:"), strings.HasSuffix(dsn, ".db"):
		p := strings.TrimPrefix(dsn, "sqlite:")
		if p == "" {
			return nil, errors.New("store: sqlite DSN needs a file path, e.g. sqlite:provim.db")
		}
		memory := p == ":memory:"
		// Pragmas go into the DSN so that every pooled connection gets them.
		// _txlock=immediate takes the write lock at BEGIN, which avoids
		// "database is locked" when transactions read before writing.
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "synchronous(NORMAL)")
		if !memory {
			q.Add("_pragma", "journal_mode(WAL)")
			// Reads through a memory map, not a pread per page: the
			// candidates' pages on results night read ~10 % faster
			// (BenchmarkResultsNight). Only the address space is reserved;
			// writes still go through the WAL.
			q.Add("_pragma", "mmap_size(1073741824)")
		}
		q.Set("_txlock", "immediate")
		sqldb := openSQLite("file:" + p + "?" + q.Encode())
		if memory {
			pool(sqldb, 1)
		} else {
			pool(sqldb, 8)
		}
		return &DB{DB: sqldb, Dialect: SQLite, Clock: clock.Real{}}, nil
	default:
		return nil, fmt.Errorf("store: unknown database %q: use sqlite:PATH or postgres://…", dsn)
	}
}

// postgresConns is how many connections a server keeps to PostgreSQL:
// four per core, at least 8. More only queue inside the database: 35,000
// check-ins on 2 cores (provim loadtest --checkins) went through at 271–312
// a second with 16 connections and at 402–732 with 8, every audited change
// waiting its turn at the head of the audit chain either way.
func postgresConns() int { return max(8, 4*runtime.NumCPU()) }

// pool bounds the connections of sqldb to n and keeps as many open while
// idle. database/sql keeps only 2 idle by default: under more concurrent
// requests than that, every other connection was closed as it was given
// back and opened again for the next request, a new PostgreSQL backend
// or a new SQLite handle each time (reading the schema again), with its
// kept statements lost. Idle connections are closed after ten minutes.
func pool(sqldb *sql.DB, n int) {
	sqldb.SetMaxOpenConns(n)
	sqldb.SetMaxIdleConns(n)
	sqldb.SetConnMaxIdleTime(10 * time.Minute)
}

// Migrate applies every migration of the dialect not yet applied, each in
// its own transaction, in file-name order.
func (db *DB) Migrate(ctx context.Context) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("store: create schema_migrations: %w", err)
	}
	dir := path.Join("migrations", string(db.Dialect))
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return fmt.Errorf("store: read migrations: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil {
			return fmt.Errorf("store: migration %s: name must start with a number and _", name)
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, version).Scan(&n); err != nil {
			return fmt.Errorf("store: check migration %d: %w", version, err)
		}
		if n > 0 {
			continue
		}
		body, err := migrations.ReadFile(path.Join(dir, name))
		if err != nil {
			return err
		}
		err = db.InTx(ctx, func(ctx context.Context) error {
			tx := db.Q(ctx)
			for _, stmt := range splitStatements(string(body)) {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("%w\n%s", err, stmt)
				}
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, version, name)
			return err
		})
		if err != nil {
			return fmt.Errorf("store: migration %s: %w", name, err)
		}
	}
	return nil
}

// splitStatements splits a migration file on lines that end with ';'.
func splitStatements(body string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(body, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(trimmed, ";") {
			if s := strings.TrimSpace(cur.String()); s != ";" {
				out = append(out, s)
			}
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

// IsUniqueViolation reports whether err is a unique-constraint failure on
// either engine.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// Analyze refreshes the query planner's statistics. Call it after a bulk
// load: without them SQLite may pick an index on a column that no longer
// narrows anything (every form of a year has the same year) and scan the
// whole table once per school. PostgreSQL's autovacuum would get there
// too, later.
func (db *DB) Analyze(ctx context.Context) error {
	if _, err := db.ExecContext(ctx, `ANALYZE`); err != nil {
		return fmt.Errorf("store: analyze: %w", err)
	}
	return nil
}
