package marking

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
)

// DefaultSeededRatePM is the share of calibration booklets seeded unseen
// into the live queues when an exam has no settings (per mille).
const DefaultSeededRatePM = 20

// Settings are an exam's marking settings: the calibration tolerance
// (points a marker may be off the agreed total, Neni 57.11), the share of
// marked booklets the monitors sample (‰, Neni 57.15) and the share of
// seeded calibration booklets (‰).
type Settings struct {
	Tolerance     int    `json:"tolerance"`
	MonitorRatePM int    `json:"monitor_rate_pm"`
	SeededRatePM  int    `json:"seeded_rate_pm"`
	UpdatedBy     string `json:"updated_by,omitempty"`
	UpdatedAt     string `json:"updated_at,omitempty"`
	Default       bool   `json:"default"` // no settings saved: the defaults
}

// DefaultSettings are the settings of an exam that has none.
func DefaultSettings() Settings {
	return Settings{Tolerance: DefaultTolerance, MonitorRatePM: DefaultMonitorRatePM, SeededRatePM: DefaultSeededRatePM, Default: true}
}

// settingsOf reads an exam's settings, or the defaults.
func (s *Service) settingsOf(ctx context.Context, year int, exam string) (Settings, error) {
	var st Settings
	err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT tolerance, monitor_rate_pm, seeded_rate_pm, updated_by, updated_at
		FROM marking_settings WHERE year = $1 AND exam = $2`, year, NormExam(exam)).
		Scan(&st.Tolerance, &st.MonitorRatePM, &st.SeededRatePM, &st.UpdatedBy, &st.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultSettings(), nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("marking: settings of %s: %w", exam, err)
	}
	return st, nil
}

// Settings returns an exam's marking settings (the defaults when none
// were saved). They are not classified; the pages show them to AVA and
// the subject's lead.
func (s *Service) Settings(ctx context.Context, year int, exam string) (Settings, error) {
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return Settings{}, err
	}
	return s.settingsOf(ctx, year, e.Code)
}

// SetSettings saves an exam's marking settings (AVA). The tolerance is
// 0 or more points, at most the exam's points; the rates 0–1000 ‰.
func (s *Service) SetSettings(ctx context.Context, by *auth.Principal, year int, exam string, in Settings) error {
	if err := auth.Require(by, auth.RoleAVA); err != nil {
		return err
	}
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return err
	}
	var problems []string
	if in.Tolerance < 0 || (e.MaxPoints > 0 && in.Tolerance > e.MaxPoints) {
		problems = append(problems, fmt.Sprintf("toleranca %d pikë nuk është nga 0 deri në %d (Neni 57.11)", in.Tolerance, e.MaxPoints))
	}
	if in.MonitorRatePM < 0 || in.MonitorRatePM > 1000 {
		problems = append(problems, fmt.Sprintf("pjesa e monitorimit %d‰ nuk është nga 0 deri në 1000‰ (Neni 57.15)", in.MonitorRatePM))
	}
	if in.SeededRatePM < 0 || in.SeededRatePM > 1000 {
		problems = append(problems, fmt.Sprintf("pjesa e test-broshurave të kalibrimit %d‰ nuk është nga 0 deri në 1000‰", in.SeededRatePM))
	}
	if len(problems) > 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "Parametrat e vlerësimit nuk u ruajtën: " + strings.Join(problems, "; ") + ".", Details: problems}
	}
	var out Settings
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.openForMarking(ctx, year, e.Code); err != nil {
			return err
		}
		before, err := s.settingsOf(ctx, year, e.Code)
		if err != nil {
			return err
		}
		out = Settings{Tolerance: in.Tolerance, MonitorRatePM: in.MonitorRatePM, SeededRatePM: in.SeededRatePM, UpdatedBy: by.Username, UpdatedAt: s.stamp(ctx)}
		if _, err := s.db.Q(ctx).ExecContext(ctx, `INSERT INTO marking_settings (year, exam, tolerance, monitor_rate_pm, seeded_rate_pm, updated_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (year, exam) DO UPDATE SET tolerance = excluded.tolerance, monitor_rate_pm = excluded.monitor_rate_pm,
			seeded_rate_pm = excluded.seeded_rate_pm, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			year, e.Code, out.Tolerance, out.MonitorRatePM, out.SeededRatePM, out.UpdatedBy, out.UpdatedAt); err != nil {
			return fmt.Errorf("marking: save settings: %w", err)
		}
		return audit.Add(ctx, by.Actor(), "marking.test", "marking_exam", testKey(year, e.Code),
			map[string]int{"tolerance": before.Tolerance, "monitor_rate_pm": before.MonitorRatePM, "seeded_rate_pm": before.SeededRatePM},
			map[string]int{"tolerance": out.Tolerance, "monitor_rate_pm": out.MonitorRatePM, "seeded_rate_pm": out.SeededRatePM})
	})
}

// actorName is how a note names who acted.
func actorName(p *auth.Principal) string {
	if p.FullName != "" {
		return p.FullName
	}
	return p.Username
}

// StopMarker stops a marker (the lead's decision, issue 14 item 7): they
// get no more booklets and submit none. AVA or the subject's lead; a
// lead is stopped by AVA only; the reason is kept.
func (s *Service) StopMarker(ctx context.Context, by *auth.Principal, year int, exam, username, reason string) error {
	reason = strings.Join(strings.Fields(reason), " ")
	return s.onMarker(ctx, by, year, exam, username, "e ndalon", func(ctx context.Context, year int, exam string, m Marker) error {
		if reason == "" {
			return apperr.New(apperr.Invalid, "Shkruani arsyen e ndalimit të vlerësuesit.")
		}
		if m.Status == StatusStopped {
			return apperr.New(apperr.Conflict, "%s është ndaluar tashmë.", m.FullName)
		}
		if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE marking_markers SET status = 'stopped', status_note = $1 WHERE year = $2 AND exam = $3 AND username = $4`,
			"Ndaluar nga "+actorName(by)+": "+reason, year, exam, m.Username); err != nil {
			return fmt.Errorf("marking: stop %s: %w", m.Username, err)
		}
		return audit.Add(ctx, by.Actor(), "marking.stop", "marking_marker", markerKey(year, exam, m.Username),
			map[string]string{"status": m.Status}, map[string]string{"status": StatusStopped, "reason": reason})
	})
}

// ResumeMarker lets a stopped marker go on: their status is what their
// training gives again (qualified, not qualified, or training). AVA or
// the subject's lead (a lead is resumed by AVA only).
func (s *Service) ResumeMarker(ctx context.Context, by *auth.Principal, year int, exam, username string) error {
	return s.onMarker(ctx, by, year, exam, username, "e rikthen", func(ctx context.Context, year int, exam string, m Marker) error {
		if m.Status != StatusStopped {
			return apperr.New(apperr.Conflict, "%s nuk është i ndaluar.", m.FullName)
		}
		status, note, err := s.evaluate(ctx, year, exam, m.Username)
		if err != nil {
			return err
		}
		return s.setStatus(ctx, by, year, exam, m, status, note)
	})
}

// onMarker runs a lead's act on one marker of an exam (stop, resume,
// retrain): AVA or the subject's lead, while the marking is open, in one
// transaction; an act on a lead is AVA's only (Neni 57.8) — does names
// the act in the refusal ("e ndalon").
func (s *Service) onMarker(ctx context.Context, by *auth.Principal, year int, exam, username, does string,
	act func(ctx context.Context, year int, exam string, m Marker) error) error {
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return err
	}
	if err := s.mayLead(ctx, by, year, e.Code); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.openForMarking(ctx, year, e.Code); err != nil {
			return err
		}
		m, err := s.markerNamed(ctx, year, e.Code, username)
		if err != nil {
			return err
		}
		if m.Task == TaskLead && !MayManage(by) {
			return apperr.New(apperr.Forbidden, "Përgjegjësin e vlerësuesve %s vetëm AVA (Neni 57.8).", does)
		}
		return act(ctx, year, e.Code, m)
	})
}
