package results_test

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"provim/internal/albanian"
	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/results"
	"provim/internal/testkit"
)

func TestNeni59_OnlyAVASeesResultsBeforePublication(t *testing.T) {
	w := newD1(t)
	w.close(t, "D1")
	ctx := context.Background()
	if _, err := w.k.Results.Compute(ctx, ava, year, "D1"); err != nil {
		t.Fatal(err)
	}
	if l, err := w.k.Results.List(ctx, ava, results.Filter{Year: year}); err != nil || l.Total != 5 {
		t.Fatalf("AVA: %+v %v", l, err)
	}
	if l, err := w.k.Results.List(ctx, testkit.KSHMSH("A-1"), results.Filter{Year: year}); err != nil || l.Total != 0 {
		t.Fatalf("school before publication: %+v %v", l, err)
	}
	_, _, err := w.k.Results.MyPage(ctx, student(w.pass))
	mustCode(t, err, apperr.NotFound)
}

func TestScope_SchoolRegionCandidate(t *testing.T) {
	w := published(t)
	ctx := context.Background()
	for _, c := range []struct {
		p    *auth.Principal
		want int
	}{
		{ava, 5}, {testkit.KMSH("DAR-A"), 3}, {testkit.KMSH("DAR-B"), 2}, {testkit.KSHMSH("B-1"), 2}, {testkit.KSHMSH("A-1"), 3},
	} {
		l, err := w.k.Results.List(ctx, c.p, results.Filter{Year: year, Exam: "D1"})
		if err != nil || l.Total != c.want || len(l.Rows) != c.want {
			t.Errorf("%s %s%s: %d rows, %v", c.p.Role, c.p.Unit, c.p.School, l.Total, err)
		}
	}
	for _, p := range []*auth.Principal{student(w.pass), testkit.PAP("V-A"), {Role: auth.RoleMarker, Subject: "D1"}, nil} {
		if _, err := w.k.Results.List(ctx, p, results.Filter{Year: year}); err == nil {
			t.Errorf("%v lists results", p)
		}
	}
	// A candidate sees their own page only.
	p, _, err := w.k.Results.MyPage(ctx, student(w.fail))
	if err != nil || len(p.Exams) != 1 || p.Exams[0].Points != 11 {
		t.Fatalf("own page: %+v %v", p, err)
	}
	_, _, err = w.k.Results.MyPage(ctx, ava)
	mustCode(t, err, apperr.Forbidden)
	// Search by name and by registration number.
	if l, _ := w.k.Results.List(ctx, ava, results.Filter{Year: year, Search: "çela"}); l.Total != 1 || !strings.Contains(l.Rows[0].Name, "Çela") {
		t.Errorf("search by name: %+v", l)
	}
	// Case and ë/ç do not matter (issue 11 part B): "CELA" finds Çela too.
	if l, _ := w.k.Results.List(ctx, ava, results.Filter{Year: year, Search: "CELA"}); l.Total != 1 || !strings.Contains(l.Rows[0].Name, "Çela") {
		t.Fatalf("search CELA = %+v", l)
	}
	if l, _ := w.k.Results.List(ctx, ava, results.Filter{Year: year, Search: regNo(w.absent)}); l.Total != 1 || l.Rows[0].Status() != "Mungon" {
		t.Errorf("search by number: %+v", l)
	}
	_, err = w.k.Results.List(ctx, ava, results.Filter{Year: year, Search: strings.Repeat("a", 81)})
	mustCode(t, err, apperr.Invalid)
	// Paging.
	l, _ := w.k.Results.List(ctx, ava, results.Filter{Year: year, Offset: 4, Limit: 2})
	if l.Total != 5 || len(l.Rows) != 1 {
		t.Errorf("paging: %+v", l)
	}
}

// Neni 63: no list orders or aggregates schools by results. Every list
// is in the Albanian order of names whatever the points, and no answer
// carries a per-school figure.
func TestNeni63_NoRankingOfSchools(t *testing.T) {
	w := published(t)
	ctx := context.Background()
	l, err := w.k.Results.List(ctx, ava, results.Filter{Year: year, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, len(l.Rows))
	for i, r := range l.Rows {
		keys[i] = string(albanian.SortKey(lastOf(r.Name), "Ëndrit", "Ilir"))
	}
	if !sort.StringsAreSorted(keys) {
		t.Errorf("not in name order: %+v", l.Rows)
	}
	body, _ := json.Marshal(l)
	for _, bad := range []string{"average", "mesatar", "rank", "rend", "school_code"} {
		if strings.Contains(strings.ToLower(string(body)), bad) {
			t.Errorf("the list carries %q: %s", bad, body)
		}
	}
	tab := results.ListTable(l, "Rezultatet")
	for _, c := range tab.Columns {
		if strings.Contains(strings.ToLower(c.Title), "mesatar") || strings.Contains(strings.ToLower(c.Title), "rend") {
			t.Errorf("export column %q", c.Title)
		}
	}
}

func lastOf(name string) string { return name[strings.LastIndex(name, " ")+1:] }
