// Package examday runs the exam day at the venues (Neni 48–56): the drawn
// staff at work in exactly the venue and exam they were drawn for, the
// PAP's rooms for the AP (48.2), the identification and entry of the
// candidates (52) with an offline queue replayed exactly once, the desk's
// labels through package anonym (53), incidents and exclusions (54–56)
// with their procesverbal, the timing rules (49.9, 50.14, 56.3), the
// packing and counts after the exam (48.9–48.11, 53.5) that close the
// custody return, and the live board of KMSH and AVA.
package examday

import (
	"context"
	"sync"
	"time"

	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/custody"
	"provim/internal/draw"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/store"
	"provim/internal/venue"
)

// LabelCount is the label count of one room as package anonym keeps it
// (Neni 53.5): codes printed, used at the desk, unused labels sealed.
type LabelCount struct {
	Room     string `json:"room"`
	Printed  int    `json:"printed"`
	Used     int    `json:"used"`
	Unused   int    `json:"unused"` // -1 until sealed
	Sealed   bool   `json:"sealed"`
	Balanced bool   `json:"balanced"`
}

// Label is one label attached at the desk: its code and the candidate.
type Label struct {
	Code      string
	StudentID int64
}

// Labels is what the exam day asks of package anonym, which alone holds
// the code↔candidate link (wire.New adapts it).
type Labels interface {
	// Attach records at the desk the label stuck on a candidate's
	// booklet and beside their name (Neni 53.3–53.4).
	Attach(ctx context.Context, by *auth.Principal, year int, exam, venue, code string, studentID int64) error
	// AttachMany is Attach for many labels of one venue at once, all or
	// nothing (the desk's offline queue, the demo).
	AttachMany(ctx context.Context, by *auth.Principal, year int, exam, venue string, labels []Label) (int, error)
	// SealUnused counts and seals a room's unused labels (Neni 53.5).
	SealUnused(ctx context.Context, by *auth.Principal, year int, exam, venue, room string, unused int) error
	// Counts are the label counts of each room of a venue.
	Counts(ctx context.Context, year int, exam, venue string) ([]LabelCount, error)
}

// Service runs the exam day of the active year.
type Service struct {
	db      *store.DB
	years   *examyear.Service
	reg     *registry.Service
	venues  *venue.Service
	draws   *draw.Service
	custody *custody.Service
	apps    *application.Service

	mu     sync.RWMutex
	labels Labels
	cache  map[dayKey]*cachedDay
}

// NewService returns the service over db and the services it reads.
func NewService(db *store.DB, years *examyear.Service, reg *registry.Service, venues *venue.Service, draws *draw.Service,
	cust *custody.Service, apps *application.Service) *Service {
	return &Service{db: db, years: years, reg: reg, venues: venues, draws: draws, custody: cust, apps: apps, cache: map[dayKey]*cachedDay{}}
}

// SetLabels connects the desk to package anonym.
func (s *Service) SetLabels(l Labels) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.labels = l
}

func (s *Service) labelsOf() Labels {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.labels
}

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.db.Clock.Now() }
