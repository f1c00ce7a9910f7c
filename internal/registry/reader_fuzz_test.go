package registry_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"provim/internal/registry"
)

// FuzzReadTableXLSX: any bytes given as an XLSX file either parse into a
// header and rows whose line numbers rise and which are no wider than the
// header, or fail with an error; never a panic, and never 10 seconds on
// one input (a file that is slow to refuse is a way to stop the server).
func FuzzReadTableXLSX(f *testing.F) {
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"nr_personal", "emri"})
	x.SetSheetRow("Sheet1", "A2", &[]any{"J00101001A", "Arbër"})
	x.SetSheetRow("Sheet1", "A4", &[]any{"J00101002B", "Ëlsa", ""})
	var buf bytes.Buffer
	x.Write(&buf)
	f.Add(buf.Bytes())
	f.Add(bombXLSX(f, 3, true))
	f.Add(bombXLSX(f, 3, false))
	f.Add(handXLSX(f, `<worksheet><sheetData><row r="2"><c r="B2" t="s"><v>7</v></c></row></sheetData></worksheet>`))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		watch := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("slow input %q", data)) })
		defer watch.Stop()
		header, rows, err := registry.ReadTable("f.xlsx", bytes.NewReader(data))
		if err != nil {
			return
		}
		if len(header) == 0 {
			t.Fatalf("no error but empty header")
		}
		last := 0
		for _, r := range rows {
			if r.Line <= last {
				t.Fatalf("line numbers not rising: %d after %d", r.Line, last)
			}
			if len(r.Cells) > len(header) {
				t.Fatalf("row %d has %d cells, the header %d", r.Line, len(r.Cells), len(header))
			}
			last = r.Line
		}
	})
}

// FuzzReadTableCSVWidth: as FuzzReadTableCSV, and no row is wider than
// the header nor the header wider than the limit.
func FuzzReadTableCSVWidth(f *testing.F) {
	f.Add([]byte("a,b\n1,2,,\n"))
	f.Add([]byte("a;b\n1;2;3\n"))
	f.Add([]byte("\n\n a , \"b\"\n\"x\ny\",\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		header, rows, err := registry.ReadTable("f.csv", bytes.NewReader(data))
		if err != nil {
			return
		}
		if len(header) == 0 || len(header) > registry.DefaultTableLimits.MaxColumns {
			t.Fatalf("header of %d columns", len(header))
		}
		for _, r := range rows {
			if len(r.Cells) > len(header) {
				t.Fatalf("row %d has %d cells, the header %d", r.Line, len(r.Cells), len(header))
			}
		}
	})
}
