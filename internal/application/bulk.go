package application

import (
	"context"
	"fmt"

	"provim/internal/audit"
	"provim/internal/store"
)

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

// transition moves the applications ids to status in a few statements:
// the status (and its time stamp column), one history line each, and one
// audit entry for the whole act that names every form. Per-form entries
// would make confirming a school of 300 forms 900 writes.
func (c *change) transition(ctx context.Context, ids []int64, status, stampCol, action, objectID, note string) error {
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		in, args := "id IN ("+store.Marks(len(chunk))+")", store.Args(chunk)
		if err := c.batchEvents(ctx, status, note, in, args...); err != nil {
			return err
		}
		var q store.Query
		set := "status = " + q.Arg(status) + ", updated_at = " + q.Arg(c.at)
		if stampCol != "" {
			set += ", " + stampCol + " = " + q.Arg(c.at)
		}
		q.Add(in, args...)
		if _, err := c.q(ctx).ExecContext(ctx, `UPDATE applications SET `+set+q.Where(), q.Args()...); err != nil {
			return fmt.Errorf("application: %s: %w", action, err)
		}
	}
	after := map[string]any{"status": status, "applications": ids}
	if note != "" {
		after["note"] = note
	}
	return audit.Add(ctx, c.p.Actor(), action, "applications", objectID, nil, after)
}

// batchEvents writes one history line for every application matching cond
// (a condition on the applications table), in one statement.
func (c *change) batchEvents(ctx context.Context, status, note, cond string, args ...any) error {
	var q store.Query
	actor := c.p.Actor()
	at, who, role, st, nt := q.Arg(c.at), q.Arg(actor.Name), q.Arg(actor.Role), q.Arg(status), q.Arg(note)
	q.Add(cond, args...)
	_, err := c.q(ctx).ExecContext(ctx, `INSERT INTO application_history (application_id, at, actor, role, status, note)
		SELECT id, `+at+`, `+who+`, `+role+`, `+st+`, `+nt+` FROM applications`+q.Where(), q.Args()...)
	if err != nil {
		return fmt.Errorf("application: history: %w", err)
	}
	return nil
}
