// Package csv encodes document values (doc.Table) as CSV files that Excel
// opens correctly on an Albanian Windows: UTF-8 with a byte order mark,
// fields separated by semicolons, lines ended by CRLF.
//
// Why this form: Excel reads a .csv without a byte order mark in the
// computer's ANSI code page (Windows-1250 or -1252 in Albania), so "ë" and
// "ç" written as UTF-8 come out as "Ã«" and "Ã§"; the BOM makes every Excel
// since 2007 (Windows and Mac) read UTF-8. Excel splits fields on the
// list separator of the regional settings, which for Albanian (sq-AL),
// where the decimal mark is a comma, is the semicolon: a comma-separated
// file would open with each whole row in column A. (A "sep=;" first line
// would make any locale split on semicolons, but Excel then ignores the
// BOM, so it is not written.) LibreOffice and Google Sheets detect both.
//
// The file holds the column header and the rows only — the title,
// subtitles and closing lines of the document are for print (the PDF) and
// for the workbook (the XLSX) — so the file sorts, filters and imports as
// a plain table. Every row has as many fields as there are columns.
//
// A cell beginning with = + - or @ would be read by Excel as a formula
// (a name typed as "=HYPERLINK(…)", a phone number "+355 …"): such a cell
// is written with a leading apostrophe, OWASP's advice against CSV
// injection. The XLSX file, whose cells are typed text, needs none of this
// and keeps leading zeros that Excel drops from CSV numbers.
package csv

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"provim/internal/doc/internal/value"
)

// ContentType is the media type of the files this package writes.
const ContentType = "text/csv; charset=utf-8"

// BOM is the UTF-8 byte order mark every file starts with.
const BOM = "\uFEFF"

// Separator is the field separator.
const Separator = ';'

// WriteTable writes t, a doc.Table, as CSV to w.
func WriteTable(w io.Writer, t value.Table) error {
	if len(t.Columns) == 0 {
		return errors.New("csv: table has no columns")
	}
	for i, r := range t.Rows {
		if len(r) > len(t.Columns) {
			return fmt.Errorf("csv: row %d has %d cells, table has %d columns", i+1, len(r), len(t.Columns))
		}
	}
	var b bytes.Buffer // whole, so that an error never leaves half a file in w
	b.WriteString(BOM)
	cw := csv.NewWriter(&b)
	cw.Comma = Separator
	cw.UseCRLF = true
	record := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		record[i] = Cell(c.Title)
	}
	cw.Write(record)
	for _, r := range t.Rows {
		for i := range record {
			record[i] = ""
			if i < len(r) {
				record[i] = Cell(r[i])
			}
		}
		cw.Write(record)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	return nil
}

// Cell is s as it is written to a field: valid UTF-8, with line breaks as
// "\n" (inside the quotes encoding/csv adds), and with an apostrophe
// before a leading = + - or @ so that Excel shows it as text.
func Cell(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	if s != "" && strings.ContainsRune("=+-@\t", rune(s[0])) {
		s = "'" + s
	}
	return s
}
