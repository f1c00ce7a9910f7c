package marking

// The rules of Neni 57 as pure functions; each has a test named after its
// article.

// ChoicePoints scores a choice item (Neni 57.4): the item's points when
// exactly its key is marked; 0 for a wrong answer, for no answer, and
// when more than one alternative is marked. marked is normalised (the
// letters marked, each once, in order).
func ChoicePoints(it Item, marked string) int {
	if len(marked) != 1 || marked != it.Key {
		return 0
	}
	return it.MaxPoints
}

// Differ reports whether two markings differ in the points of any item,
// which calls for a third marker (Neni 57.14: "ndryshime pikësh për të
// njëjtat kërkesa"). The totals may be equal and still differ.
func Differ(a, b Marks) bool {
	if len(a.Points) != len(b.Points) {
		return true
	}
	for i := range a.Points {
		if a.Points[i] != b.Points[i] {
			return true
		}
	}
	return false
}

// Final is a booklet's final marks (Neni 57.13–57.14): the two markers'
// when they agree on every item, else the third's, whatever they are —
// even outside both. ok is false while the final marks are not known:
// the two have not both marked, or they differ and the third has not.
func Final(first, second, third *Marks) (m Marks, round int, ok bool) {
	if first == nil || second == nil {
		return Marks{}, 0, false
	}
	if !Differ(*first, *second) {
		return *first, 2, true
	}
	if third == nil {
		return Marks{}, 0, false
	}
	return *third, 3, true
}
