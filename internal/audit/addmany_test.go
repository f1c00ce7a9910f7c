package audit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"provim/internal/audit"
	"provim/internal/clock"
	"provim/internal/store"
	"provim/internal/store/storetest"
)

// logRows reads the whole log as text, in order.
func logRows(t *testing.T, db *store.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT seq, at, actor, role, action, object_type, object_id, before, after, prev_hash, hash FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	list, err := store.Collect(rows, func(r store.Scanner) (string, error) {
		var e audit.Entry
		var at string
		err := r.Scan(&e.Seq, &at, &e.Actor, &e.Role, &e.Action, &e.ObjectType, &e.ObjectID, &e.Before, &e.After, &e.PrevHash, &e.Hash)
		return fmt.Sprint(e.Seq, at, e.Actor, e.Role, e.Action, e.ObjectType, e.ObjectID, e.Before, e.After, e.PrevHash, e.Hash), err
	})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// AddMany writes exactly the entries that as many calls of Add would, in
// the same chain, also between single entries of the same transaction and
// after those of earlier ones; the chain verifies.
func TestAddManyWritesTheSameChainAsAdd(t *testing.T) {
	t.Parallel()
	at := time.Date(2027, 3, 5, 9, 0, 0, 0, time.UTC)
	ava := audit.Actor{Name: "ava", Role: "ava"}
	var items []audit.Item
	for i := range 1500 {
		var before any
		if i%2 == 1 {
			before = map[string]int{"grade": i}
		}
		items = append(items, audit.Item{Action: "create", ObjectType: "student", ObjectID: fmt.Sprint(i), Before: before, After: map[string]any{"emri": "Ëlsa Çela", "i": i}})
	}
	write := func(db *store.DB, many bool) {
		db.Clock = clock.Fixed(at)
		ctx := context.Background()
		appendN(t, db, 2)
		err := db.InTx(ctx, func(ctx context.Context) error {
			if err := audit.Add(ctx, ava, "open", "year", "2027", nil, nil); err != nil {
				return err
			}
			if many {
				if err := audit.AddMany(ctx, ava, items[:1000]); err != nil {
					return err
				}
				if err := audit.AddMany(ctx, ava, nil); err != nil {
					return err
				}
				if err := audit.AddMany(ctx, ava, items[1000:]); err != nil {
					return err
				}
			} else {
				for _, it := range items {
					if err := audit.Add(ctx, ava, it.Action, it.ObjectType, it.ObjectID, it.Before, it.After); err != nil {
						return err
					}
				}
			}
			return audit.Add(ctx, ava, "close", "year", "2027", nil, nil)
		})
		if err != nil {
			t.Fatal(err)
		}
		n, p, err := audit.Verify(ctx, db.DB)
		if err != nil || p != nil || n != int64(len(items))+4 {
			t.Fatalf("verify: n=%d problem=%v err=%v", n, p, err)
		}
	}
	one, many := storetest.Open(t), storetest.Open(t)
	write(one, false)
	write(many, true)
	a, b := logRows(t, one), logRows(t, many)
	if len(a) != len(b) {
		t.Fatalf("%d entries by Add, %d by AddMany", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("entry %d differs:\nAdd:     %s\nAddMany: %s", i+1, a[i], b[i])
		}
	}
}

// AddMany outside a transaction is refused, and a transaction that rolls
// back takes its entries with it: the chain still verifies.
func TestAddManyRollsBackWithItsChange(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	items := []audit.Item{{Action: "create", ObjectType: "unit", ObjectID: "DAR-X"}}
	if err := audit.AddMany(ctx, audit.System, items); err == nil {
		t.Fatal("AddMany outside a transaction was accepted")
	}
	appendN(t, db, 3)
	err := db.InTx(ctx, func(ctx context.Context) error {
		if err := audit.AddMany(ctx, audit.System, items); err != nil {
			return err
		}
		return fmt.Errorf("refused")
	})
	if err == nil {
		t.Fatal("no error")
	}
	appendN(t, db, 1)
	n, p, err := audit.Verify(ctx, db.DB)
	if err != nil || p != nil || n != 4 {
		t.Fatalf("verify: n=%d problem=%v err=%v", n, p, err)
	}
}
