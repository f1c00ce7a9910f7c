package anonym

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/store"
)

// Label is one label attached at a desk: its code and the candidate.
type Label struct {
	Code      string `json:"code"`
	StudentID int64  `json:"student_id"`
}

// AttachMany is Attach for many labels of one venue in one transaction,
// all or nothing, with one audit entry per room (naming the room and its
// count, never a code or a candidate): for a desk that sends what it
// queued while offline, and for the demo. It returns how many labels were
// new.
func (s *Service) AttachMany(ctx context.Context, by *auth.Principal, year int, exam, venue string, labels []Label) (int, error) {
	exam = normExam(exam)
	if err := s.staff(ctx, by, year, exam, venue); err != nil {
		return 0, err
	}
	created := 0
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.Q(ctx)
		var pubHex, opened string
		err := q.QueryRowContext(ctx, `SELECT public_key, opened_at FROM anonym_keys WHERE year = $1 AND exam = $2`, year, exam).Scan(&pubHex, &opened)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.Conflict, "AVA nuk ka caktuar ende mbajtësit e çelësit për provimin %s: lidhja kod–kandidat nuk mund të vuloset ende (Neni 59.3).", examyear.TestLabel(exam))
		}
		if err != nil {
			return err
		}
		if opened != "" {
			return apperr.New(apperr.Conflict, "Lidhja e kodeve të provimit %s është hapur pas vlerësimit: etiketat nuk ngjiten më.", examyear.TestLabel(exam))
		}
		pub := mustHex(pubHex)
		type codeRow struct {
			room int64
			used bool
		}
		codes := map[string]*codeRow{}
		list, err := store.Select(ctx, q, func(r store.Scanner) (struct {
			c string
			x codeRow
		}, error) {
			var v struct {
				c string
				x codeRow
			}
			return v, r.Scan(&v.c, &v.x.room, &v.x.used)
		}, `SELECT code, room_id, used FROM anonym_codes WHERE year = $1 AND exam = $2 AND venue_code = $3`, year, exam, venue)
		if err != nil {
			return err
		}
		for _, v := range list {
			x := v.x
			codes[v.c] = &x
		}
		type seatRow struct {
			room     int64
			labelled bool
		}
		seats := map[int64]*seatRow{}
		slist, err := store.Select(ctx, q, func(r store.Scanner) (struct {
			id int64
			x  seatRow
		}, error) {
			var v struct {
				id int64
				x  seatRow
			}
			return v, r.Scan(&v.id, &v.x.room, &v.x.labelled)
		}, `SELECT student_id, room_id, labelled FROM anonym_seated WHERE year = $1 AND exam = $2 AND venue_code = $3`, year, exam, venue)
		if err != nil {
			return err
		}
		for _, v := range slist {
			x := v.x
			seats[v.id] = &x
		}
		rooms, err := s.counts(ctx, year, exam, venue)
		if err != nil {
			return err
		}
		byRoom := map[int64]*RoomCount{}
		for i := range rooms {
			byRoom[rooms[i].RoomID] = &rooms[i]
		}
		touched := map[int64]bool{}
		usedCodes := map[int64][]string{} // by room
		labelled := map[int64][]int64{}
		var links [][]any
		var sealer *batchSealer
		for _, l := range labels {
			code, ok := Normalize(l.Code)
			if !ok {
				return apperr.New(apperr.Invalid, "Kodi «%s» nuk lexohet si kod sekretimi: ose nuk ka %d shenja, ose shenja e kontrollit nuk përputhet (Neni 53.3).", l.Code, CodeLen)
			}
			c := codes[code]
			if c == nil {
				return apperr.New(apperr.NotFound, "Kodi %s nuk është ndër kodet e qendrës %s për provimin %s.", Display(code), venue, examyear.TestLabel(exam))
			}
			st := seats[l.StudentID]
			if st == nil {
				return apperr.New(apperr.NotFound, "Kandidati nuk është në listën emërore të qendrës %s për provimin %s (Neni 52.6).", venue, examyear.TestLabel(exam))
			}
			room := byRoom[c.room]
			if room == nil {
				return fmt.Errorf("anonym: room %d of code not counted", c.room)
			}
			if st.room != c.room {
				return apperr.New(apperr.Invalid, "Kodi %s është i një salle tjetër: ngjitni etiketat e sallës ku është ulur kandidati (Neni 53.3).", Display(code))
			}
			switch {
			case c.used && st.labelled:
				continue
			case c.used:
				return apperr.New(apperr.Conflict, "Kodi %s është përdorur tashmë për një kandidat tjetër: merrni etiketat e kodit të radhës (Neni 53.3).", Display(code))
			case st.labelled:
				return apperr.New(apperr.Conflict, "Kandidati ka tashmë etiketat e një kodi tjetër në test-broshurë; kodi %s nuk ngjitet (Neni 53.3).", Display(code))
			}
			if room.Sealed {
				return apperr.New(apperr.Conflict, "Etiketat e papërdorura të sallës «%s» janë numëruar dhe mbyllur: asnjë etiketë nuk ngjitet më (Neni 53.5).", room.Room)
			}
			if sealer == nil {
				if sealer, err = newBatchSealer(pub, year, exam); err != nil {
					return err
				}
			}
			eph, sealed, err := sealer.seal(code, l.StudentID)
			if err != nil {
				return err
			}
			usedCodes[c.room] = append(usedCodes[c.room], code)
			labelled[c.room] = append(labelled[c.room], l.StudentID)
			links = append(links, []any{year, exam, eph, sealed})
			c.used, st.labelled = true, true
			room.Used++
			touched[room.RoomID] = true
			created++
		}
		// The writes of the batch, room by room, every code and every seat
		// of a room touched written as Attach writes them: the batch may
		// hold part of a room, whose pairs its transaction would otherwise
		// single out (Neni 59.3).
		for _, r := range rooms {
			if !touched[r.RoomID] {
				continue
			}
			for _, w := range []struct {
				set  string
				keys []any
			}{
				{"anonym_codes SET used = (used OR code IN (%s))", store.Args(usedCodes[r.RoomID])},
				{"anonym_seated SET labelled = (labelled OR student_id IN (%s))", store.Args(labelled[r.RoomID])},
			} {
				if _, err := q.ExecContext(ctx, `UPDATE `+fmt.Sprintf(w.set, store.Placeholders(4, len(w.keys)))+` WHERE year = $1 AND exam = $2 AND room_id = $3`,
					append([]any{year, exam, r.RoomID}, w.keys...)...); err != nil {
					return err
				}
			}
		}
		if err := insertRows(ctx, q, `INSERT INTO anonym_links (year, exam, eph, sealed) VALUES `, links); err != nil {
			return err
		}
		for _, r := range rooms {
			if touched[r.RoomID] {
				if err := audit.Add(ctx, by.Actor(), "anonym_attach", "anonym_room", roomKey(year, exam, venue, r.Room), nil,
					map[string]any{"used": r.Used, "printed": r.Printed}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return created, nil
}
