package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Bulk writes: the steps that write a country at once (an import, the
// forms of every school, the registration numbers, the final lists, the
// seats of a plan, the pools of a draw) write thousands of rows of one
// table. One statement per row costs a round trip each on PostgreSQL,
// so these go through Insert and Update instead: COPY on PostgreSQL
// (pgx's CopyFrom, on the transaction's own connection), multi-row
// statements on SQLite. Both join the transaction the context carries;
// the rows commit with the rest of the change, or none do.

// bulkParams bounds the placeholders of one multi-row statement, under
// either engine's limit (SQLite 32,766, PostgreSQL 65,535).
const bulkParams = 30000

// bulkRowsMax bounds the rows of one multi-row statement on SQLite, where
// a statement of a few hundred rows is as fast as a longer one.
const bulkRowsMax = 500

// copyRowsMin is the fewest rows Insert sends by COPY on PostgreSQL: COPY
// costs three round trips whatever it carries, a multi-row INSERT one,
// so a handful of rows (a check-in, its audit entry) go as a statement.
const copyRowsMin = 64

// ErrNoTx is returned by a bulk write called outside InTx.
var ErrNoTx = errors.New("store: a bulk write must run inside InTx")

// Insert writes rows (each with one value per column of cols, in order)
// into table, in the transaction ctx carries. Values are what the
// ordinary statements take: string, int, int64, float64, bool, []byte or
// nil for NULL.
func Insert(ctx context.Context, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	t := TxFrom(ctx)
	if t == nil {
		return ErrNoTx
	}
	for i, r := range rows {
		if len(r) != len(cols) {
			return fmt.Errorf("store: insert into %s: row %d has %d values for %d columns", table, i, len(r), len(cols))
		}
	}
	if t.postgres() && len(rows) >= copyRowsMin {
		if err := copyFrom(ctx, t, table, cols, rows); err != nil {
			return fmt.Errorf("store: copy into %s: %w", table, err)
		}
		return nil
	}
	return insertValues(ctx, t, table, cols, rows, t.dialect != Postgres)
}

// InsertAfter runs the statement first (with its args, numbered from $1)
// and then Insert's write of rows, in the transaction ctx carries. On
// PostgreSQL, when the rows are few enough to go as one INSERT, both go as
// one statement (first as a data-modifying WITH): one round trip where a
// lock is held (the audit chain's head moves with its entries).
func InsertAfter(ctx context.Context, first string, args []any, table string, cols []string, rows [][]any) error {
	t := TxFrom(ctx)
	if t == nil {
		return ErrNoTx
	}
	if len(rows) == 0 || !t.postgres() || len(rows) >= copyRowsMin || len(args)+len(rows)*len(cols) > bulkParams {
		if _, err := t.ExecContext(ctx, first, args...); err != nil {
			return err
		}
		return Insert(ctx, table, cols, rows)
	}
	all := make([]any, 0, len(args)+len(rows)*len(cols))
	all = append(all, args...)
	for i, r := range rows {
		if len(r) != len(cols) {
			return fmt.Errorf("store: insert into %s: row %d has %d values for %d columns", table, i, len(r), len(cols))
		}
		all = append(all, r...)
	}
	stmt := "WITH first AS (" + first + ") INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " +
		valuesList(len(rows), len(cols), len(args)+1, false)
	if _, err := t.ExecContext(ctx, stmt, all...); err != nil {
		return fmt.Errorf("store: bulk write: %w", err)
	}
	return nil
}

type postgresKey struct{}

// postgres reports whether the transaction runs on a pgx connection, so
// that COPY is at hand; a PostgreSQL connection wrapped by another driver
// (a test's statement recorder) writes multi-row statements instead.
func (t *Tx) postgres() bool {
	if v, ok := t.Value(postgresKey{}).(bool); ok {
		return v
	}
	pg := false
	if t.conn != nil {
		t.conn.Raw(func(dc any) error {
			_, pg = dc.(*stdlib.Conn)
			return nil
		})
	}
	t.SetValue(postgresKey{}, pg)
	return pg
}

// copyFrom runs COPY table (cols) FROM STDIN on the transaction's
// connection: the pgx connection under database/sql, reached through
// sql.Conn.Raw, is in the transaction the Tx began on it.
func copyFrom(ctx context.Context, t *Tx, table string, cols []string, rows [][]any) error {
	return t.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("not a pgx connection (%T)", dc)
		}
		n, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		if err != nil {
			return err
		}
		if n != int64(len(rows)) {
			return fmt.Errorf("%d of %d rows copied", n, len(rows))
		}
		return nil
	})
}

// insertValues writes rows with INSERT … VALUES (…), (…), … statements of
// up to bulkRowsMax rows, each statement prepared once. On SQLite the
// placeholders are anonymous (?): the driver looks the name of every
// numbered one ($N) up in a list as long as the statement's, which made
// a statement of 6,500 parameters cost more than the rows it wrote.
func insertValues(ctx context.Context, t *Tx, table string, cols []string, rows [][]any, anonymous bool) error {
	per := min(max(bulkParams/len(cols), 1), bulkRowsMax)
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	return chunked(ctx, t, rows, per, func(n int) string { return head + valuesList(n, len(cols), 1, anonymous) })
}

// chunked runs the statement stmt(n) for every chunk of per rows (n rows
// in the last), the values of the chunk's rows as its arguments in order.
func chunked(ctx context.Context, t *Tx, rows [][]any, per int, stmt func(n int) string) error {
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, per*len(rows[0]))
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		args = args[:0]
		for _, r := range chunk {
			args = append(args, r...)
		}
		var err error
		if len(chunk) == per {
			if full == nil {
				full, err = t.PrepareContext(ctx, stmt(per))
				if err != nil {
					return err
				}
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = t.ExecContext(ctx, stmt(len(chunk)), args...)
		}
		if err != nil {
			return fmt.Errorf("store: bulk write: %w", err)
		}
	}
	return nil
}

// valuesList is "($from, …), (…), …" for n rows of width values each,
// or "(?, …), (…), …" when anonymous.
func valuesList(n, width, from int, anonymous bool) string {
	var b strings.Builder
	b.Grow(n * width * 7)
	p := from
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range width {
			if j > 0 {
				b.WriteString(", ")
			}
			if anonymous {
				b.WriteByte('?')
			} else {
				b.WriteByte('$')
				b.WriteString(strconv.Itoa(p))
			}
			p++
		}
		b.WriteByte(')')
	}
	return b.String()
}

// Update sets columns of many rows of table, each row found by its key
// column: every row of rows is the key's value followed by one value per
// column of cols. On PostgreSQL the values are copied into a temporary
// table and applied in one UPDATE … FROM; on SQLite, where a prepared
// UPDATE by primary key is cheaper than an UPDATE … FROM (VALUES …) (it
// runs as a scan per statement), one such statement per row.
func Update(ctx context.Context, table, key string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	t := TxFrom(ctx)
	if t == nil {
		return ErrNoTx
	}
	for i, r := range rows {
		if len(r) != len(cols)+1 {
			return fmt.Errorf("store: update %s: row %d has %d values for a key and %d columns", table, i, len(r), len(cols))
		}
	}
	set := make([]string, len(cols))
	if t.postgres() {
		tmp := fmt.Sprintf("bulk_update_%d", bulkSeq.Add(1))
		for i, c := range cols {
			set[i] = c + " = v." + c
		}
		all := append([]string{key}, cols...)
		if _, err := t.ExecContext(ctx, `CREATE TEMPORARY TABLE `+tmp+` ON COMMIT DROP AS SELECT `+strings.Join(all, ", ")+` FROM `+table+` WITH NO DATA`); err != nil {
			return fmt.Errorf("store: update %s: %w", table, err)
		}
		if err := copyFrom(ctx, t, tmp, all, rows); err != nil {
			return fmt.Errorf("store: update %s: copy: %w", table, err)
		}
		if _, err := t.ExecContext(ctx, `UPDATE `+table+` AS t SET `+strings.Join(set, ", ")+` FROM `+tmp+` AS v WHERE t.`+key+` = v.`+key); err != nil {
			return fmt.Errorf("store: update %s: %w", table, err)
		}
		if _, err := t.ExecContext(ctx, `DROP TABLE `+tmp); err != nil {
			return fmt.Errorf("store: update %s: %w", table, err)
		}
		return nil
	}
	for i, c := range cols {
		set[i] = c + " = $" + strconv.Itoa(i+2)
	}
	st, err := t.PrepareContext(ctx, `UPDATE `+table+` SET `+strings.Join(set, ", ")+` WHERE `+key+` = $1`)
	if err != nil {
		return fmt.Errorf("store: update %s: %w", table, err)
	}
	defer st.Close()
	for _, r := range rows {
		if _, err := st.ExecContext(ctx, r...); err != nil {
			return fmt.Errorf("store: update %s: %w", table, err)
		}
	}
	return nil
}

var bulkSeq atomic.Int64

type reservedKey struct{ table string }

// NextIDs reserves n new ids of table's identity column id, in increasing
// order, for rows written with Insert that other rows of the same change
// refer to (a form and its history). On PostgreSQL they come from the
// column's sequence, so concurrent writers never get the same; on SQLite
// the transaction holds the write lock from its start (_txlock=immediate),
// so the ids after the largest stored are free until it ends.
func NextIDs(ctx context.Context, table string, n int) ([]int64, error) {
	if n <= 0 {
		return nil, nil
	}
	t := TxFrom(ctx)
	if t == nil {
		return nil, ErrNoTx
	}
	ids := make([]int64, 0, n)
	if t.dialect == Postgres {
		rows, err := t.QueryContext(ctx, `SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)`, table, n)
		if err != nil {
			return nil, fmt.Errorf("store: ids of %s: %w", table, err)
		}
		list, err := Collect(rows, func(r Scanner) (int64, error) {
			var id int64
			return id, r.Scan(&id)
		})
		if err != nil {
			return nil, fmt.Errorf("store: ids of %s: %w", table, err)
		}
		if len(list) != n {
			return nil, fmt.Errorf("store: ids of %s: %d of %d", table, len(list), n)
		}
		for i := 1; i < len(list); i++ {
			if list[i] <= list[i-1] {
				return nil, fmt.Errorf("store: ids of %s out of order", table)
			}
		}
		return list, nil
	}
	var last int64
	if err := t.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+table).Scan(&last); err != nil {
		return nil, fmt.Errorf("store: ids of %s: %w", table, err)
	}
	// Ids reserved earlier in the transaction and not yet written stay
	// reserved.
	k := reservedKey{table}
	if r, ok := t.Value(k).(int64); ok && r > last {
		last = r
	}
	for i := range n {
		ids = append(ids, last+1+int64(i))
	}
	t.SetValue(k, last+int64(n))
	return ids, nil
}

// AnalyzeTables refreshes the planner's statistics of the named tables
// after a bulk write, in the transaction ctx carries when it carries one
// (on the pool it would wait for the write lock that transaction holds on
// SQLite). Unlike Analyze it leaves the other tables alone: a national
// import re-reads its own tables only, and in a PostgreSQL database that
// holds many schemas (the tests') a bare ANALYZE walks every one.
func (db *DB) AnalyzeTables(ctx context.Context, tables ...string) error {
	if len(tables) == 0 {
		return nil
	}
	q := db.Q(ctx)
	stmts := []string{"ANALYZE " + strings.Join(tables, ", ")}
	if db.Dialect != Postgres {
		stmts = stmts[:0]
		for _, t := range tables {
			stmts = append(stmts, "ANALYZE "+t)
		}
	}
	for _, s := range stmts {
		if _, err := q.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("store: analyze: %w", err)
		}
	}
	return nil
}
