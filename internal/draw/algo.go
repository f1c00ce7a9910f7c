// Package draw computes the staffing needs of each exam venue and runs the
// staff draw ("shorti") of Neni 10.9, 44 and 47.5–47.7 so that anyone can
// check it.
//
// # Staffing needs (Neni 44, 47.1, 47.4, 51.1)
//
// From the exam plan (table exam_seats) each venue of the unit gets:
//
//   - one PAP and one KMSH representative (Neni 44 ¶2, 48);
//   - per room with n candidates: ceil(n / StudentsPerAPMax) AP when
//     n > APRoomOver, so that no AP watches more than the upper bound of
//     "20–25" (Neni 47.1); a room of 1..APRoomOver candidates still gets
//     one AP, because every room is watched the whole time (Neni 49.4,
//     50.5–50.6); an empty room none;
//   - ceil(N / CandidatesPerASMax) AS when the venue has N > ASVenueOver
//     candidates, else none (Neni 51.1; in small venues the PAP does the
//     anonymisation, Neni 53.2);
//   - floor administrators (Neni 47.4) are optional and chosen by KMSH: a
//     venue with more than one floor and more than ASVenueOver candidates
//     shows one per floor as a suggestion; they are not drawn.
//
// The ratios come from examyear.Config.Staffing.
//
// # Conflicts (Neni 9, 50)
//
// A person never serves in a venue whose host school, or a school with
// candidates in it, is the person's own school (Neni 50; applied to every
// role). An AP never watches an exam whose subject they teach (Neni 50):
// the exam's subject codes are the exam code itself and, for D1 and D2,
// the codes of the subjects of that kind (e.g. D1 and GJSH). A person who
// declared a child or grandchild sitting the Matura in the unit (Neni 9 ¶2)
// is left out of the unit's lists for the draw (the commission sees who and
// why; the published record does not, as personal data). One
// person is on one list of one region per year, so nobody is drawn twice
// for one exam; a person drawn for an exam is left out of the draw of
// every other exam of the session held at the same time, at least in part
// (Neni 14.3: electives at sittings of one day), so nobody is drawn to two
// venues at once.
//
// # The published record carries no personal data (Neni 63)
//
// The published lists name nobody: each entry of a role's list is its
// place on the list ("AP-12": the twelfth of the AP list, which is the
// commission's alphabetical list of Neni 47.3), a keyed hash (tag) and
// the venues Neni 50 keeps that person out of (barred). Names, schools,
// subjects and staff ids are in the record only for the scopes that may
// read the draw (AVA, the KMSH); with the record's roster key they can
// check that entry k is the person the list names:
// tag = hex(HMAC-SHA256(key = the 32 bytes of roster_key,
// message = "provim-shorti-v2\n" + ref + "\n" + decimal(staff id) + "\n" + name)).
//
// # The algorithm (version 2)
//
// Anyone can reimplement it from this description and a published record.
//
//  1. inputs_hash = hex(SHA-256(I)), where I is the compact JSON encoding
//     of the record's "inputs" object with the fields in the order the
//     published record shows them (Go encoding/json of type Inputs with
//     only the published fields of each entry — ref, role, tag, barred —
//     no spaces, no HTML escaping of < > &, lists as published).
//  2. Before the draw the system publishes the inputs and
//     commitment = hex(SHA-256("provim-shorti-v2\n" + seed + "\n" + inputs_hash)),
//     where seed is 64 lowercase hex digits (32 random bytes), kept secret.
//  3. At the draw the people present call out entropy (any text, e.g.
//     numbers). It is normalised by trimming and collapsing every run of
//     white space to one space; empty entropy is refused.
//  4. key = HMAC-SHA256(key = the 32 bytes of seed,
//     message = "provim-shorti-v2\n" + inputs_hash + "\n" + entropy).
//  5. R(label, i) = the first 8 bytes, big-endian, of
//     HMAC-SHA256(key, label + "\n" + decimal(i)), as an unsigned integer.
//  6. Shuffle(list, label): for i from len−1 down to 1, j = R(label, i) mod
//     (i+1), swap list[i] and list[j] (Fisher–Yates).
//  7. The venue order (Neni 47.6) is Shuffle(venues in input order,
//     "mjediset"). Each role's list is the pool entries of that role in
//     input order, which is the published alphabetical order (Neni 47.3);
//     the lists are not shuffled: the regulation draws the venues only.
//  8. A person may serve in a venue unless its code is in their barred
//     list. (The list is made before the commitment: every venue whose
//     schools include the person's school and, for AP, every venue when
//     they teach one of exam_subjects, Neni 50.) For each role in the order PAP, KMSH, AS, AP, the venues
//     are served in the drawn order of step 7; for each venue, for each
//     place of the role (AP: room by room in input order, each room's AP
//     places), the first person down the role's list who is not yet drawn
//     and may serve there takes the place — the dividing line of Neni 47.7
//     moving down the list ("sipas rendit zbritës"); a person passed over
//     for a conflict stays for the next venue (Neni 47.8, 50). A place
//     nobody can take is a shortage of that role in that venue.
//  9. The result is the list of places in the order they were filled:
//     role, venue, room id (0 for a place of the whole venue), the
//     entry's ref; the record also publishes the venue order of step 7.
//
// A draw with any shortage writes nothing: it reports, per venue, how many
// people of which role are missing.
package draw

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"provim/internal/apperr"
)

// Version is the algorithm version written into every record.
const Version = 2

const domain = "provim-shorti-v2\n"

// Roles, in the order they are drawn.
const (
	RolePAP  = "PAP"  // përgjegjës i administrimit të provimit (Neni 48)
	RoleKMSH = "KMSH" // përfaqësues i KMSH-së në mjedis (Neni 44 ¶2)
	RoleAS   = "AS"   // administrator sekretimi (Neni 51)
	RoleAP   = "AP"   // administrator provimi (Neni 49–50)
)

// Roles lists the roles in draw order.
var Roles = []string{RolePAP, RoleKMSH, RoleAS, RoleAP}

// RoleLabel is the Albanian name of a role.
func RoleLabel(role string) string {
	switch role {
	case RolePAP:
		return "Përgjegjës i administrimit (PAP)"
	case RoleKMSH:
		return "Përfaqësues i KMSH-së"
	case RoleAS:
		return "Administrator sekretimi (AS)"
	case RoleAP:
		return "Administrator provimi (AP)"
	}
	return role
}

func validRole(r string) bool { return slices.Contains(Roles, r) }

// Inputs are the published lists a draw is computed from.
type Inputs struct {
	Version int    `json:"version"`
	Year    int    `json:"year"`
	Session int    `json:"session"`
	Exam    string `json:"exam"`
	Unit    string `json:"unit"`
	// ExamSubjects are the subject codes an AP of this exam must not teach.
	ExamSubjects []string `json:"exam_subjects"`
	// Venues in code order, with their needs.
	Venues []Venue `json:"venues"`
	// Pool: the lists per role (role order PAP, KMSH, AS, AP), each in
	// Albanian alphabetical order (Neni 47.3).
	Pool []Person `json:"pool"`
	// Excluded: people of the pool left out, with the reason (Neni 9).
	// Not part of the published inputs nor of their hash: that someone has
	// a child or grandchild sitting the Matura is personal data (Neni 63),
	// and the people left out play no part in the computation.
	Excluded []Excluded `json:"-"`
}

// Venue is one exam venue and what it needs.
type Venue struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	Schools    []string `json:"schools"` // the host school and the schools of its candidates, sorted
	Candidates int      `json:"candidates"`
	Floors     int      `json:"floors"`
	Rooms      []Room   `json:"rooms"`
	PAP        int      `json:"pap"`
	KMSH       int      `json:"kmsh"`
	AS         int      `json:"as"`
	// FloorAdmins is the optional number of floor administrators (Neni
	// 47.4), not drawn.
	FloorAdmins int `json:"floor_admins"`
}

// Room is one room of a venue in the exam.
type Room struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Candidates int    `json:"candidates"`
	AP         int    `json:"ap"`
}

// APs is the number of AP places of the venue.
func (v Venue) APs() int {
	n := 0
	for _, r := range v.Rooms {
		n += r.AP
	}
	return n
}

// Person is one entry of a role's list. Ref, Role, Tag and Barred are
// published and hashed; the rest only the scopes that may read the draw
// see (Public blanks it), and it plays no part in the hash.
type Person struct {
	Ref    string   `json:"ref"` // role and place on the role's list: "AP-12"
	Role   string   `json:"role"`
	Tag    string   `json:"tag"`    // keyed hash of ref, staff id and name (Seal)
	Barred []string `json:"barred"` // venue codes Neni 50 keeps them out of

	ID       int64    `json:"id,omitempty"`
	Name     string   `json:"name,omitempty"`
	School   string   `json:"school,omitempty"`   // the school they work in, "" for none
	Subjects []string `json:"subjects,omitempty"` // subject codes they teach, sorted
}

// published is the entry without what names the person.
func (p Person) published() Person {
	return Person{Ref: p.Ref, Role: p.Role, Tag: p.Tag, Barred: p.Barred}
}

// Excluded is a person of the pool left out of the draw.
type Excluded struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Role   string `json:"role"`
	Reason string `json:"reason"`
}

// Assignment is one place filled by the draw: the entry's ref, and its
// staff id where the record names people.
type Assignment struct {
	Role    string `json:"role"`
	Venue   string `json:"venue"`
	RoomID  int64  `json:"room_id"` // 0: the whole venue
	Ref     string `json:"ref"`
	StaffID int64  `json:"staff_id,omitempty"`
}

// Shortage is how many people of a role a venue is missing.
type Shortage struct {
	Venue     string `json:"venue"`
	VenueName string `json:"venue_name"`
	Role      string `json:"role"`
	Missing   int    `json:"missing"`
}

// Outcome is what the algorithm computes.
type Outcome struct {
	VenueOrder  []string     `json:"venue_order"`
	Assignments []Assignment `json:"assignments"`
	Shortages   []Shortage   `json:"shortages,omitempty"`
}

// canonical is the compact JSON of v without HTML escaping.
func canonical(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // Inputs has only strings, numbers and lists
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// PublishedInputs is in without what names people: the lists as
// published and hashed.
func PublishedInputs(in Inputs) Inputs {
	out := in
	out.Excluded = nil
	out.Pool = make([]Person, len(in.Pool))
	for i, p := range in.Pool {
		out.Pool[i] = p.published()
	}
	return out
}

// InputsHash is step 1: hex SHA-256 of the canonical published inputs.
func InputsHash(in Inputs) string {
	sum := sha256.Sum256(canonical(PublishedInputs(in)))
	return hex.EncodeToString(sum[:])
}

// Commitment is step 2.
func Commitment(seed, inputsHash string) string {
	sum := sha256.Sum256([]byte(domain + seed + "\n" + inputsHash))
	return hex.EncodeToString(sum[:])
}

// NormalizeEntropy is step 3.
func NormalizeEntropy(s string) string { return strings.Join(strings.Fields(s), " ") }

type stream struct{ key []byte }

func newStream(seed, inputsHash, entropy string) (*stream, error) {
	raw, err := hex.DecodeString(seed)
	if err != nil || len(raw) != 32 {
		return nil, apperr.New(apperr.Invalid, "Fara (seed) duhet të jetë 64 shifra heksadecimale.")
	}
	m := hmac.New(sha256.New, raw)
	m.Write([]byte(domain + inputsHash + "\n" + entropy))
	return &stream{key: m.Sum(nil)}, nil
}

func (s *stream) r(label string, i int) uint64 {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(label + "\n" + strconv.Itoa(i)))
	return binary.BigEndian.Uint64(m.Sum(nil)[:8])
}

func shuffle[T any](s *stream, list []T, label string) {
	for i := len(list) - 1; i >= 1; i-- {
		j := int(s.r(label, i) % uint64(i+1))
		list[i], list[j] = list[j], list[i]
	}
}

// Compute runs steps 3–9 on published inputs. It fails only on bad seed
// or empty entropy; shortages are reported in the Outcome.
func Compute(in Inputs, seed, entropy string) (Outcome, error) {
	entropy = NormalizeEntropy(entropy)
	if entropy == "" {
		return Outcome{}, apperr.New(apperr.Invalid, "Mungon entropia e shortit: shkruani numrat (ose fjalët) e thëna nga të pranishmit.")
	}
	st, err := newStream(seed, InputsHash(in), entropy)
	if err != nil {
		return Outcome{}, err
	}
	order := make([]int, len(in.Venues))
	for i := range order {
		order[i] = i
	}
	shuffle(st, order, "mjediset")
	var out Outcome
	for _, i := range order {
		out.VenueOrder = append(out.VenueOrder, in.Venues[i].Code)
	}
	for _, role := range Roles {
		var list []*Person
		for k := range in.Pool {
			if in.Pool[k].Role == role {
				list = append(list, &in.Pool[k])
			}
		}
		// Neni 47.3, 47.7: the role's list stays in its published
		// alphabetical order; only the venue order is drawn (Neni 47.6).
		ok := func(p *Person, v *Venue) bool { return !slices.Contains(p.Barred, v.Code) }
		used := make([]bool, len(list))
		first := 0 // every entry before first is used
		take := func(v *Venue, room int64) bool {
			for first < len(list) && used[first] {
				first++
			}
			for k := first; k < len(list); k++ {
				if used[k] || !ok(list[k], v) {
					continue
				}
				p := list[k]
				used[k] = true
				out.Assignments = append(out.Assignments, Assignment{Role: role, Venue: v.Code, RoomID: room, Ref: p.Ref, StaffID: p.ID})
				return true
			}
			return false
		}
		// Neni 47.7: the venues in their drawn order; for each, the dividing
		// line moves down the list by the number of places it needs.
		serve := order
		for _, i := range serve {
			v := &in.Venues[i]
			missing := 0
			switch role {
			case RoleAP:
				for _, rm := range v.Rooms {
					for range rm.AP {
						if !take(v, rm.ID) {
							missing++
						}
					}
				}
			default:
				n := map[string]int{RolePAP: v.PAP, RoleKMSH: v.KMSH, RoleAS: v.AS}[role]
				for range n {
					if !take(v, 0) {
						missing++
					}
				}
			}
			if missing > 0 {
				out.Shortages = append(out.Shortages, Shortage{Venue: v.Code, VenueName: v.Name, Role: role, Missing: missing})
			}
		}
	}
	return out, nil
}

// ShortageError describes a draw that cannot be completed.
func ShortageError(sh []Shortage) *apperr.Error {
	byRole := map[string]int{}
	var details []string
	for _, s := range sh {
		byRole[s.Role] += s.Missing
		details = append(details, fmt.Sprintf("%s (%s): mungojnë %d %s", s.VenueName, s.Venue, s.Missing, s.Role))
	}
	var sum []string
	for _, r := range Roles {
		if byRole[r] > 0 {
			sum = append(sum, fmt.Sprintf("%d %s", byRole[r], r))
		}
	}
	e := apperr.New(apperr.Invalid, "Lista e personelit nuk mjafton për shortin: mungojnë %s (sipas mjediseve më poshtë). Shorti nuk u hodh dhe nuk u ruajt asgjë.", strings.Join(sum, ", "))
	e.Details = details
	return e
}
