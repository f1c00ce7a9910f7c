package remark

import (
	"testing"
	"time"

	"provim/internal/marking"
	"provim/internal/remark"
	"provim/internal/results"
	"provim/internal/web/webkit"
	"provim/internal/web/webkit/webkittest"
)

// TestTemplates parses every page of the area and executes it with a
// filled sample of its view.
func TestTemplates(t *testing.T) {
	t.Parallel()
	req := &remark.Request{Year: 2027, Exam: "D1", RegNo: "270000017", Name: "Ëndrit Çela", Receipt: "MA-2027-0001", Channel: "paper",
		FiledAt: "2027-07-11T08:00:00Z", State: remark.StateFinal, StateLabel: remark.StateLabel(remark.StateFinal), SchoolAt: "2027-07-12T08:00:00Z",
		PointsBefore: 30, GradeBefore: 6, PointsAfter: 36, GradeAfter: 7, Changed: true, SentAt: "2027-07-26T08:00:00Z"}
	refused := *req
	refused.State, refused.StateLabel, refused.RefusedReason = remark.StateSchool, remark.StateLabel(remark.StateSchool), ""
	cp := &remark.Copy{Year: 2027, Exam: "D1", ExamName: "Gjuhë shqipe", RegNo: "270000017", Name: "Ëndrit Çela", RequestedAt: "2027-07-11T08:00:00Z",
		State: remark.CopyAppointment, StateLabel: remark.CopyLabel(remark.CopyAppointment), AnsweredAt: "2027-07-12T08:00:00Z", AppointmentAt: "2027-07-20T08:00:00Z", Place: "AVA, Tiranë"}
	res := results.ExamResult{Year: 2027, Exam: "D1", SubjectName: "Gjuhë shqipe dhe letërsi", Points: 30, MaxPoints: 60, Grade: 6, Passed: true, PublishedAt: time.Now()}
	items := []marking.Item{{No: 1, Label: "1", Kind: marking.KindChoice, MaxPoints: 1, Options: 4}, {No: 2, Label: "2", Kind: marking.KindShort, MaxPoints: 4}}
	pages := map[string]any{
		"remark_index": indexView{Year: 2027, Candidate: true,
			Exams: []choiceRow{{C: remark.ExamChoice{Result: res, Request: req, Copy: cp, LastDay: "14.07.2027"}, Steps: steps(req)},
				{C: remark.ExamChoice{Result: res, CanFile: true, CanCopy: true, LastDay: "14.07.2027"}}}},
		"remark_cases": casesView{Year: 2027, Exam: "D1", Manage: true, Counts: []webkit.Link{{Label: "Te dy vlerësuesit", Href: "3"}},
			Rows: []caseRow{{C: remark.Case{Exam: "D1", Code: "K7Q2M9XDR", Display: "K7Q2-M9XD-R", State: remark.StateThird, WorkLabel: "Te vlerësuesi i tretë", Final: -1}, Markers: "1: vl.c (4 pikë)", Differ: "2", NeedsOne: true}}},
		"remark_booklet": bookletView{B: remark.Booklet{Year: 2027, Exam: "D1", Code: "K7Q2M9XDR", Display: "K7Q2-M9XD-R", Items: items, Editable: true},
			Rows: []itemRow{{No: 1, Label: "1", Choice: true, Options: "A–D", Max: 1}, {No: 2, Label: "2", Max: 4, Value: "3"}}, Pages: []webkit.Link{{Href: "/x", Label: "Faqja 1"}}},
		"remark_copies": copiesView{Year: 2027, Items: []remark.Copy{*cp, {Exam: "D1", RegNo: "270000025", State: remark.CopyRequested, StateLabel: remark.CopyLabel(remark.CopyRequested), RequestedAt: "2027-07-11T08:00:00Z"}}},
		"remark_copy":   copyView{C: *cp, Pages: []webkit.Link{{Href: "/x", Label: "Faqja 1"}}},
	}
	// Every section of the index at once: the candidate's, the lists of
	// the school and the KMSH, AVA's links and the marker's queue.
	iv := pages["remark_index"].(indexView)
	iv.Lists, iv.Paper, iv.Review, iv.Reqs, iv.ReqExam = true, true, true, []remark.Request{*req, refused}, []string{"D1"}
	iv.AllExam, iv.Cases, iv.Copies = []marking.Exam{{Code: "D1", Name: "Gjuhë shqipe"}}, []caseLink{{Code: "D1", Href: "/rivleresimi/D1/grupi"}}, true
	iv.Marker, iv.Queue, iv.Done = true, []remark.QueueEntry{{Exam: "D1", Code: "K7Q2M9XDR", Display: "K7Q2-M9XD-R"}}, 2
	pages["remark_index"] = iv
	webkittest.ExecuteAll(t, Templates, pages)
}
