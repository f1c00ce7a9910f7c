package examday

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/store"
)

// The reads and writes of a batch of check-ins (CheckInMany): what the
// rules of entry look up for each person — whether the key was answered,
// whether the candidate entered before, whether they were excluded — is
// read once for the batch (per venue, for its listed candidates) and kept
// up to date as the batch goes; the check-ins, their audit entries and the
// answers to the keys are written together at the end, in the order the
// batch made them. Anything the batch writes at once (a refusal, an
// exclusion) first writes what is waiting, so the audit log keeps the
// batch's order. The same rules and the same rows and audit entries as one
// check-in at a time.

type studentKey struct {
	year, session int
	exam          string
	student       int64
}

type entered struct {
	seat int
	at   string
}

type batchIO struct {
	actor    audit.Actor
	answered map[string]answer // keys answered before the batch or in it
	regNos   []string          // the registration numbers the batch checks in
	loaded   map[dayKey]bool   // venues whose candidates' state was read
	checked  map[studentKey]entered
	excluded map[studentKey]string // the exclusion's cause (Neni 54)
	checkins [][]any
	requests [][]any
	audits   []audit.Item
}

var checkinCols = []string{"year", "session", "exam", "student_id", "venue_code", "room_id", "seat_no", "doc_type", "doc_no",
	"arrived_at", "late", "source", "paper_reason", "recorded_by", "recorded_at"}

var requestCols = []string{"req_key", "year", "session", "exam", "venue_code", "outcome", "recorded_by", "recorded_at", "asked"}

// newBatchIO reads the answers already given to the batch's keys.
func (s *Service) newBatchIO(ctx context.Context, p *auth.Principal, list []CheckIn) (*batchIO, error) {
	io := &batchIO{actor: p.Actor(), answered: map[string]answer{}, loaded: map[dayKey]bool{},
		checked: map[studentKey]entered{}, excluded: map[studentKey]string{}}
	var keys []string
	seen := map[string]bool{}
	for _, in := range list {
		io.regNos = append(io.regNos, listedRegNo(in.RegNo))
		k := trimKey(in.Key)
		if k != "" && len(k) <= 100 && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for _, part := range store.Chunks(keys, 200) {
		type row struct {
			key, body, asked string
			place            dayKey
		}
		rows, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (row, error) {
			var a row
			return a, r.Scan(&a.key, &a.body, &a.place.year, &a.place.session, &a.place.exam, &a.place.venue, &a.asked)
		}, `SELECT req_key, outcome, year, session, exam, venue_code, asked FROM examday_requests WHERE req_key IN (`+store.Placeholders(1, len(part))+`)`, store.Args(part)...)
		if err != nil {
			return nil, fmt.Errorf("examday: requests: %w", err)
		}
		for _, a := range rows {
			var o Outcome
			if err := json.Unmarshal([]byte(a.body), &o); err != nil {
				return nil, fmt.Errorf("examday: request %s: %w", a.key, err)
			}
			io.answered[a.key] = answer{o, a.place, a.asked}
		}
	}
	return io, nil
}

// answer is a key's first answer, the exam and venue it was given for,
// and what was asked (askedOf; "" for answers stored before it was).
type answer struct {
	o     Outcome
	place dayKey
	asked string
}

// askedOf is what a check-in asks, as its key's answer remembers it: the
// person (the registration number, or the name of an unlisted one), the
// room and the document. The same check-in sent again asks the same.
func askedOf(in CheckIn) string {
	return strings.Join([]string{listedRegNo(in.RegNo), clean(in.Name, 200), strings.TrimSpace(in.Room),
		strings.TrimSpace(in.DocType), strings.TrimSpace(in.DocNo)}, "\x1f")
}

// replayed is the stored answer of key, if it was answered, for the check-in in
// at the exam and venue a: the answer of the same check-in sent again. A
// key answered for another exam or venue, or (at the same venue) for
// another check-in (another person, room or document), is not this
// check-in's: its answer is never shown
// (it names a candidate), and in is refused without being recorded
// (clash): the device drops it with the message, to be entered again.
func (b *batchIO) replayed(key string, a Assignment, in CheckIn) (o Outcome, ok, clash bool) {
	prev, ok := b.answered[key]
	if !ok {
		return Outcome{}, false, false
	}
	if prev.place != (dayKey{a.Year, a.Session, a.Exam, a.Venue}) ||
		prev.asked != "" && prev.asked != askedOf(in) ||
		prev.o.RegNo != "" && listedRegNo(prev.o.RegNo) != listedRegNo(in.RegNo) {
		return Outcome{}, true, true
	}
	prev.o.Replayed = true
	return prev.o, true, false
}

// remember keeps the answer of a key, written with the batch.
func (b *batchIO) remember(p *auth.Principal, a Assignment, in CheckIn, o Outcome, at string) {
	if o.Key == "" {
		return
	}
	body, _ := json.Marshal(o)
	asked := askedOf(in)
	b.answered[o.Key] = answer{o, dayKey{a.Year, a.Session, a.Exam, a.Venue}, asked}
	b.requests = append(b.requests, []any{o.Key, a.Year, a.Session, a.Exam, a.Venue, string(body), p.Username, at, asked})
}

// listedRegNo is a registration number as the rosters key it.
func listedRegNo(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// loadEntered reads, once per venue of the batch, which of the candidates
// the batch checks in there (those of its registration numbers on the
// venue's lists) entered before and which were excluded: a device's one
// check-in reads one candidate, not the venue.
func (s *Service) loadEntered(ctx context.Context, b *batchIO, a Assignment, r *roster) error {
	k := dayKey{a.Year, a.Session, a.Exam, a.Venue}
	if b.loaded[k] {
		return nil
	}
	b.loaded[k] = true
	ids := make([]int64, 0, len(b.regNos))
	seen := map[int64]bool{}
	for _, no := range b.regNos {
		if l := r.byRegNo[no]; l != nil && !seen[l.StudentID] {
			seen[l.StudentID] = true
			ids = append(ids, l.StudentID)
		}
	}
	for _, part := range store.Chunks(ids, 200) {
		args := append([]any{a.Year, a.Session, a.Exam}, store.Args(part)...)
		in := store.Placeholders(4, len(part))
		type prev struct {
			id   int64
			seat int
			at   string
		}
		rows, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (prev, error) {
			var x prev
			return x, r.Scan(&x.id, &x.seat, &x.at)
		}, `SELECT student_id, seat_no, arrived_at FROM examday_checkins WHERE year = $1 AND session = $2 AND exam = $3 AND student_id IN (`+in+`)`, args...)
		if err != nil {
			return fmt.Errorf("examday: check-in: %w", err)
		}
		for _, x := range rows {
			b.checked[studentKey{a.Year, a.Session, a.Exam, x.id}] = entered{x.seat, x.at}
		}
		type excl struct {
			id    int64
			cause string
		}
		ex, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (excl, error) {
			var x excl
			return x, r.Scan(&x.id, &x.cause)
		}, `SELECT student_id, cause FROM examday_events WHERE year = $1 AND session = $2 AND exam = $3 AND kind = 'exclusion' AND student_id IN (`+in+`)`, args...)
		if err != nil {
			return fmt.Errorf("examday: exclusion: %w", err)
		}
		for _, x := range ex {
			b.excluded[studentKey{a.Year, a.Session, a.Exam, x.id}] = x.cause
		}
	}
	return nil
}

// admit keeps an admitted candidate's check-in and its audit entry (the
// document's number is personal: the entry names the document's type
// only), written with the batch.
func (b *batchIO) admit(p *auth.Principal, a Assignment, who *Listed, room *Room, seat int, docType, docNo, arrived string, late bool, source, reason, at string) {
	b.checkins = append(b.checkins, []any{a.Year, a.Session, a.Exam, who.StudentID, a.Venue, room.ID, seat, docType, docNo, arrived, late, source, reason, p.Username, at})
	b.checked[studentKey{a.Year, a.Session, a.Exam, who.StudentID}] = entered{seat, arrived}
	b.audits = append(b.audits, audit.Item{Action: "check_in", ObjectType: "candidate", ObjectID: fmt.Sprint(who.StudentID), After: map[string]any{
		"exam": a.Exam, "session": a.Session, "venue": a.Venue, "room": room.Name, "seat": seat, "doc_type": docType,
		"arrived_at": arrived, "late": late, "source": source, "paper_reason": reason}})
}

// flush writes what the batch keeps: the check-ins, their audit entries
// and the answers to the keys.
func (b *batchIO) flush(ctx context.Context) error {
	if err := store.Insert(ctx, "examday_checkins", checkinCols, b.checkins); err != nil {
		return fmt.Errorf("examday: check-in: %w", err)
	}
	if err := audit.AddMany(ctx, b.actor, b.audits); err != nil {
		return err
	}
	if err := store.Insert(ctx, "examday_requests", requestCols, b.requests); err != nil {
		return fmt.Errorf("examday: request: %w", err)
	}
	b.checkins, b.audits, b.requests = nil, nil, nil
	return nil
}

func storedNow(s *Service, ctx context.Context) string { return clock.Stored(s.db.Now(ctx)) }
