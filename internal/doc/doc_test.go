package doc_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"provim/internal/apperr"
	"provim/internal/doc"
)

func table() doc.Table {
	return doc.Table{
		Title:     "Lista — Qendra «Sami Frashëri»",
		Columns:   []doc.Column{{Title: "Nr.", Align: "R"}, {Title: "Emri", Width: 3}},
		Rows:      [][]string{{"1", "Ëngjëll Çela"}},
		Generated: time.Date(2027, 6, 8, 7, 30, 0, 0, time.UTC),
	}
}

func TestEncode(t *testing.T) {
	for _, c := range []struct{ format, contentType, magic string }{
		{"pdf", "application/pdf", "%PDF-"},
		{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK"},
		{"csv", "text/csv; charset=utf-8", "\uFEFFNr.;Emri\r\n1;Ëngjëll Çela\r\n"},
	} {
		body, ct, err := doc.Encode(c.format, table())
		if err != nil {
			t.Fatalf("%s: %v", c.format, err)
		}
		if ct != c.contentType || !bytes.HasPrefix(body, []byte(c.magic)) {
			t.Errorf("%s: %s, %q…; want %s, %q…", c.format, ct, body[:min(len(body), 12)], c.contentType, c.magic)
		}
		if !doc.Known(c.format) {
			t.Errorf("Known(%q) = false", c.format)
		}
	}
	if len(doc.Formats) != 3 {
		t.Errorf("Formats = %q", doc.Formats)
	}
}

func TestEncodeUnknownFormat(t *testing.T) {
	for _, f := range []string{"", "json", "PDF", "docx"} {
		body, ct, err := doc.Encode(f, table())
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Code != apperr.Invalid || body != nil || ct != "" {
			t.Fatalf("Encode(%q) = %d bytes, %q, %v; want an Invalid error", f, len(body), ct, err)
		}
		if want := "Formati «" + f + "» nuk njihet: pdf, xlsx ose csv."; ae.Message != want {
			t.Errorf("message %q, want %q", ae.Message, want)
		}
		if doc.Known(f) {
			t.Errorf("Known(%q) = true", f)
		}
	}
}

func TestEncodeBadTable(t *testing.T) {
	for _, f := range []string{"pdf", "csv"} {
		if body, _, err := doc.Encode(f, doc.Table{Title: "x"}); err == nil || body != nil {
			t.Errorf("%s: a table without columns encoded (%d bytes, %v)", f, len(body), err)
		}
	}
}

func TestFileName(t *testing.T) {
	if got := doc.FileName("tabela-T-A-1-2027", doc.XLSX); got != "tabela-T-A-1-2027.xlsx" {
		t.Errorf("FileName = %q", got)
	}
}
