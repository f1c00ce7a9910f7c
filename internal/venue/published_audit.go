package venue

import (
	"context"
	"fmt"

	"provim/internal/audit"
	"provim/internal/store"
)

// AuditTable is the audited image of the exam seats the log records one
// by one, for audit.Reconcile (issue 9, item 6): every seat moved by a
// KMSH override (Neni 39), where the log's "override" entry names its
// venue, room and reason. A plan is logged as its summary (counts), so the
// seats it lays are not compared one by one; a new plan clears the
// overrides it replaces.
func AuditTable(ctx context.Context, q store.Querier) (audit.Table, error) {
	type seat struct {
		year, session int
		exam, venue   string
		student, room int64
		reason        string
	}
	list, err := store.Select(ctx, q, func(r store.Scanner) (seat, error) {
		var s seat
		return s, r.Scan(&s.year, &s.session, &s.exam, &s.student, &s.venue, &s.room, &s.reason)
	}, `SELECT year, session, exam, student_id, venue_code, room_id, override_reason FROM exam_seats
		WHERE override_reason <> '' ORDER BY year, session, exam, student_id`)
	if err != nil {
		return audit.Table{}, fmt.Errorf("venue: audit images: %w", err)
	}
	t := audit.Table{Name: "exam_seats", Type: objectPlan}
	for _, s := range list {
		t.Rows = append(t.Rows, audit.Image{Type: objectPlan, ID: fmt.Sprintf("%d/%d/%s/%d", s.year, s.session, s.exam, s.student),
			Fields: map[string]any{"venue": s.venue, "room_id": s.room, "reason": s.reason}})
	}
	return t, nil
}
