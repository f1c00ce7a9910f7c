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
	"provim/internal/examyear"
)

// Exclusion is the PAP's measure against a candidate who broke the rules
// (Neni 54, 55).
type Exclusion struct {
	Session int    `json:"session"`
	Exam    string `json:"exam"`
	Venue   string `json:"venue_code"`
	RegNo   string `json:"reg_no"`
	Cause   string `json:"cause"` // "54.1" … "54.11"
	// At is when it happened (RFC 3339); empty: now.
	At        string `json:"at,omitempty"`
	Room      string `json:"room,omitempty"`
	Witnesses string `json:"witnesses"`
	Note      string `json:"note"`
	// RefusedToLeave: the candidate would not leave the room; they were
	// told their result is not recognised and the exam went on (Neni 55).
	RefusedToLeave bool `json:"refused_to_leave"`
}

// Exclude records an exclusion (Neni 54, 55.1), by the PAP of the venue:
// the candidate is on the venue's list, the cause is a point of Neni 54,
// and the result of the exam is not recognised. For 54.3, 54.4, 54.5 and
// 54.8 the exclusion also bars the next year (Neni 55.2): it is written to
// the candidate's record of exclusions (package application), from which
// the next year's application reads the bar.
func (s *Service) Exclude(ctx context.Context, p *auth.Principal, in Exclusion) error {
	if in.Session == 0 {
		in.Session = 1
	}
	d, err := s.dayOf(ctx, in.Exam, in.Session)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		a, err := s.access(ctx, p, d.year.Year, in.Session, d.exam, strings.TrimSpace(in.Venue))
		if err != nil {
			return err
		}
		if a.Viewer || a.Role != auth.RolePAP {
			return apperr.New(apperr.Forbidden, "Përjashtimin e vendos PAP, pasi AP e njofton (Neni 55): AP raporton ngjarjen te PAP.")
		}
		r, err := s.rosterOf(ctx, d, a.Session, a.Venue)
		if err != nil {
			return err
		}
		who := r.byRegNo[strings.ToUpper(strings.TrimSpace(in.RegNo))]
		if who == nil {
			return apperr.New(apperr.NotFound, "Numri i regjistrit «%s» nuk është në listat emërore të provimit %s në këtë qendër.", in.RegNo, d.label())
		}
		if _, ok := CauseOf(in.Cause); !ok {
			return apperr.New(apperr.Invalid, "Zgjidhni shkakun e përjashtimit nga pikat e Nenit 54 (54.1–54.11).")
		}
		in.Cause = strings.TrimPrefix(strings.TrimSpace(in.Cause), "Neni ")
		if prev, err := s.exclusionOf(ctx, a, who.StudentID); err != nil || prev != "" {
			if err == nil {
				err = apperr.New(apperr.Conflict, "%s (%s) është përjashtuar tashmë nga ky provim (Neni %s).", who.FullName, who.RegNo, prev)
			}
			return err
		}
		now := s.db.Now(ctx)
		at, err := momentOf(in.At, now, d.timing)
		if err != nil {
			return err
		}
		in.At = clock.Stored(at)
		if in.Room == "" {
			in.Room = who.Room
		}
		if in.Cause != "54.1" {
			var n int
			if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM examday_checkins WHERE year = $1 AND session = $2 AND exam = $3 AND student_id = $4`,
				a.Year, a.Session, a.Exam, who.StudentID).Scan(&n); err != nil {
				return fmt.Errorf("examday: exclusion: %w", err)
			}
			if n == 0 {
				return apperr.New(apperr.Invalid, "%s (%s) nuk ka hyrë në provim: përjashtohet në hyrje vetëm pa dokument identifikimi (Neni 54.1).", who.FullName, who.RegNo)
			}
		}
		if strings.TrimSpace(in.Witnesses) == "" {
			return apperr.New(apperr.Invalid, "Shënoni dëshmitarët e rastit (AP e sallës e të tjerë): procesverbali i përmban (Neni 48.8, 50.17).")
		}
		return s.exclude(ctx, p, a, who, in, now)
	})
}

// exclude writes an exclusion: the event of the procesverbal and the
// candidate's record (Neni 55.2 reads it).
func (s *Service) exclude(ctx context.Context, p *auth.Principal, a Assignment, who *Listed, in Exclusion, now time.Time) error {
	cause, _ := CauseOf(in.Cause)
	var room int64
	if in.Room == "" || in.Room == who.Room {
		room = who.RoomID
	}
	if _, err := s.db.Q(ctx).ExecContext(ctx, `INSERT INTO examday_events (year, session, exam, venue_code, room_id, kind, student_id, cause, happened_at,
		witnesses, note, refused_to_leave, recorded_by, recorded_role, recorded_at) VALUES ($1, $2, $3, $4, $5, 'exclusion', $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		a.Year, a.Session, a.Exam, a.Venue, room, who.StudentID, cause.Code, in.At, clean(in.Witnesses, 500), clean(in.Note, 2000), in.RefusedToLeave,
		p.Username, string(p.Role), clock.Stored(now)); err != nil {
		return fmt.Errorf("examday: exclusion: %w", err)
	}
	if err := audit.Add(ctx, p.Actor(), "exclude", "candidate", fmt.Sprint(who.StudentID), nil, map[string]any{
		"exam": a.Exam, "session": a.Session, "venue": a.Venue, "cause": cause.Code, "at": in.At,
		"refused_to_leave": in.RefusedToLeave, "bars_next_year": cause.BarsNextYear}); err != nil {
		return err
	}
	// By the test (examyear.TestKey): an exclusion from D1 of the second
	// session voids that test's result, never the first session's.
	return s.apps.RecordExamDayExclusion(ctx, p, who.StudentID, a.Year, examyear.TestKey(a.Exam, a.Session), cause.Code)
}

// exclusionOf is the cause of the candidate's exclusion from the exam, "".
func (s *Service) exclusionOf(ctx context.Context, a Assignment, student int64) (string, error) {
	var cause string
	err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT cause FROM examday_events WHERE year = $1 AND session = $2 AND exam = $3 AND student_id = $4 AND kind = 'exclusion'`,
		a.Year, a.Session, a.Exam, student).Scan(&cause)
	if isNoRows(err) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("examday: exclusion: %w", err)
	}
	return cause, nil
}

// momentOf reads a time of the exam day (RFC 3339, or "HH:MM" in Tirana on
// the exam's day); empty is now. It is not in the future.
func momentOf(raw string, now time.Time, tm Timing) (time.Time, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return now, nil
	}
	t, err := time.Parse(time.RFC3339, raw)
	if err != nil {
		hm, err2 := time.ParseInLocation("15:04", raw, clock.Tirana)
		if err2 != nil {
			return now, apperr.New(apperr.Invalid, "Ora «%s» nuk lexohet: shkruani OO:MM.", raw)
		}
		s := tm.Start.In(clock.Tirana)
		t = time.Date(s.Year(), s.Month(), s.Day(), hm.Hour(), hm.Minute(), 0, 0, clock.Tirana)
	}
	if t.After(now.Add(2 * time.Minute)) {
		return now, apperr.New(apperr.Invalid, "Ora %s është pas këtij çasti.", clock.Format(t))
	}
	return t, nil
}

// Report kinds besides exclusions.
const (
	KindIncident     = "incident"     // an AP reports to the PAP (Neni 49.7–49.8)
	KindIrregularity = "irregularity" // a candidate reports (Neni 56.1)
	KindBlind        = "blind"        // a blind candidate in a separate room (Neni 56.2)
	KindBooklet      = "booklet"      // a damaged or blank booklet replaced (Neni 56.4)
)

// Report is an event of the day that the procesverbal records.
type Report struct {
	Kind    string `json:"kind"`
	Session int    `json:"session"`
	Exam    string `json:"exam"`
	Venue   string `json:"venue_code"`
	Room    string `json:"room,omitempty"`
	// RegNo: the candidate concerned (the reporter of an irregularity).
	RegNo string `json:"reg_no,omitempty"`
	At    string `json:"at,omitempty"`
	Note  string `json:"note"`
	// Helper: the person the PAP sets to read and write for a blind
	// candidate (Neni 56.2); Witnesses of an incident.
	Helper    string `json:"helper,omitempty"`
	Witnesses string `json:"witnesses,omitempty"`
	// OldBooklet and NewBooklet: the numbers of a replaced booklet and of
	// the one given instead, which carries the candidate's code label.
	OldBooklet string `json:"old_booklet,omitempty"`
	NewBooklet string `json:"new_booklet,omitempty"`
}

// KindLabel is the Albanian name of an event kind.
func KindLabel(kind string) string {
	switch kind {
	case "refused":
		return "Hyrje e refuzuar (jo në listë, Neni 52.6)"
	case KindIncident:
		return "Parregullsi e raportuar nga AP (Neni 49.7–49.8)"
	case "exclusion":
		return "Përjashtim (Neni 54, 55)"
	case KindIrregularity:
		return "Raportim parregullsie nga kandidat (Neni 56.1)"
	case KindBlind:
		return "Kandidat i verbër në mjedis të veçantë (Neni 56.2)"
	case KindBooklet:
		return "Test-broshurë e dëmtuar ose me faqe të bardha e ndërruar (Neni 56.4)"
	case "early_leave":
		return "Tentativë largimi para dy orësh (Neni 56.3)"
	case "overtime":
		return "Dorëzim pas mbarimit të kohës (Neni 50.14)"
	}
	return kind
}

// Record records an event of the day (an incident, a candidate's report
// of irregularities, a blind candidate's arrangement, a replaced
// booklet) at the venue of the caller.
func (s *Service) Record(ctx context.Context, p *auth.Principal, in Report) (int64, error) {
	if in.Session == 0 {
		in.Session = 1
	}
	d, err := s.dayOf(ctx, in.Exam, in.Session)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		a, err := s.access(ctx, p, d.year.Year, in.Session, d.exam, strings.TrimSpace(in.Venue))
		if err != nil {
			return err
		}
		if a.Viewer {
			return apperr.New(apperr.Forbidden, "Ngjarjet e ditës së provimit i regjistron stafi i qendrës.")
		}
		r, err := s.rosterOf(ctx, d, a.Session, a.Venue)
		if err != nil {
			return err
		}
		var who *Listed
		if in.RegNo = strings.ToUpper(strings.TrimSpace(in.RegNo)); in.RegNo != "" {
			if who = r.byRegNo[in.RegNo]; who == nil {
				return apperr.New(apperr.NotFound, "Numri i regjistrit «%s» nuk është në listat emërore të provimit %s në këtë qendër.", in.RegNo, d.label())
			}
		}
		var room int64
		if name := strings.TrimSpace(in.Room); name != "" {
			for _, x := range r.rooms {
				if x.Name == name {
					room = x.ID
				}
			}
			if room == 0 {
				return apperr.New(apperr.NotFound, "Salla «%s» nuk ka kandidatë në provimin %s në këtë qendër.", name, d.label())
			}
		} else if who != nil {
			room = who.RoomID
		}
		if a.Role == auth.RoleAP && a.RoomID != 0 && room != 0 && room != a.RoomID {
			return apperr.New(apperr.Forbidden, "PAP ju ka caktuar në sallën «%s» (Neni 48.2): raportoni për atë sallë.", a.Room)
		}
		note := clean(in.Note, 2000)
		var student int64
		if who != nil {
			student = who.StudentID
		}
		switch in.Kind {
		case KindIncident:
			if note == "" {
				return apperr.New(apperr.Invalid, "Përshkruani me detaje parregullsinë që raportoni te PAP (Neni 49.7–49.8, 50.17).")
			}
		case KindIrregularity:
			if who == nil || note == "" {
				return apperr.New(apperr.Invalid, "Shënoni numrin e regjistrit të kandidatit që raporton dhe çfarë raportoi (Neni 56.1).")
			}
		case KindBlind:
			if a.Role != auth.RolePAP {
				return apperr.New(apperr.Forbidden, "Personin që lexon dhe plotëson përgjigjet për kandidatin e verbër e cakton PAP (Neni 56.2).")
			}
			if who == nil || clean(in.Helper, 200) == "" || note == "" {
				return apperr.New(apperr.Invalid, "Për kandidatin e verbër shënoni numrin e regjistrit, personin që lexon dhe plotëson përgjigjet, mjedisin e veçantë dhe si u regjistruan përgjigjet (Neni 56.2).")
			}
		case KindBooklet:
			if who == nil || clean(in.OldBooklet, 40) == "" || clean(in.NewBooklet, 40) == "" || clean(in.OldBooklet, 40) == clean(in.NewBooklet, 40) {
				return apperr.New(apperr.Invalid, "Për ndërrimin e test-broshurës shënoni kandidatin, numrin e broshurës së dëmtuar dhe të asaj të re (Neni 56.4).")
			}
			if note == "" {
				note = "Broshura e re mban kodin e sekretimit të kandidatit; e vjetra u ruajt për t'u kthyer."
			}
		default:
			return apperr.New(apperr.Invalid, "Lloji i ngjarjes «%s» nuk njihet: incident, irregularity, blind ose booklet.", in.Kind)
		}
		now := s.db.Now(ctx)
		at, err := momentOf(in.At, now, d.timing)
		if err != nil {
			return err
		}
		err = s.db.Q(ctx).QueryRowContext(ctx, `INSERT INTO examday_events (year, session, exam, venue_code, room_id, kind, student_id, happened_at,
			witnesses, note, helper, old_booklet, new_booklet, recorded_by, recorded_role, recorded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
			a.Year, a.Session, a.Exam, a.Venue, room, in.Kind, student, clock.Stored(at), clean(in.Witnesses, 500), note,
			clean(in.Helper, 200), clean(in.OldBooklet, 40), clean(in.NewBooklet, 40), p.Username, string(p.Role), clock.Stored(now)).Scan(&id)
		if err != nil {
			return fmt.Errorf("examday: event: %w", err)
		}
		return audit.Add(ctx, p.Actor(), "record_event", "examday_event", fmt.Sprint(id), nil, map[string]any{
			"kind": in.Kind, "exam": a.Exam, "venue": a.Venue, "student": student, "at": clock.Stored(at)})
	})
	return id, err
}

// Leave is a candidate's hand-in and leave.
type Leave struct {
	Key     string `json:"key,omitempty"`
	Session int    `json:"session"`
	Exam    string `json:"exam"`
	Venue   string `json:"venue_code"`
	RegNo   string `json:"reg_no"`
	At      string `json:"at,omitempty"`
	// WithoutAnonymisation: the candidate left before the desk attached
	// their labels — an exclusion under Neni 54.9.
	WithoutAnonymisation bool `json:"without_anonymisation,omitempty"`
}

// RecordLeave records a hand-in and leave: never before two hours from the
// start (Neni 56.3: early finishers wait in the set room; the attempt is
// flagged), never after the end (Neni 50.14), and only once the desk has
// attached the labels (Neni 50.10) — a candidate who left without it is
// excluded (Neni 54.9).
func (s *Service) RecordLeave(ctx context.Context, p *auth.Principal, in Leave) (string, error) {
	if in.Session == 0 {
		in.Session = 1
	}
	d, err := s.dayOf(ctx, in.Exam, in.Session)
	if err != nil {
		return "", err
	}
	var msg string
	var refusal error
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		a, err := s.access(ctx, p, d.year.Year, in.Session, d.exam, strings.TrimSpace(in.Venue))
		if err != nil {
			return err
		}
		if a.Viewer || (a.Role != auth.RolePAP && a.Role != auth.RoleAP) {
			return apperr.New(apperr.Forbidden, "Dorëzimin e testit dhe largimin i shënon AP i sallës ose PAP (Neni 49.2, 50.10).")
		}
		r, err := s.rosterOf(ctx, d, a.Session, a.Venue)
		if err != nil {
			return err
		}
		who := r.byRegNo[strings.ToUpper(strings.TrimSpace(in.RegNo))]
		if who == nil {
			return apperr.New(apperr.NotFound, "Numri i regjistrit «%s» nuk është në listat emërore të provimit %s në këtë qendër.", in.RegNo, d.label())
		}
		if a.Role == auth.RoleAP && a.RoomID != 0 && who.RoomID != a.RoomID {
			return apperr.New(apperr.Forbidden, "%s e jep provimin në sallën «%s», jo në sallën tuaj.", who.FullName, who.Room)
		}
		var left, labelled string
		err = s.db.Q(ctx).QueryRowContext(ctx, `SELECT left_at, labelled_at FROM examday_checkins WHERE year = $1 AND session = $2 AND exam = $3 AND student_id = $4`,
			a.Year, a.Session, a.Exam, who.StudentID).Scan(&left, &labelled)
		if isNoRows(err) {
			return apperr.New(apperr.Invalid, "%s (%s) nuk ka hyrë në provim.", who.FullName, who.RegNo)
		}
		if err != nil {
			return fmt.Errorf("examday: leave: %w", err)
		}
		if left != "" {
			return apperr.New(apperr.Conflict, "%s (%s) është larguar më %s.", who.FullName, who.RegNo, clock.Stamp(left))
		}
		now := s.db.Now(ctx)
		at, err := momentOf(in.At, now, d.timing)
		if err != nil {
			return err
		}
		event := func(kind, note string) error {
			_, err := s.db.Q(ctx).ExecContext(ctx, `INSERT INTO examday_events (year, session, exam, venue_code, room_id, kind, student_id, happened_at, note,
				recorded_by, recorded_role, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
				a.Year, a.Session, a.Exam, a.Venue, who.RoomID, kind, who.StudentID, clock.Stored(at), note, p.Username, string(p.Role), clock.Stored(now))
			if err != nil {
				return fmt.Errorf("examday: leave: %w", err)
			}
			return audit.Add(ctx, p.Actor(), "record_event", "candidate", fmt.Sprint(who.StudentID), nil, map[string]any{"kind": kind, "exam": a.Exam, "at": clock.Stored(at)})
		}
		switch d.timing.CheckLeave(at) {
		case "56.3":
			refusal = apperr.New(apperr.Conflict, "%s (%s) nuk del para %s, dy orë nga fillimi: pasi dorëzon testin pret në sallën e caktuar (Neni 56.3). Tentativa u shënua.",
				who.FullName, who.RegNo, hhmm(d.timing.EarliestLeave))
			return event("early_leave", "Kërkoi të largohej në "+hhmm(at)+"; u mbajt në sallën e caktuar deri në "+hhmm(d.timing.EarliestLeave)+".")
		case "50.14":
			refusal = apperr.New(apperr.Conflict, "Koha e provimit mbaroi në %s: asnjë kandidat nuk ka kohë shtesë (Neni 50.14). Shënoni dorëzimin në orën e mbarimit; vonesa u shënua.", hhmm(d.timing.End))
			return event("overtime", "Dorëzimi u shënua si në "+hhmm(at)+", pas mbarimit në "+hhmm(d.timing.End)+".")
		}
		if labelled == "" && !in.WithoutAnonymisation {
			return apperr.New(apperr.Conflict, "%s (%s) nuk ka kryer sekretimin: mos e lini të largohet pa u ngjitur etiketat e kodit (Neni 50.10). Nëse u largua, shënojeni «u largua pa sekretim» (përjashtim, Neni 54.9).",
				who.FullName, who.RegNo)
		}
		if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE examday_checkins SET left_at = $1 WHERE year = $2 AND session = $3 AND exam = $4 AND student_id = $5`,
			clock.Stored(at), a.Year, a.Session, a.Exam, who.StudentID); err != nil {
			return fmt.Errorf("examday: leave: %w", err)
		}
		if err := audit.Add(ctx, p.Actor(), "leave", "candidate", fmt.Sprint(who.StudentID), nil, map[string]any{"exam": a.Exam, "at": clock.Stored(at)}); err != nil {
			return err
		}
		msg = fmt.Sprintf("%s (%s) dorëzoi testin dhe u largua në %s.", who.FullName, who.RegNo, hhmm(at))
		if labelled == "" {
			if prev, err := s.exclusionOf(ctx, a, who.StudentID); err != nil || prev != "" {
				return err
			}
			msg = fmt.Sprintf("%s (%s) u largua pa kryer sekretimin: përjashtohet, rezultati nuk i njihet (Neni 54.9).", who.FullName, who.RegNo)
			return s.exclude(ctx, p, a, who, Exclusion{Cause: "54.9", At: clock.Stored(at), Room: who.Room, Note: "U largua nga mjedisi i provimit pa kryer procesin e sekretimit."}, now)
		}
		return nil
	})
	if err == nil && refusal != nil {
		return "", refusal
	}
	return msg, err
}
