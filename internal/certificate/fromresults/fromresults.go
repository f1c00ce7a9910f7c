// Package fromresults reads package results' completions for package
// certificate (its Source): a small adapter, so that the certificates'
// tests can stand a world of completions in without computing results.
package fromresults

import (
	"context"

	"provim/internal/certificate"
	"provim/internal/results"
)

// Source is the certificates' view of the results.
type Source struct{ R *results.Service }

// CompletionOf is results.CompletionOf, converted.
func (s Source) CompletionOf(ctx context.Context, year int, studentID int64) (certificate.Completion, error) {
	c, err := s.R.CompletionOf(ctx, year, studentID)
	if err != nil {
		return certificate.Completion{}, err
	}
	return convert(c), nil
}

// Completions is results.Completions, converted.
func (s Source) Completions(ctx context.Context, year int, after int64, limit int) ([]certificate.Completion, error) {
	list, err := s.R.Completions(ctx, year, after, limit)
	if err != nil {
		return nil, err
	}
	out := make([]certificate.Completion, len(list))
	for i, c := range list {
		out[i] = convert(c)
	}
	return out, nil
}

func convert(c results.Completion) certificate.Completion {
	out := certificate.Completion{StudentID: c.StudentID, Year: c.Year, Completed: c.Completed}
	for _, e := range c.Exams {
		out.Exams = append(out.Exams, certificate.Exam{
			Exam: e.Exam, Subject: e.Subject, SubjectName: e.SubjectName, Points: e.Points, MaxPoints: e.MaxPoints,
			Grade: e.Grade, Passed: e.Passed && !e.Voided, Year: e.Year, Session: sessionOf(e.Session),
		})
	}
	return out
}

// sessionOf keeps the session only when it is the second (Neni 58): a
// first-session result prints as before.
func sessionOf(session int) int {
	if session == 2 {
		return 2
	}
	return 0
}
