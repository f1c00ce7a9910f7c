package application_test

import (
	"context"
	"testing"

	"provim/internal/application"
)

// TestApplicationsSearchIgnoresDiacriticsAndCase: the list of forms
// searches as the registry does (issue 11, part B), on both engines:
// "cela" finds Çela, "ÇELA" and "çela" too, "engjella ahmeti" finds
// Ëngjëlla Ahmeti (every word in a name), "ilir" the father's name of
// three; LIKE's own characters match themselves only; a mistyped
// registration number is refused, not searched for.
func TestApplicationsSearchIgnoresDiacriticsAndCase(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	w.day("2027-02-25")
	for _, name := range []string{"Çela", "Ahmeti", "Dema", "Bardhi"} {
		if _, err := w.svc.FileA1(ctx, student(w, name), application.A1Input{StudentID: w.students[name], Electives: []string{"FIZ", "KIM"}, Submit: true}); err != nil {
			t.Fatalf("A1 of %s: %v", name, err)
		}
	}
	for q, want := range map[string]int{"cela": 1, "ÇELA": 1, "çela": 1, "Cela": 1, "engjella ahmeti": 1, "ENGJËLLA": 1, "ilir": 3, "arber cela": 1, "%": 0, "_": 0, "zeka": 0} {
		list, total, err := w.svc.List(ctx, ava, application.Filter{Q: q})
		if err != nil || total != want || len(list) != want {
			t.Errorf("search %q: %d (%d), %v; want %d", q, total, len(list), err, want)
		}
	}
	if _, _, err := w.svc.List(ctx, ava, application.Filter{Q: "123456789"}); err == nil {
		t.Error("a mistyped registration number is searched for")
	}
}
