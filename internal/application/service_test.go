package application_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/registry"
	"provim/internal/store"
	"provim/internal/testkit"
)

var (
	ava     = &auth.Principal{Username: "ava", Role: auth.RoleAVA}
	kmshA   = &auth.Principal{Username: "kmsh.a", Role: auth.RoleKMSH, Unit: "DAR-A"}
	kmshB   = &auth.Principal{Username: "kmsh.b", Role: auth.RoleKMSH, Unit: "DAR-B"}
	schoolA = &auth.Principal{Username: "kshmsh.a", Role: auth.RoleKSHMSH, School: "A-1"}
	schoolB = &auth.Principal{Username: "kshmsh.b", Role: auth.RoleKSHMSH, School: "B-1"}
)

func nid(day, serial int, sex string) string {
	return registry.MakeNID(time.Date(2009, 3, day, 0, 0, 0, 0, time.UTC), sex, serial)
}

type world struct {
	*testkit.Kit
	db       *store.DB
	svc      *application.Service
	students map[string]int64 // by last name
}

// day moves the clock to noon in Tirana of date (2027).
func (w *world) day(date string) {
	d, _ := time.ParseInLocation("2006-01-02", date, clock.Tirana)
	w.Clock.Set(d.Add(12 * time.Hour))
}

func student(w *world, name string) *auth.Principal {
	return &auth.Principal{Username: "n." + name, Role: auth.RoleStudent, StudentID: w.students[name]}
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	k := testkit.New(t)
	db := k.DB
	// testkit's standard country, with this package's own students (grades
	// and a kandidat for the rules of application), and no staff or venues.
	k.Country(t, testkit.WithFile("students", "nr_personal,emri,atesia,mbiemri,datelindja,kodi_shkolles,nota_mesatare,kategoria\n"+
		nid(1, 1, "M")+",Arbër,Ilir,Çela,01.03.2009,A-1,8.5,maturant\n"+
		nid(2, 2, "F")+",Ema,Ilir,Dema,02.03.2009,A-1,9.1,maturant\n"+
		nid(3, 3, "M")+",Dritan,Ilir,Bardhi,03.03.2009,A-1,7.0,maturant\n"+
		nid(4, 4, "F")+",Ëngjëlla,Pal,Ahmeti,04.03.2009,A1-1,6.5,maturant\n"+
		nid(5, 5, "M")+",Gent,Pal,Zeka,05.03.2009,B-1,7.5,maturant\n"+
		registry.MakeNID(time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC), "M", 6)+",Petrit,Kol,Gjoni,01.01.1980,A-1,,kandidat\n"),
		testkit.WithFile("staff", ""), testkit.WithFile("venues", ""))
	years := k.Years
	if _, err := years.Create(ctx, ava, 2027, "", 2009); err != nil {
		t.Fatal(err)
	}
	if err := years.SetActive(ctx, ava, 2027); err != nil {
		t.Fatal(err)
	}
	w := &world{Kit: k, db: db, svc: k.Applications, students: map[string]int64{}}
	rows, err := db.Query(`SELECT id, last_name FROM students`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		rows.Scan(&id, &name)
		w.students[name] = id
	}
	return w
}

func code(err error) string {
	if err == nil {
		return "nil"
	}
	return apperr.CodeOf(err)
}

func mustContain(t *testing.T, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one containing %q", want)
	}
	for _, w := range want {
		if !strings.Contains(apperr.MessageOf(err), w) && !strings.Contains(err.Error(), w) {
			t.Fatalf("error %q does not contain %q", apperr.MessageOf(err), w)
		}
	}
}

// TestNeni22_34_35_36_TheWholeCycle walks one year: A1 online and on
// paper, confirmation, table T to the KMSH, verification, lists to AVA,
// registration numbers, a correction, failing students and the final
// lists.
func TestNeni22_34_35_36_TheWholeCycle(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	s := w.svc
	w.day("2027-02-25")

	// Neni 22 ¶1: the student files A1 online; a draft first.
	cela := student(w, "Çela")
	a, err := s.FileA1(ctx, cela, application.A1Input{StudentID: w.students["Çela"], Electives: []string{"fiz", "KIM"}})
	if err != nil || a.Status != application.Draft || a.Form != "A1" || strings.Join(a.Electives, ",") != "FIZ,KIM" || strings.Join(a.Mandatory, ",") != "D1,D2" {
		t.Fatalf("draft: %+v %v", a, err)
	}
	_, err = s.FileA1(ctx, cela, application.A1Input{StudentID: w.students["Çela"], Electives: []string{"FIZ", "XYZ"}, Submit: true})
	mustContain(t, err, "«XYZ» nuk ofrohet")
	if a, err = s.FileA1(ctx, cela, application.A1Input{StudentID: w.students["Çela"], Electives: []string{"FIZ", "KIM"}, Submit: true}); err != nil || a.Status != application.Submitted {
		t.Fatalf("submit: %+v %v", a, err)
	}
	// A student cannot file for another.
	if _, err := s.FileA1(ctx, cela, application.A1Input{StudentID: w.students["Dema"]}); code(err) != apperr.NotFound {
		t.Fatalf("student files for another: %v", err)
	}
	// A candidate with a certificate files A1z for one or two electives (Neni 22).
	_, err = s.FileA1(ctx, schoolA, application.A1Input{StudentID: w.students["Gjoni"]})
	mustContain(t, err, "Formulari A1z nuk u ruajt", "Neni 22")
	// A submitted form does not go back to draft.
	_, err = s.FileA1(ctx, cela, application.A1Input{StudentID: w.students["Çela"], Electives: []string{"FIZ", "KIM"}})
	mustContain(t, err, "nuk kthehet në të padorëzuar")
	gjoni := &auth.Principal{Username: "n.gjoni", Role: auth.RoleStudent, StudentID: w.students["Gjoni"]}
	if k, err := s.FileA1(ctx, gjoni, application.A1Input{StudentID: w.students["Gjoni"], Electives: []string{"HIS"}, Submit: true}); err != nil ||
		k.Form != "A1z" || k.Category != application.Kandidat || len(k.Mandatory) != 0 {
		t.Fatalf("A1z of a candidate: %+v %v", k, err)
	}

	// Past 10 March the student is refused, naming the deadline…
	w.day("2027-03-11")
	dema := student(w, "Dema")
	_, err = s.FileA1(ctx, dema, application.A1Input{StudentID: w.students["Dema"], Submit: true})
	mustContain(t, err, "Dorëzimi i formularëve A1/A1z", "10.03.2027")
	// …but the school enters paper forms handed in by then during table T
	// (11–24 March).
	if p, err := s.FileA1(ctx, schoolA, application.A1Input{StudentID: w.students["Dema"], Electives: []string{"ANG", "FIZ"}, HandedIn: "10.03.2027"}); err != nil || p.Source != "paper" || p.Status != application.Submitted {
		t.Fatalf("paper form: %+v %v", p, err)
	}
	if _, err = s.FileA1(ctx, schoolA, application.A1Input{StudentID: w.students["Bardhi"], HandedIn: "2027-03-09"}); err != nil {
		t.Fatal(err)
	}
	// The school may not overwrite the student's own submitted form.
	_, err = s.FileA1(ctx, schoolA, application.A1Input{StudentID: w.students["Çela"], Electives: []string{"BIO", "KIM"}})
	mustContain(t, err, "korrigjim")
	// Out of scope: school B sees nothing of school A.
	if _, err := s.Get(ctx, schoolB, a.ID); code(err) != apperr.NotFound {
		t.Fatalf("school B reads school A: %v", err)
	}
	if _, err := s.FileA1(ctx, schoolB, application.A1Input{StudentID: w.students["Dema"]}); code(err) != apperr.NotFound {
		t.Fatalf("school B files for school A: %v", err)
	}

	// Sending with unconfirmed forms is refused; confirm all, then send.
	_, err = s.SendToKMSH(ctx, schoolA, "A-1", "")
	mustContain(t, err, "nuk janë konfirmuar")
	if n, err := s.Confirm(ctx, schoolA, "A-1", nil, ""); err != nil || n != 4 {
		t.Fatalf("confirm: %d %v", n, err)
	}
	tt, err := s.TableT(ctx, schoolA, "A-1")
	if err != nil || len(tt.Rows) != 4 || tt.Rows[0].Name != "Dritan (Ilir) Bardhi" || tt.Rows[1].Name != "Arbër (Ilir) Çela" || tt.Rows[3].Form != "A1z" {
		t.Fatalf("table T in Albanian order: %+v %v", tt.Rows, err)
	}
	w.day("2027-03-25")
	if n, err := s.SendToKMSH(ctx, schoolA, "A-1", ""); err != nil || n != 4 {
		t.Fatalf("send: %d %v", n, err)
	}
	// After sending, the school cannot correct; the KMSH can, with a reason.
	_, err = s.Correct(ctx, schoolA, a.ID, application.CorrectionInput{Electives: []string{"BIO", "KIM"}, Reason: "gabim"})
	if code(err) != apperr.Forbidden {
		t.Fatalf("school corrects after sending: %v", err)
	}
	_, err = s.Correct(ctx, kmshA, a.ID, application.CorrectionInput{Electives: []string{"BIO", "KIM"}})
	mustContain(t, err, "arsyen")
	if _, err := s.Correct(ctx, kmshA, a.ID, application.CorrectionInput{Electives: []string{"BIO", "KIM"}, Reason: "formulari në letër kishte BIO"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifySchool(ctx, kmshB, "A-1", ""); code(err) != apperr.NotFound {
		t.Fatalf("KMSH B verifies A-1: %v", err)
	}
	if n, err := s.VerifySchool(ctx, kmshA, "A-1", ""); err != nil || n != 4 {
		t.Fatalf("verify: %d %v", n, err)
	}
	// Kavajë (a ZA under DAR-A) has an unsent student form: the DAR still sends
	// because nothing there was confirmed.
	if n, err := s.SendUnitToAVA(ctx, kmshA, "DAR-A", ""); err != nil || n != 4 {
		t.Fatalf("send to AVA: %d %v", n, err)
	}
	if _, err := s.SendUnitToAVA(ctx, kmshA, "DAR-A", ""); code(err) != apperr.Conflict {
		t.Fatalf("second send: %v", err)
	}

	// Neni 34: registration numbers, valid, unique, stable.
	w.day("2027-05-01")
	if _, err := s.AssignRegistrationNumbers(ctx, kmshA, ""); code(err) != apperr.Forbidden {
		t.Fatalf("KMSH assigns numbers: %v", err)
	}
	if n, err := s.AssignRegistrationNumbers(ctx, ava, ""); err != nil || n != 4 {
		t.Fatalf("assign: %d %v", n, err)
	}
	if n, err := s.AssignRegistrationNumbers(ctx, ava, ""); err != nil || n != 0 {
		t.Fatalf("assign again: %d %v", n, err)
	}
	list, total, err := s.List(ctx, schoolA, application.Filter{})
	if err != nil || total != 4 {
		t.Fatalf("list: %d %v", total, err)
	}
	seen := map[string]bool{}
	for _, x := range list {
		if !application.ValidRegNo(x.RegNo) || seen[x.RegNo] || x.Status != application.Registered {
			t.Fatalf("registration number %q of %s (%s)", x.RegNo, x.FullName, x.Status)
		}
		seen[x.RegNo] = true
	}

	// Neni 34 ¶5: a correction by the school until 10 May, then by the KMSH until 15 May.
	w.day("2027-05-08")
	if c, err := s.Correct(ctx, schoolA, a.ID, application.CorrectionInput{Electives: []string{"BIO", "KIM"}, Reason: "reklamim i nxënësit"}); err != nil || c.Status != application.Corrected {
		t.Fatalf("reklamim: %+v %v", c, err)
	}
	w.day("2027-05-12")
	_, err = s.Correct(ctx, schoolA, a.ID, application.CorrectionInput{Electives: []string{"BIO", "KIM"}, Reason: "vonë"})
	mustContain(t, err, "10.05.2027")
	if _, err := s.Correct(ctx, kmshA, a.ID, application.CorrectionInput{Electives: []string{"BIO", "KIM"}, Reason: "reklamim i përcjellë"}); err != nil {
		t.Fatal(err)
	}

	// Neni 35: failing students only once the school year has ended.
	bardhi, _ := s.ForStudent(ctx, ava, w.students["Bardhi"])
	_, err = s.MarkFailing(ctx, schoolA, "A-1", []int64{bardhi.ID}, true, "")
	mustContain(t, err, "27.05.2027")
	w.day("2027-05-28")
	if n, err := s.MarkFailing(ctx, schoolA, "A-1", []int64{bardhi.ID}, true, ""); err != nil || n != 1 {
		t.Fatalf("failing: %d %v", n, err)
	}
	w.day("2027-05-29")
	if n, err := s.SendFailingToAVA(ctx, kmshA, "DAR-A", ""); err != nil || n != 1 {
		t.Fatalf("failing to AVA: %d %v", n, err)
	}

	// Neni 55.2: Dema was expelled last year for a phone (54.8), from an
	// exam she was listed for.
	listedIn(t, w, 2026, "D1", w.students["Dema"])
	if err := s.RecordExclusion(ctx, ava, w.students["Dema"], application.Exclusion{Year: 2026, Exam: "D1", Cause: "54.8"}); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordExclusion(ctx, ava, w.students["Dema"], application.Exclusion{Cause: "54.8"}); code(err) != apperr.Invalid {
		t.Fatalf("exclusion without year and exam: %v", err)
	}
	// Neni 36: the final lists.
	sum, err := s.BuildFinalLists(ctx, ava, "")
	if err != nil || sum.Total != 2 || sum.Failing != 1 || sum.Barred != 1 || sum.Exams["D1"] != 1 || sum.Exams["BIO"] != 1 {
		t.Fatalf("final lists: %+v %v", sum, err)
	}
	d1, err := s.FinalList(ctx, schoolA, "D1", "")
	if err != nil || len(d1) != 1 || d1[0].FullName != "Arbër (Ilir) Çela" {
		t.Fatalf("D1 list: %+v %v", d1, err)
	}
	if other, err := s.FinalList(ctx, schoolB, "D1", ""); err != nil || len(other) != 0 {
		t.Fatalf("school B sees school A's list: %+v %v", other, err)
	}
	// The student sees every step of their form.
	h, err := s.History(ctx, cela, a.ID)
	if err != nil || len(h) < 7 || h[len(h)-1].Status != application.Final {
		t.Fatalf("history: %+v %v", h, err)
	}
	for _, e := range h {
		if e.Actor == "kshmsh.a" || e.Actor == "kmsh.a" || e.Actor == "ava" {
			t.Fatalf("the student sees a commission member's username: %+v", e)
		}
	}
	if h2, _ := s.History(ctx, schoolA, a.ID); h2[len(h2)-1].Actor != "ava" {
		t.Fatalf("the commissions see who acted: %+v", h2[len(h2)-1])
	}
	if _, err := s.History(ctx, dema, a.ID); code(err) != apperr.NotFound {
		t.Fatalf("another student reads the history: %v", err)
	}
}

func TestNeni17_20_22_LateAcceptanceNeedsHigherLevelAndReason(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	w.day("2027-03-30")
	in := application.A1Input{StudentID: w.students["Dema"], Electives: []string{"FIZ", "KIM"}}
	_, err := w.svc.FileA1(ctx, schoolA, in)
	mustContain(t, err, "Plotësimi i tabelës T", "24.03.2027")
	_, err = w.svc.FileA1(ctx, kmshA, in)
	mustContain(t, err, "arsyen")
	in.LateReason = "nxënësi ishte i shtruar në spital"
	a, err := w.svc.FileA1(ctx, kmshA, in)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := w.svc.History(ctx, ava, a.ID)
	if len(h) != 1 || !strings.Contains(h[0].Note, "spital") {
		t.Fatalf("late acceptance not recorded: %+v", h)
	}
	// The audit log has it too.
	var n int
	w.db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE object_type = 'application' AND after LIKE '%spital%'`).Scan(&n)
	if n != 1 {
		t.Fatalf("audit entries with the reason: %d", n)
	}
}

func TestNeni23_27_33_SpecialCategories(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	w.day("2027-03-01")
	in := application.SpecialInput{StudentID: w.students["Gjoni"], Category: application.Neni23, SchoolCode: "A1-1",
		Documents: []string{"vertetim_notash", "kerkese"}, Electives: []string{"HIS", "GJE"}, GraduationYear: 1998}
	_, err := w.svc.RegisterSpecial(ctx, kmshA, in)
	mustContain(t, err, "dëftesës së pjekurisë", "Dokument identifikimi", "nota mesatare", "D1")
	if _, err := w.svc.RegisterSpecial(ctx, schoolA, in); code(err) != apperr.Forbidden {
		t.Fatalf("school registers a special category: %v", err)
	}
	in.Documents = append(in.Documents, "deftese_noterizuar", "identifikim")
	in.AverageGrade, in.D1Grade, in.D2Grade = 8.25, 8, 7
	// KMSH B cannot assign a school of DAR-A nor see the candidate.
	if _, err := w.svc.RegisterSpecial(ctx, kmshB, in); code(err) != apperr.NotFound {
		t.Fatalf("KMSH B: %v", err)
	}
	a, err := w.svc.RegisterSpecial(ctx, kmshA, in)
	if err != nil {
		t.Fatal(err)
	}
	if a.Form != "A1" || a.SchoolCode != "A1-1" || len(a.Mandatory) != 0 || a.AverageGrade != 8.25 || a.Source != "kmsh" {
		t.Fatalf("Neni 23 candidate: %+v", a)
	}
	res, _ := w.svc.Results(ctx, ava, a.StudentID)
	if len(res) != 2 {
		t.Fatalf("D1/D2 set by the KMSH: %+v", res)
	}
	// The assigned school (a ZA school under DAR-A) now holds the form.
	kav := &auth.Principal{Username: "k", Role: auth.RoleKSHMSH, School: "A1-1"}
	// Confirming opens with the table T period (Neni 22 ¶2).
	if _, err := w.svc.Confirm(ctx, kav, "A1-1", []int64{a.ID}, ""); err == nil || !strings.Contains(err.Error(), "11.03.2027") {
		t.Fatalf("confirm before 11 March: %v", err)
	}
	w.day("2027-03-12")
	if n, err := w.svc.Confirm(ctx, kav, "A1-1", []int64{a.ID}, ""); err != nil || n != 1 {
		t.Fatalf("assigned school confirms: %d %v", n, err)
	}
	// Neni 33.5–33.6: a student educated abroad, with the grades the
	// special commission set, registered after the school sent table T:
	// the form goes to AVA directly, verified.
	w.day("2027-03-24")
	if _, err := w.svc.SendToKMSH(ctx, kav, "A1-1", ""); err != nil {
		t.Fatal(err)
	}
	w.day("2027-05-03")
	abroadIn := application.SpecialInput{StudentID: w.students["Ahmeti"], Category: application.Neni33,
		SchoolCode: "A1-1", Documents: []string{"kerkese", "deftesa_jashte", "identifikim"}, Electives: []string{"ANG", "FIZ"},
		AverageGrade: 9, D1Grade: 9, D2Grade: 8}
	abroad, err := w.svc.RegisterSpecial(ctx, kmshA, abroadIn)
	if err != nil || abroad.Status != application.Verified || abroad.Form != "A1" || len(abroad.Mandatory) != 0 {
		t.Fatalf("Neni 33: %+v %v", abroad, err)
	}
	w.day("2027-05-06")
	_, err = w.svc.RegisterSpecial(ctx, kmshA, abroadIn)
	mustContain(t, err, "05.05.2027")
	w.day("2027-03-01")
	// Neni 26.1: a resit needs the fee receipt.
	_, err = w.svc.RegisterSpecial(ctx, kmshA, application.SpecialInput{StudentID: w.students["Bardhi"], Category: application.Neni26,
		Documents: []string{"deftese_origjinale", "mandat_pagese"}, Electives: []string{"HIS"}})
	mustContain(t, err, "Neni 26.1")
}

func TestNeni21_28_29_30_FormA2(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	s := w.svc
	if err := s.SaveProgrammes(ctx, ava, []application.Programme{
		{Code: "UT-INF", Name: "Informatikë", Institution: "Universiteti i Tiranës", City: "Tiranë", Quota: 120},
		{Code: "UT-DRE", Name: "Drejtësi", Institution: "Universiteti i Tiranës", City: "Tiranë", Quota: 200},
		{Code: "UST-EF", Name: "Edukim fizik", Institution: "Universiteti i Sporteve të Tiranës", City: "Tiranë", Quota: 80, NoElectives: true},
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveProgrammes(ctx, schoolA, nil); code(err) != apperr.Forbidden {
		t.Fatalf("school edits the catalogue: %v", err)
	}
	w.day("2027-03-01")
	cela, dema := student(w, "Çela"), student(w, "Dema")
	receipt := application.Receipt{Number: "MA-2027-0001", Date: "2027-02-20", Amount: 1000}
	s.FileA1(ctx, cela, application.A1Input{StudentID: w.students["Çela"], Electives: []string{"FIZ", "KIM"}, Submit: true})
	s.FileA1(ctx, dema, application.A1Input{StudentID: w.students["Dema"], Submit: true})
	// Neni 21.1: form A2 exists once MASH has approved it (1 April).
	_, err := s.FileA2(ctx, cela, application.A2Input{StudentID: w.students["Çela"], Programmes: []string{"UT-INF"}, Receipt: receipt})
	mustContain(t, err, "01.04.2027")
	w.day("2027-06-20")
	// No A1: no A2.
	_, err = s.FileA2(ctx, student(w, "Bardhi"), application.A2Input{StudentID: w.students["Bardhi"], Programmes: []string{"UT-INF"}, Receipt: application.Receipt{Number: "MA-7", Date: "2027-06-01", Amount: 1000}})
	mustContain(t, err, "A1")
	// Neni 29: no receipt, no A2; Neni 28: the full fee.
	_, err = s.FileA2(ctx, cela, application.A2Input{StudentID: w.students["Çela"], Programmes: []string{"UT-INF"}, Receipt: application.Receipt{Amount: 500}})
	mustContain(t, err, "Neni 29", "Neni 28", "data e mandat-arkëtimit")
	// Not in the catalogue, repeated, too many.
	eleven := []string{"UT-INF", "UT-DRE", "UST-EF", "A", "B", "C", "D", "E", "F", "G", "H"}
	_, err = s.FileA2(ctx, cela, application.A2Input{StudentID: w.students["Çela"], Programmes: eleven, Receipt: receipt})
	mustContain(t, err, "deri në 10", "nuk është në katalogun")
	_, err = s.FileA2(ctx, cela, application.A2Input{StudentID: w.students["Çela"], Programmes: []string{"UT-INF", "UT-DRE", "UT-INF"}, Receipt: receipt})
	mustContain(t, err, "dy herë")
	f, err := s.FileA2(ctx, cela, application.A2Input{StudentID: w.students["Çela"], Programmes: []string{"UT-INF", "UT-DRE"}, Receipt: receipt})
	if err != nil || f.AverageGrade != 8.5 || len(f.Programmes) != 2 {
		t.Fatalf("A2: %+v %v", f, err)
	}
	// The same receipt by another candidate is refused.
	_, err = s.FileA2(ctx, dema, application.A2Input{StudentID: w.students["Dema"], Programmes: []string{"UST-EF"}, Receipt: receipt})
	mustContain(t, err, "kandidat tjetër")
	// Neni 17 ¶5: without electives, only the academies.
	_, err = s.FileA2(ctx, dema, application.A2Input{StudentID: w.students["Dema"], Programmes: []string{"UT-INF"}, Receipt: application.Receipt{Number: "MA-2", Date: "2027-06-01", Amount: 1000}})
	mustContain(t, err, "kërkon provimet me zgjedhje")
	if _, err := s.FileA2(ctx, dema, application.A2Input{StudentID: w.students["Dema"], Programmes: []string{"UST-EF"}, Receipt: application.Receipt{Number: "MA-2", Date: "2027-06-01", Amount: 1000}}); err != nil {
		t.Fatal(err)
	}
	// Neni 30: the receipt stays; programmes may change until the deadline.
	_, err = s.FileA2(ctx, cela, application.A2Input{StudentID: w.students["Çela"], Programmes: []string{"UT-DRE"}, Receipt: application.Receipt{Number: "MA-9", Date: "2027-06-01", Amount: 1000}})
	mustContain(t, err, "Neni 30")
	if f, err = s.FileA2(ctx, cela, application.A2Input{StudentID: w.students["Çela"], Programmes: []string{"UT-DRE", "UT-INF"}, Receipt: receipt}); err != nil || f.Programmes[0] != "UT-DRE" {
		t.Fatalf("update A2: %+v %v", f, err)
	}
	w.day("2027-07-01")
	_, err = s.FileA2(ctx, cela, application.A2Input{StudentID: w.students["Çela"], Programmes: []string{"UT-INF"}, Receipt: receipt})
	mustContain(t, err, "30.06.2027")
}
