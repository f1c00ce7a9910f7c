package examday

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
)

// Pack is the PAP's packing of a venue's materials after the exam (Neni
// 48.9–48.10, 53.5).
type Pack struct {
	Session int    `json:"session"`
	Exam    string `json:"exam"`
	Venue   string `json:"venue_code"`
	// UsedBooklets: the used test booklets counted as they are packed
	// (one per candidate present, Neni 48.10); required.
	UsedBooklets *int `json:"used_booklets"`
	// UnusedBooklets: the test booklets not given out, packed apart.
	UnusedBooklets int `json:"unused_booklets"`
	// UnusedLabels: per room (by name), the unused code labels counted
	// and sealed with the AS.
	UnusedLabels map[string]int `json:"unused_labels"`
	Note         string         `json:"note,omitempty"`
	// Explanation: why the counts do not agree, as the PAP found it (a
	// mistyped count, a booklet found elsewhere); with it the box closes
	// and the report carries it (Neni 48.10–48.11).
	Explanation string `json:"explanation,omitempty"`
}

// Packing is the recorded packing with its counts (the exam report of
// Neni 48.11 is made from it).
type Packing struct {
	Present        int      `json:"present"`
	UsedBooklets   int      `json:"used_booklets"`
	SpoiltBooklets int      `json:"spoilt_booklets"`
	UnusedBooklets int      `json:"unused_booklets"`
	UnusedLabels   int      `json:"unused_labels"`
	Balanced       bool     `json:"balanced"`
	Problems       []string `json:"problems"`
	// Explanation is the PAP's account of the problems: the box closes
	// with it (Closes), once the unused labels are sealed.
	Explanation string `json:"explanation,omitempty"`
	// LabelsSealed: every room's unused labels were counted and sealed
	// (Neni 53.5), through the system's codes; no explanation stands in
	// for it.
	LabelsSealed bool   `json:"labels_sealed"`
	Note         string `json:"note,omitempty"`
	PackedBy     string `json:"packed_by"`
	PackedAt     string `json:"packed_at"`
}

// Closes reports whether the box of the materials may close with this
// packing: its counts agree, or the PAP explained why they do not and
// the unused labels of every room are sealed (Neni 53.5: the anonymity
// of the codes is not a count to explain).
func (pk *Packing) Closes() bool { return pk.Balanced || pk.Explanation != "" && pk.LabelsSealed }

// minExplanation is the shortest explanation taken (in letters).
const minExplanation = 10

// PackMaterials records the packing of a venue's materials by its PAP,
// once the exam is over (Neni 48.10): every candidate still in the room
// handed in at the end (Neni 50.14); the unused labels of each room are
// sealed through package anonym (Neni 53.5); the counts are checked —
// booklets used as counted, one per candidate present; used + replaced +
// unused = booklets in the package; and per room codes used + unused =
// printed, with used equal to the candidates labelled. The packing is
// kept either way, with what does not balance: the box closes (custody)
// only when it balances or the PAP explains why it does not (Closes; the
// explanation goes with the report, Neni 48.11). Packing again replaces
// the counts; a sealed count of labels is not changed (Neni 53.5): a
// mistyped one is explained.
func (s *Service) PackMaterials(ctx context.Context, p *auth.Principal, in Pack) (Packing, error) {
	if in.Session == 0 {
		in.Session = 1
	}
	d, err := s.dayOf(ctx, in.Exam, in.Session)
	if err != nil {
		return Packing{}, err
	}
	var out Packing
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		a, err := s.access(ctx, p, d.year.Year, in.Session, d.exam, strings.TrimSpace(in.Venue))
		if err != nil {
			return err
		}
		if a.Viewer || a.Role != auth.RolePAP {
			return apperr.New(apperr.Forbidden, "Materialet e provimit i paketon PAP i qendrës (Neni 48.9–48.10).")
		}
		now := s.db.Now(ctx)
		if now.Before(d.timing.End) {
			return apperr.New(apperr.Conflict, "Test-broshurat e përdorura paketohen pas përfundimit të provimit, në %s (Neni 48.10).", hhmm(d.timing.End))
		}
		if in.UnusedBooklets < 0 {
			return apperr.New(apperr.Invalid, "Numri i test-broshurave të papërdorura nuk mund të jetë negativ.")
		}
		if in.UsedBooklets == nil {
			return apperr.New(apperr.Invalid, "Shkruani numrin e test-broshurave të përdorura, të numëruara gjatë paketimit (Neni 48.10).")
		}
		used := *in.UsedBooklets
		if used < 0 {
			return apperr.New(apperr.Invalid, "Numri i test-broshurave të përdorura nuk mund të jetë negativ.")
		}
		explanation := clean(in.Explanation, 2000)
		if explanation != "" && utf8.RuneCountInString(explanation) < minExplanation {
			return apperr.New(apperr.Invalid, "Sqarimi i numërimit duhet të thotë çfarë ndodhi (të paktën %d shkronja).", minExplanation)
		}
		r, err := s.rosterOf(ctx, d, a.Session, a.Venue)
		if err != nil {
			return err
		}
		// Whoever had not handed in did so at the end: nobody has extra
		// time (Neni 50.14).
		if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE examday_checkins SET left_at = $1 WHERE year = $2 AND session = $3 AND exam = $4 AND venue_code = $5 AND left_at = ''`,
			clock.Stored(d.timing.End), a.Year, a.Session, a.Exam, a.Venue); err != nil {
			return fmt.Errorf("examday: pack: %w", err)
		}
		labels := s.labelsOf()
		sealed := map[string]int{}
		var before []LabelCount
		if labels != nil {
			if before, err = labels.Counts(ctx, a.Year, a.test(), a.Venue); err != nil {
				return err
			}
			for _, c := range before {
				if c.Sealed {
					sealed[c.Room] = c.Unused
				}
			}
		}
		unusedLabels := 0
		for name, n := range in.UnusedLabels {
			if n < 0 {
				return apperr.New(apperr.Invalid, "Numri i etiketave të papërdorura të sallës «%s» nuk mund të jetë negativ.", name)
			}
			if r.roomByName(name) == nil {
				return apperr.New(apperr.NotFound, "Salla «%s» nuk ka kandidatë në provimin %s në këtë qendër.", name, a.ExamLabel)
			}
			unusedLabels += n
			// A room sealed before with the same count is not sealed again
			// (package anonym refuses to change a sealed count).
			if m, ok := sealed[name]; ok && m == n {
				continue
			}
			if labels != nil {
				if err := labels.SealUnused(ctx, p, a.Year, a.test(), a.Venue, name, n); err != nil {
					return err
				}
			}
		}
		var present, spoilt int
		if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM examday_checkins WHERE year = $1 AND session = $2 AND exam = $3 AND venue_code = $4`,
			a.Year, a.Session, a.Exam, a.Venue).Scan(&present); err != nil {
			return fmt.Errorf("examday: pack: %w", err)
		}
		if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM examday_events WHERE year = $1 AND session = $2 AND exam = $3 AND venue_code = $4 AND kind = 'booklet'`,
			a.Year, a.Session, a.Exam, a.Venue).Scan(&spoilt); err != nil {
			return fmt.Errorf("examday: pack: %w", err)
		}
		out = Packing{Present: present, UsedBooklets: used, SpoiltBooklets: spoilt, UnusedBooklets: in.UnusedBooklets, UnusedLabels: unusedLabels,
			Problems: []string{}, Note: clean(in.Note, 2000), PackedBy: p.Username, PackedAt: clock.Stored(now)}
		if used != present {
			out.Problems = append(out.Problems, fmt.Sprintf("Test-broshurat e përdorura: %d të numëruara, por %d kandidatë të pranishëm; secili dorëzon një (Neni 48.10).", used, present))
		}
		m, found, err := s.custody.MaterialsAt(ctx, a.Year, a.Session, a.Exam, a.Venue)
		if err != nil {
			return err
		}
		if found && m.Booklets != used+spoilt+in.UnusedBooklets {
			out.Problems = append(out.Problems, fmt.Sprintf("Test-broshurat: %d në paketë, por %d të përdorura + %d të ndërruara + %d të papërdorura = %d (Neni 48.9–48.10).",
				m.Booklets, used, spoilt, in.UnusedBooklets, used+spoilt+in.UnusedBooklets))
		}
		labelled := map[int64]int{}
		// Counted here, not by GROUP BY room_id: SQLite then walks the
		// room index of the whole exam instead of the venue's rows.
		rows, err := s.db.Q(ctx).QueryContext(ctx, `SELECT room_id FROM examday_checkins WHERE year = $1 AND session = $2 AND exam = $3 AND venue_code = $4 AND labelled_at <> ''`,
			a.Year, a.Session, a.Exam, a.Venue)
		if err != nil {
			return fmt.Errorf("examday: pack: %w", err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			labelled[id]++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		out.LabelsSealed = labels != nil
		if labels == nil {
			out.Problems = append(out.Problems, "Numërimi i kodeve nuk mund të kontrollohet: etiketat nuk janë lidhur me sistemin.")
		} else {
			// The counts after sealing: those read before, with the rooms
			// sealed now.
			for i, c := range before {
				if n, ok := in.UnusedLabels[c.Room]; ok && !c.Sealed {
					before[i].Sealed, before[i].Unused, before[i].Balanced = true, n, c.Printed == c.Used+n
				}
			}
			for _, c := range before {
				room := r.roomByName(c.Room)
				switch {
				case !c.Sealed:
					out.LabelsSealed = false
					out.Problems = append(out.Problems, fmt.Sprintf("Salla «%s»: etiketat e papërdorura nuk janë numëruar e mbyllur (Neni 53.5); kjo nuk sqarohet, numërohen e mbyllen.", c.Room))
				case !c.Balanced:
					out.Problems = append(out.Problems, fmt.Sprintf("Salla «%s»: %d kode të shtypura, por %d të përdorura + %d të papërdorura (Neni 53.5).", c.Room, c.Printed, c.Used, c.Unused))
				}
				if room != nil && c.Used != labelled[room.ID] {
					out.Problems = append(out.Problems, fmt.Sprintf("Salla «%s»: %d kode të përdorura, por %d kandidatë me etiketa.", c.Room, c.Used, labelled[room.ID]))
				}
			}
		}
		out.Balanced = len(out.Problems) == 0
		if !out.Balanced {
			out.Explanation = explanation
		}
		report, _ := json.Marshal(out)
		if _, err := s.db.Q(ctx).ExecContext(ctx, `DELETE FROM examday_packing WHERE year = $1 AND session = $2 AND exam = $3 AND venue_code = $4`,
			a.Year, a.Session, a.Exam, a.Venue); err != nil {
			return fmt.Errorf("examday: pack: %w", err)
		}
		if _, err := s.db.Q(ctx).ExecContext(ctx, `INSERT INTO examday_packing (year, session, exam, venue_code, present, used_booklets, spoilt_booklets, unused_booklets,
			unused_labels, balanced, report, packed_by, packed_at, explained) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			a.Year, a.Session, a.Exam, a.Venue, present, used, spoilt, in.UnusedBooklets, unusedLabels, out.Balanced, string(report), p.Username, clock.Stored(now), !out.Balanced && out.Closes()); err != nil {
			return fmt.Errorf("examday: pack: %w", err)
		}
		return audit.Add(ctx, p.Actor(), "pack", "examday_venue", a.Venue+"/"+a.Exam, nil, map[string]any{
			"session": a.Session, "present": present, "used_booklets": used, "spoilt": spoilt, "unused_booklets": in.UnusedBooklets, "unused_labels": unusedLabels,
			"balanced": out.Balanced, "problems": out.Problems, "explanation": out.Explanation})
	})
	return out, err
}

func (r *roster) roomByName(name string) *Room {
	name = strings.TrimSpace(name)
	for i := range r.rooms {
		if r.rooms[i].Name == name {
			return &r.rooms[i]
		}
	}
	return nil
}

// packing is the recorded packing of a venue, nil before it.
func (s *Service) packing(ctx context.Context, a Assignment) (*Packing, error) {
	var body string
	err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT report FROM examday_packing WHERE year = $1 AND session = $2 AND exam = $3 AND venue_code = $4`,
		a.Year, a.Session, a.Exam, a.Venue).Scan(&body)
	if isNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("examday: packing: %w", err)
	}
	var pk Packing
	if err := json.Unmarshal([]byte(body), &pk); err != nil {
		return nil, fmt.Errorf("examday: packing: %w", err)
	}
	return &pk, nil
}

// ReturnCheck is custody's hook (custody.SetReturnCheck): the box of a
// venue's materials closes only when the exam day's counts balance, or
// the PAP explained why they do not (Neni 48.9–48.11, 53.5); it closes
// with the counts (CountsLine) in its notes. A venue whose exam day was
// not run through the system (no check-in recorded) is left to the paper
// procesverbal.
func (s *Service) ReturnCheck(ctx context.Context, year, session int, exam, venue string) (string, error) {
	var n int
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM examday_checkins WHERE year = $1 AND session = $2 AND exam = $3 AND venue_code = $4`,
		year, session, exam, venue).Scan(&n); err != nil {
		return "", fmt.Errorf("examday: return: %w", err)
	}
	if n == 0 {
		return "", nil
	}
	pk, err := s.packing(ctx, Assignment{Year: year, Session: session, Exam: exam, Venue: venue})
	if err != nil {
		return "", err
	}
	if pk == nil {
		return "", apperr.New(apperr.Conflict, "Kutia nuk mbyllet: PAP nuk ka regjistruar ende paketimin dhe numërimin e materialeve të provimit (Neni 48.9–48.10, 53.5).")
	}
	if n != pk.Present {
		return "", apperr.New(apperr.Conflict, "Kutia nuk mbyllet: pas paketimit u regjistruan hyrje të tjera (%d kandidatë të pranishëm, paketimi numëroi %d). Numëroni dhe paketoni përsëri (Neni 48.10).", n, pk.Present)
	}
	if !pk.Closes() {
		return "", &apperr.Error{Code: apperr.Conflict, Message: "Kutia nuk mbyllet: numërimi i materialeve nuk përputhet. Numëroni dhe paketoni përsëri, ose shkruani në paketim sqarimin e asaj që ndodhi (Neni 48.9–48.11, 53.5).", Details: pk.Problems}
	}
	return pk.CountsLine(), nil
}

// CountsLine is the packing's counts as the box's hand-over notes them.
func (pk *Packing) CountsLine() string {
	line := fmt.Sprintf("Numërimi i PAP (Neni 48.10): %d kandidatë të pranishëm; test-broshura %d të përdorura, %d të ndërruara, %d të papërdorura; %d etiketa kodi të papërdorura, të mbyllura",
		pk.Present, pk.UsedBooklets, pk.SpoiltBooklets, pk.UnusedBooklets, pk.UnusedLabels)
	if pk.Balanced {
		return line + "; përputhet."
	}
	return line + "; nuk përputhet, sqarimi i PAP: " + pk.Explanation
}
