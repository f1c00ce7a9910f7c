package results

import (
	"context"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/store"
)

// ExamState is where an exam's results stand, for AVA's page.
type ExamState struct {
	Exam
	MarkingClosed bool   `json:"marking_closed"`
	LinkOpened    bool   `json:"link_opened"`
	Computed      bool   `json:"computed"`
	ComputedAt    string `json:"computed_at,omitempty"`
	ComputedBy    string `json:"computed_by,omitempty"`
	Candidates    int    `json:"candidates"`
	Passed        int    `json:"passed"`
	Voided        int    `json:"voided"`
	Absent        int    `json:"absent"`
	// Deadline is the last day of publication (Neni 57.19), YYYY-MM-DD,
	// and DaysLeft the days to it from today (negative after).
	Deadline    string `json:"deadline"`
	DaysLeft    int    `json:"days_left"`
	PublishedAt string `json:"published_at,omitempty"`
	PublishedBy string `json:"published_by,omitempty"`
	Late        bool   `json:"late"`
	LateReason  string `json:"late_reason,omitempty"`
	lateInt     int
}

// Published reports whether the results are published.
func (e ExamState) Published() bool { return e.PublishedAt != "" }

// DeadlineDay is the deadline as people read it.
func (e ExamState) DeadlineDay() string {
	if t, err := time.Parse("2006-01-02", e.Deadline); err == nil {
		return t.Format("02.01.2006")
	}
	return "—"
}

// Status returns every exam of the year with where its results stand
// (AVA only: before publication the results are confidential, Neni 59.5).
func (s *Service) Status(ctx context.Context, by *auth.Principal, year int) (int, []ExamState, error) {
	if !MayManage(by) {
		return 0, nil, apperr.New(apperr.Forbidden, "Gjendjen e rezultateve e sheh vetëm AVA (Neni 59.5).")
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return 0, nil, err
	}
	now := s.db.Now(ctx)
	var out []ExamState
	for _, e := range examsOf(y.Config, y.Year) {
		st, ok, err := s.computed(ctx, y.Year, e.Code)
		if err != nil {
			return 0, nil, err
		}
		st.Exam, st.Computed = e, ok
		if st.MarkingClosed, err = s.marking.Closed(ctx, y.Year, e.Code); err != nil {
			return 0, nil, err
		}
		if a, err := s.anonym.Status(ctx, by, y.Year, e.Code); err == nil {
			st.LinkOpened = a.Opened
		}
		if last, ok := PublishDeadline(y.Config, e.Exam, e.Session); ok {
			st.Deadline, st.DaysLeft = last.Format("2006-01-02"), DaysLeft(last, now)
		}
		if st.ComputedAt != "" {
			st.ComputedAt = clock.Stamp(st.ComputedAt)
		}
		if st.PublishedAt != "" {
			st.PublishedAt = clock.Stamp(st.PublishedAt)
		}
		out = append(out, st)
	}
	return y.Year, out, nil
}

// PublishResult is what Publish did.
type PublishResult struct {
	Year       int    `json:"year"`
	Exam       string `json:"exam"`
	Candidates int    `json:"candidates"`
	Pages      int    `json:"pages"`
	Late       bool   `json:"late"`
	Reason     string `json:"late_reason,omitempty"`
	At         string `json:"published_at"`
}

// Publish publishes an exam's computed results in one step (Neni 57.19):
// no later than ResultsWithinDays after the exam; after that day only
// with a reason, and the publication is flagged late. Every candidate's
// page is prepared in the same transaction. From then on the results are
// immutable but for a re-marking (Neni 64). AVA only.
func (s *Service) Publish(ctx context.Context, by *auth.Principal, year int, exam, lateReason string) (PublishResult, error) {
	if !MayManage(by) {
		return PublishResult{}, apperr.New(apperr.Forbidden, "Rezultatet i shpall vetëm AVA (Neni 57.19).")
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return PublishResult{}, err
	}
	e, err := examOf(y.Config, y.Year, exam)
	if err != nil {
		return PublishResult{}, err
	}
	lateReason = norm.NFC.String(strings.Join(strings.Fields(lateReason), " "))
	if len([]rune(lateReason)) > 500 {
		return PublishResult{}, apperr.New(apperr.Invalid, "Arsyeja e vonesës është më e gjatë se 500 shkronja.")
	}
	res := PublishResult{Year: y.Year, Exam: e.Code}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		st, ok, err := s.computed(ctx, y.Year, e.Code)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.New(apperr.Conflict, "Rezultatet e provimit %s nuk janë llogaritur ende: llogariten pasi hapet lidhja e kodeve.", e.Label)
		}
		if st.Published() {
			return apperr.New(apperr.Conflict, "Rezultatet e provimit %s janë shpallur tashmë më %s.", e.Label, clock.Stamp(st.PublishedAt))
		}
		now := s.db.Now(ctx)
		if last, ok := PublishDeadline(y.Config, e.Exam, e.Session); ok && Late(last, now) {
			if lateReason == "" {
				return apperr.New(apperr.Invalid, "Afati i shpalljes së rezultateve të provimit %s ishte %s (%d ditë pas provimit, Neni 57.19): shpallja e vonuar kërkon arsyen.",
					e.Label, clock.Day(last), y.Config.ResultsWithinDays)
			}
			res.Late, res.Reason = true, lateReason
		}
		res.At = s.stamp(ctx)
		if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE results_exams SET published_at = $1, published_by = $2, late = $3, late_reason = $4
			WHERE year = $5 AND exam = $6 AND session = $7`, res.At, by.Username, b2i(res.Late), res.Reason, y.Year, e.Exam, e.Session); err != nil {
			return fmt.Errorf("results: publish: %w", err)
		}
		ids, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (int64, error) {
			var id int64
			return id, r.Scan(&id)
		}, `SELECT student_id FROM results WHERE year = $1 AND exam = $2 AND session = $3 ORDER BY student_id`, y.Year, e.Exam, e.Session)
		if err != nil {
			return fmt.Errorf("results: publish: %w", err)
		}
		res.Candidates, res.Pages = st.Candidates, len(ids)
		if err := s.rebuildPages(ctx, y.Year, ids); err != nil {
			return err
		}
		return audit.Add(ctx, by.Actor(), "results.publish", "results_exam", examKey(y.Year, e.Code), nil, res)
	})
	if err != nil {
		return PublishResult{}, err
	}
	return res, nil
}
