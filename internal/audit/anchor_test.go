package audit_test

import (
	"context"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"provim/internal/audit"
	"provim/internal/store"
	"provim/internal/store/storetest"
)

// testKey is the one signing key of this test process (audit.SignWith is
// the process's): every test's chain is signed with it.
var testKey = ed25519.NewKeyFromSeed([]byte("provim-audit-test-key-32-bytes!!"))

func TestMain(m *testing.M) {
	audit.SignWith(testKey)
	os.Exit(m.Run())
}

func pub() ed25519.PublicKey { return testKey.Public().(ed25519.PublicKey) }

func checkpoint(t *testing.T, db *store.DB) audit.Checkpoint {
	t.Helper()
	cp, p, err := audit.NewCheckpoint(context.Background(), db.DB, testKey, time.Date(2027, 6, 1, 8, 0, 0, 0, time.UTC), false)
	if err != nil || p != nil {
		t.Fatalf("checkpoint: %v %v", p, err)
	}
	return cp
}

// Tampering 1: the last entries deleted and audit_head moved back to an
// earlier head — with that head's own genuine signature, which an insider
// could have kept. The chain verifies alone; the checkpoint refuses it.
func TestAuditAnchor_TruncatedChainWithHeadMovedBackIsRefused(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	appendN(t, db, 8)
	old, err := audit.ReadHead(ctx, db.DB)
	if err != nil {
		t.Fatal(err)
	}
	appendN(t, db, 2) // entries 9, 10
	cp := checkpoint(t, db)
	unlock(t, db)
	if _, err := db.Exec(`DELETE FROM audit_log WHERE seq > 8`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE audit_head SET seq = $1, hash = $2, signature = $3 WHERE id = 1`, old.Seq, old.Hash, old.Signature); err != nil {
		t.Fatal(err)
	}
	if n, p, err := audit.VerifyAnchored(ctx, db.DB, pub(), nil, true); err != nil || p != nil || n != 8 {
		t.Fatalf("without the checkpoint the cut chain passes (as expected): n=%d %v %v", n, p, err)
	}
	_, p, err := audit.VerifyAnchored(ctx, db.DB, pub(), &cp, true)
	if err != nil || p == nil || p.Seq != 9 || !strings.Contains(p.Reason, "removed") {
		t.Fatalf("checkpoint did not refuse the cut chain: %v %v", p, err)
	}
	// Moving the head back without an old signature is found by the key.
	if _, err := db.Exec(`UPDATE audit_head SET signature = '' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	if _, p, _ := audit.VerifyAnchored(ctx, db.DB, pub(), nil, true); p == nil || !strings.Contains(p.Reason, "not signed") {
		t.Fatalf("an unsigned head passed: %v", p)
	}
}

// Tampering 2: an entry edited and every later hash and the head
// recomputed. The chain verifies alone; the head's signature and the
// checkpoint refuse it.
func TestAuditAnchor_EditedAndRecomputedChainIsRefused(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	appendN(t, db, 10)
	cp := checkpoint(t, db)
	unlock(t, db)
	entries, err := audit.Query(ctx, db.DB, "", "", 100)
	if err != nil {
		t.Fatal(err)
	}
	prev := ""
	for i := len(entries) - 1; i >= 0; i-- { // oldest first
		e := entries[i]
		if e.Seq == 4 {
			e.After = `{"grade":20}`
		}
		e.PrevHash = prev
		e.Hash = audit.ComputeHash(e)
		if _, err := db.Exec(`UPDATE audit_log SET after = $1, prev_hash = $2, hash = $3 WHERE seq = $4`, e.After, e.PrevHash, e.Hash, e.Seq); err != nil {
			t.Fatal(err)
		}
		prev = e.Hash
	}
	if _, err := db.Exec(`UPDATE audit_head SET hash = $1 WHERE id = 1`, prev); err != nil {
		t.Fatal(err)
	}
	if _, p, err := audit.Verify(ctx, db.DB); err != nil || p != nil {
		t.Fatalf("the recomputed chain should pass the hash walk alone: %v %v", p, err)
	}
	if _, p, _ := audit.VerifyAnchored(ctx, db.DB, pub(), nil, true); p == nil || !strings.Contains(p.Reason, "signature") {
		t.Errorf("the head's signature did not refuse the rewrite: %v", p)
	}
	if _, p, _ := audit.VerifyAnchored(ctx, db.DB, nil, &cp, false); p == nil || p.Seq != 10 || !strings.Contains(p.Reason, "rewritten") {
		t.Errorf("the checkpoint did not refuse the rewrite: %v", p)
	}
}

func TestAuditAnchor_CheckpointFileAndKeys(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	appendN(t, db, 3)
	cp := checkpoint(t, db)
	if cp.Seq != 3 || cp.PublicKey != audit.PublicHex(testKey) {
		t.Fatalf("checkpoint %+v", cp)
	}
	ctx := context.Background()
	if _, p, err := audit.VerifyAnchored(ctx, db.DB, pub(), &cp, true); p != nil || err != nil {
		t.Fatalf("intact chain refused: %v %v", p, err)
	}
	forged := cp
	forged.Seq = 2
	if _, p, _ := audit.VerifyAnchored(ctx, db.DB, pub(), &forged, true); p == nil || !strings.Contains(p.Reason, "signature") {
		t.Errorf("an edited checkpoint passed: %v", p)
	}
	other, err := audit.NewKey(filepath.Join(t.TempDir(), "k"))
	if err != nil {
		t.Fatal(err)
	}
	if _, p, _ := audit.VerifyAnchored(ctx, db.DB, other.Public().(ed25519.PublicKey), &cp, true); p == nil {
		t.Error("a checkpoint of another key passed")
	}
	path := filepath.Join(t.TempDir(), "key")
	k, err := audit.NewKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if back, err := audit.LoadKey(path); err != nil || !back.Equal(k) {
		t.Fatalf("key round trip: %v", err)
	}
	if _, err := audit.NewKey(path); err == nil {
		t.Error("NewKey overwrote a key")
	}
}

func TestAuditReconcile_NamesChangedAddedAndDeletedRows(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	err := db.InTx(ctx, func(ctx context.Context) error {
		for _, u := range []string{"a", "b", "c"} {
			if err := audit.Add(ctx, audit.System, "create", "user", u, nil, map[string]any{"username": u, "role": "kmsh"}); err != nil {
				return err
			}
		}
		return audit.Add(ctx, audit.System, "update", "user", "b", nil, map[string]any{"role": "pap"})
	})
	if err != nil {
		t.Fatal(err)
	}
	img := func(u, role string) audit.Image {
		return audit.Image{Type: "user", ID: u, Fields: map[string]any{"username": u, "role": role, "full_name": "x"}}
	}
	rows := []audit.Image{img("a", "ava"), img("b", "pap"), img("d", "kmsh")}
	diffs, err := audit.Reconcile(ctx, db.DB, []audit.Table{{Name: "users", Type: "user", Complete: true, Rows: rows}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range diffs {
		got = append(got, d.ID+":"+d.Field)
	}
	if strings.Join(got, " ") != "a:role d: c:" {
		t.Fatalf("differences %v (%+v)", got, diffs)
	}
}
