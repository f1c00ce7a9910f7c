package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/pdf"
	"provim/internal/registry"
	"provim/internal/venue"
)

// venuesRoutes are the pages of package venue: inspections and the venue
// list (Neni 37–41), the exam plan (Neni 39–40, 52–53) and the student's
// venue (Neni 12.9).
func (s *Server) venuesRoutes(mux *http.ServeMux) {
	u := &venueUI{s: s, svc: s.venueService()}
	mux.HandleFunc("GET /qendrat/inspektimi", s.page(u.inspections))
	mux.HandleFunc("POST /qendrat/inspektimi/dergo", s.page(u.sendList))
	mux.HandleFunc("GET /qendrat/inspektimi/lista.pdf", s.page(u.venueListPDF))
	mux.HandleFunc("GET /qendrat/{code}/inspektimi", s.page(u.inspectionPage))
	mux.HandleFunc("POST /qendrat/{code}/inspektimi", s.page(u.inspect))
	mux.HandleFunc("GET /plani", s.page(u.planPage))
	mux.HandleFunc("POST /plani", s.page(u.plan))
	mux.HandleFunc("POST /plani/ndrysho", s.page(u.override))
	mux.HandleFunc("GET /plani/salla/{room}", s.page(u.roomPage))
	mux.HandleFunc("GET /qendra-ime", s.page(u.myVenue))
	mux.HandleFunc("GET /plani/shkolla", s.page(u.schoolPage))
}

type venueUI struct {
	s   *Server
	svc *venue.Service
}

// unitChoice is the DAR/ZA of a page (?njesia=): the KMSH's own by
// default; AVA picks from every unit.
type unitChoice struct {
	Code  string
	Units []registry.Unit
}

func (u *venueUI) unit(r *http.Request, p *auth.Principal) (unitChoice, error) {
	if err := auth.Require(p, auth.RoleAVA, auth.RoleKMSH); err != nil {
		return unitChoice{}, err
	}
	c := unitChoice{Code: strings.TrimSpace(r.FormValue("njesia"))}
	if c.Code == "" && p.Role == auth.RoleKMSH {
		c.Code = p.Unit
	}
	units, err := u.s.registry.ListUnits(r.Context(), p)
	if err != nil {
		return c, err
	}
	c.Units = units
	return c, nil
}

// ---- inspections and the venue list ----

type inspectionsView struct {
	Unit     unitChoice
	List     venue.VenueList
	Due      examyear.Deadline
	ListDue  examyear.Deadline
	IsAVA    bool
	Reason   string
	Criteria []venue.Criterion
}

func (u *venueUI) inspections(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	u.renderInspections(w, r, p, nil)
}

func (u *venueUI) renderInspections(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	c, err := u.unit(r, p)
	if err != nil {
		u.s.fail(w, r, err)
		return
	}
	v := inspectionsView{Unit: c, IsAVA: p.Role == auth.RoleAVA, Reason: r.FormValue("reason"), Criteria: venue.Criteria}
	if y, err := u.s.activeYear(r); err == nil {
		v.Due, v.ListDue = deadlineOf(y, examyear.KeyVenueInspection), deadlineOf(y, examyear.KeyVenueLists)
	}
	if c.Code != "" {
		if v.List, err = u.svc.VenueList(r.Context(), p, c.Code); err != nil {
			u.s.fail(w, r, err)
			return
		}
	}
	u.s.render(w, r, 0, "venue_inspections", "Inspektimi i mjediseve", v, actErr)
}

func (u *venueUI) sendList(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	code := r.FormValue("njesia")
	st, err := u.svc.SendList(r.Context(), p, code, r.FormValue("reason"))
	if err != nil {
		u.renderInspections(w, r, p, err)
		return
	}
	redirectOK(w, r, "/qendrat/inspektimi", url.Values{"njesia": {code}}, fmt.Sprintf("Lista e mjediseve (%d qendra) u dërgua në MASH, AVA dhe KSHMSH.", st.Venues))
}

func (u *venueUI) venueListPDF(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	var buf bytes.Buffer
	code := r.FormValue("njesia")
	if err := u.svc.WriteVenueList(r.Context(), &buf, p, code); err != nil {
		u.s.fail(w, r, err)
		return
	}
	sendDocument(w, "application/pdf", "mjediset-"+code+".pdf", buf.Bytes())
}

type inspectionView struct {
	V        venue.Inspection
	Form     venue.InspectionInput
	Criteria []venue.Criterion
	IsAVA    bool
	CanEdit  bool // AVA and the KMSH; the school and venue staff only read
}

func (u *venueUI) inspectionPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	v, err := u.svc.Inspection(r.Context(), p, r.PathValue("code"))
	if err != nil {
		u.s.fail(w, r, err)
		return
	}
	form := venue.InspectionInput{Checklist: v.Checklist, Note: v.Note}
	if !v.Inspected {
		form.Checklist = venue.Checklist{SpacingCM: venue.MinSpacingCM, DeskWidthCM: venue.MinDeskWidth, DeskDepthCM: venue.MinDeskDepth}
	}
	u.s.render(w, r, 0, "venue_inspection", "Inspektimi — "+v.VenueName, inspectionView{V: v, Form: form, Criteria: venue.Criteria, IsAVA: p.Role == auth.RoleAVA,
		CanEdit: p.Role == auth.RoleAVA || p.Role == auth.RoleKMSH}, nil)
}

func (u *venueUI) inspect(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	code := r.PathValue("code")
	in := venue.InspectionInput{
		Checklist: venue.Checklist{
			SpacingCM: atoi(r.FormValue("spacing_cm")), DeskWidthCM: atoi(r.FormValue("desk_width_cm")), DeskDepthCM: atoi(r.FormValue("desk_depth_cm")),
			OneDirection: r.FormValue("one_direction") != "", AiredLit: r.FormValue("aired_lit") != "", NoPosters: r.FormValue("no_posters") != "",
			NoOtherActivity: r.FormValue("no_other_activity") != "", RoadAccess: r.FormValue("road_access") != "",
		},
		Note: r.FormValue("note"), Reason: r.FormValue("reason"),
	}
	for _, id := range r.Form["room_id"] {
		rid := atoi64(id)
		in.Rooms = append(in.Rooms, venue.RoomMeasure{RoomID: rid, LengthCM: atoi(r.FormValue("length_" + id)), WidthCM: atoi(r.FormValue("width_" + id))})
	}
	got, err := u.svc.Inspect(r.Context(), p, code, in)
	if err != nil {
		v, gerr := u.svc.Inspection(r.Context(), p, code)
		if gerr != nil {
			u.s.fail(w, r, gerr)
			return
		}
		u.s.render(w, r, 0, "venue_inspection", "Inspektimi — "+v.VenueName, inspectionView{V: v, Form: in, Criteria: venue.Criteria, IsAVA: p.Role == auth.RoleAVA, CanEdit: true}, err)
		return
	}
	msg := fmt.Sprintf("Qendra %s u inspektua: e përshtatshme, %d vende.", got.VenueName, got.Seats)
	if !got.Suitable {
		msg = fmt.Sprintf("Qendra %s u inspektua: NUK mund të përdoret — nuk plotëson %s.", got.VenueName, got.FailedText)
	}
	redirectOK(w, r, "/qendrat/"+url.PathEscape(code)+"/inspektimi", nil, msg)
}

// ---- the plan ----

type examChoice struct{ Code, Name string }

type planView struct {
	Unit    unitChoice
	Exams   []examChoice
	Exam    string
	Summary venue.Summary
	Planned bool
}

func (u *venueUI) exams(r *http.Request) []examChoice {
	y, err := u.s.activeYear(r)
	if err != nil {
		return nil
	}
	var out []examChoice
	for _, kind := range []string{examyear.KindD1, examyear.KindD2} {
		for _, sub := range y.Config.Subjects {
			if sub.Kind == kind {
				out = append(out, examChoice{kind, sub.Name})
				break
			}
		}
	}
	for _, sub := range y.Config.Electives() {
		out = append(out, examChoice{sub.Code, sub.Name})
	}
	return out
}

func (u *venueUI) planPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	u.renderPlan(w, r, p, nil)
}

func (u *venueUI) renderPlan(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	c, err := u.unit(r, p)
	if err != nil {
		u.s.fail(w, r, err)
		return
	}
	v := planView{Unit: c, Exams: u.exams(r), Exam: r.FormValue("provimi")}
	if v.Exam == "" {
		v.Exam = examyear.KindD1
	}
	sum, err := u.svc.Summary(r.Context(), p, v.Exam, 1, c.Code)
	if err != nil {
		u.s.fail(w, r, err)
		return
	}
	v.Summary, v.Planned = sum, sum.Candidates > 0
	u.s.render(w, r, 0, "venue_plan", "Plani i mjediseve — "+v.Exam, v, actErr)
}

func (u *venueUI) plan(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam, unit := r.FormValue("provimi"), r.FormValue("njesia")
	res, err := u.svc.Plan(r.Context(), p, exam, 1, unit)
	if err != nil {
		u.renderPlan(w, r, p, err)
		return
	}
	redirectOK(w, r, "/plani", url.Values{"provimi": {exam}, "njesia": {unit}},
		fmt.Sprintf("Plani u ndërtua: %d kandidatë në %d qendra, %d salla.", res.Candidates, res.Venues, res.Rooms))
}

func (u *venueUI) override(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam, unit := r.FormValue("provimi"), r.FormValue("njesia")
	in := venue.OverrideInput{School: strings.TrimSpace(r.FormValue("shkolla")), Venue: strings.TrimSpace(r.FormValue("qendra")),
		RoomID: atoi64(r.FormValue("salla")), Reason: r.FormValue("reason")}
	for _, f := range strings.FieldsFunc(r.FormValue("nxenesit"), func(c rune) bool { return c == ',' || c == ' ' }) {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			u.renderPlan(w, r, p, apperr.New(apperr.Invalid, "«%s» nuk është numër nxënësi.", f))
			return
		}
		in.StudentIDs = append(in.StudentIDs, id)
	}
	n, err := u.svc.Override(r.Context(), p, exam, 1, in)
	if err != nil {
		u.renderPlan(w, r, p, err)
		return
	}
	redirectOK(w, r, "/plani", url.Values{"provimi": {exam}, "njesia": {unit}}, fmt.Sprintf("%d kandidatë u zhvendosën në %s.", n, in.Venue))
}

type roomView struct {
	L   venue.RoomList
	Doc pdf.Table
}

func (u *venueUI) roomPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	l, err := u.svc.RoomList(r.Context(), p, r.FormValue("provimi"), 1, atoi64(r.PathValue("room")))
	if err != nil {
		u.s.fail(w, r, err)
		return
	}
	if r.FormValue("format") == "pdf" {
		var buf bytes.Buffer
		if err := u.svc.WriteRoomList(&buf, l); err != nil {
			u.s.fail(w, r, err)
			return
		}
		sendDocument(w, "application/pdf", fmt.Sprintf("lista-%s-%s-salla-%d.pdf", l.Exam, l.Venue.Code, l.Room.ID), buf.Bytes())
		return
	}
	u.s.render(w, r, 0, "venue_room", "Lista emërore — "+l.Room.Name, roomView{L: l, Doc: l.Document(u.svc.Now())}, nil)
}

// ---- the student's venue ----

func (u *venueUI) myVenue(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := auth.Require(p, auth.RoleStudent); err != nil {
		u.s.fail(w, r, err)
		return
	}
	seats, err := u.svc.StudentSeats(r.Context(), p, p.StudentID)
	if err != nil {
		u.s.fail(w, r, err)
		return
	}
	u.s.render(w, r, 0, "venue_mine", "Qendra ime e provimit", seats, nil)
}

type schoolSeatsView struct {
	School string
	Exam   string
	Exams  []examChoice
	Seats  []venue.SchoolSeat
}

// schoolPage is the school commission's list of where its candidates sit
// an exam (Neni 12.9).
func (u *venueUI) schoolPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	v := schoolSeatsView{School: r.FormValue("shkolla"), Exam: r.FormValue("provimi"), Exams: u.exams(r)}
	if v.School == "" && p.Role == auth.RoleKSHMSH {
		v.School = p.School
	}
	if v.Exam == "" {
		v.Exam = examyear.KindD1
	}
	seats, err := u.svc.SchoolSeats(r.Context(), p, v.School, v.Exam, 1)
	if err != nil {
		u.s.fail(w, r, err)
		return
	}
	v.Seats = seats
	u.s.render(w, r, 0, "venue_school", "Qendrat e provimit të nxënësve", v, nil)
}
