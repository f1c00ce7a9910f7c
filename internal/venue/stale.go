package venue

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/registry"
	"provim/internal/store"
)

// What is derived from the final lists follows them (Neni 36, 48.3, 52.6:
// only the listed candidates enter). A seat whose candidate has left the
// exam's final list since the plan (a failed mandatory exam, a late
// failing report, a Neni 55.2 bar) is not shown: the room lists, the
// school's and the student's pages and the plan's counts join the final
// list. FollowFinalLists deletes such seats when the lists are rebuilt. A
// candidate added to the list after the plan has no seat until the exam
// is planned again. Staleness says what is behind, and CheckPlanCurrent
// refuses the steps sized on the plan (the staff draw, the packages)
// until it is re-derived.

// clearPlan deletes the units' earlier plan of an exam before the new one
// is written and returns how many seats it held and how many of those
// belonged to candidates no longer on the final list. A whole-country
// plan deletes every seat of the exam. A partial plan deletes the seats
// of the candidates it places (the units' schools' candidates on the
// final list; a school transfer since then does not matter), the seats
// in the units' venues and of the units' schools' students whose
// candidate is no longer listed, and the groupings of the units' schools.
// It is refused when the units' venues still hold listed candidates of
// other units moved there by an override: planning over them would
// overfill the rooms (Neni 39).
func (s *Service) clearPlan(ctx context.Context, year, session int, exam string, whole bool, all []*pCand, schools, unitVenues []string) (replaced, dropped int, err error) {
	q := s.db.Q(ctx)
	if whole {
		var listed int
		if session == 2 {
			kept, err := s.seatsKept(ctx, year, exam)
			if err != nil {
				return 0, 0, fmt.Errorf("venue: replace plan: %w", err)
			}
			listed = kept
		} else if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM exam_seats es`+listedJoin+` WHERE es.year = $1 AND es.session = $2 AND es.exam = $3`,
			year, session, exam).Scan(&listed); err != nil {
			return 0, 0, fmt.Errorf("venue: replace plan: %w", err)
		}
		del, err := q.ExecContext(ctx, `DELETE FROM exam_seats WHERE year = $1 AND session = $2 AND exam = $3`, year, session, exam)
		if err != nil {
			return 0, 0, fmt.Errorf("venue: replace plan: %w", err)
		}
		n, _ := del.RowsAffected()
		if _, err := q.ExecContext(ctx, `DELETE FROM exam_plan_groups WHERE year = $1 AND session = $2 AND exam = $3`, year, session, exam); err != nil {
			return 0, 0, fmt.Errorf("venue: replace plan: %w", err)
		}
		return int(n), int(n) - listed, nil
	}
	ids := make([]int64, len(all))
	for i, c := range all {
		ids[i] = c.ID
	}
	if replaced, err = s.deleteSeats(ctx, year, session, exam, ids); err != nil {
		return 0, 0, err
	}
	// What is left in the units' venues, and the seats of the units'
	// schools' students anywhere: candidates no longer listed go.
	type left struct {
		id       int64
		override string
	}
	scan := func(r store.Scanner) (left, error) {
		var x left
		return x, r.Scan(&x.id, &x.override)
	}
	var inVenues, ofSchools []left
	for _, part := range store.Chunks(unitVenues, chunk) {
		w := planQuery("", year, session, exam)
		addIn(&w, "venue_code", part)
		got, err := store.Select(ctx, q, scan, `SELECT student_id, override_reason FROM exam_seats`+w.Where(), w.Args()...)
		if err != nil {
			return 0, 0, fmt.Errorf("venue: replace plan: %w", err)
		}
		inVenues = append(inVenues, got...)
	}
	join, school := registry.StudentSchoolJoin("st", "es.student_id")
	for _, part := range store.Chunks(schools, chunk) {
		w := planQuery("es.", year, session, exam)
		addIn(&w, school, part)
		got, err := store.Select(ctx, q, scan, `SELECT es.student_id, es.override_reason FROM exam_seats es`+join+w.Where(), w.Args()...)
		if err != nil {
			return 0, 0, fmt.Errorf("venue: replace plan: %w", err)
		}
		ofSchools = append(ofSchools, got...)
	}
	seen := map[int64]bool{}
	var restIDs []int64
	for _, x := range append(append([]left(nil), inVenues...), ofSchools...) {
		if !seen[x.id] {
			seen[x.id] = true
			restIDs = append(restIDs, x.id)
		}
	}
	listed, err := s.listedRegNos(ctx, year, session, exam, restIDs)
	if err != nil {
		return 0, 0, fmt.Errorf("venue: replace plan: %w", err)
	}
	var gone []int64
	for _, id := range restIDs {
		if _, ok := listed[id]; !ok {
			gone = append(gone, id)
		}
	}
	// A listed candidate left in the units' venues is another unit's.
	var moved []string
	overridden := true
	for _, x := range inVenues {
		if regNo, ok := listed[x.id]; ok {
			moved = append(moved, regNo)
			overridden = overridden && x.override != ""
		}
	}
	if len(moved) > 0 {
		sort.Strings(moved)
		how := "të zhvendosur me ndryshim"
		if !overridden {
			how = "të planifikuar nga një plan tjetër"
		}
		return 0, 0, apperr.New(apperr.Conflict, "Qendrat e kësaj DAR/ZA mbajnë %d kandidatë të njësive të tjera, %s (%s): planifikoni të gjithë DAR-in që i përmban, që të mos mbushen sallat mbi kapacitet (Neni 39).",
			len(moved), how, strings.Join(moved[:min(len(moved), 10)], ", "))
	}
	d, err := s.deleteSeats(ctx, year, session, exam, gone)
	if err != nil {
		return 0, 0, err
	}
	replaced += d
	for _, part := range store.Chunks(schools, chunk) {
		w := planQuery("", year, session, exam)
		addIn(&w, "school_code", part)
		if _, err := q.ExecContext(ctx, `DELETE FROM exam_plan_groups`+w.Where(), w.Args()...); err != nil {
			return 0, 0, fmt.Errorf("venue: replace plan: %w", err)
		}
	}
	return replaced, d, nil
}

// deleteSeats deletes the seats of an exam of the students with ids and
// returns how many it deleted.
func (s *Service) deleteSeats(ctx context.Context, year, session int, exam string, ids []int64) (int, error) {
	n := 0
	for _, part := range store.Chunks(ids, chunk) {
		w := planQuery("", year, session, exam)
		addIn(&w, "student_id", part)
		del, err := s.db.Q(ctx).ExecContext(ctx, `DELETE FROM exam_seats`+w.Where(), w.Args()...)
		if err != nil {
			return 0, fmt.Errorf("venue: replace plan: %w", err)
		}
		k, _ := del.RowsAffected()
		n += int(k)
	}
	return n, nil
}

// Staleness is how far an exam's plan has drifted from its final list
// since it was made.
type Staleness struct {
	// Dropped: seats kept for candidates no longer on the final list. No
	// list or page shows them; they go at the next plan or with
	// FollowFinalLists.
	Dropped int `json:"dropped"`
	// Unseated: candidates on the final list without a seat (added to the
	// list after the plan). The plan must be made again before the steps
	// that follow it (CheckPlanCurrent).
	Unseated int `json:"unseated"`
	// Message says so in Albanian; "" when the plan follows the list.
	Message string `json:"message,omitempty"`
}

// staleness measures the plan of an exam in the venues (nil: every
// venue) against the final list of the schools (nil: every school), of
// which listed candidates are on it.
func (s *Service) staleness(ctx context.Context, year, session int, exam string, venues, schools []string, listed int) (Staleness, error) {
	var st Staleness
	if session == 2 {
		return s.staleness2(ctx, year, exam, venues, schools, listed)
	}
	q := s.db.Q(ctx)
	vparts, sparts := [][]string{nil}, [][]string{nil}
	if venues != nil {
		vparts = store.Chunks(venues, chunk)
	}
	if schools != nil {
		sparts = store.Chunks(schools, chunk)
	}
	for _, part := range vparts {
		w := planQuery("es.", year, session, exam)
		if venues != nil {
			addIn(&w, "es.venue_code", part)
		}
		var all, kept int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(fl.student_id) FROM exam_seats es LEFT`+listedJoin+w.Where(), w.Args()...).Scan(&all, &kept); err != nil {
			return st, fmt.Errorf("venue: plan staleness: %w", err)
		}
		st.Dropped += all - kept
	}
	seated := 0
	for _, part := range sparts {
		w := planQuery("es.", year, session, exam)
		if schools != nil {
			addIn(&w, "fl.school_code", part)
		}
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM exam_seats es`+listedJoin+w.Where(), w.Args()...).Scan(&n); err != nil {
			return st, fmt.Errorf("venue: plan staleness: %w", err)
		}
		seated += n
	}
	return stalenessOf(st, exam, listed, seated), nil
}

// stalenessOf completes st from the seated candidates of the list and
// says so in Albanian.
func stalenessOf(st Staleness, exam string, listed, seated int) Staleness {
	st.Unseated = max(listed-seated, 0)
	if seated == 0 && st.Dropped == 0 {
		st.Unseated = 0 // not planned yet: nothing is stale
	}
	var parts []string
	if st.Unseated > 0 {
		parts = append(parts, fmt.Sprintf("%d kandidatë të listës emërore përfundimtare nuk kanë vend: planifikoni përsëri provimin %s para shortit të personelit dhe paketave (Neni 36, 39)", st.Unseated, exam))
	}
	if st.Dropped > 0 {
		parts = append(parts, fmt.Sprintf("%d kandidatë nuk janë më në listën përfundimtare, por kanë ende vend: nuk shfaqen në listat e sallave dhe në faqet e nxënësve, por numërohen ende në shortin e personelit dhe në paketa deri në rihartimin e planit (Neni 48.3, 52.6)", st.Dropped))
	}
	if len(parts) > 0 {
		st.Message = "Plani i provimit " + exam + " nuk ndjek më listën përfundimtare: " + strings.Join(parts, "; ") + "."
	}
	return st
}

// CheckPlanCurrent refuses, with the numbers, a step sized on an exam's
// plan (the staff draw, the packages) in the units (nil: the whole
// country) while the plan does not follow the exam's final list: listed
// candidates without a seat, or seats kept for candidates who left it.
// The plan is made again first (Neni 36, 39, 48.3). An exam without a
// final list is not checked.
func (s *Service) CheckPlanCurrent(ctx context.Context, year, session int, exam string, units []string) error {
	exam = normExam(exam)
	var venues, schools []string
	if units != nil {
		sites, err := s.reg.VenueSitesIn(ctx, units)
		if err != nil {
			return fmt.Errorf("venue: plan staleness: %w", err)
		}
		venues = make([]string, 0, len(sites))
		for _, v := range sites {
			venues = append(venues, v.Code)
		}
		list, err := s.reg.SchoolsIn(ctx, units)
		if err != nil {
			return fmt.Errorf("venue: plan staleness: %w", err)
		}
		schools = make([]string, 0, len(list))
		for _, sc := range list {
			schools = append(schools, sc.Code)
		}
	}
	listed, err := s.countListed(ctx, year, session, exam, schools)
	if err != nil {
		return fmt.Errorf("venue: plan staleness: %w", err)
	}
	st, err := s.staleness(ctx, year, session, exam, venues, schools, listed)
	if err != nil {
		return err
	}
	if listed > 0 && (st.Unseated > 0 || st.Dropped > 0) {
		return apperr.New(apperr.Conflict, "%s", st.Message)
	}
	return nil
}

// FollowFinalLists follows the final lists of the first session; the
// seats of the second session follow its Neni 58 lists (staleness2).
//
// FollowFinalLists deletes, in the caller's transaction (or one of its
// own), the seats of the
// year's exams whose candidate is no longer on the exam's final list, with
// an audit entry per exam, and returns how many it deleted. The final
// lists' rebuild calls it (Neni 36), so that the room lists, the counts of
// the draw and the packages follow at once (Neni 48.3, 52.6).
func (s *Service) FollowFinalLists(ctx context.Context, who audit.Actor, year int) (int, error) {
	total := 0
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var err error
		total, err = s.followFinalLists(ctx, who, year)
		return err
	})
	return total, err
}

func (s *Service) followFinalLists(ctx context.Context, who audit.Actor, year int) (int, error) {
	type stale struct {
		session int
		exam    string
		id      int64
	}
	list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (stale, error) {
		var x stale
		return x, r.Scan(&x.session, &x.exam, &x.id)
	}, `SELECT es.session, es.exam, es.student_id FROM exam_seats es LEFT`+listedJoin+` WHERE es.year = $1 AND es.session = 1 AND fl.student_id IS NULL`, year)
	if err != nil {
		return 0, fmt.Errorf("venue: follow final lists: %w", err)
	}
	type key struct {
		session int
		exam    string
	}
	by := map[key][]int64{}
	var keys []key
	for _, x := range list {
		k := key{x.session, x.exam}
		if by[k] == nil {
			keys = append(keys, k)
		}
		by[k] = append(by[k], x.id)
	}
	total := 0
	for _, k := range keys {
		n, err := s.deleteSeats(ctx, year, k.session, k.exam, by[k])
		if err != nil {
			return 0, err
		}
		total += n
		if err := audit.Add(ctx, who, "drop_unlisted", objectPlan, fmt.Sprintf("%d/%d/%s", year, k.session, k.exam),
			map[string]any{"students": by[k]}, map[string]any{"dropped": n}); err != nil {
			return 0, err
		}
	}
	return total, nil
}
