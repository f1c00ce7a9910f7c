package results

// What the results publish to the other packages (remark, certificate,
// SMIP): a candidate's published result of an exam, when an exam was
// published, the re-marking's final points (ApplyRemark, remark.go) and
// the hook that follows a changed grade (OnGradeChange, service.go).
// Every read runs on db.Q(ctx), so it joins the caller's transaction.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"provim/internal/apperr"
	"provim/internal/examyear"
	"provim/internal/store"
)

// ExamResult is a candidate's result of one exam.
type ExamResult struct {
	Year        int       `json:"year"`
	Session     int       `json:"session"`
	Exam        string    `json:"exam"`    // D1, D2 or the elective's subject code (the session apart)
	Subject     string    `json:"subject"` // subject code
	SubjectName string    `json:"subject_name"`
	StudentID   int64     `json:"-"`
	Points      int       `json:"points"`
	MaxPoints   int       `json:"max_points"`
	Grade       int       `json:"grade"` // 4–10; 0 when voided or absent
	Passed      bool      `json:"passed"`
	Voided      bool      `json:"voided"` // Neni 54–55, 57.17
	VoidReason  string    `json:"void_reason,omitempty"`
	Absent      bool      `json:"absent"`
	PublishedAt time.Time `json:"published_at"` // zero before publication
	Remarked    bool      `json:"remarked"`     // changed by a re-marking (Neni 64)
}

// Test is the result's test key (examyear.TestKey): "D1", "D1-2".
func (r ExamResult) Test() string { return examyear.TestKey(r.Exam, r.Session) }

// TestLabel names the result's test for people: "D1", "D1 (sesioni 2)".
func (r ExamResult) TestLabel() string { return examyear.TestLabel(r.Test()) }

// resultColumns are the columns scanResult reads, over results (alias r)
// joined to results_exams (alias e).
const resultColumns = `r.year, r.session, r.exam, r.subject, r.student_id, r.points, r.max_points, r.grade, r.passed, r.voided, r.void_reason, r.absent, r.remarked, e.published_at`

const resultFrom = ` FROM results r JOIN results_exams e ON e.year = r.year AND e.exam = r.exam AND e.session = r.session`

func scanResult(r store.Scanner) (ExamResult, error) {
	var x ExamResult
	var passed, voided, absent, remarked int
	var published string
	if err := r.Scan(&x.Year, &x.Session, &x.Exam, &x.Subject, &x.StudentID, &x.Points, &x.MaxPoints, &x.Grade,
		&passed, &voided, &x.VoidReason, &absent, &remarked, &published); err != nil {
		return x, err
	}
	x.Passed, x.Voided, x.Absent, x.Remarked = passed == 1, voided == 1, absent == 1, remarked == 1
	if published != "" {
		t, err := time.Parse(time.RFC3339, published)
		if err != nil {
			return x, fmt.Errorf("results: published at %q: %w", published, err)
		}
		x.PublishedAt = t
	}
	return x, nil
}

// ResultOf returns a candidate's published result of a test of year (a
// test key: "D1" of the first session, "D1-2" of the second); NotFound
// before publication.
func (s *Service) ResultOf(ctx context.Context, year int, key string, studentID int64) (ExamResult, error) {
	exam, session := splitKey(key)
	list, err := store.Select(ctx, s.db.Q(ctx), scanResult, `SELECT `+resultColumns+resultFrom+
		` WHERE r.year = $1 AND r.exam = $2 AND r.session = $3 AND r.student_id = $4 AND e.published_at <> ''`, year, exam, session, studentID)
	if err != nil {
		return ExamResult{}, fmt.Errorf("results: result of: %w", err)
	}
	if len(list) == 0 {
		return ExamResult{}, apperr.New(apperr.NotFound, "Rezultati i provimit %s të vitit %d nuk është shpallur për këtë kandidat.", examyear.TestLabel(key), year)
	}
	x := list[0]
	s.nameSubject(ctx, &x)
	return x, nil
}

// PublishedAt returns when a test's results of year were published (a
// test key: the second session's "D1-2" its own day); false before.
func (s *Service) PublishedAt(ctx context.Context, year int, key string) (time.Time, bool, error) {
	var at string
	exam, session := splitKey(key)
	err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT published_at FROM results_exams WHERE year = $1 AND exam = $2 AND session = $3`,
		year, exam, session).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && at == "") {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("results: published at: %w", err)
	}
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("results: published at %q: %w", at, err)
	}
	return t, true, nil
}

// nameSubject fills the subject's name from the year's configuration.
func (s *Service) nameSubject(ctx context.Context, x *ExamResult) {
	if y, err := s.yearOf(ctx, x.Year); err == nil {
		if sub, ok := y.Config.Subject(x.Subject); ok {
			x.SubjectName = sub.Name
		}
	}
}
