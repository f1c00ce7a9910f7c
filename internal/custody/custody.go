// Package custody keeps the chain of custody of the exam materials
// (Neni 42–46, 58): the packages of every venue and exam, each with a
// printable code and seal numbers, and every hand-over from AVA to the
// rooms and back, each a procesverbal recorded by the giving side and
// confirmed by the receiving side, with the seals checked at both ends.
//
// Model (decided here, see docs/rules.md):
//
//   - A consignment is the set of packages of one exam (year, session,
//     exam code) for one venue. It moves through the eight steps of Steps
//     as a whole and in order; its stage is the last confirmed step.
//   - Each hand-over is two acts by two different accounts: the giving
//     side records it (the names of the persons who give and receive, and
//     the seal numbers it reads), then the receiving side confirms it
//     (reading the seals again). Until it is confirmed the materials stay
//     with the giver; only then does the stage move. Only the side that
//     holds the materials can record the next step, so nobody hands over
//     what they do not hold, and no step can be skipped.
//   - Seal numbers read at either end must equal the registered ones;
//     otherwise the act is refused and nothing is saved.
//   - The timetable of each step follows the exam day (Config.Exams) and
//     Staffing.MaterialsHoursBefore, in Europe/Tirane (Due).
package custody

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
)

// Package kinds.
const (
	KindBooklets = "broshura" // the test booklets (Neni 44, 45.1)
	KindEnvelope = "zarf"     // the envelope of unused tests (Neni 45.1)
	KindCodes    = "kode"     // the anonymisation code labels (Neni 51, 53)
	KindBox      = "kuti"     // the return box sealed by the school director (Neni 45.2–45.3)
)

// Kinds lists the package kinds in display order.
var Kinds = []string{KindBooklets, KindEnvelope, KindCodes, KindBox}

// KindLabel is the Albanian name of a package kind.
func KindLabel(kind string) string {
	switch kind {
	case KindBooklets:
		return "Test-broshurat"
	case KindEnvelope:
		return "Zarfi i testeve të papërdorura"
	case KindCodes:
		return "Etiketat e kodeve"
	case KindBox:
		return "Kutia e kthimit (vulosur nga drejtori)"
	}
	return kind
}

func kindLetter(kind string) string {
	switch kind {
	case KindBooklets:
		return "B"
	case KindEnvelope:
		return "Z"
	case KindCodes:
		return "K"
	case KindBox:
		return "X"
	}
	return "?"
}

// Step is one hand-over of the chain.
type Step struct {
	No      int    `json:"no"`
	Name    string `json:"name"`
	Article string `json:"article"`
	From    string `json:"from"` // the holder before
	To      string `json:"to"`   // the holder after
	// Recorder are the roles of the giving side, who record the
	// hand-over; Confirmer those of the receiving side.
	Recorder  []auth.Role `json:"recorder"`
	Confirmer []auth.Role `json:"confirmer"`
	// MinGivers and MinReceivers are how many persons must be named on
	// each side (the two authorised persons of Neni 42 and 46; the PAP
	// with the KMSH representative of Neni 44 and 45.4).
	MinGivers    int `json:"min_givers"`
	MinReceivers int `json:"min_receivers"`
	// Checks are the kinds whose seals are read at this step.
	Checks []string `json:"checks"`
	// GiversHint and ReceiversHint say whom to name.
	GiversHint    string `json:"givers_hint"`
	ReceiversHint string `json:"receivers_hint"`
}

// Holder labels: where the materials are after each stage.
var holders = []string{
	"AVA",
	"Personat e autorizuar (KMSH dhe MASH)",
	"Kasaforta e kryetarit të KMSH",
	"PAP me përfaqësuesin e KMSH",
	"Sallat e provimit (AP)",
	"PAP — test-broshurat e plotësuara",
	"Kutia e vulosur — PAP me përfaqësuesin e KMSH",
	"KMSH",
	"AVA — materialet u kthyen",
}

// HolderLabel names the holder after stage (0–8).
func HolderLabel(stage int) string {
	if stage < 0 || stage >= len(holders) {
		return ""
	}
	return holders[stage]
}

var all = []string{KindBooklets, KindEnvelope, KindCodes, KindBox}

// Steps is the chain, in order (Neni 42–46).
var Steps = []Step{
	{No: 1, Name: "Tërheqja e materialeve në AVA", Article: "Neni 42, 58",
		Recorder: []auth.Role{auth.RoleAVA}, Confirmer: []auth.Role{auth.RoleKMSH}, MinGivers: 1, MinReceivers: 2, Checks: all,
		GiversHint: "punonjësi i AVA", ReceiversHint: "përfaqësuesi i autorizuar me shkrim nga kryetari i KMSH dhe personi i autorizuar nga MASH"},
	{No: 2, Name: "Dorëzimi te kryetari i KMSH (kasaforta)", Article: "Neni 42, 43",
		Recorder: []auth.Role{auth.RoleKMSH}, Confirmer: []auth.Role{auth.RoleKMSH}, MinGivers: 2, MinReceivers: 1, Checks: all,
		GiversHint: "dy personat e autorizuar", ReceiversHint: "kryetari i KMSH"},
	{No: 3, Name: "Tërheqja nga PAP me përfaqësuesin e KMSH", Article: "Neni 44",
		Recorder: []auth.Role{auth.RoleKMSH}, Confirmer: []auth.Role{auth.RolePAP}, MinGivers: 1, MinReceivers: 2, Checks: all,
		GiversHint: "kryetari i KMSH", ReceiversHint: "PAP dhe përfaqësuesi i KMSH i caktuar me short"},
	{No: 4, Name: "Shpërndarja në salla; testet e papërdorura në zarf të mbyllur", Article: "Neni 45.1",
		Recorder: []auth.Role{auth.RolePAP}, Confirmer: []auth.Role{auth.RoleAP, auth.RoleAS}, MinGivers: 1, MinReceivers: 1,
		Checks:     []string{KindBooklets, KindCodes, KindEnvelope},
		GiversHint: "PAP", ReceiversHint: "administratorët e provimit (AP) të sallave"},
	{No: 5, Name: "Dorëzimi i test-broshurave të plotësuara te PAP", Article: "Neni 45.2",
		Recorder: []auth.Role{auth.RoleAP, auth.RoleAS}, Confirmer: []auth.Role{auth.RolePAP}, MinGivers: 1, MinReceivers: 1,
		Checks:     []string{}, // none; [] not null in JSON
		GiversHint: "administratorët e provimit (AP)", ReceiversHint: "PAP"},
	{No: 6, Name: "Mbyllja e kutisë dhe vulosja nga drejtori i shkollës", Article: "Neni 45.2–45.3",
		Recorder: []auth.Role{auth.RolePAP}, Confirmer: []auth.Role{auth.RoleKMSH}, MinGivers: 2, MinReceivers: 1,
		Checks:     []string{KindEnvelope, KindBox},
		GiversHint: "PAP dhe drejtori i shkollës (pritëse) që vulos", ReceiversHint: "përfaqësuesi i KMSH"},
	{No: 7, Name: "Dorëzimi i kutisë në KMSH", Article: "Neni 45.4",
		Recorder: []auth.Role{auth.RolePAP}, Confirmer: []auth.Role{auth.RoleKMSH}, MinGivers: 2, MinReceivers: 1,
		Checks:     []string{KindBox},
		GiversHint: "PAP dhe përfaqësuesi i KMSH", ReceiversHint: "kryetari i KMSH"},
	{No: 8, Name: "Kthimi i kutive në AVA", Article: "Neni 46",
		Recorder: []auth.Role{auth.RoleKMSH}, Confirmer: []auth.Role{auth.RoleAVA}, MinGivers: 2, MinReceivers: 1,
		Checks:     []string{KindBox},
		GiversHint: "përfaqësuesi i autorizuar i KMSH dhe personi i autorizuar nga MASH", ReceiversHint: "punonjësi i AVA"},
}

func init() {
	for i := range Steps {
		Steps[i].From, Steps[i].To = holders[i], holders[i+1]
	}
}

// StepByNo returns step n (1–8).
func StepByNo(n int) (Step, bool) {
	if n < 1 || n > len(Steps) {
		return Step{}, false
	}
	return Steps[n-1], true
}

// Checks reports whether the step reads the seals of kind.
func (s Step) ChecksKind(kind string) bool { return slices.Contains(s.Checks, kind) }

// RecorderAllowed and ConfirmerAllowed report whether role may act.
func (s Step) RecorderAllowed(r auth.Role) bool  { return slices.Contains(s.Recorder, r) }
func (s Step) ConfirmerAllowed(r auth.Role) bool { return slices.Contains(s.Confirmer, r) }

// examKind maps an exam code (D1, D2 or an elective subject's code) to the
// code of its day in Config.Exams.
func examKind(cfg examyear.Config, exam string) (string, bool) {
	if exam == examyear.KindD1 || exam == examyear.KindD2 {
		return exam, true
	}
	for _, s := range cfg.Subjects {
		if s.Code == exam {
			if s.Kind == examyear.KindElective {
				return examyear.KindElective, true
			}
			return s.Kind, true
		}
	}
	return "", false
}

// ExamStart returns when the exam starts (Europe/Tirane).
func ExamStart(cfg examyear.Config, exam string, session int) (time.Time, error) {
	if _, ok := examKind(cfg, exam); !ok {
		return time.Time{}, fmt.Errorf("provimi «%s» nuk njihet", exam)
	}
	// An elective starts at its own sitting (Neni 14.3).
	day, ok := cfg.ExamDayOf(exam, session)
	if !ok {
		return time.Time{}, fmt.Errorf("provimi «%s» nuk ka ditë në sesionin %d", exam, session)
	}
	start := day.Start
	if start == "" {
		start = "10:00"
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", day.Date+" "+start, clock.Tirana)
	if err != nil {
		return time.Time{}, fmt.Errorf("dita e provimit «%s %s» nuk lexohet", day.Date, start)
	}
	return t, nil
}

// Due is the timetable of the chain for an exam starting at start: the
// time by which each step (1–8) must be confirmed.
//
//   - 1: the materials leave AVA by the end of the day before the exam
//     (Neni 58 ¶3 says so for the second session; for the first, Neni 42
//     leaves it to MASH's schedule, and the day before is the default).
//   - 2: they are in the KMSH safe before the PAP comes for them.
//   - 3: the PAP takes them hoursBefore hours before the start (Neni 44).
//   - 4: the rooms have them at the start.
//   - 5–8: everything is back — at KMSH, then at AVA — the same day
//     (Neni 46).
func Due(start time.Time, hoursBefore int) [9]time.Time {
	var d [9]time.Time
	s := start.In(clock.Tirana)
	day := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, clock.Tirana)
	pickup := s.Add(-time.Duration(hoursBefore) * time.Hour)
	d[1] = day.Add(-time.Second)
	d[2] = pickup
	d[3] = pickup
	d[4] = s
	end := day.AddDate(0, 0, 1).Add(-time.Second)
	for i := 5; i <= 8; i++ {
		d[i] = end
	}
	return d
}

// normSeals splits seal numbers written by people (commas, spaces, new
// lines) and returns them trimmed, upper-cased and sorted.
func normSeals(list []string) []string {
	var out []string
	for _, s := range list {
		for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
			out = append(out, strings.ToUpper(strings.TrimSpace(f)))
		}
	}
	slices.Sort(out)
	return out
}

// SplitSeals reads a line of seal numbers as a person types them.
func SplitSeals(s string) []string { return normSeals([]string{s}) }

// cleanNames trims the names of persons and drops empty ones.
func cleanNames(list []string) []string {
	var out []string
	for _, n := range list {
		for _, part := range strings.Split(n, "\n") {
			if p := strings.Join(strings.Fields(part), " "); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// SealsWithheld reports whether role r must not be shown the seal numbers
// of a package of kind read in any hand-over of a consignment at stage
// (0–8): r reads those same seals itself at a later step, as the giving or
// the receiving side, so it must read them off the seals (Neni 43–45) and
// not copy them from an earlier procesverbal. AVA, which registered the
// numbers when it packed the materials (Neni 42), is never withheld from;
// once the chain is complete nobody reads them again and all may see them.
// The step waiting for confirmation counts as later for both its sides.
func SealsWithheld(r auth.Role, kind string, stage int) bool {
	if r == auth.RoleAVA {
		return false
	}
	for _, st := range Steps[min(max(stage, 0), len(Steps)):] {
		if st.ChecksKind(kind) && (st.RecorderAllowed(r) || st.ConfirmerAllowed(r)) {
			return true
		}
	}
	return false
}
