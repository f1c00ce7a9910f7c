package pdf_test

import (
	"bytes"
	"testing"
	"time"

	"provim/internal/doc"
	docpdf "provim/internal/doc/pdf"
	"provim/internal/pdf"
)

// The compatibility layer writes what the encoder writes.
func TestWriteTableIsTheEncoder(t *testing.T) {
	tb := pdf.Table{Title: "Listë", Columns: []pdf.Column{{Title: "Emri"}}, Rows: [][]string{{"Çela"}},
		Generated: time.Date(2027, 6, 8, 7, 30, 0, 0, time.UTC)}
	var a, b bytes.Buffer
	if err := pdf.WriteTable(&a, tb); err != nil {
		t.Fatal(err)
	}
	if err := docpdf.WriteTable(&b, tb); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) || pdf.EmptyText != doc.EmptyText {
		t.Fatal("internal/pdf differs from internal/doc/pdf")
	}
}
