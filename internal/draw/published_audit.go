package draw

import (
	"context"
	"fmt"
	"strconv"

	"provim/internal/audit"
	"provim/internal/store"
)

// AuditTable is the audited image of every draw as it is now, for
// audit.Reconcile (issue 9, item 6; issue 10, item 9): what its
// "draw.commit" and "draw.run" entries record — the commitment and the
// hash of the lists, then the seed, the entropy and the hash of the
// published result. An entropy and result rewritten together in the table
// still verify against each other, but no longer against the log.
func AuditTable(ctx context.Context, q store.Querier) (audit.Table, error) {
	list, err := store.Select(ctx, q, func(r store.Scanner) (Record, error) {
		rec, seed, err := scanDraw(r)
		rec.Seed = seed
		return rec, err
	}, `SELECT `+drawCols+` FROM draws ORDER BY id`)
	if err != nil {
		return audit.Table{}, fmt.Errorf("draw: audit images: %w", err)
	}
	t := audit.Table{Name: "draws", Type: objectType, Complete: true}
	for _, r := range list {
		t.Rows = append(t.Rows, audit.Image{Type: objectType, ID: strconv.FormatInt(r.ID, 10), Fields: auditImage(r)})
	}
	return t, nil
}

// auditImage is a stored draw under the names its audit entries use.
func auditImage(r Record) map[string]any {
	f := map[string]any{"year": r.Year, "session": r.Session, "exam": r.Exam, "unit": r.Unit, "seq": r.Seq, "reason": r.Reason,
		"commitment": r.Commitment, "inputs_hash": r.InputsHash, "status": r.Status}
	if r.Status == StatusDrawn {
		f["seed"], f["entropy"], f["assignments"] = r.Seed, r.Entropy, len(r.Result)
		f["result_sha256"] = ResultHash(r.VenueOrder, r.Result)
	}
	return f
}
