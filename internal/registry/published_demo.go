package registry

// Reads published for package demo (and any bulk work over a whole
// country), which walks every student of its synthetic country through
// the exam year. They run on db.Q(ctx), so they join the caller's
// transaction, and are limited to the caller's scope.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"provim/internal/auth"
	"provim/internal/store"
)

// EveryStudent lists every student in the caller's scope, unpaged, in the
// order they were registered (by id).
func (s *Service) EveryStudent(ctx context.Context, p *auth.Principal) ([]Student, error) {
	var q store.Query
	if err := ScopeStudents(p, &q); err != nil {
		return nil, err
	}
	out, err := store.Select(ctx, s.db.Q(ctx), scanStudent, `SELECT `+studentCols+`
		FROM students st JOIN schools sc ON sc.code = st.school_code`+q.Where()+` ORDER BY st.id`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("registry: students: %w", err)
	}
	return out, nil
}

// StudentByPersonalNo returns the student with a personal number in the
// caller's scope; outside it, or when nobody has it, the student is not
// found.
func (s *Service) StudentByPersonalNo(ctx context.Context, p *auth.Principal, personalNo string) (Student, error) {
	var q store.Query
	if err := ScopeStudents(p, &q); err != nil {
		return Student{}, err
	}
	q.Add("st.personal_no = ?", personalNo)
	st, err := scanStudent(s.db.Q(ctx).QueryRowContext(ctx, `SELECT `+studentCols+`
		FROM students st JOIN schools sc ON sc.code = st.school_code`+q.Where(), q.Args()...))
	if errors.Is(err, sql.ErrNoRows) {
		return Student{}, notFound("Nxënësi", personalNo)
	}
	if err != nil {
		return Student{}, fmt.Errorf("registry: student %s: %w", personalNo, err)
	}
	return st, nil
}
