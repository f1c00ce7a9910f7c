package remark

import (
	"context"
	"fmt"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/results"
	"provim/internal/store"
)

// Filing a request (Neni 64 ¶1): the candidate online or the school
// commission on paper, one per candidate and exam, within the days of
// the year (4) after the exam's results, with the fee receipt.

// Request is a re-marking request as the candidate, the school and the
// KMSH see it: the candidate by name and registration number, never the
// booklet code.
type Request struct {
	Year          int    `json:"year"`
	Exam          string `json:"exam"`
	ExamName      string `json:"exam_name"`
	RegNo         string `json:"reg_no"`
	Name          string `json:"name,omitempty"`
	School        string `json:"school"`
	Receipt       string `json:"receipt"`
	Channel       string `json:"channel"` // online, paper
	FiledBy       string `json:"filed_by"`
	FiledAt       string `json:"filed_at"`
	State         string `json:"state"`
	StateLabel    string `json:"state_label"`
	SchoolAt      string `json:"school_forwarded_at,omitempty"`
	KMSHAt        string `json:"kmsh_forwarded_at,omitempty"`
	RefusedReason string `json:"refused_reason,omitempty"`
	// Before and after are shown once the result is final (sent by AVA).
	PointsBefore int    `json:"points_before"`
	GradeBefore  int    `json:"grade_before"`
	PassedBefore bool   `json:"passed_before"`
	PointsAfter  int    `json:"points_after,omitempty"`
	GradeAfter   int    `json:"grade_after,omitempty"`
	PassedAfter  bool   `json:"passed_after,omitempty"`
	Changed      bool   `json:"changed"`
	SentAt       string `json:"sent_at,omitempty"`
	Late         bool   `json:"late,omitempty"`
	LateReason   string `json:"late_reason,omitempty"`

	studentID int64
}

// Final reports whether the request's result was sent (Neni 64 ¶4).
func (r Request) Final() bool { return r.State == StateFinal }

const requestColumns = `year, exam, student_id, reg_no, school_code, receipt, channel, filed_by, filed_at, state, school_at, kmsh_at, refused_reason,
	points_before, grade_before, passed_before, points_after, grade_after, passed_after, sent_at, late, late_reason`

func scanRequest(r store.Scanner) (Request, error) {
	var x Request
	var pb, pa, late int
	if err := r.Scan(&x.Year, &x.Exam, &x.studentID, &x.RegNo, &x.School, &x.Receipt, &x.Channel, &x.FiledBy, &x.FiledAt, &x.State,
		&x.SchoolAt, &x.KMSHAt, &x.RefusedReason, &x.PointsBefore, &x.GradeBefore, &pb, &x.PointsAfter, &x.GradeAfter, &pa,
		&x.SentAt, &late, &x.LateReason); err != nil {
		return x, err
	}
	x.PassedBefore, x.PassedAfter, x.Late = pb == 1, pa == 1, late == 1
	x.StateLabel = StateLabel(x.State)
	if x.State != StateFinal {
		x.PointsAfter, x.GradeAfter, x.PassedAfter = 0, 0, false
	} else {
		x.Changed = x.PointsAfter != x.PointsBefore || x.GradeAfter != x.GradeBefore
	}
	return x, nil
}

// File files the candidate p's own request for an exam's re-marking
// online, with the number of the fee receipt (Neni 64 ¶1).
func (s *Service) File(ctx context.Context, p *auth.Principal, year int, exam, receipt string) (Request, error) {
	if !MayFile(p) {
		return Request{}, apperr.New(apperr.Forbidden, "Kërkesën për rivlerësim në internet e paraqet vetë kandidati (Neni 64).")
	}
	return s.file(ctx, p, year, exam, p.StudentID, receipt, "online")
}

// FileOnPaper enters the request a candidate of the school filed on
// paper, by the candidate's registration number (Neni 64 ¶1: "paraqet
// pranë KSHMSH-së një kërkesë"). A candidate of another school is not
// found.
func (s *Service) FileOnPaper(ctx context.Context, p *auth.Principal, year int, exam, regNo, receipt string) (Request, error) {
	if !MayEnterOnPaper(p) {
		return Request{}, apperr.New(apperr.Forbidden, "Kërkesat në letër i regjistron KSHMSH e shkollës së kandidatit (Neni 64).")
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return Request{}, err
	}
	exam = NormExam(exam)
	ids, err := s.studentsByRegNo(ctx, y.Year, exam, regNo)
	if err != nil {
		return Request{}, err
	}
	var id int64
	for _, v := range ids {
		id = v
	}
	return s.file(ctx, p, y.Year, exam, id, receipt, "paper")
}

func (s *Service) file(ctx context.Context, by *auth.Principal, year int, exam string, studentID int64, receipt, channel string) (Request, error) {
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return Request{}, err
	}
	exam = NormExam(exam)
	rc, err := NormReceipt(receipt)
	if err != nil {
		return Request{}, err
	}
	var out Request
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		places, err := s.registry.StudentPlaces(ctx, []int64{studentID})
		if err != nil {
			return err
		}
		place, ok := places[studentID]
		if !ok || channel == "paper" && place.School != by.School {
			return apperr.New(apperr.NotFound, "Kandidati nuk gjendet në shkollën tuaj.")
		}
		res, err := s.results.ResultOf(ctx, y.Year, exam, studentID)
		if err != nil {
			return err
		}
		switch {
		case res.Absent:
			return apperr.New(apperr.Conflict, "Kandidati nuk e zhvilloi provimin %s: nuk ka test për rivlerësim.", exam)
		case res.Voided:
			return apperr.New(apperr.Conflict, "Rezultati i provimit %s është anuluar (%s): nuk ka rivlerësim.", exam, res.VoidReason)
		}
		if err := CheckRequestDay(exam, res.PublishedAt, s.db.Now(ctx), y.Config.RemarkRequestDays); err != nil {
			return err
		}
		if old, found, err := s.requestOf(ctx, y.Year, exam, studentID); err != nil {
			return err
		} else if found {
			return apperr.New(apperr.Conflict, "Për provimin %s ka tashmë një kërkesë për rivlerësim, paraqitur më %s: një kërkesë për kandidat e provim (Neni 64).", exam, clock.Stamp(old.FiledAt))
		}
		regs, err := s.regNos(ctx, y.Year, exam, studentID)
		if err != nil {
			return err
		}
		now := s.stamp(ctx)
		if err := store.Insert(ctx, "remark_requests", []string{"year", "exam", "student_id", "reg_no", "school_code", "unit_code", "receipt", "channel",
			"filed_by", "filed_at", "state", "points_before", "grade_before", "passed_before"},
			[][]any{{y.Year, exam, studentID, regs[studentID], place.School, place.Unit, rc, channel, by.Username, now, StateFiled, res.Points, res.Grade, b2i(res.Passed)}}); err != nil {
			return fmt.Errorf("remark: file: %w", err)
		}
		if err := audit.Add(ctx, by.Actor(), "remark.file", "remark_request", requestKey(y.Year, exam, studentID), nil,
			map[string]any{"receipt": rc, "channel": channel, "points": res.Points, "grade": res.Grade}); err != nil {
			return err
		}
		out, _, err = s.requestOf(ctx, y.Year, exam, studentID)
		out.ExamName = res.SubjectName
		return err
	})
	return out, err
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *Service) requestOf(ctx context.Context, year int, exam string, studentID int64) (Request, bool, error) {
	list, err := store.Select(ctx, s.db.Q(ctx), scanRequest, `SELECT `+requestColumns+` FROM remark_requests WHERE year = $1 AND exam = $2 AND student_id = $3`,
		year, exam, studentID)
	if err != nil {
		return Request{}, false, fmt.Errorf("remark: request: %w", err)
	}
	if len(list) == 0 {
		return Request{}, false, nil
	}
	return list[0], true, nil
}

// ExamChoice is one of the candidate's published exams with what they
// may still ask of it.
type ExamChoice struct {
	Result  results.ExamResult `json:"result"`
	Request *Request           `json:"request,omitempty"`
	Copy    *Copy              `json:"copy,omitempty"`
	// CanFile: no request yet and the days of ¶1 still run; LastDay is
	// their last date.
	CanFile bool   `json:"can_file"`
	LastDay string `json:"last_day"`
	CanCopy bool   `json:"can_copy"`
}

// Mine is the candidate p's page: every exam of the year whose result is
// published, with its request and its test copy, if any.
func (s *Service) Mine(ctx context.Context, p *auth.Principal, year int) (int, []ExamChoice, error) {
	if !MayFile(p) {
		return 0, nil, apperr.New(apperr.Forbidden, "Këtë faqe e sheh vetë kandidati.")
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return 0, nil, err
	}
	_, exams, err := s.apps.ListedExams(ctx, p.StudentID)
	if err != nil {
		return 0, nil, err
	}
	// The mandatory exams of the second session are tests of their own
	// (Neni 58), with their own publication and days (Neni 64).
	exams = append(exams, examyear.TestKey(examyear.KindD1, 2), examyear.TestKey(examyear.KindD2, 2))
	now := s.db.Now(ctx)
	out := []ExamChoice{}
	for _, exam := range exams {
		res, err := s.results.ResultOf(ctx, y.Year, exam, p.StudentID)
		if apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return 0, nil, err
		}
		c := ExamChoice{Result: res, LastDay: DayDate(res.PublishedAt, y.Config.RemarkRequestDays)}
		if r, ok, err := s.requestOf(ctx, y.Year, exam, p.StudentID); err != nil {
			return 0, nil, err
		} else if ok {
			r.ExamName = res.SubjectName
			c.Request = &r
		}
		if cp, ok, err := s.copyOf(ctx, y.Year, exam, p.StudentID); err != nil {
			return 0, nil, err
		} else if ok {
			cp.ExamName = res.SubjectName
			c.Copy = &cp
		}
		sat := !res.Absent && !res.Voided
		c.CanFile = sat && c.Request == nil && Within(res.PublishedAt, now, y.Config.RemarkRequestDays)
		c.CanCopy = sat && c.Copy == nil
		out = append(out, c)
	}
	return y.Year, out, nil
}

// RequestFor is the candidate p's request of an exam; NotFound when none.
func (s *Service) RequestFor(ctx context.Context, p *auth.Principal, year int, exam string) (Request, error) {
	if !MayFile(p) {
		return Request{}, apperr.New(apperr.Forbidden, "Këtë faqe e sheh vetë kandidati.")
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return Request{}, err
	}
	r, ok, err := s.requestOf(ctx, y.Year, NormExam(exam), p.StudentID)
	if err != nil {
		return Request{}, err
	}
	if !ok {
		return Request{}, apperr.New(apperr.NotFound, "Nuk keni kërkesë për rivlerësim të provimit %s.", NormExam(exam))
	}
	return r, nil
}

// studentsByRegNo finds the candidate of a test by registration number:
// on the exam's final list in the first session (Neni 36); in the second
// by their application's number (Neni 34 ¶2, 58), which the school-year
// failers have too though no final list names them.
func (s *Service) studentsByRegNo(ctx context.Context, year int, exam, regNo string) (map[string]int64, error) {
	base, session := examyear.SplitTest(exam)
	if session == 2 {
		return s.apps.StudentsByRegNo(ctx, year, []string{regNo})
	}
	return s.apps.FinalStudentsByRegNo(ctx, year, base, []string{regNo})
}

// regNos is the registration number of a test's candidate, by student,
// as studentsByRegNo finds them.
func (s *Service) regNos(ctx context.Context, year int, exam string, studentID int64) (map[int64]string, error) {
	base, session := examyear.SplitTest(exam)
	if session == 2 {
		return s.apps.RegNos(ctx, year, []int64{studentID})
	}
	return s.apps.FinalRegNos(ctx, year, base, []int64{studentID})
}
