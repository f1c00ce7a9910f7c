package results_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/testkit"
)

func TestNeni58_Session2ListAndItsDeadline(t *testing.T) {
	w := published(t)
	ctx := context.Background()
	// A failing student of the school year (Neni 35) of DAR-B.
	mb := w.student(t, "B-1", "Mbetësi")
	run(t, w.db, `INSERT INTO applications (year, student_id, form, category, status, source, failing, updated_at) VALUES ($1, $2, 'A1', 'maturant', 'registered', 'school', TRUE, '2009-05-28T08:00:00Z')`, year, mb)
	l, err := w.k.Results.Session2(ctx, ava, year, "")
	if err != nil {
		t.Fatal(err)
	}
	// fail (11 points), absent, voided, excluded: D1; the failing student: D1, D2.
	if len(l.Rows) != 5 {
		t.Fatalf("rows: %+v", l.Rows)
	}
	var names []string
	for _, r := range l.Rows {
		names = append(names, r.Name)
		if strings.Contains(r.Name, "Mbetësi") && (!slices.Equal(r.Exams, []string{"D1", "D2"}) || !strings.Contains(r.Reason, "Neni 35") || !r.Failing || r.PersonalNo == "") {
			t.Errorf("failing student: %+v", r)
		}
		if strings.Contains(r.Name, "Agolli") {
			t.Errorf("a pass in session 2: %+v", r)
		}
	}
	if !strings.Contains(names[0], "Çela") {
		t.Errorf("order: %v", names)
	}
	// A KMSH sees its own region only.
	lb, err := w.k.Results.Session2(ctx, testkit.KMSH("DAR-B"), year, "DAR-A")
	if err != nil || len(lb.Rows) != 3 || lb.Unit != "DAR-B" {
		t.Fatalf("DAR-B: %+v %v", lb, err)
	}
	_, err = w.k.Results.Session2(ctx, testkit.KSHMSH("A-1"), year, "")
	mustCode(t, err, apperr.Forbidden)
	// Sent on the last day (05.09.2009) it is accepted; a day later refused, naming the date.
	w.at(t, "2009-09-05 23:00")
	sent, err := w.k.Results.SendSession2(ctx, testkit.KMSH("DAR-B"), year, []string{personalNo(t, w.world, mb)})
	if err != nil || sent.SentAt == "" || len(sent.Rows) != 3 {
		t.Fatalf("send: %+v %v", sent, err)
	}
	if again, _ := w.k.Results.Session2(ctx, testkit.KMSH("DAR-B"), year, ""); again.SentAt == "" {
		t.Errorf("sent not shown: %+v", again)
	}
	w.at(t, "2009-09-06 08:00")
	_, err = w.k.Results.SendSession2(ctx, testkit.KMSH("DAR-A"), year, nil)
	mustCode(t, err, apperr.Invalid)
	if !strings.Contains(apperr.MessageOf(err), "05.09.2009") {
		t.Errorf("message: %v", err)
	}
	_, err = w.k.Results.SendSession2(ctx, ava, year, nil)
	mustCode(t, err, apperr.Forbidden)
}
