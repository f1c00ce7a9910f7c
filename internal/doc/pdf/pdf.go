// Package pdf encodes document values (doc.Table) as PDF files on A4
// paper: table T, the venue and room lists, the draw protocol, the custody
// procesverbal …
//
// Text is set in DejaVu Sans, embedded in the binary (see fonts/LICENSE), so
// every Albanian letter (ë, ç, Ë, Ç) and the usual typographic marks (« » — ·)
// print correctly and can be copied out of the PDF as text.
//
// Output is deterministic: the same Table gives the same bytes, because the
// PDF creation and modification dates are taken from Table.Generated. Every
// time printed is Tirana time, whatever the host's zone.
package pdf

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"

	"provim/internal/clock"
	"provim/internal/doc/internal/value"
)

// Fonts are the embedded DejaVu Sans faces (regular and bold) every PDF of
// provim is set in, for the packages that draw their own pages with fpdf
// (label sheets, activation letters) rather than a doc.Table.
func Fonts() (regular, bold []byte) { return fontRegular, fontBold }

// ContentType is the media type of the files this package writes.
const ContentType = "application/pdf"

// The fonts are embedded once into the binary; fpdf parses them from these
// bytes when a document registers them, so no file is read at run time.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

// Layout, in millimetres and points.
const (
	family     = "DejaVu"
	margin     = 12.0 // left, right and top
	bodyBottom = 16.0 // distance of the body's lower edge from the paper's
	footerY    = 10.0 // distance of the page footer's baseline from the paper's bottom
	cellPadX   = 1.3
	cellPadY   = 1.0

	titleSize, titleLine       = 14.0, 6.5
	subtitleSize, subtitleLine = 10.0, 5.0
	tableSize, tableLine       = 9.0, 4.2
	footSize, footLine         = 10.0, 8.0
	pageFootSize               = 7.5
	runningSize, runningLine   = 7.5, 4.0

	nbAlias = "{nb}"
)

// WriteTable renders t, a doc.Table, as a PDF to w.
//
// The column header row is repeated on every page and the document title is
// repeated in small print above it from page 2 on. Cell text wraps within its
// column (at spaces, or inside a word longer than the column); "\n" in a cell
// starts a new line. A row taller than the space left on a page moves to the
// next page; a row taller than a whole page is split across pages. A row may
// have fewer cells than there are columns (the rest are empty) but not more.
func WriteTable(w io.Writer, t value.Table) error {
	if len(t.Columns) == 0 {
		return errors.New("pdf: table has no columns")
	}
	for i, c := range t.Columns {
		if math.IsNaN(c.Width) || math.IsInf(c.Width, 0) || c.Width < 0 {
			return fmt.Errorf("pdf: column %d (%q): invalid width %v", i+1, c.Title, c.Width)
		}
		switch c.Align {
		case "", "L", "C", "R":
		default:
			return fmt.Errorf("pdf: column %d (%q): invalid alignment %q (want L, C or R)", i+1, c.Title, c.Align)
		}
	}
	for i, r := range t.Rows {
		if len(r) > len(t.Columns) {
			return fmt.Errorf("pdf: row %d has %d cells, table has %d columns", i+1, len(r), len(t.Columns))
		}
	}
	if t.Generated.IsZero() {
		t.Generated = clock.Real{}.Now()
	}
	t.Generated = t.Generated.In(clock.Tirana) // the footer and the PDF dates

	f := newDocument(t)
	if err := f.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}

	r := newRenderer(f, t)
	r.render()
	if err := f.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	if r.err != nil {
		return r.err
	}
	if err := f.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// newDocument sets up an empty A4 document with the embedded fonts.
func newDocument(t value.Table) *fpdf.Fpdf {
	orientation := "P"
	if t.Landscape {
		orientation = "L"
	}
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: orientation, UnitStr: "mm", SizeStr: "A4"})
	f.AliasNbPages(nbAlias)
	f.AddUTF8FontFromBytes(family, "", fontRegular)
	f.AddUTF8FontFromBytes(family, "B", fontBold)
	f.SetCompression(true)
	f.SetCatalogSort(true)
	f.SetCreationDate(t.Generated)
	f.SetModificationDate(t.Generated)
	f.SetTitle(strings.Join(strings.Fields(clean(t.Title)), " "), true) // fpdf panics on invalid UTF-8
	f.SetCreator("provim", true)
	f.SetProducer("provim", true)
	f.SetLang("sq")
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(false, bodyBottom)
	f.SetCellMargin(cellPadX)
	return f
}

type renderer struct {
	f      *fpdf.Fpdf
	t      value.Table
	pageW  float64
	bottom float64   // lowest y of the body
	x      []float64 // left edge of each column
	w      []float64 // width of each column
	aligns []string

	inTable bool       // a new page starts with the column header
	header  [][]string // wrapped column titles
	headerH float64
	zebra   int
	err     error
}

func newRenderer(f *fpdf.Fpdf, t value.Table) *renderer {
	pw, ph := f.GetPageSize()
	r := &renderer{f: f, t: t, pageW: pw, bottom: ph - bodyBottom}
	total := 0.0
	for _, c := range t.Columns {
		total += colWeight(c)
	}
	for _, c := range t.Columns {
		r.w = append(r.w, (pw-2*margin)*colWeight(c)/total)
		a := c.Align
		if a == "" {
			a = "L"
		}
		r.aligns = append(r.aligns, a)
	}
	f.SetFont(family, "B", tableSize)
	r.fitHeaderWords()
	x := margin
	for _, cw := range r.w {
		r.x = append(r.x, x)
		x += cw
	}
	maxLines := 1
	for i, c := range t.Columns {
		ls := r.wrap(c.Title, r.w[i])
		maxLines = max(maxLines, len(ls))
		r.header = append(r.header, ls)
	}
	r.headerH = float64(maxLines)*tableLine + 2*cellPadY
	f.SetFooterFunc(r.pageFooter)
	return r
}

func colWeight(c value.Column) float64 {
	if c.Width == 0 {
		return 1
	}
	return c.Width
}

func (r *renderer) render() {
	f := r.f
	r.newPage()

	// Heading block.
	f.SetTextColor(0, 0, 0)
	if strings.TrimSpace(r.t.Title) != "" {
		f.SetFont(family, "B", titleSize)
		r.paragraph(r.t.Title, titleLine, "C")
		f.SetY(f.GetY() + 1.5)
	}
	f.SetFont(family, "", subtitleSize)
	for _, s := range r.t.Subtitle {
		r.paragraph(s, subtitleLine, "C")
	}
	f.SetY(f.GetY() + 4)

	// The table: the header must fit with at least one line of a row under it.
	if margin+runningLine+2+r.headerH+tableLine+2*cellPadY > r.bottom {
		r.err = errors.New("pdf: column titles are too long to fit on a page")
		return
	}
	if f.GetY()+r.headerH+tableLine+2*cellPadY > r.bottom {
		r.newPage()
	}
	r.columnHeader()
	r.inTable = true
	if len(r.t.Rows) == 0 {
		r.fullWidthRow(value.EmptyText)
	}
	f.SetFont(family, "", tableSize)
	for _, row := range r.t.Rows {
		cells := make([][]string, len(r.w))
		for i := range r.w {
			var s string
			if i < len(row) {
				s = row[i]
			}
			cells[i] = r.wrap(s, r.w[i])
		}
		r.row(cells)
	}
	r.inTable = false

	// Closing lines (signatures …), kept together when they fit on one page.
	if len(r.t.Footer) > 0 {
		f.SetFont(family, "", footSize)
		var lines []string
		for _, s := range r.t.Footer {
			lines = append(lines, r.wrap(s, r.pageW-2*margin)...)
		}
		need := 6 + float64(len(lines))*footLine
		if f.GetY()+need > r.bottom && margin+need <= r.bottom {
			r.newPage()
		} else {
			f.SetY(f.GetY() + 6)
		}
		for _, l := range lines {
			r.line(l, footLine, "L")
		}
	}
}

// newPage starts a page; within the table it repeats the title in small print
// and the column header.
func (r *renderer) newPage() {
	f := r.f
	f.AddPage()
	f.SetXY(margin, margin)
	if !r.inTable {
		return
	}
	if strings.TrimSpace(r.t.Title) != "" {
		f.SetFont(family, "", runningSize)
		f.SetTextColor(90, 90, 90)
		title := r.wrap(r.t.Title, r.pageW-2*margin)
		if len(title) > 1 {
			title = r.wrap(title[0]+" …", r.pageW-2*margin)
		}
		f.CellFormat(r.pageW-2*margin, runningLine, title[0], "", 2, "L", false, 0, "")
		f.SetTextColor(0, 0, 0)
		f.SetY(f.GetY() + 2)
	}
	r.columnHeader()
	f.SetFont(family, "", tableSize)
}

func (r *renderer) columnHeader() {
	f := r.f
	y := f.GetY()
	f.SetFont(family, "B", tableSize)
	f.SetFillColor(222, 226, 232)
	f.SetDrawColor(110, 110, 110)
	f.SetLineWidth(0.25)
	for i := range r.w {
		f.Rect(r.x[i], y, r.w[i], r.headerH, "FD")
		ls := r.header[i]
		top := y + (r.headerH-float64(len(ls))*tableLine)/2 // centred vertically
		for j, l := range ls {
			f.SetXY(r.x[i], top+float64(j)*tableLine)
			f.CellFormat(r.w[i], tableLine, l, "", 0, r.aligns[i], false, 0, "")
		}
	}
	f.SetXY(margin, y+r.headerH)
	f.SetFont(family, "", tableSize)
}

// row draws one table row, moving it to a new page when it does not fit and
// splitting it across pages when it is taller than a page.
func (r *renderer) row(cells [][]string) {
	f := r.f
	n := 1
	for _, c := range cells {
		n = max(n, len(c))
	}
	fresh := r.linesFit(r.freshTableTop())
	fill := r.zebra%2 == 1
	r.zebra++
	for start := 0; start < n; {
		avail := r.linesFit(f.GetY())
		rest := n - start
		if avail < 1 || (rest > avail && start == 0 && rest <= fresh) {
			r.newPage()
			continue
		}
		k := min(rest, avail)
		y := f.GetY()
		h := float64(k)*tableLine + 2*cellPadY
		f.SetDrawColor(160, 160, 160)
		f.SetLineWidth(0.15)
		f.SetFillColor(243, 245, 248)
		for i := range r.w {
			style := "D"
			if fill {
				style = "FD"
			}
			f.Rect(r.x[i], y, r.w[i], h, style)
			for j := start; j < start+k && j < len(cells[i]); j++ {
				f.SetXY(r.x[i], y+cellPadY+float64(j-start)*tableLine)
				f.CellFormat(r.w[i], tableLine, cells[i][j], "", 0, r.aligns[i], false, 0, "")
			}
		}
		f.SetXY(margin, y+h)
		start += k
	}
}

// fullWidthRow draws one row spanning all columns, with centred text.
func (r *renderer) fullWidthRow(s string) {
	f := r.f
	f.SetFont(family, "", tableSize)
	y := f.GetY()
	w := r.pageW - 2*margin
	h := tableLine + 2*cellPadY
	f.SetDrawColor(160, 160, 160)
	f.SetLineWidth(0.15)
	f.Rect(margin, y, w, h, "D")
	f.SetXY(margin, y+cellPadY)
	f.CellFormat(w, tableLine, s, "", 0, "C", false, 0, "")
	f.SetXY(margin, y+h)
}

// freshTableTop is where rows start on a page after the first.
func (r *renderer) freshTableTop() float64 {
	y := margin + r.headerH
	if strings.TrimSpace(r.t.Title) != "" {
		y += runningLine + 2
	}
	return y
}

// linesFit is how many text lines of a row starting at y fit on the page.
func (r *renderer) linesFit(y float64) int {
	return int(math.Floor((r.bottom - y - 2*cellPadY + 1e-9) / tableLine))
}

// paragraph writes s wrapped to the body width.
func (r *renderer) paragraph(s string, lineH float64, align string) {
	for _, l := range r.wrap(s, r.pageW-2*margin) {
		r.line(l, lineH, align)
	}
}

// line writes one line across the body width, on a new page if needed.
func (r *renderer) line(s string, lineH float64, align string) {
	f := r.f
	if f.GetY()+lineH > r.bottom {
		r.newPage()
	}
	f.SetX(margin)
	f.CellFormat(r.pageW-2*margin, lineH, s, "", 2, align, false, 0, "")
}

// pageFooter prints the generation time and the page number on every page.
func (r *renderer) pageFooter() {
	f := r.f
	_, ph := f.GetPageSize()
	f.SetFont(family, "", pageFootSize)
	f.SetTextColor(70, 70, 70)
	f.SetDrawColor(160, 160, 160)
	f.SetLineWidth(0.15)
	f.Line(margin, ph-footerY-3.2, r.pageW-margin, ph-footerY-3.2)
	f.SetXY(margin, ph-footerY-2.5)
	// Left-aligned: the page count alias is wider than the number it stands for.
	s := fmt.Sprintf("Krijuar më %s · Faqja %d nga %s", clock.Format(r.t.Generated), f.PageNo(), nbAlias)
	f.CellFormat(r.pageW-2*margin, 4, s, "", 0, "L", false, 0, "")
	f.SetTextColor(0, 0, 0)
}

// fitHeaderWords widens the columns whose title has a word longer than
// the column, taking the room from the columns with more than their
// titles need, so that a header breaks between words ("Formulari" stays
// whole), never inside one, whenever the page is wide enough. It measures
// with the current (header) font.
func (r *renderer) fitHeaderWords() {
	need := make([]float64, len(r.w))
	for i, c := range r.t.Columns {
		for _, word := range strings.Fields(clean(c.Title)) {
			need[i] = max(need[i], r.f.GetStringWidth(word)+2*cellPadX+0.2)
		}
	}
	for range 4 {
		deficit, slack := 0.0, 0.0
		for i, w := range r.w {
			if w < need[i] {
				deficit += need[i] - w
			} else {
				slack += w - need[i]
			}
		}
		if deficit < 0.01 || slack < 0.01 {
			return
		}
		k := min(1, deficit/slack)
		for i, w := range r.w {
			if w < need[i] {
				r.w[i] = w + (need[i]-w)*slack*k/deficit
			} else {
				r.w[i] = w - (w-need[i])*k
			}
		}
	}
}

// wrap splits s into the lines that fit a cell of width w with the current
// font: at "\n", at spaces, and inside words longer than a line. It always
// returns at least one line.
func (r *renderer) wrap(s string, w float64) []string {
	s = clean(s)
	var out []string
	for _, para := range strings.Split(s, "\n") {
		ls := r.f.SplitText(para, w)
		if len(ls) == 0 {
			out = append(out, "")
			continue
		}
		for i, l := range ls {
			if i > 0 {
				l = strings.TrimLeftFunc(l, unicode.IsSpace)
			}
			out = append(out, strings.TrimRightFunc(l, unicode.IsSpace))
		}
	}
	return out
}

// clean makes s valid UTF-8 with "\n" as the only control character and no
// space or empty line at either end.
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(c rune) rune {
		switch {
		case c == '\n':
			return c
		case c == '\t' || c == '\r':
			return ' '
		case unicode.IsControl(c):
			return -1
		}
		return c
	}, s)
	return strings.TrimSpace(s)
}
