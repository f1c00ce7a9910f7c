package results

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"provim/internal/audit"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/store"
)

// What the results-night load test (cmd/provim loadtest --results
// --synthetic N) writes of the results: the prepared page of each of N
// synthetic candidates, as publication prepares it (the same Page, built
// with the year's conversion table and the same rules), written in bulk
// straight into results_pages (COPY on PostgreSQL, multi-row statements on
// SQLite), with one audit entry. Only for an empty test database: it
// refuses a year that has pages. Written by part S.

// loadChunk bounds the rows held in memory per bulk statement.
const loadChunk = 20000

// LoadPages writes the published page of year of each student: D1, D2 and
// two electives with points drawn from the id, graded by the year's table.
func (s *Service) LoadPages(ctx context.Context, year int, ids []int64, name func(id int64) string) error {
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return err
	}
	cfg := y.Config
	var d1, d2 examyear.Subject
	var electives []examyear.Subject
	for _, sub := range cfg.Subjects {
		switch sub.Kind {
		case examyear.KindD1:
			d1 = sub
		case examyear.KindD2:
			d2 = sub
		default:
			electives = append(electives, sub)
		}
	}
	if d1.Code == "" || d2.Code == "" || len(electives) < 2 {
		return fmt.Errorf("results: load pages: the year %d has no D1, D2 and two electives", year)
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		var have int
		if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM results_pages WHERE year = $1`, year).Scan(&have); err != nil {
			return err
		}
		if have > 0 {
			return fmt.Errorf("results: synthetic pages only into a year without pages (%d there)", have)
		}
		var seq int64
		if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM results_pages`).Scan(&seq); err != nil {
			return err
		}
		now := s.db.Now(ctx)
		published := now.Add(-2 * time.Hour)
		for start := 0; start < len(ids); start += loadChunk {
			part := ids[start:min(start+loadChunk, len(ids))]
			rows := make([][]any, len(part))
			for i, id := range part {
				subs := []examyear.Subject{d1, d2, electives[int(id)%len(electives)], electives[(int(id)+3)%len(electives)]}
				if subs[3].Code == subs[2].Code {
					subs[3] = electives[(int(id)+1)%len(electives)]
				}
				var rs []ExamResult
				for k, sub := range subs {
					exam := sub.Code
					if sub.Kind == examyear.KindD1 || sub.Kind == examyear.KindD2 {
						exam = sub.Kind
					}
					pts := int((id*7919 + int64(k)*104729) % int64(sub.MaxPoints+1))
					g := cfg.Grade(sub.Code, pts)
					rs = append(rs, ExamResult{Year: year, Session: 1, Exam: exam, Subject: sub.Code, SubjectName: sub.Name, StudentID: id,
						Points: pts, MaxPoints: sub.MaxPoints, Grade: g, Passed: g >= examyear.PassGrade, PublishedAt: published})
				}
				o := Decide(year, cfg.ElectiveCount, rs, nil, nil)
				c := completionOf(id, year, cfg, rs, nil, o)
				p := Page{Year: year, Name: name(id), RegNo: fmt.Sprintf("%02d%07d", year%100, id), School: "Gjimnazi i ngarkesës",
					Outcome: o, Completion: c, UpdatedAt: clock.Format(now)}
				for _, r := range rs {
					p.Exams = append(p.Exams, PageExam{ExamResult: r, Published: clock.Format(r.PublishedAt),
						RemarkUntil: clock.Day(RemarkLastDay(cfg, r.PublishedAt))})
				}
				body, err := json.Marshal(p)
				if err != nil {
					return err
				}
				sum := sha256.Sum256(body)
				seq++
				rows[i] = []any{year, id, string(body), `"` + hex.EncodeToString(sum[:12]) + `"`, seq, len(o.Pending), b2i(c.Completed), clock.Stored(now)}
			}
			if err := store.Insert(ctx, "results_pages", []string{"year", "student_id", "body", "etag", "seq", "pending", "completed", "updated_at"}, rows); err != nil {
				return err
			}
		}
		s.forgetAtCommit(ctx, year, ids)
		return audit.Add(ctx, audit.System, "load_synthetic", "results_pages", fmt.Sprint(year), nil, map[string]int{"pages": len(ids)})
	})
	if err != nil {
		return fmt.Errorf("results: load pages: %w", err)
	}
	return nil
}

// PageStudents returns the students of year with a prepared page, in id
// order: the candidates the load test logs in.
func (s *Service) PageStudents(ctx context.Context, year int) ([]int64, error) {
	ids, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	}, `SELECT student_id FROM results_pages WHERE year = $1 ORDER BY student_id`, year)
	if err != nil {
		return nil, fmt.Errorf("results: page students: %w", err)
	}
	return ids, nil
}
