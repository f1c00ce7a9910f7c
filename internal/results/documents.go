package results

import (
	"fmt"

	"provim/internal/doc"
)

// ListTable is a list of results as a document (PDF, XLSX, CSV): the
// candidates in the order of the list — names, never a ranking (Neni 63).
func ListTable(l List, title string) doc.Table {
	t := doc.Table{
		Title:    title,
		Subtitle: []string{fmt.Sprintf("Viti %d — %d rezultate, sipas emrit (Neni 63: pa renditje shkollash)", l.Year, l.Total)},
		Columns: []doc.Column{{Title: "Nr.", Width: 0.5, Align: "R"}, {Title: "Emri (atësia) mbiemri", Width: 3}, {Title: "Nr. regjistrimi", Width: 1.4},
			{Title: "Shkolla", Width: 2.4}, {Title: "Provimi", Width: 0.8}, {Title: "Pikët", Width: 0.8, Align: "R"}, {Title: "Nota", Width: 0.6, Align: "R"},
			{Title: "Gjendja", Width: 1}},
		Landscape: true,
	}
	for i, r := range l.Rows {
		points, grade := fmt.Sprintf("%d/%d", r.Points, r.MaxPoints), fmt.Sprint(r.Grade)
		if r.Voided || r.Absent {
			points, grade = "—", "—"
		}
		t.Rows = append(t.Rows, []string{fmt.Sprint(l.Offset + i + 1), r.Name, r.RegNo, r.School, r.ExamLabel(), points, grade, r.Status()})
	}
	return t
}

// Session2Table is a DAR/ZA's second-session list as a document (Neni 58).
func Session2Table(l Session2List) doc.Table {
	t := doc.Table{
		Title:    "Lista e nxënësve për sesionin e dytë",
		Subtitle: []string{fmt.Sprintf("Viti %d — DAR/ZA %s — afati i dërgimit në AVA: %s (Neni 58)", l.Year, l.Unit, l.Deadline)},
		Columns: []doc.Column{{Title: "Nr.", Width: 0.5, Align: "R"}, {Title: "Emri (atësia) mbiemri", Width: 3}, {Title: "Nr. regjistrimi", Width: 1.4},
			{Title: "Shkolla", Width: 2.4}, {Title: "Provimet", Width: 1}, {Title: "Arsyeja", Width: 4}},
		Landscape: true,
	}
	for i, r := range l.Rows {
		exams := ""
		for j, e := range r.Exams {
			if j > 0 {
				exams += ", "
			}
			exams += e
		}
		t.Rows = append(t.Rows, []string{fmt.Sprint(i + 1), r.Name, r.RegNo, r.School, exams, r.Reason})
	}
	return t
}
