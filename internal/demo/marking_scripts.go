package demo

import (
	"fmt"
	"sort"

	"provim/internal/marking"
)

// The simulated booklets and markers of the demo's marking: what each
// booklet holds, drawn from its code, and what each marker reads of it.

// d1Test is D1's final test: 20 choice items of a point, 8 short answers
// of 2 points, 3 extended answers of 8 (60 points, the subject's).
func d1Test() marking.TestInput {
	var items []marking.Item
	for i := 1; i <= 20; i++ {
		items = append(items, marking.Item{No: i, Label: fmt.Sprint(i), Kind: marking.KindChoice, MaxPoints: 1, Options: 4,
			Key: string(rune('A' + hashOf(fmt.Sprintf("key%d", i))%4))})
	}
	for i := 21; i <= 28; i++ {
		items = append(items, marking.Item{No: i, Label: fmt.Sprint(i), Kind: marking.KindShort, MaxPoints: 2,
			Levels: []marking.Level{{Points: 2, Text: "Përgjigje e plotë dhe e saktë."}, {Points: 1, Text: "Përgjigje e pjesshme: një nga dy elementët e kërkuar."}}})
	}
	for i := 29; i <= 31; i++ {
		items = append(items, marking.Item{No: i, Label: fmt.Sprint(i), Kind: marking.KindExtended, MaxPoints: 8,
			Levels: []marking.Level{
				{Points: 8, Text: "Ese e plotë: tezë e qartë, argumente me shembuj nga vepra, gjuhë e saktë."},
				{Points: 6, Text: "Tezë e qartë dhe argumente, me mangësi të vogla në shembuj ose në gjuhë."},
				{Points: 4, Text: "Përgjigje e pjesshme: tezë pa argumente të mjaftueshme."},
				{Points: 2, Text: "Fillim i arsyeshëm, pa zhvillim."}}})
	}
	return marking.TestInput{Title: "Gjuhë shqipe dhe letërsi — testi përfundimtar, sesioni I", Items: items}
}

// script is what a booklet holds, as every careful marker reads it: the
// alternatives marked on choice items and the level an open answer
// deserves.
type script struct {
	choices []string
	points  []int
}

// scriptOf draws the answers of a booklet from its code: an ability
// between 0 and 1 and, per item, an answer that follows it.
func scriptOf(items []marking.Item, code string) script {
	ability := float64(hashOf("ability/"+code)%1000) / 1000
	s := script{choices: make([]string, len(items)), points: make([]int, len(items))}
	for i, it := range items {
		h := hashOf(fmt.Sprintf("%s/%d", code, it.No))
		r := float64(h%1000) / 1000
		switch it.Kind {
		case marking.KindChoice:
			switch {
			case h%97 == 5:
				s.choices[i] = "" // no answer
			case h%131 == 7:
				s.choices[i] = "AC" // two marked (Neni 57.4)
			case r < 0.3+0.6*ability:
				s.choices[i] = it.Key
			default:
				s.choices[i] = string(rune('A' + (int(it.Key[0]-'A')+1+h%3)%4))
			}
		default:
			levels := append([]int{0}, levelPoints(it)...) // ascending
			k := int((0.25 + 0.85*ability - 0.3*r) * float64(len(levels)))
			s.points[i] = levels[max(0, min(len(levels)-1, k))]
		}
	}
	return s
}

func levelPoints(it marking.Item) []int {
	var ps []int
	for _, l := range it.Levels {
		ps = append(ps, l.Points)
	}
	sort.Ints(ps)
	return ps
}

// markedBy is what a marker enters for a booklet: the script, except that
// now and then they read an open answer one level off; the drifting
// marker, from the third day, often one level lower.
func markedBy(items []marking.Item, s script, marker, code string, drifting bool) ([]string, []int) {
	points := append([]int(nil), s.points...)
	for i, it := range items {
		if it.Kind == marking.KindChoice {
			continue
		}
		h := hashOf(marker + "/" + code + fmt.Sprint(it.No))
		levels := append([]int{0}, levelPoints(it)...)
		at := 0
		for j, p := range levels {
			if p == points[i] {
				at = j
			}
		}
		switch {
		case drifting && h%100 < 12 && at > 0:
			at--
		case h%1000 < 6:
			if h%2 == 0 && at > 0 {
				at--
			} else if at < len(levels)-1 {
				at++
			}
		}
		points[i] = levels[at]
	}
	return append([]string(nil), s.choices...), points
}

// offBy lowers open items' points by about d in all.
func offBy(items []marking.Item, pts []int, d int) []int {
	out := append([]int(nil), pts...)
	for i := len(items) - 1; i >= 0 && d > 0; i-- {
		if items[i].Kind == marking.KindChoice {
			continue
		}
		levels := append([]int{0}, levelPoints(items[i])...)
		for j := len(levels) - 1; j > 0; j-- {
			if levels[j] == out[i] {
				d -= levels[j] - levels[j-1]
				out[i] = levels[j-1]
				break
			}
		}
	}
	return out
}
