package audit_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"provim/internal/audit"
	"provim/internal/store"
	"provim/internal/store/storetest"
)

func appendN(t *testing.T, db *store.DB, n int) {
	t.Helper()
	ctx := context.Background()
	for i := 1; i <= n; i++ {
		err := db.InTx(ctx, func(ctx context.Context) error {
			return audit.Add(ctx, audit.Actor{Name: "ava", Role: "ava"}, "update", "student", fmt.Sprint(i),
				map[string]int{"grade": i}, map[string]int{"grade": i + 1})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// unlock lets the test play an attacker with direct database access.
func unlock(t *testing.T, db *store.DB) {
	t.Helper()
	stmts := []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}
	if db.Dialect == store.Postgres {
		stmts = []string{`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`}
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
}

func TestChainVerifies(t *testing.T) {
	db := storetest.Open(t)
	appendN(t, db, 10)
	n, p, err := audit.Verify(context.Background(), db.DB)
	if err != nil || p != nil || n != 10 {
		t.Fatalf("verify: n=%d problem=%v err=%v", n, p, err)
	}
}

func TestLogIsAppendOnly(t *testing.T) {
	db := storetest.Open(t)
	appendN(t, db, 2)
	if _, err := db.Exec(`UPDATE audit_log SET actor = 'x' WHERE seq = 1`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("update allowed: %v", err)
	}
	if _, err := db.Exec(`DELETE FROM audit_log WHERE seq = 1`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("delete allowed: %v", err)
	}
}

func TestTamperingIsNamed(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper string
		want   int64
	}{
		{"changed", `UPDATE audit_log SET after = '{"grade":10}' WHERE seq = 3`, 3},
		{"changed actor", `UPDATE audit_log SET actor = 'someone' WHERE seq = 7`, 7},
		{"removed", `DELETE FROM audit_log WHERE seq = 5`, 5},
		{"removed at end", `DELETE FROM audit_log WHERE seq >= 9`, 9},
		{"reordered", `UPDATE audit_log SET object_id = CASE seq WHEN 2 THEN '4' ELSE '2' END,
			before = CASE seq WHEN 2 THEN '{"grade":4}' ELSE '{"grade":2}' END,
			after = CASE seq WHEN 2 THEN '{"grade":5}' ELSE '{"grade":3}' END WHERE seq IN (2, 4)`, 2},
		{"rehashed without chain", `UPDATE audit_log SET prev_hash = 'x' WHERE seq = 6`, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := storetest.Open(t)
			appendN(t, db, 10)
			unlock(t, db)
			if _, err := db.Exec(tc.tamper); err != nil {
				t.Fatal(err)
			}
			_, p, err := audit.Verify(context.Background(), db.DB)
			if err != nil {
				t.Fatal(err)
			}
			if p == nil || p.Seq != tc.want {
				t.Fatalf("problem = %v, want entry %d named", p, tc.want)
			}
		})
	}
}

func TestRollbackLeavesNoEntry(t *testing.T) {
	db := storetest.Open(t)
	appendN(t, db, 1)
	ctx := context.Background()
	err := db.InTx(ctx, func(ctx context.Context) error {
		if err := audit.Add(ctx, audit.System, "create", "x", "1", nil, "a"); err != nil {
			return err
		}
		return fmt.Errorf("fail after writing")
	})
	if err == nil {
		t.Fatal("expected error")
	}
	n, p, err := audit.Verify(ctx, db.DB)
	if err != nil || p != nil || n != 1 {
		t.Fatalf("n=%d p=%v err=%v", n, p, err)
	}
}

// Two steps of one change, each opening the transaction through InTx (as
// two packages would), share one chain and commit together: the inner
// InTx joins the outer one.
func TestNestedStepsShareOneChainAndOneMoment(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	err := db.InTx(ctx, func(ctx context.Context) error {
		if err := audit.Add(ctx, audit.System, "create", "x", "1", nil, "a"); err != nil {
			return err
		}
		return db.InTx(ctx, func(ctx context.Context) error {
			return audit.Add(ctx, audit.System, "create", "y", "2", nil, "b")
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	n, p, err := audit.Verify(ctx, db.DB)
	if err != nil || p != nil || n != 2 {
		t.Fatalf("n=%d p=%v err=%v", n, p, err)
	}
	list, err := audit.Query(ctx, db.DB, "", "", 10)
	if err != nil || len(list) != 2 || !list[0].At.Equal(list[1].At) {
		t.Fatalf("entries of one change carry one moment: %+v %v", list, err)
	}
}

func TestAddOutsideATransactionIsRefused(t *testing.T) {
	if err := audit.Add(context.Background(), audit.System, "create", "x", "1", nil, "a"); err == nil {
		t.Fatal("an entry outside a transaction was accepted")
	}
}
