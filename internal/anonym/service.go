// Package anonym is the anonymisation of the written exams ("sekretimi",
// Neni 51, 53, 58, 59.3): the random codes AVA makes for every seated
// candidate of an exam, the label sheets of each venue (pairs for D1 and
// D2, triples for the electives, Neni 53.4), the desk's act that sticks a
// label on a candidate's booklet (Neni 53.3), the sealing of the unused
// labels (Neni 53.5), and the sealed link from code to candidate: stored
// only encrypted to the exam's public key, whose private key is split
// k-of-n among key holders AVA names, and opened by k of them only after
// the marking of the exam closes (Neni 58, 59.3).
//
// Only this package reads its tables (internal/archtest): nobody else —
// not another package, not a database dump — can join a code to a
// candidate before the opening. What a dump holds: the codes by room
// without candidates, the candidates by room without codes, and the
// links encrypted. No row carries the moment a label was attached, no
// audit entry names a code and a candidate together, and sealing a room
// rewrites its rows in key order, so the order rows were changed in says
// nothing either.
package anonym

import (
	"context"
	"fmt"
	"sync"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/store"
	"provim/internal/venue"
)

// Every exam string this package takes is a test key (examyear.TestKey):
// "D1" is D1 of the first session, "D1-2" D1 of the second (Neni 16 ¶2,
// 58), each with its own codes, labels, key and link, kept in the same
// tables under its key. The codes are unique in a year across both
// sessions (anonym_codes' key is year and code).

// StaffCheck decides whether p may act at the desk of venue for a test
// (Neni 51, 53.2): wiring sets the exam day's check of the draw. exam is
// the test key (examyear.SplitTest gives the exam and the session).
type StaffCheck func(ctx context.Context, p *auth.Principal, year int, exam, venue string) error

// MarkingClosed reports whether the marking of a test (its key) has
// closed (Neni 59.3): until then the link stays sealed.
type MarkingClosed func(ctx context.Context, year int, exam string) (bool, error)

// Service keeps the codes, the labels and the sealed link.
type Service struct {
	db       *store.DB
	years    *examyear.Service
	venues   *venue.Service
	registry *registry.Service

	mu            sync.RWMutex
	staffCheck    StaffCheck
	venueCheck    StaffCheck
	markingClosed MarkingClosed

	// pending are the shares presented one holder at a time (present.go).
	pending pendingShares
}

// NewService returns the service over db; it reads the exam plan through
// venues and the rooms through the registry.
func NewService(db *store.DB, years *examyear.Service, venues *venue.Service, reg *registry.Service) *Service {
	return &Service{db: db, years: years, venues: venues, registry: reg}
}

// SetStaffCheck replaces the default desk check (AVA, or a PAP or AS
// account of the venue) by a stricter one: the exam day's, from the draw.
// AVA is always allowed before the check is asked.
func (s *Service) SetStaffCheck(f StaffCheck) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.staffCheck = f
}

// SetVenueCheck sets how the service learns that p works at venue for an
// exam as its PAP or AS, for reading the label sheets and counts and for
// sealing the unused labels (Neni 53.5, where the PAP acts with the AS):
// the exam day's access from the draw. An account scoped to the venue by
// its role is always accepted; without this check, the desk check decides.
func (s *Service) SetVenueCheck(f StaffCheck) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.venueCheck = f
}

// SetMarkingClosed sets how the service learns that the marking of an
// exam has closed. Until it is set, no marking is closed and the link
// cannot be opened (Neni 59.3).
func (s *Service) SetMarkingClosed(f MarkingClosed) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.markingClosed = f
}

// GenerateResult is what Generate made (or had made before).
type GenerateResult struct {
	Year     int    `json:"year"`
	Exam     string `json:"exam"`
	ExamName string `json:"exam_name"`
	// ExamLabel names the test for people: "D1", "D1 (sesioni 2)".
	ExamLabel string `json:"exam_label"`
	// Labels is how many labels each code has: 2 for D1 and D2, 3 for an
	// elective (Neni 53.4).
	Labels int `json:"labels_per_code"`
	Venues int `json:"venues"`
	Rooms  int `json:"rooms"`
	Codes  int `json:"codes"`
	// Created is false when the codes had been made before and were kept.
	Created bool `json:"created"`
}

// RoomCount is the label count of one room (Neni 53.5): printed codes,
// those used at the desk, and the unused labels counted and sealed.
type RoomCount struct {
	RoomID  int64  `json:"-"`
	Venue   string `json:"venue_code"`
	Room    string `json:"room"`
	Floor   int    `json:"floor"`
	Printed int    `json:"printed"`
	Used    int    `json:"used"`
	// Unused is the count sealed by the PAP and the AS; -1 until sealed.
	Unused   int    `json:"unused"`
	Sealed   bool   `json:"sealed"`
	SealedBy string `json:"sealed_by,omitempty"`
	SealedAt string `json:"sealed_at,omitempty"`
	// Balanced: sealed, and printed = used + unused.
	Balanced bool `json:"balanced"`
}

// normExam reads a test key: D1, D2 or a subject code in the first
// session, D1-2 or D2-2 in the second.
func normExam(exam string) string { return examyear.TestKey(examyear.SplitTest(exam)) }

// yearOf returns the active exam year, which must be year: the plan and
// the name lists the codes follow are the active year's.
func (s *Service) yearOf(ctx context.Context, year int) (*examyear.Year, error) {
	y, err := s.years.Active(ctx)
	if err != nil {
		return nil, err
	}
	if y.Year != year {
		return nil, apperr.New(apperr.NotFound, "Viti %d nuk është viti aktiv i provimeve (%d).", year, y.Year)
	}
	return y, nil
}

// examOf checks key is a test of the year's configuration and returns
// its exam's name and its labels per code. A test of the second session
// is D1 or D2 on a second-session day of the year: the electives have no
// second session (Neni 14.4, 58).
func examOf(cfg examyear.Config, key string) (name string, labels int, err error) {
	exam, session := examyear.SplitTest(key)
	kind := ""
	switch exam {
	case examyear.KindD1, examyear.KindD2:
		kind = exam
	}
	if session == 2 {
		if _, ok := cfg.Exam(exam, 2); kind == "" || !ok {
			return "", 0, apperr.New(apperr.NotFound, "Provimi «%s» nuk zhvillohet në sesionin e dytë të këtij viti: sesioni i dytë ka vetëm provimet e detyruara në ditët e tij (Neni 14.4, 58).", exam)
		}
	}
	for _, sub := range cfg.Subjects {
		if sub.Code == exam || (kind != "" && sub.Kind == kind) {
			if kind == "" {
				kind = sub.Kind
			}
			name = sub.Name
			break
		}
	}
	if kind == "" {
		return "", 0, apperr.New(apperr.NotFound, "Provimi «%s» nuk njihet në këtë vit.", exam)
	}
	return name, LabelsPerCode(kind), nil
}

// staff authorises p at the desk of venue: AVA; otherwise the wired check
// of the draw, or by default a PAP or AS account of the venue (Neni 51,
// 53.2). Outside it the answer names nothing.
func (s *Service) staff(ctx context.Context, p *auth.Principal, year int, exam, venue string) error {
	if p == nil {
		return apperr.New(apperr.Unauthorized, "Duhet të identifikoheni.")
	}
	if p.IsNational() {
		return nil
	}
	s.mu.RLock()
	check := s.staffCheck
	s.mu.RUnlock()
	if check != nil {
		return check(ctx, p, year, exam, venue)
	}
	if (p.Role == auth.RoleAS || p.Role == auth.RolePAP) && p.Venue == venue {
		return nil
	}
	if p.Role == auth.RoleAS || p.Role == auth.RolePAP || p.Role == auth.RoleAP {
		return notFoundVenue(venue)
	}
	return auth.Require(p, auth.RoleAVA, auth.RolePAP, auth.RoleAS)
}

// venueStaff authorises p to read a venue's labels and counts and to seal
// its unused labels: AVA; a PAP or AS account of the venue; otherwise the
// wired venue check, else the desk check.
func (s *Service) venueStaff(ctx context.Context, p *auth.Principal, year int, exam, venue string) error {
	if p == nil {
		return apperr.New(apperr.Unauthorized, "Duhet të identifikoheni.")
	}
	if p.IsNational() || (p.Role == auth.RoleAS || p.Role == auth.RolePAP) && p.Venue == venue {
		return nil
	}
	s.mu.RLock()
	check := s.venueCheck
	if check == nil {
		check = s.staffCheck
	}
	s.mu.RUnlock()
	if check != nil && (p.Role == auth.RoleAS || p.Role == auth.RolePAP) {
		return check(ctx, p, year, exam, venue)
	}
	if p.IsVenueRole() {
		return notFoundVenue(venue)
	}
	return auth.Require(p, auth.RoleAVA, auth.RolePAP, auth.RoleAS)
}

func notFoundVenue(venue string) error {
	return apperr.New(apperr.NotFound, "Kodet e qendrës «%s» nuk u gjetën.", venue)
}

func examKey(year int, exam string) string { return fmt.Sprintf("%d-%s", year, exam) }
