package remark

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"provim/internal/auth"
	"provim/internal/remark"
	"provim/internal/web/webkit"
)

// AVA's pages (and the subject lead's): the re-marking group of an exam by
// code, the third markers, the sending of the results (Neni 64 ¶3–4), and
// the test-copy requests.

type caseRow struct {
	C        remark.Case
	Markers  string // "1: vl.c (4 pikë) · 2: vl.d (pa dorëzuar)"
	Differ   string
	NeedsOne bool // waiting for a third to be assigned
	// Choices are who may be the third (remark.ThirdChoices), offered as
	// a list; the username field stays for when the list is empty.
	Choices []remark.ThirdChoice
}

type casesView struct {
	Year   int
	Exam   string
	Manage bool
	Rows   []caseRow
	Counts []webkit.Link // label: count
}

func (h *Handler) casesPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderCases(w, r, p, nil)
}

func (h *Handler) renderCases(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	year, list, counts, err := h.remark.Cases(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := casesView{Year: year, Exam: remark.NormExam(r.PathValue("exam")), Manage: remark.MayManage(p)}
	for _, st := range []string{remark.StateKMSH, remark.StateMarking, remark.StateThird, remark.StateMarked, remark.StateFinal} {
		v.Counts = append(v.Counts, webkit.Link{Label: remark.WorkLabel(st), Href: fmt.Sprint(counts[st])})
	}
	for _, c := range list {
		row := caseRow{C: c, Differ: strings.Join(c.Differ, ", ")}
		var ms []string
		third := false
		for _, m := range c.Markings {
			s := fmt.Sprintf("%d: %s", m.Round, m.Username)
			if m.SubmittedAt != "" {
				s += " (" + webkit.Plural(m.Total, "pikë", "pikë") + ")"
			} else {
				s += " (pa dorëzuar)"
			}
			ms = append(ms, s)
			third = third || m.Round == 3
		}
		row.Markers = strings.Join(ms, " · ")
		row.NeedsOne = c.State == remark.StateThird && !third
		v.Rows = append(v.Rows, row)
	}
	var waiting []string
	for _, row := range v.Rows {
		if row.NeedsOne {
			waiting = append(waiting, row.C.Code)
		}
	}
	if len(waiting) > 0 {
		choices, err := h.remark.ThirdChoices(r.Context(), p, year, v.Exam, waiting)
		if err != nil {
			// The username field still assigns: the page is served.
			slog.Error("remark: third choices", "exam", v.Exam, "err", err)
		}
		for i := range v.Rows {
			v.Rows[i].Choices = choices[v.Rows[i].C.Code]
		}
	}
	h.kit.Render(w, r, 0, "remark_cases", "Rivlerësimi — "+v.Exam, v, actErr)
}

func (h *Handler) startForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam := r.PathValue("exam")
	res, err := h.remark.Start(r.Context(), p, 0, exam)
	h.back(w, r, p, examPath(remark.NormExam(exam), "grupi"),
		fmt.Sprintf("Grupi i rivlerësimit u ngrit: %s te %s.", webkit.Plural(res.Booklets, "test", "teste"), webkit.Plural(res.Markers, "vlerësues", "vlerësues")), err)
}

func (h *Handler) thirdForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam := r.PathValue("exam")
	// The username typed wins over the list's choice (the list is the
	// progressive part; without it the field alone assigns); both empty:
	// drawn with the lightest load.
	who := strings.TrimSpace(r.PostFormValue("vleresuesi"))
	if who == "" {
		who = strings.TrimSpace(r.PostFormValue("vleresuesi_nga_lista"))
	}
	who, err := h.remark.AssignThird(r.Context(), p, 0, exam, r.PathValue("code"), who)
	h.back(w, r, p, examPath(remark.NormExam(exam), "grupi"), fmt.Sprintf("Vlerësuesi i tretë i testit %s: %s.", r.PathValue("code"), who), err)
}

func (h *Handler) sendForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam := r.PathValue("exam")
	res, err := h.remark.Send(r.Context(), p, 0, exam, r.PostFormValue("arsyeja"))
	msg := fmt.Sprintf("U dërguan rezultatet e %s (dita %d pas shpalljes): %s me pikë të ndryshuara, %s me notë të ndryshuar.",
		webkit.Plural(res.Sent, "testi", "testeve"), res.Day, webkit.Plural(res.Changed, "test", "teste"), webkit.Plural(res.Grades, "test", "teste"))
	if res.Late {
		msg += " Dërgimi u shënua i vonuar."
	}
	h.back(w, r, p, examPath(remark.NormExam(exam), "grupi"), msg, err)
}

type copiesView struct {
	Year  int
	Items []remark.Copy
}

func (h *Handler) copiesPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderCopies(w, r, p, nil)
}

func (h *Handler) renderCopies(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	year, list, err := h.remark.Copies(r.Context(), p, 0)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, 0, "remark_copies", "Kërkesat për kopje të testit", copiesView{Year: year, Items: list}, actErr)
}

func (h *Handler) answerForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	in := remark.CopyAnswer{Kind: r.PostFormValue("pergjigjja"), At: strings.TrimSpace(r.PostFormValue("data") + " " + r.PostFormValue("ora")), Place: r.PostFormValue("vendi")}
	c, err := h.remark.AnswerCopy(r.Context(), p, 0, r.PostFormValue("provimi"), r.PostFormValue("regjistrimi"), in)
	h.back(w, r, p, "/rivleresimi/kopjet", fmt.Sprintf("Kandidatit %s iu përgjigj: %s.", c.RegNo, strings.ToLower(c.StateLabel)), err)
}
