package application

// What package results reads of the application phase: the exclusions
// from an exam (Neni 54–55 void its result), the results of earlier years
// and sessions recorded for the candidates (Neni 17 ¶4, 26.2–26.3), and
// the students who failed the school year (Neni 35), who sit the second
// session (Neni 58). They run on db.Q(ctx), so they join the caller's
// transaction, and apply no scope: the caller has.

import (
	"context"
	"fmt"

	"provim/internal/apperr"
	"provim/internal/registry"
	"provim/internal/scope"
	"provim/internal/store"
)

// ExamExclusions returns the causes (the point of Neni 54, e.g. "54.5")
// of the exclusions recorded for an exam of year (D1, D2 or an elective's
// code), by student.
func (s *Service) ExamExclusions(ctx context.Context, year int, exam string) (map[int64]string, error) {
	type row struct {
		id    int64
		cause string
	}
	list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (row, error) {
		var x row
		return x, r.Scan(&x.id, &x.cause)
	}, `SELECT student_id, cause FROM exam_exclusions WHERE year = $1 AND exam = $2`, year, exam)
	if err != nil {
		return nil, fmt.Errorf("application: exclusions of an exam: %w", err)
	}
	out := make(map[int64]string, len(list))
	for _, x := range list {
		out[x.id] = x.cause
	}
	return out, nil
}

// PriorResults returns the recorded results of earlier years or sessions
// of one student (only ≠ 0) or of every student (only = 0), by student.
func (s *Service) PriorResults(ctx context.Context, only int64) (map[int64][]Result, error) {
	return s.resultsOf(ctx, only)
}

// FailingStudent is a student of year who failed the school year (Neni
// 35, "mbetës"), with the school they are in.
type FailingStudent struct {
	StudentID  int64
	SchoolCode string
	UnitCode   string
}

// FailingStudents returns the students of year whose application is marked
// failing (Neni 35), of the DAR/ZA unit (and the ZA under a DAR), or of
// every unit when unit is "", in student-id order.
func (s *Service) FailingStudents(ctx context.Context, year int, unit string) ([]FailingStudent, error) {
	var q store.Query
	q.Add("a.year = ? AND a.failing", year)
	if unit != "" {
		scope.UnitsUnder(&q, registry.StudentUnitCol, unit)
	}
	list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (FailingStudent, error) {
		var f FailingStudent
		return f, r.Scan(&f.StudentID, &f.SchoolCode, &f.UnitCode)
	}, `SELECT a.student_id, `+registry.StudentSchoolCol+`, `+registry.StudentUnitCol+appFrom+q.Where()+` ORDER BY a.student_id`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("application: failing students: %w", err)
	}
	return list, nil
}

// FinalExams returns the exams of year whose final name list has each
// student (Neni 36), by student: of one student (only ≠ 0) or of all.
func (s *Service) FinalExams(ctx context.Context, year int, only int64) (map[int64][]string, error) {
	type row struct {
		id   int64
		exam string
	}
	sqlText, args := `SELECT student_id, exam FROM final_lists WHERE year = $1`, []any{year}
	if only != 0 {
		sqlText, args = sqlText+` AND student_id = $2`, append(args, only)
	}
	list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (row, error) {
		var x row
		return x, r.Scan(&x.id, &x.exam)
	}, sqlText+` ORDER BY student_id, exam`, args...)
	if err != nil {
		return nil, fmt.Errorf("application: final lists by student: %w", err)
	}
	out := map[int64][]string{}
	for _, x := range list {
		out[x.id] = append(out[x.id], x.exam)
	}
	return out, nil
}

// RegNos returns the registration numbers of year's applications of the
// students with ids (Neni 34 ¶2), by student: the number a candidate of
// the second session is known by (Neni 58), the school-year failers'
// included, whom no final list of the first session names. A student
// without a numbered application is missing from the map.
func (s *Service) RegNos(ctx context.Context, year int, ids []int64) (map[int64]string, error) {
	return s.regNosOf(ctx, "applications", "year = ? AND reg_no IS NOT NULL", []any{year}, ids)
}

// regNosOf reads the registration numbers of the students with ids from
// table (final_lists or applications) where where holds, by student.
func (s *Service) regNosOf(ctx context.Context, table, where string, args []any, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	for _, part := range store.Chunks(ids, 500) {
		var q store.Query
		q.Add(where, args...)
		q.Add("student_id IN ("+store.Marks(len(part))+")", store.Args(part)...)
		type row struct {
			id    int64
			regNo string
		}
		list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (row, error) {
			var x row
			return x, r.Scan(&x.id, &x.regNo)
		}, `SELECT student_id, reg_no FROM `+table+q.Where(), q.Args()...)
		if err != nil {
			return nil, fmt.Errorf("application: registration numbers from %s: %w", table, err)
		}
		for _, x := range list {
			out[x.id] = x.regNo
		}
	}
	return out, nil
}

// StudentsByRegNo returns the students of year's applications with the
// registration numbers given, by number (Neni 34 ¶2): how a candidate of
// the second session is found by their number (Neni 58), the school-year
// failers included, whom no final list names. Each number must be valid
// (CheckRegNo) and given: otherwise an Albanian sentence names them.
func (s *Service) StudentsByRegNo(ctx context.Context, year int, regNos []string) (map[string]int64, error) {
	return s.studentsByRegNo(ctx, "applications", []any{year}, "year = ?", regNos, func(missing string) error {
		return apperr.New(apperr.NotFound, "Asnjë kandidat i vitit %d nuk ka numrin e regjistrimit %s (Neni 34).", year, missing)
	})
}
