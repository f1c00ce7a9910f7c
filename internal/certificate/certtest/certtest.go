// Package certtest stands, in tests, a world of completions in for the
// certificates: a Source over a map the test fills (package results' own
// tests compute completions; the certificates' tests need only their
// outcome), and the completed Matura of a candidate.
package certtest

import (
	"context"
	"slices"
	"sync"

	"provim/internal/apperr"
	"provim/internal/certificate"
)

// Fixture is a certificate.Source over a map of completions.
type Fixture struct {
	mu sync.Mutex
	by map[key]certificate.Completion
}

type key struct {
	year int
	id   int64
}

// New returns an empty fixture.
func New() *Fixture { return &Fixture{by: map[key]certificate.Completion{}} }

// Set stores (or replaces) a candidate's completion of its year.
func (f *Fixture) Set(c certificate.Completion) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.by[key{c.Year, c.StudentID}] = c
}

// CompletionOf is the stored completion; NotFound when none.
func (f *Fixture) CompletionOf(_ context.Context, year int, id int64) (certificate.Completion, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.by[key{year, id}]
	if !ok {
		return certificate.Completion{}, apperr.New(apperr.NotFound, "Rezultatet nuk janë shpallur.")
	}
	return c, nil
}

// Completions are the stored completions of year, in student-id order.
func (f *Fixture) Completions(_ context.Context, year int, after int64, limit int) ([]certificate.Completion, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []int64
	for k := range f.by {
		if k.id > after && k.year == year {
			ids = append(ids, k.id)
		}
	}
	slices.Sort(ids)
	if len(ids) > limit {
		ids = ids[:limit]
	}
	out := make([]certificate.Completion, len(ids))
	for i, id := range ids {
		out[i] = f.by[key{year, id}]
	}
	return out, nil
}

// Complete is a Matura of 2027 with grades g of D1, D2 and two electives
// (8, 7, 9, 6 when none are given; a grade of 4 fails); the second
// elective's result is of 2026 (Neni 26).
func Complete(id int64, g ...int) certificate.Completion {
	if len(g) == 0 {
		g = []int{8, 7, 9, 6}
	}
	exams := []certificate.Exam{
		{Exam: "D1", Subject: "GJSH", SubjectName: "Gjuhë shqipe dhe letërsi", Points: 40, MaxPoints: 60, Grade: g[0], Year: 2027},
		{Exam: "D2", Subject: "MAT", SubjectName: "Matematikë", Points: 35, MaxPoints: 60, Grade: g[1], Year: 2027},
		{Exam: "FIZ", Subject: "FIZ", SubjectName: "Fizikë", Points: 45, MaxPoints: 60, Grade: g[2], Year: 2027},
		{Exam: "KIM", Subject: "KIM", SubjectName: "Kimi", Points: 30, MaxPoints: 60, Grade: g[3], Year: 2026},
	}
	done := true
	for i := range exams {
		exams[i].Passed = exams[i].Grade > 4
		done = done && exams[i].Passed
	}
	return certificate.Completion{StudentID: id, Year: 2027, Exams: exams, Completed: done}
}
