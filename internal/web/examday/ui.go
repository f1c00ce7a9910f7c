package examday

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/doc"
	"provim/internal/examday"
	"provim/internal/web/webkit"
)

type indexView struct {
	Places   []examday.Assignment
	Board    *examday.Board
	Exam     string
	Session  int
	Unit     string
	National bool
}

// indexPage is the board for AVA and the KMSH, and the list of places for
// the staff.
func (h *Handler) indexPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	session, err := webkit.ExamSession(r.FormValue("sesioni"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := indexView{Exam: strings.ToUpper(r.FormValue("provimi")), Session: session, Unit: r.FormValue("njesia"), National: p.IsNational()}
	if v.Exam == "" {
		v.Exam = "D1"
	}
	switch {
	case examday.MayViewBoard(p):
		b, err := h.day.Board(r.Context(), p, session, v.Exam, v.Unit)
		if err != nil {
			h.kit.Fail(w, r, err)
			return
		}
		v.Board = &b
	case examday.MayWork(p):
		v.Places, err = h.day.Places(r.Context(), p)
		if err != nil {
			h.kit.Fail(w, r, err)
			return
		}
		if len(v.Places) == 1 {
			a := v.Places[0]
			http.Redirect(w, r, venuePath(a.Venue, a.Exam, a.Session), http.StatusSeeOther)
			return
		}
	default:
		h.kit.Fail(w, r, webkit.Allow(p, examday.MayOpenDay(p)))
		return
	}
	h.kit.Render(w, r, 0, "examday_index", "Dita e provimit", v, nil)
}

// boardJSON is the board as JSON, for the page's poll (the page works
// without it on reload).
func (h *Handler) boardJSON(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	session, err := webkit.ExamSession(r.FormValue("sesioni"))
	if err == nil {
		var b examday.Board
		b, err = h.day.Board(r.Context(), p, session, r.FormValue("provimi"), r.FormValue("njesia"))
		if err == nil {
			webkit.WriteJSON(w, http.StatusOK, b)
			return
		}
	}
	webkit.WriteAPIError(w, err)
}

func (h *Handler) attendancePage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	list, err := h.day.AttendanceOf(r.Context(), p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, 0, "examday_attendance", "Pjesëmarrja ime në provime", list, nil)
}

func venuePath(venue, exam string, session int) string {
	p := "/dita-e-provimit/" + url.PathEscape(venue) + "/" + url.PathEscape(exam)
	if session > 1 {
		p += "?sesioni=" + fmt.Sprint(session)
	}
	return p
}

func roomPath(venue, exam, room string, session int) string {
	p := "/dita-e-provimit/" + url.PathEscape(venue) + "/" + url.PathEscape(exam) + "/salla/" + url.PathEscape(room)
	if session > 1 {
		p += "?sesioni=" + fmt.Sprint(session)
	}
	return p
}

type venueView struct {
	V       examday.VenueDay
	Session int
	Form    url.Values
}

func (h *Handler) venuePage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderVenue(w, r, p, nil)
}

func (h *Handler) renderVenue(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	session, err := webkit.ExamSession(r.FormValue("sesioni"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v, err := h.day.Venue(r.Context(), p, session, r.PathValue("exam"), r.PathValue("venue"), true)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if actErr != nil && apperr.CodeOf(actErr) == apperr.Internal {
		h.kit.Fail(w, r, actErr)
		return
	}
	h.kit.Render(w, r, 0, "examday_venue", "Dita e provimit — "+v.Assignment.VenueName+" — "+v.Assignment.ExamLabel, venueView{V: v, Session: session, Form: r.Form}, actErr)
}

type roomView struct {
	V       examday.VenueDay
	Room    examday.RoomDay
	Session int
	Form    url.Values
	// Now is the server's clock when the page was made (RFC 3339): the
	// device's queue stamps arrivals on it, not on the device's own clock.
	Now string
}

func (h *Handler) roomPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderRoom(w, r, p, nil)
}

func (h *Handler) renderRoom(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	session, err := webkit.ExamSession(r.FormValue("sesioni"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v, room, err := h.day.RoomOf(r.Context(), p, session, r.PathValue("exam"), r.PathValue("venue"), r.PathValue("room"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if actErr != nil && apperr.CodeOf(actErr) == apperr.Internal {
		h.kit.Fail(w, r, actErr)
		return
	}
	if actErr == nil && r.Method == http.MethodGet {
		// The exam day's service worker keeps this page on the device, so
		// that a dropped connection does not close the room (Neni 52).
		w.Header().Set("Provim-Offline", "1")
	}
	h.kit.Render(w, r, 0, "examday_room", "Salla "+room.Name+" — "+v.Assignment.ExamLabel, roomView{V: v, Room: room, Session: session, Form: r.Form,
		Now: h.clock.Now().UTC().Format(time.RFC3339)}, actErr)
}

// sessionOf is the session of a POST (sesioni, default 1).
func sessionOf(r *http.Request) (int, error) { return webkit.ExamSession(r.FormValue("sesioni")) }

// checkIn records one check-in from the room page; the device's queue
// sends the same form, each with its key and arrival time.
func (h *Handler) checkIn(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	session, err := sessionOf(r)
	if err != nil {
		h.renderRoom(w, r, p, err)
		return
	}
	room := r.PathValue("room")
	o, err := h.day.CheckInOne(r.Context(), p, examday.CheckIn{Key: r.FormValue("key"), Session: session, Exam: r.PathValue("exam"),
		Venue: r.PathValue("venue"), Room: room, RegNo: r.FormValue("nr"), Name: r.FormValue("emri"), DocType: r.FormValue("dokumenti"),
		DocNo: r.FormValue("nr_dokumentit"), ArrivedAt: r.FormValue("mberritja")})
	if err != nil {
		h.renderRoom(w, r, p, err)
		return
	}
	webkit.RedirectOK(w, r, roomPath(r.PathValue("venue"), r.PathValue("exam"), room, session), nil, o.Message)
}

// sync is the room device's report of its unsent check-ins.
func (h *Handler) sync(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	session, err := sessionOf(r)
	if err == nil {
		var pending int
		if pending, err = webkit.Int(r.FormValue("ne_pritje"), "ne_pritje", 0); err == nil {
			err = h.day.Sync(r.Context(), p, session, r.PathValue("exam"), r.PathValue("venue"), r.PathValue("room"), pending)
		}
	}
	if err != nil {
		h.renderRoom(w, r, p, err)
		return
	}
	webkit.RedirectOK(w, r, roomPath(r.PathValue("venue"), r.PathValue("exam"), r.PathValue("room"), session), nil, "")
}

// back returns to the page the form came from: the room page when the
// form names its room (kthehu), else the venue page.
func back(w http.ResponseWriter, r *http.Request, session int, msg string) {
	if room := r.FormValue("kthehu"); room != "" {
		webkit.RedirectOK(w, r, roomPath(r.PathValue("venue"), r.PathValue("exam"), room, session), nil, msg)
		return
	}
	webkit.RedirectOK(w, r, venuePath(r.PathValue("venue"), r.PathValue("exam"), session), nil, msg)
}

func (h *Handler) failBack(w http.ResponseWriter, r *http.Request, p *auth.Principal, err error) {
	if room := r.FormValue("kthehu"); room != "" {
		r.SetPathValue("room", room)
		h.renderRoom(w, r, p, err)
		return
	}
	h.renderVenue(w, r, p, err)
}

func (h *Handler) assign(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	session, err := sessionOf(r)
	if err == nil {
		var staff int64
		if staff, err = webkit.Int64(r.FormValue("ap"), "ap", 0); err == nil {
			err = h.day.AssignRoom(r.Context(), p, session, r.PathValue("exam"), r.PathValue("venue"), staff, r.FormValue("salla"))
		}
	}
	if err != nil {
		h.failBack(w, r, p, err)
		return
	}
	back(w, r, session, "Administratori u caktua në sallën «"+r.FormValue("salla")+"» (Neni 48.2).")
}

func (h *Handler) exclude(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	session, err := sessionOf(r)
	if err == nil {
		err = h.day.Exclude(r.Context(), p, examday.Exclusion{Session: session, Exam: r.PathValue("exam"), Venue: r.PathValue("venue"),
			RegNo: r.FormValue("nr"), Cause: r.FormValue("shkaku"), At: r.FormValue("ora"), Witnesses: r.FormValue("deshmitaret"),
			Note: r.FormValue("shenime"), RefusedToLeave: r.FormValue("refuzoi") != ""})
	}
	if err != nil {
		h.failBack(w, r, p, err)
		return
	}
	back(w, r, session, "Përjashtimi u regjistrua në procesverbal: rezultati i kandidatit nuk njihet (Neni 55).")
}

func (h *Handler) report(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	session, err := sessionOf(r)
	if err == nil {
		_, err = h.day.Record(r.Context(), p, examday.Report{Kind: r.FormValue("lloji"), Session: session, Exam: r.PathValue("exam"),
			Venue: r.PathValue("venue"), Room: r.FormValue("salla"), RegNo: r.FormValue("nr"), At: r.FormValue("ora"), Note: r.FormValue("shenime"),
			Helper: r.FormValue("ndihmesi"), Witnesses: r.FormValue("deshmitaret"), OldBooklet: r.FormValue("broshura_vjeter"), NewBooklet: r.FormValue("broshura_re")})
	}
	if err != nil {
		h.failBack(w, r, p, err)
		return
	}
	back(w, r, session, "Ngjarja u regjistrua në procesverbal.")
}

// paper enters a check-in from the paper room sheet, with the reason.
func (h *Handler) paper(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	session, err := sessionOf(r)
	var o examday.Outcome
	if err == nil {
		reason := strings.TrimSpace(r.FormValue("arsyeja"))
		if reason == "" {
			err = apperr.New(apperr.Invalid, "Shënoni arsyen pse hyrja u mbajt në letër (p.sh. mungoi lidhja).")
		} else {
			arrived := r.FormValue("ora")
			o, err = h.day.CheckInOne(r.Context(), p, examday.CheckIn{Key: r.FormValue("key"), Session: session, Exam: r.PathValue("exam"),
				Venue: r.PathValue("venue"), Room: r.FormValue("salla"), RegNo: r.FormValue("nr"), DocType: r.FormValue("dokumenti"),
				DocNo: r.FormValue("nr_dokumentit"), ArrivedAt: h.arrival(r, arrived), PaperReason: reason})
		}
	}
	if err != nil {
		h.renderVenue(w, r, p, err)
		return
	}
	back(w, r, session, o.Message)
}

// arrival reads an arrival time typed as HH:MM on the exam's day.
func (h *Handler) arrival(r *http.Request, hm string) string {
	hm = strings.TrimSpace(hm)
	if hm == "" || strings.Contains(hm, "T") {
		return hm
	}
	v, err := h.day.Venue(r.Context(), webkit.Principal(r), 1, r.PathValue("exam"), r.PathValue("venue"), false)
	if err != nil {
		return hm
	}
	return examday.OnDay(v.Timing, hm)
}

func (h *Handler) attach(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	session, err := sessionOf(r)
	var msg string
	if err == nil {
		msg, err = h.day.AttachLabel(r.Context(), p, examday.Attach{Session: session, Exam: r.PathValue("exam"), Venue: r.PathValue("venue"),
			RegNo: r.FormValue("nr"), Code: r.FormValue("kodi")})
	}
	if err != nil {
		h.failBack(w, r, p, err)
		return
	}
	back(w, r, session, msg)
}

func (h *Handler) leave(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	session, err := sessionOf(r)
	var msg string
	if err == nil {
		msg, err = h.day.RecordLeave(r.Context(), p, examday.Leave{Session: session, Exam: r.PathValue("exam"), Venue: r.PathValue("venue"),
			RegNo: r.FormValue("nr"), At: r.FormValue("ora"), WithoutAnonymisation: r.FormValue("pa_sekretim") != ""})
	}
	if err != nil {
		h.failBack(w, r, p, err)
		return
	}
	back(w, r, session, msg)
}

func (h *Handler) pack(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	session, err := sessionOf(r)
	var pk examday.Packing
	if err == nil {
		var in examday.Pack
		if in, err = packForm(r, session); err == nil {
			pk, err = h.day.PackMaterials(r.Context(), p, in)
		}
	}
	if err != nil {
		h.renderVenue(w, r, p, err)
		return
	}
	msg := "Materialet u paketuan dhe numërimi përputhet: kutia mund të mbyllet (Neni 48.9–48.10)."
	switch {
	case !pk.Balanced && pk.Closes():
		msg = "Paketimi u regjistrua me sqarimin tuaj: numërimi nuk përputhet, kutia mbyllet me sqarimin në raport. " + strings.Join(pk.Problems, " ")
	case !pk.Balanced:
		msg = "Paketimi u regjistrua, por numërimi NUK përputhet: kutia nuk mbyllet derisa të numërohet përsëri ose të sqarohet. " + strings.Join(pk.Problems, " ")
	}
	back(w, r, session, msg)
}

// packForm reads the packing form: the used booklets counted (required:
// the domain refuses a packing without them), the unused booklets, the
// unused labels of each room, the note and the explanation.
func packForm(r *http.Request, session int) (examday.Pack, error) {
	in := examday.Pack{Session: session, Exam: r.PathValue("exam"), Venue: r.PathValue("venue"), UnusedLabels: map[string]int{},
		Note: r.FormValue("shenime"), Explanation: r.FormValue("sqarimi")}
	if raw := strings.TrimSpace(r.FormValue("broshura_perdorura")); raw != "" {
		used, err := webkit.Int(raw, "broshura_perdorura", 0)
		if err != nil {
			return in, err
		}
		in.UsedBooklets = &used
	}
	var err error
	if in.UnusedBooklets, err = webkit.Int(r.FormValue("broshura_paperdorura"), "broshura_paperdorura", 0); err != nil {
		return in, err
	}
	for _, room := range r.Form["salla"] {
		n, err := webkit.Int(r.FormValue("etiketa_"+room), "etiketa_"+room, 0)
		if err != nil {
			return in, err
		}
		in.UnusedLabels[room] = n
	}
	return in, nil
}

func (h *Handler) procesverbalPDF(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.venuePDF(w, r, p, "procesverbal", examday.Procesverbal)
}

func (h *Handler) reportPDF(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.venuePDF(w, r, p, "formulari-48-11", examday.ExamReport)
}

func (h *Handler) venuePDF(w http.ResponseWriter, r *http.Request, p *auth.Principal, name string, make func(examday.VenueDay, time.Time) doc.Table) {
	session, err := webkit.ExamSession(r.FormValue("sesioni"))
	if err == nil {
		var v examday.VenueDay
		if v, err = h.day.Venue(r.Context(), p, session, r.PathValue("exam"), r.PathValue("venue"), true); err == nil {
			err = webkit.SendDocument(w, make(v, h.clock.Now()), doc.PDF, name+"-"+webkit.FileName(v.Assignment.Venue)+"-"+webkit.FileName(v.Assignment.Exam))
		}
	}
	if err != nil {
		h.kit.Fail(w, r, err)
	}
}

func (h *Handler) sheetPDF(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	session, err := webkit.ExamSession(r.FormValue("sesioni"))
	if err == nil {
		var v examday.VenueDay
		var room examday.RoomDay
		if v, room, err = h.day.RoomOf(r.Context(), p, session, r.PathValue("exam"), r.PathValue("venue"), r.PathValue("room")); err == nil {
			err = webkit.SendDocument(w, examday.RoomSheet(v, room, h.clock.Now()), doc.PDF,
				"fleta-e-salles-"+webkit.FileName(v.Assignment.Venue)+"-"+webkit.FileName(room.Name)+"-"+webkit.FileName(v.Assignment.Exam))
		}
	}
	if err != nil {
		h.kit.Fail(w, r, err)
	}
}
