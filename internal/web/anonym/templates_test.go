package anonym

import (
	"testing"

	"provim/internal/anonym"
	"provim/internal/web/webkit/webkittest"
)

// TestTemplates parses every page of the area and executes it with a
// filled sample of its view.
func TestTemplates(t *testing.T) {
	t.Parallel()
	st := anonym.Status{Year: 2027, Exam: "D1-2", ExamLabel: "D1 (sesioni 2)", ExamName: "Gjuhë shqipe", Labels: 2, Codes: 9, Keyed: true, Threshold: 3, MarkingClosed: true,
		Holders: []anonym.Holder{{No: 1, Name: "Arta"}}, Venues: []anonym.VenueStatus{{Venue: "Q-1", Name: "Gjimnazi Çajupi", Rooms: 2, Printed: 9}}}
	webkittest.ExecuteAll(t, Templates, map[string]any{
		"anonym_index": indexView{Year: 2027, Exams: []anonym.ExamRef{{Code: "D1", Label: "D1", Session: 1, Name: "Gjuhë", Labels: 2},
			{Code: "D1-2", Label: "D1 (sesioni 2)", Session: 2, Name: "Gjuhë", Labels: 2}}, Manage: true},
		"anonym_exam":   examView{S: st, Default: []int{1, 2, 3, 4, 5}, Presented: []string{"Arta Hoxha"}},
		"anonym_shares": sharesView{K: anonym.KeyResult{Year: 2027, Exam: "D1", Threshold: 3, Shares: []anonym.HolderShare{{No: 1, Name: "Arta", Share: "2027-D1-1-ABCD"}}}, Back: "/sekretimi/2027/D1"},
		"anonym_venue":  venueView{Year: 2027, Exam: "D1-2", ExamLabel: "D1 (sesioni 2)", Venue: "Q-1", Rooms: []anonym.RoomCount{{Room: "Salla 1", Printed: 4, Used: 3, Unused: 1, Sealed: true, Balanced: true}}},
	})
}
