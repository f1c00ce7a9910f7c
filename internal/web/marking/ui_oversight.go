package marking

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/marking"
	"provim/internal/web/webkit"
)

// The pages of the monitors, KOPOTED, MASH and the quality board. Display
// strings are made here; every check is the service's.

func oversightPath(exam, page string) string {
	return "/vleresimi/" + url.PathEscape(marking.NormExam(exam)) + "/" + page
}

// ovDecimal writes a number with a decimal comma, as Albanian does.
func ovDecimal(x float64, prec int) string {
	return strings.Replace(fmt.Sprintf("%.*f", prec, x), ".", ",", 1)
}

func ovPercent(x float64) string { return fmt.Sprintf("%.0f%%", x*100) }

// failAct renders the page again with a refusal, or the error page for a
// failure of the server.
func (h *Handler) failAct(w http.ResponseWriter, r *http.Request, p *auth.Principal, err error, page func(http.ResponseWriter, *http.Request, *auth.Principal, error)) {
	if apperr.CodeOf(err) == apperr.Internal {
		h.kit.Fail(w, r, err)
		return
	}
	page(w, r, p, err)
}

// The monitors (Neni 57.15).

type monitorView struct {
	M     marking.Monitoring
	Draws []drawRow
}

type drawRow struct {
	D       marking.Draw
	DrawnAt string
}

var verdictLabels = map[string]string{"": "Për t'u shqyrtuar", marking.VerdictConfirmed: "Konfirmuar", marking.VerdictReturned: "Kthyer për rivlerësim"}

func (h *Handler) monitorPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderMonitor(w, r, p, nil)
}

func (h *Handler) renderMonitor(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	m, err := h.marking.Monitoring(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := monitorView{M: m}
	for _, d := range m.Draws {
		v.Draws = append(v.Draws, drawRow{D: d, DrawnAt: clock.Stamp(d.DrawnAt)})
	}
	h.kit.Render(w, r, 0, "marking_oversight_monitor", "Monitorimi i vlerësimit — "+m.Exam.Code, v, actErr)
}

func (h *Handler) drawForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam := r.PathValue("exam")
	d, err := h.marking.DrawSample(r.Context(), p, 0, exam)
	if err != nil {
		h.failAct(w, r, p, err, h.renderMonitor)
		return
	}
	webkit.RedirectOK(w, r, oversightPath(exam, "monitorimi"), nil,
		fmt.Sprintf("U hodh kampioni %d: %d nga %d test-broshura (%d‰), me farën %s (Neni 57.15).", d.No, d.Sampled, d.Population, d.RatePM, d.Seed))
}

type sampleView struct {
	B       marking.SampledBooklet
	Rows    []sampleRow
	Verdict string
	Total   string
	Reason  string // typed back after a refusal
}

type sampleRow struct {
	Label  string
	Max    int
	Points string
}

func (h *Handler) samplePage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderSample(w, r, p, nil)
}

func (h *Handler) renderSample(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	b, err := h.marking.SampledBooklet(r.Context(), p, 0, r.PathValue("exam"), r.PathValue("code"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := sampleView{B: b, Verdict: verdictLabels[b.Sample.Verdict], Total: "—", Reason: r.FormValue("arsyeja")}
	for i, it := range b.Items {
		row := sampleRow{Label: it.Label, Max: it.MaxPoints, Points: "—"}
		if b.Marks != nil && i < len(b.Marks.Points) {
			row.Points = fmt.Sprint(b.Marks.Points[i])
		}
		v.Rows = append(v.Rows, row)
	}
	if b.Marks != nil {
		v.Total = fmt.Sprint(b.Marks.Total())
	}
	h.kit.Render(w, r, 0, "marking_oversight_sample", "Kampioni — "+b.Sample.Display, v, actErr)
}

func (h *Handler) reviewForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam, code := r.PathValue("exam"), r.PathValue("code")
	verdict := r.FormValue("vendimi")
	if err := h.marking.ReviewSample(r.Context(), p, 0, exam, code, verdict, r.FormValue("arsyeja")); err != nil {
		h.failAct(w, r, p, err, h.renderSample)
		return
	}
	msg := "Vlerësimi i test-broshurës " + code + " u konfirmua."
	if verdict == marking.VerdictReturned {
		msg = "Test-broshura " + code + " u kthye për rivlerësim te vlerësuesit e saj, me arsyen e shkruar (Neni 57.15)."
	}
	webkit.RedirectOK(w, r, oversightPath(exam, "monitorimi"), nil, msg)
}

// Copying (Neni 57.15–57.17).

// reportForm is a marker's report from their booklet page.
func (h *Handler) reportForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam, code := r.PathValue("exam"), r.PathValue("code")
	if err := h.marking.ReportCopying(r.Context(), p, 0, exam, code, r.FormValue("arsyeja")); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	webkit.RedirectOK(w, r, oversightPath(exam, "broshura/"+url.PathEscape(code)), nil,
		"Test-broshura "+code+" iu raportua KOPOTED si e dyshuar për kopjim (Neni 57.15–57.16).")
}

type copyingView struct {
	C       marking.Copying
	Reports []reportRow
	Cases   []caseRow
}

type reportRow struct {
	R        marking.Report
	At       string
	Waiting  bool
	FirstRow bool // the first report of its code: the row with the box
}

type caseRow struct {
	C          marking.Case
	Codes      string
	OpenedAt   string
	FindingAt  string
	DecisionAt string
	Finding    string
	Decision   string
	CanFind    bool
	CanDecide  bool
}

var findingLabels = map[string]string{"": "Pa konstatim ende", marking.FindingCopied: "U kopjua", marking.FindingNotCopied: "Nuk u kopjua"}
var decisionLabels = map[string]string{"": "Pret vendimin e MASH", marking.DecisionVoided: "Rezultati anulohet", marking.DecisionStands: "Rezultati mbetet"}

func (h *Handler) copyingPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderCopying(w, r, p, nil)
}

func (h *Handler) renderCopying(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	c, err := h.marking.CopyingBoard(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := copyingView{C: c}
	seen := map[string]bool{}
	for _, rp := range c.Reports {
		v.Reports = append(v.Reports, reportRow{R: rp, At: clock.Stamp(rp.ReportedAt), Waiting: rp.CaseNo == 0, FirstRow: !seen[rp.Code]})
		seen[rp.Code] = true
	}
	for _, cs := range c.Cases {
		v.Cases = append(v.Cases, caseRow{C: cs, Codes: strings.Join(cs.Displays, ", "), OpenedAt: clock.Stamp(cs.OpenedAt),
			FindingAt: clock.Stamp(cs.FindingAt), DecisionAt: clock.Stamp(cs.DecisionAt),
			Finding: findingLabels[cs.Finding], Decision: decisionLabels[cs.Decision],
			CanFind: c.CanOpen && cs.Open(), CanDecide: c.CanDecide && cs.Open() && cs.Finding != ""})
	}
	h.kit.Render(w, r, 0, "marking_oversight_copying", "Dyshimet për kopjim — "+c.Exam.Code, v, actErr)
}

func (h *Handler) openCaseForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam := r.PathValue("exam")
	no, err := h.marking.OpenCase(r.Context(), p, 0, exam, r.PostForm["kodi"])
	if err != nil {
		h.failAct(w, r, p, err, h.renderCopying)
		return
	}
	webkit.RedirectOK(w, r, oversightPath(exam, "kopjimi"), nil, fmt.Sprintf("U hap rasti %d i KOPOTED (Neni 57.16).", no))
}

func (h *Handler) findingForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam := r.PathValue("exam")
	no, err := webkit.Int(r.PathValue("id"), "numri i rastit", 0)
	if err == nil {
		err = h.marking.RecordFinding(r.Context(), p, 0, exam, no, r.FormValue("konstatimi"), r.FormValue("shenimi"))
	}
	if err != nil {
		h.failAct(w, r, p, err, h.renderCopying)
		return
	}
	webkit.RedirectOK(w, r, oversightPath(exam, "kopjimi"), nil, fmt.Sprintf("Konstatimi i rastit %d u regjistrua dhe i raportohet MASH (Neni 57.16).", no))
}

func (h *Handler) decisionForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam := r.PathValue("exam")
	no, err := webkit.Int(r.PathValue("id"), "numri i rastit", 0)
	if err == nil {
		err = h.marking.RecordDecision(r.Context(), p, 0, exam, no, r.FormValue("vendimi"), r.FormValue("protokolli"))
	}
	if err != nil {
		h.failAct(w, r, p, err, h.renderCopying)
		return
	}
	webkit.RedirectOK(w, r, oversightPath(exam, "kopjimi"), nil, fmt.Sprintf("Vendimi i MASH për rastin %d u regjistrua (Neni 57.17).", no))
}

// Quality (issue 14 item 7).

type qualityView struct {
	Q         marking.Quality
	Agreement string
	MeanAbs   string
	Kappa     string
	Bars      template.HTML
	Drift     template.HTML
	Rows      []qualityRow
}

type qualityRow struct {
	M         marking.MarkerQuality
	Status    string
	Agreement string
	MeanAbs   string
	Kappa     string
	Sided     string
	Seeded    string
	CanStop   bool
}

var statusLabels = map[string]string{marking.StatusTraining: "Në trajnim", marking.StatusQualified: "I kualifikuar",
	marking.StatusNotQualified: "I pakualifikuar", marking.StatusStopped: "I ndaluar"}

func (h *Handler) qualityPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderQuality(w, r, p, nil)
}

func (h *Handler) renderQuality(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	q, err := h.marking.Quality(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := qualityView{Q: q, Agreement: ovPercent(q.Agreement), MeanAbs: ovDecimal(q.MeanAbsDiff, 2), Kappa: ovDecimal(q.Kappa, 2),
		Bars: marking.AgreementChart(q), Drift: marking.DriftChart(q)}
	for _, m := range q.Markers {
		row := qualityRow{M: m, Status: statusLabels[m.Status], Agreement: "—", MeanAbs: "—", Kappa: "—", Sided: "—", Seeded: "—",
			CanStop: m.Stoppable}
		if row.Status == "" {
			row.Status = m.Status
		}
		if m.Paired > 0 {
			row.Agreement, row.MeanAbs, row.Kappa = ovPercent(m.Agreement), ovDecimal(m.MeanAbsDiff, 2), ovDecimal(m.Kappa, 2)
		}
		if m.Thirds > 0 {
			row.Sided = fmt.Sprintf("%d nga %d", m.SidedWith, m.Thirds)
		}
		if len(m.Seeded) > 0 {
			row.Seeded = fmt.Sprintf("%s pikë (%d)", ovDecimal(m.SeededMean, 1), len(m.Seeded))
		}
		v.Rows = append(v.Rows, row)
	}
	h.kit.Render(w, r, 0, "marking_oversight_quality", "Cilësia e vlerësimit — "+q.Exam.Code, v, actErr)
}

func (h *Handler) stopForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam, u := r.PathValue("exam"), r.FormValue("perdoruesi")
	if err := h.marking.StopFromQuality(r.Context(), p, 0, exam, u, r.FormValue("shenimi")); err != nil {
		h.failAct(w, r, p, err, h.renderQuality)
		return
	}
	webkit.RedirectOK(w, r, oversightPath(exam, "cilesia"), nil, "Vlerësuesi "+u+" u ndalua nga vlerësimi i provimit.")
}
