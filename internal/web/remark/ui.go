package remark

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/doc"
	"provim/internal/marking"
	"provim/internal/remark"
	"provim/internal/web/webkit"
)

// The index page of re-marking: what each role does there. Display
// strings are made here; every check is the service's.

func examPath(exam, page string) string { return "/rivleresimi/" + url.PathEscape(exam) + "/" + page }

// step is one step of a request's way, for the candidate's timeline.
type step struct {
	Label string
	When  string
	Done  bool
}

// steps is the way of a request (Neni 64 ¶1–4), each step done or not.
func steps(r *remark.Request) []step {
	if r == nil {
		return nil
	}
	at := map[string]int{remark.StateFiled: 0, remark.StateSchool: 1, remark.StateKMSH: 2, remark.StateRefused: 2,
		remark.StateMarking: 3, remark.StateThird: 3, remark.StateMarked: 3, remark.StateFinal: 4}[r.State]
	kmsh := "Përcjellë nga KMSH te AVA"
	if r.State == remark.StateRefused {
		kmsh = "Refuzuar nga KMSH: " + r.RefusedReason
	}
	out := []step{
		{"Paraqitur në KSHMSH", webkit.When(r.FiledAt), true},
		{"Përcjellë nga KSHMSH te KMSH", webkit.When(r.SchoolAt), at >= 1},
		{kmsh, webkit.When(r.KMSHAt), at >= 2},
	}
	if r.State != remark.StateRefused {
		out = append(out, step{"Në rivlerësim në AVA", "", at >= 3}, step{"Rezultati përfundimtar", webkit.When(r.SentAt), at >= 4})
	}
	return out
}

// choiceRow is one exam on the candidate's page.
type choiceRow struct {
	C     remark.ExamChoice
	Steps []step
}

// caseLink is an exam on AVA's (or the lead's) page.
type caseLink struct {
	Code, Name, Href string
}

type indexView struct {
	Year int
	// The candidate.
	Candidate bool
	Exams     []choiceRow
	// The school commission and the KMSH.
	Lists   bool
	Paper   bool // the school enters paper requests
	Review  bool // the KMSH refuses
	Reqs    []remark.Request
	ReqExam []string // the exams the requests are of, for the forwarding
	AllExam []marking.Exam
	// AVA and the lead.
	Cases  []caseLink
	Copies bool
	// The re-marker.
	Marker bool
	Queue  []remark.QueueEntry
	Done   int
}

func (h *Handler) indexPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderIndex(w, r, p, nil)
}

func (h *Handler) renderIndex(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	if !remark.MayOpenRemark(p) {
		h.kit.Fail(w, r, apperr.New(apperr.Forbidden, "Rivlerësimi nuk ka faqe për rolin tuaj."))
		return
	}
	ctx := r.Context()
	var v indexView
	var err error
	switch {
	case remark.MayFile(p):
		var list []remark.ExamChoice
		v.Candidate = true
		v.Year, list, err = h.remark.Mine(ctx, p, 0)
		for _, c := range list {
			v.Exams = append(v.Exams, choiceRow{C: c, Steps: steps(c.Request)})
		}
	case remark.MayListRequests(p):
		v.Lists, v.Paper, v.Review = true, remark.MayEnterOnPaper(p), remark.MayReview(p)
		v.Year, v.Reqs, err = h.remark.Requests(ctx, p, 0, "")
		if err == nil {
			_, v.AllExam, err = h.remark.Exams(ctx, v.Year)
		}
		seen := map[string]bool{}
		for _, q := range v.Reqs {
			if !seen[q.Exam] {
				seen[q.Exam] = true
				v.ReqExam = append(v.ReqExam, q.Exam)
			}
		}
	case remark.MayManage(p):
		var exams []marking.Exam
		v.Copies = true
		v.Year, exams, err = h.remark.Exams(ctx, 0)
		for _, e := range exams {
			v.Cases = append(v.Cases, caseLink{Code: e.Code, Name: e.Name, Href: examPath(e.Code, "grupi")})
		}
	case remark.MayRemark(p):
		v.Marker = true
		v.Year, v.Queue, v.Done, err = h.remark.Queue(ctx, p, 0)
		if err == nil && p.Subject != "" && h.remark.MayLead(ctx, p, 0, p.Subject) {
			v.Cases = []caseLink{{Code: remark.NormExam(p.Subject), Href: examPath(remark.NormExam(p.Subject), "grupi")}}
		}
	}
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, 0, "remark_index", "Rivlerësimi", v, actErr)
}

// back answers a form: on success, back to the page with the message; on
// a refusal, the page again with the error.
func (h *Handler) back(w http.ResponseWriter, r *http.Request, p *auth.Principal, path, msg string, err error) {
	if err == nil {
		webkit.RedirectOK(w, r, path, nil, msg)
		return
	}
	if apperr.CodeOf(err) == apperr.Internal {
		h.kit.Fail(w, r, err)
		return
	}
	if strings.HasSuffix(path, "/grupi") {
		h.renderCases(w, r, p, err)
		return
	}
	if path == "/rivleresimi/kopjet" {
		h.renderCopies(w, r, p, err)
		return
	}
	h.renderIndex(w, r, p, err)
}

// noticePDF is the school's (or the region's) printable notice of the
// re-marking results (Neni 64 ¶4).
func (h *Handler) noticePDF(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	year, list, err := h.remark.Requests(r.Context(), p, 0, "")
	if err == nil {
		err = webkit.SendDocument(w, remark.Notice(h.kit.ScopeOf(r.Context(), p), year, list, h.clock.Now()), doc.PDF, fmt.Sprintf("rivleresimi-%d", year))
	}
	if err != nil {
		h.kit.Fail(w, r, err)
	}
}

func (h *Handler) fileForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	req, err := h.remark.File(r.Context(), p, 0, r.PathValue("exam"), r.PostFormValue("mandati"))
	h.back(w, r, p, "/rivleresimi", fmt.Sprintf("Kërkesa për rivlerësim të provimit %s u paraqit (mandati %s).", req.Exam, req.Receipt), err)
}

func (h *Handler) paperForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	req, err := h.remark.FileOnPaper(r.Context(), p, 0, r.PostFormValue("provimi"), r.PostFormValue("regjistrimi"), r.PostFormValue("mandati"))
	h.back(w, r, p, "/rivleresimi", fmt.Sprintf("Kërkesa në letër e kandidatit %s për provimin %s u regjistrua.", req.RegNo, req.Exam), err)
}

func (h *Handler) forwardForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	res, err := h.remark.Forward(r.Context(), p, 0, r.PathValue("exam"))
	h.back(w, r, p, "/rivleresimi", fmt.Sprintf("U përcollën %s të provimit %s.", webkit.Plural(res.Forwarded, "kërkesë", "kërkesa"), res.Exam), err)
}

func (h *Handler) refuseForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	req, err := h.remark.Refuse(r.Context(), p, 0, r.PathValue("exam"), r.PathValue("regno"), r.PostFormValue("arsyeja"))
	h.back(w, r, p, "/rivleresimi", fmt.Sprintf("Kërkesa e kandidatit %s u refuzua.", req.RegNo), err)
}
