// Package remark runs the re-marking of Neni 64 and the test-copy
// requests of the action plan. A candidate (online) or their school
// commission (on paper) files a request with the fee receipt within 4
// days of the exam's results; the school forwards its requests to the
// KMSH within 5 days, the KMSH reviews them and forwards them to AVA
// within 7; AVA re-marks each booklet by its code under marking's rules
// (two trained markers, neither an original marker nor of the booklet's
// schools, and a third where they differ, whose marks stand: Neni
// 57.13–57.14), and sends the final points between day 15 and day 30
// after the publication, when they become the candidate's result
// (results.ApplyRemark). A candidate may also ask to see their booklet:
// AVA answers with the scan or an appointment.
//
// The markers see codes only; the school and the KMSH see their
// candidates' requests by name, never a code; AVA's re-marking pages
// show codes, never names.
package remark

import (
	"context"
	"fmt"
	"time"

	"provim/internal/anonym"
	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/marking"
	"provim/internal/registry"
	"provim/internal/results"
	"provim/internal/store"
)

// Service keeps the re-marking and test-copy requests.
type Service struct {
	db       *store.DB
	years    *examyear.Service
	registry *registry.Service
	apps     *application.Service
	anonym   *anonym.Service
	marking  *marking.Service
	results  *results.Service
}

// NewService returns the service over db and the services it reads.
func NewService(db *store.DB, years *examyear.Service, reg *registry.Service, apps *application.Service, an *anonym.Service, mk *marking.Service, res *results.Service) *Service {
	return &Service{db: db, years: years, registry: reg, apps: apps, anonym: an, marking: mk, results: res}
}

// stamp is the moment of the transaction in ctx (or now), as stored.
func (s *Service) stamp(ctx context.Context) string { return clock.Stored(s.db.Now(ctx)) }

// yearOf returns the exam year, or the active one for year 0.
func (s *Service) yearOf(ctx context.Context, year int) (*examyear.Year, error) {
	if year == 0 {
		y, err := s.years.Active(ctx)
		if err != nil {
			return nil, fmt.Errorf("remark: active year: %w", err)
		}
		return y, nil
	}
	return s.years.Get(ctx, &auth.Principal{Role: auth.RoleAVA}, year)
}

// published returns when an exam's results were published; Conflict
// before.
func (s *Service) published(ctx context.Context, year int, exam string) (time.Time, error) {
	at, ok, err := s.results.PublishedAt(ctx, year, exam)
	if err != nil {
		return time.Time{}, err
	}
	if !ok {
		return time.Time{}, apperr.New(apperr.NotFound, "Rezultatet e provimit %s të vitit %d nuk janë shpallur ende: rivlerësimi kërkohet pas shpalljes (Neni 64).", examyear.TestLabel(exam), year)
	}
	return at, nil
}

// NormExam reads a test key: D1, D2 or a subject code, D1-2 or D2-2 of
// the second session (Neni 58).
func NormExam(exam string) string { return results.NormExam(exam) }

// requestKey is a request's id in the audit log.
func requestKey(year int, exam string, studentID int64) string {
	return fmt.Sprintf("%d-%s-%d", year, exam, studentID)
}

// Request states, in the order of Neni 64.
const (
	StateFiled   = "filed"   // filed at the school (¶1)
	StateSchool  = "school"  // forwarded by the school to the KMSH (¶2)
	StateKMSH    = "kmsh"    // forwarded by the KMSH to AVA (¶2)
	StateRefused = "refused" // refused by the KMSH, with a reason (¶2)
	StateMarking = "marking" // two re-markers at work (¶3)
	StateThird   = "third"   // the two differ: a third marks (¶3, 57.14)
	StateMarked  = "marked"  // re-marked, held until AVA sends (¶4)
	StateFinal   = "final"   // sent: the candidate's final result (¶4)
)

// StateLabel names a state for the candidate and the commissions: the
// work inside AVA (two markers, a third, held) is one step for them.
func StateLabel(state string) string {
	switch state {
	case StateFiled:
		return "Paraqitur në KSHMSH"
	case StateSchool:
		return "Përcjellë nga KSHMSH te KMSH"
	case StateKMSH:
		return "Përcjellë nga KMSH te AVA"
	case StateRefused:
		return "Refuzuar nga KMSH"
	case StateMarking, StateThird, StateMarked:
		return "Në rivlerësim në AVA"
	case StateFinal:
		return "Përfundimtar"
	}
	return state
}

// WorkLabel names a state for AVA and the markers' leads.
func WorkLabel(state string) string {
	switch state {
	case StateKMSH:
		return "Pret grupin e rivlerësimit"
	case StateMarking:
		return "Te dy vlerësuesit"
	case StateThird:
		return "Te vlerësuesi i tretë"
	case StateMarked:
		return "Rivlerësuar, pret dërgimin"
	case StateFinal:
		return "Dërguar"
	}
	return StateLabel(state)
}
