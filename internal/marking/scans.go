package marking

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	_ "image/jpeg" // scans come as JPEG
	_ "image/png"  // or as PNG
	"strings"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"

	"provim/internal/anonym"
	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/store"
)

// Scanned booklets (issue 14 item 8): where an exam's booklets are
// scanned, AVA uploads the scans; each page's label is read (Code 128,
// the code as printed) and the page attached to its booklet; a page
// whose label cannot be read, or reads as no booklet of the exam, waits
// in a queue for a person to type the code. Markers then mark on screen
// from the scan. A scan is known by its booklet code only.

// The bounds of an upload.
const (
	MaxScanFile   = 20 << 20  // bytes of one file
	MaxScanFiles  = 200       // files of one upload
	MaxScanUpload = 100 << 20 // bytes of one upload
	MaxScanSide   = 8000      // pixels of an image's width or height
)

// ScanFile is one uploaded file: a PNG or JPEG image is one page; a PDF
// whose pages are embedded JPEG images (as scanners write them) gives
// one page per image.
type ScanFile struct {
	Name        string
	ContentType string
	Data        []byte
}

// UploadResult is what an upload did: the pages attached to booklets,
// the pages queued for a person to type the code, and the files not
// read, each with a sentence.
type UploadResult struct {
	Attached int      `json:"attached"`
	Queued   int      `json:"queued"`
	Problems []string `json:"problems"`
}

// ScanQueueItem is a page waiting for its code to be typed.
type ScanQueueItem struct {
	ID         int    `json:"id"`
	Reason     string `json:"reason"`
	UploadedBy string `json:"uploaded_by"`
	UploadedAt string `json:"uploaded_at"`
}

// ScanSummary is AVA's view of an exam's scans.
type ScanSummary struct {
	Year     int             `json:"year"`
	Exam     string          `json:"exam"`
	Scanned  bool            `json:"scanned"`
	Closed   bool            `json:"closed"`
	Pages    int             `json:"pages"`
	Booklets int             `json:"booklets"`
	Queued   int             `json:"queued"`
	Queue    []ScanQueueItem `json:"queue"`
}

func scanManageOnly() error {
	return apperr.New(apperr.Forbidden, "Skanimet e test-broshurave i ngarkon dhe i lidh vetëm AVA.")
}

// SetScanned records whether the exam's booklets are scanned (AVA).
func (s *Service) SetScanned(ctx context.Context, by *auth.Principal, year int, exam string, scanned bool) error {
	if !MayManage(by) {
		return scanManageOnly()
	}
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return err
	}
	v := 0
	if scanned {
		v = 1
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.openForMarking(ctx, year, e.Code); err != nil {
			return err
		}
		if _, err := s.db.Q(ctx).ExecContext(ctx, `INSERT INTO marking_scan_exams (year, exam, scanned, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (year, exam) DO UPDATE SET scanned = excluded.scanned, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			year, e.Code, v, by.Username, s.stamp(ctx)); err != nil {
			return fmt.Errorf("marking: scanned flag: %w", err)
		}
		return audit.Add(ctx, by.Actor(), "marking.scan", "marking_exam", testKey(year, e.Code), nil, map[string]any{"scanned": scanned})
	})
}

// scannedOf reads the exam's flag.
func (s *Service) scannedOf(ctx context.Context, year int, exam string) (bool, error) {
	var n int
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM marking_scan_exams WHERE year = $1 AND exam = $2 AND scanned = 1`, year, exam).Scan(&n); err != nil {
		return false, fmt.Errorf("marking: scanned flag: %w", err)
	}
	return n > 0, nil
}

// scanPage is one page read from an upload.
type scanPage struct {
	file   string
	ctype  string
	data   []byte
	sum    string
	code   string // the booklet's code when the label was read and checked
	reason string // why it is queued, else ""
}

// UploadScans reads the uploaded pages of an exam marked as scanned and
// attaches each to the booklet its label names, or queues it with the
// reason (AVA). The bounds are checked before anything is read; a file
// over them refuses the whole upload, nothing is stored. A file that is
// neither PNG, JPEG nor a PDF of JPEG pages, or that was uploaded
// before, is skipped with a sentence. Refused after the close.
func (s *Service) UploadScans(ctx context.Context, by *auth.Principal, year int, exam string, files []ScanFile) (UploadResult, error) {
	res := UploadResult{Problems: []string{}}
	if !MayManage(by) {
		return res, scanManageOnly()
	}
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return res, err
	}
	if err := checkScanBounds(files); err != nil {
		return res, err
	}
	if err := s.openForMarking(ctx, year, e.Code); err != nil {
		return res, err
	}
	if ok, err := s.scannedOf(ctx, year, e.Code); err != nil {
		return res, err
	} else if !ok {
		return res, apperr.New(apperr.Conflict, "Provimi %s nuk është shënuar si provim me test-broshura të skanuara: shënojeni së pari.", e.Label)
	}
	var pages []scanPage
	for _, f := range files {
		ps, problem := readScanFile(f)
		if problem != "" {
			res.Problems = append(res.Problems, problem)
		}
		pages = append(pages, ps...)
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.openForMarking(ctx, year, e.Code); err != nil {
			return err
		}
		// One upload of an exam at a time: pages and queue numbers follow.
		if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE marking_scan_exams SET scanned = scanned WHERE year = $1 AND exam = $2`, year, e.Code); err != nil {
			return fmt.Errorf("marking: lock scans: %w", err)
		}
		have, err := s.bookletCodes(ctx, year, e.Code)
		if err != nil {
			return err
		}
		seen, err := s.scanSums(ctx, year, e.Code)
		if err != nil {
			return err
		}
		now := s.stamp(ctx)
		for _, pg := range pages {
			if seen[pg.sum] {
				res.Problems = append(res.Problems, fmt.Sprintf("%s: kjo faqe është ngarkuar më parë; nuk u shtua sërish.", pg.file))
				continue
			}
			seen[pg.sum] = true
			if pg.reason == "" && !have[pg.code] {
				pg.reason = fmt.Sprintf("Kodi %s nuk është test-broshurë e regjistruar e provimit %s.", anonym.Display(pg.code), e.Label)
			}
			if pg.reason != "" {
				if err := s.queueScan(ctx, year, e.Code, pg, by.Username, now); err != nil {
					return err
				}
				res.Queued++
				continue
			}
			if err := s.attachScan(ctx, year, e.Code, pg.code, pg, by.Username, now); err != nil {
				return err
			}
			res.Attached++
		}
		return audit.Add(ctx, by.Actor(), "marking.scan", "marking_exam", testKey(year, e.Code), nil,
			map[string]any{"attached": res.Attached, "queued": res.Queued, "files": len(files)})
	})
	if err != nil {
		return UploadResult{Problems: []string{}}, err
	}
	return res, nil
}

// checkScanBounds refuses an upload over the bounds, naming the file.
func checkScanBounds(files []ScanFile) error {
	if len(files) == 0 {
		return apperr.New(apperr.Invalid, "Zgjidhni skedarët e skanimeve (PNG ose JPEG, një faqe për skedar).")
	}
	if len(files) > MaxScanFiles {
		return apperr.New(apperr.Invalid, "Një ngarkim ka të shumtën %d skedarë; zgjodhët %d. Ndajini në disa ngarkime.", MaxScanFiles, len(files))
	}
	total := 0
	for _, f := range files {
		if len(f.Data) > MaxScanFile {
			return apperr.New(apperr.Invalid, "Skedari «%s» është më i madh se %d MiB: asgjë nuk u ngarkua. Skanojeni me rezolucion më të ulët.", f.Name, MaxScanFile>>20)
		}
		total += len(f.Data)
	}
	if total > MaxScanUpload {
		return apperr.New(apperr.Invalid, "Një ngarkim ka të shumtën %d MiB; skedarët bëjnë %d MiB: asgjë nuk u ngarkua. Ndajini në disa ngarkime.", MaxScanUpload>>20, (total+(1<<20)-1)>>20)
	}
	return nil
}

// readScanFile reads a file's pages and their labels; a file not read
// gives a sentence instead.
func readScanFile(f ScanFile) ([]scanPage, string) {
	if bytes.HasPrefix(f.Data, []byte("%PDF-")) || strings.EqualFold(f.ContentType, "application/pdf") {
		jpegs := pdfJPEGs(f.Data)
		if len(jpegs) == 0 {
			return nil, fmt.Sprintf("%s: ky PDF nuk ka faqe të skanuara si imazhe JPEG. Skanimet ngarkohen si PNG ose JPEG, një faqe për skedar, ose si PDF i skanerit me një imazh JPEG për faqe.", f.Name)
		}
		var out []scanPage
		for i, j := range jpegs {
			pg, problem := readScanImage(fmt.Sprintf("%s (faqja %d)", f.Name, i+1), j)
			if problem != "" {
				return nil, problem
			}
			out = append(out, pg)
		}
		return out, ""
	}
	pg, problem := readScanImage(f.Name, f.Data)
	if problem != "" {
		return nil, problem
	}
	return []scanPage{pg}, ""
}

// readScanImage decodes one page (PNG or JPEG, within the bounds) and
// reads its label.
func readScanImage(name string, data []byte) (scanPage, string) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "png" && format != "jpeg") {
		return scanPage{}, fmt.Sprintf("%s: nuk është imazh PNG ose JPEG. Skanimet ngarkohen si PNG ose JPEG, një faqe për skedar.", name)
	}
	if cfg.Width > MaxScanSide || cfg.Height > MaxScanSide || cfg.Width < 1 || cfg.Height < 1 {
		return scanPage{}, fmt.Sprintf("%s: imazhi ka %d×%d piksel; lejohen deri në %d×%d.", name, cfg.Width, cfg.Height, MaxScanSide, MaxScanSide)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return scanPage{}, fmt.Sprintf("%s: imazhi është i dëmtuar dhe nuk lexohet.", name)
	}
	sum := sha256.Sum256(data)
	pg := scanPage{file: name, ctype: "image/" + format, data: data, sum: hex.EncodeToString(sum[:])}
	pg.code, pg.reason = readLabel(img)
	return pg, ""
}

// readLabel reads the Code 128 label of a page: the code, or the reason
// a person must type it.
func readLabel(img image.Image) (code, reason string) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", "Etiketa me barkod nuk u gjet në faqe."
	}
	r, err := oned.NewCode128Reader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return "", "Etiketa me barkod nuk u gjet ose nuk u lexua në faqe."
	}
	return checkLabel(r.GetText())
}

// labelCodeLen is the length of a code with its check symbol (as
// anonym.CodeLen; marking reads of anonym only what reveals no one).
const labelCodeLen = 9

// checkLabel checks the text of a label as a code: its check symbol
// catches a misread.
func checkLabel(text string) (code, reason string) {
	c, ok := anonym.Normalize(text)
	switch {
	case ok:
		return c, ""
	case len(c) == labelCodeLen:
		return "", fmt.Sprintf("Etiketa u lexua «%s», por simboli i kontrollit nuk përputhet: ndoshta u lexua gabim.", text)
	default:
		return "", fmt.Sprintf("Etiketa u lexua «%s», por nuk është kod sekretimi.", text)
	}
}

// scanSums is the set of the checksums of the exam's pages, attached or
// queued.
func (s *Service) scanSums(ctx context.Context, year int, exam string) (map[string]bool, error) {
	sums, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (x string, err error) { return x, r.Scan(&x) },
		`SELECT sha256 FROM marking_scans WHERE year = $1 AND exam = $2
		UNION SELECT sha256 FROM marking_scan_queue WHERE year = $1 AND exam = $2 AND resolved_code = ''`, year, exam)
	if err != nil {
		return nil, fmt.Errorf("marking: scans: %w", err)
	}
	out := make(map[string]bool, len(sums))
	for _, x := range sums {
		out[x] = true
	}
	return out, nil
}

// attachScan stores a page as the booklet's next page.
func (s *Service) attachScan(ctx context.Context, year int, exam, code string, pg scanPage, by, now string) error {
	var next int
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COALESCE(MAX(page), 0) + 1 FROM marking_scans WHERE year = $1 AND exam = $2 AND code = $3`,
		year, exam, code).Scan(&next); err != nil {
		return fmt.Errorf("marking: scan pages of %s: %w", code, err)
	}
	if _, err := s.db.Q(ctx).ExecContext(ctx, `INSERT INTO marking_scans (year, exam, code, page, content_type, sha256, bytes, uploaded_by, uploaded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, year, exam, code, next, pg.ctype, pg.sum, pg.data, by, now); err != nil {
		return fmt.Errorf("marking: attach scan of %s: %w", code, err)
	}
	return nil
}

// queueScan stores a page for a person to type its code.
func (s *Service) queueScan(ctx context.Context, year int, exam string, pg scanPage, by, now string) error {
	var id int
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM marking_scan_queue WHERE year = $1 AND exam = $2`, year, exam).Scan(&id); err != nil {
		return fmt.Errorf("marking: scan queue: %w", err)
	}
	if _, err := s.db.Q(ctx).ExecContext(ctx, `INSERT INTO marking_scan_queue (year, exam, id, image, content_type, sha256, reason, uploaded_by, uploaded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, year, exam, id, pg.data, pg.ctype, pg.sum, pg.reason, by, now); err != nil {
		return fmt.Errorf("marking: queue scan: %w", err)
	}
	return nil
}
