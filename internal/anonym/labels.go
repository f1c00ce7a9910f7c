package anonym

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"fmt"
	mrand "math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/doc/pdf"
	"provim/internal/examyear"
	"provim/internal/store"
)

// The label sheets (Neni 51.3–51.4, 53.4): A4 sheets of 3 × 8 labels of
// 70 × 37 mm, the common self-adhesive layout. Each room of the venue
// starts on a sheet of its own, whose first label is the room's envelope
// label (venue, room, exam, how many codes, which sheet); then every code
// of the room, in an order drawn afresh each time the sheet is made (see
// shuffleCodes), two labels each for D1 and D2 — the name list and the
// booklet — and three for an elective. A label carries the
// code as Code 128, drawn as vector bars with a quiet zone, and the code
// as text; never the candidate, the venue or the room.
//
// Text is DejaVu Sans (internal/doc/pdf/fonts/LICENSE), as in every other PDF of provim, so
// ë and ç print and copy out correctly.

var fontRegular, fontBold = pdf.Fonts()

// labelFonts are DejaVu Sans and its bold cut down, once, to the letters
// label sheets print (ASCII, Latin-1 with Albanian's ë and ç, « » · ×,
// and Latin Extended-A): a national print run makes thousands of PDFs,
// and the whole fonts would be parsed and subset again for each (the cut
// keeps the highest letter low, which keeps fpdf's width table short).
// Text outside the set is written with its closest letters (cleanText).
var labelFonts = sync.OnceValues(func() ([]byte, []byte) {
	var b strings.Builder
	for r := rune(0x20); r <= 0x7e; r++ {
		b.WriteRune(r)
	}
	for r := rune(0xa0); r <= 0x17f; r++ {
		b.WriteRune(r)
	}
	return fpdf.UTF8CutFont(fontRegular, b.String()), fpdf.UTF8CutFont(fontBold, b.String())
})

// Sheet layout, in millimetres.
const (
	LabelCols    = 3
	LabelRows    = 8
	LabelW       = 70.0
	LabelH       = 37.0
	sheetTop     = 0.5
	quietModules = 10 // Code 128's quiet zone, each side
	barH         = 13.0
	barModuleMax = 0.45 // the widest module that fits with the quiet zones
)

// PerSheet is how many labels one A4 sheet holds.
const PerSheet = LabelCols * LabelRows

// LabelRoom is one room's codes on the sheets.
type LabelRoom struct {
	Name  string
	Floor int
	Codes []string
}

// LabelSet is what one venue's sheets print.
type LabelSet struct {
	Year      int
	Exam      string // the test key: "D1", or "D1-2" in the second session
	ExamName  string
	VenueCode string
	VenueName string
	Labels    int // per code
	Rooms     []LabelRoom
	Made      time.Time
}

// labelNames are what each label of a code is stuck on (Neni 53.4).
var labelNames = map[int][]string{
	2: {"Lista emërore", "Test-broshura"},
	3: {"Lista emërore", "Test-broshura", "Fleta e përgjigjeve"},
}

// LabelSheets is the label PDF of one venue for an exam, room by room:
// AVA, and the venue's PAP and AS (Neni 51.4, 53).
func (s *Service) LabelSheets(ctx context.Context, by *auth.Principal, year int, exam, venue string) ([]byte, error) {
	set, err := s.LabelSet(ctx, by, year, exam, venue)
	if err != nil {
		return nil, err
	}
	return RenderLabels(set)
}

// LabelSet reads what the venue's label sheets print.
func (s *Service) LabelSet(ctx context.Context, by *auth.Principal, year int, exam, venue string) (LabelSet, error) {
	exam = normExam(exam)
	if err := s.venueStaff(ctx, by, year, exam, venue); err != nil {
		return LabelSet{}, err
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return LabelSet{}, err
	}
	name, labels, err := examOf(y.Config, exam)
	if err != nil {
		return LabelSet{}, err
	}
	sites, err := s.venues.Sites(ctx, "", venue)
	if err != nil {
		return LabelSet{}, err
	}
	if len(sites) == 0 {
		return LabelSet{}, notFoundVenue(venue)
	}
	sets, err := s.labelSets(ctx, year, exam, name, labels, map[string]string{venue: sites[0].Name}, venue)
	if err != nil {
		return LabelSet{}, err
	}
	if len(sets) == 0 {
		return LabelSet{}, apperr.New(apperr.NotFound, "Qendra %s nuk ka kode për provimin %s: AVA i bën kodet sipas planit (Neni 51.3).", venue, examyear.TestLabel(exam))
	}
	return sets[0], nil
}

// labelSets reads the label sets of the venues named (every venue with
// codes when only is ""), by venue code.
func (s *Service) labelSets(ctx context.Context, year int, exam, examName string, labels int, venueNames map[string]string, only string) ([]LabelSet, error) {
	q := s.db.Q(ctx)
	cond, args := "", []any{year, exam}
	if only != "" {
		cond, args = " AND venue_code = $3", append(args, only)
	}
	type room struct {
		venue, name string
		id          int64
		floor       int
		made        string
	}
	rooms, err := store.Select(ctx, q, func(r store.Scanner) (room, error) {
		var x room
		return x, r.Scan(&x.venue, &x.id, &x.name, &x.floor, &x.made)
	}, `SELECT venue_code, room_id, room_name, floor, made_at FROM anonym_rooms WHERE year = $1 AND exam = $2`+cond+` ORDER BY venue_code, ord, room_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("anonym: labels: %w", err)
	}
	type code struct {
		room int64
		code string
	}
	codes, err := store.Select(ctx, q, func(r store.Scanner) (code, error) {
		var x code
		return x, r.Scan(&x.room, &x.code)
	}, `SELECT room_id, code FROM anonym_codes WHERE year = $1 AND exam = $2`+cond+` ORDER BY code`, args...)
	if err != nil {
		return nil, fmt.Errorf("anonym: labels: %w", err)
	}
	byRoom := map[int64][]string{}
	for _, c := range codes {
		byRoom[c.room] = append(byRoom[c.room], c.code)
	}
	for _, list := range byRoom {
		shuffleCodes(list)
	}
	var out []LabelSet
	for _, r := range rooms {
		if len(out) == 0 || out[len(out)-1].VenueCode != r.venue {
			made, _ := time.Parse(time.RFC3339, r.made)
			out = append(out, LabelSet{Year: year, Exam: exam, ExamName: examName, VenueCode: r.venue, VenueName: venueNames[r.venue], Labels: labels, Made: made})
		}
		set := &out[len(out)-1]
		set.Rooms = append(set.Rooms, LabelRoom{Name: r.name, Floor: r.floor, Codes: byRoom[r.id]})
	}
	return out, nil
}

// NationalLabelSets reads the label sets of every venue of an exam: what
// AVA prints for the whole country (and the benchmark renders).
func (s *Service) NationalLabelSets(ctx context.Context, by *auth.Principal, year int, exam string) ([]LabelSet, error) {
	exam = normExam(exam)
	if err := auth.Require(by, auth.RoleAVA); err != nil {
		return nil, err
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return nil, err
	}
	name, labels, err := examOf(y.Config, exam)
	if err != nil {
		return nil, err
	}
	sites, err := s.venues.Sites(ctx, "", "")
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(sites))
	for _, v := range sites {
		names[v.Code] = v.Name
	}
	return s.labelSets(ctx, year, exam, name, labels, names, "")
}

// RenderLabels draws the sheets of a label set as a PDF.
func RenderLabels(set LabelSet) ([]byte, error) { return RenderLabelsMany([]LabelSet{set}) }

// RenderLabelsMany draws the sheets of several venues' label sets, one
// after the other, as one PDF: what AVA prints for a region in one run.
func RenderLabelsMany(sets []LabelSet) ([]byte, error) {
	if len(sets) == 0 {
		return nil, fmt.Errorf("anonym: no label sets")
	}
	first := sets[0]
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	regular, bold := labelFonts()
	f.AddUTF8FontFromBytes("DejaVu", "", regular)
	f.AddUTF8FontFromBytes("DejaVu", "B", bold)
	f.SetCompression(true)
	f.SetCatalogSort(true)
	made := first.Made
	if made.IsZero() {
		made = time.Date(first.Year, 1, 1, 0, 0, 0, 0, clock.Tirana)
	}
	f.SetCreationDate(made)
	f.SetModificationDate(made)
	what := first.VenueCode
	if len(sets) > 1 {
		what = fmt.Sprintf("%d qendra", len(sets))
	}
	f.SetTitle(fmt.Sprintf("Etiketat e kodeve të sekretimit — %s — %s %d", what, examyear.TestLabel(first.Exam), first.Year), true)
	f.SetCreator("provim", true)
	f.SetProducer("provim", true)
	f.SetLang("sq")
	f.SetMargins(0, 0, 0)
	f.SetAutoPageBreak(false, 0)
	f.SetCellMargin(0)
	pages := 0
	for _, set := range sets {
		names := labelNames[set.Labels]
		if names == nil {
			return nil, fmt.Errorf("anonym: %d labels per code", set.Labels)
		}
		for _, room := range set.Rooms {
			total := 1 + len(room.Codes)*set.Labels
			sheets := (total + PerSheet - 1) / PerSheet
			cell := 0
			next := func() (x, y float64) {
				if cell%PerSheet == 0 {
					f.AddPage()
					pages++
				}
				i := cell % PerSheet
				cell++
				return float64(i%LabelCols) * LabelW, sheetTop + float64(i/LabelCols)*LabelH
			}
			x, y := next()
			envelope(f, set, room, sheets, x, y)
			for _, code := range room.Codes {
				bars, err := barRuns(code)
				if err != nil {
					return nil, err
				}
				for i := 0; i < set.Labels; i++ {
					x, y := next()
					label(f, set, code, bars, names[i], i+1, x, y)
				}
			}
		}
	}
	if pages == 0 {
		f.AddPage()
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, fmt.Errorf("anonym: labels PDF: %w", err)
	}
	return buf.Bytes(), nil
}

// bars is a Code 128 symbol: its width in modules and its black runs.
type bars struct {
	modules int
	runs    [][2]int // first module, width
}

// barRuns encodes code as Code 128.
func barRuns(code string) (bars, error) {
	sym, err := code128.Encode(code)
	if err != nil {
		return bars{}, fmt.Errorf("anonym: barcode %s: %w", code, err)
	}
	out := bars{modules: sym.Bounds().Dx()}
	for m := 0; m < out.modules; {
		if !isBar(sym, m) {
			m++
			continue
		}
		run := 1
		for m+run < out.modules && isBar(sym, m+run) {
			run++
		}
		out.runs = append(out.runs, [2]int{m, run})
		m += run
	}
	return out, nil
}

// isBar reports whether module m of a Code 128 symbol is black.
func isBar(b barcode.Barcode, m int) bool {
	r, _, _, _ := b.At(m, 0).RGBA()
	return r < 0x8000
}

// envelope is the room's first label: what the sheets are for.
func envelope(f *fpdf.Fpdf, set LabelSet, room LabelRoom, sheets int, x, y float64) {
	pad := 4.0
	f.SetDrawColor(0, 0, 0)
	f.SetLineWidth(0.4)
	f.Rect(x+2, y+2, LabelW-4, LabelH-4, "D")
	f.SetFont("DejaVu", "B", 9)
	f.SetXY(x+pad, y+pad)
	f.CellFormat(LabelW-2*pad, 4.5, truncate(f, fmt.Sprintf("Kodet e sekretimit · %s %d", examyear.TestLabel(set.Exam), set.Year), LabelW-2*pad), "", 2, "L", false, 0, "")
	f.SetFont("DejaVu", "", 7.5)
	venue := set.VenueCode
	if set.VenueName != "" {
		venue += " · " + set.VenueName
	}
	lines := []string{
		"Qendra: " + venue,
		fmt.Sprintf("Salla: %s (kati %d)", room.Name, room.Floor),
		fmt.Sprintf("%d kode × %d etiketa (Neni 53.4)", len(room.Codes), set.Labels),
		fmt.Sprintf("Fletë: %d · të papërdorurat mbyllen (Neni 53.5)", sheets),
	}
	for _, l := range lines {
		f.SetX(x + pad)
		f.CellFormat(LabelW-2*pad, 3.8, truncate(f, l, LabelW-2*pad), "", 2, "L", false, 0, "")
	}
	f.SetX(x + pad)
	f.CellFormat(LabelW-2*pad, 3.8, truncate(f, set.ExamName, LabelW-2*pad), "", 2, "L", false, 0, "")
}

// label draws one label of a code.
func label(f *fpdf.Fpdf, set LabelSet, code string, b bars, use string, no int, x, y float64) {
	width := LabelW - 8
	module := min(width/float64(b.modules+2*quietModules), barModuleMax)
	barsW := module * float64(b.modules)
	bx := x + (LabelW-barsW)/2
	by := y + 6.5
	// The bars in module units: one transformation, then a unit-high
	// rectangle per run with whole numbers, and one fill.
	k := f.GetConversionRatio()
	_, pageH := f.GetPageSize()
	buf := make([]byte, 0, 64+len(b.runs)*12)
	buf = append(buf, "q 0 g "...)
	buf = strconv.AppendFloat(buf, module*k, 'f', 4, 64)
	buf = append(buf, " 0 0 "...)
	buf = strconv.AppendFloat(buf, -barH*k, 'f', 4, 64)
	buf = append(buf, ' ')
	buf = strconv.AppendFloat(buf, bx*k, 'f', 2, 64)
	buf = append(buf, ' ')
	buf = strconv.AppendFloat(buf, (pageH-by)*k, 'f', 2, 64)
	buf = append(buf, " cm\n"...)
	for _, r := range b.runs {
		buf = strconv.AppendInt(buf, int64(r[0]), 10)
		buf = append(buf, " 0 "...)
		buf = strconv.AppendInt(buf, int64(r[1]), 10)
		buf = append(buf, " 1 re\n"...)
	}
	buf = append(buf, "f Q\n"...)
	f.RawWriteStr(string(buf))
	f.SetFont("DejaVu", "", 6.5)
	f.SetXY(x+4, y+2.2)
	f.CellFormat(LabelW-8, 3.5, truncate(f, fmt.Sprintf("%s %d · %s", examyear.TestLabel(set.Exam), set.Year, use), LabelW-16), "", 0, "L", false, 0, "")
	f.SetXY(x+4, y+2.2)
	f.CellFormat(LabelW-8, 3.5, fmt.Sprintf("%d/%d", no, set.Labels), "", 0, "R", false, 0, "")
	f.SetFont("DejaVu", "B", 13)
	f.SetXY(x, by+barH+1.5)
	f.CellFormat(LabelW, 6, Display(code), "", 0, "C", false, 0, "")
}

// truncate shortens s to fit w at the current font.
func truncate(f *fpdf.Fpdf, s string, w float64) string {
	s = cleanText(s)
	if f.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && f.GetStringWidth(string(r)+"...") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "..."
}

// cleanText keeps the letters of the cut fonts: dashes and quotes become
// their plain forms, anything else outside them a question mark.
func cleanText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r < 0x20:
			return ' '
		case r <= 0x7e || r >= 0xa0 && r <= 0x17f:
			return r
		case r == '–' || r == '—' || r == '‒':
			return '-'
		case r == '‘' || r == '’':
			return '\''
		case r == '“' || r == '”' || r == '„':
			return '"'
		}
		return '?'
	}, s)
}

// shuffleCodes puts a room's codes in a random order that is kept
// nowhere (Neni 59.3). The desk peels the labels in the sheet's order and
// the candidates come to it in their order of entry (Neni 52.7), which
// the exam day records: a sheet in an order the database could compute
// again, the codes' own say, would pair the k-th code with the k-th
// candidate seated. A sheet printed twice is in two orders; either works.
func shuffleCodes(codes []string) {
	var seed [32]byte
	if _, err := crand.Read(seed[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	mrand.New(mrand.NewChaCha8(seed)).Shuffle(len(codes), func(i, j int) { codes[i], codes[j] = codes[j], codes[i] })
}
