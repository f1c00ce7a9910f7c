package custody

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/doc"
	"provim/internal/registry"
)

// Heading names the exam and the venue of a consignment on its
// procesverbals: the venue's name and city through registry.Place, so a
// city the name already ends with is not said twice (issue 11).
func Heading(c Consignment) string {
	return fmt.Sprintf("Provimi %s, sesioni %d, viti %d — qendra %s: %s — DAR/ZA %s", c.Exam, c.Session, c.Year, c.VenueCode,
		registry.Place(c.VenueName, c.City), c.UnitCode)
}

// sealsHiddenNote stands in the procesverbal for seal numbers the reader
// must read off the seals at a later step.
const sealsHiddenNote = "të fshehura: i lexoni vetë në vula (Neni 43–45)"

// when prints a stored RFC 3339 time in Tirana, or "—".
func when(s string) string { return clock.Stamp(s) }

// Document is the procesverbal of a hand-over (Neni 42, 44, 45.2, 45.4):
// the parties, the time of both acts, every package with its seals as
// registered and as read by each side, and the signature lines.
func Document(h Handover, c Consignment, generated time.Time) doc.Table {
	st, _ := StepByNo(h.Step)
	status := "I konfirmuar nga marrësi"
	if !h.Confirmed {
		status = "NË PRITJE të konfirmimit nga marrësi"
	}
	t := doc.Table{
		Title: fmt.Sprintf("Procesverbal i dorëzimit të materialeve të provimit nr. %d", h.ID),
		Subtitle: []string{
			fmt.Sprintf("Hapi %d: %s (%s)", h.Step, st.Name, st.Article),
			Heading(c),
			fmt.Sprintf("Nga: %s → te: %s", st.From, st.To),
			"Dorëzoi: " + strings.Join(h.Givers, ", "),
			"Mori në dorëzim: " + strings.Join(h.Receivers, ", "),
			fmt.Sprintf("Regjistruar më %s nga %s (%s); konfirmuar më %s nga %s (%s)", when(h.RecordedAt), h.RecordedBy, auth.Role(h.RecordedRole).Label(),
				when(h.ConfirmedAt), dash(h.ConfirmedBy), dashRole(h.ConfirmedRole)),
			"Gjendja: " + status,
		},
		Columns: []doc.Column{
			{Title: "Nr.", Width: 0.4, Align: "R"},
			{Title: "Kodi i paketës", Width: 1.8},
			{Title: "Përmbajtja", Width: 2},
			{Title: "Sasia", Width: 0.6, Align: "R"},
			{Title: "Vulat e regjistruara", Width: 1.7},
			{Title: "Vulat sipas dorëzuesit", Width: 1.7},
			{Title: "Vulat sipas marrësit", Width: 1.7},
		},
		Landscape: true,
		Generated: generated,
	}
	for i, pk := range c.Packages {
		given, received := "nuk kontrollohen në këtë hap", ""
		switch {
		case st.ChecksKind(pk.Kind) && slices.Contains(h.SealsHidden, pk.Code):
			// Neni 43–45: whoever reads these seals later reads them
			// off the seals, not off this procesverbal.
			given, received = sealsHiddenNote, sealsHiddenNote
		case st.ChecksKind(pk.Kind):
			given = strings.Join(h.SealsGiven[pk.Code], ", ")
			received = strings.Join(h.SealsReceived[pk.Code], ", ")
			if received == "" {
				received = "—"
			}
		}
		registered := strings.Join(pk.Seals, ", ")
		if registered == "" {
			registered = "(te AVA)"
		}
		t.Rows = append(t.Rows, []string{fmt.Sprint(i + 1), pk.Code, pk.KindLabel, fmt.Sprint(pk.Items), registered, given, received})
	}
	if h.Note != "" {
		t.Subtitle = append(t.Subtitle, "Shënime: "+h.Note)
	}
	for _, n := range h.Givers {
		t.Footer = append(t.Footer, "Dorëzoi: "+n+"   Nënshkrimi: ____________________")
	}
	for _, n := range h.Receivers {
		t.Footer = append(t.Footer, "Mori në dorëzim: "+n+"   Nënshkrimi: ____________________")
	}
	return t
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func dashRole(r string) string {
	if r == "" {
		return "—"
	}
	return auth.Role(r).Label()
}
