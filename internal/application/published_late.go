package application

// Reads of the final name lists (Neni 36) for the late changes of the eve
// of an exam (issue 9 item 11): package venue finds the candidates a KMSH
// moves by their registration numbers, and package registry asks whether
// a student whose personal data a school changes is on a final list (the
// change then needs a reason and is marked on the lists). They run on
// db.Q(ctx), so they join the caller's transaction, and apply no scope.

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"provim/internal/apperr"
	"provim/internal/store"
)

// FinalStudentsByRegNo returns the students on an exam's final list of
// year with the registration numbers given, by registration number. Each
// number must be a valid one (CheckRegNo: nine digits, the check digit
// right) and on the list: otherwise the answer is an Albanian sentence
// naming the numbers, never a silent drop.
func (s *Service) FinalStudentsByRegNo(ctx context.Context, year int, exam string, regNos []string) (map[string]int64, error) {
	return s.studentsByRegNo(ctx, "final_lists", []any{year, exam}, "year = ? AND exam = ?", regNos, func(missing string) error {
		return apperr.New(apperr.NotFound, "Nuk janë në listën përfundimtare të provimit %s (Neni 36): %s.", exam, missing)
	})
}

// studentsByRegNo reads the students of table (final_lists or
// applications) matching where (with args) with the registration numbers
// given, by number: each number must be valid (CheckRegNo), and the
// numbers not found are named by notFound, never silently dropped.
func (s *Service) studentsByRegNo(ctx context.Context, table string, args []any, where string, regNos []string, notFound func(missing string) error) (map[string]int64, error) {
	var want []string
	seen := map[string]bool{}
	for _, r := range regNos {
		r = strings.TrimSpace(r)
		if err := CheckRegNo(r); err != nil {
			return nil, err
		}
		if !seen[r] {
			seen[r] = true
			want = append(want, r)
		}
	}
	out := make(map[string]int64, len(want))
	for _, part := range store.Chunks(want, 500) {
		var q store.Query
		q.Add(where, args...)
		q.Add("reg_no IN ("+store.Marks(len(part))+")", store.Args(part)...)
		type row struct {
			regNo string
			id    int64
		}
		list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (row, error) {
			var x row
			return x, r.Scan(&x.regNo, &x.id)
		}, `SELECT reg_no, student_id FROM `+table+q.Where(), q.Args()...)
		if err != nil {
			return nil, fmt.Errorf("application: %s by registration number: %w", table, err)
		}
		for _, x := range list {
			out[x.regNo] = x.id
		}
	}
	var missing []string
	for _, r := range want {
		if _, ok := out[r]; !ok {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		return nil, notFound(strings.Join(missing, ", "))
	}
	return out, nil
}

// ListedExams returns the active exam year and the exams whose final name
// list has the student, in code order; none when the lists are not built
// or the student is on none.
func (s *Service) ListedExams(ctx context.Context, studentID int64) (int, []string, error) {
	y, err := s.year(ctx)
	if err != nil {
		return 0, nil, err
	}
	exams, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (string, error) {
		var e string
		return e, r.Scan(&e)
	}, `SELECT exam FROM final_lists WHERE year = $1 AND student_id = $2`, y.Year, studentID)
	if err != nil {
		return 0, nil, fmt.Errorf("application: final lists of a student: %w", err)
	}
	sort.Strings(exams)
	return y.Year, exams, nil
}

// FinalListsBuilt returns how many candidates the active year's final
// name lists hold (0: not built yet): rebuilding them replaces what is
// there, so the page asks for confirmation first.
func (s *Service) FinalListsBuilt(ctx context.Context) (int, error) {
	y, err := s.year(ctx)
	if err != nil {
		return 0, err
	}
	var n int
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(DISTINCT student_id) FROM final_lists WHERE year = $1`, y.Year).Scan(&n); err != nil {
		return 0, fmt.Errorf("application: final lists: %w", err)
	}
	return n, nil
}
