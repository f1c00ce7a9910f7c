package store_test

import (
	"context"
	"testing"

	"provim/internal/store"
	"provim/internal/store/storetest"
)

// On PostgreSQL the driver keeps the statements: pgx prepares a query once
// a connection (its default QueryExecModeCacheStatement) and runs it again
// by its name, so the store adds no cache of its own there.
func TestPostgresKeepsParsedStatements(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	if db.Dialect != store.Postgres {
		t.Skip("PostgreSQL only (set PROVIM_TEST_DATABASE_URL)")
	}
	ctx := context.Background()
	c, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const q = `SELECT COUNT(*) FROM schema_migrations WHERE version >= $1`
	for i := range 20 {
		var n int
		if err := c.QueryRowContext(ctx, q, i).Scan(&n); err != nil {
			t.Fatal(err)
		}
	}
	var prepared, runs int
	if err := c.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(generic_plans + custom_plans), 0) FROM pg_prepared_statements WHERE statement = $1`, q).Scan(&prepared, &runs); err != nil {
		t.Fatal(err)
	}
	if prepared != 1 || runs < 20 {
		t.Errorf("the query is prepared %d times on the connection and run %d times from there; want once and 20 runs", prepared, runs)
	}
}
