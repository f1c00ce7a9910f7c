package marking_test

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"
	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"

	"provim/internal/anonym"
	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/marking"
)

// scanPageImage is a white A4-ish page with the label's Code 128 of text
// at the top ("" draws no label), and a few lines of "writing".
func scanPageImage(t testing.TB, text string) *image.RGBA {
	t.Helper()
	page := image.NewRGBA(image.Rect(0, 0, 850, 1100))
	draw.Draw(page, page.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	if text != "" {
		sym, err := code128.Encode(text)
		if err != nil {
			t.Fatal(err)
		}
		big, err := barcode.Scale(sym, sym.Bounds().Dx()*3, 90)
		if err != nil {
			t.Fatal(err)
		}
		draw.Draw(page, big.Bounds().Add(image.Pt(120, 80)), big, image.Point{}, draw.Src)
	}
	for y := 400; y < 1000; y += 60 {
		draw.Draw(page, image.Rect(100, y, 700, y+3), image.NewUniform(color.Gray{80}), image.Point{}, draw.Src)
	}
	return page
}

func scanPNG(t testing.TB, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, scanPageImage(t, text)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func scanJPEG(t testing.TB, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, scanPageImage(t, text), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// scanPDF is a scanner's PDF: one embedded JPEG per page.
func scanPDF(t testing.TB, jpegs ...[]byte) []byte {
	t.Helper()
	f := fpdf.New("P", "mm", "A4", "")
	for i, j := range jpegs {
		name := "p" + string(rune('a'+i))
		f.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "JPG"}, bytes.NewReader(j))
		f.AddPage()
		f.ImageOptions(name, 0, 0, 210, 0, false, fpdf.ImageOptions{ImageType: "JPG"}, 0, "")
	}
	var b bytes.Buffer
	if err := f.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// scanBadCheck is code with its check symbol changed.
func scanBadCheck(code string) string {
	last := byte('2')
	if code[anonym.DataLen] == last {
		last = '3'
	}
	return code[:anonym.DataLen] + string(last)
}

func scanCount(t testing.TB, w *mkWorld, q string) int {
	t.Helper()
	var n int
	if err := w.k.DB.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestScannedBookletsAttachByTheirLabel uploads pages of D1: each page
// whose label reads as a registered booklet is attached to it (page 1,
// 2, …); a code not registered, a label whose check symbol is wrong and
// a page without a label go to the queue with the reason; typing the
// code attaches the page; the marker given the booklet reads it, another
// marker does not find it.
func TestScannedBookletsAttachByTheirLabel(t *testing.T) {
	t.Parallel()
	w := newMkWorld(t, mkYear, mkDefaultMarkers)
	codes := w.booklets(t, 2, "A-1")
	a, b := codes[0], codes[1]
	mkExec(t, w.k, `INSERT INTO marking_allocations (year, exam, code, round, username, allocated_by, allocated_at) VALUES ($1, 'D1', $2, 1, 'vl.c', 'ava', '2009-06-11T08:00:00Z')`, mkYear, a)
	files := []marking.ScanFile{
		{Name: "a1.png", ContentType: "image/png", Data: scanPNG(t, anonym.Display(a))},
		{Name: "a2.jpg", ContentType: "image/jpeg", Data: scanJPEG(t, a)},
		{Name: "b1.pdf", ContentType: "application/pdf", Data: scanPDF(t, scanJPEG(t, anonym.Display(b)))},
	}
	if _, err := w.svc.UploadScans(w.ctx, mkAVA, mkYear, "D1", files); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("upload before the exam is marked as scanned: %v", err)
	}
	if err := w.svc.SetScanned(w.ctx, mkP("vl.c"), mkYear, "D1", true); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("a marker sets the flag: %v", err)
	}
	if err := w.svc.SetScanned(w.ctx, mkAVA, mkYear, "D1", true); err != nil {
		t.Fatal(err)
	}
	unknown := anonym.NewCode()
	files = append(files,
		marking.ScanFile{Name: "unknown.png", Data: scanPNG(t, unknown)},
		marking.ScanFile{Name: "check.png", Data: scanPNG(t, anonym.Display(scanBadCheck(b)))},
		marking.ScanFile{Name: "blank.jpg", Data: scanJPEG(t, "")},
		marking.ScanFile{Name: "notes.txt", Data: []byte("jo imazh")},
	)
	res, err := w.svc.UploadScans(w.ctx, mkAVA, mkYear, "D1", files)
	if err != nil {
		t.Fatal(err)
	}
	if res.Attached != 3 || res.Queued != 3 || len(res.Problems) != 1 || !strings.Contains(res.Problems[0], "notes.txt") {
		t.Fatalf("upload: %+v", res)
	}
	q, err := w.svc.ScanQueue(w.ctx, mkAVA, mkYear, "D1")
	if err != nil || len(q) != 3 {
		t.Fatalf("queue %+v %v", q, err)
	}
	for i, want := range []string{"nuk është test-broshurë e regjistruar", "simboli i kontrollit", "nuk u gjet"} {
		if !strings.Contains(q[i].Reason, want) {
			t.Errorf("queued %d: reason %q, want %q", q[i].ID, q[i].Reason, want)
		}
	}
	again, err := w.svc.UploadScans(w.ctx, mkAVA, mkYear, "D1", files[:1])
	if err != nil || again.Attached != 0 || len(again.Problems) != 1 {
		t.Fatalf("the same page again: %+v %v", again, err)
	}
	// A person types the code of the page whose check symbol misread.
	if err := w.svc.ResolveScan(w.ctx, mkAVA, mkYear, "D1", q[1].ID, scanBadCheck(b)); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("a typed code with a wrong check symbol: %v", err)
	}
	if err := w.svc.ResolveScan(w.ctx, mkAVA, mkYear, "D1", q[0].ID, anonym.Display(unknown)); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("a typed code not registered: %v", err)
	}
	if err := w.svc.ResolveScan(w.ctx, mkAVA, mkYear, "D1", q[1].ID, strings.ToLower(anonym.Display(b))); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.ResolveScan(w.ctx, mkAVA, mkYear, "D1", q[1].ID, b); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("resolved twice: %v", err)
	}
	sum, err := w.svc.Scans(w.ctx, mkAVA, mkYear, "D1")
	if err != nil || !sum.Scanned || sum.Pages != 4 || sum.Booklets != 2 || sum.Queued != 2 {
		t.Fatalf("summary %+v %v", sum, err)
	}
	// The marker given booklet a reads its two pages in order; another
	// marker finds nothing.
	n, err := w.svc.ScanPages(w.ctx, mkP("vl.c"), mkYear, "D1", anonym.Display(a))
	if err != nil || n != 2 {
		t.Fatalf("pages of a: %d %v", n, err)
	}
	ct, data, err := w.svc.ScanPage(w.ctx, mkP("vl.c"), mkYear, "D1", a, 2)
	if err != nil || ct != "image/jpeg" || !bytes.Equal(data, files[1].Data) {
		t.Fatalf("page 2 of a: %s %d %v", ct, len(data), err)
	}
	if _, _, err := w.svc.ScanPage(w.ctx, mkP("vl.d"), mkYear, "D1", a, 1); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("another marker reads a: %v", err)
	}
	if _, err := w.svc.ScanPages(w.ctx, mkP("vl.d"), mkYear, "D1", a); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("another marker counts a's pages: %v", err)
	}
	if _, _, err := w.svc.ScanPage(w.ctx, mkP("vl.lead"), mkYear, "D1", b, 2); err != nil {
		t.Fatalf("the lead reads b: %v", err)
	}
	// The subject's monitor reads a booklet of the sample only.
	mon := &auth.Principal{Username: "mon", FullName: "Monitoruesi", Role: auth.RoleMonitor, Subject: "D1"}
	if _, _, err := w.svc.ScanPage(w.ctx, mon, mkYear, "D1", b, 1); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("a monitor reads a booklet outside the sample: %v", err)
	}
	mkExec(t, w.k, `INSERT INTO marking_samples (year, exam, code, draw_no) VALUES ($1, 'D1', $2, 1)`, mkYear, b)
	if _, _, err := w.svc.ScanPage(w.ctx, mon, mkYear, "D1", b, 1); err != nil {
		t.Fatalf("the monitor reads a sampled booklet: %v", err)
	}
	other := &auth.Principal{Username: "mon2", FullName: "Monitoruesi 2", Role: auth.RoleMonitor, Subject: "D2"}
	if _, _, err := w.svc.ScanPage(w.ctx, other, mkYear, "D1", b, 1); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("another subject's monitor: %v", err)
	}
	if _, err := w.svc.ScanQueue(w.ctx, mkP("vl.lead"), mkYear, "D1"); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("the lead reads the queue: %v", err)
	}
	if scanCount(t, w, `SELECT COUNT(*) FROM audit_log WHERE action = 'marking.scan'`) < 3 {
		t.Error("the uploads are not in the audit log")
	}
}

// TestScanUploadBounds: a file over 20 MiB, too many files, a PDF of no
// JPEG pages and an upload after the close are refused with a sentence,
// and nothing is stored.
func TestScanUploadBounds(t *testing.T) {
	t.Parallel()
	w := newMkWorld(t, mkYear, mkDefaultMarkers)
	code := w.booklets(t, 1, "A-1")[0]
	if err := w.svc.SetScanned(w.ctx, mkAVA, mkYear, "D1", true); err != nil {
		t.Fatal(err)
	}
	good := marking.ScanFile{Name: "a.png", Data: scanPNG(t, code)}
	big := marking.ScanFile{Name: "madh.jpg", Data: make([]byte, marking.MaxScanFile+1)}
	_, err := w.svc.UploadScans(w.ctx, mkAVA, mkYear, "D1", []marking.ScanFile{good, big})
	if apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(apperr.MessageOf(err), "madh.jpg") {
		t.Fatalf("oversized: %v", err)
	}
	many := make([]marking.ScanFile, marking.MaxScanFiles+1)
	if _, err := w.svc.UploadScans(w.ctx, mkAVA, mkYear, "D1", many); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("too many files: %v", err)
	}
	wide := image.NewGray(image.Rect(0, 0, marking.MaxScanSide+1, 2))
	var wb bytes.Buffer
	if err := png.Encode(&wb, wide); err != nil {
		t.Fatal(err)
	}
	f := fpdf.New("P", "mm", "A4", "")
	f.AddPage()
	var pb bytes.Buffer
	if err := f.Output(&pb); err != nil {
		t.Fatal(err)
	}
	res, err := w.svc.UploadScans(w.ctx, mkAVA, mkYear, "D1", []marking.ScanFile{{Name: "gjere.png", Data: wb.Bytes()}, {Name: "bosh.pdf", Data: pb.Bytes()}})
	if err != nil || len(res.Problems) != 2 || !strings.Contains(res.Problems[1], "Skanimet ngarkohen si PNG ose JPEG") {
		t.Fatalf("a too wide image and a PDF without JPEG pages: %+v %v", res, err)
	}
	if n := scanCount(t, w, `SELECT (SELECT COUNT(*) FROM marking_scans) + (SELECT COUNT(*) FROM marking_scan_queue)`); n != 0 {
		t.Fatalf("%d pages stored by refused uploads", n)
	}
	mkExec(t, w.k, `INSERT INTO marking_closed (year, exam, booklets, closed_by, closed_at) VALUES ($1, 'D1', 1, 'ava', '2009-07-01T08:00:00Z')`, mkYear)
	if _, err := w.svc.UploadScans(w.ctx, mkAVA, mkYear, "D1", []marking.ScanFile{good}); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("after the close: %v", err)
	}
}
