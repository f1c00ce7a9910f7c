package draw

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
)

// Seal makes the published entries of the lists (issue 9, item 8): each
// person's ref (role and place on the role's alphabetical list, Neni
// 47.3), the venues Neni 50 keeps them out of, and the keyed hash that
// binds the entry to the named person under rosterKey (64 hex digits).
// The lists must be in role order, each alphabetical, as buildInputs
// makes them.
func Seal(in *Inputs, rosterKey string) {
	place := map[string]int{}
	for i := range in.Pool {
		p := &in.Pool[i]
		place[p.Role]++
		p.Ref = p.Role + "-" + strconv.Itoa(place[p.Role])
		p.Barred = barred(*in, *p)
		p.Tag = Tag(rosterKey, *p)
	}
}

// barred lists, in input order, the venues where p may not serve: a venue
// with p's own school among its schools, and for an AP every venue when
// they teach a subject of the exam (Neni 50).
func barred(in Inputs, p Person) []string {
	teaches := false
	for _, s := range p.Subjects {
		teaches = teaches || slices.Contains(in.ExamSubjects, s)
	}
	out := []string{}
	for _, v := range in.Venues {
		if (p.School != "" && slices.Contains(v.Schools, p.School)) || (p.Role == RoleAP && teaches) {
			out = append(out, v.Code)
		}
	}
	return out
}

// Tag is the keyed hash of an entry: hex HMAC-SHA256 under the roster key
// of domain, ref, staff id and name. Without the key nobody can test a
// guessed name against a published entry.
func Tag(rosterKey string, p Person) string {
	key, _ := hex.DecodeString(rosterKey)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(domain + p.Ref + "\n" + strconv.FormatInt(p.ID, 10) + "\n" + p.Name))
	return hex.EncodeToString(m.Sum(nil))
}

// checkRoster checks a record that names people against its own published
// entries: each tag under the roster key, and each barred list against
// the person's school and subjects. A public record (no names) passes.
func checkRoster(rec Record) error {
	for _, p := range rec.Inputs.Pool {
		if p.ID == 0 && p.Name == "" {
			continue
		}
		if rec.RosterKey == "" || Tag(rec.RosterKey, p) != p.Tag {
			return fmt.Errorf("lista emërore: hyrja %s nuk i përket personit %q (hash-i me çelës nuk përputhet)", p.Ref, p.Name)
		}
		if b := barred(rec.Inputs, p); !slices.Equal(b, p.Barred) {
			return fmt.Errorf("lista emërore: për %s (%s) mjediset e ndaluara sipas Nenit 50 janë %v, lista e publikuar thotë %v", p.Ref, p.Name, b, p.Barred)
		}
	}
	refs := map[string]int64{}
	for _, p := range rec.Inputs.Pool {
		refs[p.Ref] = p.ID
	}
	for i, a := range rec.Result {
		if a.StaffID != 0 && refs[a.Ref] != a.StaffID {
			return fmt.Errorf("caktimi %d: hyrja %s nuk është punonjësi %d", i+1, a.Ref, a.StaffID)
		}
	}
	return nil
}

// Published is the record as anyone may read it: the lists without names,
// schools, subjects and staff ids, without the roster key and the people
// left out (Neni 9, 63).
func Published(rec Record) Record {
	rec.Inputs = PublishedInputs(rec.Inputs)
	rec.RosterKey = ""
	rec.printed = nil
	if rec.Result != nil {
		res := make([]Assignment, len(rec.Result))
		for i, a := range rec.Result {
			a.StaffID = 0
			res[i] = a
		}
		rec.Result = res
	}
	return rec
}

// ResultHash is hex SHA-256 of the published outcome (venue order and
// places by ref): what the audit entry of a draw records, so that a result
// and entropy rewritten together in the database no longer match it.
func ResultHash(venueOrder []string, result []Assignment) string {
	res := make([]Assignment, len(result))
	for i, a := range result {
		a.StaffID = 0
		res[i] = a
	}
	return sha256hex(canonical(Outcome{VenueOrder: venueOrder, Assignments: res}))
}
