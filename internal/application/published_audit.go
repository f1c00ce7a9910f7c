package application

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"provim/internal/audit"
	"provim/internal/store"
)

// AuditTable is the audited image of every application form as it is
// now, for audit.Reconcile (issue 9, item 6): the fields of auditView that
// only a logged change of the one form sets. Status, registration number
// and the failing mark also move in batch steps logged once for many
// forms (registration numbers, final lists), so they are not compared.
func AuditTable(ctx context.Context, q store.Querier) (audit.Table, error) {
	list, err := store.Select(ctx, q, scanApp, `SELECT `+appCols+appFrom+` ORDER BY a.id`)
	if err != nil {
		return audit.Table{}, fmt.Errorf("application: audit images: %w", err)
	}
	t := audit.Table{Name: "applications", Type: objectType, Complete: true}
	for _, a := range list {
		v := auditView(&a)
		delete(v, "status")
		delete(v, "reg_no")
		delete(v, "failing")
		var fields map[string]any
		b, _ := json.Marshal(v)
		if err := json.Unmarshal(b, &fields); err != nil {
			return t, err
		}
		t.Rows = append(t.Rows, audit.Image{Type: objectType, ID: strconv.FormatInt(a.ID, 10), Fields: fields})
	}
	return t, nil
}
