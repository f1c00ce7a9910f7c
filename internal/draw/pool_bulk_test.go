package draw_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"provim/internal/audit"
)

// FillPool writes the people it picks in bulk: every one is on exactly one
// list of the year, with one audit entry each naming them, as AddToPool
// would have written it; the chain verifies; a second fill finds nobody
// left to add beyond the margins.
func TestFillPoolAddsInBulkWithAnEntryEach(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	for i := range 30 {
		w.person(t, fmt.Sprintf("Mësues%02d", i), "DAR-A", "A-3", "mesues", "HIS")
	}
	for i := range 4 {
		w.person(t, fmt.Sprintf("Specialist%d", i), "DAR-A", "", "specialist", "")
	}
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := w.db.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count(`SELECT COUNT(*) FROM draw_pool WHERE year = 2027`)
	entries := count(`SELECT COUNT(*) FROM audit_log WHERE action = 'draw.pool.add'`)
	added, err := w.svc.FillPool(ctx, kmshA, 1, "D1", "DAR-A")
	if err != nil {
		t.Fatal(err)
	}
	if added == 0 {
		t.Fatal("nobody added")
	}
	if got := count(`SELECT COUNT(*) FROM draw_pool WHERE year = 2027`); got != before+added {
		t.Fatalf("%d on the lists, want %d + %d", got, before, added)
	}
	if got := count(`SELECT COUNT(*) FROM audit_log WHERE action = 'draw.pool.add'`); got != entries+added {
		t.Fatalf("%d audit entries, want %d + %d", got, entries, added)
	}
	// Each new entry names a person on the lists, with their role.
	list, err := audit.Query(ctx, w.db.DB, "draw_pool", "", added)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range list {
		id, _ := strconv.ParseInt(e.ObjectID, 10, 64)
		var role string
		if err := w.db.QueryRow(`SELECT role FROM draw_pool WHERE year = 2027 AND staff_id = $1 AND unit_code = 'DAR-A'`, id).Scan(&role); err != nil {
			t.Fatalf("entry %d names %s, not on the lists: %v", e.Seq, e.ObjectID, err)
		}
		if want := fmt.Sprintf(`{"role":%q,"unit":"DAR-A","year":2027}`, role); e.After != want || e.Actor != kmshA.Username || seen[e.ObjectID] {
			t.Fatalf("entry %d: %s by %s (want %s, once)", e.Seq, e.After, e.Actor, want)
		}
		seen[e.ObjectID] = true
	}
	if n, p, err := audit.Verify(ctx, w.db.DB); err != nil || p != nil || n == 0 {
		t.Fatalf("verify: %d %v %v", n, p, err)
	}
	again, err := w.svc.FillPool(ctx, kmshA, 1, "D1", "DAR-A")
	if err != nil {
		t.Fatal(err)
	}
	if got := count(`SELECT COUNT(*) FROM draw_pool WHERE year = 2027`); got != before+added+again {
		t.Fatalf("second fill: %d on the lists, want %d", got, before+added+again)
	}
}
