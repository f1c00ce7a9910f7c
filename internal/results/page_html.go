package results

// The candidate's page as HTML, prepared with the page (issue 15 item 4):
// on the night of the results the page is one primary-key read of a small
// row and the layout around it, not a template run over the decoded JSON.
// The domain does not know the web's templates: the web area registers
// the function that writes a Page's content (SetPageRenderer), with a
// version naming the template; rebuildPages and LoadPages store what it
// writes in results_page_html in the same transaction as the page. A row
// of another version (the template changed since) is never served: the
// page is then rendered from its JSON (MyPageHTML's fallback).

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/store"
)

// PageRenderer writes the content of a candidate's page as HTML.
type PageRenderer struct {
	// Version names the template (a hash of its text): stored HTML of
	// another version is not served.
	Version string
	Render  func(Page) ([]byte, error)
}

var renderer atomic.Pointer[PageRenderer]

// SetPageRenderer registers the function that writes a page's content
// (the web area's template), once at start; a later call replaces it.
// Pages prepared while none is registered are stored without HTML and
// rendered per request.
func SetPageRenderer(version string, fn func(Page) ([]byte, error)) {
	if fn == nil {
		renderer.Store(nil)
		return
	}
	renderer.Store(&PageRenderer{Version: version, Render: fn})
}

// pageRenderer is the registered renderer, or nil.
func pageRenderer() *PageRenderer { return renderer.Load() }

// htmlCols are the columns of results_page_html, in the order of htmlRow.
var htmlCols = []string{"year", "student_id", "version", "html"}

// htmlRow is the row of results_page_html of the page stored as body, or
// nil without a renderer. The page is read back from body, so that the
// HTML is exactly what a render of the served JSON shows.
func htmlRow(pr *PageRenderer, year int, id int64, body []byte) ([]any, error) {
	if pr == nil {
		return nil, nil
	}
	var p Page
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, fmt.Errorf("results: page html of %d: %w", id, err)
	}
	b, err := pr.Render(p)
	if err != nil {
		return nil, fmt.Errorf("results: page html of %d: %w", id, err)
	}
	return []any{year, id, pr.Version, string(b)}, nil
}

// replaceHTML deletes the stored HTML of the students and writes rows (in
// the caller's transaction): a page rebuilt without a renderer keeps no
// HTML of its former state.
func (s *Service) replaceHTML(ctx context.Context, year int, ids []int64, rows [][]any) error {
	for _, part := range store.Chunks(ids, 500) {
		if _, err := s.db.Q(ctx).ExecContext(ctx, `DELETE FROM results_page_html WHERE year = $1 AND student_id IN (`+store.Placeholders(2, len(part))+`)`,
			append([]any{year}, store.Args(part)...)...); err != nil {
			return fmt.Errorf("results: page html: %w", err)
		}
	}
	if err := store.Insert(ctx, "results_page_html", htmlCols, rows); err != nil {
		return fmt.Errorf("results: page html: %w", err)
	}
	return nil
}

// MyPageHTML is the candidate's page of the active year as the prepared
// HTML of its content when the registered renderer wrote it (one
// primary-key read); else (html nil) the page itself, to be rendered.
// NotFound while none of their results is published; only the candidate
// themselves (as MyPage).
func (s *Service) MyPageHTML(ctx context.Context, p *auth.Principal) (html []byte, page Page, err error) {
	if !MaySeeOwn(p) {
		return nil, Page{}, apperr.New(apperr.Forbidden, "Rezultatet e veta i sheh vetëm kandidati.")
	}
	if pr := pageRenderer(); pr != nil {
		year, err := s.years.ActiveYear(ctx)
		if err != nil {
			return nil, Page{}, fmt.Errorf("results: active year: %w", err)
		}
		key := pageKey{year, p.StudentID}
		kept, gen, keeping, err := s.cached(ctx, key)
		if err != nil {
			return nil, Page{}, err
		}
		if kept.html != nil && kept.version == pr.Version {
			s.cache.hits.Add(1)
			return kept.html, Page{}, nil
		}
		s.cache.misses.Add(1)
		var version, h string
		err = s.db.Q(ctx).QueryRowContext(ctx, `SELECT version, html FROM results_page_html WHERE year = $1 AND student_id = $2`, year, p.StudentID).Scan(&version, &h)
		switch {
		case err == nil && version == pr.Version:
			b := []byte(h)
			if keeping {
				s.keep(key, gen, func(c *cachedPage) { c.version, c.html = version, b })
			}
			return b, Page{}, nil
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return nil, Page{}, fmt.Errorf("results: my page html: %w", err)
		}
	}
	page, _, err = s.MyPage(ctx, p)
	return nil, page, err
}

// htmlChunk is the pages PreparePagesHTML renders per transaction.
const htmlChunk = 5000

// PreparePagesHTML writes, with the registered renderer, the HTML of every
// page of year that has none or one of another version (pages written
// before the renderer was registered, in bulk, or by an older template),
// in transactions of htmlChunk pages (one audit entry each), and returns
// how many it wrote. It changes no result: what it writes is derived from
// the stored page. Without a renderer it writes none.
func (s *Service) PreparePagesHTML(ctx context.Context, year int) (int, error) {
	return s.preparePagesHTML(ctx, year, htmlChunk, nil)
}

// preparePagesHTML is PreparePagesHTML in transactions of chunk pages,
// calling done (when not nil) after each with the pages written so far;
// done's error stops it. Each transaction takes, on PostgreSQL, the lock
// a publication or a re-marking takes to write pages (lastSeq: SHARE ROW
// EXCLUSIVE on results_pages, which conflicts with itself) before it
// reads the stale pages, so that it never stores the HTML of a body a
// concurrent publication has just replaced, and two servers preparing at
// once write each page once (the second reads what the first committed).
// SQLite has one writer at a time already (_txlock=immediate).
func (s *Service) preparePagesHTML(ctx context.Context, year, chunk int, done func(written int) error) (int, error) {
	pr := pageRenderer()
	if pr == nil {
		return 0, nil
	}
	type row struct {
		id   int64
		body string
	}
	scan := func(r store.Scanner) (row, error) {
		var x row
		return x, r.Scan(&x.id, &x.body)
	}
	written := 0
	var after int64 = -1
	for {
		var rows []row
		err := s.db.InTx(ctx, func(ctx context.Context) error {
			if err := s.lockPages(ctx); err != nil {
				return err
			}
			var err error
			rows, err = store.Select(ctx, s.db.Q(ctx), scan, `SELECT p.student_id, p.body FROM results_pages p
				LEFT JOIN results_page_html h ON h.year = p.year AND h.student_id = p.student_id
				WHERE p.year = $1 AND p.student_id > $2 AND (h.version IS NULL OR h.version <> $3)
				ORDER BY p.student_id LIMIT $4`, year, after, pr.Version, chunk)
			if err != nil || len(rows) == 0 {
				return err
			}
			ids := make([]int64, len(rows))
			out := make([][]any, len(rows))
			for i, x := range rows {
				ids[i] = x.id
				if out[i], err = htmlRow(pr, year, x.id, []byte(x.body)); err != nil {
					return err
				}
			}
			if err := s.replaceHTML(ctx, year, ids, out); err != nil {
				return err
			}
			return audit.Add(ctx, audit.System, "pages_html", "results_page_html", fmt.Sprint(year), nil,
				map[string]any{"pages": len(rows), "version": pr.Version})
		})
		if err != nil {
			return written, fmt.Errorf("results: prepare pages html: %w", err)
		}
		if len(rows) == 0 {
			return written, nil
		}
		written += len(rows)
		after = rows[len(rows)-1].id
		if done != nil {
			if err := done(written); err != nil {
				return written, err
			}
		}
	}
}

// lockPages takes, on PostgreSQL, the lock of the writers of pages (as
// lastSeq does) until the transaction ends; readers go on.
func (s *Service) lockPages(ctx context.Context) error {
	if s.db.Dialect != store.Postgres {
		return nil
	}
	if _, err := s.db.Q(ctx).ExecContext(ctx, `LOCK TABLE results_pages IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return fmt.Errorf("results: page lock: %w", err)
	}
	return nil
}

// RefreshOptions bound RefreshPagesHTML.
type RefreshOptions struct {
	// Chunk is the pages written per transaction (0: 500): the lock that
	// holds publication back is held for one chunk only.
	Chunk int
	// Pause is the rest between two chunks, leaving the processor to the
	// requests (0: none).
	Pause time.Duration
	// Log receives the progress (nil: slog.Default()).
	Log *slog.Logger
}

// RefreshPagesHTML brings the prepared HTML of the pages of every year up
// to date with the registered renderer (issue 15: after an upgrade whose
// template differs, nothing else rewrites them until the next publication
// or re-marking). provim serve runs it in the background at start: until
// it reaches a page the page is rendered per request (MyPageHTML never
// serves a row of another version), so serving is correct meanwhile, only
// slower. It logs how many pages are stale and its progress, stops when
// ctx ends, and returns how many pages it wrote. It changes no result.
func (s *Service) RefreshPagesHTML(ctx context.Context, o RefreshOptions) (int, error) {
	pr := pageRenderer()
	if pr == nil {
		return 0, nil
	}
	if o.Chunk <= 0 {
		o.Chunk = 500
	}
	log := o.Log
	if log == nil {
		log = slog.Default()
	}
	years, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (int, error) {
		var y int
		return y, r.Scan(&y)
	}, `SELECT DISTINCT year FROM results_pages ORDER BY year DESC`)
	if err != nil {
		return 0, fmt.Errorf("results: refresh pages html: %w", err)
	}
	total := 0
	for _, year := range years {
		var stale int
		if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM results_pages p
			LEFT JOIN results_page_html h ON h.year = p.year AND h.student_id = p.student_id
			WHERE p.year = $1 AND (h.version IS NULL OR h.version <> $2)`, year, pr.Version).Scan(&stale); err != nil {
			return total, fmt.Errorf("results: refresh pages html of %d: %w", year, err)
		}
		if stale == 0 {
			continue
		}
		log.Info("prepared pages: bringing up to date", "year", year, "stale", stale, "version", pr.Version)
		start := clock.StartTimer()
		n, err := s.preparePagesHTML(ctx, year, o.Chunk, func(written int) error {
			log.Info("prepared pages: progress", "year", year, "written", written, "stale", stale)
			if o.Pause <= 0 {
				return ctx.Err()
			}
			t := time.NewTimer(o.Pause)
			defer t.Stop()
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-t.C:
				return nil
			}
		})
		total += n
		if err != nil {
			return total, err
		}
		log.Info("prepared pages: up to date", "year", year, "written", n, "took", start.Elapsed().Round(time.Millisecond))
	}
	return total, nil
}

// MyPageJSON is MyPageRaw (the stored JSON and its entity tag, served to
// the API as it is) with the active year's number read without a copy of
// its configuration (examyear.ActiveYear): the API's request of the night.
func (s *Service) MyPageJSON(ctx context.Context, p *auth.Principal) ([]byte, string, error) {
	if !MaySeeOwn(p) {
		return nil, "", apperr.New(apperr.Forbidden, "Rezultatet e veta i sheh vetëm kandidati.")
	}
	year, err := s.years.ActiveYear(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("results: active year: %w", err)
	}
	key := pageKey{year, p.StudentID}
	kept, gen, keeping, err := s.cached(ctx, key)
	if err != nil {
		return nil, "", err
	}
	if kept.body != nil {
		s.cache.hits.Add(1)
		return kept.body, kept.etag, nil
	}
	s.cache.misses.Add(1)
	var body, etag string
	err = s.db.Q(ctx).QueryRowContext(ctx, `SELECT body, etag FROM results_pages WHERE year = $1 AND student_id = $2`, year, p.StudentID).Scan(&body, &etag)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", apperr.New(apperr.NotFound, "Rezultatet tuaja të vitit %d nuk janë shpallur ende.", year)
	}
	if err != nil {
		return nil, "", fmt.Errorf("results: my page: %w", err)
	}
	b := []byte(body)
	if keeping {
		s.keep(key, gen, func(c *cachedPage) { c.body, c.etag = b, etag })
	}
	return b, etag, nil
}
