package venue

import (
	"context"
	"fmt"
	"strings"

	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/examyear"
	"provim/internal/store"
)

// The second session (Neni 58): the candidates who failed a mandatory exam
// of the first session, and the students who failed the school year and
// passed the autumn school session, sit D1 and D2 again. Their lists are
// the DAR/ZA's sendings to AVA (package results); the plan of a
// second-session exam places the candidates of that list, not of the
// final name list (Neni 36), with the same rules and in the same code path
// as the first session. Electives have no second session (Neni 14.4).

// Retaker is a candidate of the second session of an exam: the student
// and the school they are listed with.
type Retaker struct {
	StudentID  int64
	SchoolCode string
}

// Session2Source reads the second-session list of exam (D1 or D2) of year.
type Session2Source func(ctx context.Context, year int, exam string) ([]Retaker, error)

// SetSession2Source sets where the second session's lists are read
// (results' Neni 58 lists; the wiring sets it).
func (s *Service) SetSession2Source(f func(ctx context.Context, year int, exam string) ([]Retaker, error)) {
	s.session2 = f
}

// session2Only refuses an elective in the second session (Neni 14.4: the
// electives are held in the first session only).
func session2Only(exam string, session int) error {
	if session == 2 && exam != examyear.KindD1 && exam != examyear.KindD2 {
		return apperr.New(apperr.Invalid, "Provimi %s nuk ka sesion të dytë: në sesionin e dytë jepen vetëm provimet e detyruara D1 dhe D2 (Neni 14.4, 58).", exam)
	}
	if session != 1 && session != 2 {
		return apperr.New(apperr.Invalid, "Sesioni %d nuk ekziston: provimet kanë sesionin 1 dhe sesionin 2 (Neni 58).", session)
	}
	return nil
}

// retakers returns the second-session list of exam (nil when there is no
// source or the exam has no second session), by student.
func (s *Service) retakers(ctx context.Context, year int, exam string) ([]Retaker, error) {
	if s.session2 == nil || (exam != examyear.KindD1 && exam != examyear.KindD2) {
		return nil, nil
	}
	list, err := s.session2(ctx, year, exam)
	if err != nil {
		return nil, fmt.Errorf("venue: second session list of %s: %w", exam, err)
	}
	return list, nil
}

// listedOf is the list a plan of exam in session places, limited to the
// candidates listed with the schools (nil: every school): the final name
// list in the first session (Neni 36), the Neni 58 list in the second.
// RegNo is the candidate's registration number where the final list has
// one.
func (s *Service) listedOf(ctx context.Context, year, session int, exam string, schools []string) ([]application.FinalCandidate, error) {
	if session != 2 {
		return s.apps.FinalCandidates(ctx, year, exam, schools)
	}
	list, err := s.retakers(ctx, year, exam)
	if err != nil {
		return nil, err
	}
	var in map[string]bool
	if schools != nil {
		in = make(map[string]bool, len(schools))
		for _, c := range schools {
			in[c] = true
		}
	}
	out := make([]application.FinalCandidate, 0, len(list))
	for _, r := range list {
		if in == nil || in[r.SchoolCode] {
			out = append(out, application.FinalCandidate{StudentID: r.StudentID, SchoolCode: r.SchoolCode})
		}
	}
	return out, nil
}

// countListed is len(listedOf).
func (s *Service) countListed(ctx context.Context, year, session int, exam string, schools []string) (int, error) {
	if session != 2 {
		return s.apps.CountFinalCandidates(ctx, year, exam, schools)
	}
	list, err := s.listedOf(ctx, year, session, exam, schools)
	return len(list), err
}

// listedRegNos returns, of the students with ids, those on the list of
// exam in session with their registration numbers: the final list's in
// session 1; in session 2 their applications' (Neni 34 ¶2), which the
// school-year failers have too though no final list names them (Neni 35,
// 58), "—" only for one without a numbered application.
func (s *Service) listedRegNos(ctx context.Context, year, session int, exam string, ids []int64) (map[int64]string, error) {
	if session != 2 {
		return s.apps.FinalRegNos(ctx, year, exam, ids)
	}
	regNos, err := s.apps.RegNos(ctx, year, ids)
	if err != nil {
		return nil, err
	}
	list, err := s.retakers(ctx, year, exam)
	if err != nil {
		return nil, err
	}
	want := make(map[int64]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	out := make(map[int64]string, len(ids))
	for _, r := range list {
		if !want[r.StudentID] {
			continue
		}
		if n, ok := regNos[r.StudentID]; ok && n != "" {
			out[r.StudentID] = n
		} else {
			out[r.StudentID] = "—"
		}
	}
	return out, nil
}

// listedJoinOf keeps a seat (alias es) only while its student is on the
// exam's final list in the first session; the second session's seats
// follow the Neni 58 list, which another package keeps, and are compared
// with it in Go (staleness).
func listedJoinOf(session int) string {
	if session == 2 {
		return ""
	}
	return listedJoin
}

// listedJoinAs is listedJoinOf with the aliases given.
func listedJoinAs(session int, alias, seats string) string {
	if session == 2 {
		return ""
	}
	return application.FinalListJoin(alias, seats)
}

// s2Seat is a seat of a second-session plan.
type s2Seat struct {
	id    int64
	venue string
}

// seats2 reads the seats of the plan of exam in the second session (a
// few thousand in the whole country).
func (s *Service) seats2(ctx context.Context, year int, exam string) ([]s2Seat, error) {
	q := planQuery("", year, 2, exam)
	list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (s2Seat, error) {
		var x s2Seat
		return x, r.Scan(&x.id, &x.venue)
	}, `SELECT student_id, venue_code FROM exam_seats`+q.Where(), q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("venue: second session seats: %w", err)
	}
	return list, nil
}

// seatsKept counts the seats of the plan of exam in session 2 whose
// candidate is still on the Neni 58 list.
func (s *Service) seatsKept(ctx context.Context, year int, exam string) (int, error) {
	seats, err := s.seats2(ctx, year, exam)
	if err != nil {
		return 0, err
	}
	list, err := s.retakers(ctx, year, exam)
	if err != nil {
		return 0, err
	}
	on := make(map[int64]bool, len(list))
	for _, r := range list {
		on[r.StudentID] = true
	}
	n := 0
	for _, x := range seats {
		if on[x.id] {
			n++
		}
	}
	return n, nil
}

// staleness2 is staleness in the second session: the plan's seats against
// the Neni 58 list of exam, in the venues (nil: every venue) and of the
// schools (nil: every school), of which listed candidates are on it.
func (s *Service) staleness2(ctx context.Context, year int, exam string, venues, schools []string, listed int) (Staleness, error) {
	var st Staleness
	seats, err := s.seats2(ctx, year, exam)
	if err != nil {
		return st, fmt.Errorf("venue: plan staleness: %w", err)
	}
	list, err := s.retakers(ctx, year, exam)
	if err != nil {
		return st, fmt.Errorf("venue: plan staleness: %w", err)
	}
	schoolOf := make(map[int64]string, len(list))
	for _, r := range list {
		schoolOf[r.StudentID] = r.SchoolCode
	}
	set := func(codes []string) map[string]bool {
		if codes == nil {
			return nil
		}
		m := make(map[string]bool, len(codes))
		for _, c := range codes {
			m[c] = true
		}
		return m
	}
	inVenues, inSchools := set(venues), set(schools)
	seated := 0
	for _, x := range seats {
		school, on := schoolOf[x.id]
		if !on && (inVenues == nil || inVenues[x.venue]) {
			st.Dropped++
		}
		if on && (inSchools == nil || inSchools[school]) {
			seated++
		}
	}
	st = stalenessOf(st, exam, listed, seated)
	var parts []string
	if st.Unseated > 0 {
		parts = append(parts, fmt.Sprintf("%d kandidatë të listave të sesionit të dytë nuk kanë vend: planifikoni përsëri provimin %s të sesionit të dytë para shortit të personelit dhe paketave (Neni 39, 58)", st.Unseated, exam))
	}
	if st.Dropped > 0 {
		parts = append(parts, fmt.Sprintf("%d kandidatë nuk janë më në listat e sesionit të dytë që dërguan KMSH-të, por kanë ende vend: nuk shfaqen në listat e sallave dhe në faqet e nxënësve, por numërohen ende në shortin e personelit dhe në paketa deri në rihartimin e planit (Neni 52.6, 58)", st.Dropped))
	}
	if len(parts) > 0 {
		st.Message = "Plani i provimit " + exam + " në sesionin e dytë nuk ndjek më listat e sesionit të dytë (Neni 58): " + strings.Join(parts, "; ") + "."
	}
	return st, nil
}
