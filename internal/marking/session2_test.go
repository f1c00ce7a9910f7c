package marking_test

import (
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/marking"
	"provim/internal/testkit"
)

// The second session's tests (Neni 16 ¶2, 58): D1 and D2 are marked
// again as tests of their own, "D1-2" and "D2-2"; no elective is in the
// second session (Neni 14.4).

func TestNeni58_Session2TestsAreListedByKey(t *testing.T) {
	k := testkit.New(t)
	ctx := t.Context()
	_, exams, err := k.Marking.Exams(ctx, 2009)
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]marking.Exam{}
	var order []string
	for _, e := range exams {
		byCode[e.Code] = e
		order = append(order, e.Code)
	}
	d1, d2 := byCode["D1-2"], byCode["D2-2"]
	if d1.Label != "D1 (sesioni 2)" || d1.MaxPoints != byCode["D1"].MaxPoints || d1.Name != byCode["D1"].Name {
		t.Fatalf("D1-2: %+v", d1)
	}
	if d2.Label != "D2 (sesioni 2)" || d2.MaxPoints != byCode["D2"].MaxPoints {
		t.Fatalf("D2-2: %+v", d2)
	}
	if order[0] != "D1" || order[1] != "D2" || order[len(order)-2] != "D1-2" || order[len(order)-1] != "D2-2" || byCode["D1"].Label != "D1" {
		t.Fatalf("order: %v", order)
	}
	for _, e := range exams {
		if strings.HasSuffix(e.Code, "-2") && e.Code != "D1-2" && e.Code != "D2-2" {
			t.Fatalf("an elective in session 2: %+v", e)
		}
	}
}

func TestNeni14_4_NoElectiveIsMarkedInSession2(t *testing.T) {
	k := testkit.New(t)
	_, err := k.Marking.RegisterBooklets(t.Context(), testkit.AVA, 2009, "KIM-2")
	if apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), "Neni 14.4") {
		t.Fatalf("want Invalid naming Neni 14.4, got %v", err)
	}
}

// The booklets of D1-2 are the codes used in the second session, with
// the schools of their room from the second session's plan (the markers
// are kept off their own school's booklets, Neni 57.12).
func TestNeni58_Session2BookletsRegisteredFromItsCodes(t *testing.T) {
	w, year, _ := mkPlanWorldOf(t, 2)
	res, err := w.svc.RegisterBooklets(w.ctx, mkAVA, year, "D1-2")
	if err != nil {
		t.Fatal(err)
	}
	if res.Booklets != 5 || res.Rooms != 2 {
		t.Fatalf("registered %+v", res)
	}
	used, err := w.k.Anonym.UsedCodes(w.ctx, year, "D1-2")
	if err != nil || len(used) != 5 {
		t.Fatalf("used codes of D1-2: %d %v", len(used), err)
	}
	for _, u := range used {
		var schools string
		if err := w.k.DB.QueryRow(`SELECT schools FROM marking_booklets WHERE year = $1 AND exam = 'D1-2' AND code = $2`, year, u.Code).Scan(&schools); err != nil {
			t.Fatal(err)
		}
		want := "A-1"
		if u.Venue == "V-B" {
			want = "B-1"
		}
		if schools != want {
			t.Fatalf("booklet %s of %s: schools %q", u.Code, u.Venue, schools)
		}
	}
	var first int
	if err := w.k.DB.QueryRow(`SELECT COUNT(*) FROM marking_booklets WHERE year = $1 AND exam = 'D1'`, year).Scan(&first); err != nil || first != 0 {
		t.Fatalf("booklets of session 1's D1: %d %v", first, err)
	}
}

// A marker of D1-2 is appointed for it: the account's subject is the
// test's key, and only that test's pages are theirs (Neni 57.6, 57.8).
func TestNeni57_8_MarkersAppointedForASession2Test(t *testing.T) {
	k, land, ctx := apWorld(t)
	res, err := k.Marking.Appoint(ctx, testkit.AVA, 2009, "D1-2", []marking.Appointment{
		{StaffID: land.Home.Staff, Task: "lead"},
		{PersonalNo: apNID(3, 3), FullName: "Vera Gjoni", Institution: "Instituti i Studimeve", Subjects: "GJSH"},
	})
	if err != nil || res.Appointed != 2 {
		t.Fatalf("appoint D1-2: %+v %v", res, err)
	}
	lead := res.Markers[0]
	users, err := k.Auth.FullNames(ctx, []string{lead.Username, res.Markers[1].Username})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range res.Markers {
		if u := users[m.Username]; u.Role != auth.RoleMarker || u.Subject != "D1-2" {
			t.Fatalf("account of %s: %+v", m.FullName, u)
		}
	}
	p := &auth.Principal{Username: lead.Username, Role: auth.RoleMarker, Subject: "D1-2"}
	if !marking.MayMark(p) || !marking.ForSubject(p, "d1-2") || marking.ForSubject(p, "D1") {
		t.Fatal("a marker of D1-2 marks D1-2 only")
	}
	if ok, err := k.Marking.IsLead(ctx, p, 2009, "D1-2"); !ok || err != nil {
		t.Fatalf("is lead of D1-2: %v %v", ok, err)
	}
	if ok, _ := k.Marking.IsLead(ctx, p, 2009, "D1"); ok {
		t.Fatal("a lead of D1-2 is no lead of D1")
	}
	rows, err := k.Marking.Markers(ctx, testkit.AVA, 2009, "D1")
	if err != nil || len(rows) != 0 {
		t.Fatalf("markers of session 1's D1: %v %v", rows, err)
	}
}
