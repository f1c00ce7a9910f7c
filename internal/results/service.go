// Package results turns the frozen points of a closed marking into every
// listed candidate's result (Neni 57.1): points per code become points
// per candidate once the key holders opened the link (Neni 58, 59.3),
// grades come from the year's table, pass or fail, voided where MASH
// voided a booklet (Neni 57.17) or the candidate was excluded (Neni
// 54–55), absent where a listed candidate left no booklet. AVA publishes
// each exam's results no later than 15 days after it (Neni 57.19), the
// page each candidate sees is prepared then (one primary-key read on the
// night of the results), and after publication a result changes only
// through a re-marking (Neni 64, ApplyRemark). What follows for each
// candidate — the second session (Neni 16, 58), the electives and
// university eligibility (Neni 17), earlier years' results (Neni 17 ¶4,
// 26) — are the pure rules of rules.go. No list, export or answer ranks
// or aggregates schools (Neni 63).
package results

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"provim/internal/anonym"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/marking"
	"provim/internal/registry"
	"provim/internal/store"
)

// Service computes, publishes and serves the results.
type Service struct {
	db       *store.DB
	years    *examyear.Service
	registry *registry.Service
	apps     *application.Service
	marking  *marking.Service
	anonym   *anonym.Service

	mu    sync.RWMutex
	hooks []func(ctx context.Context, year int, studentID int64) error

	cache pageCache // the prepared pages served (page_cache.go)
}

// NewService returns the service over db and the services it reads.
func NewService(db *store.DB, years *examyear.Service, reg *registry.Service, apps *application.Service, mk *marking.Service, an *anonym.Service) *Service {
	return &Service{db: db, years: years, registry: reg, apps: apps, marking: mk, anonym: an}
}

// OnGradeChange registers fn, called inside the same transaction after a
// re-marking changed a candidate's grade or pass (the certificate follows).
func (s *Service) OnGradeChange(fn func(ctx context.Context, year int, studentID int64) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks = append(s.hooks, fn)
}

func (s *Service) gradeChanged(ctx context.Context, year int, studentID int64) error {
	s.mu.RLock()
	hooks := append([]func(context.Context, int, int64) error(nil), s.hooks...)
	s.mu.RUnlock()
	for _, fn := range hooks {
		if err := fn(ctx, year, studentID); err != nil {
			return err
		}
	}
	return nil
}

// stamp is the moment of the transaction in ctx (or now), as stored.
func (s *Service) stamp(ctx context.Context) string { return clock.Stored(s.db.Now(ctx)) }

// yearOf returns the exam year, or the active one for year 0.
func (s *Service) yearOf(ctx context.Context, year int) (*examyear.Year, error) {
	if year == 0 {
		y, err := s.years.Active(ctx)
		if err != nil {
			return nil, fmt.Errorf("results: active year: %w", err)
		}
		return y, nil
	}
	return s.years.Get(ctx, &auth.Principal{Role: auth.RoleAVA}, year)
}

// NormExam reads a test key (examyear.TestKey): D1, D2 or a subject code
// of the first session, D1-2 or D2-2 of the second.
func NormExam(exam string) string { return strings.ToUpper(strings.TrimSpace(exam)) }

// splitKey takes a test key apart into the exam and the session the
// results rows store (the results tables have a session column).
func splitKey(key string) (exam string, session int) { return examyear.SplitTest(NormExam(key)) }

func examKey(year int, exam string) string { return fmt.Sprintf("%d-%s", year, exam) }
