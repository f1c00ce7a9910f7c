package remark

import (
	"context"
	"fmt"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/store"
)

// Sending the results (Neni 64 ¶4): "Rezultatet e rivlerësimit dërgohen
// nga AVA zyrtarisht pranë KMSH … me një afat nga 15 deri 30 ditë nga
// data e shpalljes së rezultateve të provimit dhe konsiderohen rezultate
// përfundimtare." Before day 15 they are held; from day 15 AVA sends
// every re-marked booklet's final points, which become the candidate's
// result through results.ApplyRemark in the same transaction (grade,
// pass, history, and what follows from them); after day 30 a send needs
// a reason and is flagged late. Once sent, a result is final.

// SendResult is what Send did.
type SendResult struct {
	Exam    string `json:"exam"`
	Sent    int    `json:"sent"`
	Changed int    `json:"changed"` // points changed
	Grades  int    `json:"grades"`  // grade or pass changed
	Pending int    `json:"pending"` // still under re-marking, not sent
	Late    bool   `json:"late"`
	Day     int    `json:"day"`
}

// Send sends the final points of every re-marked booklet of an exam
// (AVA).
func (s *Service) Send(ctx context.Context, by *auth.Principal, year int, exam, reason string) (SendResult, error) {
	if !MayManage(by) {
		return SendResult{}, apperr.New(apperr.Forbidden, "Rezultatet e rivlerësimit i dërgon AVA (Neni 64).")
	}
	why, err := NormText(reason, "Arsyeja e vonesës", ReasonMax, false)
	if err != nil {
		return SendResult{}, err
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return SendResult{}, err
	}
	exam = NormExam(exam)
	res := SendResult{Exam: exam}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		pub, err := s.published(ctx, y.Year, exam)
		if err != nil {
			return err
		}
		now := s.db.Now(ctx)
		res.Day = DayOf(pub, now)
		if res.Late, err = SendCheck(exam, pub, now, why); err != nil {
			return err
		}
		if !res.Late {
			why = ""
		}
		// Lock the re-marked requests: a second send at once waits, then
		// finds them sent.
		if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE remark_requests SET state = state WHERE year = $1 AND exam = $2 AND state = $3`, y.Year, exam, StateMarked); err != nil {
			return fmt.Errorf("remark: lock: %w", err)
		}
		type mk struct {
			id     int64
			points int
		}
		list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (mk, error) {
			var x mk
			return x, r.Scan(&x.id, &x.points)
		}, `SELECT student_id, points_after FROM remark_requests WHERE year = $1 AND exam = $2 AND state = $3 ORDER BY student_id`, y.Year, exam, StateMarked)
		if err != nil {
			return fmt.Errorf("remark: to send: %w", err)
		}
		if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM remark_requests WHERE year = $1 AND exam = $2 AND state IN ('kmsh', 'marking', 'third')`,
			y.Year, exam).Scan(&res.Pending); err != nil {
			return fmt.Errorf("remark: pending: %w", err)
		}
		if len(list) == 0 {
			return apperr.New(apperr.Conflict, "Provimi %s nuk ka rezultate rivlerësimi gati për dërgim (%d në rivlerësim).", exam, res.Pending)
		}
		at := clock.Stored(now)
		for _, x := range list {
			before, after, err := s.results.ApplyRemark(ctx, by, y.Year, exam, x.id, x.points, "rivlerësim")
			if err != nil {
				return err
			}
			if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE remark_requests SET state = $1, points_before = $2, grade_before = $3, passed_before = $4,
				points_after = $5, grade_after = $6, passed_after = $7, sent_by = $8, sent_at = $9, late = $10, late_reason = $11
				WHERE year = $12 AND exam = $13 AND student_id = $14`,
				StateFinal, before.Points, before.Grade, b2i(before.Passed), after.Points, after.Grade, b2i(after.Passed), by.Username, at, b2i(res.Late), why,
				y.Year, exam, x.id); err != nil {
				return fmt.Errorf("remark: send: %w", err)
			}
			res.Sent++
			if before.Points != after.Points {
				res.Changed++
			}
			if before.Grade != after.Grade || before.Passed != after.Passed {
				res.Grades++
			}
		}
		return audit.Add(ctx, by.Actor(), "remark.send", "remark_exam", fmt.Sprintf("%d-%s", y.Year, exam), nil,
			map[string]any{"sent": res.Sent, "changed": res.Changed, "grades": res.Grades, "day": res.Day, "late": res.Late, "reason": why})
	})
	return res, err
}
