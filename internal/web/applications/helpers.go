package applications

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

// pageSize is the number of forms of a page of the list.
const pageSize = 50

// forms writes a count of forms in Albanian: "1 formular", "3 formularë".
func forms(n int) string { return webkit.Plural(n, "formular", "formularë") }

func selectedSet(ids []int64) map[int64]bool {
	m := map[int64]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func schoolQuery(code string) url.Values { return url.Values{"shkolla": {code}} }

func unitQuery(code string) url.Values { return url.Values{"njesia": {code}} }

// mayHandleForms refuses the pages of the commissions to everyone else.
func mayHandleForms(p *auth.Principal) error {
	return webkit.Allow(p, application.MayHandleForms(p))
}

// schoolParam returns the school a school page is about: ?shkolla= (or the
// form field), or the caller's own school. It is looked up in the caller's
// scope, so a school outside it answers 404. ok is false when no school was
// chosen (KMSH and AVA then pick one).
func (h *Handler) schoolParam(r *http.Request, p *auth.Principal) (sc registry.School, ok bool, err error) {
	code := strings.TrimSpace(r.FormValue("shkolla"))
	if code == "" {
		code = registry.HomeSchool(p)
	}
	if code == "" {
		return sc, false, nil
	}
	sc, err = h.registry.GetSchool(r.Context(), p, code)
	return sc, err == nil, err
}

// unitParam returns the DAR/ZA of the page (webkit.UnitChoice.Pick).
func (h *Handler) unitParam(r *http.Request, p *auth.Principal) (registry.Unit, []registry.Unit, bool, error) {
	return webkit.UnitChoice{Registry: h.registry, Allowed: h.apps.UnitAllowed}.Pick(r, p, application.MayWorkUnits(p))
}

type pickView struct {
	Action  string
	Heading string
	Schools []registry.School
}

// pickSchool renders the school picker of a page that needs one school.
func (h *Handler) pickSchool(w http.ResponseWriter, r *http.Request, p *auth.Principal, heading string) {
	schools, err := h.registry.ListSchools(r.Context(), p, registry.SchoolFilter{})
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, 0, "app_pick", heading, pickView{Action: r.URL.Path, Heading: heading, Schools: schools}, nil)
}

// activeYear returns the active exam year.
func (h *Handler) activeYear(r *http.Request) (*examyear.Year, error) {
	return h.years.Active(r.Context())
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

// examsOf lists the exams of the year: D1, D2, then the electives.
func examsOf(cfg examyear.Config) []subjectRef {
	out := mandatoryRefs(cfg, []string{examyear.KindD1, examyear.KindD2})
	for _, e := range cfg.Electives() {
		out = append(out, subjectRef{e.Code, e.Name})
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

// window is the step key of the active year as p sees it now
// (application.Window): past its deadline the page says so and shows the
// form disabled. A year that cannot be read leaves the form as it is (its
// submit still names what is wrong).
func (h *Handler) window(r *http.Request, p *auth.Principal, key string) application.Window {
	w, err := h.apps.Window(r.Context(), p, key)
	if err != nil {
		slog.WarnContext(r.Context(), "applications: deadline window", "key", key, "err", err)
		return application.Window{Key: key}
	}
	return w
}

// deadlineOf returns a deadline of the year's calendar (zero if missing).
func deadlineOf(y *examyear.Year, key string) examyear.Deadline {
	if y == nil {
		return examyear.Deadline{}
	}
	d, _ := y.Config.Deadline(key)
	return d
}
