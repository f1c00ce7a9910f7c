package application

// Reads of the final name lists (Neni 36) published for package venue,
// which seats every candidate on them and prints their registration
// numbers on the room lists. They run on db.Q(ctx), so they join the
// caller's transaction, and apply no scope: the caller has.

import (
	"context"
	"fmt"
	"strings"

	"provim/internal/store"
)

// FinalCandidate is a line of an exam's final name list: the candidate,
// the school they were listed with, and their registration number.
type FinalCandidate struct {
	StudentID  int64
	SchoolCode string
	RegNo      string
}

// FinalCandidates returns the final name list of an exam (D1, D2 or an
// elective's code) of year, limited to the candidates listed with the
// schools given; a nil schools is the whole list.
func (s *Service) FinalCandidates(ctx context.Context, year int, exam string, schools []string) ([]FinalCandidate, error) {
	q, ok := finalListQuery(year, exam, schools)
	if !ok {
		return nil, nil
	}
	out, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (FinalCandidate, error) {
		var c FinalCandidate
		err := r.Scan(&c.StudentID, &c.SchoolCode, &c.RegNo)
		return c, err
	}, `SELECT student_id, school_code, reg_no FROM final_lists`+q.Where(), q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("application: final list: %w", err)
	}
	return out, nil
}

// CountFinalCandidates is len(FinalCandidates) without reading the list.
func (s *Service) CountFinalCandidates(ctx context.Context, year int, exam string, schools []string) (int, error) {
	q, ok := finalListQuery(year, exam, schools)
	if !ok {
		return 0, nil
	}
	var n int
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM final_lists`+q.Where(), q.Args()...).Scan(&n); err != nil {
		return 0, fmt.Errorf("application: final list: %w", err)
	}
	return n, nil
}

// FinalRegNos returns the registration numbers on an exam's final name
// list of the students with the ids, by student; a student not on the
// list is missing from the map.
func (s *Service) FinalRegNos(ctx context.Context, year int, exam string, ids []int64) (map[int64]string, error) {
	return s.regNosOf(ctx, "final_lists", "year = ? AND exam = ?", []any{year, exam}, ids)
}

// finalListQuery selects an exam's final list, or its part listed with
// the schools; ok is false when schools is empty but not nil (no line).
func finalListQuery(year int, exam string, schools []string) (q store.Query, ok bool) {
	q.Add("year = ?", year)
	q.Add("exam = ?", exam)
	if schools == nil {
		return q, true
	}
	if len(schools) == 0 {
		return q, false
	}
	args := make([]any, len(schools))
	for i, sc := range schools {
		args[i] = sc
	}
	q.Add("school_code IN ("+strings.TrimSuffix(strings.Repeat("?,", len(schools)), ",")+")", args...)
	return q, true
}

// FinalListJoin is the join, for package venue's queries of exam_seats
// (alias seats), that keeps a seat only while its student is on the final
// list of the seat's exam (Neni 36, 48.3, 52.6: only listed candidates
// enter); alias names the list's row, whose school is alias.school_code.
func FinalListJoin(alias, seats string) string {
	return " JOIN final_lists " + alias + " ON " + alias + ".year = " + seats + ".year AND " + alias + ".exam = " + seats + ".exam AND " +
		alias + ".student_id = " + seats + ".student_id"
}
