package registry

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"provim/internal/audit"
	"provim/internal/store"
)

// AuditTable is the audited image of every student as it is now, for
// audit.Reconcile (issue 9, item 6): the fields of an import's after-image
// (the student by personal number), with the student's id as an alias
// (the changes of package application are logged by id: school, grades).
func AuditTable(ctx context.Context, q store.Querier) (audit.Table, error) {
	list, err := store.Select(ctx, q, scanStudent, `SELECT `+studentCols+` FROM students st JOIN schools sc ON sc.code = st.school_code ORDER BY st.id`)
	if err != nil {
		return audit.Table{}, fmt.Errorf("registry: audit images: %w", err)
	}
	t := audit.Table{Name: "students", Type: "student"}
	for _, s := range list {
		id := s.ID
		s.ID, s.SchoolName, s.UpdatedAt = 0, "", ""
		var fields map[string]any
		b, _ := json.Marshal(s)
		if err := json.Unmarshal(b, &fields); err != nil {
			return t, err
		}
		delete(fields, "id")
		t.Rows = append(t.Rows, audit.Image{Type: "student", ID: s.PersonalNo, Aliases: []string{strconv.FormatInt(id, 10)}, Fields: fields})
	}
	return t, nil
}
