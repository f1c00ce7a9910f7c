package registry_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"provim/internal/apperr"
	"provim/internal/registry"
)

// handXLSX builds an XLSX file by hand (as an attacker would, without a
// spreadsheet program padding anything): one sheet whose XML is sheet.
func handXLSX(t testing.TB, sheet string) []byte {
	t.Helper()
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", sheet},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(p.body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func inline(ref, v string) string {
	return `<c r="` + ref + `" t="inlineStr"><is><t>` + v + `</t></is></c>`
}

// bombXLSX is the file of the report: rows each holding one cell in the
// last column (XFD); with header, row 1 is a valid students header first.
func bombXLSX(t testing.TB, rows int, header bool) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	first := 1
	if header {
		b.WriteString(`<row r="1">`)
		for i, h := range []string{"nr_personal", "emri", "atesia", "mbiemri", "datelindja", "kodi_shkolles"} {
			b.WriteString(inline(string(rune('A'+i))+"1", h))
		}
		b.WriteString(`</row>`)
		first = 2
	}
	for r := first; r < first+rows; r++ {
		fmt.Fprintf(&b, `<row r="%d">%s</row>`, r, inline(fmt.Sprintf("XFD%d", r), "x"))
	}
	b.WriteString(`</sheetData></worksheet>`)
	return handXLSX(t, b.String())
}

// peakHeap runs f and returns the highest heap in use seen while it ran
// (sampled with runtime.ReadMemStats) and the bytes f allocated in all.
func peakHeap(f func()) (peak, allocated uint64) {
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	peak = before.HeapAlloc
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	f()
	close(done)
	wg.Wait()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	return max(peak, after.HeapAlloc), after.TotalAlloc - before.TotalAlloc
}

// TestXLSXMemoryBombIsRefusedWithinBoundedMemory: the 165 KB file of the
// report (20,000 rows, one cell each in column XFD), with and without a
// valid header row, is refused with an Albanian message and the heap stays
// under 64 MB while reading it (it took the server down before). Not
// parallel: the heap is measured for this test alone.
func TestXLSXMemoryBombIsRefusedWithinBoundedMemory(t *testing.T) {
	for _, header := range []bool{false, true} {
		data := bombXLSX(t, 20_000, header)
		t.Logf("file: %d KB", len(data)>>10)
		var err error
		peak, allocated := peakHeap(func() { _, _, err = registry.ReadTable("bomb.xlsx", bytes.NewReader(data)) })
		t.Logf("header=%v: peak heap %.1f MB, allocated %.1f MB: %v", header, float64(peak)/1e6, float64(allocated)/1e6, err)
		if err == nil {
			t.Fatalf("header=%v: the file was accepted", header)
		}
		msg := apperr.MessageOf(err)
		if !strings.Contains(msg, "XFD") && !strings.Contains(msg, "kolona") {
			t.Errorf("header=%v: the message does not say what is wrong: %s", header, msg)
		}
		if peak >= 64<<20 {
			t.Errorf("header=%v: peak heap %d MB, want under 64 MB", header, peak>>20)
		}
	}
}

// TestXLSXCellsPastTheHeaderAreRefused: a value right of the header's last
// column is named by its column and row; nothing is read in part.
func TestXLSXCellsPastTheHeaderAreRefused(t *testing.T) {
	t.Parallel()
	sheet := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1">` + inline("A1", "kodi") + inline("B1", "emri") + `</row>` +
		`<row r="2">` + inline("A2", "X") + inline("B2", "Y") + `</row>` +
		`<row r="4">` + inline("A4", "Z") + inline("E4", "shënim") + `</row></sheetData></worksheet>`
	_, _, err := registry.ReadTable("f.xlsx", bytes.NewReader(handXLSX(t, sheet)))
	if msg := apperr.MessageOf(err); !strings.Contains(msg, "Rreshti 4") || !strings.Contains(msg, "kolonën E") || !strings.Contains(msg, "A–B") {
		t.Fatalf("got %v", err)
	}
	// The same in a CSV; trailing empty cells are fine.
	if _, rows, err := registry.ReadTable("f.csv", strings.NewReader("kodi,emri\nX,Y,,\n")); err != nil || len(rows) != 1 || len(rows[0].Cells) != 2 {
		t.Fatalf("trailing empty cells: %v %v", rows, err)
	}
	if _, _, err := registry.ReadTable("f.csv", strings.NewReader("kodi,emri\nX,Y,Z\n")); !strings.Contains(apperr.MessageOf(err), "kolonën 3") {
		t.Fatalf("CSV cell past the header: %v", err)
	}
}

// TestTableLimitsAreConfigurable: rows and columns past the service's
// limits are refused as too large (413), for CSV and XLSX alike.
func TestTableLimitsAreConfigurable(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	s.SetLimits(registry.Limits{Table: registry.TableLimits{MaxRows: 2, MaxColumns: 3}})
	csv := "a,b,c\n1,2,3\n\n4,5,6\n"
	if _, rows, err := s.ReadTable("f.csv", strings.NewReader(csv)); err != nil || len(rows) != 2 {
		t.Fatalf("within the limits: %v %v", rows, err)
	}
	if _, _, err := s.ReadTable("f.csv", strings.NewReader(csv+"7,8,9\n")); apperr.CodeOf(err) != registry.TooLarge || !strings.Contains(apperr.MessageOf(err), "më shumë se 2 rreshta") {
		t.Errorf("rows past the limit: %v", err)
	}
	if _, _, err := s.ReadTable("f.csv", strings.NewReader("a,b,c,d\n1,2,3,4\n")); apperr.CodeOf(err) != registry.TooLarge || !strings.Contains(apperr.MessageOf(err), "4 kolona") {
		t.Errorf("columns past the limit: %v", err)
	}
	f := excelize.NewFile()
	for r := 1; r <= 4; r++ {
		f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", r), &[]any{"a", "b", "c"})
	}
	var buf bytes.Buffer
	f.Write(&buf)
	if _, _, err := s.ReadTable("f.xlsx", bytes.NewReader(buf.Bytes())); apperr.CodeOf(err) != registry.TooLarge {
		t.Errorf("XLSX rows past the limit: %v", err)
	}
	// A part that would unzip past the limits is refused before excelize
	// opens it.
	s.SetLimits(registry.Limits{Table: registry.TableLimits{MaxInMemory: 4 << 10}})
	if _, _, err := s.ReadTable("f.xlsx", bytes.NewReader(buf.Bytes())); apperr.CodeOf(err) != registry.TooLarge {
		t.Errorf("XLSX parts past MaxInMemory: %v", err)
	}
}

// TestXLSXFormulaCellsFarRightAreRefused: a formula without a value in
// column XFD (which excelize pads the row up to, though it reads as blank)
// is refused at its first row, before the other rows are read.
func TestXLSXFormulaCellsFarRightAreRefused(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	b.WriteString(`<row r="1">` + inline("A1", "kodi") + `</row>`)
	for r := 2; r < 20_002; r++ {
		fmt.Fprintf(&b, `<row r="%d"><c r="XFD%d"><f>1</f></c></row>`, r, r)
	}
	b.WriteString(`</sheetData></worksheet>`)
	_, _, err := registry.ReadTable("f.xlsx", bytes.NewReader(handXLSX(t, b.String())))
	if msg := apperr.MessageOf(err); !strings.Contains(msg, "Rreshti 2") || !strings.Contains(msg, "XFD") {
		t.Fatalf("got %v", err)
	}
}
