package results_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/results"
	"provim/internal/testkit"
)

var smipP = &auth.Principal{Username: "smip", FullName: "SMIP", Role: auth.RoleSMIP}

// The SMIP feed is incremental: after the cursor of the first read nothing
// comes until a re-marking changes a result; then that candidate alone
// comes again, with the new grade, and the cursor moves past it.
func TestSMIPFeed_IncrementalRemarkedCandidateComesAgain(t *testing.T) {
	w := published(t)
	ctx := context.Background()
	all, err := w.k.Results.SMIPChanges(ctx, smipP, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Items) == 0 || all.More {
		t.Fatalf("first read: %+v", all)
	}
	var fail results.SMIPRecord
	for _, r := range all.Items {
		if r.RegNo == "" || r.PersonalNo == "" || r.SchoolCode == "" || r.Year != year {
			t.Errorf("record without its identifiers: %+v", r)
		}
		if r.Name != "" && len(r.Exams) == 1 && r.Exams[0].Points == 11 {
			fail = r
		}
	}
	if fail.Cursor == "" || fail.Exams[0].Grade != 4 {
		t.Fatalf("the failed candidate is not in the feed: %+v", all.Items)
	}
	again, err := w.k.Results.SMIPChanges(ctx, smipP, mustCursor(t, all.Next), 0)
	if err != nil || len(again.Items) != 0 || again.Next != all.Next || again.More {
		t.Fatalf("nothing changed, yet %+v %v", again, err)
	}
	if _, _, err := w.k.Results.ApplyRemark(ctx, ava, year, "D1", w.fail, 12, "Rivlerësim"); err != nil {
		t.Fatal(err)
	}
	changed, err := w.k.Results.SMIPChanges(ctx, smipP, mustCursor(t, all.Next), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(changed.Items) != 1 || changed.Items[0].PersonalNo != fail.PersonalNo {
		t.Fatalf("after the re-marking: %+v", changed.Items)
	}
	e := changed.Items[0].Exams[0]
	if e.Points != 12 || e.Grade != 5 || !e.Passed || !e.Remarked || changed.Next == all.Next {
		t.Errorf("re-marked record %+v, next %s", e, changed.Next)
	}
	// The record carries public identifiers only: never the database id.
	b, _ := json.Marshal(changed.Items[0])
	if bytes.Contains(b, []byte("student_id")) {
		t.Errorf("a database id leaks: %s", b)
	}
}

// Keyset pages: limit bounds each page, more says whether another waits,
// and the pages together are the first read, each record once.
func TestSMIPFeed_PagesByLimit(t *testing.T) {
	w := published(t)
	ctx := context.Background()
	all, err := w.k.Results.SMIPChanges(ctx, smipP, 0, results.SMIPMaxLimit)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	var since int64
	for i := 0; i < 10; i++ {
		p, err := w.k.Results.SMIPChanges(ctx, smipP, since, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) > 2 {
			t.Fatalf("%d items for limit 2", len(p.Items))
		}
		for _, r := range p.Items {
			got = append(got, r.Cursor)
		}
		since = mustCursor(t, p.Next)
		if !p.More {
			break
		}
	}
	if len(got) != len(all.Items) {
		t.Fatalf("paged %d, whole %d", len(got), len(all.Items))
	}
	for i, r := range all.Items {
		if got[i] != r.Cursor {
			t.Errorf("page order %v", got)
		}
	}
	for _, lim := range []int{-1, results.SMIPMaxLimit + 1} {
		if _, err := w.k.Results.SMIPChanges(ctx, smipP, 0, lim); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("limit %d: %v", lim, err)
		}
	}
	for _, c := range []string{"x", "-1", "1.5", "99999999999999999999"} {
		if _, err := results.ParseCursor(c); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("cursor %q: %v", c, err)
		}
	}
}

// Only SMIP's account reads the feed; only AVA takes the file.
func TestSMIPFeed_Scope(t *testing.T) {
	w := published(t)
	ctx := context.Background()
	others := []*auth.Principal{ava, testkit.KMSH("DAR-A"), testkit.KSHMSH("A-1"), student(w.pass), nil,
		{Username: "mash", Role: auth.RoleMASH}, {Username: "v", Role: auth.RoleObserver}}
	for _, p := range others {
		if _, err := w.k.Results.SMIPChanges(ctx, p, 0, 0); err == nil {
			t.Errorf("%v read the SMIP feed", p)
		}
	}
	for _, p := range append(others[1:], smipP) {
		if err := w.k.Results.ExportYear(ctx, p, year, func(results.ExportRow) error { return nil }); err == nil {
			t.Errorf("%v took AVA's file", p)
		}
	}
	var rows []results.ExportRow
	if err := w.k.Results.ExportYear(ctx, ava, year, func(r results.ExportRow) error { rows = append(rows, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 {
		t.Fatalf("%d rows: %+v", len(rows), rows)
	}
	for i, r := range rows {
		if r.RegNo == "" || r.PersonalNo == "" || r.Name == "" || r.PublishedAt == "" {
			t.Errorf("row %d lacks identifiers: %+v", i, r)
		}
	}
	if err := w.k.Results.ExportYear(ctx, ava, 1999, func(results.ExportRow) error { return nil }); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("a year that does not exist: %v", err)
	}
}

func mustCursor(t *testing.T, s string) int64 {
	t.Helper()
	n, err := results.ParseCursor(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
