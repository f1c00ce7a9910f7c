package application_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"provim/internal/albanian"
	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/registry"
)

// finalListOf40 builds the final lists of the three registered candidates
// and adds 40 more to the list of D1, eight of them with one and the same
// name (so the registration number breaks the ties of the order).
func finalListOf40(t *testing.T, w *world) {
	t.Helper()
	ctx := context.Background()
	registered(t, w)
	w.day("2027-05-30")
	if _, err := w.svc.BuildFinalLists(ctx, ava, "njoftuan me telefon"); err != nil {
		t.Fatal(err)
	}
	for i := range 40 {
		first, father, last := "Ana", "Pal", fmt.Sprintf("Hoxha%02d", i%32)
		if i >= 32 {
			first, last = "Çelë", "Shehu" // eight of one name
		}
		school := []string{"A-1", "A1-1", "B-1"}[i%3]
		var id int64
		if err := w.db.QueryRow(`INSERT INTO students (personal_no, first_name, father_name, last_name, sex, birth_date, school_code, category, sort_key, updated_at)
			VALUES ($1, $2, $3, $4, 'F', '2009-04-01', $5, 'maturant', $6, '2027-01-01T00:00:00Z') RETURNING id`,
			nid(10+i%18, 100+i, "F"), first, father, last, school, albanian.SortKey(last, first, father)).Scan(&id); err != nil {
			t.Fatal(err)
		}
		// Registration numbers out of the order of ids, so a tie is
		// broken by the number, not by the row.
		if _, err := w.db.Exec(`INSERT INTO final_lists (year, exam, student_id, reg_no, school_code) VALUES (2027, 'D1', $1, $2, $3)`,
			id, fmt.Sprintf("27-T%03d", 999-i), school); err != nil {
			t.Fatal(err)
		}
	}
}

func regNos(list []application.ListEntry) []string {
	var out []string
	for _, e := range list {
		out = append(out, e.RegNo)
	}
	return out
}

// TestNeni36_FinalListKeysetPaging: the final list of an exam (Neni 36,
// Albanian alphabetical order) is paged by its keys, the sort key of the
// names and the registration number (issue 11): walking the "next"
// cursors from the first page, or the "previous" ones back from the last,
// gives the whole list once, in the order of the printed list, each page
// knowing its place and the total; the filters hold on every page; the
// old offset still works; a cursor not of ours is refused in Albanian.
func TestNeni36_FinalListKeysetPaging(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	s := w.svc
	finalListOf40(t, w)
	all, err := s.FinalList(ctx, ava, "D1", "")
	if err != nil || len(all) != 43 {
		t.Fatalf("whole list: %d %v", len(all), err)
	}
	want := regNos(all)
	// The eight of one name come by registration number.
	var ties []string
	for _, e := range all {
		if strings.HasPrefix(e.FullName, "Çelë (Pal) Shehu") {
			ties = append(ties, e.RegNo)
		}
	}
	if len(ties) != 8 || !slices.IsSorted(ties) {
		t.Fatalf("ties: %v", ties)
	}

	// Forwards.
	f := application.FinalFilter{Exam: "d1", Page: registry.Page{Limit: 7}}
	var got []string
	var pages int
	for {
		pg, err := s.FinalListKeyset(ctx, ava, f)
		if err != nil {
			t.Fatal(err)
		}
		if pg.Total != 43 || pg.Offset != len(got) || (pages == 0) != (pg.Prev == "") {
			t.Fatalf("page %d: offset %d total %d prev %q", pages, pg.Offset, pg.Total, pg.Prev)
		}
		got = append(got, regNos(pg.Items)...)
		pages++
		if pg.Next == "" {
			break
		}
		f.Cursor = pg.Next
	}
	if pages != 7 || !slices.Equal(got, want) {
		t.Fatalf("forwards: %d pages\n got %v\nwant %v", pages, got, want)
	}

	// Backwards from the last page.
	f.Cursor = application.LastPage
	got, pages = nil, 0
	for {
		pg, err := s.FinalListKeyset(ctx, ava, f)
		if err != nil {
			t.Fatal(err)
		}
		if pages == 0 && (pg.Next != "" || pg.Offset+len(pg.Items) != 43 || len(pg.Items) != 7) {
			t.Fatalf("last page: %d at %d, next %q", len(pg.Items), pg.Offset, pg.Next)
		}
		if pg.Offset+len(pg.Items)+len(got) != 43 || pg.Total != 43 {
			t.Fatalf("page %d back: offset %d total %d", pages, pg.Offset, pg.Total)
		}
		got = append(regNos(pg.Items), got...)
		pages++
		if pg.Prev == "" {
			if pg.Offset != 0 {
				t.Fatalf("no previous page at offset %d", pg.Offset)
			}
			break
		}
		f.Cursor = pg.Prev
	}
	if !slices.Equal(got, want) {
		t.Fatalf("backwards\n got %v\nwant %v", got, want)
	}

	// A search and a school hold on every page.
	f = application.FinalFilter{Exam: "D1", Q: "cele", Page: registry.Page{Limit: 3}}
	got = nil
	for {
		pg, err := s.FinalListKeyset(ctx, ava, f)
		if err != nil || pg.Total != 8 {
			t.Fatalf("search: %d %v", pg.Total, err)
		}
		got = append(got, regNos(pg.Items)...)
		if pg.Next == "" {
			break
		}
		f.Cursor = pg.Next
	}
	if !slices.Equal(got, ties) {
		t.Fatalf("search pages %v, want %v", got, ties)
	}
	var pg application.FinalPage
	seen := 0
	for cursor := ""; ; cursor = pg.Next {
		if pg, err = s.FinalListKeyset(ctx, kmshB, application.FinalFilter{Exam: "D1", Cursor: cursor, Page: registry.Page{Limit: 5}}); err != nil {
			t.Fatal(err)
		}
		for _, e := range pg.Items {
			if e.UnitCode != "DAR-B" {
				t.Fatalf("DAR-B's pages show %s of %s", e.RegNo, e.UnitCode)
			}
		}
		if seen += len(pg.Items); pg.Next == "" {
			break
		}
	}
	if seen != pg.Total || seen < 10 {
		t.Fatalf("DAR-B's pages: %d of %d", seen, pg.Total)
	}

	// The old offset.
	pg, err = s.FinalListKeyset(ctx, ava, application.FinalFilter{Exam: "D1", Page: registry.Page{Offset: 40, Limit: 7}})
	if err != nil || pg.Offset != 40 || !slices.Equal(regNos(pg.Items), want[40:]) || pg.Next != "" || pg.Prev == "" {
		t.Fatalf("offset 40: %+v %v", pg, err)
	}
	old, total, err := s.FinalListPage(ctx, ava, application.FinalFilter{Exam: "D1", Page: registry.Page{Offset: 40, Limit: 7}})
	if err != nil || total != 43 || !slices.Equal(regNos(old), want[40:]) {
		t.Fatalf("FinalListPage at 40: %v %d %v", regNos(old), total, err)
	}

	for _, bad := range []string{"x", "nAAAA", "p.", "n!!.QQ"} {
		_, err := s.FinalListKeyset(ctx, ava, application.FinalFilter{Exam: "D1", Cursor: bad})
		if code(err) != apperr.Invalid || !strings.Contains(apperr.MessageOf(err), "Kursori i faqes") {
			t.Fatalf("cursor %q: %v", bad, err)
		}
	}
}
