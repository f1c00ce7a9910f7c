package auth

import (
	"context"
	"encoding/json"
	"fmt"

	"provim/internal/audit"
	"provim/internal/store"
)

// AuditTable is the audited image of every user as it is now, under the
// names the audit log's after-images use (the User of "create", then
// "disabled"), for audit.Reconcile (issue 9, item 6). The password hash
// is never part of it.
func AuditTable(ctx context.Context, q store.Querier) (audit.Table, error) {
	users, err := store.Select(ctx, q, scanUser, `SELECT `+userCols+` FROM users ORDER BY id`)
	if err != nil {
		return audit.Table{}, fmt.Errorf("auth: audit images: %w", err)
	}
	t := audit.Table{Name: "users", Type: "user", Complete: true}
	for _, u := range users {
		var fields map[string]any
		b, _ := json.Marshal(u)
		if err := json.Unmarshal(b, &fields); err != nil {
			return t, err
		}
		t.Rows = append(t.Rows, audit.Image{Type: "user", ID: u.Username, Fields: fields})
	}
	return t, nil
}
