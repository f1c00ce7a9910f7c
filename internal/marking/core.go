package marking

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/store"
)

// The reads every part of marking shares: a test's items, a caller's
// appointment as marker, and a booklet's state.

// items returns the items of an exam's test in order; none before AVA
// defines the test.
func (s *Service) items(ctx context.Context, year int, exam string) ([]Item, error) {
	out, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (Item, error) {
		var it Item
		var scheme string
		if err := r.Scan(&it.No, &it.Label, &it.Kind, &it.MaxPoints, &it.Options, &it.Key, &scheme); err != nil {
			return it, err
		}
		if scheme != "" {
			if err := json.Unmarshal([]byte(scheme), &it.Levels); err != nil {
				return it, fmt.Errorf("item %d scheme: %w", it.No, err)
			}
		}
		return it, nil
	}, `SELECT no, label, kind, max_points, options, answer_key, scheme FROM marking_items WHERE year = $1 AND exam = $2 ORDER BY no`, year, NormExam(exam))
	if err != nil {
		return nil, fmt.Errorf("marking: items of %s: %w", exam, err)
	}
	return out, nil
}

// Marker tasks and statuses (Neni 57.8, 57.11).
const (
	TaskMarker = "marker"
	TaskLead   = "lead"

	StatusTraining     = "training"
	StatusQualified    = "qualified"
	StatusNotQualified = "not_qualified"
	StatusStopped      = "stopped"
)

// Marker is an appointed marker of a subject. The school is kept to keep
// them off their school's booklets; it is shown to AVA and the lead only.
type Marker struct {
	Username   string `json:"username"`
	FullName   string `json:"full_name"`
	StaffID    int64  `json:"-"`
	School     string `json:"school,omitempty"`
	Task       string `json:"task"`
	Status     string `json:"status"`
	StatusNote string `json:"status_note,omitempty"`
}

// markerOf returns the appointment of p (a marker account) for an exam;
// Forbidden when p is not appointed to it.
func (s *Service) markerOf(ctx context.Context, p *auth.Principal, year int, exam string) (Marker, error) {
	if p == nil {
		return Marker{}, auth.Require(p)
	}
	var m Marker
	var staff sql.NullInt64
	err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT username, full_name, staff_id, school_code, task, status, status_note
		FROM marking_markers WHERE year = $1 AND exam = $2 AND username = $3`, year, NormExam(exam), p.Username).
		Scan(&m.Username, &m.FullName, &staff, &m.School, &m.Task, &m.Status, &m.StatusNote)
	if errors.Is(err, sql.ErrNoRows) {
		return Marker{}, apperr.New(apperr.Forbidden, "Nuk jeni emëruar vlerësues i provimit %s për vitin %d (Neni 57.8).", NormExam(exam), year)
	}
	if err != nil {
		return Marker{}, fmt.Errorf("marking: marker %s: %w", p.Username, err)
	}
	m.StaffID = staff.Int64
	return m, nil
}

// Booklet states.
const (
	StateOpen   = "open"
	StateThird  = "third"
	StateFinal  = "final"
	StateVoided = "voided"
)
