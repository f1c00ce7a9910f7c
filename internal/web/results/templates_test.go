package results

import (
	"html/template"
	"testing"

	"provim/internal/results"
	"provim/internal/web/webkit/webkittest"
)

// TestTemplates parses every page of the area and executes it with a
// filled sample of its view.
func TestTemplates(t *testing.T) {
	t.Parallel()
	r := results.ExamResult{Exam: "D1", Subject: "GJSH", SubjectName: "Gjuhë shqipe dhe letërsi", Points: 40, MaxPoints: 60, Grade: 8, Passed: true}
	pages := map[string]any{
		"results_me_ready": template.HTML("<h1>Rezultatet e mia</h1>"),
		"results_me": meView{Page: results.Page{Year: 2027, Name: "Ëndrit (Ilir) Çela", RegNo: "270000011", School: "Gjimnazi «Sami Frashëri»",
			Exams:   []results.PageExam{{ExamResult: r, Published: "20.06.2027 10:00", RemarkUntil: "24.06.2027", History: []results.Change{{PointsBefore: 30, PointsAfter: 40, GradeBefore: 7, GradeAfter: 8, At: "01.07.2027 10:00"}}}},
			Outcome: results.Outcome{Pending: []string{"KIM"}, Notes: []string{"Provimi D2 rijepet në sesionin e dytë (Neni 16, 58)."}}}},
		"results_list": listView{Manage: true, Year: 2027, Exams: []results.ExamState{{Exam: results.Exam{Code: "D1", Name: "Gjuhë shqipe"}, MarkingClosed: true, LinkOpened: true, Computed: true, Deadline: "2027-06-23", DaysLeft: -1}},
			List: results.List{Year: 2027, Total: 1, Rows: []results.Row{{Name: "Ëndrit (Ilir) Çela", RegNo: "270000011", School: "Gjimnazi", Exam: "D1", Points: 40, MaxPoints: 60, Grade: 8, Passed: true}}},
			Prev: "/rezultatet?faqja=1", Next: "/rezultatet?faqja=3"},
		"results_session2": session2View{L: results.Session2List{Year: 2027, Unit: "DAR-TR", Deadline: "05.09.2027", SentAt: "01.09.2027 10:00", SentBy: "kmsh",
			Rows: []results.Session2Row{{Name: "Ëndrit (Ilir) Çela", RegNo: "270000011", School: "Gjimnazi", Exams: []string{"D1"}, Reason: "Mbetës"}}}, Send: true, Manage: true},
	}
	webkittest.ExecuteAll(t, Templates, pages)
}
