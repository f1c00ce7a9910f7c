package application_test

import (
	"context"
	"strings"
	"testing"

	"provim/internal/application"
	"provim/internal/registry"
)

func TestNeni22_ImportPaperA1FormsAllOrNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	w.day("2027-03-15")
	var pn = map[string]string{}
	rows, _ := w.db.Query(`SELECT last_name, personal_no FROM students`)
	for rows.Next() {
		var n, p string
		rows.Scan(&n, &p)
		pn[n] = p
	}
	rows.Close()
	// Typed in on 15 March, handed in by 10 March (Neni 22 ¶1).
	bad := "nr_personal,z1,z2,data_dorezimit\n" +
		pn["Çela"] + ",FIZ,KIM,10.03.2027\n" + // fine
		pn["Dema"] + ",FIZ,,10.03.2027\n" + // one elective only
		"X123,,,10.03.2027\n" + // malformed personal number
		pn["Zeka"] + ",,,10.03.2027\n" + // school B: outside school A
		pn["Gjoni"] + ",,,10.03.2027\n" + // a candidate with a certificate and no elective
		pn["Çela"] + ",BIO,KIM,10.03.2027\n" // repeated
	_, err := w.svc.ImportA1(ctx, schoolA, "a1.csv", strings.NewReader(bad), "")
	ie, ok := err.(*registry.ImportError)
	if !ok || len(ie.Rows) != 5 {
		t.Fatalf("want 5 bad rows, got %v", err)
	}
	for i, want := range []struct {
		line int
		text string
	}{{3, "Neni 17"}, {4, "nuk është i vlefshëm"}, {5, "nuk është në fushën tuaj"}, {6, "Neni 22"}, {7, "përsëritet (edhe në rreshtin 2)"}} {
		if ie.Rows[i].Line != want.line || !strings.Contains(strings.Join(ie.Rows[i].Reasons, ";"), want.text) {
			t.Errorf("row %d: %+v, want line %d with %q", i, ie.Rows[i], want.line, want.text)
		}
	}
	if _, total, _ := w.svc.List(ctx, ava, application.Filter{}); total != 0 {
		t.Fatalf("a failed import wrote %d forms", total)
	}
	good := "nr_personal,z1,z2,data_dorezimit\n" + pn["Çela"] + ",FIZ,KIM,2027-03-09\n" + pn["Dema"] + ",,,2027-03-10\n" + pn["Bardhi"] + ",HIS,GJE,10.03.2027\n"
	if n, err := w.svc.ImportA1(ctx, schoolA, "a1.csv", strings.NewReader(good), ""); err != nil || n != 3 {
		t.Fatalf("import: %d %v", n, err)
	}
	if n, err := w.svc.ImportA1(ctx, schoolA, "a1.csv", strings.NewReader(good), ""); err != nil || n != 0 {
		t.Fatalf("re-import changed %d forms (%v)", n, err)
	}
	list, _, _ := w.svc.List(ctx, schoolA, application.Filter{})
	if len(list) != 3 || list[0].Source != "paper" || list[0].Status != application.Submitted {
		t.Fatalf("imported forms: %+v", list)
	}
	// After the table T period the school is refused; the KMSH needs a reason.
	w.day("2027-03-26")
	_, err = w.svc.ImportA1(ctx, schoolA, "a1.csv", strings.NewReader(good), "")
	mustContain(t, err, "24.03.2027")
}

func TestNeni21_29_ImportPaperA2Forms(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	w.svc.SaveProgrammes(ctx, ava, []application.Programme{
		{Code: "UT-INF", Name: "Informatikë", Institution: "Universiteti i Tiranës", City: "Tiranë"},
		{Code: "UST-EF", Name: "Edukim fizik", Institution: "Universiteti i Sporteve të Tiranës", City: "Tiranë", NoElectives: true},
	})
	pn := map[string]string{}
	rows, _ := w.db.Query(`SELECT last_name, personal_no FROM students`)
	for rows.Next() {
		var n, p string
		rows.Scan(&n, &p)
		pn[n] = p
	}
	rows.Close()
	w.day("2027-03-05")
	w.svc.ImportA1(ctx, schoolA, "a1.csv", strings.NewReader("nr_personal,z1,z2\n"+pn["Çela"]+",FIZ,KIM\n"+pn["Dema"]+",,\n"), "")
	w.day("2027-06-25")
	bad := "nr_personal,mandat_nr,mandat_data,shuma,programet\n" +
		pn["Çela"] + ",MA-1,20.06.2027,1000,UT-INF;UST-EF\n" +
		pn["Dema"] + ",MA-1,20.06.2027,1000,UST-EF\n" + // the same receipt
		pn["Bardhi"] + ",MA-3,20.06.2027,1000,UT-INF\n" + // no A1
		pn["Çela"] + ",,,,\n"
	_, err := w.svc.ImportA2(ctx, schoolA, "a2.csv", strings.NewReader(bad), "")
	ie, ok := err.(*registry.ImportError)
	if !ok || len(ie.Rows) != 3 || ie.Rows[0].Line != 3 || !strings.Contains(ie.Rows[0].Reasons[0], "kandidat tjetër") ||
		!strings.Contains(strings.Join(ie.Rows[1].Reasons, ";"), "A1") || !strings.Contains(strings.Join(ie.Rows[2].Reasons, ";"), "përsëritet") {
		t.Fatalf("bad A2 rows: %v", err)
	}
	good := "nr_personal,mandat_nr,mandat_data,shuma,programet\n" + pn["Çela"] + ",MA-1,20.06.2027,1000,UT-INF;UST-EF\n" + pn["Dema"] + ",MA-2,2027-06-21,1200,UST-EF\n"
	if n, err := w.svc.ImportA2(ctx, schoolA, "a2.csv", strings.NewReader(good), ""); err != nil || n != 2 {
		t.Fatalf("import A2: %d %v", n, err)
	}
	if n, err := w.svc.ImportA2(ctx, schoolA, "a2.csv", strings.NewReader(good), ""); err != nil || n != 0 {
		t.Fatalf("re-import A2: %d %v", n, err)
	}
	f, err := w.svc.GetA2(ctx, student(w, "Çela"), w.students["Çela"])
	if err != nil || f.Source != "paper" || f.Receipt.Date != "2027-06-20" || f.AverageGrade != 8.5 || strings.Join(f.Programmes, ",") != "UT-INF,UST-EF" {
		t.Fatalf("stored A2: %+v %v", f, err)
	}
}
