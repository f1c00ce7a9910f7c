package account

import (
	"io"
	"log/slog"
	"strings"
	"testing"

	"provim/internal/auth"
	"provim/internal/draw"
	"provim/internal/web/webkit"

	"provim/internal/nextstep"
	"provim/internal/web/webkit/webkittest"
)

// TestTemplates parses every page of the area and executes it with a
// filled sample of its view.
func TestTemplates(t *testing.T) {
	t.Parallel()
	webkittest.ExecuteAll(t, Templates, map[string]any{
		"login":     "/paneli",
		"account":   nil,
		"dashboard": dashboardView{},
	})
}

// TestDashboardVariants renders the dashboard of a student on the eve of
// an exam, of a failing student and of a PAP, and checks what each says.
func TestDashboardVariants(t *testing.T) {
	t.Parallel()
	kit, err := webkit.New(slog.New(slog.NewTextHandler(io.Discard, nil)), "", nil, Templates)
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		view dashboardView
		want []string
		not  []string
	}{
		"student": {dashboardView{Next: nextstep.Dashboard{Today: "2027-06-07",
			Steps: []nextstep.Step{{Text: "Nesër D1", Link: "/qendra-ime", When: "nesër në orën 10:00", Soon: true}},
			Student: &nextstep.Student{NextDay: "nesër", Bring: nextstep.Bring, Forbidden: nextstep.Forbidden,
				Next: &nextstep.Exam{Exam: "D1", Name: "Gjuhë shqipe", Date: "2027-06-08", Start: "10:00", ArriveBy: "09:00", Assigned: true, Venue: "Gjimnazi", Room: "Salla 1", Address: "Rruga 1", City: "Kamëz"},
				Exams: []nextstep.Exam{{Exam: "D1", Name: "Gjuhë shqipe", Date: "2027-06-08", Start: "10:00", ArriveBy: "09:00", Assigned: true, Venue: "Gjimnazi", Room: "Salla 1"},
					{Exam: "GJE", Name: "Gjeografi", Date: "2027-06-15", Start: "10:00"}}},
			Calendar: []nextstep.Dated{{Name: "Provimi D1", Date: "2027-06-08", Time: "10:00", Exam: true}}}},
			[]string{"Nesër: provimi D1", "ora 09:00", "Neni 52.1", "Rruga 1, Kamëz", "kati përdhes", "Telefon celular", "Stilolaps", "Nuk është caktuar ende", "08.06.2027, ora 10:00"},
			[]string{"Nuk jeni në listat"}},
		"failing": {dashboardView{Next: nextstep.Dashboard{Student: &nextstep.Student{Failing: true}}},
			[]string{"Nuk jeni në listat", "Neni 35", "Neni 36", "sesionin e dytë", "Neni 58"},
			[]string{"Formulari A2", "nuk është caktuar ende", "Provimet e mia"}},
		"pap": {dashboardView{Next: nextstep.Dashboard{Venue: &nextstep.Venue{Code: "Q-TR-003", Name: "Gjimnazi",
			Exams: []nextstep.VenueExam{{Exam: "D1", Session: 1, Candidates: 1, DrawID: 11, Drawn: true, Materials: "/materialet/Q-TR-003/D1",
				Staff: []draw.Line{{Role: draw.RoleAP, Room: "Salla 1", Name: "Ana Kola"}},
				Rooms: []nextstep.VenueRoom{{Name: "Salla 1", Candidates: 1, Link: "/plani/salla/1?provimi=D1"}}}}}}},
			[]string{"1 kandidat në 1 sallë", `href="/plani/salla/1?provimi=D1"`, "Ana Kola", `href="/shorti/11"`, `href="/materialet/Q-TR-003/D1"`},
			[]string{"kandidatë në 1 salla"}},
	} {
		p := &auth.Principal{Username: "u", FullName: "U", Role: auth.RoleStudent}
		buf, err := kit.Pages().Execute("dashboard", webkit.View{Title: "Paneli", P: p, Data: tc.view})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		page := buf.String()
		for _, w := range tc.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s: the dashboard does not say %q", name, w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(page, w) {
				t.Errorf("%s: the dashboard says %q", name, w)
			}
		}
	}
}
