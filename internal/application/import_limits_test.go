package application_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"provim/internal/apperr"
)

// bombXLSX is the report's memory bomb in a paper-forms file: a header of
// the given columns, then rows each holding one cell in column XFD.
func bombXLSX(t *testing.T, header []string, rows int) []byte {
	t.Helper()
	cell := func(ref, v string) string { return `<c r="` + ref + `" t="inlineStr"><is><t>` + v + `</t></is></c>` }
	var sheet strings.Builder
	sheet.WriteString(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">`)
	for i, h := range header {
		sheet.WriteString(cell(string(rune('A'+i))+"1", h))
	}
	sheet.WriteString(`</row>`)
	for r := 2; r < rows+2; r++ {
		fmt.Fprintf(&sheet, `<row r="%d">%s</row>`, r, cell(fmt.Sprintf("XFD%d", r), "x"))
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	rel := `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
	parts := map[string]string{
		"[Content_Types].xml":        `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		"_rels/.rels":                `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":            `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="` + rel + `"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rel + `/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml":   sheet.String(),
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range parts {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	zw.Close()
	return buf.Bytes()
}

// TestPaperFormFilesAreReadWithinTheRegistryLimits: the XLSX memory bomb
// of issue 9 as a file of paper A1 or A2 forms is refused by the
// registry's reader (which the form imports use) at its first wide row,
// with the column named; nothing is written.
func TestPaperFormFilesAreReadWithinTheRegistryLimits(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	w.day("2027-03-15")
	for _, tc := range []struct {
		name   string
		header []string
		run    func(data []byte) error
	}{
		{"A1", []string{"nr_personal", "z1", "z2"}, func(data []byte) error {
			_, err := w.svc.ImportA1(ctx, schoolA, "a1.xlsx", bytes.NewReader(data), "")
			return err
		}},
		{"A2", []string{"nr_personal", "mandat_nr", "mandat_data", "shuma", "programet"}, func(data []byte) error {
			_, err := w.svc.ImportA2(ctx, schoolA, "a2.xlsx", bytes.NewReader(data), "")
			return err
		}},
	} {
		err := tc.run(bombXLSX(t, tc.header, 20_000))
		if msg := apperr.MessageOf(err); !strings.Contains(msg, "XFD") || !strings.Contains(msg, "Rreshti 2") {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	var n int
	w.db.QueryRow(`SELECT COUNT(*) FROM applications`).Scan(&n)
	if n != 0 {
		t.Errorf("%d forms written", n)
	}
}
