package anonym

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/store"
)

// Attach records at the desk that the label with code was stuck on the
// booklet of the candidate studentID, and beside their name on the name
// list (Neni 53.3–53.4): by the AS, or the PAP where no AS is drawn
// (Neni 53.2). The code must be one of the venue's codes of the exam, of
// the candidate's room, not used and the room not sealed; the candidate
// must be seated there (Neni 52.6) and have no label yet.
//
// The same code and candidate again change nothing. The link is written
// only sealed (encrypted to the exam's public key); the service keeps
// that the code is used and that the candidate has a label, but never
// which with which. So, by design, it cannot tell the same pair sent again
// from a used code sent for a candidate who has another label: both answer
// that nothing was changed (a check that could tell them apart would join
// the two).
func (s *Service) Attach(ctx context.Context, by *auth.Principal, year int, exam, venue, code string, studentID int64) error {
	_, err := s.attach(ctx, by, year, exam, venue, code, studentID)
	return err
}

// AttachResult is what the desk sees after an attachment: the room and
// whether the label was new. It names neither the code nor the candidate.
type AttachResult struct {
	Room    string `json:"room"`
	Created bool   `json:"created"`
	Used    int    `json:"room_used"`
	Printed int    `json:"room_printed"`
}

// AttachLabel is Attach, answering what the desk shows.
func (s *Service) AttachLabel(ctx context.Context, by *auth.Principal, year int, exam, venue, code string, studentID int64) (AttachResult, error) {
	return s.attach(ctx, by, year, exam, venue, code, studentID)
}

func (s *Service) attach(ctx context.Context, by *auth.Principal, year int, exam, venue, code string, studentID int64) (AttachResult, error) {
	exam = normExam(exam)
	if err := s.staff(ctx, by, year, exam, venue); err != nil {
		return AttachResult{}, err
	}
	typed := code
	code, ok := Normalize(code)
	if !ok {
		return AttachResult{}, apperr.New(apperr.Invalid, "Kodi «%s» nuk lexohet si kod sekretimi: ose nuk ka %d shenja, ose shenja e kontrollit nuk përputhet. Lexojeni sërish etiketën (Neni 53.3).", typed, CodeLen)
	}
	var res AttachResult
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.Q(ctx)
		var pub, opened string
		err := q.QueryRowContext(ctx, `SELECT public_key, opened_at FROM anonym_keys WHERE year = $1 AND exam = $2`, year, exam).Scan(&pub, &opened)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.Conflict, "AVA nuk ka caktuar ende mbajtësit e çelësit për provimin %s: lidhja kod–kandidat nuk mund të vuloset ende (Neni 59.3).", examyear.TestLabel(exam))
		}
		if err != nil {
			return err
		}
		if opened != "" {
			return apperr.New(apperr.Conflict, "Lidhja e kodeve të provimit %s është hapur pas vlerësimit: etiketat nuk ngjiten më.", examyear.TestLabel(exam))
		}
		var cExam, cVenue string
		var cRoom int64
		var used bool
		err = q.QueryRowContext(ctx, `SELECT exam, venue_code, room_id, used FROM anonym_codes WHERE year = $1 AND code = $2`, year, code).Scan(&cExam, &cVenue, &cRoom, &used)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && (cExam != exam || cVenue != venue)) {
			return apperr.New(apperr.NotFound, "Kodi %s nuk është ndër kodet e qendrës %s për provimin %s.", Display(code), venue, examyear.TestLabel(exam))
		}
		if err != nil {
			return err
		}
		var sVenue string
		var sRoom int64
		var labelled bool
		err = q.QueryRowContext(ctx, `SELECT venue_code, room_id, labelled FROM anonym_seated WHERE year = $1 AND exam = $2 AND student_id = $3`, year, exam, studentID).Scan(&sVenue, &sRoom, &labelled)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && sVenue != venue) {
			return apperr.New(apperr.NotFound, "Kandidati nuk është në listën emërore të qendrës %s për provimin %s (Neni 52.6).", venue, examyear.TestLabel(exam))
		}
		if err != nil {
			return err
		}
		room, err := s.roomRow(ctx, year, exam, cRoom)
		if err != nil {
			return err
		}
		res.Room, res.Printed = room.Room, room.Printed
		if sRoom != cRoom {
			return apperr.New(apperr.Invalid, "Kodi %s është i një salle tjetër: ngjitni etiketat e sallës ku është ulur kandidati (Neni 53.3).", Display(code))
		}
		switch {
		case used && labelled:
			// Nothing to change (see Attach).
			res.Used = room.Used
			return nil
		case used:
			return apperr.New(apperr.Conflict, "Kodi %s është përdorur tashmë për një kandidat tjetër: merrni etiketat e kodit të radhës (Neni 53.3).", Display(code))
		case labelled:
			return apperr.New(apperr.Conflict, "Kandidati ka tashmë etiketat e një kodi tjetër në test-broshurë; kodi %s nuk ngjitet (Neni 53.3).", Display(code))
		}
		if room.Sealed {
			return apperr.New(apperr.Conflict, "Etiketat e papërdorura të sallës «%s» janë numëruar dhe mbyllur: asnjë etiketë nuk ngjitet më (Neni 53.5).", room.Room)
		}
		eph, sealed, err := sealLink(mustHex(pub), year, exam, code, studentID)
		if err != nil {
			return err
		}
		// Every code and every seat of the room is written, not the pair
		// alone: on PostgreSQL a row keeps the transaction that wrote it
		// last (xmin) and moves to the end of its table, so writing the
		// pair alone would join the code to the candidate in a dump until
		// the room is sealed (Neni 59.3).
		if _, err := q.ExecContext(ctx, `UPDATE anonym_codes SET used = (used OR code = $4) WHERE year = $1 AND exam = $2 AND room_id = $3`, year, exam, cRoom, code); err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, `UPDATE anonym_seated SET labelled = (labelled OR student_id = $4) WHERE year = $1 AND exam = $2 AND room_id = $3`, year, exam, cRoom, studentID); err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO anonym_links (year, exam, eph, sealed) VALUES ($1, $2, $3, $4)`, year, exam, eph, sealed); err != nil {
			return err
		}
		res.Created, res.Used = true, room.Used+1
		// The entry names the room, never the code or the candidate.
		return audit.Add(ctx, by.Actor(), "anonym_attach", "anonym_room", roomKey(year, exam, venue, room.Room), nil,
			map[string]any{"used": res.Used, "printed": room.Printed})
	})
	return res, err
}

func roomKey(year int, exam, venue, room string) string {
	return fmt.Sprintf("%d-%s-%s-%s", year, exam, venue, room)
}

// SealUnused records the unused labels of a room as counted and sealed by
// the PAP with the AS after the anonymisation (Neni 53.5). The count is
// kept as counted; Counts says whether the room balances. A room is
// sealed once: the same count again changes nothing. Sealing rewrites the
// room's codes and candidates in key order, so no trace of the order the
// labels were attached in is left in the tables (on PostgreSQL; SQLite
// keeps them in key order).
func (s *Service) SealUnused(ctx context.Context, by *auth.Principal, year int, exam, venue, room string, unused int) error {
	exam = normExam(exam)
	if err := s.venueStaff(ctx, by, year, exam, venue); err != nil {
		return err
	}
	if unused < 0 {
		return apperr.New(apperr.Invalid, "Numri i etiketave të papërdorura nuk mund të jetë negativ.")
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		counts, err := s.counts(ctx, year, exam, venue)
		if err != nil {
			return err
		}
		var rc *RoomCount
		for i := range counts {
			if counts[i].Room == room {
				rc = &counts[i]
			}
		}
		if rc == nil {
			return apperr.New(apperr.NotFound, "Salla «%s» nuk ka kode të provimit %s në qendrën %s.", room, examyear.TestLabel(exam), venue)
		}
		if rc.Sealed {
			if rc.Unused == unused {
				return nil
			}
			return apperr.New(apperr.Conflict, "Etiketat e papërdorura të sallës «%s» janë mbyllur më %s me %d etiketa; numri nuk ndryshohet (Neni 53.5).",
				room, rc.SealedAt, rc.Unused)
		}
		if unused > rc.Printed*3 {
			return apperr.New(apperr.Invalid, "Salla «%s» ka %d kode: %d etiketa të papërdorura nuk mund të jenë.", room, rc.Printed, unused)
		}
		now := clock.Stored(s.db.Now(ctx))
		q := s.db.Q(ctx)
		if _, err := q.ExecContext(ctx, `UPDATE anonym_rooms SET unused = $1, sealed_by = $2, sealed_at = $3 WHERE year = $4 AND exam = $5 AND room_id = $6`,
			unused, by.Username, now, year, exam, rc.RoomID); err != nil {
			return err
		}
		// SQLite keeps the rows of these tables (WITHOUT ROWID) in key
		// order whatever order they were updated in: only PostgreSQL needs
		// the rewrite.
		if s.db.Dialect == store.Postgres {
			if err := s.rewriteRoom(ctx, year, exam, rc.RoomID); err != nil {
				return err
			}
		}
		return audit.Add(ctx, by.Actor(), "anonym_seal_unused", "anonym_room", roomKey(year, exam, venue, room), nil,
			map[string]any{"printed": rc.Printed, "used": rc.Used, "unused": unused, "balanced": Balanced(rc.Printed, rc.Used, unused)})
	})
}

// rewriteRoom deletes and inserts again, in key order, the codes and the
// seated candidates of a room: on engines that keep rows in the order they
// were last written (PostgreSQL), the order of the updates that marked a
// code used and a candidate labelled would otherwise pair them.
func (s *Service) rewriteRoom(ctx context.Context, year int, exam string, room int64) error {
	q := s.db.Q(ctx)
	type codeRow struct {
		code, venue string
		used        bool
	}
	codes, err := store.Select(ctx, q, func(sc store.Scanner) (codeRow, error) {
		var c codeRow
		return c, sc.Scan(&c.code, &c.venue, &c.used)
	}, `SELECT code, venue_code, used FROM anonym_codes WHERE year = $1 AND exam = $2 AND room_id = $3 ORDER BY code`, year, exam, room)
	if err != nil {
		return err
	}
	type seatRow struct {
		student  int64
		venue    string
		labelled bool
	}
	seats, err := store.Select(ctx, q, func(sc store.Scanner) (seatRow, error) {
		var x seatRow
		return x, sc.Scan(&x.student, &x.venue, &x.labelled)
	}, `SELECT student_id, venue_code, labelled FROM anonym_seated WHERE year = $1 AND exam = $2 AND room_id = $3 ORDER BY student_id`, year, exam, room)
	if err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM anonym_codes WHERE year = $1 AND exam = $2 AND room_id = $3`, year, exam, room); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM anonym_seated WHERE year = $1 AND exam = $2 AND room_id = $3`, year, exam, room); err != nil {
		return err
	}
	rows := make([][]any, len(codes))
	for i, c := range codes {
		rows[i] = []any{year, c.code, exam, c.venue, room, c.used}
	}
	if err := insertRows(ctx, q, `INSERT INTO anonym_codes (year, code, exam, venue_code, room_id, used) VALUES `, rows); err != nil {
		return err
	}
	rows = make([][]any, len(seats))
	for i, x := range seats {
		rows[i] = []any{year, exam, x.student, x.venue, room, x.labelled}
	}
	return insertRows(ctx, q, `INSERT INTO anonym_seated (year, exam, student_id, venue_code, room_id, labelled) VALUES `, rows)
}

// Counts returns the label count of every room of a venue for an exam
// (Neni 53.5), rooms in the venue's order: printed, used, unused sealed,
// and whether they balance. The exam day reads it before the package of
// the venue closes.
func (s *Service) Counts(ctx context.Context, year int, exam, venue string) ([]RoomCount, error) {
	return s.counts(ctx, year, normExam(exam), venue)
}

// VenueCounts is Counts for a caller: AVA, and the venue's PAP and AS.
func (s *Service) VenueCounts(ctx context.Context, by *auth.Principal, year int, exam, venue string) ([]RoomCount, error) {
	exam = normExam(exam)
	if err := s.venueStaff(ctx, by, year, exam, venue); err != nil {
		return nil, err
	}
	if _, err := s.yearOf(ctx, year); err != nil {
		return nil, err
	}
	return s.counts(ctx, year, exam, venue)
}

func (s *Service) counts(ctx context.Context, year int, exam, venue string) ([]RoomCount, error) {
	return s.countsWhere(ctx, year, exam, "venue_code = $3", venue)
}

// countsWhere counts the rooms of an exam that match cond ($3 is arg).
func (s *Service) countsWhere(ctx context.Context, year int, exam, cond string, arg any) ([]RoomCount, error) {
	q := s.db.Q(ctx)
	list, err := store.Select(ctx, q, func(sc store.Scanner) (RoomCount, error) {
		var r RoomCount
		return r, sc.Scan(&r.RoomID, &r.Venue, &r.Room, &r.Floor, &r.Printed, &r.Unused, &r.SealedBy, &r.SealedAt)
	}, `SELECT room_id, venue_code, room_name, floor, printed, unused, sealed_by, sealed_at FROM anonym_rooms
		WHERE year = $1 AND exam = $2 AND `+cond+` ORDER BY venue_code, ord, room_id`, year, exam, arg)
	if err != nil {
		return nil, fmt.Errorf("anonym: counts: %w", err)
	}
	if len(list) == 0 {
		return []RoomCount{}, nil
	}
	type used struct {
		room int64
		n    int
	}
	us, err := store.Select(ctx, q, func(sc store.Scanner) (used, error) {
		var u used
		return u, sc.Scan(&u.room, &u.n)
	}, `SELECT room_id, COUNT(*) FROM anonym_codes WHERE year = $1 AND exam = $2 AND used AND `+cond+` GROUP BY room_id`, year, exam, arg)
	if err != nil {
		return nil, fmt.Errorf("anonym: counts: %w", err)
	}
	byRoom := map[int64]int{}
	for _, u := range us {
		byRoom[u.room] = u.n
	}
	for i := range list {
		r := &list[i]
		r.Used = byRoom[r.RoomID]
		r.Sealed = r.Unused >= 0
		if r.SealedAt != "" {
			r.SealedAt = clock.Stamp(r.SealedAt)
		}
		r.Balanced = Balanced(r.Printed, r.Used, r.Unused)
	}
	return list, nil
}

// roomRow is the count of one room.
func (s *Service) roomRow(ctx context.Context, year int, exam string, room int64) (RoomCount, error) {
	list, err := s.countsWhere(ctx, year, exam, "room_id = $3", room)
	if err != nil {
		return RoomCount{}, err
	}
	if len(list) != 1 {
		return RoomCount{}, fmt.Errorf("anonym: room %d not counted", room)
	}
	return list[0], nil
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil
	}
	return b
}
