package applications

import (
	"errors"
	"html/template"
	"strings"
	"testing"
	"time"

	"provim/internal/application"
	"provim/internal/examyear"
)

// Form A2 ranks programmes of the catalogue (Neni 21.1): the one list the
// boxes offer is the whole catalogue in its order, escaped, each option's
// value its code; a change of the catalogue shows at the next page, also
// one made in place in the caller's slice.
func TestNeni21_A2OptionsFollowTheCatalogue(t *testing.T) {
	t.Parallel()
	cat := []application.Programme{
		{Code: "UT-INF", Name: "Informatikë", Institution: "Universiteti i Tiranës", City: "Tiranë"},
		{Code: "UT-DRE", Name: "Drejtësi", Institution: "Universiteti i Tiranës", City: "Tiranë"},
		{Code: "US-<x>", Name: `Art "&" <b>`, Institution: "Universiteti \"Luigj Gurakuqi\""},
	}
	var c catalogueList
	got := string(c.options(cat))
	want := `<option value="UT-INF">Informatikë — Universiteti i Tiranës, Tiranë</option>` +
		`<option value="UT-DRE">Drejtësi — Universiteti i Tiranës, Tiranë</option>` +
		`<option value="US-&lt;x&gt;">Art &#34;&amp;&#34; &lt;b&gt; — Universiteti &#34;Luigj Gurakuqi&#34;</option>`
	if got != want {
		t.Errorf("options:\n got %s\nwant %s", got, want)
	}
	if again := string(c.options(cat)); again != got {
		t.Error("the same catalogue gives other options")
	}
	// AVA renames a programme and adds one: the next page shows both.
	changed := append([]application.Programme(nil), cat...)
	changed[1].Name = "Drejtësi (5 vjet)"
	changed = append(changed, application.Programme{Code: "UT-MAT", Name: "Matematikë", Institution: "Universiteti i Tiranës"})
	now := string(c.options(changed))
	for _, s := range []string{"Drejtësi (5 vjet) — Universiteti i Tiranës", `<option value="UT-MAT">Matematikë — Universiteti i Tiranës</option>`, "Informatikë"} {
		if !strings.Contains(now, s) {
			t.Errorf("after the change the options lack %q:\n%s", s, now)
		}
	}
	// The kept catalogue is a copy: a change in place is a change too.
	changed[0].Name = "Shkenca kompjuterike"
	if now := string(c.options(changed)); !strings.Contains(now, "Shkenca kompjuterike") {
		t.Errorf("a catalogue changed in place keeps the old options:\n%s", now)
	}
	if empty := c.options(nil); empty != "" {
		t.Errorf("an empty catalogue: %q", empty)
	}
}

// The boxes of form A2 are as many as the year allows (Neni 21.1), the
// chosen codes in their order with the programme's name beside a code of
// the catalogue; a refused form keeps every code sent, even past the
// limit or unknown, so that the candidate sees what was refused.
func TestNeni21_A2BoxesKeepTheChoicesInOrder(t *testing.T) {
	t.Parallel()
	cat := []application.Programme{
		{Code: "UT-INF", Name: "Informatikë", Institution: "Universiteti i Tiranës", City: "Tiranë"},
		{Code: "UT-DRE", Name: "Drejtësi", Institution: "Universiteti i Tiranës"},
	}
	cfg := examyear.Config{MaxProgrammes: 3}
	got := programmeSlots(cfg, cat, []string{"UT-DRE", "", "UT-INF"})
	want := []a2Slot{{1, "program1", "UT-DRE", "Drejtësi — Universiteti i Tiranës"}, {2, "program2", "", ""}, {3, "program3", "UT-INF", "Informatikë — Universiteti i Tiranës, Tiranë"}}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("boxes %v, want %v", got, want)
	}
	if got := programmeSlots(cfg, cat, nil); len(got) != 3 || got[0] != (a2Slot{N: 1, ID: "program1"}) {
		t.Errorf("an empty form: %v", got)
	}
	got = programmeSlots(cfg, cat, []string{"UT-INF", "X-1", "UT-DRE", "UT-INF"})
	if len(got) != 4 || got[1] != (a2Slot{N: 2, ID: "program2", Code: "X-1"}) || got[3] != (a2Slot{4, "program4", "UT-INF", "Informatikë — Universiteti i Tiranës, Tiranë"}) {
		t.Errorf("a refused form of 4 boxes: %v", got)
	}
}

// The catalogue form A2 offers (Neni 21.1) is read at most once in the
// active year's time to live, read again after it, and at once after AVA
// saves it through this server; a read that began before a save is not
// kept.
func TestNeni21_A2CatalogueIsReadAgainAfterAChange(t *testing.T) {
	t.Parallel()
	var c catalogueList
	reads := 0
	cat := []application.Programme{{Code: "UT-INF", Name: "Informatikë", Institution: "Universiteti i Tiranës"}}
	load := func() ([]application.Programme, error) {
		reads++
		return append([]application.Programme(nil), cat...), nil
	}
	for range 5 {
		got, err := c.programmes(time.Hour, load)
		if err != nil || len(got) != 1 {
			t.Fatalf("%v, %v", got, err)
		}
	}
	if reads != 1 {
		t.Errorf("five pages within the time to live read the catalogue %d times, want 1", reads)
	}
	cat = append(cat, application.Programme{Code: "UT-DRE", Name: "Drejtësi", Institution: "Universiteti i Tiranës"})
	if got, _ := c.programmes(time.Hour, load); len(got) != 1 {
		t.Errorf("a change through another server shows before the time to live ends: %v", got)
	}
	if got, _ := c.programmes(0, load); len(got) != 2 || reads != 2 {
		t.Errorf("after the time to live: %v after %d reads, want 2 programmes after 2", got, reads)
	}
	cat = cat[:1]
	c.forget() // AVA saved the catalogue through this server
	if got, _ := c.programmes(time.Hour, load); len(got) != 1 || reads != 3 {
		t.Errorf("after a save: %v after %d reads, want 1 programme after 3", got, reads)
	}
	if !strings.Contains(string(c.options(cat)), "UT-INF") || strings.Contains(string(c.options(cat)), "UT-DRE") {
		t.Errorf("options after the save: %s", c.options(cat))
	}
	// A read under way when AVA saves returns what it read, but the next
	// page reads again.
	stale := func() ([]application.Programme, error) {
		reads++
		c.forget()
		return []application.Programme{{Code: "OLD"}}, nil
	}
	if got, _ := c.programmes(0, stale); len(got) != 1 || got[0].Code != "OLD" {
		t.Fatalf("%v", got)
	}
	if got, _ := c.programmes(time.Hour, load); len(got) != 1 || got[0].Code != "UT-INF" {
		t.Errorf("a read overtaken by a save was kept: %v", got)
	}
	failed := func() ([]application.Programme, error) { return nil, errors.New("down") }
	c.forget()
	if _, err := c.programmes(time.Hour, failed); err == nil {
		t.Error("a failed read is not an error")
	}
}

// The boxes of form A2 written in Go are, byte for byte, what the page's
// template wrote for them, escaping included.
func TestNeni21_A2BoxesAreWrittenAsTheTemplateWroteThem(t *testing.T) {
	t.Parallel()
	tmpl := template.Must(template.New("boxes").Parse(`{{range .}}<div><label for="{{.ID}}">Zgjedhja {{.N}}</label>
      <input id="{{.ID}}" name="program" list="programet" value="{{.Code}}" autocomplete="off"{{if .Label}} aria-describedby="{{.ID}}-emri"{{end}}>
      {{if .Label}}<small class="muted" id="{{.ID}}-emri">{{.Label}}</small>{{end}}</div>
{{end}}`))
	cat := []application.Programme{{Code: "UT-INF", Name: `Informatikë "<b>" & më`, Institution: "Universiteti i Tiranës", City: "Tiranë"}}
	slots := programmeSlots(examyear.Config{MaxProgrammes: 3}, cat, []string{"UT-INF", `X"><script>`})
	var want strings.Builder
	if err := tmpl.Execute(&want, slots); err != nil {
		t.Fatal(err)
	}
	if got := string(boxesHTML(slots)); got != want.String() {
		t.Errorf("boxes:\n got %s\nwant %s", got, want.String())
	}
}
