package venue

import (
	"fmt"
	"sort"
	"strings"

	"provim/internal/albanian"
)

// The numbers of Neni 38.
const (
	MinRoomSeats  = 15  // Neni 38.1: the smallest room holds at least 15
	MinSpacingCM  = 120 // Neni 38.2: ≥ 120 cm between students, both ways
	MinDeskWidth  = 60  // Neni 38.7: writing surface at least 40 × 60 cm, either way round
	MinDeskDepth  = 40  // Neni 38.7
	FrontCM       = 100 // kept free at the front of a room (administrators' desk, door); not in the regulation
	SmallSchool   = 20  // Neni 39: schools with ≤ 20 candidates are grouped
	planBatchRows = 100 // rows per multi-row INSERT of a plan
)

// Criterion is one criterion of Neni 38.
type Criterion struct {
	Code  string `json:"code"` // "38.1" … "38.8"
	Label string `json:"label"`
}

// Criteria are the criteria of Neni 38, in the regulation's order.
var Criteria = []Criterion{
	{"38.1", "Salla më e vogël e përdorur mban të paktën 15 nxënës"},
	{"38.2", "Largësia ndërmjet nxënësve të paktën 120 cm, majtas-djathtas dhe para-prapa"},
	{"38.3", "Në ditën e provimit nuk zhvillohen aktivitete të tjera që ndërpresin provimin"},
	{"38.4", "Mjediset janë të ajrosura dhe të ndriçuara"},
	{"38.5", "Nuk ka postera, tabela apo materiale që lidhen me lëndën e provimit"},
	{"38.6", "Nxënësit ulen me fytyrë në të njëjtin drejtim"},
	{"38.7", "Sipërfaqja e shkrimit për çdo nxënës të paktën 40 × 60 cm"},
	{"38.8", "Mjedisi ka komunikim me rrugë automobilistike"},
}

// CriterionLabel is the Albanian text of a criterion code.
func CriterionLabel(code string) string {
	for _, c := range Criteria {
		if c.Code == code {
			return c.Label
		}
	}
	return code
}

// Checklist is what the inspector records for a venue (Neni 37–38).
type Checklist struct {
	// SpacingCM is the distance set between neighbouring students, seat
	// to seat, across and front to back (Neni 38.2).
	SpacingCM int `json:"spacing_cm"`
	// DeskWidthCM × DeskDepthCM is each student's writing surface (Neni 38.7).
	DeskWidthCM     int  `json:"desk_width_cm"`
	DeskDepthCM     int  `json:"desk_depth_cm"`
	OneDirection    bool `json:"one_direction"`     // Neni 38.6
	AiredLit        bool `json:"aired_lit"`         // Neni 38.4
	NoPosters       bool `json:"no_posters"`        // Neni 38.5
	NoOtherActivity bool `json:"no_other_activity"` // Neni 38.3
	RoadAccess      bool `json:"road_access"`       // Neni 38.8
}

// RoomSeats is the number of students a room seats under Neni 38.2 and
// 38.7, from its length (front to back) and width (across), in cm:
//
//	columns = ⌊(width − desk width) / spacing⌋ + 1
//	rows    = ⌊(length − 100 − desk depth) / spacing⌋ + 1
//	seats   = rows × columns, at most the room's desks (declared > 0)
//
// Students sit at desks of the inspected size, one student per desk,
// with the inspected distance (never less than 120 cm) between
// neighbouring students, measured seat to seat in both directions
// (Neni 38.2), all facing the front (Neni 38.6); the first 100 cm at the
// front are kept free for the administrators and the door. A room too
// narrow or too short for one desk seats nobody.
func RoomSeats(lengthCM, widthCM, declared int, c Checklist) int {
	spacing := max(c.SpacingCM, MinSpacingCM)
	deskW, deskD := c.DeskWidthCM, c.DeskDepthCM
	if !DeskMeets387(deskW, deskD) {
		deskW, deskD = MinDeskWidth, MinDeskDepth // a desk of the smallest surface allowed
	}
	if widthCM < deskW || lengthCM-FrontCM < deskD {
		return 0
	}
	cols := (widthCM-deskW)/spacing + 1
	rows := (lengthCM-FrontCM-deskD)/spacing + 1
	n := rows * cols
	if declared > 0 {
		n = min(n, declared)
	}
	return n
}

// DeskMeets387 reports whether a writing surface of width × depth cm is at
// least 40 × 60 cm. Neni 38.7 gives no orientation: 60 wide and 40 deep
// and 40 wide and 60 deep both meet it.
func DeskMeets387(widthCM, depthCM int) bool {
	short, long := min(widthCM, depthCM), max(widthCM, depthCM)
	return short >= MinDeskDepth && long >= MinDeskWidth
}

// failedCriteria returns the codes of the criteria of Neni 38 the
// checklist does not meet; usableRooms is how many rooms seat ≥ 15.
func failedCriteria(c Checklist, usableRooms int) []string {
	var out []string
	if usableRooms == 0 {
		out = append(out, "38.1")
	}
	if c.SpacingCM < MinSpacingCM {
		out = append(out, "38.2")
	}
	if !c.NoOtherActivity {
		out = append(out, "38.3")
	}
	if !c.AiredLit {
		out = append(out, "38.4")
	}
	if !c.NoPosters {
		out = append(out, "38.5")
	}
	if !c.OneDirection {
		out = append(out, "38.6")
	}
	if !DeskMeets387(c.DeskWidthCM, c.DeskDepthCM) {
		out = append(out, "38.7")
	}
	if !c.RoadAccess {
		out = append(out, "38.8")
	}
	return out
}

// describeFailed is the sentence naming failed criteria.
func describeFailed(codes []string) string {
	var parts []string
	for _, c := range codes {
		parts = append(parts, fmt.Sprintf("Neni %s (%s)", c, CriterionLabel(c)))
	}
	return strings.Join(parts, "; ")
}

// ---- the plan ----

// pVenue is a suitable venue with its usable rooms, as the planner sees it.
type pVenue struct {
	Code, Name, Unit, City, School string
	Public                         bool // the building is a public school's (Neni 39)
	Rooms                          []pRoom
	Seats                          int
}

type pRoom struct {
	ID    int64
	Name  string
	Floor int
	Seats int
}

type pSchool struct {
	Code, Name, Unit, City string
	Public                 bool
	Cands                  []*pCand
}

type pCand struct {
	ID      int64
	School  string
	SortKey []byte
	Venue   string
	Room    int64
	Seat    int
}

// pGroup explains why a school's candidates sit in a venue.
type pGroup struct {
	School, Venue string
	Candidates    int
	Reason        string
}

// shortage is the error of a unit whose suitable venues cannot seat its
// candidates.
type shortage struct {
	Unit, UnitName, What string
	Need, Have           int
}

func (e *shortage) Error() string {
	return fmt.Sprintf("DAR/ZA %s (%s): %d kandidatë %s, por qendrat e përshtatshme kanë vetëm %d vende të lira.", e.UnitName, e.Unit, e.Need, e.What, e.Have)
}

// planUnit places the candidates of one unit's schools in the unit's
// suitable venues. It is deterministic: schools and venues are taken in
// a fixed order (sizes, cities, codes) and ties end on codes.
//
// Mandatory exams (Neni 39):
//  1. a public school with more than 20 candidates sits in its own
//     building, as far as its seats go;
//  2. every other school — 20 candidates or fewer, non-public, without a
//     suitable building of its own, or the part of a large school its
//     building cannot seat — is grouped into a shared venue: a venue
//     already open in the same city, then one open in the DAR/ZA's city,
//     then any open venue, and only then a new venue (same city first,
//     largest first); the candidates of non-public schools only in
//     public schools' buildings.
//
// Elective exams (Neni 40): only in the venues of the DAR/ZA's city,
// largest venue first, each school kept together where a venue can take
// it whole.
func planUnit(u unit, elective bool, schools []*pSchool, venues []*pVenue) ([]pGroup, error) {
	remaining := map[string]int{}
	for _, v := range venues {
		remaining[v.Code] = v.Seats
	}
	opened := map[string]bool{}
	var groups []pGroup
	place := func(s *pSchool, cands []*pCand, v *pVenue, reason string) {
		for _, c := range cands {
			c.Venue = v.Code
		}
		remaining[v.Code] -= len(cands)
		opened[v.Code] = true
		groups = append(groups, pGroup{School: s.Code, Venue: v.Code, Candidates: len(cands), Reason: reason})
	}
	eligible := func(s *pSchool, v *pVenue) bool {
		if elective && !sameCity(v.City, u.City) {
			return false // Neni 40
		}
		return s.Public || v.Public // Neni 39 ¶3
	}
	total, free := 0, 0
	for _, s := range schools {
		total += len(s.Cands)
	}
	for _, v := range venues {
		free += v.Seats
	}
	what := "në provimet e detyruara"
	if elective {
		what = "në provimin me zgjedhje (vetëm në qytetin " + u.City + ", Neni 40)"
		free = 0
		for _, v := range venues {
			if sameCity(v.City, u.City) {
				free += v.Seats
			}
		}
	}
	if total > free {
		return nil, &shortage{Unit: u.Code, UnitName: u.Name, What: what, Need: total, Have: free}
	}

	type part struct {
		s     *pSchool
		cands []*pCand
		why   string
	}
	var rest []part
	if elective {
		// Largest venues first (Neni 40 "mundësisht në mjedise të mëdha").
		sort.SliceStable(venues, func(i, j int) bool {
			if venues[i].Seats != venues[j].Seats {
				return venues[i].Seats > venues[j].Seats
			}
			return venues[i].Code < venues[j].Code
		})
		for _, s := range schools {
			rest = append(rest, part{s, s.Cands, fmt.Sprintf("Provim me zgjedhje: vetëm në qytetin e DAR/ZA-së (%s), në qendrat më të mëdha (Neni 40).", u.City)})
		}
	} else {
		own := map[string]*pVenue{}
		for _, v := range venues {
			if v.School != "" {
				own[v.School] = v
			}
		}
		for _, s := range schools {
			n := len(s.Cands)
			v := own[s.Code]
			switch {
			case !s.Public:
				rest = append(rest, part{s, s.Cands, fmt.Sprintf("Shkollë jopublike (%d kandidatë): në mjedisin e një shkolle publike (Neni 39 ¶3).", n)})
			case n <= SmallSchool:
				rest = append(rest, part{s, s.Cands, fmt.Sprintf("Shkollë me %d kandidatë (≤ %d): grupohet në një qendër të përbashkët (Neni 39).", n, SmallSchool)})
			case v == nil:
				rest = append(rest, part{s, s.Cands, fmt.Sprintf("Shkolla (%d kandidatë) nuk ka mjedis të vetin të inspektuar si të përshtatshëm: vendoset në një qendër tjetër.", n)})
			case remaining[v.Code] >= n:
				place(s, s.Cands, v, fmt.Sprintf("Në mjedisin e vet (%d kandidatë).", n))
			default:
				k := remaining[v.Code]
				if k > 0 {
					place(s, s.Cands[:k], v, fmt.Sprintf("Në mjedisin e vet: %d nga %d kandidatë (aq sa ka vende).", k, n))
				}
				rest = append(rest, part{s, s.Cands[k:], fmt.Sprintf("%d kandidatë që nuk zënë vend në mjedisin e shkollës (%d vende) vendosen në një qendër tjetër.", n-k, v.Seats)})
			}
		}
	}
	// Grouping order: by city, then school code; the venues by the
	// preference tiers above.
	sort.SliceStable(rest, func(i, j int) bool {
		if rest[i].s.City != rest[j].s.City {
			return rest[i].s.City < rest[j].s.City
		}
		return rest[i].s.Code < rest[j].s.Code
	})
	tier := func(s *pSchool, v *pVenue) int {
		t := 0
		switch {
		case sameCity(v.City, s.City):
		case sameCity(v.City, u.City):
			t = 1
		default:
			t = 2
		}
		if !opened[v.Code] && !elective {
			t += 3
		}
		return t
	}
	for _, pt := range rest {
		cands := pt.cands
		var choice []*pVenue
		for _, v := range venues {
			if eligible(pt.s, v) && remaining[v.Code] > 0 {
				choice = append(choice, v)
			}
		}
		if !elective {
			sort.SliceStable(choice, func(i, j int) bool {
				ti, tj := tier(pt.s, choice[i]), tier(pt.s, choice[j])
				if ti != tj {
					return ti < tj
				}
				if remaining[choice[i].Code] != remaining[choice[j].Code] {
					return remaining[choice[i].Code] > remaining[choice[j].Code]
				}
				return choice[i].Code < choice[j].Code
			})
		}
		// The first venue that takes the whole part; otherwise split in
		// the same order.
		whole := false
		for _, v := range choice {
			if remaining[v.Code] >= len(cands) {
				place(pt.s, cands, v, pt.why+" Qendra: "+v.Name+", "+v.City+".")
				whole = true
				break
			}
		}
		if whole {
			continue
		}
		for _, v := range choice {
			if len(cands) == 0 {
				break
			}
			k := min(remaining[v.Code], len(cands))
			place(pt.s, cands[:k], v, pt.why+fmt.Sprintf(" Asnjë qendër nuk i merr të gjithë: %d prej tyre në %s, %s.", k, v.Name, v.City))
			cands = cands[k:]
		}
		if len(cands) > 0 {
			have := 0
			for _, v := range choice {
				have += remaining[v.Code]
			}
			what := "të shkollës " + pt.s.Name + " (" + pt.s.Code + ")"
			if !pt.s.Public {
				what = "të shkollës jopublike " + pt.s.Name + " (" + pt.s.Code + "), vetëm në mjedise të shkollave publike (Neni 39),"
			}
			return nil, &shortage{Unit: u.Code, UnitName: u.Name, What: what, Need: len(cands), Have: have}
		}
	}
	return groups, nil
}

// seatRooms spreads a venue's candidates over its rooms and numbers the
// seats. The candidates are taken in Albanian alphabetical order and the
// rooms are filled in the order of floor and name, so every room's list
// is alphabetical and the lists follow one another. The venue uses as few
// rooms as it can (largest first) and spreads the candidates evenly over
// them, so no room is left with a handful.
//
// The seat number is the line of the candidate on the room's name list.
// Where the exam runs in a single room, students sit in that order
// (Neni 52.8: alphabetical); where it runs in several rooms, they sit one
// by one in the order they enter (Neni 52.7), and the printed list leaves
// the seat column empty for the administrator.
func seatRooms(v *pVenue, cands []*pCand) {
	sort.SliceStable(cands, func(i, j int) bool {
		if c := strings.Compare(string(cands[i].SortKey), string(cands[j].SortKey)); c != 0 {
			return c < 0
		}
		return cands[i].ID < cands[j].ID
	})
	rooms := make([]*pRoom, len(v.Rooms))
	for i := range v.Rooms {
		rooms[i] = &v.Rooms[i]
	}
	bySize := append([]*pRoom(nil), rooms...)
	sort.SliceStable(bySize, func(i, j int) bool { return bySize[i].Seats > bySize[j].Seats })
	var use []*pRoom
	capacity := 0
	for _, r := range bySize {
		if capacity >= len(cands) {
			break
		}
		use = append(use, r)
		capacity += r.Seats
	}
	sort.SliceStable(use, func(i, j int) bool { return roomLess(use[i], use[j]) })
	left, leftCap := len(cands), capacity
	next := 0
	for _, r := range use {
		share := min(r.Seats, (left*r.Seats+leftCap-1)/max(leftCap, 1))
		for k := 0; k < share; k++ {
			c := cands[next]
			c.Room, c.Seat = r.ID, k+1
			next++
		}
		left -= share
		leftCap -= r.Seats
	}
}

func roomLess(a, b *pRoom) bool {
	if a.Floor != b.Floor {
		return a.Floor < b.Floor
	}
	if c := albanian.Compare(a.Name, b.Name); c != 0 {
		return c < 0
	}
	return a.ID < b.ID
}

func sameCity(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

func sortStrings(s []string) { sort.Strings(s) }
