package marking

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"provim/internal/accounts"
	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/marking"
	"provim/internal/web/webkit"
)

// The pages of the markers (Neni 57.6–57.11): AVA appoints them and their
// leads, sets the exam's tolerance and rates and enters the calibration
// booklets; the lead sees who qualified and stops or resumes a marker; a
// marker trains on the calibration booklets.

var taskLabels = map[string]string{marking.TaskMarker: "Vlerësues", marking.TaskLead: "Përgjegjës"}

var purposeLabels = map[string]string{marking.PurposeTraining: "Trajnim", marking.PurposeSeeded: "E futur në radhë"}

type markerView struct {
	marking.MarkerRow
	StatusLabel, TaskLabel, Training string
	CanStop, CanResume, CanRetrain   bool
}

type calibrationView struct {
	No                       int
	Purpose, Code, Marks, At string
	Total                    int
}

type markersView struct {
	Exam        string
	Manage      bool // AVA
	Lead        bool // AVA or the subject's lead
	Rows        []markerView
	Settings    marking.Settings
	Query       string
	Found       []marking.StaffCandidate
	Calibration []calibrationView
	Items       []marking.Item // the calibration form's items (AVA, test visible)
	Purposes    []kindOption
	Task        string
}

func markersPath(exam string) string { return "/vleresimi/" + url.PathEscape(exam) + "/vleresuesit" }

func trainingPath(exam string) string { return "/vleresimi/" + url.PathEscape(exam) + "/trajnimi" }

// marksText writes marks item by item: "1: B · 2: — · 3: 2 pikë".
func marksText(items []marking.Item, m *marking.Marks) []string {
	out := make([]string, len(items))
	for i, it := range items {
		switch {
		case m == nil || i >= len(m.Points):
			out[i] = ""
		case it.Kind == marking.KindChoice && i < len(m.Choices) && m.Choices[i] != "":
			out[i] = fmt.Sprintf("%s (%d)", m.Choices[i], m.Points[i])
		case it.Kind == marking.KindChoice:
			out[i] = fmt.Sprintf("— (%d)", m.Points[i])
		default:
			out[i] = strconv.Itoa(m.Points[i])
		}
	}
	return out
}

func (h *Handler) markersPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderMarkers(w, r, p, nil)
}

func (h *Handler) renderMarkers(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	ctx, exam := r.Context(), marking.NormExam(r.PathValue("exam"))
	rows, err := h.marking.Markers(ctx, p, 0, exam)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := markersView{Exam: exam, Manage: marking.MayManage(p), Lead: h.marking.MayLeadExam(ctx, p, 0, exam), Purposes: []kindOption{
		{marking.PurposeTraining, purposeLabels[marking.PurposeTraining]}, {marking.PurposeSeeded, purposeLabels[marking.PurposeSeeded]}}}
	for _, m := range rows {
		mv := markerView{MarkerRow: m, StatusLabel: statusLabels[m.Status], TaskLabel: taskLabels[m.Task], Training: "—"}
		if m.Training > 0 {
			mv.Training = fmt.Sprintf("%d nga %d", m.Trained, m.Training)
			if m.MaxDiff >= 0 {
				mv.Training += fmt.Sprintf("; diferenca më e madhe %d pikë", m.MaxDiff)
			}
		}
		mayAct := v.Lead && (v.Manage || m.Task == marking.TaskMarker) && m.Username != p.Username
		mv.CanStop = mayAct && m.Status != marking.StatusStopped
		mv.CanResume = mayAct && m.Status == marking.StatusStopped
		mv.CanRetrain = mayAct && m.Status == marking.StatusNotQualified
		v.Rows = append(v.Rows, mv)
	}
	if v.Lead {
		if v.Settings, err = h.marking.Settings(ctx, 0, exam); err != nil {
			h.kit.Fail(w, r, err)
			return
		}
	}
	if v.Manage {
		v.Query = strings.TrimSpace(r.URL.Query().Get("kerko"))
		if v.Query != "" {
			found, err := h.marking.StaffCandidates(ctx, p, 0, exam, v.Query)
			if err != nil && actErr == nil {
				actErr = err
			}
			v.Found = found
		}
		cal, err := h.marking.Calibration(ctx, p, 0, exam)
		if err != nil {
			h.kit.Fail(w, r, err)
			return
		}
		t, err := h.marking.TestOf(ctx, p, 0, exam)
		if err != nil {
			h.kit.Fail(w, r, err)
			return
		}
		if t.Visible {
			v.Items = t.Items
		}
		for _, c := range cal {
			v.Calibration = append(v.Calibration, calibrationView{No: c.No, Purpose: purposeLabels[c.Purpose], Code: c.Code, Total: c.Total,
				At: c.AddedAt, Marks: strings.Join(marksText(t.Items, &c.Marks), " · ")})
		}
	}
	status := 0
	if actErr != nil {
		status = webkit.StatusOf(actErr)
	}
	h.kit.Render(w, r, status, "marking_markers_list", "Vlerësuesit — "+exam, v, actErr)
}

// appointForm appoints the members of staff whose personal numbers are
// typed (or picked from the search); the accounts made print as letters.
func (h *Handler) appointForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	task := r.PostFormValue("detyra")
	var in []marking.Appointment
	for _, pn := range strings.FieldsFunc(r.PostFormValue("numrat"), func(c rune) bool { return c == ',' || c == ';' || c == '\n' || c == '\r' || c == ' ' || c == '\t' }) {
		in = append(in, marking.Appointment{PersonalNo: pn, Task: task})
	}
	res, err := h.marking.Appoint(r.Context(), p, 0, r.PathValue("exam"), in)
	h.appointed(w, r, p, res, err)
}

func (h *Handler) importMarkersForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	f, hdr, err := r.FormFile("file")
	if err != nil {
		h.renderMarkers(w, r, p, apperr.New(apperr.Invalid, "Zgjidhni skedarin e vlerësuesve (CSV ose XLSX)."))
		return
	}
	defer f.Close()
	res, err := h.marking.ImportMarkers(r.Context(), p, 0, r.PathValue("exam"), hdr.Filename, f)
	h.appointed(w, r, p, res, err)
}

// appointed answers an appointment: the letters' PDF when accounts were
// made (the codes exist only in it), else back to the list.
func (h *Handler) appointed(w http.ResponseWriter, r *http.Request, p *auth.Principal, res marking.AppointResult, err error) {
	if err != nil {
		h.failOr(w, r, p, err, h.renderMarkers)
		return
	}
	if len(res.Letters) > 0 {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		h.accounts.NameLetters(r.Context(), res.Letters)
		body, err := accounts.Letters(res.Letters, scheme+"://"+r.Host+"/aktivizimi", h.clock.Now())
		if err != nil {
			h.kit.Fail(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		webkit.SendFile(w, "application/pdf", accounts.LettersFile(webkit.FileName("vleresues-"+marking.NormExam(r.PathValue("exam"))))+".pdf", body)
		return
	}
	webkit.RedirectOK(w, r, markersPath(marking.NormExam(r.PathValue("exam"))), nil,
		fmt.Sprintf("U emëruan %s; %s ishin emëruar më parë (Neni 57.8).", webkit.Plural(res.Appointed, "vlerësues", "vlerësues"), webkit.Plural(res.Existing, "vlerësues", "vlerësues")))
}

func (h *Handler) settingsForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	f := webkit.Form(r)
	st := marking.Settings{Tolerance: f.Int("toleranca"), MonitorRatePM: f.Int("monitorimi"), SeededRatePM: f.Int("kalibrimi")}
	err := f.Err()
	if err == nil {
		err = h.marking.SetSettings(r.Context(), p, 0, r.PathValue("exam"), st)
	}
	if err != nil {
		h.failOr(w, r, p, err, h.renderMarkers)
		return
	}
	webkit.RedirectOK(w, r, markersPath(marking.NormExam(r.PathValue("exam"))), nil, fmt.Sprintf("Parametrat u ruajtën: toleranca %d pikë (Neni 57.11).", st.Tolerance))
}

func (h *Handler) calibrationForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	ctx, exam := r.Context(), r.PathValue("exam")
	t, err := h.marking.TestOf(ctx, p, 0, exam)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	choices, points, _, err := formMarks(r, t.Items)
	if err == nil {
		_, err = h.marking.AddCalibration(ctx, p, 0, exam, r.PostFormValue("qellimi"), []marking.CalibrationInput{{Choices: choices, Points: points}})
	}
	if err != nil {
		h.failOr(w, r, p, err, h.renderMarkers)
		return
	}
	webkit.RedirectOK(w, r, markersPath(marking.NormExam(exam)), nil, "Test-broshura e kalibrimit u ruajt me pikët e miratuara (Neni 57.11).")
}

func (h *Handler) stopMarkerForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	user := r.PostFormValue("perdoruesi")
	err := h.marking.StopMarker(r.Context(), p, 0, r.PathValue("exam"), user, r.PostFormValue("arsyeja"))
	h.markerStep(w, r, p, err, "Vlerësuesi u ndalua: nuk merr e nuk dorëzon më teste.")
}

func (h *Handler) resumeForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	err := h.marking.ResumeMarker(r.Context(), p, 0, r.PathValue("exam"), r.PostFormValue("perdoruesi"))
	h.markerStep(w, r, p, err, "Vlerësuesi vazhdon punën.")
}

func (h *Handler) retrainForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	err := h.marking.Retrain(r.Context(), p, 0, r.PathValue("exam"), r.PostFormValue("perdoruesi"))
	h.markerStep(w, r, p, err, "Vlerësuesi u rikthye në trajnim (Neni 57.11).")
}

func (h *Handler) markerStep(w http.ResponseWriter, r *http.Request, p *auth.Principal, err error, done string) {
	if err != nil {
		h.failOr(w, r, p, err, h.renderMarkers)
		return
	}
	webkit.RedirectOK(w, r, markersPath(marking.NormExam(r.PathValue("exam"))), nil, done)
}

// The marker's training (Neni 57.11).

type trainingBookletView struct {
	marking.TrainingBooklet
	Rows []trainingRow // per item: the marker's marks and the agreed ones
}

type trainingRow struct{ Label, Yours, Agreed string }

type trainingView struct {
	T           marking.Training
	StatusLabel string
	Open        bool // still in training: the forms are shown
	Items       []marking.Item
	Booklets    []trainingBookletView
}

func (h *Handler) trainingPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderTraining(w, r, p, nil)
}

func (h *Handler) renderTraining(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	t, err := h.marking.TrainingQueue(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := trainingView{T: t, StatusLabel: statusLabels[t.Status], Open: t.Status == marking.StatusTraining, Items: trainingItems(t)}
	for _, b := range t.Booklets {
		bv := trainingBookletView{TrainingBooklet: b}
		if b.Submitted {
			yours, agreed := marksText(v.Items, b.Yours), marksText(v.Items, b.Agreed)
			for i, it := range v.Items {
				bv.Rows = append(bv.Rows, trainingRow{Label: it.Label, Yours: yours[i], Agreed: agreed[i]})
			}
		}
		v.Booklets = append(v.Booklets, bv)
	}
	status := 0
	if actErr != nil {
		status = webkit.StatusOf(actErr)
	}
	h.kit.Render(w, r, status, "marking_markers_training", "Trajnimi — "+t.Exam, v, actErr)
}

func trainingItems(t marking.Training) []marking.Item {
	out := make([]marking.Item, len(t.Items))
	for i, it := range t.Items {
		out[i] = marking.Item{No: it.No, Label: it.Label, Kind: it.Kind, MaxPoints: it.MaxPoints, Options: it.Options}
	}
	return out
}

func (h *Handler) trainingForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	ctx, exam := r.Context(), r.PathValue("exam")
	no, err := webkit.Int(r.PathValue("no"), "numri i test-broshurës", 0)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	t, err := h.marking.TrainingQueue(ctx, p, 0, exam)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	choices, points, _, err := formMarks(r, trainingItems(t))
	var res marking.TrainingResult
	if err == nil {
		res, err = h.marking.MarkTraining(ctx, p, 0, exam, no, choices, points)
	}
	if err != nil {
		h.failOr(w, r, p, err, h.renderTraining)
		return
	}
	msg := fmt.Sprintf("Test-broshura nr. %d u dorëzua: %d pikë, të miratuarat %d.", no, res.Booklet.YourTotal, res.Booklet.AgreedTotal)
	if res.Status != marking.StatusTraining {
		msg += " " + res.StatusNote
	}
	webkit.RedirectOK(w, r, trainingPath(marking.NormExam(exam)), nil, msg)
}
