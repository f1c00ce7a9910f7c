package draw

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"provim/internal/clock"
	"provim/internal/doc"
	"provim/internal/registry"
)

// Line is one row of the staff assignment list of a drawn exam.
type Line struct {
	Venue     string `json:"venue"`
	VenueName string `json:"venue_name"`
	Room      string `json:"room"` // "" for the whole venue
	Role      string `json:"role"`
	Ref       string `json:"ref"` // the entry of the published list
	StaffID   int64  `json:"staff_id,omitempty"`
	Name      string `json:"name,omitempty"` // as the lists were sealed, "Mbiemër Emër (Atësi)"
	// DisplayName is Name as the PDFs and pages print it, "Emër (Atësi)
	// Mbiemër" (Person.DisplayName, issue 11).
	DisplayName string `json:"display_name,omitempty"`
	School      string `json:"school,omitempty"`
}

// DisplayName is how the pages and PDFs of a draw name a person: "Emër
// (Atësi) Mbiemër", registry.PersonName, the one name format (issue 11).
// Name itself stays as the lists were sealed, "Mbiemër Emër (Atësi)":
// it is part of each entry's keyed hash (Tag), so the published record,
// its inputs hash and commitment, and what `provim draw verify`
// recomputes do not change; only the printing does.
func (p Person) DisplayName() string { return displayName(p.Name) }

// DisplayName is Person.DisplayName of an excluded person.
func (e Excluded) DisplayName() string { return displayName(e.Name) }

// displayName turns a sealed name, "Mbiemër Emër (Atësi)" as the lists
// write it, into registry.PersonName's "Emër (Atësi) Mbiemër". The
// surname is the first word of the sealed name (a first name may have
// more than one); a name not in the sealed form is printed as it is.
func displayName(sealed string) string {
	rest, father := strings.TrimSpace(sealed), ""
	if strings.HasSuffix(rest, ")") {
		if i := strings.LastIndex(rest, " ("); i >= 0 {
			rest, father = rest[:i], rest[i+2:len(rest)-1]
		} else if strings.HasPrefix(rest, "(") {
			rest, father = "", rest[1:len(rest)-1]
		}
	}
	last, first, _ := strings.Cut(strings.TrimSpace(rest), " ")
	if last == "" && father == "" {
		return sealed
	}
	return registry.PersonName(first, father, last)
}

// Lines is the staff assignment list of a drawn record: venue by venue in
// the drawn order, then by role and room, each person named from the
// lists, and as printed, "Emër (Atësi) Mbiemër" (DisplayName); on a
// published record only by the entry's ref.
func Lines(rec Record) []Line {
	people := map[string]Person{}
	for _, p := range rec.Inputs.Pool {
		people[p.Ref] = p
	}
	venues := map[string]*Venue{}
	rooms := map[int64]string{}
	for i := range rec.Inputs.Venues {
		v := &rec.Inputs.Venues[i]
		venues[v.Code] = v
		for _, r := range v.Rooms {
			rooms[r.ID] = r.Name
		}
	}
	byVenue := map[string][]Assignment{}
	for _, a := range rec.Result {
		byVenue[a.Venue] = append(byVenue[a.Venue], a)
	}
	var out []Line
	for _, code := range rec.VenueOrder {
		v := venues[code]
		for _, role := range Roles {
			for _, a := range byVenue[code] {
				if a.Role != role {
					continue
				}
				p := people[a.Ref]
				shown := p.DisplayName()
				if n, ok := rec.printed[a.Ref]; ok && p.Name != "" {
					shown = n
				}
				out = append(out, Line{Venue: code, VenueName: v.Name, Room: rooms[a.RoomID], Role: role, Ref: a.Ref, StaffID: a.StaffID,
					Name: p.Name, DisplayName: shown, School: p.School})
			}
		}
	}
	return out
}

// RepeatLabel says, for a draw repeated for the same exam and DAR/ZA
// (Seq above 1), which repetition it is, e.g. " (shorti i 2-të për këtë
// provim)"; "" for the first. A draw's one public number is its ID: the
// page, the PDFs, the published record and `provim draw verify --id` all
// use it.
func RepeatLabel(seq int) string {
	if seq <= 1 {
		return ""
	}
	return fmt.Sprintf(" (shorti i %d-të për këtë provim)", seq)
}

func header(rec Record) []string {
	return []string{
		fmt.Sprintf("Shorti nr. %d%s — provimi %s, sesioni %d, viti %d — DAR/ZA %s", rec.ID, RepeatLabel(rec.Seq), rec.Exam, rec.Session, rec.Year, rec.Unit),
		"Neni 10.9, 44, 47.5–47.7 i Rregullores së Maturës Shtetërore",
	}
}

// Protocol is the draw protocol: inputs, commitment, entropy, seed and
// result, so that the printed sheet alone allows a check with `provim
// draw verify` against the published record. now is when it is printed.
func Protocol(rec Record, now time.Time) doc.Table {
	var rows [][]string
	add := func(k, v string) { rows = append(rows, []string{k, v}) }
	add("Algoritmi", "provim-shorti-v"+strconv.Itoa(rec.Version)+": HMAC-SHA256, me farën si çelës, mbi gjurmën e listave dhe entropinë, jep numrat që përziejnë listat me metodën Fisher–Yates; hapat janë në faqen publike të shortit, që çdokush ta rillogarisë")
	if rec.Reason != "" {
		add("Arsyeja e shortit të ri", rec.Reason)
	}
	add("Angazhimi u publikua, para shortit", clock.Stamp(rec.CommittedAt)+" nga "+rec.CommittedBy)
	add("Angazhimi (SHA-256)", rec.Commitment)
	add("Gjurma e listave (SHA-256)", rec.InputsHash)
	t := Totals(rec.Inputs.Venues)
	add("Qendra / kandidatë", fmt.Sprintf("%d / %d", len(rec.Inputs.Venues), t["candidates"]))
	add("Nevojat", fmt.Sprintf("PAP %d, përfaqësues KMSH %d, AS %d, AP %d (administratorë kati sipas zgjedhjes: %d)",
		t[RolePAP], t[RoleKMSH], t[RoleAS], t[RoleAP], t["floor_admins"]))
	count := map[string]int{}
	for _, p := range rec.Inputs.Pool {
		count[p.Role]++
	}
	add("Listat emërore", fmt.Sprintf("PAP %d, KMSH %d, AS %d, AP %d; të përjashtuar (Neni 9): %d",
		count[RolePAP], count[RoleKMSH], count[RoleAS], count[RoleAP], len(rec.Inputs.Excluded)))
	if rec.Status == StatusDrawn {
		add("Shorti u hodh", clock.Stamp(rec.DrawnAt)+" nga "+rec.DrawnBy)
		add("Entropia e të pranishmëve", rec.Entropy)
		add("Fara", rec.Seed)
		var order string
		for i, v := range rec.VenueOrder {
			if i > 0 {
				order += ", "
			}
			order += v
		}
		add("Renditja e qendrave (Neni 47.6)", order)
		for _, l := range Lines(rec) {
			place := l.VenueName + " (" + l.Venue + ")"
			if l.Room != "" {
				place += " — " + l.Room
			}
			add(l.Role+" — "+place, l.DisplayName)
		}
	} else {
		add("Gjendja", "Angazhimi është publikuar; shorti nuk është hedhur ende.")
	}
	add("Si lexohen vlerat", "Gjurma e listave është gjurma SHA-256 e listave të publikuara (qendrat, nevojat, hyrjet e listave emërore): "+
		"çdo ndryshim i tyre e ndryshon. Fara është numri i fshehtë i zgjedhur para shortit dhe i publikuar pas tij; angazhimi, "+
		"gjurma e farës dhe e listave, u publikua para shortit, ndaj fara nuk mund të ndërrohej pa u vënë re. Entropia është ajo që "+
		"dhanë të pranishmit në çastin e shortit. Nga fara, listat dhe entropia, çdokush e rillogarit shortin me hapat e faqes publike.")
	return doc.Table{
		Title:     "Procesverbali i shortit të personelit të provimit",
		Subtitle:  header(rec),
		Columns:   []doc.Column{{Title: "Elementi", Width: 2}, {Title: "Vlera", Width: 3}},
		Rows:      rows,
		Footer:    []string{"Kryetari i KMSH: ____________________", "Anëtarët e pranishëm: ____________________"},
		Generated: now,
	}
}

// AssignmentList is the staff assignment list of a drawn exam, venue by
// venue, with a column for each person's signature.
func AssignmentList(rec Record, now time.Time) doc.Table {
	var rows [][]string
	for i, l := range Lines(rec) {
		rows = append(rows, []string{strconv.Itoa(i + 1), l.VenueName + " (" + l.Venue + ")", l.Room, RoleLabel(l.Role), l.DisplayName, ""})
	}
	return doc.Table{
		Title:    "Lista e caktimit të personelit sipas qendrave",
		Subtitle: header(rec),
		Columns: []doc.Column{{Title: "Nr.", Width: 0.5, Align: "R"}, {Title: "Qendra", Width: 3}, {Title: "Salla", Width: 1.2},
			{Title: "Roli", Width: 2.2}, {Title: "Emri", Width: 2.5}, {Title: "Firma", Width: 1.5}},
		Rows:      rows,
		Landscape: true,
		Generated: now,
	}
}
