package applications

import (
	"testing"

	"provim/internal/application"
	"provim/internal/registry"
)

// The A1 page and its receipt (Neni 22) write the form in words: the
// status and category by their names, the mandatory exams and the
// electives in their order (Z1, Z2), every stamp in Tirana time and only
// the steps taken, the history's roles by name; a student without a
// form gets the record alone.
func TestNeni22_A1PageWritesTheFormInWords(t *testing.T) {
	t.Parallel()
	v := a1View{
		Student:   registry.Student{BirthDate: "2009-03-04", AverageGrade: 8.5},
		App:       &application.Application{Status: application.Submitted, Category: application.Regular, SubmittedAt: "2027-03-01T09:30:00Z", UpdatedAt: "2027-03-02T22:10:00Z"},
		Mandatory: []subjectRef{{"D1", "Gjuhë shqipe dhe letërsi"}, {"D2", "Matematikë"}},
		Electives: []subjectRef{{"FIZ", "Fizikë"}, {"KIM", "Kimi"}},
	}
	got := formText(v)
	want := a1Text{
		Status: application.StatusLabel(application.Submitted), Category: application.CategoryLabel(application.Regular),
		Mandatory: "D1 — Gjuhë shqipe dhe letërsi, D2 — Matematikë", Electives: "Z1: Fizikë (FIZ), Z2: Kimi (KIM)", ElectiveNames: "Z1: Fizikë, Z2: Kimi",
		Submitted: "01.03.2027 10:30", Updated: "02.03.2027 23:10", // CET, before the summer time
		BirthDate: "04.03.2009", Grade: "8,50",
	}
	if got != want {
		t.Errorf("the form in words:\n got %+v\nwant %+v", got, want)
	}
	if got := formText(a1View{Student: registry.Student{BirthDate: "2009-03-04"}}); got != (a1Text{BirthDate: "04.03.2009", Grade: "—"}) {
		t.Errorf("without a form: %+v", got)
	}
	rows := historyRows([]application.Event{{At: "2027-03-01T09:30:00Z", Role: "nxenes", Status: application.Submitted, Note: "online"}})
	if len(rows) != 1 || rows[0] != (historyRow{At: "01.03.2027 10:30", Status: application.StatusLabel(application.Submitted), Role: "Maturant / kandidat", Note: "online"}) {
		t.Errorf("history: %+v", rows)
	}
}
