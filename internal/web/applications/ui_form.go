package applications

import (
	"net/http"
	"strconv"

	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/web/webkit"
)

// ---- one form: details, history, correction ----

type appView struct {
	Window     application.Window // the step's deadline as the viewer sees it (the form is disabled once it has passed)
	App        application.Application
	Year       *examyear.Year
	Mandatory  []subjectRef
	Electives  []subjectRef
	Documents  []application.Document
	History    []application.Event
	People     webkit.People // the accounts of History's actors
	Options    []examyear.Subject
	Slots      []string
	Reason     string
	CanCorrect bool
	Unit       string // the school's DAR/ZA by name
}

func (h *Handler) appPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderApp(w, r, p, nil, "", nil)
}

func (h *Handler) renderApp(w http.ResponseWriter, r *http.Request, p *auth.Principal, typed []string, reason string, actErr error) {
	if err := mayHandleForms(p); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	id, err := webkit.ID(r, "Formulari")
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	a, err := h.apps.Get(r.Context(), p, id)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	y, err := h.activeYear(r)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	hist, err := h.apps.History(r.Context(), p, id)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := appView{App: a, Year: y, Mandatory: mandatoryRefs(y.Config, a.Mandatory), Electives: subjectRefs(y.Config, a.Electives),
		History: hist, Options: y.Config.Electives(), Reason: reason, CanCorrect: a.Status != application.Draft && a.Year == y.Year}
	actors := make([]string, len(hist))
	for i, e := range hist {
		actors[i] = e.Actor
	}
	if v.People, err = webkit.PeopleOf(r.Context(), h.auth, actors...); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	names := map[string]string{}
	for _, d := range application.RequiredDocuments(a.Category, a.Category == application.Neni26) {
		names[d.Key] = d.Name
	}
	for _, k := range a.Documents {
		n := names[k]
		if n == "" {
			n = k
		}
		v.Documents = append(v.Documents, application.Document{Key: k, Name: n})
	}
	if v.Unit, err = h.registry.UnitName(r.Context(), a.UnitCode); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v.Slots = electiveSlots(y.Config, a.Electives)
	if typed != nil {
		v.Slots = electiveSlots(y.Config, typed)
	}
	if v.CanCorrect {
		if v.Window, err = h.apps.CorrectionWindow(r.Context(), p, a); err != nil {
			h.kit.Fail(w, r, err)
			return
		}
	}
	h.kit.Render(w, r, 0, "app_view", a.FullName+" — formulari "+a.Form, v, actErr)
}

func (h *Handler) correctApp(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, err := webkit.ID(r, "Formulari")
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	in := application.CorrectionInput{Electives: electivesFrom(r), Reason: r.FormValue("reason")}
	if _, err := h.apps.Correct(r.Context(), p, id, in); err != nil {
		typed := r.Form["z"]
		if typed == nil {
			typed = []string{}
		}
		h.renderApp(w, r, p, typed, in.Reason, err)
		return
	}
	webkit.RedirectOK(w, r, "/aplikimet/"+strconv.FormatInt(id, 10), nil, "Korrigjimi u ruajt dhe u shënua në historik.")
}
