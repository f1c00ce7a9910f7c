// Package storetest opens a fresh, migrated database for a test: SQLite in
// a temporary file by default, or a new schema of the PostgreSQL server
// named by PROVIM_TEST_DATABASE_URL, dropped when the test ends.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"provim/internal/store"
)

// MaxConns bounds the connections of one PostgreSQL test database. The
// packages' tests run in parallel, each on its own schema, and the server
// allows 100 connections in all (max_connections): a few per test leave
// room for every package running at once and for the servers e2e starts.
const MaxConns = 4

// Open returns a fresh migrated database for t.
func Open(t testing.TB) *store.DB {
	t.Helper()
	ctx := context.Background()
	if base := os.Getenv("PROVIM_TEST_DATABASE_URL"); base != "" {
		if p := thePool(base); p != nil {
			return openPooled(t, p)
		}
	}
	dsn := DSN(t)
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	if db.Dialect == store.Postgres {
		db.SetMaxOpenConns(MaxConns)
		db.SetMaxIdleConns(MaxConns)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// DSN returns the address of a fresh empty database for t (created now,
// dropped at cleanup), for tests that start the program themselves.
func DSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv("PROVIM_TEST_DATABASE_URL")
	if base == "" {
		return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	// The schema is made and dropped on a connection of its own, closed at
	// once, so a running test holds no connection beyond its database's.
	admin := func(stmt string) error {
		conn, err := sql.Open("pgx", base)
		if err != nil {
			return err
		}
		defer conn.Close()
		_, err = conn.Exec(stmt)
		return err
	}
	if err := admin(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("postgres: create schema: %v", err)
	}
	t.Cleanup(func() { admin(`DROP SCHEMA ` + schema + ` CASCADE`) })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("PROVIM_TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// openPooled opens a schema leased from the pool p for t, given back
// emptied when t ends.
func openPooled(t testing.TB, p *pgPool) *store.DB {
	t.Helper()
	schema, fresh, err := p.lease()
	if err != nil {
		t.Fatalf("postgres: test schema: %v", err)
	}
	dsn, err := p.dsn(schema)
	if err != nil {
		t.Fatalf("PROVIM_TEST_DATABASE_URL: %v", err)
	}
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		p.admin.Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`)
		t.Fatalf("open test database: %v", err)
	}
	if fresh {
		if err := p.remember(schema); err != nil {
			t.Fatalf("postgres: test schema: %v", err)
		}
	}
	db.SetMaxOpenConns(MaxConns)
	db.SetMaxIdleConns(MaxConns)
	t.Cleanup(func() {
		db.Close()
		p.release(schema)
	})
	return db
}
