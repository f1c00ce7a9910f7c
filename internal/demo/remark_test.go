package demo

import (
	"database/sql"
	"strings"
	"testing"

	"provim/internal/audit"
)

// TestRunRemarks runs the demo on a small country to D1's published
// results and then the re-marking (Neni 64): requests filed online and on
// paper, forwarded by the schools and the KMSH (a few refused), re-marked
// by code by two markers and a third where they differ, sent on day 15;
// some points and grades change, the audit chain holds, and running it
// again changes nothing.
func TestRunRemarks(t *testing.T) {
	t.Parallel()
	ctx, k := smallCountry(t, 1500)
	var out []string
	logf := func(s string) { out = append(out, s); t.Log(s) }
	for _, run := range []func() error{
		func() error { return RunApplications(ctx, k.Services, k.Clock, ava, seed, nil) },
		func() error { return RunVenuePlan(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunTests(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunDraws(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunCustody(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunAnonymisation(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunExamDay(ctx, k.Services, k.Clock, ava, false, nil) },
		func() error { return RunMarking(ctx, k.Services, k.Clock, ava, MarkingClosed, nil) },
		func() error { return RunResults(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunRemarks(ctx, k.Services, k.Clock, ava, logf) },
	} {
		if err := run(); err != nil {
			t.Fatal(err)
		}
	}
	var filed, paper, refused, final, changed, remarked int
	k.DB.QueryRow(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN channel = 'paper' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN state = 'refused' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN state = 'final' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN state = 'final' AND points_after <> points_before THEN 1 ELSE 0 END), 0)
		FROM remark_requests WHERE year = 2027 AND exam = 'D1'`).Scan(&filed, &paper, &refused, &final, &changed)
	k.DB.QueryRow(`SELECT COUNT(*) FROM results WHERE year = 2027 AND exam = 'D1' AND remarked = 1`).Scan(&remarked)
	if filed < 30 || paper == 0 || refused == 0 || final+refused != filed || changed == 0 || changed == final {
		t.Fatalf("filed %d (paper %d), refused %d, final %d, changed %d", filed, paper, refused, final, changed)
	}
	if remarked < changed {
		t.Errorf("%d results marked re-marked, %d changed", remarked, changed)
	}
	var thirds int
	k.DB.QueryRow(`SELECT COUNT(*) FROM remark_markings WHERE year = 2027 AND round = 3 AND submitted_at <> ''`).Scan(&thirds)
	if thirds == 0 {
		t.Error("no booklet went to a third re-marker")
	}
	if !strings.Contains(strings.Join(out, "\n"), "përfundimtare") {
		t.Errorf("progress: %v", out)
	}
	if _, p, err := audit.Verify(ctx, k.DB.DB); err != nil || p != nil {
		t.Fatalf("audit chain: %+v %v", p, err)
	}
	auditSpeaksAlbanian(t, k.DB.DB)
	out = nil
	if err := RunRemarks(ctx, k.Services, k.Clock, ava, logf); err != nil || len(out) != 0 {
		t.Fatalf("again: %v %v", out, err)
	}
}

// auditSpeaksAlbanian: every action and kind of object the year wrote to
// the audit log has an Albanian name on the audit page (issue 11, part D),
// none shown as its code.
func auditSpeaksAlbanian(t *testing.T, db *sql.DB) {
	t.Helper()
	for _, c := range []struct {
		col   string
		label func(string) string
	}{{"action", audit.ActionLabel}, {"object_type", audit.TypeLabel}} {
		rows, err := db.Query(`SELECT DISTINCT ` + c.col + ` FROM audit_log`)
		if err != nil {
			t.Fatal(err)
		}
		var unnamed []string
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			if l := c.label(v); l == v || l == strings.ReplaceAll(v, "_", " ") {
				unnamed = append(unnamed, v)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		if len(unnamed) > 0 {
			t.Errorf("audit %s without an Albanian name: %v", c.col, unnamed)
		}
	}
}
