package marking

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"provim/internal/anonym"
	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/store"
)

// Calibration (Neni 57.11): before live marking AVA's test group trains
// the markers on calibration booklets with agreed marks. Every appointed
// marker marks every training booklet; they qualify only when on each
// their total is within the exam's tolerance of the agreed one. Seeded
// booklets carry a code like a live booklet's and go unseen into the
// live queues (package marking's allocation).

// Calibration purposes.
const (
	PurposeTraining = "training"
	PurposeSeeded   = "seeded"
)

// CalibrationInput is a calibration booklet's agreed marks: per item, the
// alternatives marked (choice items) and the points (open items).
type CalibrationInput struct {
	Choices []string `json:"choices"`
	Points  []int    `json:"points"`
}

// CalibrationBooklet is a calibration booklet with its agreed marks, as
// AVA sees it.
type CalibrationBooklet struct {
	No      int    `json:"no"`
	Purpose string `json:"purpose"`
	Code    string `json:"code,omitempty"`
	Marks   Marks  `json:"marks"`
	Total   int    `json:"total"`
	AddedBy string `json:"added_by"`
	AddedAt string `json:"added_at"`
}

// AddCalibration adds calibration booklets with their agreed marks,
// scored against the exam's test (Neni 57.4, 57.3); a seeded one gets a
// fresh code no candidate's booklet has. AVA (its test group) only.
func (s *Service) AddCalibration(ctx context.Context, by *auth.Principal, year int, exam, purpose string, in []CalibrationInput) ([]CalibrationBooklet, error) {
	if err := auth.Require(by, auth.RoleAVA); err != nil {
		if by == nil {
			return nil, err
		}
		return nil, apperr.New(apperr.Forbidden, "Test-broshurat e kalibrimit i përgatit grupi i hartimit të testeve të AVA-s (Neni 57.11).")
	}
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return nil, err
	}
	if purpose != PurposeTraining && purpose != PurposeSeeded {
		return nil, apperr.New(apperr.Invalid, "Qëllimi «%s» nuk njihet: training (trajnim) ose seeded (e futur në radhë).", purpose)
	}
	if len(in) == 0 {
		return nil, apperr.New(apperr.Invalid, "Jepni pikët e miratuara të të paktën një test-broshure kalibrimi.")
	}
	items, err := s.items(ctx, year, e.Code)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, apperr.New(apperr.Conflict, "Testi i provimit %s nuk është përcaktuar: test-broshurat e kalibrimit vlerësohen sipas tij.", e.Label)
	}
	marks := make([]Marks, len(in))
	var problems []string
	for i, c := range in {
		m, err := Score(items, c.Choices, c.Points)
		if err != nil {
			problems = append(problems, fmt.Sprintf("Test-broshura %d: %s", i+1, err.Error()))
		}
		marks[i] = m
	}
	if len(problems) > 0 {
		return nil, &apperr.Error{Code: apperr.Invalid, Message: "Test-broshurat e kalibrimit nuk u ruajtën: " + strings.Join(problems, " "), Details: problems}
	}
	var out []CalibrationBooklet
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		out = nil
		if err := s.openForMarking(ctx, year, e.Code); err != nil {
			return err
		}
		q := s.db.Q(ctx)
		var next int
		if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(no), 0) + 1 FROM marking_calibration WHERE year = $1 AND exam = $2`, year, e.Code).Scan(&next); err != nil {
			return fmt.Errorf("marking: calibration no: %w", err)
		}
		at := s.stamp(ctx)
		for i, m := range marks {
			b := CalibrationBooklet{No: next + i, Purpose: purpose, Marks: m, Total: m.Total(), AddedBy: by.Username, AddedAt: at}
			if purpose == PurposeSeeded {
				if b.Code, err = s.freshCode(ctx, year); err != nil {
					return err
				}
			}
			ch, pts := m.encode()
			if _, err := q.ExecContext(ctx, `INSERT INTO marking_calibration (year, exam, no, purpose, code, choices, points, total, added_by, added_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, year, e.Code, b.No, purpose, b.Code, ch, pts, b.Total, by.Username, at); err != nil {
				return fmt.Errorf("marking: calibration: %w", err)
			}
			if err := audit.Add(ctx, by.Actor(), "marking.entry", "marking_test", fmt.Sprintf("%s/kalibrim-%d", testKey(year, e.Code), b.No), nil,
				map[string]any{"purpose": purpose, "total": b.Total}); err != nil {
				return err
			}
			out = append(out, b)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// freshCode is a code no booklet of the year has, nor a calibration one.
func (s *Service) freshCode(ctx context.Context, year int) (string, error) {
	for range 20 {
		c := anonym.NewCode()
		taken, err := s.anonym.CodeTaken(ctx, year, c)
		if err != nil {
			return "", err
		}
		var n int
		if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM marking_calibration WHERE year = $1 AND code = $2)
			+ (SELECT COUNT(*) FROM marking_booklets WHERE year = $1 AND code = $2)`, year, c).Scan(&n); err != nil {
			return "", fmt.Errorf("marking: code taken: %w", err)
		}
		if !taken && n == 0 {
			return c, nil
		}
	}
	return "", errors.New("marking: no fresh code after 20 draws")
}

// calibrationList reads an exam's calibration booklets of a purpose ("":
// all), in order.
func (s *Service) calibrationList(ctx context.Context, year int, exam, purpose string, n int) ([]CalibrationBooklet, error) {
	args := []any{year, exam}
	cond := ""
	if purpose != "" {
		cond, args = " AND purpose = $3", append(args, purpose)
	}
	return store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (CalibrationBooklet, error) {
		var b CalibrationBooklet
		var ch, pts string
		if err := r.Scan(&b.No, &b.Purpose, &b.Code, &ch, &pts, &b.Total, &b.AddedBy, &b.AddedAt); err != nil {
			return b, err
		}
		m, err := decodeMarks(ch, pts, n)
		b.Marks = m
		return b, err
	}, `SELECT no, purpose, code, choices, points, total, added_by, added_at FROM marking_calibration WHERE year = $1 AND exam = $2`+cond+` ORDER BY no`, args...)
}

// Calibration lists an exam's calibration booklets with their agreed
// marks: AVA only (the markers, leads included, train on them).
func (s *Service) Calibration(ctx context.Context, p *auth.Principal, year int, exam string) ([]CalibrationBooklet, error) {
	if !MayManage(p) {
		return nil, apperr.New(apperr.Forbidden, "Pikët e miratuara të test-broshurave të kalibrimit i sheh vetëm AVA (Neni 57.11).")
	}
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return nil, err
	}
	items, err := s.items(ctx, year, e.Code)
	if err != nil {
		return nil, err
	}
	return s.calibrationList(ctx, year, e.Code, "", len(items))
}

// evaluate decides a marker's qualification from their training marks
// (Neni 57.11): training while a training booklet is unmarked (or there
// is none); qualified when on every one their total is within the
// tolerance of the agreed total; else not qualified, the note naming
// each booklet off and by how much.
func (s *Service) evaluate(ctx context.Context, year int, exam, username string) (status, note string, err error) {
	type row struct {
		no, agreed int
		theirs     sql.NullInt64
	}
	rows, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (row, error) {
		var x row
		return x, r.Scan(&x.no, &x.agreed, &x.theirs)
	}, `SELECT c.no, c.total, t.total FROM marking_calibration c
		LEFT JOIN marking_training t ON t.year = c.year AND t.exam = c.exam AND t.no = c.no AND t.username = $3
		WHERE c.year = $1 AND c.exam = $2 AND c.purpose = 'training' ORDER BY c.no`, year, exam, username)
	if err != nil {
		return "", "", fmt.Errorf("marking: evaluate %s: %w", username, err)
	}
	if len(rows) == 0 {
		return StatusTraining, "", nil
	}
	st, err := s.settingsOf(ctx, year, exam)
	if err != nil {
		return "", "", err
	}
	worst := 0
	var off []string
	for _, x := range rows {
		if !x.theirs.Valid {
			return StatusTraining, "", nil
		}
		d := int(x.theirs.Int64) - x.agreed
		if d < 0 {
			d = -d
		}
		worst = max(worst, d)
		if d > st.Tolerance {
			off = append(off, fmt.Sprintf("test-broshura nr. %d me %d pikë diferencë (%d në vend të %d)", x.no, d, x.theirs.Int64, x.agreed))
		}
	}
	if len(off) > 0 {
		return StatusNotQualified, fmt.Sprintf("Jashtë tolerancës prej %d pikësh (Neni 57.11): %s.", st.Tolerance, strings.Join(off, "; ")), nil
	}
	return StatusQualified, fmt.Sprintf("Kualifikuar në %d test-broshura kalibrimi: diferenca më e madhe %d pikë, toleranca %d (Neni 57.11).", len(rows), worst, st.Tolerance), nil
}

// TrainingItem is an item as a marker in training sees it: its label,
// kind, points and alternatives — never the key or the scheme's levels.
type TrainingItem struct {
	No        int    `json:"no"`
	Label     string `json:"label"`
	Kind      string `json:"kind"`
	MaxPoints int    `json:"max_points"`
	Options   int    `json:"options,omitempty"`
}

// TrainingBooklet is a training booklet as its marker sees it: the
// agreed marks only once they submitted theirs.
type TrainingBooklet struct {
	No          int    `json:"no"`
	Submitted   bool   `json:"submitted"`
	Yours       *Marks `json:"yours,omitempty"`
	YourTotal   int    `json:"your_total"`
	Agreed      *Marks `json:"agreed,omitempty"`
	AgreedTotal int    `json:"agreed_total"`
	Difference  int    `json:"difference"`
	Within      bool   `json:"within_tolerance"`
}

// Training is a marker's training on an exam (Neni 57.11).
type Training struct {
	Year       int               `json:"year"`
	Exam       string            `json:"exam"`
	Status     string            `json:"status"`
	StatusNote string            `json:"status_note,omitempty"`
	Tolerance  int               `json:"tolerance"`
	Items      []TrainingItem    `json:"items"`
	Booklets   []TrainingBooklet `json:"booklets"`
	Remaining  int               `json:"remaining"`
}

// TrainingQueue is p's training: every training booklet of the exam,
// marked or not, with the agreed marks of those p submitted.
func (s *Service) TrainingQueue(ctx context.Context, p *auth.Principal, year int, exam string) (Training, error) {
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return Training{}, err
	}
	m, err := s.activeMarker(ctx, p, year, e.Code)
	if err != nil {
		return Training{}, err
	}
	return s.training(ctx, year, e.Code, m)
}

func (s *Service) training(ctx context.Context, year int, exam string, m Marker) (Training, error) {
	items, err := s.items(ctx, year, exam)
	if err != nil {
		return Training{}, err
	}
	st, err := s.settingsOf(ctx, year, exam)
	if err != nil {
		return Training{}, err
	}
	t := Training{Year: year, Exam: exam, Status: m.Status, StatusNote: m.StatusNote, Tolerance: st.Tolerance, Items: []TrainingItem{}, Booklets: []TrainingBooklet{}}
	for _, it := range items {
		t.Items = append(t.Items, TrainingItem{No: it.No, Label: it.Label, Kind: it.Kind, MaxPoints: it.MaxPoints, Options: it.Options})
	}
	cal, err := s.calibrationList(ctx, year, exam, PurposeTraining, len(items))
	if err != nil {
		return Training{}, err
	}
	type mine struct {
		no          int
		ch, pts     string
		total       int
		submittedAt string
	}
	rows, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (mine, error) {
		var x mine
		return x, r.Scan(&x.no, &x.ch, &x.pts, &x.total, &x.submittedAt)
	}, `SELECT no, choices, points, total, entered_at FROM marking_training WHERE year = $1 AND exam = $2 AND username = $3`, year, exam, m.Username)
	if err != nil {
		return Training{}, fmt.Errorf("marking: training of %s: %w", m.Username, err)
	}
	done := map[int]mine{}
	for _, x := range rows {
		done[x.no] = x
	}
	for _, c := range cal {
		b := TrainingBooklet{No: c.No}
		if x, ok := done[c.No]; ok {
			yours, err := decodeMarks(x.ch, x.pts, len(items))
			if err != nil {
				return Training{}, err
			}
			agreed := c.Marks
			b.Submitted, b.Yours, b.YourTotal, b.Agreed, b.AgreedTotal = true, &yours, x.total, &agreed, c.Total
			b.Difference = x.total - c.Total
			b.Within = max(b.Difference, -b.Difference) <= st.Tolerance
		} else {
			t.Remaining++
		}
		t.Booklets = append(t.Booklets, b)
	}
	return t, nil
}

// TrainingResult is what a training marking gave: the booklet as the
// marker now sees it (with the agreed marks) and their status after it.
type TrainingResult struct {
	Booklet    TrainingBooklet `json:"booklet"`
	Status     string          `json:"status"`
	StatusNote string          `json:"status_note,omitempty"`
	Remaining  int             `json:"remaining"`
}

// MarkTraining records p's marks of training booklet no (once); when p
// has marked every training booklet they are evaluated (Neni 57.11).
func (s *Service) MarkTraining(ctx context.Context, p *auth.Principal, year int, exam string, no int, choices []string, points []int) (TrainingResult, error) {
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return TrainingResult{}, err
	}
	items, err := s.items(ctx, year, e.Code)
	if err != nil {
		return TrainingResult{}, err
	}
	var res TrainingResult
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		m, err := s.activeMarker(ctx, p, year, e.Code)
		if err != nil {
			return err
		}
		switch m.Status {
		case StatusStopped:
			return stoppedErr()
		case StatusQualified:
			return apperr.New(apperr.Conflict, "Jeni kualifikuar tashmë për vlerësimin e provimit %s: trajnimi ka mbaruar.", e.Label)
		case StatusNotQualified:
			return apperr.New(apperr.Conflict, "Trajnimi juaj u vlerësua jashtë tolerancës; përgjegjësi i lëndës ose AVA ju rikthen në trajnim (Neni 57.11).")
		}
		q := s.db.Q(ctx)
		var purpose string
		err = q.QueryRowContext(ctx, `SELECT purpose FROM marking_calibration WHERE year = $1 AND exam = $2 AND no = $3`, year, e.Code, no).Scan(&purpose)
		if errors.Is(err, sql.ErrNoRows) || purpose != PurposeTraining {
			return apperr.New(apperr.NotFound, "Test-broshura e trajnimit nr. %d nuk ekziston për provimin %s.", no, e.Label)
		}
		if err != nil {
			return fmt.Errorf("marking: training booklet: %w", err)
		}
		mk, err := Score(items, choices, points)
		if err != nil {
			return err
		}
		ch, pts := mk.encode()
		r, err := q.ExecContext(ctx, `INSERT INTO marking_training (year, exam, no, username, choices, points, total, entered_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (year, exam, no, username) DO NOTHING`, year, e.Code, no, m.Username, ch, pts, mk.Total(), s.stamp(ctx))
		if err != nil {
			return fmt.Errorf("marking: training marks: %w", err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "Test-broshurën e trajnimit nr. %d e keni vlerësuar tashmë; vlerësimi nuk ndryshohet.", no)
		}
		if err := audit.Add(ctx, p.Actor(), "marking.mark", "marking_marker", markerKey(year, e.Code, m.Username), nil,
			map[string]any{"training_booklet": no, "total": mk.Total()}); err != nil {
			return err
		}
		status, note, err := s.evaluate(ctx, year, e.Code, m.Username)
		if err != nil {
			return err
		}
		if status != m.Status {
			if err := s.setStatus(ctx, p, year, e.Code, m, status, note); err != nil {
				return err
			}
			m.Status, m.StatusNote = status, note
		}
		t, err := s.training(ctx, year, e.Code, m)
		if err != nil {
			return err
		}
		res = TrainingResult{Status: m.Status, StatusNote: m.StatusNote, Remaining: t.Remaining}
		for _, b := range t.Booklets {
			if b.No == no {
				res.Booklet = b
			}
		}
		return nil
	})
	return res, err
}

// setStatus changes a marker's status with its note, audited as a
// decision on the qualification (Neni 57.11).
func (s *Service) setStatus(ctx context.Context, by *auth.Principal, year int, exam string, m Marker, status, note string) error {
	if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE marking_markers SET status = $1, status_note = $2 WHERE year = $3 AND exam = $4 AND username = $5`,
		status, note, year, exam, m.Username); err != nil {
		return fmt.Errorf("marking: status of %s: %w", m.Username, err)
	}
	return audit.Add(ctx, by.Actor(), "marking.qualify", "marking_marker", markerKey(year, exam, m.Username),
		map[string]string{"status": m.Status}, map[string]string{"status": status, "note": note})
}

// Retrain lets a marker who did not qualify train again (Neni 57.11):
// their training marks are cleared and they mark every training booklet
// anew. AVA or the subject's lead.
func (s *Service) Retrain(ctx context.Context, by *auth.Principal, year int, exam, username string) error {
	return s.onMarker(ctx, by, year, exam, username, "e rikthen në trajnim", func(ctx context.Context, year int, exam string, m Marker) error {
		if m.Status != StatusNotQualified {
			return apperr.New(apperr.Conflict, "%s nuk është «jo i kualifikuar»: rikthehet në trajnim vetëm kush nuk u kualifikua (Neni 57.11).", m.FullName)
		}
		if _, err := s.db.Q(ctx).ExecContext(ctx, `DELETE FROM marking_training WHERE year = $1 AND exam = $2 AND username = $3`, year, exam, m.Username); err != nil {
			return fmt.Errorf("marking: retrain %s: %w", m.Username, err)
		}
		return s.setStatus(ctx, by, year, exam, m, StatusTraining, "Rikthyer në trajnim nga "+actorName(by)+".")
	})
}

// markerNamed is the marker with username of an exam; NotFound when none.
func (s *Service) markerNamed(ctx context.Context, year int, exam, username string) (Marker, error) {
	m, err := s.markerOf(ctx, &auth.Principal{Username: strings.ToLower(strings.TrimSpace(username))}, year, exam)
	if apperr.Is(err, apperr.Forbidden) {
		return Marker{}, apperr.New(apperr.NotFound, "«%s» nuk është vlerësues i provimit %s.", username, exam)
	}
	return m, err
}
