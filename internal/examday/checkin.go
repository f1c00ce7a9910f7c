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
)

// CheckIn is one person at a room's door, as the room's device (or the
// PAP, from the paper room sheet) sends it.
type CheckIn struct {
	// Key is the device's idempotency key of this check-in: sent again
	// (the offline queue replayed), it gets the first answer and changes
	// nothing.
	Key     string `json:"key"`
	Session int    `json:"session"`
	Exam    string `json:"exam"`
	Venue   string `json:"venue_code"`
	// Room is the room's name in the venue: where the device is.
	Room string `json:"room"`
	// RegNo is the registration number of the name list (Neni 52.6); an
	// unlisted person gives what they said in Name.
	RegNo string `json:"reg_no"`
	Name  string `json:"name,omitempty"`
	// DocType is the document seen (Neni 52.5): letërnjoftim, pasaporte,
	// certifikate, or asnjë (none: excluded, Neni 54.1); DocNo its number.
	DocType string `json:"doc_type"`
	DocNo   string `json:"doc_no"`
	// ArrivedAt is when the person came to the door (RFC 3339), as the
	// device saw it; empty: now.
	ArrivedAt string `json:"arrived_at,omitempty"`
	// PaperReason: the check-in is entered later by the PAP from the paper
	// room sheet, for this reason.
	PaperReason string `json:"paper_reason,omitempty"`
}

// Outcomes of a check-in.
const (
	Admitted = "admitted" // let in and seated
	Refused  = "refused"  // not on the list (Neni 52.6): recorded
	Excluded = "excluded" // no identity document (Neni 54.1): recorded
	Rejected = "rejected" // nothing recorded: the message says why
)

// Outcome is the answer to one check-in.
type Outcome struct {
	Key      string `json:"key"`
	Status   string `json:"status"`
	Message  string `json:"message"`
	RegNo    string `json:"reg_no,omitempty"`
	FullName string `json:"full_name,omitempty"`
	Seat     int    `json:"seat,omitempty"`
	Late     bool   `json:"late,omitempty"`
	// Replayed: the key had been answered before; nothing changed now.
	Replayed bool `json:"replayed"`
}

// CheckInOne checks in one person (CheckInMany with one).
func (s *Service) CheckInOne(ctx context.Context, p *auth.Principal, in CheckIn) (Outcome, error) {
	out, err := s.CheckInMany(ctx, p, []CheckIn{in})
	if err != nil {
		return Outcome{}, err
	}
	return out[0], nil
}

// maxBatch is the most check-ins one request may carry.
const maxBatch = 2000

// CheckInMany checks in a batch of people in one transaction, each with
// its own answer: the offline queue of a room's device, a PAP's paper
// sheet, the demo. A refusal of one (not listed, another room, checked in
// before) does not stop the others.
func (s *Service) CheckInMany(ctx context.Context, p *auth.Principal, list []CheckIn) ([]Outcome, error) {
	if len(list) > maxBatch {
		return nil, apperr.New(apperr.Invalid, "Një dërgesë mban deri në %d hyrje, jo %d.", maxBatch, len(list))
	}
	out := make([]Outcome, len(list))
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		io, err := s.newBatchIO(ctx, p, list)
		if err != nil {
			return err
		}
		b := &batch{seats: map[int64]int{}, places: map[dayKey]place{}, io: io}
		for i, in := range list {
			o, err := s.checkIn(ctx, p, in, b)
			if err != nil {
				return err
			}
			out[i] = o
		}
		return io.flush(ctx)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// batch is what the check-ins of one batch share: the caller's place at
// each venue and the next seat of each room.
type batch struct {
	seats  map[int64]int
	places map[dayKey]place
	io     *batchIO // the batch's reads and writes (checkin_batch.go)
}

type place struct {
	d   day
	a   Assignment
	err error
}

// checkIn applies the rules of entry to one person (Neni 52, 54.1).
func (s *Service) checkIn(ctx context.Context, p *auth.Principal, in CheckIn, b *batch) (Outcome, error) {
	seats := b.seats
	in.Key = trimKey(in.Key)
	if len(in.Key) > 100 {
		return Outcome{}, apperr.New(apperr.Invalid, "Çelësi i hyrjes është më i gjatë se 100 shenja.")
	}
	if in.Session == 0 {
		in.Session = 1
	}
	pk := dayKey{0, in.Session, normExam(in.Exam), strings.TrimSpace(in.Venue)}
	pl, ok := b.places[pk]
	if !ok {
		pl.d, pl.err = s.dayOf(ctx, in.Exam, in.Session)
		if pl.err == nil {
			pl.a, pl.err = s.access(ctx, p, pl.d.year.Year, in.Session, pl.d.exam, pk.venue)
		}
		b.places[pk] = pl
	}
	if pl.err != nil {
		return Outcome{}, pl.err
	}
	d, a := pl.d, pl.a
	var err error
	o := Outcome{Key: in.Key}
	remember := func(o Outcome) (Outcome, error) {
		b.io.remember(p, a, in, o, storedNow(s, ctx))
		return o, nil
	}
	reject := func(format string, args ...any) (Outcome, error) {
		o.Status, o.Message = Rejected, fmt.Sprintf(format, args...)
		return remember(o)
	}
	if a.Viewer || (a.Role != auth.RolePAP && a.Role != auth.RoleAP && a.Role != auth.RoleAS) {
		return Outcome{}, apperr.New(apperr.Forbidden, "Identifikimin dhe hyrjen i bën PAP, me ndihmën e AP dhe AS (Neni 48.3, 49.1, 52.2), jo roli juaj.")
	}
	// A key sent again gets its first answer, and only from those who may
	// check in where it was given (the answer names a candidate).
	if in.Key != "" {
		if prev, ok, clash := b.io.replayed(in.Key, a, in); clash {
			return Outcome{Key: in.Key, Status: Rejected, Message: "Ky çelës hyrjeje është dhënë më parë për një hyrje tjetër. Asgjë nuk u regjistrua: regjistrojeni këtë hyrje përsëri."}, nil
		} else if ok {
			return prev, nil
		}
	}
	paper := strings.TrimSpace(in.PaperReason) != ""
	if paper && a.Role != auth.RolePAP {
		return Outcome{}, apperr.New(apperr.Forbidden, "Hyrjet nga fleta e sallës në letër i regjistron PAP, me arsyen (Neni 48.3).")
	}
	r, err := s.rosterOf(ctx, d, a.Session, a.Venue)
	if err != nil {
		return Outcome{}, err
	}
	roomName := strings.TrimSpace(in.Room)
	var room *Room
	for i := range r.rooms {
		if r.rooms[i].Name == roomName {
			room = &r.rooms[i]
		}
	}
	if room == nil {
		return Outcome{}, apperr.New(apperr.NotFound, "Salla «%s» nuk ka kandidatë në provimin %s në këtë qendër.", roomName, d.label())
	}
	if a.Role == auth.RoleAP && a.RoomID != 0 && a.RoomID != room.ID {
		return Outcome{}, apperr.New(apperr.Forbidden, "PAP ju ka caktuar në sallën «%s», jo në «%s» (Neni 48.2).", a.Room, room.Name)
	}
	now := s.db.Now(ctx)
	arrived := now
	if t := strings.TrimSpace(in.ArrivedAt); t != "" {
		arrived, err = time.Parse(time.RFC3339, t)
		if err != nil {
			return reject("Ora e mbërritjes «%s» nuk lexohet (RFC 3339).", t)
		}
	}
	tm := d.timing
	if arrived.After(now.Add(2 * time.Minute)) {
		return reject("Ora e mbërritjes %s është pas kësaj çaste: kontrolloni orën e pajisjes.", clock.Format(arrived))
	}
	if arrived.Before(tm.Opens) {
		return reject("Hyrja hapet në %s, një orë para fillimit të provimit (Neni 52.1).", hhmm(tm.Opens))
	}
	if !arrived.Before(tm.End) {
		return reject("Koha e provimit mbaroi në %s: askush nuk hyn më (Neni 50.14).", hhmm(tm.End))
	}
	regNo := listedRegNo(in.RegNo)
	who := r.byRegNo[regNo]
	docType := strings.TrimSpace(in.DocType)
	docNo := strings.ToUpper(strings.Join(strings.Fields(in.DocNo), ""))
	at := clock.Stored(now)
	// Neni 52.6: only a candidate on the list enters; the attempt of
	// anyone else is recorded.
	if who == nil {
		name := clean(in.Name, 120)
		if name == "" && regNo == "" {
			return reject("Shënoni numrin e regjistrit nga lista, ose emrin e personit që nuk është në listë.")
		}
		person := strings.TrimSpace(name + " " + regNo)
		if len(person) > 200 {
			person = person[:200]
		}
		if err := b.io.flush(ctx); err != nil {
			return Outcome{}, err
		}
		if _, err := s.db.Q(ctx).ExecContext(ctx, `INSERT INTO examday_events (year, session, exam, venue_code, room_id, kind, person, happened_at, note,
			recorded_by, recorded_role, recorded_at) VALUES ($1, $2, $3, $4, $5, 'refused', $6, $7, $8, $9, $10, $11)`,
			a.Year, a.Session, a.Exam, a.Venue, room.ID, person, clock.Stored(arrived), DocLabel(docType)+" "+docNo, p.Username, string(p.Role), at); err != nil {
			return Outcome{}, fmt.Errorf("examday: refusal: %w", err)
		}
		if err := audit.Add(ctx, p.Actor(), "refuse_entry", "examday_venue", a.Venue+"/"+a.Exam, nil, map[string]any{"room": room.Name}); err != nil {
			return Outcome{}, err
		}
		o.Status = Refused
		o.Message = fmt.Sprintf("«%s» nuk është në listën emërore të provimit %s në këtë qendër: nuk lejohet të hyjë (Neni 52.6). Tentativa u regjistrua.", person, a.Exam)
		return remember(o)
	}
	o.RegNo, o.FullName = who.RegNo, who.FullName
	if who.RoomID != room.ID {
		return reject("%s (%s) e jep provimin në sallën «%s», jo këtu: çojeni atje; vendet nuk ndërrohen (Neni 52.7).", who.FullName, who.RegNo, who.Room)
	}
	if err := s.loadEntered(ctx, b.io, a, r); err != nil {
		return Outcome{}, err
	}
	sk := studentKey{a.Year, a.Session, a.Exam, who.StudentID}
	if prev, ok := b.io.checked[sk]; ok {
		return reject("%s (%s) hyri më %s në vendin %d: vendi nuk ndërrohet (Neni 52.7).", who.FullName, who.RegNo, clock.Stamp(prev.at), prev.seat)
	}
	if excl := b.io.excluded[sk]; excl != "" {
		return reject("%s (%s) është përjashtuar nga provimi (Neni %s).", who.FullName, who.RegNo, excl)
	}
	// Neni 54.1: a candidate without an identity document is excluded.
	if docType == DocNone {
		if err := b.io.flush(ctx); err != nil {
			return Outcome{}, err
		}
		if err := s.exclude(ctx, p, a, who, Exclusion{Cause: "54.1", At: clock.Stored(arrived), Room: room.Name,
			Note: "Paraqitur në hyrje pa dokument identifikimi."}, now); err != nil {
			return Outcome{}, err
		}
		b.io.excluded[sk] = "54.1"
		o.Status = Excluded
		o.Message = fmt.Sprintf("%s (%s) nuk ka dokument identifikimi: përjashtohet nga provimi dhe rezultati nuk i njihet (Neni 54.1). U regjistrua në procesverbal.", who.FullName, who.RegNo)
		return remember(o)
	}
	if docType != DocPassport && docType != DocCertificate && docType != DocIDCard {
		return reject("Zgjidhni dokumentin e identifikimit që paraqiti kandidati: pasaportë, certifikatë personale me fotografi ose letërnjoftim (Neni 52.5).")
	}
	if len(docNo) < 4 || len(docNo) > 20 {
		return reject("Shënoni numrin e dokumentit të identifikimit (4–20 shenja) të %s (Neni 52.5).", who.FullName)
	}
	// Neni 52.7: seated one by one in the order of entry; 52.8: in
	// alphabetical order where the exam runs in one room.
	seat := who.Line
	if !r.singleRoom {
		next, ok := seats[room.ID]
		if !ok {
			if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COALESCE(MAX(seat_no), 0) FROM examday_checkins WHERE year = $1 AND session = $2 AND exam = $3 AND room_id = $4`,
				a.Year, a.Session, a.Exam, room.ID).Scan(&next); err != nil {
				return Outcome{}, fmt.Errorf("examday: seat: %w", err)
			}
		}
		seat = next + 1
		seats[room.ID] = seat
	}
	late := tm.Late(arrived)
	source := "room"
	reason := strings.TrimSpace(in.PaperReason)
	if paper {
		source = "paper"
	}
	b.io.admit(p, a, who, room, seat, docType, docNo, clock.Stored(arrived), late, source, reason, at)
	o.Status, o.Seat, o.Late = Admitted, seat, late
	o.Message = fmt.Sprintf("%s (%s) hyri në %s, vendi %d.", who.FullName, who.RegNo, hhmm(arrived), seat)
	if late {
		o.Message += fmt.Sprintf(" Erdhi pas fillimit (%s): provimi mbaron në %s për të gjithë, pa kohë shtesë (Neni 50.14).", hhmm(tm.Start), hhmm(tm.End))
	}
	return remember(o)
}

// Sync records what a room's device last said: how many check-ins it
// still holds unsent. The PAP sees from it which rooms are behind.
func (s *Service) Sync(ctx context.Context, p *auth.Principal, session int, exam, venue, room string, pending int) error {
	if session == 0 {
		session = 1
	}
	d, err := s.dayOf(ctx, exam, session)
	if err != nil {
		return err
	}
	a, err := s.access(ctx, p, d.year.Year, session, d.exam, venue)
	if err != nil {
		return err
	}
	if a.Viewer {
		return apperr.New(apperr.Forbidden, "Gjendjen e pajisjes së sallës e dërgon stafi i qendrës.")
	}
	r, err := s.rosterOf(ctx, d, a.Session, a.Venue)
	if err != nil {
		return err
	}
	var id int64
	for _, x := range r.rooms {
		if x.Name == strings.TrimSpace(room) {
			id = x.ID
		}
	}
	if id == 0 {
		return apperr.New(apperr.NotFound, "Salla «%s» nuk ka kandidatë në provimin %s në këtë qendër.", room, d.label())
	}
	if pending < 0 || pending > 100000 {
		return apperr.New(apperr.Invalid, "Numri i hyrjeve në pritje %d nuk është i mundur.", pending)
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		at := clock.Stored(s.db.Now(ctx))
		res, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE examday_room_sync SET pending = $1, seen_at = $2 WHERE year = $3 AND session = $4 AND exam = $5 AND room_id = $6`,
			pending, at, a.Year, a.Session, a.Exam, id)
		if err != nil {
			return fmt.Errorf("examday: sync: %w", err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return nil
		}
		_, err = s.db.Q(ctx).ExecContext(ctx, `INSERT INTO examday_room_sync (year, session, exam, room_id, venue_code, pending, seen_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			a.Year, a.Session, a.Exam, id, a.Venue, pending, at)
		if err != nil {
			return fmt.Errorf("examday: sync: %w", err)
		}
		return nil
	})
}

func trimKey(k string) string { return strings.TrimSpace(k) }
