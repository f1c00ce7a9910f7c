package results

// What the results publish to package certificate: whether a candidate
// completed the Matura of a year (Neni 17) and the exams that count, as
// the candidate's prepared page holds them.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"provim/internal/application"
	"provim/internal/examyear"
	"provim/internal/store"
)

// Completion is a candidate's Matura of a year.
type Completion struct {
	StudentID int64 `json:"-"`
	Year      int   `json:"year"`
	// Exams are what counts: D1, D2 and the electives (earlier years'
	// valid results per Neni 17 ¶4, 26 included, marked by Year).
	Exams []ExamResult `json:"exams"`
	// Completed: every exam of the year published and both mandatory
	// exams passed (Neni 2.4, 16, 17 ¶1, 25); the electives are printed
	// as they are.
	Completed bool `json:"completed"`
}

// completionOf applies Neni 17 to what counts.
func completionOf(id int64, year int, cfg examyear.Config, current []ExamResult, prior []application.Result, o Outcome) Completion {
	c := Completion{StudentID: id, Year: year, Exams: Counted(year, cfg.ElectiveCount, current, prior, o)}
	if c.Exams == nil {
		c.Exams = []ExamResult{}
	}
	if len(o.Pending) > 0 {
		return c
	}
	// Neni 2.4, 16, 17 ¶1, 25: the Matura is passed, and the Dëftesë
	// Pjekurie due, with both mandatory exams; the electives are for
	// entering a public university (Neni 17 ¶3) and are printed with
	// their results, passed or not.
	mandatory := 0
	for i, e := range c.Exams {
		if sub, ok := cfg.Subject(e.Subject); ok && c.Exams[i].SubjectName == "" {
			c.Exams[i].SubjectName = sub.Name
		}
		if (e.Exam == examyear.KindD1 || e.Exam == examyear.KindD2) && e.Passed {
			mandatory++
		}
	}
	c.Completed = mandatory == 2
	return c
}

// CompletionOf returns a candidate's Matura of year as their prepared
// page holds it; NotFound while none of their results is published.
func (s *Service) CompletionOf(ctx context.Context, year int, studentID int64) (Completion, error) {
	var body string
	err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT body FROM results_pages WHERE year = $1 AND student_id = $2`, year, studentID).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return Completion{StudentID: studentID, Year: year}, nil
	}
	if err != nil {
		return Completion{}, fmt.Errorf("results: completion: %w", err)
	}
	return decodeCompletion(studentID, body)
}

func decodeCompletion(id int64, body string) (Completion, error) {
	var p Page
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		return Completion{}, fmt.Errorf("results: page of %d: %w", id, err)
	}
	c := p.Completion
	c.StudentID = id
	for i := range c.Exams {
		c.Exams[i].StudentID = id
	}
	return c, nil
}

// Completions returns every candidate of year whose results are all
// published, in student-id order after afterStudentID, at most limit.
func (s *Service) Completions(ctx context.Context, year int, afterStudentID int64, limit int) ([]Completion, error) {
	if limit <= 0 || limit > 5000 {
		limit = 5000
	}
	type row struct {
		id   int64
		body string
	}
	list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (row, error) {
		var x row
		return x, r.Scan(&x.id, &x.body)
	}, `SELECT student_id, body FROM results_pages WHERE year = $1 AND pending = 0 AND student_id > $2 ORDER BY student_id LIMIT $3`, year, afterStudentID, limit)
	if err != nil {
		return nil, fmt.Errorf("results: completions: %w", err)
	}
	out := make([]Completion, 0, len(list))
	for _, x := range list {
		c, err := decodeCompletion(x.id, x.body)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
