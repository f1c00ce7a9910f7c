package xlsx_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"provim/internal/doc"
	"provim/internal/doc/xlsx"
)

func sample() doc.Table {
	return doc.Table{
		Title:     "Tabela T — Gjimnazi «Sami Frashëri»",
		Subtitle:  []string{"DAR Tiranë · ZA Tiranë Qendër", "Formularë: 2"},
		Columns:   []doc.Column{{Title: "Nr.", Width: 0.5, Align: "R"}, {Title: "Nr. regjistrimi", Width: 1.2}, {Title: "Emri (atësia) mbiemri", Width: 3}},
		Rows:      [][]string{{"1", "0012", "Ëngjëll (Çlirim) Çela"}, {"2", "=1+1"}},
		Footer:    []string{"Kryetari i KSHMSH: ______", "Vula e shkollës"},
		Generated: time.Date(2027, 3, 20, 10, 0, 0, 0, time.UTC),
	}
}

func TestWriteTable(t *testing.T) {
	var b bytes.Buffer
	if err := xlsx.WriteTable(&b, sample()); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("PK")) {
		t.Fatal("not a zip file")
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != xlsx.Sheet {
		t.Fatalf("sheets = %q, want [%s]", got, xlsx.Sheet)
	}
	rows, err := f.GetRows(xlsx.Sheet)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Tabela T — Gjimnazi «Sami Frashëri»"},
		{"DAR Tiranë · ZA Tiranë Qendër"},
		{"Formularë: 2"},
		nil,
		{"Nr.", "Nr. regjistrimi", "Emri (atësia) mbiemri"},
		{"1", "0012", "Ëngjëll (Çlirim) Çela"},
		{"2", "=1+1"},
		nil,
		{"Kryetari i KSHMSH: ______"},
		{"Vula e shkollës"},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d: %q", len(rows), len(want), rows)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q, want %q", i+1, rows[i], want[i])
		}
	}
	// Cells are text: the leading zeros stay and "=1+1" is no formula.
	for _, cell := range []string{"B6", "B7"} {
		if typ, _ := f.GetCellType(xlsx.Sheet, cell); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
			t.Errorf("%s has type %v, want text", cell, typ)
		}
		if fm, _ := f.GetCellFormula(xlsx.Sheet, cell); fm != "" {
			t.Errorf("%s has formula %q", cell, fm)
		}
	}
	style, _ := f.GetCellStyle(xlsx.Sheet, "C5")
	if s, err := f.GetStyle(style); err != nil || s.Font == nil || !s.Font.Bold {
		t.Errorf("header cell C5 is not bold (style %d, %v)", style, err)
	}
	if w, _ := f.GetColWidth(xlsx.Sheet, "C"); w != 6+3*8 {
		t.Errorf("column C is %v wide, want %v", w, 6+3*8)
	}
}

func TestWriteTableNoRowsNoColumns(t *testing.T) {
	for _, tb := range []doc.Table{{Title: "Listë", Columns: []doc.Column{{Title: "A"}}}, {Title: "Listë"}} {
		var b bytes.Buffer
		if err := xlsx.WriteTable(&b, tb); err != nil {
			t.Fatalf("%d columns: %v", len(tb.Columns), err)
		}
		if _, err := excelize.OpenReader(&b); err != nil {
			t.Fatal(err)
		}
	}
}
