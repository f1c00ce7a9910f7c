package registry

// What the registry publishes to package application: the students a form
// is filed for, with their school and unit, as Go reads, and, for the
// lists of forms that are filtered, sorted and paged in SQL together with
// their candidates' names, a read-only join fragment with its columns.
// Every function runs on db.Q(ctx), so it joins the caller's transaction.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/scope"
	"provim/internal/store"
)

// ---- the join of a list to its students ----

// StudentJoin is the SQL that joins to each row, whose student id is in
// column studentCol, its student (alias st). StudentSchoolCol,
// StudentOrder name what it offers.
func StudentJoin(studentCol string) string {
	return " JOIN students st ON st.id = " + studentCol
}

// SchoolJoin is the SQL that joins a school (alias sc) on the school code
// in column schoolCol: StudentSchoolCol after StudentJoin for the
// student's own school. ScopeStudents limits a query over StudentJoin and
// SchoolJoin; StudentColumns and StudentUnitCol need both.
func SchoolJoin(schoolCol string) string {
	return " JOIN schools sc ON sc.code = " + schoolCol
}

// StudentColumns are the columns over StudentJoin and SchoolJoin that
// Listed.Dest scans, in order.
const StudentColumns = `st.personal_no, st.first_name, st.father_name, st.last_name, st.birth_date, st.class_name,
	st.school_code, sc.name, sc.unit_code, COALESCE(st.average_grade, 0)`

// Columns and orders over StudentJoin (and SchoolJoin, for the unit and
// SchoolOrder), for conditions and ORDER BY.
const (
	StudentSchoolCol = "st.school_code"        // the student's school
	StudentUnitCol   = "sc.unit_code"          // the DAR/ZA of the joined school
	StudentSortKey   = "st.sort_key"           // Albanian alphabetical order of names
	StudentOrder     = "st.sort_key, st.id"    // the same, made total
	SchoolOrder      = "sc.unit_code, sc.code" // by DAR/ZA, then school
)

// Listed is a student as a list shows them, scanned from StudentColumns.
type Listed struct {
	PersonalNo, FirstName, FatherName, LastName string
	BirthDate, ClassName                        string
	SchoolCode, SchoolName, UnitCode            string
	AverageGrade                                float64 // 0 = not yet known
}

// Dest are the scan destinations of StudentColumns, in order.
func (l *Listed) Dest() []any {
	return []any{&l.PersonalNo, &l.FirstName, &l.FatherName, &l.LastName, &l.BirthDate, &l.ClassName,
		&l.SchoolCode, &l.SchoolName, &l.UnitCode, &l.AverageGrade}
}

// FullName is "First (Father) Last", as Student.FullName.
func (l *Listed) FullName() string {
	return PersonName(l.FirstName, l.FatherName, l.LastName)
}

// ---- students as the application phase reads them ----

// Enrolment is what the application phase reads of a student: their
// category and average grade, and their school with its unit.
type Enrolment struct {
	ID           int64
	PersonalNo   string
	Category     string // Maturant or Kandidat
	SchoolCode   string
	UnitCode     string
	Public       bool     // the school is public
	AverageGrade *float64 // nil while not known
}

const enrolmentSQL = `SELECT st.id, st.personal_no, st.category, st.school_code, sc.unit_code, sc.public, st.average_grade
	FROM students st JOIN schools sc ON sc.code = st.school_code`

func scanEnrolment(row store.Scanner) (Enrolment, error) {
	var e Enrolment
	var avg sql.NullFloat64
	err := row.Scan(&e.ID, &e.PersonalNo, &e.Category, &e.SchoolCode, &e.UnitCode, &e.Public, &avg)
	if avg.Valid {
		e.AverageGrade = &avg.Float64
	}
	return e, err
}

// Enrolment returns the student id in the caller's scope; outside it the
// student is not found.
func (s *Service) Enrolment(ctx context.Context, p *auth.Principal, id int64) (Enrolment, error) {
	var q store.Query
	if err := ScopeStudents(p, &q); err != nil {
		return Enrolment{}, err
	}
	q.Add("st.id = ?", id)
	e, err := scanEnrolment(s.db.Q(ctx).QueryRowContext(ctx, enrolmentSQL+q.Where(), q.Args()...))
	if errors.Is(err, sql.ErrNoRows) {
		return Enrolment{}, apperr.New(apperr.NotFound, "Nxënësi «%d» nuk u gjet.", id)
	}
	if err != nil {
		return Enrolment{}, fmt.Errorf("registry: student: %w", err)
	}
	return e, nil
}

// Enrolments lists every student in the caller's scope (a paper-forms
// file names its students by personal number).
func (s *Service) Enrolments(ctx context.Context, p *auth.Principal) ([]Enrolment, error) {
	var q store.Query
	if err := ScopeStudents(p, &q); err != nil {
		return nil, err
	}
	out, err := store.Select(ctx, s.db.Q(ctx), scanEnrolment, enrolmentSQL+q.Where(), q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("registry: students: %w", err)
	}
	return out, nil
}

// AssignSchool moves a student to school (the KMSH assigns a special
// category's school, Neni 27). The caller checked the scope and audits
// the act.
func (s *Service) AssignSchool(ctx context.Context, studentID int64, school string) error {
	if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE students SET school_code = $1, updated_at = $2 WHERE id = $3`,
		school, clock.Stored(s.db.Now(ctx)), studentID); err != nil {
		return fmt.Errorf("registry: assign school: %w", err)
	}
	return nil
}

// SetAverageGrade sets the average grade of a student's school years as a
// commission set it (Neni 23 ¶3, 33.5). The caller checked the scope and
// audits the act.
func (s *Service) SetAverageGrade(ctx context.Context, studentID int64, grade float64) error {
	if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE students SET average_grade = $1, updated_at = $2 WHERE id = $3`,
		grade, clock.Stored(s.db.Now(ctx)), studentID); err != nil {
		return fmt.Errorf("registry: set average: %w", err)
	}
	return nil
}

// ---- units ----

// UnitUnder reports whether unit is top or, when top is a DAR, one of the
// ZA under it.
func (s *Service) UnitUnder(ctx context.Context, unit, top string) (bool, error) {
	var q store.Query
	q.Add("code = ?", unit)
	scope.UnitsUnder(&q, "code", top)
	var n int
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM units`+q.Where(), q.Args()...).Scan(&n); err != nil {
		return false, fmt.Errorf("registry: unit scope: %w", err)
	}
	return n > 0, nil
}

// UnitsUnder lists the codes of the units that are one of tops or are a
// ZA under one of them.
func (s *Service) UnitsUnder(ctx context.Context, tops []string) ([]string, error) {
	if len(tops) == 0 {
		return nil, nil
	}
	var q store.Query
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(tops)), ", ")
	args := make([]any, len(tops))
	for i, t := range tops {
		args[i] = t
	}
	q.Add("(code IN ("+marks+") OR parent_code IN ("+marks+"))", append(args, args...)...)
	out, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (string, error) {
		var code string
		return code, r.Scan(&code)
	}, `SELECT code FROM units`+q.Where()+` ORDER BY code`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("registry: units: %w", err)
	}
	return out, nil
}
