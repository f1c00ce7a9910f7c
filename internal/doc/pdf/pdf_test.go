package pdf

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"provim/internal/clock"
	"provim/internal/doc/internal/value"
)

// The tests spell the document types as the package's users do.
type (
	Table  = value.Table
	Column = value.Column
)

const EmptyText = value.EmptyText

// generated is a Tirana moment: the footer prints it as it stands.
var generated = time.Date(2026, 6, 15, 9, 30, 0, 0, clock.Tirana)

const longCell = "Provim i zhvilluar në ambientet e Gjimnazit «Sami Frashëri»; kandidati ka paraqitur kërkesë për rishikim të përgjigjeve në lëndën Gjuhë shqipe dhe letërsi"

var surnames = []string{"Çela", "Ëngjëll", "Dushku", "Hoxha", "Gjoka", "Xhafa", "Llesh", "Shehu", "Zeqo", "Bërdëllima"}
var names = []string{"Shkëlqim", "Ënxhi", "Çlirim", "Dëshira", "Gëzim", "Rrezarta", "Xhensila", "Ërmal", "Fatjon", "Klodiana"}

func sampleTable(n int) Table {
	t := Table{
		Title:    "Tabela T — Gjimnazi «Sami Frashëri»",
		Subtitle: []string{"DAR Tiranë · ZA Tiranë Qendër", "Matura Shtetërore 2026 · Sesioni i zakonshëm", "Neni 12 i Udhëzimit nr. 14, datë 02.03.2026"},
		Columns: []Column{
			{Title: "Nr.", Width: 0.6, Align: "R"},
			{Title: "Mbiemri", Width: 2},
			{Title: "Emri", Width: 1.6},
			{Title: "Klasa", Width: 0.8, Align: "C"},
			{Title: "Shënime", Width: 4},
		},
		Footer:    []string{"Kryetari i KSHMSH: ______________________", "Sekretari: ______________________", "Vula e shkollës"},
		Generated: generated,
	}
	t.Rows = append(t.Rows, []string{"1", "Dushku", "Shkëlqim", "12A", ""})
	for i := 2; i <= n; i++ {
		note := ""
		switch i % 7 {
		case 3:
			note = longCell
		case 5:
			note = "Ndryshim adrese\nDokumenti u dorëzua më vonë"
		}
		t.Rows = append(t.Rows, []string{strconv.Itoa(i), surnames[i%len(surnames)], names[i%len(names)], "12" + string(rune('A'+i%4)), note})
	}
	return t
}

func write(t *testing.T, tb Table) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteTable(&b, tb); err != nil {
		t.Fatalf("WriteTable: %v", err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) || !bytes.Contains(b.Bytes()[max(0, b.Len()-64):], []byte("%%EOF")) {
		t.Fatal("output is not a complete PDF")
	}
	return b.Bytes()
}

var pageObj = regexp.MustCompile(`/Type /Page\b[^s]`)

// pageCount counts the page objects (fpdf compresses streams, not objects).
func pageCount(doc []byte) int { return len(pageObj.FindAll(doc, -1)) }

// tool returns the path of a poppler tool, or skips the test where it is
// missing (never in CI).
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required in CI (apt-get install poppler-utils)", name)
		}
		t.Skipf("%s not installed: check skipped", name)
	}
	return p
}

func writeTemp(t *testing.T, doc []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(p, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// pdfText returns the text of each page, as pdftotext extracts it.
func pdfText(t *testing.T, doc []byte) []string {
	t.Helper()
	out, err := exec.Command(tool(t, "pdftotext"), "-enc", "UTF-8", writeTemp(t, doc), "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	pages := strings.Split(string(out), "\f")
	return pages[:len(pages)-1] // a form feed ends every page
}

var (
	bboxPage = regexp.MustCompile(`<page width="([0-9.]+)" height="([0-9.]+)">`)
	bboxWord = regexp.MustCompile(`<word xMin="([0-9.-]+)" yMin="([0-9.-]+)" xMax="([0-9.-]+)" yMax="([0-9.-]+)">([^<]*)</word>`)
)

// checkInside fails when a word of the document lies outside the page
// margins, i.e. when some text overflowed its cell or the page.
func checkInside(t *testing.T, doc []byte) {
	t.Helper()
	out, err := exec.Command(tool(t, "pdftotext"), "-bbox", "-enc", "UTF-8", writeTemp(t, doc), "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v\n%s", err, out)
	}
	const mm = 72 / 25.4
	var w, h float64
	words := 0
	for _, line := range strings.Split(string(out), "\n") {
		if m := bboxPage.FindStringSubmatch(line); m != nil {
			w, _ = strconv.ParseFloat(m[1], 64)
			h, _ = strconv.ParseFloat(m[2], 64)
			continue
		}
		m := bboxWord.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		words++
		var v [4]float64
		for i := range v {
			v[i], _ = strconv.ParseFloat(m[i+1], 64)
		}
		if v[0] < margin*mm-0.5 || v[2] > w-margin*mm+0.5 || v[1] < margin*mm-0.5 || v[3] > h-5*mm {
			t.Errorf("word %q at (%.1f %.1f %.1f %.1f) outside the margins of a %.0f×%.0f page", m[5], v[0], v[1], v[2], v[3], w, h)
		}
	}
	if words == 0 {
		t.Error("no words found in the document")
	}
}

func TestWriteTable(t *testing.T) {
	tb := sampleTable(70)
	doc := write(t, tb)
	n := pageCount(doc)
	if n != 3 {
		t.Fatalf("sample table has %d pages, the test expects 3", n)
	}
	if dir := os.Getenv("PROVIM_PDF_SAMPLE"); dir != "" { // keep a copy to look at
		if err := os.WriteFile(filepath.Join(dir, "pdf-sample.pdf"), doc, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("deterministic", func(t *testing.T) {
		if !bytes.Equal(doc, write(t, tb)) {
			t.Fatal("same input gave different bytes")
		}
		other := tb
		other.Generated = generated.Add(time.Minute)
		if bytes.Equal(doc, write(t, other)) {
			t.Fatal("another generation time gave the same bytes")
		}
	})

	t.Run("metadata", func(t *testing.T) {
		for _, s := range []string{"/Creator", "/Title", "/CreationDate (D:20260615093000", "/Lang (sq)"} {
			if !bytes.Contains(doc, []byte(s)) {
				t.Errorf("no %s in the PDF", s)
			}
		}
	})

	t.Run("text", func(t *testing.T) {
		pages := pdfText(t, doc)
		if len(pages) != n {
			t.Fatalf("pdftotext found %d pages, want %d", len(pages), n)
		}
		all := strings.Join(pages, "\n")
		for _, s := range []string{tb.Title, "Gjimnazi «Sami Frashëri»", "Çela", "Ëngjëll", "Shkëlqim", "Shkëlqim Dushku",
			"Çlirim", "Ërmal", "Bërdëllima", "DAR Tiranë · ZA Tiranë Qendër", "Kryetari i KSHMSH:", "Vula e shkollës",
			"Dokumenti u dorëzua më vonë"} {
			if s == "Shkëlqim Dushku" {
				// Name and surname are in separate cells; the row holds both.
				if !strings.Contains(all, "Dushku") || !strings.Contains(all, "Shkëlqim") {
					t.Errorf("text lacks %q", s)
				}
				continue
			}
			if !strings.Contains(all, s) {
				t.Errorf("text lacks %q", s)
			}
		}
		// Every word of the wrapped cell is printed.
		for _, word := range strings.Fields(longCell) {
			if !strings.Contains(all, word) {
				t.Errorf("wrapped cell lost the word %q", word)
			}
		}
		for i, p := range pages {
			footer := fmt.Sprintf("Krijuar më 15.06.2026 09:30 · Faqja %d nga %d", i+1, n)
			if !strings.Contains(p, footer) {
				t.Errorf("page %d lacks %q:\n%s", i+1, footer, p)
			}
			for _, c := range tb.Columns {
				if !strings.Contains(p, c.Title) {
					t.Errorf("page %d lacks the column header %q", i+1, c.Title)
				}
			}
		}
		if !strings.Contains(pages[1], tb.Title) {
			t.Error("page 2 lacks the running title")
		}
		if strings.Contains(pages[0], "Kryetari") || !strings.Contains(pages[n-1], "Kryetari i KSHMSH:") {
			t.Error("signature lines are not on the last page only")
		}
		checkInside(t, doc)
	})

	t.Run("render", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "page1")
		if b, err := exec.Command(tool(t, "pdftoppm"), "-r", "50", "-png", "-f", "1", "-l", "1", "-singlefile",
			writeTemp(t, doc), out).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v\n%s", err, b)
		}
		fh, err := os.Open(out + ".png")
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		img, err := png.Decode(fh)
		if err != nil {
			t.Fatalf("decode page 1: %v", err)
		}
		bd := img.Bounds()
		if bd.Dx() < 300 || bd.Dy() < 500 || bd.Dy() < bd.Dx() {
			t.Fatalf("page 1 is %v, want a portrait A4 at 50 dpi", bd)
		}
		dark := 0
		for y := bd.Min.Y; y < bd.Max.Y; y++ {
			for x := bd.Min.X; x < bd.Max.X; x++ {
				r, g, b, _ := img.At(x, y).RGBA()
				if (r+g+b)/3 < 0x6000 {
					dark++
				}
			}
		}
		total := bd.Dx() * bd.Dy()
		if dark < total/400 || dark > total/2 {
			t.Fatalf("page 1 has %d dark pixels of %d: blank or garbled", dark, total)
		}
	})
}

func TestWriteTableEmpty(t *testing.T) {
	tb := sampleTable(0)
	tb.Rows = nil
	doc := write(t, tb)
	if n := pageCount(doc); n != 1 {
		t.Fatalf("empty table has %d pages, want 1", n)
	}
	pages := pdfText(t, doc)
	if len(pages) != 1 {
		t.Fatalf("pdftotext found %d pages, want 1", len(pages))
	}
	for _, s := range []string{tb.Title, "Mbiemri", "Shënime", EmptyText, "Faqja 1 nga 1", "Kryetari i KSHMSH:"} {
		if !strings.Contains(pages[0], s) {
			t.Errorf("empty table lacks %q:\n%s", s, pages[0])
		}
	}
}

func TestWriteTableLandscape(t *testing.T) {
	tb := sampleTable(40)
	tb.Landscape = true
	doc := write(t, tb)
	if !bytes.Contains(doc, []byte("/MediaBox [0 0 841.89 595.28]")) {
		t.Error("landscape page is not A4 landscape")
	}
	checkInside(t, doc)
}

func TestWriteTableEdges(t *testing.T) {
	cols := []Column{{Title: "Nr.", Width: 1, Align: "R"}, {Title: "Emri", Width: 3}, {Title: "Shënime", Width: 2, Align: "C"}}
	tall := strings.Repeat("rresht i gjatë\n", 150)
	cases := []struct {
		name    string
		cols    []Column
		rows    [][]string
		wantErr string
		minPage int
	}{
		{name: "long unbroken word", cols: cols, rows: [][]string{{"1", strings.Repeat("Ë", 300), strings.Repeat("ç", 200)}}, minPage: 1},
		{name: "empty strings", cols: cols, rows: [][]string{{"", "", ""}, {}, {"2"}}, minPage: 1},
		{name: "newlines and control characters", cols: cols, rows: [][]string{{"1", "Ana\nÇela\r\nË\n\n", "a\tb\x00c\x07"}}, minPage: 1},
		{name: "invalid UTF-8", cols: cols, rows: [][]string{{"1", "Ana \xff\xfe Çela", ""}}, minPage: 1},
		{name: "row taller than a page", cols: cols, rows: [][]string{{"1", "Çela", tall}, {"2", "Ëngjëll", "x"}}, minPage: 3},
		{name: "narrow column", cols: []Column{{Title: "A", Width: 0.01}, {Title: "Emri", Width: 100}}, rows: [][]string{{"Shkëlqim", "Çela"}}, minPage: 1},
		{name: "zero widths", cols: []Column{{Title: "A"}, {Title: "B"}}, rows: [][]string{{"x", "y"}}, minPage: 1},
		{name: "more cells than columns", cols: cols, rows: [][]string{{"1", "a", "b"}, {"2", "a", "b", "c"}}, wantErr: "row 2 has 4 cells"},
		{name: "zero columns", rows: [][]string{{"1"}}, wantErr: "no columns"},
		{name: "bad alignment", cols: []Column{{Title: "A", Align: "X"}}, wantErr: "alignment"},
		{name: "negative width", cols: []Column{{Title: "A", Width: -1}}, wantErr: "width"},
		{name: "column titles too long", cols: []Column{{Title: strings.Repeat("Titull shumë i gjatë ", 400)}}, wantErr: "too long"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			err := WriteTable(&b, Table{Title: "Listë", Columns: c.cols, Rows: c.rows, Generated: generated})
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("WriteTable: %v", err)
			}
			if n := pageCount(b.Bytes()); n < c.minPage {
				t.Fatalf("%d pages, want at least %d", n, c.minPage)
			}
			if _, err := exec.LookPath("pdftotext"); err == nil {
				checkInside(t, b.Bytes())
			}
		})
	}
}

func TestWrap(t *testing.T) {
	tb := sampleTable(1)
	r := newRenderer(newDocument(tb), tb)
	r.f.AddPage()
	r.f.SetFont(family, "", tableSize)
	lines := r.wrap(longCell, 40)
	if len(lines) < 3 {
		t.Fatalf("long cell wrapped into %d lines: %q", len(lines), lines)
	}
	if got := strings.Join(lines, " "); got != longCell {
		t.Fatalf("wrapped lines do not join back to the cell:\n%q\n%q", got, longCell)
	}
	for _, l := range lines {
		if w := r.f.GetStringWidth(l); w > 40-2*cellPadX+0.01 {
			t.Errorf("line %q is %.1f mm wide, more than the cell", l, w)
		}
	}
	if got := r.wrap("", 40); len(got) != 1 || got[0] != "" {
		t.Errorf("wrap of an empty cell = %q", got)
	}
	if got := r.wrap("a\n\nb", 40); len(got) != 3 {
		t.Errorf("wrap of a cell with newlines = %q", got)
	}
	word := strings.Repeat("Ë", 100)
	if got := r.wrap(word, 20); len(got) < 2 || strings.Join(got, "") != word {
		t.Errorf("unbroken word wrapped into %q", got)
	}
}

func FuzzWriteTable(f *testing.F) {
	f.Add("Çela", "Ëngjëll\nShkëlqim", "", 2, false)
	f.Add(strings.Repeat("ë", 500), "x", "Nr.", 1, true)
	f.Add("\x00\xff", "\r\n\t", "«»", 3, false)
	f.Fuzz(func(t *testing.T, a, b, title string, cells int, landscape bool) {
		if cells < 0 || cells > 4 || len(a)+len(b) > 20000 {
			t.Skip()
		}
		row := []string{a, b, a + b, b + a}[:cells]
		tb := Table{Title: title, Columns: []Column{{Title: title, Align: "R"}, {Title: "Emri", Width: 2}, {Title: "C", Align: "C"}},
			Rows: [][]string{row, {b}, row}, Landscape: landscape, Footer: []string{a}, Generated: generated}
		err := WriteTable(&bytes.Buffer{}, tb)
		if cells > 3 {
			if err == nil {
				t.Fatal("row with more cells than columns accepted")
			}
			return
		}
		if err != nil && !strings.Contains(err.Error(), "too long") {
			t.Fatalf("WriteTable: %v", err)
		}
	})
}

// Documents may be written concurrently (one per HTTP request); they share
// only the embedded font bytes, which must stay untouched.
func TestWriteTableConcurrent(t *testing.T) {
	tb := sampleTable(30)
	want := write(t, tb)
	var wg sync.WaitGroup
	got := make([][]byte, 4)
	errs := make([]error, 4)
	for i := range got {
		wg.Go(func() {
			var b bytes.Buffer
			errs[i] = WriteTable(&b, tb)
			got[i] = b.Bytes()
		})
	}
	wg.Wait()
	for i := range got {
		if errs[i] != nil || !bytes.Equal(got[i], want) {
			t.Fatalf("concurrent document %d differs (err %v)", i, errs[i])
		}
	}
}
