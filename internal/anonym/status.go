package anonym

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/store"
)

// Holder is a key holder as AVA's page shows them (never the share).
type Holder struct {
	No   int    `json:"no"`
	Name string `json:"name"`
}

// VenueStatus is one venue's codes of an exam.
type VenueStatus struct {
	Venue    string `json:"venue_code"`
	Name     string `json:"venue_name"`
	Rooms    int    `json:"rooms"`
	Printed  int    `json:"printed"`
	Used     int    `json:"used"`
	Sealed   int    `json:"rooms_sealed"`
	Balanced bool   `json:"balanced"`
}

// Status is the anonymisation of one exam as AVA follows it: the codes
// made, the labels used, the rooms sealed, the key holders and whether
// the link was opened. It names no code and no candidate.
type Status struct {
	Year     int    `json:"year"`
	Exam     string `json:"exam"`
	ExamName string `json:"exam_name"`
	// ExamLabel names the test for people: "D1", "D1 (sesioni 2)".
	ExamLabel   string        `json:"exam_label"`
	Labels      int           `json:"labels_per_code"`
	Venues      []VenueStatus `json:"venues"`
	Rooms       int           `json:"rooms"`
	Codes       int           `json:"codes"`
	Used        int           `json:"used"`
	RoomsSealed int           `json:"rooms_sealed"`
	Keyed       bool          `json:"keyed"`
	Threshold   int           `json:"threshold"`
	Holders     []Holder      `json:"holders"`
	KeyBy       string        `json:"key_by,omitempty"`
	KeyAt       string        `json:"key_at,omitempty"`
	Links       int           `json:"links"`
	Opened      bool          `json:"opened"`
	OpenedBy    string        `json:"opened_by,omitempty"`
	OpenedAt    string        `json:"opened_at,omitempty"`
	// MarkingClosed: the link may be opened (Neni 59.3).
	MarkingClosed bool `json:"marking_closed"`
}

// Status reads the anonymisation of an exam. AVA only.
func (s *Service) Status(ctx context.Context, by *auth.Principal, year int, exam string) (Status, error) {
	exam = normExam(exam)
	if err := auth.Require(by, auth.RoleAVA); err != nil {
		return Status{}, err
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return Status{}, err
	}
	name, labels, err := examOf(y.Config, exam)
	if err != nil {
		return Status{}, err
	}
	st := Status{Year: year, Exam: exam, ExamName: name, ExamLabel: examyear.TestLabel(exam), Labels: labels, Venues: []VenueStatus{}, Holders: []Holder{}}
	q := s.db.Q(ctx)
	type vrow struct {
		venue                  string
		rooms, printed, sealed int
	}
	rows, err := store.Select(ctx, q, func(r store.Scanner) (vrow, error) {
		var v vrow
		return v, r.Scan(&v.venue, &v.rooms, &v.printed, &v.sealed)
	}, `SELECT venue_code, COUNT(*), SUM(printed), SUM(CASE WHEN unused >= 0 THEN 1 ELSE 0 END) FROM anonym_rooms
		WHERE year = $1 AND exam = $2 GROUP BY venue_code ORDER BY venue_code`, year, exam)
	if err != nil {
		return st, fmt.Errorf("anonym: status: %w", err)
	}
	type urow struct {
		venue string
		n     int
	}
	used, err := store.Select(ctx, q, func(r store.Scanner) (urow, error) {
		var u urow
		return u, r.Scan(&u.venue, &u.n)
	}, `SELECT venue_code, COUNT(*) FROM anonym_codes WHERE year = $1 AND exam = $2 AND used GROUP BY venue_code`, year, exam)
	if err != nil {
		return st, fmt.Errorf("anonym: status: %w", err)
	}
	usedBy := map[string]int{}
	for _, u := range used {
		usedBy[u.venue] = u.n
	}
	// A venue balances when every room does.
	unbalanced, err := store.Select(ctx, q, func(r store.Scanner) (string, error) {
		var v string
		return v, r.Scan(&v)
	}, `SELECT r.venue_code FROM anonym_rooms r WHERE r.year = $1 AND r.exam = $2 AND (r.unused < 0 OR r.printed <> r.unused +
		(SELECT COUNT(*) FROM anonym_codes c WHERE c.year = r.year AND c.exam = r.exam AND c.room_id = r.room_id AND c.used))`, year, exam)
	if err != nil {
		return st, fmt.Errorf("anonym: status: %w", err)
	}
	off := map[string]bool{}
	for _, v := range unbalanced {
		off[v] = true
	}
	sites, err := s.venues.Sites(ctx, "", "")
	if err != nil {
		return st, err
	}
	names := map[string]string{}
	for _, v := range sites {
		names[v.Code] = v.Name
	}
	for _, v := range rows {
		vs := VenueStatus{Venue: v.venue, Name: names[v.venue], Rooms: v.rooms, Printed: v.printed, Used: usedBy[v.venue], Sealed: v.sealed, Balanced: !off[v.venue]}
		st.Venues = append(st.Venues, vs)
		st.Rooms += vs.Rooms
		st.Codes += vs.Printed
		st.Used += vs.Used
		st.RoomsSealed += vs.Sealed
	}
	var pubHex, keyAt, keyBy, openedAt, openedBy string
	err = q.QueryRowContext(ctx, `SELECT public_key, threshold, created_at, created_by, opened_at, opened_by FROM anonym_keys WHERE year = $1 AND exam = $2`,
		year, exam).Scan(&pubHex, &st.Threshold, &keyAt, &keyBy, &openedAt, &openedBy)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return st, fmt.Errorf("anonym: status: %w", err)
	default:
		st.Keyed, st.KeyBy, st.KeyAt = true, keyBy, clock.Stamp(keyAt)
		if openedAt != "" {
			st.Opened, st.OpenedBy, st.OpenedAt = true, openedBy, clock.Stamp(openedAt)
		}
		st.Holders, err = store.Select(ctx, q, func(r store.Scanner) (Holder, error) {
			var h Holder
			return h, r.Scan(&h.No, &h.Name)
		}, `SELECT no, name FROM anonym_holders WHERE year = $1 AND exam = $2 ORDER BY no`, year, exam)
		if err != nil {
			return st, fmt.Errorf("anonym: status: %w", err)
		}
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM anonym_links WHERE year = $1 AND exam = $2`, year, exam).Scan(&st.Links); err != nil {
			return st, fmt.Errorf("anonym: status: %w", err)
		}
	}
	s.mu.RLock()
	f := s.markingClosed
	s.mu.RUnlock()
	if f != nil {
		closed, err := f(ctx, year, exam)
		if err != nil {
			return st, err
		}
		st.MarkingClosed = closed
	}
	return st, nil
}

// ExamList returns the active year and its tests whose codes may be made:
// D1, D2 and each elective, with their names, then D1 and D2 of the
// second session (keys "D1-2", "D2-2") where the year has their days
// (Neni 16 ¶2, 58; the electives have no second session, Neni 14.4).
func (s *Service) ExamList(ctx context.Context) (int, []ExamRef, error) {
	y, err := s.years.Active(ctx)
	if err != nil {
		return 0, nil, err
	}
	out := []ExamRef{}
	var second []ExamRef
	for _, sub := range y.Config.Subjects {
		code := sub.Code
		if sub.Kind == examyear.KindD1 || sub.Kind == examyear.KindD2 {
			code = sub.Kind
			if _, ok := y.Config.Exam(sub.Kind, 2); ok {
				key := examyear.TestKey(sub.Kind, 2)
				second = append(second, ExamRef{Code: key, Label: examyear.TestLabel(key), Session: 2, Name: sub.Name, Labels: LabelsPerCode(sub.Kind)})
			}
		}
		out = append(out, ExamRef{Code: code, Label: code, Session: 1, Name: sub.Name, Labels: LabelsPerCode(sub.Kind)})
	}
	return y.Year, append(out, second...), nil
}

// ExamRef names a test.
type ExamRef struct {
	// Code is the test key ("D1", "D1-2"); Label names it for people
	// ("D1", "D1 (sesioni 2)").
	Code    string `json:"code"`
	Label   string `json:"label"`
	Session int    `json:"session"`
	Name    string `json:"name"`
	Labels  int    `json:"labels_per_code"`
}
