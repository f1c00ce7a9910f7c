package anonym

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// What re-marking (Neni 64 ¶3) reads of the opened link: the booklet code
// of a candidate's exam, so that AVA re-marks it by code, "duke vazhduar
// të jenë të sekretuara me barkode testet që rivlerësohen". Before the
// opening there is no answer: the link is sealed.

// CodeOfStudent returns the code of a candidate's booklet of an exam once
// the link is open; false before the opening or when the candidate has
// no booklet of it.
func (s *Service) CodeOfStudent(ctx context.Context, year int, exam string, studentID int64) (string, bool, error) {
	var code string
	err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT code FROM anonym_opened WHERE year = $1 AND exam = $2 AND student_id = $3`,
		year, normExam(exam), studentID).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("anonym: code of candidate: %w", err)
	}
	return code, true, nil
}
