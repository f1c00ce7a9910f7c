package examday

import (
	"context"
	"fmt"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/draw"
	"provim/internal/store"
)

// Attach is the desk's act: the label code stuck on a candidate's booklet
// and beside their name (Neni 53.3–53.4), typed or scanned.
type Attach struct {
	Session int    `json:"session"`
	Exam    string `json:"exam"`
	Venue   string `json:"venue_code"`
	RegNo   string `json:"reg_no"`
	Code    string `json:"code"`
}

// AttachLabel records a label at the desk through package anonym, by the
// AS of the venue or its PAP where no AS was drawn (Neni 53.2), for a
// candidate who entered and was not excluded. The code is kept by anonym
// only: the exam day records that the labels were attached.
func (s *Service) AttachLabel(ctx context.Context, p *auth.Principal, in Attach) (string, error) {
	if in.Session == 0 {
		in.Session = 1
	}
	d, err := s.dayOf(ctx, in.Exam, in.Session)
	if err != nil {
		return "", err
	}
	labels := s.labelsOf()
	if labels == nil {
		return "", apperr.New(apperr.Conflict, "Etiketat e kodeve nuk janë lidhur ende me sistemin: ngjitini në letër dhe regjistrojini më vonë.")
	}
	var msg string
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		a, err := s.access(ctx, p, d.year.Year, in.Session, d.exam, strings.TrimSpace(in.Venue))
		if err != nil {
			return err
		}
		if a.Viewer {
			return apperr.New(apperr.Forbidden, "Etiketat e kodeve i ngjit AS, ose PAP aty ku nuk ka AS (Neni 53.2).")
		}
		if err := s.mayLabel(ctx, a); err != nil {
			return err
		}
		r, err := s.rosterOf(ctx, d, a.Session, a.Venue)
		if err != nil {
			return err
		}
		who := r.byRegNo[strings.ToUpper(strings.TrimSpace(in.RegNo))]
		if who == nil {
			return apperr.New(apperr.NotFound, "Numri i regjistrit «%s» nuk është në listat emërore të provimit %s në këtë qendër.", in.RegNo, d.label())
		}
		var labelled string
		err = s.db.Q(ctx).QueryRowContext(ctx, `SELECT labelled_at FROM examday_checkins WHERE year = $1 AND session = $2 AND exam = $3 AND student_id = $4`,
			a.Year, a.Session, a.Exam, who.StudentID).Scan(&labelled)
		if isNoRows(err) {
			return apperr.New(apperr.Invalid, "%s (%s) nuk ka hyrë në provim: sekretimi bëhet pasi kandidati identifikohet dhe ulet (Neni 53.3).", who.FullName, who.RegNo)
		}
		if err != nil {
			return fmt.Errorf("examday: label: %w", err)
		}
		if labelled != "" {
			return apperr.New(apperr.Conflict, "Etiketat e %s (%s) janë ngjitur më %s.", who.FullName, who.RegNo, clock.Stamp(labelled))
		}
		if prev, err := s.exclusionOf(ctx, a, who.StudentID); err != nil || prev != "" {
			if err == nil {
				err = apperr.New(apperr.Conflict, "%s (%s) është përjashtuar nga provimi (Neni %s).", who.FullName, who.RegNo, prev)
			}
			return err
		}
		if err := labels.Attach(ctx, p, a.Year, a.test(), a.Venue, strings.TrimSpace(in.Code), who.StudentID); err != nil {
			return err
		}
		at := clock.Stored(s.db.Now(ctx))
		if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE examday_checkins SET labelled_at = $1 WHERE year = $2 AND session = $3 AND exam = $4 AND student_id = $5`,
			at, a.Year, a.Session, a.Exam, who.StudentID); err != nil {
			return fmt.Errorf("examday: label: %w", err)
		}
		msg = fmt.Sprintf("Etiketat u ngjitën për %s (%s): kandidati verifikon dhe firmos (Neni 53.3).", who.FullName, who.RegNo)
		return nil
	})
	return msg, err
}

// AssignRoom puts a drawn AP in a room of the venue (Neni 48.2), by the
// venue's PAP: the draw's room stays the default until then.
func (s *Service) AssignRoom(ctx context.Context, p *auth.Principal, session int, exam, venue string, staffID int64, room string) error {
	if session == 0 {
		session = 1
	}
	d, err := s.dayOf(ctx, exam, session)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		a, drawn, err := s.papDrawn(ctx, p, d, session, venue)
		if err != nil {
			return err
		}
		found := false
		for _, x := range drawn {
			found = found || (x.StaffID == staffID && x.Role == "AP")
		}
		if !found {
			return apperr.New(apperr.NotFound, "Ky person nuk është administrator provimi i caktuar me short në këtë qendër.")
		}
		r, err := s.rosterOf(ctx, d, a.Session, a.Venue)
		if err != nil {
			return err
		}
		var rid int64
		for _, x := range r.rooms {
			if x.Name == strings.TrimSpace(room) {
				rid = x.ID
			}
		}
		if rid == 0 {
			return apperr.New(apperr.NotFound, "Salla «%s» nuk ka kandidatë në provimin %s në këtë qendër.", room, d.label())
		}
		before, err := s.assignedRoom(ctx, a.Year, a.Session, a.Exam, staffID)
		if err != nil {
			return err
		}
		at := clock.Stored(s.db.Now(ctx))
		if before != 0 {
			_, err = s.db.Q(ctx).ExecContext(ctx, `UPDATE examday_rooms SET room_id = $1, assigned_by = $2, assigned_at = $3 WHERE year = $4 AND session = $5 AND exam = $6 AND staff_id = $7`,
				rid, p.Username, at, a.Year, a.Session, a.Exam, staffID)
		} else {
			_, err = s.db.Q(ctx).ExecContext(ctx, `INSERT INTO examday_rooms (year, session, exam, staff_id, venue_code, room_id, assigned_by, assigned_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
				a.Year, a.Session, a.Exam, staffID, a.Venue, rid, p.Username, at)
		}
		if err != nil {
			return fmt.Errorf("examday: assign room: %w", err)
		}
		return audit.Add(ctx, p.Actor(), "assign_room", "staff", fmt.Sprint(staffID), map[string]any{"room_id": before}, map[string]any{
			"exam": a.Exam, "session": a.Session, "venue": a.Venue, "room": room, "room_id": rid})
	})
}

// DrawnAP finds, by personal number, an AP the draw placed at the venue for
// the exam (what the PAP's API names a person by: issue 11, part C), for
// AssignRoom; only the venue's PAP may ask, as for AssignRoom.
func (s *Service) DrawnAP(ctx context.Context, p *auth.Principal, session int, exam, venue, personalNo string) (int64, error) {
	if session == 0 {
		session = 1
	}
	d, err := s.dayOf(ctx, exam, session)
	if err != nil {
		return 0, err
	}
	_, drawn, err := s.papDrawn(ctx, p, d, session, venue)
	if err != nil {
		return 0, err
	}
	var aps []int64
	for _, x := range drawn {
		if x.Role == "AP" {
			aps = append(aps, x.StaffID)
		}
	}
	people, err := s.reg.StaffIdentities(ctx, aps)
	if err != nil {
		return 0, err
	}
	pn := strings.TrimSpace(personalNo)
	for _, id := range aps {
		if strings.EqualFold(people[id].PersonalNo, pn) {
			return id, nil
		}
	}
	return 0, apperr.New(apperr.NotFound, "Asnjë administrator provimi i caktuar me short në këtë qendër nuk ka numrin personal %s.", strings.ToUpper(pn))
}

// papDrawn is the venue's PAP's access to the exam day d and the staff the
// draw placed at the venue; anyone else may not put APs in rooms.
func (s *Service) papDrawn(ctx context.Context, p *auth.Principal, d day, session int, venue string) (Assignment, []draw.Drawn, error) {
	a, err := s.access(ctx, p, d.year.Year, session, d.exam, strings.TrimSpace(venue))
	if err != nil {
		return a, nil, err
	}
	if a.Viewer || a.Role != auth.RolePAP {
		return a, nil, apperr.New(apperr.Forbidden, "Administratorët e provimit i shpërndan nëpër salla PAP i qendrës (Neni 48.2).")
	}
	drawn, err := s.draws.DrawnAt(ctx, a.Year, a.Session, a.Exam, a.Venue)
	return a, drawn, err
}

// AttachLabels is AttachLabel for many candidates of one venue in one
// transaction, all or nothing: the desk's queue sent at once, the demo.
// It returns how many candidates got their labels now.
func (s *Service) AttachLabels(ctx context.Context, p *auth.Principal, session int, exam, venue string, list []Attach) (int, error) {
	if session == 0 {
		session = 1
	}
	d, err := s.dayOf(ctx, exam, session)
	if err != nil {
		return 0, err
	}
	labels := s.labelsOf()
	if labels == nil {
		return 0, apperr.New(apperr.Conflict, "Etiketat e kodeve nuk janë lidhur ende me sistemin: ngjitini në letër dhe regjistrojini më vonë.")
	}
	if len(list) > maxBatch {
		return 0, apperr.New(apperr.Invalid, "Një dërgesë mban deri në %d etiketa, jo %d.", maxBatch, len(list))
	}
	n := 0
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		a, err := s.access(ctx, p, d.year.Year, session, d.exam, strings.TrimSpace(venue))
		if err != nil {
			return err
		}
		if a.Viewer {
			return apperr.New(apperr.Forbidden, "Etiketat e kodeve i ngjit AS, ose PAP aty ku nuk ka AS (Neni 53.2).")
		}
		if err := s.mayLabel(ctx, a); err != nil {
			return err
		}
		r, err := s.rosterOf(ctx, d, a.Session, a.Venue)
		if err != nil {
			return err
		}
		type st struct {
			student  int64
			labelled string
		}
		rows, err := store.Select(ctx, s.db.Q(ctx), func(rs store.Scanner) (st, error) {
			var x st
			return x, rs.Scan(&x.student, &x.labelled)
		}, `SELECT student_id, labelled_at FROM examday_checkins WHERE year = $1 AND session = $2 AND exam = $3 AND venue_code = $4`, a.Year, a.Session, a.Exam, a.Venue)
		if err != nil {
			return fmt.Errorf("examday: labels: %w", err)
		}
		in := map[int64]string{}
		for _, x := range rows {
			in[x.student] = x.labelled
		}
		var batch []Label
		var ids []int64
		for _, x := range list {
			who := r.byRegNo[strings.ToUpper(strings.TrimSpace(x.RegNo))]
			if who == nil {
				return apperr.New(apperr.NotFound, "Numri i regjistrit «%s» nuk është në listat emërore të provimit %s në këtë qendër.", x.RegNo, d.label())
			}
			labelled, entered := in[who.StudentID]
			if !entered {
				return apperr.New(apperr.Invalid, "%s (%s) nuk ka hyrë në provim: sekretimi bëhet pasi kandidati identifikohet dhe ulet (Neni 53.3).", who.FullName, who.RegNo)
			}
			if labelled != "" {
				continue
			}
			batch = append(batch, Label{Code: strings.TrimSpace(x.Code), StudentID: who.StudentID})
			ids = append(ids, who.StudentID)
		}
		if len(batch) == 0 {
			return nil
		}
		if _, err := labels.AttachMany(ctx, p, a.Year, a.test(), a.Venue, batch); err != nil {
			return err
		}
		at := clock.Stored(s.db.Now(ctx))
		for _, part := range store.Chunks(ids, 500) {
			args := append([]any{at, a.Year, a.Session, a.Exam}, store.Args(part)...)
			if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE examday_checkins SET labelled_at = $1 WHERE year = $2 AND session = $3 AND exam = $4 AND student_id IN (`+
				store.Placeholders(5, len(part))+`)`, args...); err != nil {
				return fmt.Errorf("examday: labels: %w", err)
			}
		}
		n = len(batch)
		return nil
	})
	return n, err
}

// OnDay is a time of day typed as HH:MM on the exam's day, as RFC 3339
// ("" when it does not read).
func OnDay(t Timing, hm string) string {
	x, err := time.ParseInLocation("15:04", strings.TrimSpace(hm), clock.Tirana)
	if err != nil {
		return hm
	}
	s := t.Start.In(clock.Tirana)
	return time.Date(s.Year(), s.Month(), s.Day(), x.Hour(), x.Minute(), 0, 0, clock.Tirana).Format(time.RFC3339)
}
