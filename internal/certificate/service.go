// Package certificate issues the Dëftesa e Pjekurisë — the maturity
// certificate of the State Matura (issue 15 item 8) — to every candidate
// who completes it (Neni 17): a PDF in Albanian with the candidate's
// personal data, the counted exams with their grades and years, a public
// number with a check letter, a QR code holding a record signed by AVA
// (COSE_Sign1, Ed25519) that anyone checks offline with AVA's published
// key, and a PAdES signature over the whole file. It answers the public
// check by number and personal number (throttled), keeps the public list
// of revoked certificates, and revokes and reissues when a re-marking
// changes a grade (Neni 64).
//
// It reads the results through Source (package results' completions)
// and the holders' personal data through the registry; its tables are
// certificates and certificate_checks.
package certificate

import (
	"context"
	"fmt"
	"sync"
	"time"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/store"
)

// Source is what the certificates read of the results (package results,
// through internal/certificate/fromresults).
type Source interface {
	// CompletionOf is a candidate's Matura as of year.
	CompletionOf(ctx context.Context, year int, studentID int64) (Completion, error)
	// Completions are the candidates of year whose results are all
	// published, in student-id order after afterStudentID.
	Completions(ctx context.Context, year int, afterStudentID int64, limit int) ([]Completion, error)
}

// Service issues, serves, checks and revokes certificates.
type Service struct {
	db       *store.DB
	years    *examyear.Service
	registry *registry.Service

	mu     sync.RWMutex
	source Source
	seal   *Seal
}

// NewService returns the service over db; its Source and Seal are set
// by SetSource and SetSeal (cmd/provim loads the seal's key file).
func NewService(db *store.DB, years *examyear.Service, reg *registry.Service) *Service {
	return &Service{db: db, years: years, registry: reg}
}

// SetSource sets where the completions are read.
func (s *Service) SetSource(src Source) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.source = src
}

// SetSeal sets AVA's seal, which signs what is issued from now on.
func (s *Service) SetSeal(seal *Seal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seal = seal
}

// Seal returns AVA's seal, or a Conflict when none is loaded.
func (s *Service) Seal() (*Seal, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.seal == nil {
		return nil, apperr.New(apperr.Conflict, "Mungon çelësi i vulës elektronike të AVA-s: serveri niset me --seal-key SKEDAR (ose PROVIM_SEAL_KEY).")
	}
	return s.seal, nil
}

func (s *Service) src() (Source, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.source == nil {
		return nil, apperr.New(apperr.Conflict, "Rezultatet nuk janë të lidhura me certifikatat.")
	}
	return s.source, nil
}

// stamp is the moment of the transaction in ctx (or now), as stored.
func (s *Service) stamp(ctx context.Context) string { return clock.Stored(s.db.Now(ctx)) }

// yearOf is year, or the active exam year for 0.
func (s *Service) yearOf(ctx context.Context, year int) (int, error) {
	if year != 0 {
		return year, nil
	}
	y, err := s.years.Active(ctx)
	if err != nil {
		return 0, fmt.Errorf("certificate: active year: %w", err)
	}
	return y.Year, nil
}

// Certificate is one issued certificate.
type Certificate struct {
	Number       string    `json:"number"`
	Year         int       `json:"year"`
	StudentID    int64     `json:"-"`
	FullName     string    `json:"full_name"`
	PersonalNo   string    `json:"personal_no"`
	BirthDate    string    `json:"birth_date"`
	SchoolCode   string    `json:"school_code"`
	SchoolName   string    `json:"school_name"`
	UnitCode     string    `json:"unit_code"`
	Exams        []Exam    `json:"exams"`
	IssuedAt     time.Time `json:"issued_at"`
	RevokedAt    time.Time `json:"revoked_at,omitzero"`
	RevokeReason string    `json:"revoke_reason,omitempty"`
	ReplacedBy   string    `json:"replaced_by,omitempty"`
	Record       []byte    `json:"-"` // the COSE_Sign1 message of the QR code
}

// Valid reports whether the certificate is not revoked.
func (c Certificate) Valid() bool { return c.RevokedAt.IsZero() }

// Status is "i vlefshëm" or "i revokuar".
func (c Certificate) Status() string {
	if c.Valid() {
		return StatusValid
	}
	return StatusRevoked
}

// The answers of a check.
const (
	StatusValid    = "i vlefshëm"
	StatusRevoked  = "i revokuar"
	StatusForged   = "i falsifikuar"
	StatusNotFound = "nuk u gjet"
)

// system is who revokes and reissues when a re-marking changes a grade.
var system = &auth.Principal{Username: "sistemi", FullName: "Rivlerësimi (Neni 64)", Role: auth.RoleAVA}
