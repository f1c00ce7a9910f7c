package application

import (
	"fmt"
	"strconv"
	"time"

	"provim/internal/albanian"
	"provim/internal/doc"
	"provim/internal/examyear"
)

// FinalListDocument is the final name list of one exam (Neni 36) as a
// printable table: the one content of the page, its PDF and the API's
// files. subject is the exam's name, scope says whose part of the list it
// is (the country, a DAR/ZA, a school).
func FinalListDocument(y *examyear.Year, exam, subject, scope string, list []ListEntry, generated time.Time) doc.Table {
	t := doc.Table{
		Title: "Lista përfundimtare — " + subject + " (" + exam + ")",
		Subtitle: []string{
			fmt.Sprintf("Matura Shtetërore %d, viti shkollor %s · Neni 36", y.Year, y.Config.SchoolYear),
			"Fusha: " + scope,
			"Kandidatë: " + strconv.Itoa(len(list)),
		},
		Columns: []doc.Column{{Title: "Nr.", Width: 0.5, Align: "R"}, {Title: "Nr. regjistrimi", Width: 1.3},
			{Title: "Emri (atësia) mbiemri", Width: 3}, {Title: "Datëlindja", Width: 1.1}, {Title: "Shkolla", Width: 2.6}, {Title: "DAR/ZA", Width: 0.9}},
		Generated: generated,
	}
	corrected := 0
	for i, e := range list {
		name := e.FullName
		if e.Corrected != "" {
			// Neni 36: a change after the lists were built is marked.
			name += " *\n" + e.Corrected
			corrected++
		}
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), e.RegNo, name, albanian.DateString(e.BirthDate), e.SchoolName, e.UnitCode})
	}
	if corrected > 0 {
		t.Footer = append(t.Footer, fmt.Sprintf("* %d hyrje me të dhëna personale të korrigjuara pas ndërtimit të listës, me arsyen e shënuar (Neni 36).", corrected))
	}
	return t
}
