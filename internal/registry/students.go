package registry

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/scope"
	"provim/internal/store"
)

// ---- students ----

const studentCols = `st.id, st.personal_no, st.first_name, st.father_name, st.last_name, st.sex, st.birth_date,
	st.school_code, sc.name, st.class_name, COALESCE(st.average_grade, 0), st.category, st.phone, st.updated_at`

func scanStudent(row store.Scanner) (Student, error) {
	var s Student
	err := row.Scan(&s.ID, &s.PersonalNo, &s.FirstName, &s.FatherName, &s.LastName, &s.Sex, &s.BirthDate,
		&s.SchoolCode, &s.SchoolName, &s.ClassName, &s.AverageGrade, &s.Category, &s.Phone, &s.UpdatedAt)
	return s, err
}

// StudentFilter narrows ListStudents.
type StudentFilter struct {
	Q        string // name or personal number
	School   string
	Unit     string
	Category string
	Page     Page
}

// ListStudents lists students in the caller's scope in Albanian
// alphabetical order (surname, name, father's name), with the total count.
func (s *Service) ListStudents(ctx context.Context, p *auth.Principal, f StudentFilter) ([]Student, int, error) {
	var q store.Query
	if err := ScopeStudents(p, &q); err != nil {
		return nil, 0, err
	}
	addSearch(&q, f.Q, "st.first_name", "st.last_name", "st.personal_no")
	if f.School != "" {
		q.Add("st.school_code = ?", f.School)
	}
	if f.Unit != "" {
		scope.UnitsUnder(&q, "sc.unit_code", f.Unit)
	}
	if f.Category != "" {
		q.Add("st.category = ?", f.Category)
	}
	from := ` FROM students st JOIN schools sc ON sc.code = st.school_code` + q.Where()
	db := s.db.Q(ctx)
	var total int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*)`+from, q.Args()...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("registry: count students: %w", err)
	}
	// sort_key holds the Albanian collation key, so byte order is correct.
	order := ` ORDER BY st.sort_key, st.id` + f.Page.clause(&q)
	out, err := store.Select(ctx, db, scanStudent, `SELECT `+studentCols+from+order, q.Args()...)
	if err != nil {
		return nil, 0, fmt.Errorf("registry: list students: %w", err)
	}
	return out, total, nil
}

// GetStudent returns one student in the caller's scope.
func (s *Service) GetStudent(ctx context.Context, p *auth.Principal, id int64) (Student, error) {
	var q store.Query
	if err := ScopeStudents(p, &q); err != nil {
		return Student{}, err
	}
	q.Add("st.id = ?", id)
	st, err := scanStudent(s.db.Q(ctx).QueryRowContext(ctx, `SELECT `+studentCols+` FROM students st JOIN schools sc ON sc.code = st.school_code`+q.Where(), q.Args()...))
	if errors.Is(err, sql.ErrNoRows) {
		return Student{}, notFound("Nxënësi", strconv.FormatInt(id, 10))
	}
	if err != nil {
		return Student{}, fmt.Errorf("registry: get student: %w", err)
	}
	return st, nil
}

// SaveStudent creates a student (ID 0) or updates one in the caller's
// scope. The natural key is the personal number.
func (s *Service) SaveStudent(ctx context.Context, p *auth.Principal, in Student) (Student, error) {
	st, _, err := s.UpsertStudent(ctx, p, in)
	return st, err
}

// upsertStudent is SaveStudent that also tells whether the student was
// created. With ID 0 the personal number decides: an existing student in
// the caller's scope is updated. With an ID, that student must be in the
// caller's scope (else not_found) and keep their personal number.
// UpsertStudent (corrections.go) adds the rule of the final lists.
func (s *Service) upsertStudent(ctx context.Context, p *auth.Principal, in Student) (Student, bool, error) {
	if err := canWrite(p); err != nil {
		return Student{}, false, err
	}
	if in.ID != 0 {
		old, err := s.GetStudent(ctx, p, in.ID)
		if err != nil {
			return Student{}, false, err
		}
		// The personal number is the natural key: changing it here would
		// silently create another person.
		if n, _ := ParseNID(in.PersonalNo); n.Number != old.PersonalNo {
			return Student{}, false, apperr.New(apperr.Invalid, "Numri personal nuk ndryshohet nga kjo faqe: regjistroni nxënësin me numrin e saktë dhe njoftoni AVA-n për të dhënën e gabuar.")
		}
	}
	res, err := importRecords(ctx, s, p, studentSpec, []record[Student]{{val: in}}, nil)
	if err != nil {
		return Student{}, false, singleError("Nxënësi nuk u ruajt", studentSpec.outside, err)
	}
	n, _ := ParseNID(in.PersonalNo)
	var id int64
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT id FROM students WHERE personal_no = $1`, n.Number).Scan(&id); err != nil {
		return Student{}, false, fmt.Errorf("registry: reread student: %w", err)
	}
	st, err := s.GetStudent(ctx, p, id)
	return st, res.Created > 0, err
}
