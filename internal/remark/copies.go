package remark

import (
	"context"
	"fmt"
	"time"

	"provim/internal/albanian"
	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/store"
)

// Test copies (the action plan's "kërkesat për kopje të testit"): a
// candidate asks to see their booklet of a published exam; AVA answers
// with the scan, when the booklet was scanned (served only to that
// candidate, never cached), or with an appointment (a date and a place).
// The candidate follows the status.

// Copy states.
const (
	CopyRequested   = "requested"
	CopyScan        = "scan"
	CopyAppointment = "appointment"
)

// CopyLabel names a copy request's state for people.
func CopyLabel(state string) string {
	switch state {
	case CopyRequested:
		return "Kërkuar, pret përgjigjen e AVA-s"
	case CopyScan:
		return "Testi i skanuar është gati për t'u parë"
	case CopyAppointment:
		return "Takim për të parë testin"
	}
	return state
}

// Copy is a test-copy request.
type Copy struct {
	Year          int    `json:"year"`
	Exam          string `json:"exam"`
	ExamName      string `json:"exam_name"`
	RegNo         string `json:"reg_no"`
	Name          string `json:"name,omitempty"`
	School        string `json:"school"`
	RequestedAt   string `json:"requested_at"`
	State         string `json:"state"`
	StateLabel    string `json:"state_label"`
	AnsweredAt    string `json:"answered_at,omitempty"`
	AppointmentAt string `json:"appointment_at,omitempty"`
	Place         string `json:"place,omitempty"`
	ScanPages     int    `json:"scan_pages,omitempty"`

	studentID int64
}

const copyColumns = `year, exam, student_id, reg_no, school_code, requested_at, state, answered_at, appointment_at, place`

func scanCopy(r store.Scanner) (Copy, error) {
	var c Copy
	err := r.Scan(&c.Year, &c.Exam, &c.studentID, &c.RegNo, &c.School, &c.RequestedAt, &c.State, &c.AnsweredAt, &c.AppointmentAt, &c.Place)
	c.StateLabel = CopyLabel(c.State)
	return c, err
}

func (s *Service) copyOf(ctx context.Context, year int, exam string, studentID int64) (Copy, bool, error) {
	list, err := store.Select(ctx, s.db.Q(ctx), scanCopy, `SELECT `+copyColumns+` FROM remark_copies WHERE year = $1 AND exam = $2 AND student_id = $3`, year, exam, studentID)
	if err != nil {
		return Copy{}, false, fmt.Errorf("remark: copy: %w", err)
	}
	if len(list) == 0 {
		return Copy{}, false, nil
	}
	return list[0], true, nil
}

// RequestCopy files the candidate p's request to see their booklet of a
// published exam; one per exam.
func (s *Service) RequestCopy(ctx context.Context, p *auth.Principal, year int, exam string) (Copy, error) {
	if !MayFile(p) {
		return Copy{}, apperr.New(apperr.Forbidden, "Kopjen e testit e kërkon vetë kandidati.")
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return Copy{}, err
	}
	exam = NormExam(exam)
	var out Copy
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.results.ResultOf(ctx, y.Year, exam, p.StudentID)
		if err != nil {
			return err
		}
		if res.Absent {
			return apperr.New(apperr.Conflict, "Nuk e zhvilluat provimin %s: nuk ka test për të parë.", exam)
		}
		if old, ok, err := s.copyOf(ctx, y.Year, exam, p.StudentID); err != nil {
			return err
		} else if ok {
			return apperr.New(apperr.Conflict, "Kopjen e testit të provimit %s e keni kërkuar më %s.", exam, clock.Stamp(old.RequestedAt))
		}
		places, err := s.registry.StudentPlaces(ctx, []int64{p.StudentID})
		if err != nil {
			return err
		}
		regs, err := s.regNos(ctx, y.Year, exam, p.StudentID)
		if err != nil {
			return err
		}
		if err := store.Insert(ctx, "remark_copies", []string{"year", "exam", "student_id", "reg_no", "school_code", "requested_by", "requested_at", "state"},
			[][]any{{y.Year, exam, p.StudentID, regs[p.StudentID], places[p.StudentID].School, p.Username, s.stamp(ctx), CopyRequested}}); err != nil {
			return fmt.Errorf("remark: copy: %w", err)
		}
		if err := audit.Add(ctx, p.Actor(), "remark.copy", "remark_copy", requestKey(y.Year, exam, p.StudentID), nil, map[string]any{"state": CopyRequested}); err != nil {
			return err
		}
		out, _, err = s.copyOf(ctx, y.Year, exam, p.StudentID)
		out.ExamName = res.SubjectName
		return err
	})
	return out, err
}

// Copies lists the year's test-copy requests for AVA, those waiting for
// an answer first, then by exam and registration number.
func (s *Service) Copies(ctx context.Context, p *auth.Principal, year int) (int, []Copy, error) {
	if !MayManage(p) {
		return 0, nil, apperr.New(apperr.Forbidden, "Kërkesat për kopje të testit i përgjigjet AVA.")
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return 0, nil, err
	}
	list, err := store.Select(ctx, s.db.Q(ctx), scanCopy, `SELECT `+copyColumns+` FROM remark_copies WHERE year = $1
		ORDER BY CASE WHEN state = 'requested' THEN 0 ELSE 1 END, exam, reg_no`, y.Year)
	if err != nil {
		return 0, nil, fmt.Errorf("remark: copies: %w", err)
	}
	ids := make([]int64, len(list))
	for i, c := range list {
		ids[i] = c.studentID
	}
	names, err := s.registry.ListedStudents(ctx, ids)
	if err != nil {
		return 0, nil, err
	}
	for i := range list {
		st := names[list[i].studentID]
		list[i].Name = st.FirstName + " " + st.LastName
		list[i].ExamName = s.examName(ctx, y.Year, list[i].Exam)
	}
	return y.Year, list, nil
}

// CopyAnswer is AVA's answer: the scan, or an appointment on a day and
// hour in Tirana at a place.
type CopyAnswer struct {
	Kind  string `json:"kind"`         // scan, appointment
	At    string `json:"at,omitempty"` // "2027-07-20 10:00" (Tirana)
	Place string `json:"place,omitempty"`
}

// AnswerCopy answers a candidate's test-copy request (AVA), by exam and
// registration number: with the scan (the booklet must have been
// scanned) or an appointment after now. A request that does not exist is
// not found.
func (s *Service) AnswerCopy(ctx context.Context, p *auth.Principal, year int, exam, regNo string, in CopyAnswer) (Copy, error) {
	if !MayManage(p) {
		return Copy{}, apperr.New(apperr.Forbidden, "Kërkesat për kopje të testit i përgjigjet AVA.")
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return Copy{}, err
	}
	exam = NormExam(exam)
	var out Copy
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		list, err := store.Select(ctx, s.db.Q(ctx), scanCopy, `SELECT `+copyColumns+` FROM remark_copies WHERE year = $1 AND exam = $2 AND reg_no = $3`, y.Year, exam, regNo)
		if err != nil {
			return fmt.Errorf("remark: copy: %w", err)
		}
		if len(list) == 0 {
			return apperr.New(apperr.NotFound, "Nuk ka kërkesë për kopje të testit të provimit %s për numrin e regjistrimit %s.", exam, regNo)
		}
		c := list[0]
		var at, place string
		switch in.Kind {
		case CopyScan:
			code, ok, err := s.anonym.CodeOfStudent(ctx, y.Year, exam, c.studentID)
			if err != nil {
				return err
			}
			n := 0
			if ok {
				if n, err = s.marking.ScanPagesOfCode(ctx, y.Year, exam, code); err != nil {
					return err
				}
			}
			if n == 0 {
				return apperr.New(apperr.Conflict, "Testi i këtij kandidati për provimin %s nuk është skanuar: caktoni një takim.", exam)
			}
		case CopyAppointment:
			t, err := time.ParseInLocation("2006-01-02 15:04", in.At, clock.Tirana)
			if err != nil {
				if d, ok := albanian.ParseDate(in.At); ok {
					t, err = d, nil
				}
			}
			if err != nil {
				return apperr.New(apperr.Invalid, "Fusha «Data dhe ora e takimit»: «%s» nuk është datë me orë (VVVV-MM-DD OO:MM).", in.At)
			}
			if !t.After(s.db.Now(ctx)) {
				return apperr.New(apperr.Invalid, "Fusha «Data dhe ora e takimit»: %s ka kaluar.", clock.Format(t))
			}
			if place, err = NormText(in.Place, "Vendi i takimit", ReasonMax, true); err != nil {
				return err
			}
			at = clock.Stored(t)
		default:
			return apperr.New(apperr.Invalid, "Fusha «Përgjigjja»: zgjidhni «scan» (testi i skanuar) ose «appointment» (takim).")
		}
		if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE remark_copies SET state = $1, answered_by = $2, answered_at = $3, appointment_at = $4, place = $5
			WHERE year = $6 AND exam = $7 AND student_id = $8`, in.Kind, p.Username, s.stamp(ctx), at, place, y.Year, exam, c.studentID); err != nil {
			return fmt.Errorf("remark: answer copy: %w", err)
		}
		if err := audit.Add(ctx, p.Actor(), "remark.copy.answer", "remark_copy", requestKey(y.Year, exam, c.studentID),
			map[string]any{"state": c.State}, map[string]any{"state": in.Kind, "at": at, "place": place}); err != nil {
			return err
		}
		out, _, err = s.copyOf(ctx, y.Year, exam, c.studentID)
		return err
	})
	return out, err
}

// CopyFor is the candidate p's test-copy request of an exam, with the
// number of scanned pages once AVA answered with the scan.
func (s *Service) CopyFor(ctx context.Context, p *auth.Principal, year int, exam string) (Copy, error) {
	if !MayFile(p) {
		return Copy{}, apperr.New(apperr.Forbidden, "Këtë faqe e sheh vetë kandidati.")
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return Copy{}, err
	}
	exam = NormExam(exam)
	c, ok, err := s.copyOf(ctx, y.Year, exam, p.StudentID)
	if err != nil {
		return Copy{}, err
	}
	if !ok {
		return Copy{}, apperr.New(apperr.NotFound, "Nuk keni kërkuar kopjen e testit të provimit %s.", exam)
	}
	c.ExamName = s.examName(ctx, y.Year, exam)
	if c.State == CopyScan {
		code, ok, err := s.anonym.CodeOfStudent(ctx, y.Year, exam, p.StudentID)
		if err != nil {
			return Copy{}, err
		}
		if ok {
			if c.ScanPages, err = s.marking.ScanPagesOfCode(ctx, y.Year, exam, code); err != nil {
				return Copy{}, err
			}
		}
	}
	return c, nil
}

// CopyScanPage is page no of the candidate p's own scanned booklet, once
// AVA answered with the scan; NotFound otherwise (for anyone else).
func (s *Service) CopyScanPage(ctx context.Context, p *auth.Principal, year int, exam string, page int) (string, []byte, error) {
	c, err := s.CopyFor(ctx, p, year, exam)
	if err != nil {
		return "", nil, err
	}
	if c.State != CopyScan {
		return "", nil, apperr.New(apperr.NotFound, "Testi i skanuar i provimit %s nuk është dhënë ende.", c.Exam)
	}
	code, _, err := s.anonym.CodeOfStudent(ctx, c.Year, c.Exam, p.StudentID)
	if err != nil {
		return "", nil, err
	}
	return s.marking.ScanPageOfCode(ctx, c.Year, c.Exam, code, page)
}
