package registry

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"provim/internal/albanian"
	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/store"
)

// A change of a candidate's personal data after the final name lists are
// built (Neni 36; issue 9 item 11): the lists print the name and birth
// date the registry holds, so a rename by the school would change them
// silently on the eve of an exam. Such a change needs a reason; it is kept
// as a correction (before → after, who, when, why) beside the audit entry,
// and the final list and the room lists mark the corrected entry.

// MaxReasonLen bounds the reason of a correction.
const MaxReasonLen = 500

// Correction is one change of a listed candidate's personal data.
type Correction struct {
	StudentID int64    `json:"-"`
	Exams     []string `json:"exams"`
	Summary   string   `json:"summary"` // "Emri: Ana → Anila"
	Reason    string   `json:"reason"`
	By        string   `json:"changed_by"`
	At        string   `json:"changed_at"`
}

// Note is the correction as the printed lists mark it.
func (c Correction) Note() string {
	return fmt.Sprintf("Korrigjuar më %s: %s (arsyeja: %s)", clock.Stamp(c.At), c.Summary, c.Reason)
}

// personalFields are the personal data the lists print or identify a
// candidate by, with their Albanian labels.
var personalFields = []struct {
	key, label string
	get        func(Student) string
}{
	{"first_name", "Emri", func(s Student) string { return s.FirstName }},
	{"father_name", "Atësia", func(s Student) string { return s.FatherName }},
	{"last_name", "Mbiemri", func(s Student) string { return s.LastName }},
	{"sex", "Gjinia", func(s Student) string { return s.Sex }},
	{"birth_date", "Datëlindja", func(s Student) string { return s.BirthDate }},
}

// personalChanges describes what changed in the personal data from old to
// next ("" when nothing did), with the fields before and after.
func personalChanges(old, next Student) (string, map[string]string, map[string]string) {
	var parts []string
	before, after := map[string]string{}, map[string]string{}
	for _, f := range personalFields {
		a, b := f.get(old), f.get(next)
		if a == b {
			continue
		}
		// The audit images keep the stored values (audit.Reconcile compares
		// them with the row); the summary writes a date the Albanian way.
		before[f.key], after[f.key] = a, b
		if f.key == "birth_date" {
			a, b = albanian.DateString(a), albanian.DateString(b)
		}
		parts = append(parts, fmt.Sprintf("%s: %s → %s", f.label, a, b))
	}
	return strings.Join(parts, "; "), before, after
}

// UpsertStudent is SaveStudent that also tells whether the student was
// created (upsertStudent). A student on a final name list whose personal
// data change needs in.Reason: the change is then kept as a correction.
func (s *Service) UpsertStudent(ctx context.Context, p *auth.Principal, in Student) (Student, bool, error) {
	if err := canWrite(p); err != nil {
		return Student{}, false, err
	}
	old, year, exams, err := s.listedStudent(ctx, p, in)
	if err != nil {
		return Student{}, false, err
	}
	if len(exams) == 0 {
		return s.upsertStudent(ctx, p, in)
	}
	reason := strings.TrimSpace(NFC(in.Reason))
	if len([]rune(reason)) > MaxReasonLen {
		return Student{}, false, apperr.New(apperr.Invalid, "Arsyeja është shumë e gjatë: jo më shumë se %d shkronja.", MaxReasonLen)
	}
	var st Student
	var created bool
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		var err error
		if st, created, err = s.upsertStudent(ctx, p, in); err != nil {
			return err
		}
		summary, before, after := personalChanges(old, st)
		if summary == "" {
			return nil
		}
		// Neni 36: the candidate is on the final name lists.
		if reason == "" {
			return apperr.New(apperr.Invalid, "%s është në listat emërore përfundimtare (%s, Neni 36): ndryshimi i të dhënave personale (%s) bëhet vetëm duke shënuar arsyen, e cila ruhet në historinë e nxënësit dhe shënohet në lista.",
				old.FullName(), strings.Join(exams, ", "), summary)
		}
		b, _ := json.Marshal(before)
		a, _ := json.Marshal(after)
		if _, err := s.db.Q(ctx).ExecContext(ctx, `INSERT INTO student_corrections (year, student_id, exams, before_data, after_data, summary, reason, changed_by, changed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, year, st.ID, strings.Join(exams, ","), string(b), string(a), summary, reason, p.Username, clock.Stored(s.db.Now(ctx))); err != nil {
			return fmt.Errorf("registry: correction: %w", err)
		}
		auditAfter := map[string]any{"reason": reason, "exams": exams}
		for k, v := range after {
			auditAfter[k] = v
		}
		beforeAny := map[string]any{}
		for k, v := range before {
			beforeAny[k] = v
		}
		return audit.Add(ctx, p.Actor(), "correct_listed", studentSpec.objectType, st.PersonalNo, beforeAny, auditAfter)
	})
	if err != nil {
		return Student{}, false, err
	}
	return st, created, nil
}

// listedStudent returns the student a save changes, when they are in the
// caller's scope and on a final name list of the active year, with that
// year and the lists; no lists otherwise (the save answers as usual).
func (s *Service) listedStudent(ctx context.Context, p *auth.Principal, in Student) (Student, int, []string, error) {
	if s.hooks.listed == nil {
		return Student{}, 0, nil, nil
	}
	id := in.ID
	if id == 0 {
		n, err := ParseNID(in.PersonalNo)
		if err != nil {
			return Student{}, 0, nil, nil
		}
		err = s.db.Q(ctx).QueryRowContext(ctx, `SELECT id FROM students WHERE personal_no = $1`, n.Number).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return Student{}, 0, nil, nil
		}
		if err != nil {
			return Student{}, 0, nil, fmt.Errorf("registry: student: %w", err)
		}
	}
	old, err := s.GetStudent(ctx, p, id)
	if err != nil {
		return Student{}, 0, nil, nil // out of scope or unknown: the save answers
	}
	year, exams, err := s.hooks.listed(ctx, id)
	if err != nil {
		return Student{}, 0, nil, err
	}
	return old, year, exams, nil
}

// CorrectionsOfYear returns, by student, the latest correction of year
// (the final list and the room lists mark those entries). Corrections
// are few, so the year's are read at once.
func (s *Service) CorrectionsOfYear(ctx context.Context, year int) (map[int64]Correction, error) {
	list, err := s.corrections(ctx, `year = $1`, year)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]Correction, len(list))
	for _, c := range list {
		out[c.StudentID] = c // oldest first: the latest stays
	}
	return out, nil
}

// Corrections returns the corrections of a student in the caller's
// scope, oldest first.
func (s *Service) Corrections(ctx context.Context, p *auth.Principal, studentID int64) ([]Correction, error) {
	if _, err := s.GetStudent(ctx, p, studentID); err != nil {
		return nil, err
	}
	return s.corrections(ctx, `student_id = $1`, studentID)
}

func (s *Service) corrections(ctx context.Context, where string, arg any) ([]Correction, error) {
	list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (Correction, error) {
		var c Correction
		var exams string
		err := r.Scan(&c.StudentID, &exams, &c.Summary, &c.Reason, &c.By, &c.At)
		c.Exams = strings.Split(exams, ",")
		return c, err
	}, `SELECT student_id, exams, summary, reason, changed_by, changed_at FROM student_corrections WHERE `+where+` ORDER BY changed_at, id`, arg)
	if err != nil {
		return nil, fmt.Errorf("registry: corrections: %w", err)
	}
	return list, nil
}
