package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/store"
	"provim/internal/store/storetest"
	"provim/internal/wire"
)

// Tampering 3 (issue 9, item 6): a user's role set to 'ava' by SQL is
// named by the reconciliation; so is a user inserted behind provim's back.
func TestAuditReconcile_UserRoleSetBySQLIsNamed(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	svcs := wire.New(db, clock.Real{})
	if _, err := svcs.Auth.CreateUser(ctx, nil, auth.NewUser{Username: "kmsh.tirane", FullName: "Vlerësues", Role: auth.RoleMarker,
		Subject: "MAT", Password: "një-fjalëkalim-i-gjatë-2027"}); err != nil {
		t.Fatal(err)
	}
	if d, err := reconcile(ctx, db); err != nil || len(d) != 0 {
		t.Fatalf("an untouched database: %v %v", d, err)
	}
	if _, err := db.Exec(`UPDATE users SET role = 'ava' WHERE username = 'kmsh.tirane'`); err != nil {
		t.Fatal(err)
	}
	d, err := reconcile(ctx, db)
	if err != nil || len(d) != 1 || d[0].ID != "kmsh.tirane" || d[0].Field != "role" || d[0].Row != `"ava"` {
		t.Fatalf("reconcile: %+v %v", d, err)
	}
}

// The commands: keygen, checkpoint, verify --checkpoint, reconcile.
func TestAuditCommands(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "p.db")
	key := filepath.Join(dir, "audit.key")
	var out, errOut bytes.Buffer
	must := func(want int, args ...string) string {
		t.Helper()
		out.Reset()
		errOut.Reset()
		if code := run(context.Background(), args, strings.NewReader(""), &out, &errOut); code != want {
			t.Fatalf("%v: exit %d, want %d: %s %s", args, code, want, out.String(), errOut.String())
		}
		return out.String()
	}
	must(0, "audit", "keygen", "--audit-key", key)
	os.Setenv("PROVIM_PASSWORD", "një-fjalëkalim-i-gjatë-2027")
	defer os.Unsetenv("PROVIM_PASSWORD")
	must(0, "user", "add", "--db", dbPath, "--audit-key", key, "--username", "ava.admin", "--name", "AVA", "--role", "ava")
	cp := must(0, "audit", "checkpoint", "--db", dbPath, "--audit-key", key)
	cpFile := filepath.Join(dir, "cp.json")
	os.WriteFile(cpFile, []byte(cp), 0o600)
	if s := must(0, "audit", "verify", "--db", dbPath, "--audit-key", key, "--checkpoint", cpFile); !strings.Contains(s, "pikën e kontrollit") {
		t.Errorf("verify: %s", s)
	}
	must(0, "audit", "reconcile", "--db", dbPath)
	db, err := store.Open(context.Background(), "sqlite:"+dbPath)
	if err != nil {
		t.Fatal(err)
	}
	db.Exec(`UPDATE users SET role = 'kmsh' WHERE username = 'ava.admin'`)
	db.Exec(`UPDATE audit_head SET signature = '' WHERE id = 1`)
	db.Close()
	if s := must(1, "audit", "reconcile", "--db", dbPath); !strings.Contains(s, "ava.admin") || !strings.Contains(s, "role") {
		t.Errorf("reconcile: %s", s)
	}
	must(1, "audit", "verify", "--db", dbPath, "--audit-key", key)
}
