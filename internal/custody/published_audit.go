package custody

import (
	"context"
	"fmt"
	"strings"

	"provim/internal/audit"
	"provim/internal/store"
)

// AuditTable is the audited image of every hand-over of exam materials as
// it is now, for audit.Reconcile (issue 9, item 6): the consignment, step,
// the two sides and the note its "record" entry logs. Seal numbers are not
// part of the image (what each role may see of them is the hand-over's
// own rule, Neni 43–45).
func AuditTable(ctx context.Context, q store.Querier) (audit.Table, error) {
	type row struct {
		id, year, session, step int64
		exam, venue             string
		givers, receivers, note string
	}
	list, err := store.Select(ctx, q, func(r store.Scanner) (row, error) {
		var h row
		return h, r.Scan(&h.id, &h.year, &h.session, &h.exam, &h.venue, &h.step, &h.givers, &h.receivers, &h.note)
	}, `SELECT id, year, session, exam, venue_code, step, givers, receivers, note FROM custody_handovers ORDER BY id`)
	if err != nil {
		return audit.Table{}, fmt.Errorf("custody: audit images: %w", err)
	}
	lines := func(s string) []string {
		if s == "" {
			return []string{}
		}
		return strings.Split(s, "\n")
	}
	t := audit.Table{Name: "custody_handovers", Type: "custody_handover", Complete: true}
	for _, h := range list {
		key := (&Consignment{Year: int(h.year), Session: int(h.session), Exam: h.exam, VenueCode: h.venue}).Key()
		t.Rows = append(t.Rows, audit.Image{Type: "custody_handover", ID: fmt.Sprint(h.id), Fields: map[string]any{
			"consignment": key, "step": h.step, "givers": lines(h.givers), "receivers": lines(h.receivers), "note": h.note}})
	}
	return t, nil
}
