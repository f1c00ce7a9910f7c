package application

import (
	"context"
	"fmt"
	"strings"
)

// bulkInsert inserts rows (each of len(cols) values) into table, one
// prepared single-row INSERT each: on SQLite (modernc) that measured
// faster than multi-row INSERTs of a few hundred rows.
func (c *change) bulkInsert(ctx context.Context, table string, cols []string, rows [][]any) error {
	marks := make([]string, len(cols))
	for i := range cols {
		marks[i] = fmt.Sprintf("$%d", i+1)
	}
	q := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", table, strings.Join(cols, ", "), strings.Join(marks, ", "))
	for _, r := range rows {
		if _, err := c.exec(ctx, q, r...); err != nil {
			return fmt.Errorf("application: insert into %s: %w", table, err)
		}
	}
	return nil
}

// setRegNos writes registration numbers (id → number), one prepared
// UPDATE by primary key each: cheaper on SQLite than UPDATE … FROM
// (VALUES …), which it runs as a scan per statement.
func (c *change) setRegNos(ctx context.Context, pairs [][2]any) error {
	for _, p := range pairs {
		if _, err := c.exec(ctx, `UPDATE applications SET reg_no = $1, status = $2, registered_at = $3, updated_at = $3 WHERE id = $4`,
			p[1], Registered, c.at, p[0]); err != nil {
			return fmt.Errorf("application: registration number: %w", err)
		}
	}
	return nil
}
