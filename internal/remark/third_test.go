package remark_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/marking"
)

// Neni 57.13–57.14: the page offers as a booklet's third re-marker the
// markers the assignment accepts — qualified for the test, neither of the
// two re-markers, no original marker, none of the booklet's schools, not
// the lead who assigns — by name and username, no id; the choice from
// the list assigns, and the username field stays.
func TestNeni57_14_ThirdReMarkerChosenFromTheEligible(t *testing.T) {
	w := newWorld(t)
	w.forwarded(t, 0, 1, 3)
	if _, err := w.svc.Start(w.ctx, ava, year, "D1"); err != nil {
		t.Fatal(err)
	}
	c3 := w.codes[w.students[3]]
	rm3 := w.remarkers(t, c3)
	if _, err := w.svc.Mark(w.ctx, vl(rm3[1]), year, "D1", c3, []string{"B", ""}, []int{0, 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Mark(w.ctx, vl(rm3[2]), year, "D1", c3, []string{"A", ""}, []int{0, 3}); err != nil {
		t.Fatal(err)
	}
	never := append([]string{rm3[1], rm3[2], "vl.b"}, w.original(t, c3)...)
	for _, by := range []string{"ava", "vl.lead"} {
		p := ava
		if by != "ava" {
			p = vl(by)
		}
		got, err := w.svc.ThirdChoices(w.ctx, p, year, "D1", []string{marking.DisplayCode(c3)})
		if err != nil {
			t.Fatal(err)
		}
		list := got[c3]
		var names []string
		for _, c := range list {
			names = append(names, c.Username)
		}
		if len(list) == 0 {
			t.Fatalf("%s: no choices", by)
		}
		for _, m := range markers {
			u := m[0]
			offered := slices.Contains(names, u)
			if slices.Contains(never, u) || u == by {
				if offered {
					t.Errorf("%s offered %s, whom the assignment refuses", by, u)
				}
				continue
			}
			// Everyone offered is accepted (and the others refused).
			_, err := w.svc.AssignThird(w.ctx, p, year, "D1", c3, u)
			if offered != (err == nil) {
				t.Errorf("%s: %s offered %v, assignment %v", by, u, offered, err)
			}
		}
	}
	_, err := w.svc.ThirdChoices(w.ctx, vl("vl.c"), year, "D1", []string{c3})
	want(t, err, apperr.Forbidden) // a plain marker does not assign

	// The loop above assigned thirds: the booklet waits for one again.
	if _, err := w.k.DB.Exec(`DELETE FROM remark_markings WHERE year = $1 AND exam = 'D1' AND code = $2 AND round = 3`, year, c3); err != nil {
		t.Fatal(err)
	}
	do := webOf(t, w)
	code, _, page := do("ava", "GET", "/rivleresimi/D1/grupi", "", "")
	if code != 200 || !strings.Contains(page, `name="vleresuesi_nga_lista"`) || !strings.Contains(page, `name="vleresuesi"`) {
		t.Fatalf("the form offers no list and field (%d):\n%s", code, page)
	}
	choices, _ := w.svc.ThirdChoices(w.ctx, ava, year, "D1", []string{c3})
	pick := choices[c3][len(choices[c3])-1]
	if !strings.Contains(page, `<option value="`+pick.Username+`">`+pick.FullName+` (`+pick.Username+`)`) {
		t.Fatalf("%s is not offered by name and username:\n%s", pick.Username, page)
	}
	for _, u := range never {
		if strings.Contains(page, `<option value="`+u+`"`) {
			t.Errorf("the page offers %s", u)
		}
	}
	v := url.Values{"csrf": {"t"}, "vleresuesi_nga_lista": {pick.Username}, "vleresuesi": {""}}
	if code, _, b := do("ava", "POST", "/rivleresimi/D1/e-treta/"+marking.DisplayCode(c3), form, v.Encode()); code != 303 {
		t.Fatalf("assign from the list: %d %s", code, b)
	}
	if got := w.remarkers(t, c3)[3]; got != pick.Username {
		t.Fatalf("third is %q, chose %q", got, pick.Username)
	}
	// A username typed still assigns (the field is the fallback), and wins.
	other := choices[c3][0].Username
	v = url.Values{"csrf": {"t"}, "vleresuesi_nga_lista": {pick.Username}, "vleresuesi": {other}}
	if code, _, b := do("ava", "POST", "/rivleresimi/D1/e-treta/"+marking.DisplayCode(c3), form, v.Encode()); code != 303 {
		t.Fatalf("assign typed: %d %s", code, b)
	}
	if got := w.remarkers(t, c3)[3]; got != other {
		t.Fatalf("third is %q, typed %q", got, other)
	}
}
