package web

import (
	"net/url"
	"strings"
	"testing"
)

// stepFieldset is the opening of the step fieldset of the form with id on
// a page ("" when the form is not there).
func stepFieldset(page, id string) string {
	i := strings.Index(page, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(page[i:], `<fieldset class="step"`)
	if j < 0 {
		return ""
	}
	rest := page[i+j:]
	return rest[:strings.Index(rest, ">")+1]
}

const (
	openStep   = `<fieldset class="step">`
	closedStep = `<fieldset class="step" disabled>`
)

// TestNeni22_37_UI_FormsPastTheirDeadlineAreDisabledBeforeFilling: over
// HTTP, on the year's calendar (Neni 22 ¶1–2, 37): the student's A1 is
// open on its last day and, from the next, says which deadline passed on
// which day under which article and comes disabled, and a submit is still
// refused; the school's paper form stays open through table T (to 24
// March) and closes after it (its file form, which takes A2 forms too,
// stays open until theirs, Neni 32), while the KMSH, which may accept late with a
// reason, is told so and keeps the form open; the inspection of venues
// closes for the KMSH after 8 April and stays open for AVA.
func TestNeni22_37_UI_FormsPastTheirDeadlineAreDisabledBeforeFilling(t *testing.T) {
	t.Parallel()
	f := uiAppFixture(t)
	f.setDay(t, "2027-03-10")
	if body := f.expect(t, "nxenes", "/formulari", 200); stepFieldset(body, "a1-form") != openStep || strings.Contains(body, "ka kaluar më") {
		t.Errorf("A1 on its last day: %q", stepFieldset(body, "a1-form"))
	}
	f.setDay(t, "2027-03-11")
	body := f.expect(t, "nxenes", "/formulari", 200, "Afati «Dorëzimi i formularëve A1/A1z» (Neni 22 ¶1) ka kaluar më 10.03.2027: formulari nuk pranohet më.")
	if got := stepFieldset(body, "a1-form"); got != closedStep {
		t.Errorf("A1 past its deadline: %q, want it disabled", got)
	}
	code, body, _ := f.post(t, "nxenes", "/formulari", url.Values{"veprimi": {"dorezo"}, "z": {"FIZ", "KIM"}})
	if code == 303 || !strings.Contains(body, "10.03.2027") {
		t.Errorf("a submit past the deadline: %d %s", code, errorOf(body))
	}
	if body := f.expect(t, "kshmsh", "/aplikimet/i-ri", 200); stepFieldset(body, "paper-form") != openStep {
		t.Errorf("paper form during table T: %q", stepFieldset(body, "paper-form"))
	}
	f.setDay(t, "2027-03-25")
	body = f.expect(t, "kshmsh", "/aplikimet/i-ri", 200, "(Neni 22 ¶2) ka kaluar më 24.03.2027")
	if got := stepFieldset(body, "paper-form"); got != closedStep {
		t.Errorf("paper form after table T for the school: %q", got)
	}
	if got := stepFieldset(body, "paper-file"); got != openStep {
		t.Errorf("the file form after table T, while A2 forms are still taken (Neni 32): %q", got)
	}
	body = f.expect(t, "kmsh", "/aplikimet/i-ri?shkolla=A-1", 200, "mund ta pranoni me vonesë vetëm duke shënuar arsyen")
	if got := stepFieldset(body, "paper-form"); got != openStep {
		t.Errorf("paper form after table T for the KMSH: %q", got)
	}
	f.setDay(t, "2027-04-09")
	for user, want := range map[string]string{"kmsh": closedStep, "ava": openStep} {
		body := f.expect(t, user, "/qendrat/Q-A-1/inspektimi", 200, "Afati «Inspektimi i qendrave të provimit nga KMSH» (Neni 37) ka kaluar më 08.04.2027")
		if got := stepFieldset(body, "inspection-form"); got != want {
			t.Errorf("inspection after its deadline for %s: %q, want %q", user, got, want)
		}
	}
}
