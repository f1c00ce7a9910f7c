package application

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/store"
)

// setRegNos writes registration numbers (id → number) with one bulk
// update (store.Update: COPY and one UPDATE … FROM on PostgreSQL, a
// prepared UPDATE by primary key each on SQLite).
func (c *change) setRegNos(ctx context.Context, pairs [][2]any) error {
	rows := make([][]any, len(pairs))
	for i, p := range pairs {
		rows[i] = []any{p[0], p[1], Registered, c.at, c.at}
	}
	if err := store.Update(ctx, "applications", "id", []string{"reg_no", "status", "registered_at", "updated_at"}, rows); err != nil {
		return fmt.Errorf("application: registration number: %w", err)
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

// formWrite is one form of a bulk step: new when prev is nil, with the
// action and note of its history line and audit entry.
type formWrite struct {
	a            *Application
	prev         *Application
	action, note string
}

// writeForms writes forms as upsert and event would one by one —
// the same rows, history lines and audit entries, in the same order —
// with bulk writes: the new forms with ids reserved up front and one
// store.Insert, every history line in one more, the audit entries with
// audit.AddMany. A changed form is still updated by itself.
func (c *change) writeForms(ctx context.Context, forms []formWrite) error {
	fresh := 0
	for _, f := range forms {
		if f.prev == nil {
			fresh++
		}
	}
	ids, err := store.NextIDs(ctx, "applications", fresh)
	if err != nil {
		return fmt.Errorf("application: %w", err)
	}
	rows := make([][]any, 0, fresh)
	history := make([][]any, 0, len(forms))
	entries := make([]audit.Item, 0, len(forms))
	actor := c.p.Actor()
	for _, f := range forms {
		a := f.a
		if f.prev == nil {
			a.UpdatedAt = c.at
			a.ID = ids[len(rows)]
			rows = append(rows, []any{a.ID, a.Year, a.StudentID, a.Form, a.Category, join(a.Mandatory), join(a.Electives), a.Status, a.Source,
				"", "", c.at, c.at, nullable(a.HandedIn), a.Late})
		} else if err := c.upsert(ctx, a, f.prev); err != nil {
			return err
		}
		history = append(history, []any{a.ID, c.at, actor.Name, actor.Role, a.Status, f.note})
		var before any
		if f.prev != nil {
			before = auditView(f.prev)
		}
		after := auditView(a)
		if f.note != "" {
			after["note"] = f.note
		}
		entries = append(entries, audit.Item{Action: f.action, ObjectType: objectType, ObjectID: strconv.FormatInt(a.ID, 10), Before: before, After: after})
	}
	if err := store.Insert(ctx, "applications", []string{"id", "year", "student_id", "form", "category", "mandatory", "electives", "status", "source",
		"documents", "resit_receipt", "submitted_at", "updated_at", "handed_in", "late"}, rows); err != nil {
		if store.IsUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "Nxënësi ka tashmë një formular për këtë vit.")
		}
		return fmt.Errorf("application: insert: %w", err)
	}
	if err := store.Insert(ctx, "application_history", []string{"application_id", "at", "actor", "role", "status", "note"}, history); err != nil {
		return fmt.Errorf("application: history: %w", err)
	}
	return audit.AddMany(ctx, actor, entries)
}

// a2Write is one form A2 of a bulk step: new when prev is nil.
type a2Write struct {
	student studentRef
	codes   []string
	rc      Receipt
	prev    *A2
}

// saveA2Many writes forms A2 as saveA2 would one by one — the same rows
// and audit entries, in order — the new ones with one bulk write
// (store.Insert) and the audit entries with audit.AddMany; a changed form
// is still updated by itself. The receipts are checked before (Neni
// 28–29); the table's key still refuses a receipt used twice.
func (c *change) saveA2Many(ctx context.Context, year int, forms []a2Write, source, lateReason string) error {
	var rows [][]any
	entries := make([]audit.Item, 0, len(forms))
	for _, f := range forms {
		studentID := f.student.ID
		var avg any // NULL while the registry does not know it
		if f.student.AverageGrade != nil {
			avg = *f.student.AverageGrade
		}
		action, before := "file_a2", any(nil)
		if f.prev == nil {
			rows = append(rows, []any{year, studentID, avg, join(f.codes), f.rc.Number, ReceiptKey(f.rc.Number), f.rc.Date, f.rc.Amount, source, c.at, c.at})
		} else {
			if _, err := c.exec(ctx, `UPDATE a2_forms SET average_grade = $1, programmes = $2, updated_at = $3 WHERE id = $4`,
				avg, join(f.codes), c.at, f.prev.ID); err != nil {
				return fmt.Errorf("application: save A2: %w", err)
			}
			action, before = "update_a2", f.prev
		}
		after := map[string]any{"student_id": studentID, "programmes": f.codes, "receipt": f.rc}
		if strings.TrimSpace(lateReason) != "" {
			after["late_reason"] = lateReason
		}
		entries = append(entries, audit.Item{Action: action, ObjectType: "a2", ObjectID: fmt.Sprintf("%d/%d", year, studentID), Before: before, After: after})
	}
	err := store.Insert(ctx, "a2_forms", []string{"year", "student_id", "average_grade", "programmes", "receipt_no", "receipt_key", "receipt_date",
		"receipt_amount", "source", "submitted_at", "updated_at"}, rows)
	if store.IsUniqueViolation(err) {
		return apperr.New(apperr.Conflict, "Një mandat-arkëtimi i skedarit është paraqitur tashmë: një mandat paguan tarifën e një kandidati një herë (Neni 28–29).")
	}
	if err != nil {
		return fmt.Errorf("application: save A2: %w", err)
	}
	return audit.AddMany(ctx, c.p.Actor(), entries)
}
