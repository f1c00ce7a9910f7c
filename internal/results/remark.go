package results

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
)

// ApplyRemark sets the final points of a candidate's published exam after
// a re-marking (Neni 64: "rezultatet … janë përfundimtare"), in the
// caller's transaction: it re-grades with the year's table, keeps the
// history (before → after, who, when, why), rebuilds the candidate's
// page, and, when the grade or the pass changed, calls every hook of
// OnGradeChange (the certificate follows). AVA only; a void result is not
// re-marked, and the points stay within the exam's maximum.
func (s *Service) ApplyRemark(ctx context.Context, by *auth.Principal, year int, exam string, studentID int64, points int, reason string) (before, after ExamResult, err error) {
	if err := auth.Require(by, auth.RoleAVA); err != nil {
		return before, after, err
	}
	key := NormExam(exam)
	exam, _ = splitKey(key)
	reason = norm.NFC.String(strings.Join(strings.Fields(reason), " "))
	if reason == "" || len([]rune(reason)) > 500 {
		return before, after, apperr.New(apperr.Invalid, "Rivlerësimi kërkon arsyen (deri në 500 shkronja).")
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return before, after, err
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		before, err = s.ResultOf(ctx, year, key, studentID)
		if err != nil {
			return err
		}
		if before.Voided {
			return apperr.New(apperr.Conflict, "Rezultati i provimit %s është i anuluar (%s): nuk rivlerësohet.", before.TestLabel(), before.VoidReason)
		}
		if points < 0 || points > before.MaxPoints {
			return apperr.New(apperr.Invalid, "Pikët e rivlerësimit të provimit %s duhet të jenë nga 0 deri në %d, jo %d.", before.TestLabel(), before.MaxPoints, points)
		}
		g := Grade(y.Config, before.Subject, points, true, false, "")
		after = before
		after.Points, after.Grade, after.Passed, after.Absent, after.Remarked = g.Points, g.Grade, g.Passed, false, true
		q := s.db.Q(ctx)
		if _, err := q.ExecContext(ctx, `UPDATE results SET points = $1, grade = $2, passed = $3, absent = 0, remarked = 1
			WHERE year = $4 AND exam = $5 AND session = $6 AND student_id = $7`,
			after.Points, after.Grade, b2i(after.Passed), year, exam, before.Session, studentID); err != nil {
			return fmt.Errorf("results: remark: %w", err)
		}
		var no int
		if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(no), 0) + 1 FROM results_history WHERE year = $1 AND exam = $2 AND session = $3 AND student_id = $4`,
			year, exam, before.Session, studentID).Scan(&no); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("results: remark history: %w", err)
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO results_history (year, exam, session, student_id, no, points_before, grade_before, passed_before,
			points_after, grade_after, passed_after, reason, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			year, exam, before.Session, studentID, no, before.Points, before.Grade, b2i(before.Passed),
			after.Points, after.Grade, b2i(after.Passed), reason, by.Username, s.stamp(ctx)); err != nil {
			return fmt.Errorf("results: remark history: %w", err)
		}
		if err := s.rebuildPages(ctx, year, []int64{studentID}); err != nil {
			return err
		}
		if err := audit.Add(ctx, by.Actor(), "results.remark", "result", examKey(year, key)+"-"+strconv.FormatInt(studentID, 10),
			map[string]any{"points": before.Points, "grade": before.Grade, "passed": before.Passed},
			map[string]any{"points": after.Points, "grade": after.Grade, "passed": after.Passed, "reason": reason}); err != nil {
			return err
		}
		if before.Grade != after.Grade || before.Passed != after.Passed {
			return s.gradeChanged(ctx, year, studentID)
		}
		return nil
	})
	return before, after, err
}
