package account

import (
	"net/http"
	"time"

	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/registry"
)

type dashboardView struct {
	Counts    registry.Counts
	Year      *examyear.Year
	Deadlines []examyear.Deadline
	Todo      []todoItem // the caller's next steps of the application phase
	Today     string     // YYYY-MM-DD of the exam calendar, to mark past deadlines
}

func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	c, err := h.registry.Count(r.Context(), p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := dashboardView{Counts: c}
	y, err := h.years.Active(r.Context())
	switch {
	case err == nil:
		now := h.clock.Now()
		v.Year, v.Deadlines = y, y.Config.Calendar
		v.Todo = todo(p, y, now)
		v.Today = now.In(clock.Tirana).Format("2006-01-02")
	case !apperr.Is(err, apperr.NotFound):
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, 0, "dashboard", "Paneli", v, nil)
}

// todoItem is one line of the dashboard's "what to do now" panel.
type todoItem struct {
	Text  string
	Link  string
	From  string // first day, YYYY-MM-DD ("" for none)
	Date  string // last day, YYYY-MM-DD
	Days  int    // days left until Date (0: today)
	After bool   // the step opens on Date
}

type todoStep struct {
	key, text, link string
	// after: the step opens on the deadline's date rather than ending
	// there (the final lists follow the failing students); it stays in
	// the panel for two weeks after.
	after bool
}

// todoSteps are the steps of each desk of the application chain.
var todoSteps = map[application.Desk][]todoStep{
	application.StudentDesk: {
		{examyear.KeyA1, "Plotësoni dhe dorëzoni formularin A1 (A1z për kandidatët me dëftesë): lëndët me zgjedhje", "/formulari", false},
		{examyear.KeyA2, "Plotësoni formularin A2 (programet e studimit) me mandat-arkëtimin e tarifës", "/formulari/a2", false},
	},
	application.SchoolDesk: {
		{examyear.KeyA1, "Hidhni formularët në letër dhe ndiqni formularët e dorëzuar nga nxënësit", "/aplikimet", false},
		{examyear.KeyTableT, "Konfirmoni formularët e dorëzuar dhe plotësoni tabelën T", "/aplikimet", false},
		{examyear.KeyFormsToKMSH, "Dërgoni formularët dhe tabelën T në KMSH", "/aplikimet/tabela-t", false},
		{examyear.KeyFailingToKMSH, "Shënoni nxënësit mbetës të vitit shkollor", "/aplikimet/mbetes", false},
	},
	application.RegionDesk: {
		{examyear.KeyA1, "Regjistroni kandidatët e kategorive të veçanta pasi t’u verifikoni dokumentet", "/aplikimet/kategori-te-vecanta", false},
		{examyear.KeyListsToAVA, "Verifikoni shkollat dhe dërgoni listat e kandidatëve në AVA", "/aplikimet/rajoni", false},
		{examyear.KeyFailingToAVA, "Dërgoni nxënësit mbetës në AVA", "/aplikimet/rajoni", false},
	},
	application.NationalDesk: {
		{examyear.KeyListsToAVA, "Ndiqni dërgimin e listave nga KMSH-të", "/aplikimet/ava", false},
		{examyear.KeyRegistrationNumbers, "Caktoni numrat e regjistrimit", "/aplikimet/ava", false},
		{examyear.KeyFailingToAVA, "Ndërtoni listat përfundimtare, pasi KMSH-të të njoftojnë nxënësit mbetës", "/aplikimet/ava", true},
	},
}

// todo lists the next steps of the caller's desk in the active year's
// calendar that are still open today (at most three), earliest first.
func todo(p *auth.Principal, y *examyear.Year, now time.Time) []todoItem {
	if p == nil || y == nil {
		return nil
	}
	now = now.In(clock.Tirana)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	var out []todoItem
	for _, st := range todoSteps[application.DeskOf(p)] {
		d, ok := y.Config.Deadline(st.key)
		if !ok {
			continue
		}
		end, err := time.Parse("2006-01-02", d.Date)
		if err != nil {
			continue
		}
		last := end
		if st.after {
			last = end.AddDate(0, 0, 14)
		}
		if last.Before(today) {
			continue
		}
		out = append(out, todoItem{Text: st.text, Link: st.link, From: d.From, Date: d.Date, Days: int(end.Sub(today).Hours() / 24), After: st.after})
		if len(out) == 3 {
			break
		}
	}
	return out
}
