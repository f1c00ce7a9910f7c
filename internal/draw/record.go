package draw

import (
	"fmt"
	"slices"
	"strings"
)

// Record is the published record of a draw: before the draw only the
// inputs and the commitment; afterwards also seed, entropy and result.
type Record struct {
	Version      int          `json:"version"`
	ID           int64        `json:"id"`
	Year         int          `json:"year"`
	Session      int          `json:"session"`
	Exam         string       `json:"exam"`
	Unit         string       `json:"unit"`
	Seq          int          `json:"seq"`
	Reason       string       `json:"reason,omitempty"`
	Status       string       `json:"status"` // committed, drawn
	SupersededBy int64        `json:"superseded_by,omitempty"`
	CommittedBy  string       `json:"committed_by"`
	CommittedAt  string       `json:"committed_at"`
	DrawnBy      string       `json:"drawn_by,omitempty"`
	DrawnAt      string       `json:"drawn_at,omitempty"`
	Commitment   string       `json:"commitment"`
	InputsHash   string       `json:"inputs_hash"`
	Inputs       Inputs       `json:"inputs"`
	Seed         string       `json:"seed,omitempty"`
	Entropy      string       `json:"entropy,omitempty"`
	VenueOrder   []string     `json:"venue_order,omitempty"`
	Result       []Assignment `json:"result,omitempty"`
	// RosterKey is the key of the entries' keyed hashes (Seal, Tag), for
	// the scopes that see the names; never published.
	RosterKey string `json:"roster_key,omitempty"`
	// printed is how the pages and PDFs name each entry (by ref), built
	// from the registry's parts of the name (withPrintedNames); never
	// stored, sealed or sent. An entry without one is named by parsing
	// its sealed name (displayName).
	printed map[string]string
}

// Statuses of a draw.
const (
	StatusCommitted = "committed"
	StatusDrawn     = "drawn"
)

// Verify recomputes a drawn record from its inputs, seed and entropy and
// returns nil when everything matches, else an error naming the first
// difference (in Albanian). It needs only the published record; a record
// that names people is also checked against its published entries.
func Verify(rec Record) error {
	if rec.Status != StatusDrawn || rec.Seed == "" {
		return fmt.Errorf("shorti %d nuk është hedhur ende: nuk ka farë dhe rezultat për t'u verifikuar", rec.ID)
	}
	if rec.Version != Version || rec.Inputs.Version != Version {
		return fmt.Errorf("versioni i algoritmit %d nuk njihet nga ky provim (pritet %d): rekordet e versionit 1 (para listave pa të dhëna personale) verifikohen me një provim të mëparshëm", rec.Version, Version)
	}
	if h := InputsHash(rec.Inputs); h != rec.InputsHash {
		return fmt.Errorf("inputs_hash: rekordi thotë %s, listat e publikuara japin %s (listat janë ndryshuar)", rec.InputsHash, h)
	}
	if err := checkRoster(rec); err != nil {
		return err
	}
	if c := Commitment(rec.Seed, rec.InputsHash); c != rec.Commitment {
		return fmt.Errorf("commitment: rekordi thotë %s, fara dhe listat japin %s (fara nuk është ajo e angazhuar)", rec.Commitment, c)
	}
	out, err := Compute(rec.Inputs, rec.Seed, rec.Entropy)
	if err != nil {
		return err
	}
	if len(out.Shortages) > 0 {
		return fmt.Errorf("llogaritja jep mungesë personeli (%d mjedise): rezultati i publikuar nuk mund të dalë nga këto lista", len(out.Shortages))
	}
	if !slices.Equal(out.VenueOrder, rec.VenueOrder) {
		for i := range max(len(out.VenueOrder), len(rec.VenueOrder)) {
			a, b := at(rec.VenueOrder, i), at(out.VenueOrder, i)
			if a != b {
				return fmt.Errorf("renditja e mjediseve, vendi %d: rekordi thotë %q, llogaritja jep %q", i+1, a, b)
			}
		}
	}
	for i := range max(len(out.Assignments), len(rec.Result)) {
		var a, b Assignment
		if i < len(rec.Result) {
			a = rec.Result[i]
		}
		if i < len(out.Assignments) {
			b = out.Assignments[i]
		}
		if a != b {
			return fmt.Errorf("caktimi %d: rekordi thotë %s, llogaritja jep %s", i+1, describe(a), describe(b))
		}
	}
	return nil
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}

func describe(a Assignment) string {
	if a == (Assignment{}) {
		return "(asgjë)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s në %s", a.Role, a.Ref, a.Venue)
	if a.RoomID != 0 {
		fmt.Fprintf(&b, " salla %d", a.RoomID)
	}
	return b.String()
}
