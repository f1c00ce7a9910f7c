package application

import (
	"context"
	"fmt"
	"strconv"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
)

// What package examday writes through application: the exclusion the PAP
// records on the exam day (Neni 54, 55) goes into exam_exclusions, the
// record from which the next year's bar of Neni 55.2 is read
// (BarredNextYear) and a candidate's history shows it. It runs on
// db.Q(ctx), so it joins the caller's transaction.

// RecordExamDayExclusion records that studentID was excluded from exam
// (a test's key, examyear.TestKey: D1, D2 or an elective's code in the
// first session, D1-2 or D2-2 in the second) of year for cause ("54.1"–"54.11"), by
// the PAP whose exam day examday has authorised. Recording the same
// exclusion again changes nothing.
func (s *Service) RecordExamDayExclusion(ctx context.Context, by *auth.Principal, studentID int64, year int, exam, cause string) error {
	n, err := strconv.Atoi(cause[min(len(cause), 3):])
	if len(cause) < 4 || cause[:3] != "54." || err != nil || n < 1 || n > 11 {
		return apperr.New(apperr.Invalid, "Shkaku i përjashtimit duhet të jetë një pikë e Nenit 54 (54.1–54.11), jo «%s».", cause)
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		var twice int
		if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM exam_exclusions WHERE student_id = $1 AND year = $2 AND exam = $3`,
			studentID, year, exam).Scan(&twice); err != nil {
			return fmt.Errorf("application: exam-day exclusion: %w", err)
		}
		if twice > 0 {
			return nil
		}
		e := Exclusion{Year: year, Exam: exam, Cause: cause}
		if _, err := s.db.Q(ctx).ExecContext(ctx, `INSERT INTO exam_exclusions (student_id, year, exam, cause, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			studentID, year, exam, cause, by.Username, clock.Stored(s.db.Now(ctx))); err != nil {
			return fmt.Errorf("application: exam-day exclusion: %w", err)
		}
		return audit.Add(ctx, by.Actor(), "record_exclusion", "student", strconv.FormatInt(studentID, 10), nil, e)
	})
}

// BarredNextYear answers whether the exclusions recorded for studentID bar
// them from the Matura of year (Neni 55.2), with the reason, exactly as
// the application of that year reads them.
func (s *Service) BarredNextYear(ctx context.Context, studentID int64, year int) (bool, string, error) {
	list, err := s.loadExclusions(ctx, studentID)
	if err != nil {
		return false, "", err
	}
	barred, why := Barred(list, year)
	return barred, why, nil
}
