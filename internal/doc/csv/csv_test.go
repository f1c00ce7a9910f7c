package csv_test

import (
	"bytes"
	stdcsv "encoding/csv"
	"strings"
	"testing"

	"provim/internal/doc"
	"provim/internal/doc/csv"
)

func TestWriteTable(t *testing.T) {
	tb := doc.Table{
		Title:    "Tabela T — Gjimnazi «Sami Frashëri»",
		Subtitle: []string{"DAR Tiranë"},
		Columns:  []doc.Column{{Title: "Nr.", Align: "R"}, {Title: "Emri; mbiemri"}, {Title: "Shënime"}},
		Rows: [][]string{
			{"1", "Ëngjëll Çela", "Ndryshim adrese\nDokumenti u dorëzua më vonë"},
			{"2", "=HYPERLINK(\"x\")", "+355 69 000"},
			{"3"},
			{"4", "Ana \xff", "a\r\nb"},
		},
		Footer: []string{"Kryetari i KSHMSH: ______"},
	}
	var b bytes.Buffer
	if err := csv.WriteTable(&b, tb); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasPrefix(out, "\uFEFFNr.;\"Emri; mbiemri\";Shënime\r\n") {
		t.Fatalf("file starts %q, want the BOM and a semicolon header with CRLF", out[:min(len(out), 60)])
	}
	for _, s := range []string{"Tabela T", "DAR Tiranë", "Kryetari"} {
		if strings.Contains(out, s) {
			t.Errorf("file holds %q: the heading and closing lines are for print only", s)
		}
	}
	r := stdcsv.NewReader(strings.NewReader(strings.TrimPrefix(out, csv.BOM)))
	r.Comma = csv.Separator
	got, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Nr.", "Emri; mbiemri", "Shënime"},
		{"1", "Ëngjëll Çela", "Ndryshim adrese\nDokumenti u dorëzua më vonë"},
		{"2", "'=HYPERLINK(\"x\")", "'+355 69 000"},
		{"3", "", ""},
		{"4", "Ana \uFFFD", "a\nb"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d records, want %d: %q", len(got), len(want), got)
	}
	for i := range want {
		if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("record %d = %q, want %q", i+1, got[i], want[i])
		}
	}
}

func TestWriteTableErrors(t *testing.T) {
	cols := []doc.Column{{Title: "A"}}
	for _, c := range []struct {
		tb   doc.Table
		want string
	}{
		{doc.Table{}, "no columns"},
		{doc.Table{Columns: cols, Rows: [][]string{{"1"}, {"1", "2"}}}, "row 2 has 2 cells"},
	} {
		var b bytes.Buffer
		err := csv.WriteTable(&b, c.tb)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("err = %v, want one containing %q", err, c.want)
		}
		if b.Len() != 0 {
			t.Errorf("a failed table wrote %d bytes", b.Len())
		}
	}
}

func TestCell(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "Çela": "Çela", "=1+1": "'=1+1", "-5": "'-5", "@x": "'@x", "+355": "'+355", "\tx": "'\tx",
		"— ": "— ", "a=b": "a=b", "a\r\nb\rc": "a\nb\nc",
	} {
		if got := csv.Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
	}
}
