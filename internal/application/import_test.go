package application_test

import (
	"context"
	"strings"
	"testing"

	"provim/internal/application"
	"provim/internal/registry"
)

func TestNeni22_ImportPaperA1FormsAllOrNothing(t *testing.T) {
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
	bad := "nr_personal,z1,z2\n" +
		pn["Çela"] + ",FIZ,KIM\n" + // fine
		pn["Dema"] + ",FIZ,\n" + // one elective only
		"X123,,\n" + // malformed personal number
		pn["Zeka"] + ",,\n" + // school B: outside school A
		pn["Gjoni"] + ",HIS,GJE\n" + // a candidate with a certificate
		pn["Çela"] + ",BIO,KIM\n" // repeated
	_, err := w.svc.ImportA1(ctx, schoolA, "a1.csv", strings.NewReader(bad), "")
	ie, ok := err.(*registry.ImportError)
	if !ok || len(ie.Rows) != 5 {
		t.Fatalf("want 5 bad rows, got %v", err)
	}
	for i, want := range []struct {
		line int
		text string
	}{{3, "Neni 17"}, {4, "nuk është i vlefshëm"}, {5, "nuk është në fushën tuaj"}, {6, "Neni 23–27"}, {7, "përsëritet (edhe në rreshtin 2)"}} {
		if ie.Rows[i].Line != want.line || !strings.Contains(strings.Join(ie.Rows[i].Reasons, ";"), want.text) {
			t.Errorf("row %d: %+v, want line %d with %q", i, ie.Rows[i], want.line, want.text)
		}
	}
	if _, total, _ := w.svc.List(ctx, ava, application.Filter{}); total != 0 {
		t.Fatalf("a failed import wrote %d forms", total)
	}
	good := "nr_personal,z1,z2\n" + pn["Çela"] + ",FIZ,KIM\n" + pn["Dema"] + ",,\n" + pn["Bardhi"] + ",HIS,GJE\n"
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
