package anonym

import "provim/internal/examyear"

// LabelsPerCode is how many labels of each code are printed (Neni 53.4):
// a pair for the mandatory exams D1 and D2 — one beside the candidate's
// name on the name list, one on the booklet — and a triple for an
// elective ("për provimet e lëndëve me zgjedhje mund të përdoren barkode
// treshe"), the third for the elective's answer sheet.
func LabelsPerCode(kind string) int {
	if kind == examyear.KindD1 || kind == examyear.KindD2 {
		return 2
	}
	return 3
}

// Balanced reports whether a room's labels are accounted for (Neni 53.5):
// the unused labels were counted and sealed, and the codes used at the
// desk and those sealed unused make up the codes printed.
func Balanced(printed, used, unused int) bool {
	return unused >= 0 && printed == used+unused
}

// Threshold limits of the key holders (Neni 59.3): at least two must act
// together, and AVA names at most MaxHolders.
const (
	MinThreshold = 2
	MaxHolders   = 15
)
