package results

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/store"
)

// What the results hand to SMIP, the state education information system
// (issue 15 item 9; the action plan's "të dhënat për SMIP"), and to AVA
// as a file: each candidate's published results. The feed reads the
// prepared pages in the order of their change sequence (results_pages.seq,
// grown by every publication and re-marking), so "changes since a point"
// is one index range; a re-marked candidate's page gets a new seq and
// comes again after the cursor. Written by part S (SMIP export).

// SMIP feed bounds: the default and largest page.
const (
	SMIPDefaultLimit = 500
	SMIPMaxLimit     = 5000
)

// MayReadSMIPFeed: only SMIP's account reads the feed (its token reaches
// nothing else, auth.Principal.ConfinedTo).
func MayReadSMIPFeed(p *auth.Principal) bool { return p != nil && p.Role == auth.RoleSMIP }

// MayExportResults: AVA takes a year's published results as a file.
func MayExportResults(p *auth.Principal) bool { return p != nil && p.Role == auth.RoleAVA }

// SMIPRecord is one candidate's published results of a year as they
// stand after the change numbered Cursor.
type SMIPRecord struct {
	Cursor     string       `json:"cursor"`
	Year       int          `json:"year"`
	PersonalNo string       `json:"personal_no"`
	RegNo      string       `json:"reg_no"`
	Name       string       `json:"name"`
	SchoolCode string       `json:"school_code"`
	Completed  bool         `json:"completed"` // every counted exam published and passed (Neni 17)
	Exams      []ExamResult `json:"exams"`
	ChangedAt  string       `json:"changed_at"` // RFC 3339, UTC
}

// SMIPFeed is one page of the feed: Next is the cursor to ask from next
// (the last record's, or the one asked when nothing changed); More says
// more changes wait beyond this page.
type SMIPFeed struct {
	Items []SMIPRecord `json:"items"`
	Next  string       `json:"next"`
	More  bool         `json:"more"`
}

// ParseCursor reads a cursor: "" (from the start) or the decimal number a
// feed gave.
func ParseCursor(raw string) (int64, error) {
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < 0 || len(raw) > 19 {
		return 0, apperr.New(apperr.Invalid, "Kursori %q nuk është i vlefshëm: jepni vlerën \"next\" të faqes së mëparshme (një numër), ose asgjë për fillimin.", raw)
	}
	return n, nil
}

// SMIPChanges returns the candidates whose published results changed
// after the cursor since, oldest change first, at most limit (1 to
// SMIPMaxLimit; 0 is the default).
func (s *Service) SMIPChanges(ctx context.Context, by *auth.Principal, since int64, limit int) (SMIPFeed, error) {
	if !MayReadSMIPFeed(by) {
		return SMIPFeed{}, apperr.New(apperr.Forbidden, "Eksporti i rezultateve për SMIP lexohet vetëm me llogarinë e SMIP-it.")
	}
	if limit == 0 {
		limit = SMIPDefaultLimit
	}
	if limit < 1 || limit > SMIPMaxLimit {
		return SMIPFeed{}, apperr.New(apperr.Invalid, "limit %d: jepni një numër nga 1 deri në %d.", limit, SMIPMaxLimit)
	}
	type row struct {
		year      int
		id, seq   int64
		body      string
		completed int
		updated   string
	}
	rows, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (row, error) {
		var x row
		return x, r.Scan(&x.year, &x.id, &x.body, &x.seq, &x.completed, &x.updated)
	}, `SELECT year, student_id, body, seq, completed, updated_at FROM results_pages WHERE seq > $1 ORDER BY seq LIMIT $2`, since, limit+1)
	if err != nil {
		return SMIPFeed{}, fmt.Errorf("results: smip feed: %w", err)
	}
	feed := SMIPFeed{Items: []SMIPRecord{}, Next: strconv.FormatInt(since, 10)}
	if len(rows) > limit {
		rows, feed.More = rows[:limit], true
	}
	ids := make([]int64, len(rows))
	byYear := map[int][]int64{}
	for i, x := range rows {
		ids[i] = x.id
		byYear[x.year] = append(byYear[x.year], x.id)
	}
	holders, err := s.registry.CertificateHolders(ctx, ids)
	if err != nil {
		return SMIPFeed{}, err
	}
	schools := map[[2]int64]string{}
	for y, list := range byYear {
		_, sc, err := s.placesOf(ctx, y, list)
		if err != nil {
			return SMIPFeed{}, err
		}
		for id, c := range sc {
			schools[[2]int64{int64(y), id}] = c
		}
	}
	for _, x := range rows {
		var p Page
		if err := json.Unmarshal([]byte(x.body), &p); err != nil {
			return SMIPFeed{}, fmt.Errorf("results: smip feed: page of %d: %w", x.id, err)
		}
		rec := SMIPRecord{Cursor: strconv.FormatInt(x.seq, 10), Year: x.year, PersonalNo: holders[x.id].PersonalNo, RegNo: p.RegNo,
			Name: p.Name, SchoolCode: schools[[2]int64{int64(x.year), x.id}], Completed: x.completed == 1, ChangedAt: x.updated, Exams: []ExamResult{}}
		for _, e := range p.Exams {
			rec.Exams = append(rec.Exams, e.ExamResult)
		}
		feed.Items = append(feed.Items, rec)
		feed.Next = rec.Cursor
	}
	return feed, nil
}

// ExportRow is one candidate's published result of one exam in AVA's
// file of a year (CSV or JSON): public identifiers, never a database id.
type ExportRow struct {
	Year        int    `json:"year"`
	Session     int    `json:"session"`
	Exam        string `json:"exam"`
	Subject     string `json:"subject"`
	RegNo       string `json:"reg_no"`
	PersonalNo  string `json:"personal_no"`
	Name        string `json:"name"`
	SchoolCode  string `json:"school_code"`
	Points      int    `json:"points"`
	MaxPoints   int    `json:"max_points"`
	Grade       int    `json:"grade"`
	Passed      bool   `json:"passed"`
	Voided      bool   `json:"voided"`
	VoidReason  string `json:"void_reason"`
	Absent      bool   `json:"absent"`
	Remarked    bool   `json:"remarked"`
	PublishedAt string `json:"published_at"` // RFC 3339, UTC
}

// exportBatch is the rows read at a time: the file streams, its memory
// bounded by one batch whatever the year's size.
const exportBatch = 2000

// ExportYear hands emit every published result of year, by candidate
// (registration order of the database, never a ranking: Neni 63) and
// exam, reading exportBatch rows at a time by keyset.
func (s *Service) ExportYear(ctx context.Context, by *auth.Principal, year int, emit func(ExportRow) error) error {
	if !MayExportResults(by) {
		return apperr.New(apperr.Forbidden, "Skedarin e rezultateve të vitit e merr vetëm AVA.")
	}
	if _, err := s.years.Get(ctx, by, year); err != nil {
		return err
	}
	type row struct {
		r                        ExamResult
		regNo, school, published string
	}
	var lastID int64
	lastExam, lastSession := "", 0
	for {
		batch, err := store.Select(ctx, s.db.Q(ctx), func(sc store.Scanner) (row, error) {
			var x row
			var passed, voided, absent, remarked int
			err := sc.Scan(&x.r.Year, &x.r.Session, &x.r.Exam, &x.r.Subject, &x.r.StudentID, &x.r.Points, &x.r.MaxPoints, &x.r.Grade,
				&passed, &voided, &x.r.VoidReason, &absent, &remarked, &x.published, &x.regNo, &x.school)
			x.r.Passed, x.r.Voided, x.r.Absent, x.r.Remarked = passed == 1, voided == 1, absent == 1, remarked == 1
			return x, err
		}, `SELECT r.year, r.session, r.exam, r.subject, r.student_id, r.points, r.max_points, r.grade, r.passed, r.voided, r.void_reason,
			r.absent, r.remarked, e.published_at, r.reg_no, r.school_code`+resultFrom+`
			WHERE r.year = $1 AND e.published_at <> '' AND (r.student_id > $2 OR (r.student_id = $2 AND (r.exam > $3 OR (r.exam = $3 AND r.session > $4))))
			ORDER BY r.student_id, r.exam, r.session LIMIT $5`, year, lastID, lastExam, lastSession, exportBatch)
		if err != nil {
			return fmt.Errorf("results: export %d: %w", year, err)
		}
		if len(batch) == 0 {
			return nil
		}
		ids := make([]int64, len(batch))
		for i, x := range batch {
			ids[i] = x.r.StudentID
		}
		holders, err := s.registry.CertificateHolders(ctx, ids)
		if err != nil {
			return err
		}
		for _, x := range batch {
			h := holders[x.r.StudentID]
			if err := emit(ExportRow{Year: x.r.Year, Session: x.r.Session, Exam: x.r.Exam, Subject: x.r.Subject, RegNo: x.regNo,
				PersonalNo: h.PersonalNo, Name: h.FullName(), SchoolCode: x.school, Points: x.r.Points, MaxPoints: x.r.MaxPoints,
				Grade: x.r.Grade, Passed: x.r.Passed, Voided: x.r.Voided, VoidReason: x.r.VoidReason, Absent: x.r.Absent,
				Remarked: x.r.Remarked, PublishedAt: x.published}); err != nil {
				return err
			}
		}
		last := batch[len(batch)-1].r
		lastID, lastExam, lastSession = last.StudentID, last.Exam, last.Session
	}
}
