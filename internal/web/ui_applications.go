package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/pdf"
	"provim/internal/registry"
)

// applicationRoutes are the pages of the application phase (package
// application): the student's forms A1 and A2, the school commission's
// forms, table T and failing students, the regional commission's
// verification and special categories, AVA's registration numbers and the
// final lists. GET never changes state.
func (s *Server) applicationRoutes(mux *http.ServeMux) {
	// The student (ui_app_student.go).
	mux.HandleFunc("GET /formulari", s.page(s.a1Page))
	mux.HandleFunc("POST /formulari", s.page(s.saveA1))
	mux.HandleFunc("GET /formulari/deshmi", s.page(s.a1Receipt))
	mux.HandleFunc("GET /formulari/a2", s.page(s.a2Page))
	mux.HandleFunc("POST /formulari/a2", s.page(s.saveA2))

	// The school commission, and KMSH/AVA for a school (ui_app_school.go).
	mux.HandleFunc("GET /aplikimet", s.page(s.appsPage))
	mux.HandleFunc("POST /aplikimet/konfirmo", s.page(s.confirmApps))
	mux.HandleFunc("GET /aplikimet/i-ri", s.page(s.paperFormPage))
	mux.HandleFunc("POST /aplikimet/i-ri", s.page(s.savePaperForm))
	mux.HandleFunc("POST /aplikimet/i-ri/skedar", s.page(s.importPaperForms))
	mux.HandleFunc("GET /aplikimet/{id}", s.page(s.appPage))
	mux.HandleFunc("POST /aplikimet/{id}/korrigjo", s.page(s.correctApp))
	mux.HandleFunc("GET /aplikimet/tabela-t", s.page(s.tableTPage))
	mux.HandleFunc("GET /aplikimet/tabela-t.pdf", s.page(s.tableTFile("pdf")))
	mux.HandleFunc("GET /aplikimet/tabela-t.xlsx", s.page(s.tableTFile("xlsx")))
	mux.HandleFunc("POST /aplikimet/tabela-t/dergo", s.page(s.sendTableT))
	mux.HandleFunc("GET /aplikimet/mbetes", s.page(s.failingPage))
	mux.HandleFunc("POST /aplikimet/mbetes", s.page(s.markFailing))

	// The regional commission (ui_app_region.go).
	mux.HandleFunc("GET /aplikimet/rajoni", s.page(s.regionPage))
	mux.HandleFunc("POST /aplikimet/rajoni/verifiko", s.page(s.verifySchool))
	mux.HandleFunc("POST /aplikimet/rajoni/dergo", s.page(s.sendUnit))
	mux.HandleFunc("POST /aplikimet/rajoni/mbetes", s.page(s.sendFailing))
	mux.HandleFunc("GET /aplikimet/kategori-te-vecanta", s.page(s.specialPage))
	mux.HandleFunc("POST /aplikimet/kategori-te-vecanta", s.page(s.saveSpecial))

	// AVA and the final lists (ui_app_ava.go).
	mux.HandleFunc("GET /aplikimet/ava", s.page(s.avaAppsPage))
	mux.HandleFunc("POST /aplikimet/ava/numrat", s.page(s.assignRegNos))
	mux.HandleFunc("POST /aplikimet/ava/listat", s.page(s.buildFinalLists))
	mux.HandleFunc("GET /listat", s.page(s.finalListsIndex))
	mux.HandleFunc("GET /listat/{exam}", s.page(s.finalListPage)) // also /listat/{exam}.pdf
}

// The template functions of the application pages. They are added to the
// shared FuncMap before New parses the templates.
func init() {
	funcs["statusLabel"] = application.StatusLabel
	funcs["categoryLabel"] = application.CategoryLabel
	funcs["roleLabel"] = func(r string) string { return auth.Role(r).Label() }
	// when writes an RFC 3339 stamp as the date and time in Tirana.
	funcs["when"] = func(s string) string {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t.In(examyear.Tirana).Format("02.01.2006 15:04")
		}
		if t, err := time.Parse("2006-01-02", s); err == nil {
			return t.Format("02.01.2006")
		}
		return s
	}
	funcs["sourceLabel"] = func(src string) string {
		switch src {
		case application.Online:
			return "Online"
		case application.Paper:
			return "Në letër"
		case application.ByKMSH:
			return "Nga KMSH"
		}
		return src
	}
	funcs["cellLabel"] = func(cols []pdf.Column, i int) string {
		if i < len(cols) {
			return cols[i].Title
		}
		return ""
	}
}

// ---- shared helpers ----

// staffRoles are the roles of the application chain above the student.
var staffRoles = []auth.Role{auth.RoleKSHMSH, auth.RoleKMSH, auth.RoleAVA}

// lateAllowed tells whether the caller may act after the deadline of a step
// owned by owner (with a reason): a higher level, or AVA for its own steps.
// The pages show the field "Arsyeja e pranimit me vonesë" only then.
func lateAllowed(p *auth.Principal, owner auth.Role) bool {
	lv := func(r auth.Role) int {
		switch r {
		case auth.RoleStudent:
			return 1
		case auth.RoleKSHMSH:
			return 2
		case auth.RoleKMSH:
			return 3
		case auth.RoleAVA:
			return 4
		}
		return 0
	}
	return lv(p.Role) > lv(owner) || (p.Role == auth.RoleAVA && owner == auth.RoleAVA)
}

// schoolParam returns the school a school page is about: ?shkolla= (or the
// form field), or the caller's own school. It is looked up in the caller's
// scope, so a school outside it answers 404. ok is false when no school was
// chosen (KMSH and AVA then pick one).
func (s *Server) schoolParam(r *http.Request, p *auth.Principal) (sc registry.School, ok bool, err error) {
	code := strings.TrimSpace(r.FormValue("shkolla"))
	if code == "" {
		code = p.School
	}
	if code == "" {
		return sc, false, nil
	}
	sc, err = s.registry.GetSchool(r.Context(), p, code)
	return sc, err == nil, err
}

type pickView struct {
	Action  string
	Heading string
	Schools []registry.School
}

// pickSchool renders the school picker of a page that needs one school.
func (s *Server) pickSchool(w http.ResponseWriter, r *http.Request, p *auth.Principal, heading string) {
	schools, err := s.registry.ListSchools(r.Context(), p, registry.SchoolFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, 0, "app_pick", heading, pickView{Action: r.URL.Path, Heading: heading, Schools: schools}, nil)
}

// redirectOK goes to path (with its query) and shows msg as the flash.
func redirectOK(w http.ResponseWriter, r *http.Request, path string, q url.Values, msg string) {
	if q == nil {
		q = url.Values{}
	}
	q.Set("ok", msg)
	http.Redirect(w, r, path+"?"+q.Encode(), http.StatusSeeOther)
}

// subjectRef is a subject code with its Albanian name.
type subjectRef struct{ Code, Name string }

func subjectRefs(cfg examyear.Config, codes []string) []subjectRef {
	out := make([]subjectRef, 0, len(codes))
	for _, c := range codes {
		name := c
		if sub, ok := cfg.Subject(c); ok {
			name = sub.Name
		}
		out = append(out, subjectRef{c, name})
	}
	return out
}

// mandatoryRefs names the mandatory exams D1/D2 by the year's subjects.
func mandatoryRefs(cfg examyear.Config, kinds []string) []subjectRef {
	out := make([]subjectRef, 0, len(kinds))
	for _, k := range kinds {
		name := k
		for _, sub := range cfg.Subjects {
			if sub.Kind == k {
				name = sub.Name
			}
		}
		out = append(out, subjectRef{k, name})
	}
	return out
}

// electiveSlots are the Z1…ZN select boxes of a form: the chosen code of
// each slot, padded to the year's count.
func electiveSlots(cfg examyear.Config, chosen []string) []string {
	n := max(cfg.ElectiveCount, len(chosen))
	out := make([]string, n)
	copy(out, chosen)
	return out
}

// electivesFrom reads the Z1…ZN select boxes (name "z") in order.
func electivesFrom(r *http.Request) []string {
	var out []string
	for _, v := range r.Form["z"] {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// activeYear returns the active exam year, or an error page's error.
func (s *Server) activeYear(r *http.Request) (*examyear.Year, error) {
	return s.years.Active(r.Context())
}

// statusOption is one entry of the status filter.
type statusOption struct{ Key, Label string }

var appStatuses = func() []statusOption {
	var out []statusOption
	for _, st := range []string{application.Draft, application.Submitted, application.Confirmed, application.Verified,
		application.Registered, application.Corrected, application.Final} {
		out = append(out, statusOption{st, application.StatusLabel(st)})
	}
	return out
}()

// deadlineOf returns a deadline of the year's calendar (zero if missing).
func deadlineOf(y *examyear.Year, key string) examyear.Deadline {
	if y == nil {
		return examyear.Deadline{}
	}
	d, _ := y.Config.Deadline(key)
	return d
}

// ---- the dashboard's "what to do now" panel ----

// todoItem is one line of the dashboard panel.
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

var todoSteps = map[auth.Role][]todoStep{
	auth.RoleStudent: {
		{examyear.KeyA1, "Plotësoni dhe dorëzoni formularin A1 (A1z për kandidatët me dëftesë): lëndët me zgjedhje", "/formulari", false},
		{examyear.KeyA2, "Plotësoni formularin A2 (programet e studimit) me mandat-arkëtimin e tarifës", "/formulari/a2", false},
	},
	auth.RoleKSHMSH: {
		{examyear.KeyA1, "Hidhni formularët në letër dhe ndiqni formularët e dorëzuar nga nxënësit", "/aplikimet", false},
		{examyear.KeyTableT, "Konfirmoni formularët e dorëzuar dhe plotësoni tabelën T", "/aplikimet", false},
		{examyear.KeyFormsToKMSH, "Dërgoni formularët dhe tabelën T në KMSH", "/aplikimet/tabela-t", false},
		{examyear.KeyFailingToKMSH, "Shënoni nxënësit mbetës të vitit shkollor", "/aplikimet/mbetes", false},
	},
	auth.RoleKMSH: {
		{examyear.KeyA1, "Regjistroni kandidatët e kategorive të veçanta pasi t’u verifikoni dokumentet", "/aplikimet/kategori-te-vecanta", false},
		{examyear.KeyListsToAVA, "Verifikoni shkollat dhe dërgoni listat e kandidatëve në AVA", "/aplikimet/rajoni", false},
		{examyear.KeyFailingToAVA, "Dërgoni nxënësit mbetës në AVA", "/aplikimet/rajoni", false},
	},
	auth.RoleAVA: {
		{examyear.KeyListsToAVA, "Ndiqni dërgimin e listave nga KMSH-të", "/aplikimet/ava", false},
		{examyear.KeyRegistrationNumbers, "Caktoni numrat e regjistrimit", "/aplikimet/ava", false},
		{examyear.KeyFailingToAVA, "Ndërtoni listat përfundimtare, pasi KMSH-të të njoftojnë nxënësit mbetës", "/aplikimet/ava", true},
	},
}

// appTodo lists the next steps of the caller's role in the active year's
// calendar that are still open today (at most three), earliest first.
func appTodo(p *auth.Principal, y *examyear.Year, now time.Time) []todoItem {
	if p == nil || y == nil {
		return nil
	}
	now = now.In(examyear.Tirana)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	var out []todoItem
	for _, st := range todoSteps[p.Role] {
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
