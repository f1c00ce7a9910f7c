package remark

import (
	"fmt"
	"time"

	"provim/internal/doc"
	"provim/internal/examyear"
)

// Notice is the school's (or the region's) notice of the re-marking
// results (Neni 64 ¶4: "KMSH, nëpërmjet KSHMSH njofton për rezultatin e
// rivlerësimit çdo nxënës që ka kërkuar rivlerësim testi"): every request
// of the scope with its state and, once final, the points and grade before
// → after. scope names the school or the region.
func Notice(scope string, year int, list []Request, generated time.Time) doc.Table {
	t := doc.Table{
		Title:    fmt.Sprintf("Njoftimi i rezultateve të rivlerësimit — %d", year),
		Subtitle: []string{scope, "Rezultatet e rivlerësimit janë përfundimtare (Neni 64)."},
		Columns: []doc.Column{
			{Title: "Nr. i regjistrit", Width: 1.3}, {Title: "Kandidati", Width: 2.2}, {Title: "Provimi", Width: 0.9},
			{Title: "Gjendja", Width: 2}, {Title: "Pikët", Width: 1, Align: "R"}, {Title: "Nota", Width: 0.9, Align: "R"},
		},
		Landscape: true,
		Generated: generated,
	}
	for _, r := range list {
		pts, grade := "", ""
		if r.Final() {
			pts = fmt.Sprintf("%d → %d", r.PointsBefore, r.PointsAfter)
			grade = fmt.Sprintf("%d → %d", r.GradeBefore, r.GradeAfter)
		}
		state := r.StateLabel
		if r.RefusedReason != "" {
			state += ": " + r.RefusedReason
		}
		t.Rows = append(t.Rows, []string{r.RegNo, r.Name, examyear.TestLabel(r.Exam), state, pts, grade})
	}
	t.Footer = []string{"Kryetari i KSHMSH-së / KMSH-së: ______________________   Nënshkrimi: ____________"}
	return t
}
