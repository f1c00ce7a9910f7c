package marking

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/marking"
	"provim/internal/web/webkit"
)

// The lead's page of the booklets for a third marker (Neni 57.14).

// markingRow is one marking of a booklet on the lead's pages.
type markingRow struct {
	Round  string
	Name   string
	Total  string
	Signed string
	Points []string
}

type thirdRow struct {
	Display  string
	Differ   string
	Markings []markingRow
	Third    string // the third's name, "" while none is assigned
	Suggest  string // the suggested third's name
	SuggestU string
}

type thirdView struct {
	Exam  string
	Items []string
	Rows  []thirdRow // waiting for a third to be assigned
	// Assigned are those whose third is assigned and has not marked yet.
	Assigned []thirdRow
	More     int
	Markers  []marking.Marker
}

// thirdGroup is one list of the third-marker page.
type thirdGroup struct {
	ID, Title, Empty string
	Rows             []thirdRow
	All              bool // offers "assign the suggested to all"
	More             int
}

// Groups are the page's two lists: the booklets waiting for a third to
// be assigned, and those whose third has not marked yet.
func (v thirdView) Groups() []thirdGroup {
	return []thirdGroup{
		{ID: "third-waiting", Title: fmt.Sprintf("Presin caktimin e vlerësuesit të tretë (%d)", len(v.Rows)+v.More),
			Empty: "Asnjë test nuk pret caktimin e vlerësuesit të tretë.", Rows: v.Rows, All: len(v.Rows) > 0, More: v.More},
		{ID: "third-assigned", Title: fmt.Sprintf("Te vlerësuesi i tretë, pa u vlerësuar ende (%d)", len(v.Assigned)),
			Empty: "Asnjë test.", Rows: v.Assigned},
	}
}

// thirdShown bounds the booklets the page lists (the API gives all).
const thirdShown = 100

var roundNames = map[int]string{1: "I parë", 2: "I dyti", 3: "I treti"}

func (h *Handler) thirdPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderThird(w, r, p, nil)
}

func (h *Handler) renderThird(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	exam := r.PathValue("exam")
	list, err := h.marking.ThirdList(r.Context(), p, 0, exam)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := thirdView{Exam: marking.NormExam(exam)}
	for i, b := range list {
		if i == 0 {
			for _, it := range b.Items {
				v.Items = append(v.Items, it.Label)
			}
		}
		if i >= thirdShown {
			v.More = len(list) - thirdShown
			break
		}
		row := thirdRow{Display: b.Display, Differ: strings.Join(b.Differ, ", ")}
		for _, m := range b.Markings {
			mr := markingRow{Round: roundNames[m.Round], Name: m.FullName, Total: "—", Signed: "pa vlerësuar"}
			if m.Marks != nil {
				mr.Total, mr.Signed = strconv.Itoa(m.Total), clock.Stamp(m.SubmittedAt)
				for _, pt := range m.Marks.Points {
					mr.Points = append(mr.Points, strconv.Itoa(pt))
				}
			}
			if m.Round == 3 {
				row.Third = m.FullName
			}
			row.Markings = append(row.Markings, mr)
		}
		if row.Third != "" {
			v.Assigned = append(v.Assigned, row)
			continue
		}
		if b.Suggested != nil {
			row.Suggest, row.SuggestU = b.Suggested.FullName, b.Suggested.Username
		}
		v.Rows = append(v.Rows, row)
	}
	status := 0
	if actErr != nil {
		status = webkit.StatusOf(actErr)
	}
	h.kit.Render(w, r, status, "marking_mark_third", "Vlerësuesi i tretë — "+v.Exam, v, actErr)
}

func (h *Handler) assignThirdForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam, code := r.PathValue("exam"), r.PathValue("code")
	user := strings.TrimSpace(r.PostFormValue("vleresuesi"))
	if user == "" {
		s, err := h.marking.SuggestThird(r.Context(), p, 0, exam, code)
		if err != nil {
			h.failOr(w, r, p, err, h.renderThird)
			return
		}
		user = s.Username
	}
	if err := h.marking.AssignThird(r.Context(), p, 0, exam, code, user); err != nil {
		h.failOr(w, r, p, err, h.renderThird)
		return
	}
	webkit.RedirectOK(w, r, markPath(marking.NormExam(exam), "e-treta"), nil, fmt.Sprintf("Testi %s iu caktua vlerësuesit të tretë «%s» (Neni 57.14).", code, user))
}

func (h *Handler) assignAllForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam := r.PathValue("exam")
	n, err := h.marking.AssignThirdAll(r.Context(), p, 0, exam)
	if err != nil {
		h.failOr(w, r, p, err, h.renderThird)
		return
	}
	webkit.RedirectOK(w, r, markPath(marking.NormExam(exam), "e-treta"), nil, fmt.Sprintf("U caktua vlerësuesi i tretë për %s (Neni 57.14).", webkit.Plural(n, "test", "teste")))
}
