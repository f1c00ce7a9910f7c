package anonym_test

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"

	"provim/internal/anonym"
)

// renderPages renders every page of pdf at dpi with pdftoppm.
func renderPages(t *testing.T, pdf []byte, dpi int) []image.Image {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "labels.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", fmt.Sprint(dpi), "-gray", "-png", in, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "p-*.png"))
	slices.Sort(files)
	var pages []image.Image
	for _, f := range files {
		r, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, img)
	}
	return pages
}

type subImager interface {
	SubImage(r image.Rectangle) image.Image
}

// readLabels decodes the Code 128 of every label cell of every page; the
// first cell of a room's first sheet is the envelope label (no barcode).
func readLabels(t *testing.T, pages []image.Image, dpi int) (codes []string, blank int) {
	t.Helper()
	px := func(mm float64) int { return int(mm / 25.4 * float64(dpi)) }
	reader := oned.NewCode128Reader()
	for _, page := range pages {
		for i := range anonym.PerSheet {
			x := float64(i%anonym.LabelCols) * anonym.LabelW
			y := 0.5 + float64(i/anonym.LabelCols)*anonym.LabelH
			cell := page.(subImager).SubImage(image.Rect(px(x), px(y+5), px(x+anonym.LabelW), px(y+21)))
			src := gozxing.NewLuminanceSourceFromImage(cell)
			bmp, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(src))
			if err != nil {
				t.Fatal(err)
			}
			res, err := reader.Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
			if err != nil {
				blank++
				continue
			}
			codes = append(codes, res.GetText())
		}
	}
	return codes, blank
}

// TestLabelsRoundTrip renders the label sheets of a venue at 200 dpi,
// decodes every barcode and finds each code exactly as many times as its
// labels (Neni 53.4), and nothing else.
func TestLabelsRoundTrip(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, exam := range []string{"D1", "KIM"} {
		if _, err := w.svc.Generate(w.ctx, ava, year, exam); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		exam   string
		labels int
	}{{"D1", 2}, {"KIM", 3}} {
		pdf, err := w.svc.LabelSheets(w.ctx, asA, year, c.exam, "V-A")
		if err != nil {
			t.Fatal(err)
		}
		pages := renderPages(t, pdf, 200)
		got, _ := readLabels(t, pages, 200)
		var want []string
		set, err := w.svc.LabelSet(w.ctx, ava, year, c.exam, "V-A")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range set.Rooms {
			for _, code := range r.Codes {
				for range c.labels {
					want = append(want, code)
				}
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("%s: decoded %d labels %v, want %d %v", c.exam, len(got), got, len(want), want)
		}
		if len(pages) != len(set.Rooms) {
			t.Fatalf("%s: %d sheets for %d rooms", c.exam, len(pages), len(set.Rooms))
		}
	}
}

// TestLabelsRoundTripFullSheets fills several sheets of one room (a room
// of 30, pairs: 61 cells on 3 sheets) and reads every label back.
func TestLabelsRoundTripFullSheets(t *testing.T) {
	t.Parallel()
	set := anonym.LabelSet{Year: 2027, Exam: "D2", ExamName: "Matematikë", VenueCode: "V-9", VenueName: "Shkolla «Çajupi»", Labels: 2}
	room := anonym.LabelRoom{Name: "Salla 1", Floor: 2}
	for range 30 {
		room.Codes = append(room.Codes, anonym.NewCode())
	}
	slices.Sort(room.Codes)
	set.Rooms = []anonym.LabelRoom{room}
	pdf, err := anonym.RenderLabels(set)
	if err != nil {
		t.Fatal(err)
	}
	pages := renderPages(t, pdf, 200)
	if len(pages) != 3 {
		t.Fatalf("%d sheets, want 3", len(pages))
	}
	got, blank := readLabels(t, pages, 200)
	if len(got) != 60 || blank != 3*anonym.PerSheet-60 {
		t.Fatalf("read %d labels, %d cells without one", len(got), blank)
	}
	for i, code := range room.Codes {
		if got[2*i] != code || got[2*i+1] != code {
			t.Fatalf("label %d: %s %s, want %s", i, got[2*i], got[2*i+1], code)
		}
		if !anonym.Valid(got[2*i]) {
			t.Fatalf("decoded %s fails its check", got[2*i])
		}
	}
	if os.Getenv("ANONYM_KEEP_LABELS") != "" {
		_ = os.WriteFile(os.Getenv("ANONYM_KEEP_LABELS"), pdf, 0o600)
	}
}
