package marking

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/marking"
	"provim/internal/web/webkit"
)

// The pages of the central flow: the marker's queue and marking form,
// the lead's third markers, the paper sheets and the close. Display
// strings are made here; every check is the service's.

func markPath(exam, page string) string { return "/vleresimi/" + url.PathEscape(exam) + "/" + page }

type queueView struct {
	Exam  string
	Q     marking.Queue
	Next  string // the first code to mark, "" when none
	Lead  bool
	Total int
}

func (h *Handler) queuePage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	q, err := h.marking.Queue(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := queueView{Exam: q.Exam, Q: q, Lead: h.marking.MayLeadExam(r.Context(), p, 0, q.Exam), Total: len(q.ToMark) + q.Done}
	if len(q.ToMark) > 0 {
		v.Next = q.ToMark[0].Display
	}
	h.kit.Render(w, r, 0, "marking_mark_queue", "Testet për vlerësim — "+q.Exam, v, nil)
}

// itemRow is one item of the marking form: its input and what it shows.
type itemRow struct {
	No      int
	Label   string
	Choice  bool
	Options string // "A–D"
	Max     int
	Levels  string // "1 pikë: …; 2 pikë: …"
	Value   string // what is in the field
}

type bookletView struct {
	B         marking.MarkBooklet
	Rows      []itemRow
	Signed    string
	Next      string
	Remaining int
	Scans     []webkit.Link // the booklet's scanned pages (ui_scan.go)
}

func (h *Handler) bookletPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderBooklet(w, r, p, nil, nil)
}

// renderBooklet shows the marking form; typed (on an error) are the
// values posted, shown back.
func (h *Handler) renderBooklet(w http.ResponseWriter, r *http.Request, p *auth.Principal, typed []string, actErr error) {
	exam := r.PathValue("exam")
	b, err := h.marking.BookletFor(r.Context(), p, 0, exam, r.PathValue("code"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := bookletView{B: b, Scans: h.scanImages(r, p, b.Exam, b.Display)}
	for i, it := range b.Items {
		row := itemRow{No: it.No, Label: it.Label, Choice: it.Kind == marking.KindChoice, Max: it.MaxPoints}
		if row.Choice {
			row.Options = fmt.Sprintf("A–%c", 'A'+max(it.Options, 1)-1)
		}
		var ls []string
		for _, l := range it.Levels {
			ls = append(ls, fmt.Sprintf("%s: %s", webkit.Plural(l.Points, "pikë", "pikë"), strings.TrimSuffix(strings.TrimSpace(l.Text), ".")))
		}
		row.Levels = strings.Join(ls, "; ")
		switch {
		case typed != nil && i < len(typed):
			row.Value = typed[i]
		case b.Mine != nil && row.Choice:
			row.Value = b.Mine.Choices[i]
		case b.Mine != nil:
			row.Value = strconv.Itoa(b.Mine.Points[i])
		}
		v.Rows = append(v.Rows, row)
	}
	if b.SubmittedAt != "" {
		v.Signed = clock.Stamp(b.SubmittedAt)
	}
	if q, err := h.marking.Queue(r.Context(), p, 0, exam); err == nil {
		for _, e := range q.ToMark {
			if e.Code != b.Code {
				if v.Next == "" {
					v.Next = e.Display
				}
				v.Remaining++
			}
		}
	}
	h.kit.Render(w, r, 0, "marking_mark_booklet", "Testi "+b.Display, v, actErr)
}

// formMarks reads the marking form: per item, "k<no>" (letters for a
// choice item, points for an open one).
func formMarks(r *http.Request, items []marking.Item) (choices []string, points []int, typed []string, err error) {
	choices, points, typed = make([]string, len(items)), make([]int, len(items)), make([]string, len(items))
	for i, it := range items {
		raw := strings.TrimSpace(r.PostFormValue("k" + strconv.Itoa(it.No)))
		typed[i] = raw
		if it.Kind == marking.KindChoice {
			choices[i] = raw
			continue
		}
		if raw == "" {
			err = apperr.New(apperr.Invalid, "Kërkesa %s: shkruani pikët (0 deri në %d).", it.Label, it.MaxPoints)
			continue
		}
		n, e := strconv.Atoi(raw)
		if e != nil && err == nil {
			err = apperr.New(apperr.Invalid, "Kërkesa %s: «%s» nuk është numër pikësh.", it.Label, raw)
		}
		points[i] = n
	}
	return choices, points, typed, err
}

func (h *Handler) markForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam, code := r.PathValue("exam"), r.PathValue("code")
	b, err := h.marking.BookletFor(r.Context(), p, 0, exam, code)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	choices, points, typed, err := formMarks(r, b.Items)
	if err == nil {
		var res marking.MarkResult
		res, err = h.marking.Mark(r.Context(), p, 0, exam, code, choices, points)
		if err == nil {
			next := markPath(b.Exam, "radha")
			if r.PostFormValue("tjetri") != "" {
				if q, qerr := h.marking.Queue(r.Context(), p, 0, exam); qerr == nil && len(q.ToMark) > 0 {
					next = markPath(b.Exam, "broshura/"+url.PathEscape(q.ToMark[0].Display))
				}
			}
			webkit.RedirectOK(w, r, next, nil, fmt.Sprintf("Testi %s u vlerësua: %s, nënshkruar më %s.", res.Display, webkit.Plural(res.Total, "pikë", "pikë"), clock.Stamp(res.SubmittedAt)))
			return
		}
	}
	if apperr.CodeOf(err) == apperr.Internal {
		h.kit.Fail(w, r, err)
		return
	}
	h.renderBooklet(w, r, p, typed, err)
}

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

// failOr shows a refusal on the page it came from, an internal error
// on the error page.
func (h *Handler) failOr(w http.ResponseWriter, r *http.Request, p *auth.Principal, err error, page func(http.ResponseWriter, *http.Request, *auth.Principal, error)) {
	switch apperr.CodeOf(err) {
	case apperr.Invalid, apperr.Conflict:
		page(w, r, p, err)
	default:
		h.kit.Fail(w, r, err)
	}
}

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
func (h *Handler) paperPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderPaper(w, r, p, r.URL.Query().Get("kodi"), r.URL.Query().Get("raundi"), nil, nil)
}

func (h *Handler) renderPaper(w http.ResponseWriter, r *http.Request, p *auth.Principal, code, round string, typed []string, actErr error) {
	if err := webkit.Allow(p, marking.MayManage(p)); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	exam := marking.NormExam(r.PathValue("exam"))
	v := paperView{Exam: exam, Code: code, Rounds: []int{1, 2, 3}}
	v.Round, _ = strconv.Atoi(round)
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
	code, round := strings.TrimSpace(r.PostFormValue("kodi")), r.PostFormValue("raundi")
	b, err := h.marking.BookletForLead(r.Context(), p, 0, exam, code)
	if err != nil {
		h.renderPaper(w, r, p, code, round, nil, err)
		return
	}
	n, _ := strconv.Atoi(round)
	choices, points, typed, err := formMarks(r, b.Items)
	if err != nil {
		h.renderPaper(w, r, p, code, round, typed, err)
		return
	}
	res, err := h.marking.EnterPaper(r.Context(), p, 0, exam, code, n, choices, points)
	switch {
	case err != nil:
		h.renderPaper(w, r, p, code, round, typed, err)
	case res.Mismatch:
		h.renderPaper(w, r, p, code, round, nil, apperr.New(apperr.Conflict,
			"Dy shtypjet e fletës së testit %s nuk përputhen te kërkesat %s: të dyja u fshinë, fleta shtypet përsëri nga dy persona.", b.Display, strings.Join(res.Differences, ", ")))
	case res.Matched:
		webkit.RedirectOK(w, r, markPath(b.Exam, "letra"), nil, fmt.Sprintf("Dy shtypjet përputhen: vlerësimi %d i testit %s u regjistrua.", n, b.Display))
	default:
		webkit.RedirectOK(w, r, markPath(b.Exam, "letra"), nil, fmt.Sprintf("Shtypja e parë e fletës së testit %s u ruajt; e dyta bëhet nga një person tjetër.", b.Display))
	}
}

type closeView struct {
	P        marking.Progress
	ClosedAt string
	Manage   bool // may register and close
	Lead     bool
	Ready    bool
}

func (h *Handler) closePage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderClose(w, r, p, nil)
}

func (h *Handler) renderClose(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	exam := r.PathValue("exam")
	pr, err := h.marking.Progress(r.Context(), p, 0, exam)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := closeView{P: pr, Manage: marking.MayManage(p), Lead: h.marking.MayLeadExam(r.Context(), p, 0, exam),
		Ready: pr.Registered > 0 && pr.Final+pr.Voided == pr.Registered && pr.OpenCases == 0}
	if pr.Closed {
		v.ClosedAt = clock.Stamp(pr.ClosedAt)
	}
	status := 0
	if actErr != nil {
		status = webkit.StatusOf(actErr)
	}
	h.kit.Render(w, r, status, "marking_mark_close", "Ecuria dhe mbyllja — "+pr.Exam, v, actErr)
}

func (h *Handler) closeForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam := r.PathValue("exam")
	res, err := h.marking.Close(r.Context(), p, 0, exam)
	if err != nil {
		h.failOr(w, r, p, err, h.renderClose)
		return
	}
	webkit.RedirectOK(w, r, markPath(res.Exam, "mbyllja"), nil, fmt.Sprintf("Vlerësimi i provimit %s u mbyll: %s me pikë përfundimtare, %d të anuluara.", res.Exam, webkit.Plural(res.Booklets, "test", "teste"), res.Voided))
}

func (h *Handler) registerForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam := r.PathValue("exam")
	res, err := h.marking.RegisterBooklets(r.Context(), p, 0, exam)
	if err != nil {
		h.failOr(w, r, p, err, h.renderClose)
		return
	}
	webkit.RedirectOK(w, r, markPath(marking.NormExam(exam), "mbyllja"), nil, fmt.Sprintf("U regjistruan %s nga %s dhe %d teste kalibrimi.", webkit.Plural(res.Booklets, "test", "teste"), webkit.Plural(res.Rooms, "sallë", "salla"), res.Seeded))
}

func (h *Handler) allocateForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam := r.PathValue("exam")
	res, err := h.marking.Allocate(r.Context(), p, 0, exam)
	if err != nil {
		h.failOr(w, r, p, err, h.renderClose)
		return
	}
	webkit.RedirectOK(w, r, markPath(marking.NormExam(exam), "mbyllja"), nil, fmt.Sprintf("%s iu ndanë %s, dy për secilin test, rastësisht (Neni 57.13).", webkit.Plural(res.Booklets, "test", "teste"), webkit.Plural(res.Markers, "vlerësuesi", "vlerësuesve")))
}
