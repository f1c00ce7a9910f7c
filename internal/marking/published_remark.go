package marking

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"provim/internal/apperr"
)

// What re-marking (Neni 64 ¶3: "me të njëjtat rregulla e procedura si
// vlerësimi i testeve") reads of marking: the test's items, the trained
// markers of the subject with their schools, the schools of a booklet's
// room and its original markers (so that neither of the two original
// markers, nor a marker of the booklet's schools, re-marks it), the
// original final points per item, and the scanned pages. Each read runs
// on db.Q(ctx) and so joins the caller's transaction. The rules of two
// markers and a third are marking's own: Score, Differ and Final.

// RemarkMarker is a qualified marker of an exam, with their school and
// the load the caller counts (re-markings given).
type RemarkMarker struct {
	Username string
	FullName string
	School   string
	Load     int
}

// RemarkPool is what re-marking needs to give a booklet its markers.
type RemarkPool struct {
	Items    []Item
	Markers  []RemarkMarker // qualified markers and leads (Neni 57.11), by username
	Schools  []string       // the schools of the booklet's room (Neni 57.13)
	Original []string       // who marked it in marking (rounds 1–3)
	// OriginalItems are the final points per item of the original
	// marking (nil for a voided booklet).
	OriginalItems []int
	FinalPoints   int
}

// RemarkPoolOf reads an exam's pool for one booklet code; the exam's
// marking must be closed (the results are published after it), and the
// code must be a candidate's booklet.
func (s *Service) RemarkPoolOf(ctx context.Context, year int, exam, code string) (RemarkPool, error) {
	exam, code = NormExam(exam), normCode(code)
	closed, err := s.Closed(ctx, year, exam)
	if err != nil {
		return RemarkPool{}, err
	}
	if !closed {
		return RemarkPool{}, apperr.New(apperr.Conflict, "Vlerësimi i provimit %s nuk është mbyllur: rivlerësimi vjen pas rezultateve (Neni 64).", exam)
	}
	b, err := s.bookletOf(ctx, year, exam, code)
	if err != nil {
		return RemarkPool{}, err
	}
	var p RemarkPool
	p.Schools, p.FinalPoints = b.Schools, b.FinalPoints
	if p.Items, err = s.items(ctx, year, exam); err != nil {
		return RemarkPool{}, err
	}
	ms, err := s.eligibleMarkers(ctx, year, exam, false)
	if err != nil {
		return RemarkPool{}, err
	}
	for _, m := range ms {
		p.Markers = append(p.Markers, RemarkMarker{Username: m.Username, FullName: m.FullName, School: m.School})
	}
	as, err := s.allocations(ctx, year, exam, code)
	if err != nil {
		return RemarkPool{}, err
	}
	for _, a := range as {
		p.Original = append(p.Original, a.Username)
		if b.State == StateFinal && a.Round == b.FinalRound {
			if p.OriginalItems == nil && a.Points != "" {
				if p.OriginalItems, err = splitPoints(a.Points); err != nil {
					return RemarkPool{}, fmt.Errorf("marking: points of %s: %w", code, err)
				}
			}
		}
	}
	return p, nil
}

func splitPoints(raw string) ([]int, error) {
	ps := strings.Split(raw, ",")
	out := make([]int, len(ps))
	for i, p := range ps {
		v, err := strconv.Atoi(p)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// Pick chooses at random, among the pool's markers allowed for the
// booklet — not of its schools (Neni 57.13), not one of its original
// markers, not in skip — one of those with the lightest load; false when
// none is allowed. It is marking's own allocation rule (pick).
func (p RemarkPool) Pick(skip ...string) (RemarkMarker, bool) {
	ms := make([]eligible, len(p.Markers))
	for i, m := range p.Markers {
		ms[i] = eligible{Username: m.Username, FullName: m.FullName, School: m.School, Load: m.Load}
	}
	k := pick(newRand(), ms, p.Schools, append(slices.Clip(p.Original), skip...)...)
	if k < 0 {
		return RemarkMarker{}, false
	}
	return p.Markers[k], true
}

// Allowed reports whether a marker of the pool may re-mark the booklet:
// qualified for the exam, not one of its original markers, not of its
// schools, not in skip.
func (p RemarkPool) Allowed(username string, skip ...string) (RemarkMarker, bool) {
	if slices.Contains(p.Original, username) || slices.Contains(skip, username) {
		return RemarkMarker{}, false
	}
	for _, m := range p.Markers {
		if m.Username == username {
			if m.School != "" && slices.Contains(p.Schools, m.School) {
				return RemarkMarker{}, false
			}
			return m, true
		}
	}
	return RemarkMarker{}, false
}

// ScanPagesOfCode is the number of scanned pages of a booklet (0 when it
// was not scanned). The caller authorises: re-marking serves them to the
// candidate whose booklet it is, and to the re-markers.
func (s *Service) ScanPagesOfCode(ctx context.Context, year int, exam, code string) (int, error) {
	var n int
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM marking_scans WHERE year = $1 AND exam = $2 AND code = $3`,
		year, NormExam(exam), normCode(code)).Scan(&n); err != nil {
		return 0, fmt.Errorf("marking: scan pages of %s: %w", code, err)
	}
	return n, nil
}

// ScanPageOfCode is page no of a booklet's scan; NotFound when it has no
// such page. The caller authorises.
func (s *Service) ScanPageOfCode(ctx context.Context, year int, exam, code string, page int) (contentType string, data []byte, err error) {
	err = s.db.Q(ctx).QueryRowContext(ctx, `SELECT content_type, bytes FROM marking_scans WHERE year = $1 AND exam = $2 AND code = $3 AND page = $4`,
		year, NormExam(exam), normCode(code), page).Scan(&contentType, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, apperr.New(apperr.NotFound, "Testi nuk ka faqe të skanuar %d.", page)
	}
	if err != nil {
		return "", nil, fmt.Errorf("marking: scan of %s: %w", code, err)
	}
	return contentType, data, nil
}

// DisplayCode writes a booklet code for people ("K7Q2-M9XD-R").
func DisplayCode(code string) string { return displayCode(code) }

// NormCode reads a booklet code as typed or shown.
func NormCode(code string) string { return normCode(code) }
