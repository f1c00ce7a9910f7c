package application_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
)

// listedIn puts student on the final list of exam in year, creating the
// exam year (from the 2009 profile) if the world has none: the record an
// exclusion of that year belongs to.
func listedIn(t *testing.T, w *world, year int, exam string, student int64) {
	t.Helper()
	ctx := context.Background()
	if _, err := w.Years.Get(ctx, ava, year); apperr.Is(err, apperr.NotFound) {
		if _, err := w.Years.Create(ctx, ava, year, "", 2009); err != nil {
			t.Fatal(err)
		}
	}
	var school string
	if err := w.db.QueryRow(`SELECT school_code FROM students WHERE id = $1`, student).Scan(&school); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.Exec(`INSERT INTO final_lists (year, exam, student_id, reg_no, school_code) VALUES ($1, $2, $3, $4, $5)`,
		year, exam, student, application.RegNo(year, int(student)), school); err != nil {
		t.Fatal(err)
	}
}

// addPerson adds a person to the registry (school A-1 unless given) and
// returns their id: born on 1 January of born, with a maturity
// certificate (kandidat) or without (maturant), and a class if given.
func addPerson(t *testing.T, w *world, last string, born int, category, class string) int64 {
	t.Helper()
	no := registry.MakeNID(time.Date(born, 1, 1, 0, 0, 0, 0, time.UTC), "M", 900+len(w.students))
	body := "nr_personal,emri,atesia,mbiemri,datelindja,kodi_shkolles,kategoria,klasa\n" +
		fmt.Sprintf("%s,Besim,Kol,%s,01.01.%d,A-1,%s,%s\n", no, last, born, category, class)
	if _, err := w.Registry.Import(context.Background(), ava, "students", "s.csv", strings.NewReader(body), nil); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := w.db.QueryRow(`SELECT id FROM students WHERE personal_no = $1`, no).Scan(&id); err != nil {
		t.Fatal(err)
	}
	w.students[last] = id
	return id
}

// registered takes the forms of Çela, Ahmeti (A1-1, a ZA under
// DAR-A) and Zeka (B-1, DAR-B) through the chain to registration
// numbers, as AVA, and leaves the clock on 1 May.
func registered(t *testing.T, w *world) {
	t.Helper()
	ctx := context.Background()
	s := w.svc
	w.day("2027-03-01")
	for _, n := range []string{"Çela", "Ahmeti", "Zeka"} {
		if _, err := s.FileA1(ctx, ava, application.A1Input{StudentID: w.students[n], Electives: []string{"FIZ", "KIM"}}); err != nil {
			t.Fatal(n, err)
		}
	}
	w.day("2027-03-12")
	for _, sc := range []string{"A-1", "A1-1", "B-1"} {
		if _, err := s.Confirm(ctx, ava, sc, nil, ""); err != nil {
			t.Fatal(sc, err)
		}
	}
	w.day("2027-03-25")
	for _, sc := range []string{"A-1", "A1-1", "B-1"} {
		if _, err := s.SendToKMSH(ctx, ava, sc, ""); err != nil {
			t.Fatal(sc, err)
		}
		if _, err := s.VerifySchool(ctx, ava, sc, ""); err != nil {
			t.Fatal(sc, err)
		}
	}
	for _, u := range []string{"DAR-A", "DAR-B"} {
		if _, err := s.SendUnitToAVA(ctx, ava, u, ""); err != nil {
			t.Fatal(u, err)
		}
	}
	w.day("2027-05-01")
	if n, err := s.AssignRegistrationNumbers(ctx, ava, ""); err != nil || n != 3 {
		t.Fatalf("registration numbers: %d %v", n, err)
	}
}

// nextYear creates exam year 2028 from 2027 and makes it the active one.
func nextYear(t *testing.T, w *world) {
	t.Helper()
	ctx := context.Background()
	if _, err := w.Years.Create(ctx, ava, 2028, "", 2027); err != nil {
		t.Fatal(err)
	}
	if err := w.Years.SetActive(ctx, ava, 2028); err != nil {
		t.Fatal(err)
	}
}

func a2Catalogue(t *testing.T, w *world) {
	t.Helper()
	if err := w.svc.SaveProgrammes(context.Background(), ava, []application.Programme{
		{Code: "UT-INF", Name: "Informatikë", Institution: "Universiteti i Tiranës", City: "Tiranë", Quota: 120},
	}); err != nil {
		t.Fatal(err)
	}
}

// TestNeni28_ReceiptUsedOnceAcrossYears: a receipt pays one candidate's
// fee of one year; numbers differing in case or spaces are one receipt.
func TestNeni28_ReceiptUsedOnceAcrossYears(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	s := w.svc
	a2Catalogue(t, w)
	w.day("2027-03-01")
	cela, dema := student(w, "Çela"), student(w, "Dema")
	for _, p := range []*auth.Principal{cela, dema} {
		if _, err := s.FileA1(ctx, p, application.A1Input{StudentID: p.StudentID, Electives: []string{"FIZ", "KIM"}, Submit: true}); err != nil {
			t.Fatal(err)
		}
	}
	w.day("2027-06-20")
	rc := application.Receipt{Number: "MA-2027 0001", Date: "2027-06-01", Amount: 1000}
	if _, err := s.FileA2(ctx, cela, application.A2Input{StudentID: cela.StudentID, Programmes: []string{"UT-INF"}, Receipt: rc}); err != nil {
		t.Fatal(err)
	}
	// Another candidate, the same receipt in another case and spacing.
	for _, no := range []string{"ma-2027 0001", "MA-20270001", " ma-2027\u00a00001 "} {
		_, err := s.FileA2(ctx, dema, application.A2Input{StudentID: dema.StudentID, Programmes: []string{"UT-INF"},
			Receipt: application.Receipt{Number: no, Date: "2027-06-01", Amount: 1000}})
		mustContain(t, err, "kandidat tjetër", "Neni 28–29")
	}
	// The same candidate may write her own receipt differently (Neni 30:
	// it is the same receipt, not a new one).
	if _, err := s.FileA2(ctx, cela, application.A2Input{StudentID: cela.StudentID, Programmes: []string{"UT-INF"},
		Receipt: application.Receipt{Number: "ma-20270001", Date: "2027-06-01", Amount: 1000}}); err != nil {
		t.Fatal(err)
	}
	_, err := s.FileA2(ctx, cela, application.A2Input{StudentID: cela.StudentID, Programmes: []string{"UT-INF"},
		Receipt: application.Receipt{Number: "MA-2027-0002", Date: "2027-06-01", Amount: 1000}})
	mustContain(t, err, "Neni 30")

	// A year later the same receipt, number and date, pays nothing; nor
	// does it with a date in the new window.
	nextYear(t, w)
	w.day("2028-03-01")
	if _, err := s.FileA1(ctx, cela, application.A1Input{StudentID: cela.StudentID, Electives: []string{"FIZ", "KIM"}, Submit: true}); err != nil {
		t.Fatal(err)
	}
	w.day("2028-06-20")
	_, err = s.FileA2(ctx, cela, application.A2Input{StudentID: cela.StudentID, Programmes: []string{"UT-INF"}, Receipt: rc})
	mustContain(t, err, "për Maturën e vitit 2027", "01.06.2027", "jashtë periudhës së pagesës")
	_, err = s.FileA2(ctx, cela, application.A2Input{StudentID: cela.StudentID, Programmes: []string{"UT-INF"},
		Receipt: application.Receipt{Number: "ma-2027 0001", Date: "2028-06-01", Amount: 1000}})
	mustContain(t, err, "për Maturën e vitit 2027")
	if strings.Contains(apperr.MessageOf(err), "jashtë periudhës") {
		t.Fatalf("a date in the window is refused: %v", err)
	}
	// Nor through a file of paper forms.
	var pn string
	w.db.QueryRow(`SELECT personal_no FROM students WHERE id = $1`, cela.StudentID).Scan(&pn)
	_, err = s.ImportA2(ctx, schoolA, "a2.csv", strings.NewReader("nr_personal,mandat_nr,mandat_data,shuma,programet\n"+pn+",ma-2027  0001,01.06.2028,1000,UT-INF\n"), "")
	mustContain(t, err, "1 rresht")
	if ie, ok := err.(*registry.ImportError); !ok || !strings.Contains(strings.Join(ie.Rows[0].Reasons, ";"), "vitit 2027") {
		t.Fatalf("import with last year's receipt: %v", err)
	}
	// A new receipt is accepted.
	if _, err := s.FileA2(ctx, cela, application.A2Input{StudentID: cela.StudentID, Programmes: []string{"UT-INF"},
		Receipt: application.Receipt{Number: "MA-2028-0001", Date: "2028-06-01", Amount: 1000}}); err != nil {
		t.Fatal(err)
	}
	// The database holds one key per receipt, whatever the spelling.
	if _, err := w.db.Exec(`INSERT INTO a2_forms (year, student_id, programmes, receipt_no, receipt_key, receipt_date, receipt_amount, source, submitted_at, updated_at)
		VALUES (2028, $1, 'UT-INF', 'x', 'MA-2028-0001', '2028-06-01', 1000, 'paper', '', '')`, dema.StudentID); err == nil {
		t.Fatal("a second form with the same receipt key was stored")
	}
}

// TestNeni28_ReceiptDateInPaymentWindow: the receipt is dated in the
// window the year sets (by default from 1 September of the school year
// to the A2 deadline), boundaries included.
func TestNeni28_ReceiptDateInPaymentWindow(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	s := w.svc
	a2Catalogue(t, w)
	w.day("2027-03-01")
	cela := student(w, "Çela")
	if _, err := s.FileA1(ctx, cela, application.A1Input{StudentID: cela.StudentID, Electives: []string{"FIZ", "KIM"}, Submit: true}); err != nil {
		t.Fatal(err)
	}
	w.day("2027-06-20")
	file := func(no, date string) error {
		_, err := s.FileA2(ctx, cela, application.A2Input{StudentID: cela.StudentID, Programmes: []string{"UT-INF"},
			Receipt: application.Receipt{Number: no, Date: date, Amount: 1000}})
		return err
	}
	mustContain(t, file("R-1", "2026-08-31"), "jashtë periudhës së pagesës", "01.09.2026–30.06.2027", "Neni 28")
	mustContain(t, file("R-1", "2027-06-21"), "në të ardhmen")
	// The year sets its own window: 1 April to 15 June.
	y, err := w.Years.Get(ctx, ava, 2027)
	if err != nil {
		t.Fatal(err)
	}
	cfg := y.Config
	cfg.Calendar = append(cfg.Calendar, examyear.Deadline{Key: examyear.KeyFeePayment, Name: "Pagesa e tarifës së Maturës Shtetërore",
		From: "2027-04-01", Date: "2027-06-15", Article: "Neni 28"})
	if _, err := w.Years.Update(ctx, ava, 2027, y.Name, cfg); err != nil {
		t.Fatal(err)
	}
	mustContain(t, file("R-1", "2027-03-31"), "01.04.2027–15.06.2027")
	mustContain(t, file("R-1", "2027-06-16"), "01.04.2027–15.06.2027")
	if err := file("R-1", "2027-06-15"); err != nil {
		t.Fatal(err)
	}
	// A window that closes after the A2 deadline is not a valid year.
	bad := cfg
	bad.Calendar = append([]examyear.Deadline(nil), cfg.Calendar...)
	bad.Calendar[len(bad.Calendar)-1].Date = "2027-07-01"
	if e, ok := bad.Validate().(*apperr.Error); !ok || !strings.Contains(strings.Join(e.Details, ";"), "Neni 28") {
		t.Fatalf("a payment window after the A2 deadline: %v", bad.Validate())
	}
}

// TestNeni22_PaperFormHandInDate: the A1 deadline applies to the day a
// paper form was handed in. Handed in late, the school may not accept it;
// the KMSH may, with a reason, and it shows as late in its history and in
// table T. Handed in on time and typed in during 11–24 March, it is on
// time.
func TestNeni22_PaperFormHandInDate(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	s := w.svc
	w.day("2027-03-12")
	dema := application.A1Input{StudentID: w.students["Dema"], Electives: []string{"FIZ", "KIM"}}
	// A brand-new paper form typed in today, with no day: handed in today, late.
	_, err := s.FileA1(ctx, schoolA, dema)
	mustContain(t, err, "12.03.2027", "10.03.2027", "Neni 22 ¶1", "KSHMSH nuk e pranon", "shënoni datën e dorëzimit")
	dema.HandedIn = "11.03.2027"
	_, err = s.FileA1(ctx, schoolA, dema)
	mustContain(t, err, "11.03.2027", "KSHMSH nuk e pranon")
	// The KMSH accepts it only with a reason.
	_, err = s.FileA1(ctx, kmshA, dema)
	mustContain(t, err, "arsyen")
	dema.LateReason = "nxënësja ishte e shtruar në spital deri më 10 mars"
	a, err := s.FileA1(ctx, kmshA, dema)
	if err != nil || !a.Late || a.HandedIn != "2027-03-11" || a.Source != application.Paper {
		t.Fatalf("late paper form: %+v %v", a, err)
	}
	h, _ := s.History(ctx, ava, a.ID)
	if len(h) != 1 || !strings.Contains(h[0].Note, "11.03.2027, pas afatit") || !strings.Contains(h[0].Note, "spital") {
		t.Fatalf("history of a late form: %+v", h)
	}
	// Handed in on the last day, typed in two days later: on time.
	b, err := s.FileA1(ctx, schoolA, application.A1Input{StudentID: w.students["Bardhi"], HandedIn: "2027-03-10"})
	if err != nil || b.Late || b.HandedIn != "2027-03-10" {
		t.Fatalf("on-time paper form: %+v %v", b, err)
	}
	// The school corrects the electives of the on-time form: its day stays.
	if b, err = s.FileA1(ctx, schoolA, application.A1Input{StudentID: w.students["Bardhi"], Electives: []string{"HIS", "GJE"}}); err != nil || b.HandedIn != "2027-03-10" || b.Late {
		t.Fatalf("update of a paper form: %+v %v", b, err)
	}
	tt, err := s.TableT(ctx, schoolA, "A-1")
	if err != nil || len(tt.Rows) != 2 {
		t.Fatalf("table T: %+v %v", tt, err)
	}
	doc := tt.Document(w.Clock.Now())
	for i, r := range tt.Rows {
		status := doc.Rows[i][len(doc.Rows[i])-1]
		late := strings.Contains(status, "me vonesë (dorëzuar 11.03.2027)")
		if r.Late != (r.ID == a.ID) || late != r.Late {
			t.Fatalf("table T row %d: %+v, status %q", i, r, status)
		}
	}
	// Days that cannot be: tomorrow, before MASH approved the forms, not a day.
	for _, tc := range []struct{ day, want string }{
		{"2027-03-13", "në të ardhmen"}, {"05.01.2027", "para miratimit"}, {"10/03", "nuk është një datë"},
	} {
		_, err := s.FileA1(ctx, schoolA, application.A1Input{StudentID: w.students["Çela"], HandedIn: tc.day})
		mustContain(t, err, tc.want)
	}
	// A file of paper forms follows the same rule, row by row.
	var pn string
	w.db.QueryRow(`SELECT personal_no FROM students WHERE id = $1`, w.students["Çela"]).Scan(&pn)
	file := "nr_personal,z1,z2,data_dorezimit\n" + pn + ",FIZ,KIM,11.03.2027\n"
	_, err = s.ImportA1(ctx, schoolA, "a1.csv", strings.NewReader(file), "")
	if ie, ok := err.(*registry.ImportError); !ok || len(ie.Rows) != 1 || !strings.Contains(strings.Join(ie.Rows[0].Reasons, ";"), "10.03.2027") {
		t.Fatalf("late row in a file: %v", err)
	}
	if n, err := s.ImportA1(ctx, kmshA, "a1.csv", strings.NewReader(file), "formularët erdhën me postë më 11 mars"); err != nil || n != 1 {
		t.Fatalf("late file by the KMSH: %d %v", n, err)
	}
	c, _ := s.ForStudent(ctx, ava, w.students["Çela"])
	if !c.Late || c.HandedIn != "2027-03-11" {
		t.Fatalf("imported late form: %+v", c)
	}
}

// TestNeni55_2_BarredCandidateRefusedAtSpecialRegistration: a candidate
// barred for the year cannot come back through the KMSH's special
// registration; an exclusion that does not bar (Neni 55.1), or of an
// earlier year, does not stop it.
func TestNeni55_2_BarredCandidateRefusedAtSpecialRegistration(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	s := w.svc
	w.day("2027-03-01")
	gjoni := w.students["Gjoni"]
	old := addPerson(t, w, "Kola", 1981, registry.Kandidat, "")
	for _, x := range []struct {
		student int64
		year    int
		cause   string
	}{{gjoni, 2026, "54.5"}, {old, 2026, "54.1"}, {old, 2025, "54.8"}} {
		listedIn(t, w, x.year, "HIS", x.student)
		if err := s.RecordExclusion(ctx, ava, x.student, application.Exclusion{Year: x.year, Exam: "HIS", Cause: x.cause}); err != nil {
			t.Fatal(err)
		}
	}
	in := application.SpecialInput{StudentID: gjoni, Category: application.Neni23, SchoolCode: "A-1", GraduationYear: 1998,
		Documents: []string{"vertetim_notash", "deftese_noterizuar", "identifikim", "kerkese"}, Electives: []string{"HIS", "GJE"},
		AverageGrade: 8, D1Grade: 8, D2Grade: 7}
	_, err := s.RegisterSpecial(ctx, kmshA, in)
	mustContain(t, err, "Kandidati nuk u regjistrua", "nuk ka të drejtë të japë Maturën këtë vit", "2026", "54.5", "Neni 55.2")
	if a, err := s.ForStudent(ctx, ava, gjoni); code(err) != apperr.NotFound {
		t.Fatalf("a barred candidate got a form: %+v %v", a, err)
	}
	in.StudentID, in.GraduationYear = old, 1999
	if _, err := s.RegisterSpecial(ctx, kmshA, in); err != nil {
		t.Fatalf("not barred (54.1 last year, 54.8 two years ago): %v", err)
	}
}

// TestNeni35_36_FinalListsNeedEveryRegionsFailingReport: AVA builds the
// final lists once every DAR/ZA with candidates has reported its failing
// students (an empty report counts; a DAR's report covers its ZA), or
// names the regions missing; building anyway needs a reason, on record.
func TestNeni35_36_FinalListsNeedEveryRegionsFailingReport(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	s := w.svc
	registered(t, w)
	_, err := s.BuildFinalLists(ctx, ava, "")
	mustContain(t, err, "Nuk kanë njoftuar: DAR-A, DAR-B, ZA-A1", "29.05.2027", "shënoni arsyen")
	w.day("2027-05-29")
	if n, err := s.SendFailingToAVA(ctx, kmshA, "DAR-A", ""); err != nil || n != 0 {
		t.Fatalf("DAR-A's empty report: %d %v", n, err)
	}
	_, err = s.BuildFinalLists(ctx, ava, "")
	mustContain(t, err, "Nuk kanë njoftuar: DAR-B.")
	if strings.Contains(apperr.MessageOf(err), "ZA-A1") {
		t.Fatalf("DAR-A's report does not cover its ZA: %v", err)
	}
	sum, err := s.BuildFinalLists(ctx, ava, "DAR Durrës njoftoi me telefon: asnjë mbetës")
	if err != nil || len(sum.Missing) != 1 || sum.Missing[0] != "DAR-B" || sum.Total != 3 || !strings.Contains(sum.Reason, "telefon") {
		t.Fatalf("built with a reason: %+v %v", sum, err)
	}
	var n int
	w.db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'build_final_lists' AND after LIKE '%DAR-B%' AND after LIKE '%telefon%'`).Scan(&n)
	if n != 1 {
		t.Fatalf("the build without DAR-B's report is not on record: %d", n)
	}
	if _, err := s.SendFailingToAVA(ctx, kmshB, "DAR-B", ""); err != nil {
		t.Fatal(err)
	}
	if sum, err = s.BuildFinalLists(ctx, ava, ""); err != nil || len(sum.Missing) != 0 || sum.Total != 3 {
		t.Fatalf("every region reported: %+v %v", sum, err)
	}
}

// TestNeni23_SpecialCategoryChecksWhoItIsFor: Neni 23 is for those who
// finished before 2005–2006 with a certificate; a current final-year
// student is none of the special categories, and the birth date must make
// the graduation year possible.
func TestNeni23_SpecialCategoryChecksWhoItIsFor(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	s := w.svc
	w.day("2027-03-01")
	in := application.SpecialInput{StudentID: w.students["Dema"], Category: application.Neni23, SchoolCode: "A-1", GraduationYear: 2004,
		Documents: []string{"vertetim_notash", "deftese_noterizuar", "identifikim", "kerkese"}, Electives: []string{"HIS", "GJE"},
		AverageGrade: 10, D1Grade: 10, D2Grade: 10}
	// The case: a maturant born in 2009 with D1 = D2 = 10.
	_, err := s.RegisterSpecial(ctx, kmshA, in)
	mustContain(t, err, "sipas datëlindjes (2009)", "nuk ka dëftesë pjekurie", "Neni 23")
	if _, err := s.Results(ctx, ava, in.StudentID); err != nil {
		t.Fatal(err)
	} else if res, _ := s.Results(ctx, ava, in.StudentID); len(res) != 0 {
		t.Fatalf("the grades were stored: %+v", res)
	}
	gjoni := w.students["Gjoni"] // kandidat, born 1980
	in.StudentID = gjoni
	for _, tc := range []struct {
		year int
		want string
	}{{0, "mungon viti i mbarimit"}, {2006, "2005–2006 nuk është para vitit shkollor 2005–2006"}, {1995, "sipas datëlindjes (1980)"}} {
		in.GraduationYear = tc.year
		_, err := s.RegisterSpecial(ctx, kmshA, in)
		mustContain(t, err, tc.want, "Neni 23")
	}
	// With a class this year, or this year's A1 as a maturant: not special.
	withClass := addPerson(t, w, "Klasa", 1985, registry.Kandidat, "12A")
	in.StudentID, in.GraduationYear = withClass, 2003
	_, err = s.RegisterSpecial(ctx, kmshA, in)
	mustContain(t, err, "klasën 12A", "Neni 22")
	cela := student(w, "Çela")
	if _, err := s.FileA1(ctx, cela, application.A1Input{StudentID: cela.StudentID, Submit: true}); err != nil {
		t.Fatal(err)
	}
	in.StudentID = cela.StudentID
	_, err = s.RegisterSpecial(ctx, kmshA, in)
	mustContain(t, err, "ka formularin A1 të këtij viti")
	// The last cohort that qualifies: 2004–2005.
	in.StudentID, in.GraduationYear = gjoni, 2005
	if a, err := s.RegisterSpecial(ctx, kmshA, in); err != nil || a.GraduationYear != 2005 {
		t.Fatalf("Neni 23, finished in 2004–2005: %+v %v", a, err)
	}
}

// TestNeni24_SpecialCategoryChecksWhoItIsFor: Neni 24 is for those who
// finished before 2005–2006 without a certificate; they sit the mandatory
// exams, so no commission sets their grades.
func TestNeni24_SpecialCategoryChecksWhoItIsFor(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	s := w.svc
	w.day("2027-03-01")
	in := application.SpecialInput{StudentID: w.students["Dema"], Category: application.Neni24, SchoolCode: "A-1", GraduationYear: 2004,
		Documents: []string{"vertetim_notash", "identifikim", "kerkese"}, Electives: []string{"HIS", "GJE"}}
	_, err := s.RegisterSpecial(ctx, kmshA, in)
	mustContain(t, err, "sipas datëlindjes (2009)", "Neni 24")
	in.StudentID = w.students["Gjoni"]
	_, err = s.RegisterSpecial(ctx, kmshA, in)
	mustContain(t, err, "ka dëftesë pjekurie: regjistrohet sipas Nenit 23")
	in.StudentID = addPerson(t, w, "Pa", 1984, registry.Maturant, "")
	in.D1Grade, in.D2Grade = 10, 10
	_, err = s.RegisterSpecial(ctx, kmshA, in)
	mustContain(t, err, "vetëm për Nenin 23 (KMSH) dhe Nenin 33.5", "jo për Neni 24")
	in.D1Grade, in.D2Grade = 0, 0
	a, err := s.RegisterSpecial(ctx, kmshA, in)
	if err != nil || strings.Join(a.Mandatory, ",") != "D1,D2" || a.GraduationYear != 2004 {
		t.Fatalf("Neni 24: %+v %v", a, err)
	}
}

// TestNeni25_26_SpecialCategoryChecksTheCohort: Neni 25 and 26 are for
// the Matura of 2005–2006 to 2007–2008, boundaries included.
func TestNeni25_26_SpecialCategoryChecksTheCohort(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	s := w.svc
	w.day("2027-03-01")
	id := addPerson(t, w, "Kohorta", 1988, registry.Kandidat, "")
	in := application.SpecialInput{StudentID: id, Category: application.Neni25, SchoolCode: "A-1",
		Documents: []string{"deftese_origjinale"}, Electives: []string{"HIS", "GJE"}}
	for _, tc := range []struct {
		year int
		want string
	}{{0, "mungon viti i Maturës"}, {2005, "2004–2005 nuk është e viteve 2005–2006"}, {2009, "2008–2009 nuk është e viteve"}} {
		in.GraduationYear = tc.year
		mustContain(t, func() error { _, err := s.RegisterSpecial(ctx, kmshA, in); return err }(), tc.want, "Neni 25")
	}
	in.GraduationYear, in.AverageGrade = 2006, 9
	_, err := s.RegisterSpecial(ctx, kmshA, in)
	mustContain(t, err, "jo për Neni 25")
	in.AverageGrade = 0
	if _, err := s.RegisterSpecial(ctx, kmshA, in); err != nil {
		t.Fatalf("Neni 25, 2005–2006: %v", err)
	}
	in.Category, in.GraduationYear, in.Electives = application.Neni26, 2008, nil
	if a, err := s.RegisterSpecial(ctx, kmshA, in); err != nil || a.Category != application.Neni26 {
		t.Fatalf("Neni 26, 2007–2008: %+v %v", a, err)
	}
	in.StudentID = w.students["Dema"] // no certificate, born 2009
	_, err = s.RegisterSpecial(ctx, kmshA, in)
	mustContain(t, err, "Neni 26 është për ata që kanë dëftesë pjekurie", "sipas datëlindjes (2009)")
}

// TestNeni33_AbroadFinishedBeforeTheExamYear: secondary education abroad
// is finished before the exam year (the documents of every year are
// handed in in April, Neni 33.3); a student with a class here is not
// abroad.
func TestNeni33_AbroadFinishedBeforeTheExamYear(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	s := w.svc
	w.day("2027-03-01")
	id := addPerson(t, w, "Jashte", 2008, registry.Kandidat, "")
	in := application.SpecialInput{StudentID: id, Category: application.Neni33, SchoolCode: "A-1", GraduationYear: 2027,
		Documents: []string{"kerkese", "deftesa_jashte", "identifikim"}, Electives: []string{"HIS", "GJE"}, AverageGrade: 9, D1Grade: 9, D2Grade: 8}
	_, err := s.RegisterSpecial(ctx, kmshA, in)
	mustContain(t, err, "para vitit të provimeve 2027", "Neni 33.3")
	in.GraduationYear = 2026
	if _, err := s.RegisterSpecial(ctx, kmshA, in); err != nil {
		t.Fatal(err)
	}
	in.StudentID = addPerson(t, w, "Klasa", 2009, registry.Maturant, "12B")
	_, err = s.RegisterSpecial(ctx, kmshA, in)
	mustContain(t, err, "klasën 12B", "Neni 33")
}

// TestNeni54_55_2_ExclusionBelongsToAListedExam: an exclusion names a real
// exam of a year the system holds, after its day, for a candidate on its
// final list; only then does it bar the next year.
func TestNeni54_55_2_ExclusionBelongsToAListedExam(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	s := w.svc
	w.day("2027-03-01")
	dema := w.students["Dema"]
	excl := func(year int, exam string) error {
		return s.RecordExclusion(ctx, ava, dema, application.Exclusion{Year: year, Exam: exam, Cause: "54.8"})
	}
	mustContain(t, excl(2020, "D1"), "Viti 2020 nuk është vit provimesh në sistem")
	listedIn(t, w, 2026, "D1", dema)
	listedIn(t, w, 2026, "FIZ", dema)
	mustContain(t, excl(2026, "XYZ"), "«XYZ» nuk është provim i vitit 2026")
	mustContain(t, excl(2026, "D2"), "nuk ishte në listën përfundimtare të provimit D2 të vitit 2026")
	mustContain(t, excl(2026, "KIM"), "provimit KIM")
	mustContain(t, excl(2027, "D1"), "zhvillohet më 08.06.2027")
	// GJSH is the D1 exam; the same exclusion is not recorded twice.
	if err := excl(2026, "gjsh"); err != nil {
		t.Fatal(err)
	}
	if err := excl(2026, "D1"); code(err) != apperr.Conflict {
		t.Fatalf("the same exclusion twice: %v", err)
	}
	if err := excl(2026, "FIZ"); err != nil {
		t.Fatal(err)
	}
	var stored []string
	rows, _ := w.db.Query(`SELECT exam FROM exam_exclusions WHERE student_id = $1 ORDER BY exam`, dema)
	for rows.Next() {
		var e string
		rows.Scan(&e)
		stored = append(stored, e)
	}
	rows.Close()
	if strings.Join(stored, ",") != "D1,FIZ" {
		t.Fatalf("stored exclusions: %v", stored)
	}
	_, err := s.FileA1(ctx, student(w, "Dema"), application.A1Input{StudentID: dema, Submit: true})
	mustContain(t, err, "Neni 55.2")
	// Bardhi, never listed, is not barred by a refused exclusion.
	if err := s.RecordExclusion(ctx, ava, w.students["Bardhi"], application.Exclusion{Year: 2026, Exam: "D1", Cause: "54.8"}); err == nil {
		t.Fatal("an exclusion for an exam the student was not listed for")
	}
	if _, err := s.FileA1(ctx, student(w, "Bardhi"), application.A1Input{StudentID: w.students["Bardhi"], Submit: true}); err != nil {
		t.Fatal(err)
	}
}

// TestNeni34_TypedRegistrationNumbersAreChecked: a registration number
// typed by a person (a lookup, a correction, a line of a file) is checked
// with its check digit; a mistyped one is refused with a sentence saying
// so.
func TestNeni34_TypedRegistrationNumbersAreChecked(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	s := w.svc
	registered(t, w)
	a, _ := s.ForStudent(ctx, ava, w.students["Çela"])
	good := a.RegNo
	// One digit mistyped, and two neighbours swapped.
	typo := good[:3] + string('0'+(good[3]-'0'+1)%10) + good[4:]
	swap := good
	for i := 0; i+1 < len(good); i++ {
		if good[i] != good[i+1] {
			swap = good[:i] + string(good[i+1]) + string(good[i]) + good[i+2:]
			break
		}
	}
	for _, bad := range []string{typo, swap} {
		_, _, err := s.List(ctx, ava, application.Filter{Q: bad})
		mustContain(t, err, "«"+bad+"» nuk është i saktë", "shifra e kontrollit")
		_, _, err = s.List(ctx, ava, application.Filter{RegNo: bad})
		mustContain(t, err, "shifra e kontrollit")
	}
	_, _, err := s.List(ctx, ava, application.Filter{RegNo: "12345"})
	mustContain(t, err, "ka 9 shifra")
	if list, total, err := s.List(ctx, ava, application.Filter{RegNo: good}); err != nil || total != 1 || list[0].ID != a.ID {
		t.Fatalf("lookup by number: %d %v", total, err)
	}
	if _, total, err := s.List(ctx, ava, application.Filter{Q: good[:5]}); err != nil || total != 3 {
		t.Fatalf("part of a number is a search: %d %v", total, err)
	}
	// A correction names the form's number.
	w.day("2027-05-08")
	fix := application.CorrectionInput{Electives: []string{"BIO", "KIM"}, Reason: "reklamim", RegNo: typo}
	_, err = s.Correct(ctx, schoolA, a.ID, fix)
	mustContain(t, err, "shifra e kontrollit")
	other, _ := s.ForStudent(ctx, ava, w.students["Zeka"])
	fix.RegNo = other.RegNo
	_, err = s.Correct(ctx, schoolA, a.ID, fix)
	mustContain(t, err, "nuk është i këtij formulari")
	fix.RegNo = good
	if c, err := s.Correct(ctx, schoolA, a.ID, fix); err != nil || c.Status != application.Corrected {
		t.Fatalf("correction naming the number: %+v %v", c, err)
	}
	// A file of A2 forms with the numbers.
	a2Catalogue(t, w)
	w.day("2027-06-20")
	var pn string
	w.db.QueryRow(`SELECT personal_no FROM students WHERE id = $1`, w.students["Çela"]).Scan(&pn)
	head := "nr_personal,mandat_nr,mandat_data,shuma,programet,nr_regjistrimi\n"
	for _, tc := range []struct{ no, want string }{{typo, "shifra e kontrollit"}, {other.RegNo, "nuk është i këtij nxënësi"}} {
		_, err := s.ImportA2(ctx, schoolA, "a2.csv", strings.NewReader(head+pn+",MA-9,01.06.2027,1000,UT-INF,"+tc.no+"\n"), "")
		if ie, ok := err.(*registry.ImportError); !ok || !strings.Contains(strings.Join(ie.Rows[0].Reasons, ";"), tc.want) {
			t.Fatalf("A2 file with %s: %v", tc.no, err)
		}
	}
	if n, err := s.ImportA2(ctx, schoolA, "a2.csv", strings.NewReader(head+pn+",MA-9,01.06.2027,1000,UT-INF,"+good+"\n"), ""); err != nil || n != 1 {
		t.Fatalf("A2 file with the right number: %d %v", n, err)
	}
}
