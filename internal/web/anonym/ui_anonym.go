package anonym

import (
	"fmt"
	"net/http"
	"net/url"
	"provim/internal/albanian"
	"strconv"
	"strings"

	"provim/internal/anonym"
	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/web/webkit"
)

type indexView struct {
	Year   int
	Exams  []anonym.ExamRef
	Venue  string
	Manage bool
}

// indexPage lists the exams of the active year: AVA opens each exam's
// anonymisation, the venue's PAP and AS their label sheets.
func (h *Handler) indexPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := webkit.Allow(p, anonym.MaySeeLabels(p)); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	y, exams, err := h.anonym.ExamList(r.Context())
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := indexView{Year: y, Exams: exams, Manage: anonym.MayManage(p)}
	if !v.Manage {
		v.Venue = p.Venue
	}
	h.kit.Render(w, r, 0, "anonym_index", "Sekretimi i provimeve", v, nil)
}

type examView struct {
	S       anonym.Status
	Form    url.Values
	Default []int // the numbers of the blank holder rows of the key form
	// Presented are the holders whose shares wait (one at a time, present.go).
	Presented []string
}

func (h *Handler) examPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderExam(w, r, p, nil)
}

// renderExam is AVA's page of one exam's anonymisation.
func (h *Handler) renderExam(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	y, err := year(r)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	st, err := h.anonym.Status(r.Context(), p, y, r.PathValue("exam"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if actErr != nil && apperr.CodeOf(actErr) == apperr.Internal {
		h.kit.Fail(w, r, actErr)
		return
	}
	v := examView{S: st, Form: r.Form, Default: []int{1, 2, 3, 4, 5}, Presented: h.anonym.Presented(r.Context(), st.Year, st.Exam)}
	h.kit.Render(w, r, 0, "anonym_exam", "Sekretimi — "+st.ExamLabel+" "+strconv.Itoa(st.Year), v, actErr)
}

func examPath(y int, exam string) string {
	return fmt.Sprintf("/sekretimi/%d/%s", y, url.PathEscape(exam))
}

// generate makes the exam's codes (or makes them anew with ri=1).
func (h *Handler) generate(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	y, err := year(r)
	var res anonym.GenerateResult
	if err == nil {
		if r.FormValue("ri") == "1" {
			res, err = h.anonym.Regenerate(r.Context(), p, y, r.PathValue("exam"))
		} else {
			res, err = h.anonym.Generate(r.Context(), p, y, r.PathValue("exam"))
		}
	}
	if err != nil {
		h.renderExam(w, r, p, err)
		return
	}
	msg := fmt.Sprintf("Kodet e provimit %s ishin bërë: %s në %s të %s.", res.ExamLabel, webkit.Plural(res.Codes, "kod", "kode"),
		webkit.Plural(res.Rooms, "sallë", "salla"), webkit.Plural(res.Venues, "qendre", "qendrave"))
	if res.Created {
		msg = fmt.Sprintf("%s %s (%s për kod) në %s të %s (Neni 51.3, 53.4).", albanian.Agree(res.Codes, "U bë", "U bënë"), webkit.Plural(res.Codes, "kod", "kode"),
			webkit.Plural(res.Labels, "etiketë", "etiketa"), webkit.Plural(res.Rooms, "sallë", "salla"), webkit.Plural(res.Venues, "qendre", "qendrave"))
	}
	webkit.RedirectOK(w, r, examPath(res.Year, res.Exam), nil, msg)
}

type sharesView struct {
	K     anonym.KeyResult
	Label string // the test's name: "D1", "D1 (sesioni 2)"
	Back  string
}

// nameHolders makes the key and shows each holder's share this once. The
// page is the answer to the POST, not a redirect: a redirect would need
// the shares kept on the server until the next page, and they are never
// stored anywhere.
func (h *Handler) nameHolders(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	y, err := year(r)
	var res anonym.KeyResult
	if err == nil {
		var k int
		k, err = webkit.Int(r.FormValue("pragu"), "pragu", 0)
		if err == nil {
			res, err = h.anonym.NameHolders(r.Context(), p, y, r.PathValue("exam"), r.Form["mbajtesi"], k)
		}
	}
	if err != nil {
		h.renderExam(w, r, p, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	h.kit.Render(w, r, 0, "anonym_shares", "Pjesët e çelësit — "+examyear.TestLabel(res.Exam), sharesView{K: res, Label: examyear.TestLabel(res.Exam), Back: examPath(res.Year, res.Exam)}, nil)
}

// open rebuilds the key from the holders' shares and opens the link.
func (h *Handler) open(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	y, err := year(r)
	if err != nil {
		h.renderExam(w, r, p, err)
		return
	}
	var shares []anonym.ShareInput
	for key, vals := range r.PostForm {
		no, ok := strings.CutPrefix(key, "pjesa_")
		if !ok || len(vals) == 0 || strings.TrimSpace(vals[0]) == "" {
			continue
		}
		shares = append(shares, anonym.ShareInput{Holder: r.PostForm.Get("mbajtesi_" + no), Share: vals[0]})
	}
	res, err := h.anonym.Open(r.Context(), p, y, r.PathValue("exam"), shares)
	if err != nil {
		// The shares typed are not shown back.
		for key := range r.Form {
			if strings.HasPrefix(key, "pjesa_") {
				r.Form.Del(key)
			}
		}
		h.renderExam(w, r, p, err)
		return
	}
	webkit.RedirectOK(w, r, examPath(res.Year, res.Exam), nil,
		fmt.Sprintf("Lidhja u hap nga %s: %s %s me kandidatët për rezultatet (Neni 58, 59.3).", strings.Join(res.Holders, ", "),
			webkit.Plural(res.Links, "kod", "kode"), albanian.Agree(res.Links, "u lidh", "u lidhën")))
}

type venueView struct {
	Year int
	Exam string // the test key: "D1", "D1-2"
	// ExamLabel names the test: "D1", "D1 (sesioni 2)".
	ExamLabel string
	Venue     string
	Rooms     []anonym.RoomCount
	Manage    bool
}

// venuePage is one venue's label sheets and counts (AVA, its PAP and AS).
func (h *Handler) venuePage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	y, err := year(r)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	exam, venue := examyear.TestKey(examyear.SplitTest(r.PathValue("exam"))), r.PathValue("venue")
	rooms, err := h.anonym.VenueCounts(r.Context(), p, y, exam, venue)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, 0, "anonym_venue", "Etiketat — "+venue+" — "+examyear.TestLabel(exam), venueView{Year: y, Exam: exam, ExamLabel: examyear.TestLabel(exam), Venue: venue, Rooms: rooms, Manage: anonym.MayManage(p)}, nil)
}

func (h *Handler) labelsPDF(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	y, err := year(r)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	pdf, err := h.anonym.LabelSheets(r.Context(), p, y, r.PathValue("exam"), r.PathValue("venue"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	webkit.SendFile(w, "application/pdf", labelsName(y, strings.ToUpper(r.PathValue("exam")), r.PathValue("venue")), pdf)
}
