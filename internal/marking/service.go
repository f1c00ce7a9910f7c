// Package marking marks the written exams the way Neni 57 says: the
// final test of each exam and its marking scheme, classified until the
// exam starts (Neni 19, 57.2–57.5, 59.2); the markers and their leads,
// appointed each year and trained on calibration booklets (57.6–57.11);
// every booklet, known only by its anonymisation code, marked by two
// markers who never see each other's marks, and by a third where they
// differ, whose marks are final (57.10, 57.13–57.14); the monitors'
// random samples, the reports of copying, KOPOTED's cases and MASH's
// decisions (57.15–57.18); quality measured live; and the close of an
// exam's marking, which freezes the points per code for the results and
// lets the key holders open the code↔candidate link (Neni 58, 59.3).
//
// Marking never reads a candidate's identity: its tables hold codes, and
// it reads of package anonym only the codes used and the room each was
// written in (to keep markers off their own school's booklets), of the
// plan only the schools of a room (internal/archtest keeps it so).
package marking

import (
	"context"
	"fmt"
	"strings"

	"provim/internal/anonym"
	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/store"
	"provim/internal/venue"
)

// Service keeps the tests, the markers, the markings and their close.
type Service struct {
	db       *store.DB
	years    *examyear.Service
	registry *registry.Service
	venues   *venue.Service
	anonym   *anonym.Service
	auth     *auth.Service
}

// NewService returns the service over db and the services it reads.
func NewService(db *store.DB, years *examyear.Service, reg *registry.Service, venues *venue.Service, an *anonym.Service, au *auth.Service) *Service {
	return &Service{db: db, years: years, registry: reg, venues: venues, anonym: an, auth: au}
}

// stamp is the moment of the transaction in ctx (or now), as stored.
func (s *Service) stamp(ctx context.Context) string { return clock.Stored(s.db.Now(ctx)) }

// yearOf returns the exam year, or the active one for year 0.
func (s *Service) yearOf(ctx context.Context, year int) (*examyear.Year, error) {
	if year == 0 {
		y, err := s.years.Active(ctx)
		if err != nil {
			return nil, fmt.Errorf("marking: active year: %w", err)
		}
		return y, nil
	}
	y, err := s.years.Get(ctx, &auth.Principal{Role: auth.RoleAVA}, year)
	if err != nil {
		return nil, err
	}
	return y, nil
}

// Exam is a test of the year that is marked: D1, D2 or an elective of
// the first session, D1 or D2 of the second (Neni 16 ¶2, 58). Code is the
// test key (examyear.TestKey: "D1", "D1-2"), the name every table of
// marking stores; Label names it for people.
type Exam struct {
	Code      string `json:"code"`
	Label     string `json:"label"`
	Name      string `json:"name"`
	MaxPoints int    `json:"max_points"`
}

// examOf checks that code names a test of the year that is marked — D1
// or D2 (the subject of that kind, Neni 14.1) or an elective's subject
// code of the first session; D1-2 or D2-2 when the year has that day of
// the second session (Neni 58; no elective is in it, Neni 14.4) — and
// returns it with its test key.
func examOf(y *examyear.Year, code string) (Exam, error) {
	c, session := examyear.SplitTest(NormExam(code))
	if session == 2 {
		if c != examyear.KindD1 && c != examyear.KindD2 {
			return Exam{}, apperr.New(apperr.Invalid, "Provimi «%s» nuk jepet në sesionin e dytë: aty rijepen vetëm provimet e detyruara D1 dhe D2 (Neni 14.4, 58).", code)
		}
		if _, ok := y.Config.Exam(c, 2); !ok {
			return Exam{}, apperr.New(apperr.Invalid, "Viti %d nuk ka ditë të provimit %s në sesionin e dytë (Neni 58).", y.Year, c)
		}
	}
	for _, sub := range y.Config.Subjects {
		switch {
		case (c == examyear.KindD1 || c == examyear.KindD2) && sub.Kind == c,
			sub.Kind == examyear.KindElective && sub.Code == c:
			key := examyear.TestKey(c, session)
			return Exam{Code: key, Label: examyear.TestLabel(key), Name: sub.Name, MaxPoints: sub.MaxPoints}, nil
		}
	}
	return Exam{}, apperr.New(apperr.Invalid, "Provimi «%s» nuk është provim i vitit %d: D1, D2 ose kodi i një lënde me zgjedhje (D1-2, D2-2 për sesionin e dytë).", code, y.Year)
}

// NormExam reads a test key: D1, D2 or a subject code, D1-2 or D2-2 of
// the second session.
func NormExam(exam string) string { return strings.ToUpper(strings.TrimSpace(exam)) }

// Exams lists the tests of the year that are marked: D1, D2, the
// electives in the year's order, then D1 and D2 of the second session
// when the year has their days (Neni 58).
func (s *Service) Exams(ctx context.Context, year int) (int, []Exam, error) {
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return 0, nil, err
	}
	var out []Exam
	for _, code := range []string{examyear.KindD1, examyear.KindD2} {
		if e, err := examOf(y, code); err == nil {
			out = append(out, e)
		}
	}
	for _, sub := range y.Config.Electives() {
		out = append(out, Exam{Code: sub.Code, Label: sub.Code, Name: sub.Name, MaxPoints: sub.MaxPoints})
	}
	for _, code := range []string{examyear.KindD1, examyear.KindD2} {
		if e, err := examOf(y, examyear.TestKey(code, 2)); err == nil {
			out = append(out, e)
		}
	}
	return y.Year, out, nil
}
