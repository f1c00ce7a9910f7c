package web

import (
	"context"
	"strings"
	"testing"

	"provim/internal/examyear"
	"provim/internal/testkit"
)

// calendarRow is the dashboard calendar's row of the deadline name, from
// its <tr to its </tr>, or "" when the page has none.
func calendarRow(page, name string) string {
	i := strings.Index(page, `id="calendar"`)
	if i < 0 {
		return ""
	}
	page = page[i:]
	j := strings.Index(page, name)
	if j < 0 {
		return ""
	}
	start := strings.LastIndex(page[:j], "<tr")
	end := strings.Index(page[j:], "</tr>")
	return page[start : j+end]
}

// The dashboard's calendar is written once for every viewer of the same
// lines on the same day (account.calendarHTML): it still follows the day
// ("sot", then "kaloi") and a changed year, for every role at once.
func TestDashboardCalendarFollowsTheDayAndTheYear(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	y, err := f.k.Years.Active(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cfg := y.Config
	const name = "Afati i provës së kalendarit"
	cfg.Calendar = append(cfg.Calendar, examyear.Deadline{Key: "prova-kalendarit", Name: name, Date: "2009-03-10", Article: "Neni 14"})
	if _, err := f.k.Years.Update(ctx, testkit.AVA, y.Year, y.Name, cfg); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		day        string
		want, lack string
	}{
		{"2009-03-09", "", "kaloi"},
		{"2009-03-10", "<strong>sot</strong>", "kaloi"},
		{"2009-03-11", "kaloi", "sot"},
	} {
		f.k.At(t, c.day)
		for _, user := range []string{"ava", "nxenes", "kmsh"} {
			code, page := f.ui(t, user, "/paneli")
			row := calendarRow(page, name)
			if code != 200 || row == "" {
				t.Fatalf("%s on %s: %d, no calendar row %q", user, c.day, code, name)
			}
			if !strings.Contains(row, "10.03.2009") || c.want != "" && !strings.Contains(row, c.want) || strings.Contains(row, c.lack) {
				t.Errorf("%s on %s: row %q, want %q and not %q", user, c.day, row, c.want, c.lack)
			}
		}
	}
	// The year changes: the next page shows the new name, not the kept one.
	cfg.Calendar[len(cfg.Calendar)-1].Name = name + " (ndryshuar)"
	if _, err := f.k.Years.Update(ctx, testkit.AVA, y.Year, y.Name, cfg); err != nil {
		t.Fatal(err)
	}
	for _, user := range []string{"nxenes", "ava"} {
		_, page := f.ui(t, user, "/paneli")
		if !strings.Contains(calendarRow(page, name), "(ndryshuar)") {
			t.Errorf("%s after the year changed: the calendar is stale", user)
		}
	}
}
