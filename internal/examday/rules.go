package examday

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"provim/internal/clock"
)

// Cause is one point of Neni 54: why a candidate is excluded and their
// result not recognised.
type Cause struct {
	Code string `json:"code"` // "54.1" … "54.11"
	Text string `json:"text"`
	// BarsNextYear: the exclusion also takes away the next year's Matura
	// (Neni 55.2: points 54.3, 54.4, 54.5 and 54.8).
	BarsNextYear bool `json:"bars_next_year"`
}

// Causes are the points of Neni 54, in order, with the regulation's text.
var Causes = []Cause{
	{"54.1", "Nuk është i pajisur me dokument identifikimi.", false},
	{"54.2", "Nuk qëndron në vendin që i caktohet.", false},
	{"54.3", "Përpiqet të japë provimin për një nxënës/kandidat tjetër.", true},
	{"54.4", "Bën përpjekje të fitojë në mënyrë të padrejtë informacion mbi përmbajtjen e testit.", true},
	{"54.5", "Merr ose jep ndihmë, informacion, kopje ose komunikon me nxënës/kandidatë të tjerë.", true},
	{"54.6", "Bën komente lidhur me përmbajtjen ose zgjidhjen e testit gjatë kohës së zhvillimit të provimit.", false},
	{"54.7", "Përdor mjete shkrimi të ndryshme nga ato të specifikuara (stilolaps i zi ose blu; vizore e kompas vetëm për matematikën).", false},
	{"54.8", "Merr me vete telefon celular, radio ose çdo mjet tjetër komunikimi në mjedisin e provimeve.", true},
	{"54.9", "Largohet nga mjedisi i provimit pa kryer procesin e sekretimit.", false},
	{"54.10", "Heq, shkruan ose dëmton kodin e sekretimit (barkodin) të vendosur në test.", false},
	{"54.11", "Dëmton testin (palos, zhubros, gris) ose nuk e dorëzon atë.", false},
}

// CauseOf returns the point of Neni 54 named code ("54.5" or "Neni 54.5").
func CauseOf(code string) (Cause, bool) {
	code = strings.TrimPrefix(strings.TrimSpace(code), "Neni ")
	i := slices.IndexFunc(Causes, func(c Cause) bool { return c.Code == code })
	if i < 0 {
		return Cause{}, false
	}
	return Causes[i], true
}

// Identity documents a candidate shows at the door (Neni 52.5): the
// passport, the personal certificate with a photograph, or the identity
// card. DocNone is a candidate with none: excluded under Neni 54.1.
const (
	DocPassport    = "pasaporte"
	DocCertificate = "certifikate"
	DocIDCard      = "letërnjoftim"
	DocNone        = "asnjë"
)

// DocTypes are the documents of Neni 52.5, in the order offered.
var DocTypes = []string{DocIDCard, DocPassport, DocCertificate}

// DocLabel is the Albanian name of a document type.
func DocLabel(t string) string {
	switch t {
	case DocPassport:
		return "Pasaportë"
	case DocCertificate:
		return "Certifikatë personale me fotografi"
	case DocIDCard:
		return "Letërnjoftim (kartë identiteti)"
	case DocNone:
		return "Pa dokument identifikimi"
	}
	return t
}

// Timing is the clock of one exam: when the door opens (Neni 52.1: one
// hour before the start), the start, the 30-minute warning (49.9), the
// earliest leave (56.3: two hours from the start) and the end, after
// which nobody has extra time (50.14).
type Timing struct {
	Opens         time.Time `json:"opens"`
	Start         time.Time `json:"start"`
	Warning       time.Time `json:"warning"`
	EarliestLeave time.Time `json:"earliest_leave"`
	End           time.Time `json:"end"`
}

// TimingOf is the timing of an exam that starts at start and ends at end.
func TimingOf(start, end time.Time) Timing {
	return Timing{Opens: start.Add(-time.Hour), Start: start, Warning: end.Add(-30 * time.Minute),
		EarliestLeave: start.Add(2 * time.Hour), End: end}
}

// Phases of the exam day, as the room page shows them.
const (
	PhaseBefore  = "before"  // the door is not open yet
	PhaseEntry   = "entry"   // identification and entry (Neni 52.1)
	PhaseRunning = "running" // the exam runs
	PhaseWarning = "warning" // the last 30 minutes (Neni 49.9)
	PhaseEnded   = "ended"   // the time is over (Neni 50.14)
)

// Phase is where the exam stands at now.
func (t Timing) Phase(now time.Time) string {
	switch {
	case now.Before(t.Opens):
		return PhaseBefore
	case now.Before(t.Start):
		return PhaseEntry
	case now.Before(t.Warning):
		return PhaseRunning
	case now.Before(t.End):
		return PhaseWarning
	}
	return PhaseEnded
}

// PhaseLabel is what the room page says of a phase.
func (t Timing) PhaseLabel(now time.Time) string {
	hm := func(x time.Time) string { return x.In(clock.Tirana).Format("15:04") }
	switch t.Phase(now) {
	case PhaseBefore:
		return fmt.Sprintf("Hyrja hapet në %s, një orë para fillimit (Neni 52.1).", hm(t.Opens))
	case PhaseEntry:
		return fmt.Sprintf("Identifikimi dhe hyrja: provimi fillon në %s (Neni 52.1).", hm(t.Start))
	case PhaseRunning:
		return fmt.Sprintf("Provimi po zhvillohet: mbaron në %s. Askush nuk largohet para %s (Neni 56.3).", hm(t.End), hm(t.EarliestLeave))
	case PhaseWarning:
		return fmt.Sprintf("Lajmëroni kandidatët: kanë mbetur më pak se 30 minuta, provimi mbaron në %s (Neni 49.9). Asnjë kohë shtesë (Neni 50.14).", hm(t.End))
	}
	return fmt.Sprintf("Koha e provimit mbaroi në %s: asnjë kandidat nuk ka kohë shtesë (Neni 50.14).", hm(t.End))
}

// CheckLeave applies the timing rules to a hand-in and leave at at: nobody
// leaves before two hours from the start (Neni 56.3), nobody writes after
// the end (Neni 50.14). It returns the article that refuses, or "".
func (t Timing) CheckLeave(at time.Time) string {
	if at.Before(t.EarliestLeave) {
		return "56.3"
	}
	if at.After(t.End) {
		return "50.14"
	}
	return ""
}

// Late reports whether a candidate who arrives at at came after the start:
// they are let in, flagged, and get no extra time (Neni 50.14).
func (t Timing) Late(at time.Time) bool { return at.After(t.Start) }
