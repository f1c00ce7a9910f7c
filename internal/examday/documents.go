package examday

import (
	"fmt"
	"strings"
	"time"

	"provim/internal/clock"
	"provim/internal/doc"
	"provim/internal/registry"
)

func heading(v VenueDay) string {
	a := v.Assignment
	// The venue's name and its city through registry.Place: a city the
	// name already ends with is not said twice (issue 11).
	return fmt.Sprintf("Provimi %s, sesioni %d, viti %d — qendra %s: %s — DAR/ZA %s", a.Exam, a.Session, a.Year, a.Venue, registry.Place(a.VenueName, a.City), a.Unit)
}

func timingLine(t Timing) string {
	return fmt.Sprintf("Data %s: hyrja nga %s, fillimi %s, lajmërimi 30 minuta %s (Neni 49.9), largimi jo para %s (Neni 56.3), mbarimi %s — asnjë kohë shtesë (Neni 50.14)",
		clock.Day(t.Start), hhmm(t.Opens), hhmm(t.Start), hhmm(t.Warning), hhmm(t.EarliestLeave), hhmm(t.End))
}

// RoomSheet is the printable sheet of a room (the paper fallback, Neni
// 52): the name list with the columns the AP fills at the door — the
// document seen (52.5), the arrival time, the seat in order of entry
// (52.7) — and the signatures; check-ins recorded so far are printed.
func RoomSheet(v VenueDay, r RoomDay, generated time.Time) doc.Table {
	seatNote := "Vendi: sipas radhës së hyrjes, një nga një; ndërrimi i vendeve ndalohet (Neni 52.7)."
	if v.SingleRoom {
		seatNote = "Vendi: sipas rendit alfabetik, provimi zhvillohet në një sallë (Neni 52.8)."
	}
	t := doc.Table{
		Title:    fmt.Sprintf("Fleta e sallës «%s» — identifikimi dhe hyrja e kandidatëve", r.Name),
		Subtitle: []string{heading(v), timingLine(v.Timing), "Lejohet hyrja vetëm e kandidatëve të kësaj liste (Neni 52.6); pa dokument identifikimi: përjashtim (Neni 54.1).", seatNote},
		Columns: []doc.Column{
			{Title: "Nr.", Width: 0.4, Align: "R"}, {Title: "Nr. i regjistrit", Width: 1.3}, {Title: "Emri (atësia) mbiemri", Width: 2.4},
			{Title: "Shkolla", Width: 2}, {Title: "Dokumenti (lloji, nr.)", Width: 1.8}, {Title: "Ora e hyrjes", Width: 0.8},
			{Title: "Vendi", Width: 0.6, Align: "R"}, {Title: "Largimi", Width: 0.8}, {Title: "Firma", Width: 1.2},
		},
		Landscape: true,
		Generated: generated,
	}
	entries := append([]Entry(nil), r.Entries...)
	// The sheet follows the printed name list: alphabetical.
	for i := 1; i < len(entries); i++ {
		for j := i; j > 0 && entries[j].Line < entries[j-1].Line; j-- {
			entries[j], entries[j-1] = entries[j-1], entries[j]
		}
	}
	for _, e := range entries {
		docCol, arr, seat, left := "", "", "", ""
		if e.Seat > 0 {
			docCol, arr, seat = DocLabel(e.DocType), hhmm(parseStored(e.ArrivedAt)), fmt.Sprint(e.Seat)
		}
		if e.LeftAt != "" {
			left = hhmm(parseStored(e.LeftAt))
		}
		if e.Status == "excluded" {
			left = "Përjashtuar " + e.Cause
		}
		t.Rows = append(t.Rows, []string{fmt.Sprint(e.Line), e.RegNo, e.FullName, e.School, docCol, arr, seat, left, ""})
	}
	t.Footer = []string{
		"Administratori i provimit (AP): ______________________   Nënshkrimi: ____________",
		"Përgjegjësi i administrimit (PAP): ______________________   Nënshkrimi: ____________",
		"Hyrjet e shënuara në letër i regjistron më pas PAP në sistem, me arsyen.",
	}
	return t
}

func parseStored(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

// Procesverbal is the procesverbal of the irregularities and measures of
// a venue's exam day (Neni 48.7–48.8, 50.17, 55): every exclusion with its
// cause, time and witnesses — a candidate who refused to leave continued,
// with the result not recognised — every incident, report and replaced
// booklet, signed by the AP and the PAP.
func Procesverbal(v VenueDay, generated time.Time) doc.Table {
	t := doc.Table{
		Title:    "Procesverbal i parregullsive dhe masave të ditës së provimit",
		Subtitle: []string{heading(v), timingLine(v.Timing), "Neni 48.7–48.8, 49.7–49.8, 50.17, 54–56"},
		Columns: []doc.Column{
			{Title: "Nr.", Width: 0.4, Align: "R"}, {Title: "Ora", Width: 0.6}, {Title: "Salla", Width: 0.9}, {Title: "Ngjarja", Width: 2.2},
			{Title: "Kandidati", Width: 2}, {Title: "Shkaku / përshkrimi", Width: 3.4}, {Title: "Dëshmitarët", Width: 1.6}, {Title: "Regjistroi", Width: 1.1},
		},
		Landscape: true,
		Generated: generated,
	}
	aps := map[string]bool{}
	for _, e := range v.Events {
		cand := e.Person
		if e.RegNo != "" {
			cand = e.FullName + " (" + e.RegNo + ")"
		}
		var what []string
		if e.Cause != "" {
			what = append(what, fmt.Sprintf("Neni %s: %s Rezultati nuk njihet (Neni 55.1).", e.Cause, e.CauseText))
			if e.BarsNextYear {
				what = append(what, fmt.Sprintf("I hiqet e drejta e provimeve të Maturës në vitin %d (Neni 55.2).", v.Assignment.Year+1))
			}
			if e.RefusedToLeave {
				what = append(what, "Refuzoi të largohej: u njoftua për mosnjohjen e rezultatit dhe provimi vazhdoi (Neni 55).")
			}
		}
		if e.Helper != "" {
			what = append(what, "Lexuesi/shkruesi: "+e.Helper+".")
		}
		if e.OldBooklet != "" {
			what = append(what, fmt.Sprintf("Broshura %s u zëvendësua me %s; kodi i kandidatit mbetet i njëjti.", e.OldBooklet, e.NewBooklet))
		}
		if e.Note != "" {
			what = append(what, e.Note)
		}
		t.Rows = append(t.Rows, []string{fmt.Sprint(len(t.Rows) + 1), hhmm(parseStored(e.At)), e.Room, e.KindLabel, cand, strings.Join(what, " "), e.Witnesses,
			e.RecordedBy})
		if e.Room != "" {
			aps[e.Room] = true
		}
	}
	for _, r := range v.Rooms {
		if !aps[r.Name] {
			continue
		}
		for _, ap := range r.APs {
			t.Footer = append(t.Footer, fmt.Sprintf("AP i sallës «%s»: %s   Nënshkrimi: ____________", r.Name, ap.Name))
		}
		if len(r.APs) == 0 {
			t.Footer = append(t.Footer, fmt.Sprintf("AP i sallës «%s»: ______________________   Nënshkrimi: ____________", r.Name))
		}
	}
	t.Footer = append(t.Footer, "PAP: "+staffName(v, "PAP")+"   Nënshkrimi: ____________")
	return t
}

func staffName(v VenueDay, role string) string {
	for _, s := range v.Staff {
		if s.Role == role {
			return s.Name
		}
	}
	return "______________________"
}

// ExamReport is the form of the exam's administration of Neni 48.11:
// candidates listed, present, absent, late and excluded (by cause), the
// incidents, the booklets used, replaced and unused, the labels of each
// room, and the packing, signed by the PAP and the KMSH representative.
func ExamReport(v VenueDay, generated time.Time) doc.Table {
	t := doc.Table{
		Title:     "Formulari i zhvillimit të provimit (Neni 48.11)",
		Subtitle:  []string{heading(v), timingLine(v.Timing)},
		Columns:   []doc.Column{{Title: "Treguesi", Width: 4}, {Title: "Vlera", Width: 3}},
		Generated: generated,
	}
	var listed, present, excluded, late, left, labelled int
	for _, r := range v.Rooms {
		listed += r.Listed
		present += r.Present
		excluded += r.Excluded
		left += r.Left
		labelled += r.Labelled
		for _, e := range r.Entries {
			if e.Late {
				late++
			}
		}
	}
	causes := map[string]int{}
	kinds := map[string]int{}
	for _, e := range v.Events {
		if e.Kind == "exclusion" {
			causes[e.Cause]++
		} else {
			kinds[e.Kind]++
		}
	}
	doorExcl := causes["54.1"]
	add := func(k, val string) { t.Rows = append(t.Rows, []string{k, val}) }
	add("Kandidatë në listat emërore (Neni 52.6)", fmt.Sprint(listed))
	add("Të pranishëm (hynë në provim)", fmt.Sprint(present))
	add("Mungues", fmt.Sprint(max(0, listed-present-doorExcl)))
	add("Të ardhur pas fillimit", fmt.Sprint(late))
	add("Me etiketat e kodit të ngjitura (Neni 53)", fmt.Sprint(labelled))
	add("Të përjashtuar (Neni 54, 55)", fmt.Sprint(excluded))
	for _, c := range Causes {
		if n := causes[c.Code]; n > 0 {
			add("  — Neni "+c.Code, fmt.Sprintf("%d: %s", n, c.Text))
		}
	}
	for _, k := range []string{"refused", KindIncident, KindIrregularity, KindBlind, KindBooklet, "early_leave", "overtime"} {
		if n := kinds[k]; n > 0 {
			add(KindLabel(k), fmt.Sprint(n))
		}
	}
	add("Test-broshura në paketë (zinxhiri i materialeve)", fmt.Sprint(v.Materials.Booklets))
	if pk := v.Packing; pk != nil {
		add("Test-broshura të përdorura", fmt.Sprint(pk.UsedBooklets))
		add("Test-broshura të ndërruara (Neni 56.4)", fmt.Sprint(pk.SpoiltBooklets))
		add("Test-broshura të papërdorura, të paketuara (Neni 48.9)", fmt.Sprint(pk.UnusedBooklets))
		add("Etiketa kodi të papërdorura, të mbyllura (Neni 53.5)", fmt.Sprint(pk.UnusedLabels))
		status := "Përputhet"
		if !pk.Balanced {
			status = "NUK përputhet: " + strings.Join(pk.Problems, " ")
		}
		add("Numërimi", status)
		if pk.Explanation != "" {
			add("Sqarimi i PAP (Neni 48.10–48.11)", pk.Explanation)
		}
		add("Paketoi (Neni 48.10)", pk.PackedBy+", "+clock.Stamp(pk.PackedAt))
	} else {
		add("Paketimi (Neni 48.9–48.10)", "Nuk është regjistruar ende")
	}
	for _, l := range v.Labels {
		add("Kodet e sallës «"+l.Room+"»", fmt.Sprintf("%d të shtypur, %d të përdorur, %d të papërdorur", l.Printed, l.Used, max(l.Unused, 0)))
	}
	add("Materialet (zinxhiri)", v.Materials.Holder)
	t.Footer = []string{
		"PAP: " + staffName(v, "PAP") + "   Nënshkrimi: ____________",
		"Përfaqësuesi i KMSH: " + staffName(v, "KMSH") + "   Nënshkrimi: ____________",
	}
	return t
}
