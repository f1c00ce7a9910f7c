// Package xlsx encodes document values (doc.Table) as one-sheet Excel
// workbooks: the title and subtitles first, an empty row, the column
// header in bold, the rows, an empty row and the closing lines.
//
// Every cell is text, as the document shows it: registration and personal
// numbers keep their leading zeros and letters, and dates stay in the
// Albanian form (02.01.2006).
package xlsx

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"provim/internal/doc/internal/value"
)

// ContentType is the media type of the files this package writes.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Sheet is the name of the workbook's one sheet.
const Sheet = "Tabela"

// WriteTable writes t, a doc.Table, as a one-sheet workbook to w.
func WriteTable(w io.Writer, t value.Table) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", Sheet); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	s := sheet{f: f, row: 1}
	s.put([]string{t.Title})
	for _, line := range t.Subtitle {
		s.put([]string{line})
	}
	s.row++
	header := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = c.Title
	}
	s.put(header)
	if len(t.Columns) > 0 {
		bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
		s.check(err)
		first := s.cell(1, s.row-1)
		last := s.cell(len(t.Columns), s.row-1)
		s.check(f.SetCellStyle(Sheet, first, last, bold))
	}
	for _, r := range t.Rows {
		s.put(r)
	}
	for i, c := range t.Columns {
		col, err := excelize.ColumnNumberToName(i + 1)
		s.check(err)
		s.check(f.SetColWidth(Sheet, col, col, 6+c.Width*8))
	}
	s.row++
	for _, line := range t.Footer {
		s.put([]string{line})
	}
	if s.err != nil {
		return fmt.Errorf("xlsx: %w", s.err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

// sheet writes rows one after the other, keeping the first error.
type sheet struct {
	f   *excelize.File
	row int
	err error
}

func (s *sheet) check(err error) {
	if s.err == nil {
		s.err = err
	}
}

func (s *sheet) cell(col, row int) string {
	name, err := excelize.CoordinatesToCellName(col, row)
	s.check(err)
	return name
}

// put writes values as text cells on the next row.
func (s *sheet) put(values []string) {
	vals := make([]any, len(values))
	for i, v := range values {
		vals[i] = v
	}
	s.check(s.f.SetSheetRow(Sheet, s.cell(1, s.row), &vals))
	s.row++
}
