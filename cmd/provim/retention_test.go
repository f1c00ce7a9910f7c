package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// provim retention run reports every year with its dates; a run for a
// year before its destroy date is refused with the date named (Neni 65).
func TestNeni65_RetentionCommand(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "r.db")
	ctx := context.Background()
	var out, errOut bytes.Buffer
	if code := run(ctx, []string{"migrate", "--db", db}, nil, &out, &errOut); code != 0 {
		t.Fatalf("migrate: %s", errOut.String())
	}
	out.Reset()
	if code := run(ctx, []string{"retention", "run", "--db", db, "--today", "2010-02-01", "--dry-run"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("retention: %d %s", code, errOut.String())
	}
	for _, want := range []string{"Viti 2009", "asgjësohet nga 01.02.2010", "Asgjë për të asgjësuar"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}
	errOut.Reset()
	if code := run(ctx, []string{"retention", "run", "--db", db, "--today", "2010-01-31", "--year", "2009"}, nil, &out, &errOut); code == 0 || !strings.Contains(errOut.String(), "01.02.2010") {
		t.Errorf("before the date: exit %d %s", code, errOut.String())
	}
	if code := run(ctx, []string{"retention"}, nil, &out, &errOut); code == 0 {
		t.Error("retention without run accepted")
	}
}
