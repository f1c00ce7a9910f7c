package marking

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"

	"provim/internal/anonym"
	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/store"
)

// The queue of pages whose label was not read, and the scans as the
// markers read them.

// Scans is AVA's summary of an exam's scans: the flag, the pages
// attached and the queue waiting for a code.
func (s *Service) Scans(ctx context.Context, by *auth.Principal, year int, exam string) (ScanSummary, error) {
	if !MayManage(by) {
		return ScanSummary{}, scanManageOnly()
	}
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return ScanSummary{}, err
	}
	out := ScanSummary{Year: year, Exam: e.Code}
	if out.Scanned, err = s.scannedOf(ctx, year, e.Code); err != nil {
		return out, err
	}
	if out.Closed, err = s.Closed(ctx, year, e.Code); err != nil {
		return out, err
	}
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT code) FROM marking_scans WHERE year = $1 AND exam = $2`,
		year, e.Code).Scan(&out.Pages, &out.Booklets); err != nil {
		return out, fmt.Errorf("marking: scans: %w", err)
	}
	if out.Queue, err = s.scanQueue(ctx, year, e.Code); err != nil {
		return out, err
	}
	out.Queued = len(out.Queue)
	return out, nil
}

// ScanQueue lists the pages waiting for a person to type their code (AVA).
func (s *Service) ScanQueue(ctx context.Context, by *auth.Principal, year int, exam string) ([]ScanQueueItem, error) {
	if !MayManage(by) {
		return nil, scanManageOnly()
	}
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return nil, err
	}
	return s.scanQueue(ctx, year, e.Code)
}

func (s *Service) scanQueue(ctx context.Context, year int, exam string) ([]ScanQueueItem, error) {
	out, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (ScanQueueItem, error) {
		var x ScanQueueItem
		return x, r.Scan(&x.ID, &x.Reason, &x.UploadedBy, &x.UploadedAt)
	}, `SELECT id, reason, uploaded_by, uploaded_at FROM marking_scan_queue WHERE year = $1 AND exam = $2 AND resolved_code = '' ORDER BY id`, year, exam)
	if err != nil {
		return nil, fmt.Errorf("marking: scan queue: %w", err)
	}
	return nonNil(out), nil
}

func notFoundQueued(id int) error {
	return apperr.New(apperr.NotFound, "Faqja %d nuk është në radhën e skanimeve pa kod.", id)
}

// QueuedScan is the image of a queued page (AVA), to read its label.
func (s *Service) QueuedScan(ctx context.Context, by *auth.Principal, year int, exam string, id int) (contentType string, data []byte, err error) {
	if !MayManage(by) {
		return "", nil, scanManageOnly()
	}
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return "", nil, err
	}
	err = s.db.Q(ctx).QueryRowContext(ctx, `SELECT content_type, image FROM marking_scan_queue WHERE year = $1 AND exam = $2 AND id = $3 AND resolved_code = ''`,
		year, e.Code, id).Scan(&contentType, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, notFoundQueued(id)
	}
	if err != nil {
		return "", nil, fmt.Errorf("marking: queued scan %d: %w", id, err)
	}
	return contentType, data, nil
}

// ResolveScan attaches a queued page to the booklet whose code a person
// typed from its label (AVA): the code's check symbol must be right and
// the code a registered booklet of the exam. Refused after the close.
func (s *Service) ResolveScan(ctx context.Context, by *auth.Principal, year int, exam string, id int, code string) error {
	if !MayManage(by) {
		return scanManageOnly()
	}
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.openForMarking(ctx, year, e.Code); err != nil {
			return err
		}
		if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE marking_scan_exams SET scanned = scanned WHERE year = $1 AND exam = $2`, year, e.Code); err != nil {
			return fmt.Errorf("marking: lock scans: %w", err)
		}
		var pg scanPage
		err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT content_type, sha256, image FROM marking_scan_queue WHERE year = $1 AND exam = $2 AND id = $3 AND resolved_code = ''`,
			year, e.Code, id).Scan(&pg.ctype, &pg.sum, &pg.data)
		if errors.Is(err, sql.ErrNoRows) {
			return notFoundQueued(id)
		}
		if err != nil {
			return fmt.Errorf("marking: queued scan %d: %w", id, err)
		}
		c, ok := anonym.Normalize(code)
		if !ok {
			return apperr.New(apperr.Invalid, "«%s» nuk është kod sekretimi i vlefshëm: kontrolloni shkronjat dhe simbolin e fundit të kontrollit.", code)
		}
		if _, err := s.bookletOf(ctx, year, e.Code, c); err != nil {
			if apperr.Is(err, apperr.NotFound) {
				return apperr.New(apperr.Invalid, "Kodi %s nuk është test-broshurë e regjistruar e provimit %s.", anonym.Display(c), e.Label)
			}
			return err
		}
		now := s.stamp(ctx)
		if err := s.attachScan(ctx, year, e.Code, c, pg, by.Username, now); err != nil {
			return err
		}
		if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE marking_scan_queue SET resolved_code = $4, resolved_by = $5, resolved_at = $6, image = $7
			WHERE year = $1 AND exam = $2 AND id = $3`, year, e.Code, id, c, by.Username, now, []byte{}); err != nil {
			return fmt.Errorf("marking: resolve scan %d: %w", id, err)
		}
		return audit.Add(ctx, by.Actor(), "marking.scan", "marking_booklet", bookletKey(year, e.Code, c), nil, map[string]any{"queued": id})
	})
}

// mayReadScans: AVA, the exam's lead, a marker given the booklet (any
// round) and the subject's monitor who sampled it read its scans.
func (s *Service) mayReadScans(ctx context.Context, p *auth.Principal, year int, exam, code string) (bool, error) {
	if MayManage(p) {
		return true, nil
	}
	if lead, err := s.isLeadOf(ctx, p, year, exam); err != nil || lead {
		return lead, err
	}
	var n int
	switch {
	case MayMark(p):
		if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM marking_allocations WHERE year = $1 AND exam = $2 AND code = $3 AND username = $4`,
			year, exam, code, p.Username).Scan(&n); err != nil {
			return false, fmt.Errorf("marking: scan reader: %w", err)
		}
	case mayMonitorExam(p, exam):
		if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM marking_samples WHERE year = $1 AND exam = $2 AND code = $3`,
			year, exam, code).Scan(&n); err != nil {
			return false, fmt.Errorf("marking: scan reader: %w", err)
		}
	}
	return n > 0, nil
}

// ScanPages is the number of scanned pages of a booklet p may read (0
// when it has none); a booklet p may not read is not found.
func (s *Service) ScanPages(ctx context.Context, p *auth.Principal, year int, exam, code string) (int, error) {
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return 0, err
	}
	code = normCode(code)
	if ok, err := s.mayReadScans(ctx, p, year, e.Code, code); err != nil {
		return 0, err
	} else if !ok {
		return 0, notFoundBooklet(code)
	}
	var n int
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM marking_scans WHERE year = $1 AND exam = $2 AND code = $3`,
		year, e.Code, code).Scan(&n); err != nil {
		return 0, fmt.Errorf("marking: scan pages of %s: %w", code, err)
	}
	return n, nil
}

// ScanPage is page no of a booklet's scan, for p to mark from; a booklet
// p may not read, or a page it does not have, is not found.
func (s *Service) ScanPage(ctx context.Context, p *auth.Principal, year int, exam, code string, page int) (contentType string, data []byte, err error) {
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return "", nil, err
	}
	code = normCode(code)
	if ok, err := s.mayReadScans(ctx, p, year, e.Code, code); err != nil {
		return "", nil, err
	} else if !ok {
		return "", nil, notFoundBooklet(code)
	}
	err = s.db.Q(ctx).QueryRowContext(ctx, `SELECT content_type, bytes FROM marking_scans WHERE year = $1 AND exam = $2 AND code = $3 AND page = $4`,
		year, e.Code, code, page).Scan(&contentType, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, apperr.New(apperr.NotFound, "Testi %s nuk ka faqe të skanuar %d.", displayCode(code), page)
	}
	if err != nil {
		return "", nil, fmt.Errorf("marking: scan of %s: %w", code, err)
	}
	return contentType, data, nil
}

// pdfJPEGs returns the JPEG images embedded in a PDF (DCTDecode image
// streams), in the file's order: a scanner's PDF has one per page. It
// reads only that; any other PDF gives none.
func pdfJPEGs(data []byte) [][]byte {
	var out [][]byte
	rest := data
	for {
		i := bytes.Index(rest, []byte("/DCTDecode"))
		if i < 0 {
			return out
		}
		rest = rest[i+len("/DCTDecode"):]
		j := bytes.Index(rest, []byte("stream"))
		if j < 0 {
			return out
		}
		// the dictionary must end before its stream starts
		if bytes.Contains(rest[:j], []byte("endobj")) {
			continue
		}
		body := rest[j+len("stream"):]
		body = bytes.TrimPrefix(body, []byte("\r"))
		body = bytes.TrimPrefix(body, []byte("\n"))
		k := bytes.Index(body, []byte("endstream"))
		if k < 0 {
			return out
		}
		img := bytes.TrimRight(body[:k], "\r\n")
		if bytes.HasPrefix(img, []byte{0xFF, 0xD8}) {
			out = append(out, img)
		}
		rest = body[k:]
		if len(out) > MaxScanFiles {
			return out
		}
	}
}
