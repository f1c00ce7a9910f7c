package results_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/testkit"
	"provim/internal/venue"
)

// personalNo is the student's personal number as the registry spells it.
func personalNo(t *testing.T, w *world, id int64) string {
	t.Helper()
	var no string
	if err := w.db.QueryRow(`SELECT personal_no FROM students WHERE id = $1`, id).Scan(&no); err != nil {
		t.Fatal(err)
	}
	return no
}

// failing adds a student of school who failed the school year (Neni 35).
func (w *world) failing(t *testing.T, school, last string) int64 {
	t.Helper()
	id := w.student(t, school, last)
	run(t, w.db, `INSERT INTO applications (year, student_id, form, category, status, source, failing, updated_at) VALUES ($1, $2, 'A1', 'maturant', 'registered', 'school', TRUE, '2009-05-28T08:00:00Z')`, year, id)
	return id
}

func ids(list []venue.Retaker) []int64 {
	out := []int64{}
	for _, r := range list {
		out = append(out, r.StudentID)
	}
	return out
}

func TestNeni58_SentListHoldsTheFailedMandatoryAndOnlyTheAutumnMarkedFailers(t *testing.T) {
	w := published(t)
	ctx := context.Background()
	kmshB := testkit.KMSH("DAR-B")
	passed := w.failing(t, "B-1", "Mbetësi")
	notYet := w.failing(t, "B-1", "Pakaluesi")
	other := w.failing(t, "A-1", "Tjetri")
	w.at(t, "2009-09-01 10:00")

	// The list shows each failer with their personal number, unmarked.
	l, err := w.k.Results.Session2(ctx, kmshB, year, "")
	if err != nil || len(l.Rows) != 4 {
		t.Fatalf("list: %+v %v", l, err)
	}
	for _, r := range l.Rows {
		if r.Failing && (r.PersonalNo == "" || r.AutumnPassed) {
			t.Errorf("failer row: %+v", r)
		}
	}

	// An unknown personal number, and one of another DAR's failer: refused
	// naming it, nothing saved.
	for _, bad := range []string{"X99999999Z", personalNo(t, w.world, other)} {
		_, err = w.k.Results.SendSession2(ctx, kmshB, year, []string{personalNo(t, w.world, passed), bad})
		mustCode(t, err, apperr.Invalid)
		if !strings.Contains(apperr.MessageOf(err), bad) || !strings.Contains(apperr.MessageOf(err), "Neni 58") {
			t.Errorf("message: %v", err)
		}
	}
	if got, _ := w.k.Results.Session2Candidates(ctx, year, "D1"); len(got) != 0 {
		t.Fatalf("saved after a refusal: %v", got)
	}
	if l, _ := w.k.Results.Session2(ctx, kmshB, year, ""); l.SentAt != "" {
		t.Fatalf("sent after a refusal: %+v", l)
	}

	// Sent with one failer marked (spelled in lower case).
	sent, err := w.k.Results.SendSession2(ctx, kmshB, year, []string{strings.ToLower(personalNo(t, w.world, passed))})
	if err != nil || len(sent.Rows) != 3 {
		t.Fatalf("send: %+v %v", sent, err)
	}
	d1, err := w.k.Results.Session2Candidates(ctx, year, "D1")
	want := []int64{w.absent, w.voided, passed}
	slices.Sort(want)
	if err != nil || !slices.Equal(ids(d1), want) {
		t.Fatalf("D1 list: %v, want %v (%v)", ids(d1), want, err)
	}
	for _, r := range d1 {
		if r.SchoolCode != "B-1" {
			t.Errorf("school: %+v", r)
		}
	}
	// The failer sits D2 too; the test key reads the same list.
	if d2, _ := w.k.Results.Session2Candidates(ctx, year, "D2-2"); !slices.Equal(ids(d2), []int64{passed}) {
		t.Fatalf("D2 list: %v", ids(d2))
	}
	l, _ = w.k.Results.Session2(ctx, kmshB, year, "")
	for _, r := range l.Rows {
		if r.Failing && r.AutumnPassed != strings.Contains(r.Name, "Mbetësi") {
			t.Errorf("marked: %+v", r)
		}
	}
	var n int
	w.db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'results.session2_send' AND after LIKE '%autumn_passed%'`).Scan(&n)
	if n != 1 {
		t.Errorf("audit entries: %d", n)
	}

	// Sending again replaces the unit's earlier sending; the other DAR's
	// list is its own.
	if _, err := w.k.Results.SendSession2(ctx, testkit.KMSH("DAR-A"), year, []string{personalNo(t, w.world, other)}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.k.Results.SendSession2(ctx, kmshB, year, []string{personalNo(t, w.world, notYet)}); err != nil {
		t.Fatal(err)
	}
	d1, _ = w.k.Results.Session2Candidates(ctx, year, "D1")
	want = []int64{w.fail, w.absent, w.voided, w.excluded, notYet, other}
	slices.Sort(want)
	if !slices.Equal(ids(d1), want) {
		t.Fatalf("after resending: %v, want %v", ids(d1), want)
	}
}

func TestNeni58_Session2OfD1PlannedFromTheSentList(t *testing.T) {
	w := published(t)
	ctx := context.Background()
	kmshB := testkit.KMSH("DAR-B")
	passed := w.failing(t, "B-1", "Mbetësi")
	w.failing(t, "B-1", "Pakaluesi")
	if _, err := w.k.Registry.Import(ctx, ava, "venues", "venues.csv", strings.NewReader(
		"kodi_qendres,emri_qendres,kodi_shkolles,qyteti,salla,kati,vende,gjatesia_cm,gjeresia_cm\n"+
			"Q-B-1,Gjimnazi B-1,B-1,Tiranë,Salla 1,0,30,900,600\n"+
			"Q-A-1,Gjimnazi A-1,A-1,Tiranë,Salla 1,0,30,900,600\n"), nil); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"Q-B-1", "Q-A-1"} {
		if _, err := w.k.Venues.Inspect(ctx, ava, v, venue.InspectionInput{Checklist: venue.Checklist{SpacingCM: 120, DeskWidthCM: 60, DeskDepthCM: 40,
			OneDirection: true, AiredLit: true, NoPosters: true, NoOtherActivity: true, RoadAccess: true}, Reason: "Inspektim për sesionin e dytë"}); err != nil {
			t.Fatal(err)
		}
	}
	w.at(t, "2009-09-01 10:00")
	// Before any list is sent: the clear refusal.
	_, err := w.k.Venues.Plan(ctx, kmshB, "D1", 2, "")
	mustCode(t, err, apperr.Invalid)
	if !strings.Contains(apperr.MessageOf(err), "Neni 58") {
		t.Errorf("message: %v", err)
	}
	if _, err := w.k.Results.SendSession2(ctx, kmshB, year, []string{personalNo(t, w.world, passed)}); err != nil {
		t.Fatal(err)
	}
	w.at(t, "2009-09-20 10:00")
	res, err := w.k.Venues.Plan(ctx, kmshB, "D1", 2, "")
	if err != nil || res.Candidates != 3 || res.Session != 2 {
		t.Fatalf("plan: %+v %v", res, err)
	}
	rows, err := w.db.Query(`SELECT student_id, venue_code FROM exam_seats WHERE year = $1 AND session = 2 AND exam = 'D1' ORDER BY student_id`, year)
	if err != nil {
		t.Fatal(err)
	}
	var seated []int64
	for rows.Next() {
		var id int64
		var v string
		rows.Scan(&id, &v)
		if v != "Q-B-1" {
			t.Errorf("seat of %d in %s", id, v)
		}
		seated = append(seated, id)
	}
	rows.Close()
	want := []int64{w.absent, w.voided, passed}
	slices.Sort(want)
	if !slices.Equal(seated, want) {
		t.Fatalf("seated %v, want %v", seated, want)
	}
	// An elective has no second session (Neni 14.4).
	_, err = w.k.Venues.Plan(ctx, ava, "FIZ", 2, "")
	mustCode(t, err, apperr.Invalid)
	if !strings.Contains(apperr.MessageOf(err), "Neni 14.4") {
		t.Errorf("message: %v", err)
	}
}
