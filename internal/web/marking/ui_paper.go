package marking

import (
	"fmt"
	"net/http"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/marking"
	"provim/internal/web/webkit"
)

// The marking sheet of a booklet (a PDF) and AVA's typing of the paper
// sheets, twice by two different people.

func (h *Handler) sheetPDF(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	code := strings.TrimSuffix(r.PathValue("code"), ".pdf")
	body, err := h.marking.MarkingSheet(r.Context(), p, 0, r.PathValue("exam"), code)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	webkit.SendFile(w, "application/pdf", "fleta-e-vleresimit-"+webkit.FileName(code)+".pdf", body)
}

type paperView struct {
	Exam   string
	Code   string // as typed
	Round  int
	B      *marking.LeadBooklet
	Rows   []itemRow
	Whose  string // the marker whose sheet it is
	Rounds []int
}

// paperPage is AVA's typing of paper marking sheets: first the code and
// the round, then the items of the test to type the sheet in.
// A round that is not a number is an error (no round 0 in its place).
func (h *Handler) paperPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	q := r.URL.Query()
	round, err := webkit.Int(q.Get("raundi"), "raundi", 0)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.renderPaper(w, r, p, q.Get("kodi"), round, nil, nil)
}

func (h *Handler) renderPaper(w http.ResponseWriter, r *http.Request, p *auth.Principal, code string, round int, typed []string, actErr error) {
	if err := webkit.Allow(p, marking.MayManage(p)); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	exam := marking.NormExam(r.PathValue("exam"))
	v := paperView{Exam: exam, Code: code, Round: round, Rounds: []int{1, 2, 3}}
	if code != "" {
		b, err := h.marking.BookletForLead(r.Context(), p, 0, exam, code)
		if err != nil && actErr == nil {
			actErr = err
		}
		if err == nil {
			v.B = &b
			for _, m := range b.Markings {
				if m.Round == v.Round {
					v.Whose = m.FullName
				}
			}
			for i, it := range b.Items {
				row := itemRow{No: it.No, Label: it.Label, Choice: it.Kind == marking.KindChoice, Max: it.MaxPoints}
				if row.Choice {
					row.Options = fmt.Sprintf("A–%c", 'A'+max(it.Options, 1)-1)
				}
				if i < len(typed) {
					row.Value = typed[i]
				}
				v.Rows = append(v.Rows, row)
			}
		}
	}
	status := 0
	if actErr != nil {
		status = webkit.StatusOf(actErr)
	}
	h.kit.Render(w, r, status, "marking_mark_paper", "Fletët në letër — "+exam, v, actErr)
}

func (h *Handler) paperForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := webkit.Allow(p, marking.MayManage(p)); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	exam := r.PathValue("exam")
	code := strings.TrimSpace(r.PostFormValue("kodi"))
	n, err := webkit.Int(r.PostFormValue("raundi"), "raundi", 0)
	if err != nil {
		h.renderPaper(w, r, p, code, 0, nil, err)
		return
	}
	b, err := h.marking.BookletForLead(r.Context(), p, 0, exam, code)
	if err != nil {
		h.renderPaper(w, r, p, code, n, nil, err)
		return
	}
	choices, points, typed, err := formMarks(r, b.Items)
	if err != nil {
		h.renderPaper(w, r, p, code, n, typed, err)
		return
	}
	res, err := h.marking.EnterPaper(r.Context(), p, 0, exam, code, n, choices, points)
	switch {
	case err != nil:
		h.renderPaper(w, r, p, code, n, typed, err)
	case res.Mismatch:
		h.renderPaper(w, r, p, code, n, nil, apperr.New(apperr.Conflict,
			"Dy shtypjet e fletës së testit %s nuk përputhen te kërkesat %s: të dyja u fshinë, fleta shtypet përsëri nga dy persona.", b.Display, strings.Join(res.Differences, ", ")))
	case res.Matched:
		webkit.RedirectOK(w, r, markPath(b.Exam, "letra"), nil, fmt.Sprintf("Dy shtypjet përputhen: vlerësimi %d i testit %s u regjistrua.", n, b.Display))
	default:
		webkit.RedirectOK(w, r, markPath(b.Exam, "letra"), nil, fmt.Sprintf("Shtypja e parë e fletës së testit %s u ruajt; e dyta bëhet nga një person tjetër.", b.Display))
	}
}
