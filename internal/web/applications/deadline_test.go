package applications

import (
	"strings"
	"testing"

	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/web/webkit/webkittest"
)

// formAt is the opening of the step fieldset of the form with id in page:
// `<fieldset class="step" disabled>` once its deadline has passed for the
// viewer, `<fieldset class="step">` before.
func formAt(t *testing.T, page, id string) string {
	t.Helper()
	i := strings.Index(page, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no form %s on the page", id)
	}
	end := strings.Index(page[i:], "</form>")
	j := strings.Index(page[i:i+end], `<fieldset class="step"`)
	if j < 0 {
		t.Fatalf("form %s has no step fieldset", id)
	}
	rest := page[i+j:]
	return rest[:strings.Index(rest, ">")+1]
}

// deadlineForms are the forms of the area whose step has a calendar
// deadline: the page, its view, the form's id and the view's field that
// holds the step's window.
var deadlineForms = []struct {
	page  string
	view  any
	form  string
	field string
}{
	{"app_student", a1View{}, "a1-form", "Window"},                             // Neni 22 ¶1: A1/A1z
	{"app_a2", a2View{}, "a2-form", "Window"},                                  // Neni 21 ¶2: A2
	{"app_list", appListView{}, "confirm-form", "Window"},                      // Neni 22 ¶2: confirmation, table T
	{"app_new", paperView{}, "paper-form", "Window"},                           // Neni 22 ¶1–2: paper forms
	{"app_new", paperView{}, "paper-file", "FileWindow"},                       // …from a file (A1 and A2, Neni 32)
	{"app_tablet", tableTView{}, "send-kmsh-form", "Window"},                   // Neni 22 ¶3: table T to the KMSH
	{"app_failing", failingView{}, "failing-form", "Window"},                   // Neni 35 ¶1–2: failing students
	{"app_region", regionView{}, "send-ava", "ListsWindow"},                    // Neni 22 ¶4: lists to AVA
	{"app_region", regionView{}, "verify-2027-06-08T05:30:00Z", "ListsWindow"}, // Neni 22 ¶4: the verification (a filled sample school code)
	{"app_region", regionView{}, "send-failing", "FailingWindow"},              // Neni 35 ¶3
	{"app_ava", avaView{}, "assign-form", "RegWindow"},                         // Neni 34 ¶3: registration numbers
	{"app_view", appView{}, "correction-form", "Window"},                       // Neni 34 ¶5: corrections
	{"app_special", specialView{}, "special-form", "Window"},                   // Neni 23–27, 33.6
}

// TestNeni22_FormsPastTheirDeadlineSaySoAndAreDisabled: every form of the
// application chain whose step has a deadline shows, once it has passed
// for the viewer, the sentence naming the deadline, its day and article,
// and its fields and submit are disabled before anything is filled in
// (the refusal on submit stays); before the deadline nothing of it shows,
// and for a higher level that may still accept late (Neni 22, 34–35:
// KMSH or AVA with a reason) the sentence says so and the form stays open.
func TestNeni22_FormsPastTheirDeadlineSaySoAndAreDisabled(t *testing.T) {
	t.Parallel()
	p := &auth.Principal{Username: "u", FullName: "U", Role: auth.RoleKSHMSH, School: "A-1", StudentID: 1}
	closed := application.Window{Key: "a1_due", Name: "Dorëzimi i formularëve A1/A1z", Article: "Neni 22 ¶1", Date: "10.03.2027", Closed: true}
	late := closed
	late.Closed, late.Late = false, true
	open := application.Window{Key: "a1_due", Name: closed.Name, Article: closed.Article, Date: closed.Date}
	for _, c := range deadlineForms {
		windows := func(w application.Window) map[string]any {
			m := map[string]any{"Window": w}
			switch c.page {
			case "app_region":
				m = map[string]any{"ListsWindow": open, "FailingWindow": open, c.field: w}
			case "app_new":
				m = map[string]any{"Window": open, "FileWindow": open, c.field: w}
			case "app_ava":
				m = map[string]any{"RegWindow": w}
			case "app_tablet":
				m["T"] = application.TableT{SchoolCode: "A-1"} // not sent: the form shows
			}
			return m
		}
		page := webkittest.Render(t, Templates, c.page, p, c.view, windows(closed))
		if got := formAt(t, page, c.form); got != `<fieldset class="step" disabled>` {
			t.Errorf("%s #%s past the deadline: %s, want it disabled", c.page, c.form, got)
		}
		if !strings.Contains(page, "Afati «Dorëzimi i formularëve A1/A1z» (Neni 22 ¶1) ka kaluar më 10.03.2027: formulari nuk pranohet më.") {
			t.Errorf("%s #%s past the deadline does not name it", c.page, c.form)
		}
		page = webkittest.Render(t, Templates, c.page, p, c.view, windows(open))
		if got := formAt(t, page, c.form); got != `<fieldset class="step">` {
			t.Errorf("%s #%s before the deadline: %s, want it open", c.page, c.form, got)
		}
		if strings.Contains(page, "ka kaluar më") {
			t.Errorf("%s #%s before the deadline says it has passed", c.page, c.form)
		}
		page = webkittest.Render(t, Templates, c.page, p, c.view, windows(late))
		if got := formAt(t, page, c.form); got != `<fieldset class="step">` {
			t.Errorf("%s #%s late for a higher level: %s, want it open", c.page, c.form, got)
		}
		if !strings.Contains(page, "mund ta pranoni me vonesë vetëm duke shënuar arsyen") {
			t.Errorf("%s #%s late for a higher level does not ask for the reason", c.page, c.form)
		}
	}
}

// TestNeni32_FileFormOffersOnlyTheFormsStillOpen: after table T's deadline
// the file form stays open for the A2 forms (Neni 32), and offers A1/A1z
// no more: the choice is disabled before anything is uploaded.
func TestNeni32_FileFormOffersOnlyTheFormsStillOpen(t *testing.T) {
	t.Parallel()
	p := &auth.Principal{Username: "u", FullName: "U", Role: auth.RoleKSHMSH, School: "A-1"}
	closed := application.Window{Key: "table_t", Name: "Tabela T", Article: "Neni 22 ¶2", Date: "20.03.2027", Closed: true}
	open := application.Window{Key: "a2_to_kmsh"}
	page := webkittest.Render(t, Templates, "app_new", p, paperView{}, map[string]any{"Window": closed, "FileWindow": open})
	if !strings.Contains(page, `<option value="a1" disabled>A1 / A1z — afati i tabelës T kaloi</option><option value="a2" selected>A2</option>`) {
		t.Errorf("after table T the file form still offers A1:\n%s", page[strings.Index(page, `id="form"`):][:300])
	}
	page = webkittest.Render(t, Templates, "app_new", p, paperView{}, map[string]any{"Window": open, "FileWindow": open})
	if !strings.Contains(page, `<option value="a1">A1 / A1z</option><option value="a2">A2</option>`) {
		t.Error("before table T the file form does not offer A1")
	}
}
