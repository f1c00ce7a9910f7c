package marking

import "testing"

// Neni 57.4: a wrong answer, no answer, or more than one alternative
// marked scores 0; only exactly the key earns the item's points.
func TestNeni57_4_ChoiceScoresZeroForWrongNoneOrSeveral(t *testing.T) {
	t.Parallel()
	it := Item{No: 1, Label: "1", Kind: KindChoice, MaxPoints: 1, Options: 4, Key: "B"}
	cases := []struct {
		marked string
		want   int
	}{{"B", 1}, {"A", 0}, {"", 0}, {"AB", 0}, {"BC", 0}, {"ABCD", 0}, {"b", 1}, {" B ", 1}, {"BB", 1}}
	for _, c := range cases {
		m, err := Score([]Item{it}, []string{c.marked}, []int{0})
		if err != nil {
			t.Fatalf("%q: %v", c.marked, err)
		}
		if m.Points[0] != c.want {
			t.Errorf("marked %q: %d points, want %d", c.marked, m.Points[0], c.want)
		}
	}
	two := Item{No: 2, Label: "2", Kind: KindChoice, MaxPoints: 2, Options: 4, Key: "D"}
	if ChoicePoints(two, "D") != 2 || ChoicePoints(two, "CD") != 0 {
		t.Error("a two-point choice item: D earns 2, CD earns 0")
	}
	if _, err := Score([]Item{it}, []string{"E"}, []int{0}); err == nil {
		t.Error("an alternative outside the item (E of A–D) is refused")
	}
}

// Neni 57.3: an open item's points lie between 0 and its maximum and are
// one of its scheme's levels.
func TestNeni57_3_OpenPointsFollowTheScheme(t *testing.T) {
	t.Parallel()
	it := Item{No: 1, Label: "3", Kind: KindExtended, MaxPoints: 4, Levels: []Level{{4, "e plotë"}, {2, "e pjesshme"}}}
	for _, p := range []int{0, 2, 4} {
		if _, err := Score([]Item{it}, []string{""}, []int{p}); err != nil {
			t.Errorf("%d points: %v", p, err)
		}
	}
	for _, p := range []int{-1, 1, 3, 5} {
		if _, err := Score([]Item{it}, []string{""}, []int{p}); err == nil {
			t.Errorf("%d points accepted", p)
		}
	}
}

// Neni 57.14: any difference in the points of an item calls for a third
// marker, even when the totals agree; the third's marks are final even
// outside both.
func TestNeni57_14_AnyItemDifferenceCallsTheThirdWhoseMarksStand(t *testing.T) {
	t.Parallel()
	a := Marks{Points: []int{2, 1, 0}}
	b := Marks{Points: []int{1, 2, 0}} // same total, two items differ
	if !Differ(a, b) {
		t.Fatal("same total, different items: they differ")
	}
	if _, _, ok := Final(&a, &b, nil); ok {
		t.Fatal("no final marks before the third marker")
	}
	third := Marks{Points: []int{3, 3, 1}} // outside both
	m, round, ok := Final(&a, &b, &third)
	if !ok || round != 3 || m.Total() != 7 {
		t.Fatalf("final = %v round %d ok %v, want the third's 7 in round 3", m, round, ok)
	}
	same := Marks{Points: []int{2, 1, 0}}
	m, round, ok = Final(&a, &same, nil)
	if !ok || round != 2 || m.Total() != 3 {
		t.Fatalf("agreeing pair: final = %v round %d ok %v", m, round, ok)
	}
	if _, _, ok := Final(&a, nil, nil); ok {
		t.Fatal("one marking is not final (Neni 57.13)")
	}
}

func TestMarksRoundTrip(t *testing.T) {
	t.Parallel()
	m := Marks{Choices: []string{"B", "", "AC"}, Points: []int{1, 3, 0}}
	c, p := m.encode()
	got, err := decodeMarks(c, p, 3)
	if err != nil || got.Total() != 4 || got.Choices[2] != "AC" || got.Choices[1] != "" {
		t.Fatalf("round trip: %v %v", got, err)
	}
	if _, err := decodeMarks(c, "1,2", 3); err == nil {
		t.Fatal("two points for three items is refused")
	}
}
