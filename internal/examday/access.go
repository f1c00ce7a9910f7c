package examday

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/draw"
	"provim/internal/examyear"
	"provim/internal/registry"
)

// Assignment is what a caller may do on an exam's day at one venue: the
// drawn staff's place (role, venue, the PAP's room for an AP), or the
// view of the venue's KMSH and of AVA.
type Assignment struct {
	Year    int    `json:"year"`
	Session int    `json:"session"`
	Exam    string `json:"exam"`
	// ExamLabel names the exam of the session for people: "D1", "D1
	// (sesioni 2)" (examyear.TestLabel).
	ExamLabel string    `json:"exam_label"`
	Role      auth.Role `json:"role"`
	DrawRole  string    `json:"draw_role,omitempty"` // PAP, AP, AS or KMSH: the role drawn
	Venue     string    `json:"venue_code"`
	VenueName string    `json:"venue_name"`
	City      string    `json:"city"`
	Unit      string    `json:"unit_code"`
	// RoomID is the AP's room (Neni 48.2), 0 for the whole venue; Room is
	// its name.
	RoomID int64  `json:"-"`
	Room   string `json:"room,omitempty"`
	// StaffID: the staff record the access comes from (0: an account
	// scoped to the venue by its role, or a viewer).
	StaffID int64  `json:"-"`
	DrawnAt string `json:"drawn_at,omitempty"`
	// Viewer: AVA or the region's KMSH, who see and do not act.
	Viewer bool `json:"viewer"`
}

// Staff reports whether the assignment acts at the venue.
func (a Assignment) Staff() bool { return !a.Viewer }

// test is the key of the assignment's exam and session as package anonym
// takes it ("D1", "D1-2": examyear.TestKey).
func (a Assignment) test() string { return examyear.TestKey(a.Exam, a.Session) }

// drawRoles maps the roles of the draw to the accounts' roles.
var drawRoles = map[string]auth.Role{draw.RolePAP: auth.RolePAP, draw.RoleAP: auth.RoleAP, draw.RoleAS: auth.RoleAS, draw.RoleKMSH: auth.RoleKMSH}

// nothing is the answer to a caller without a place: it names nothing.
func nothing() error {
	return apperr.New(apperr.NotFound, "Nuk keni detyrë në këtë provim, ose qendra nuk u gjet.")
}

// Access returns the place of p on the day of exam of year: a member of
// staff (an account linked to a staff record) gets exactly the venue and
// exam they were drawn for, as the role drawn (Neni 47.5–47.7, 48–51),
// from the moment of the draw — before it nobody knows their venue — until
// the venue's materials are returned (custody, Neni 45.4, 48.12). An
// account scoped to a venue by its role (no staff record) keeps that
// venue. Anyone else has no place.
//
// exam may name the second session's exam by its test key ("D1-2",
// Neni 58): the place drawn for that session; "D1" is D1 of whichever
// session the caller was drawn for.
func (s *Service) Access(ctx context.Context, p *auth.Principal, year int, exam string) (Assignment, error) {
	exam, session := examyear.SplitTest(exam)
	if session == 1 {
		session = 0 // the session of the draw
	}
	a, err := s.access(ctx, p, year, session, exam, "")
	if err != nil {
		return Assignment{}, err
	}
	if a.Viewer {
		return Assignment{}, nothing()
	}
	return a, nil
}

// CheckStaff is the check package anonym asks (SetStaffCheck) before the
// desk's acts at venue on the day of a test — exam is anonym's test key,
// "D1" or "D1-2" for D1 of the second session (Neni 58): p is the venue's AS or PAP as
// drawn (Neni 53.2: the AS and the PAP realise the anonymisation; 53.5:
// together they seal the unused codes). Which of the two attaches labels
// is the exam day's rule (AttachLabel: the PAP only where no AS was
// drawn).
func (s *Service) CheckStaff(ctx context.Context, p *auth.Principal, year int, exam, venue string) error {
	exam, session := examyear.SplitTest(exam)
	a, err := s.access(ctx, p, year, session, exam, venue)
	if err != nil {
		return err
	}
	if a.Viewer || (a.Role != auth.RoleAS && a.Role != auth.RolePAP) {
		return apperr.New(apperr.Forbidden, "Sekretimin e kryejnë administratori i sekretimit (AS) dhe PAP i qendrës (Neni 53.2), jo roli juaj (%s).", a.Role.Label())
	}
	return nil
}

func (s *Service) mayLabel(ctx context.Context, a Assignment) error {
	switch a.Role {
	case auth.RoleAS:
		return nil
	case auth.RolePAP:
		drawn, err := s.draws.DrawnAt(ctx, a.Year, a.Session, a.Exam, a.Venue)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(drawn, func(d draw.Drawn) bool { return d.Role == draw.RoleAS }) {
			return apperr.New(apperr.Forbidden, "Etiketat e kodeve i ngjit administratori i sekretimit (AS) i qendrës; PAP i ngjit vetëm aty ku nuk është caktuar AS (Neni 53.2).")
		}
		return nil
	}
	return apperr.New(apperr.Forbidden, "Etiketat e kodeve i ngjit administratori i sekretimit (AS), ose PAP aty ku nuk ka AS (Neni 53.2), jo roli juaj (%s).", a.Role.Label())
}

// access resolves p's place at venue ("": the caller's own) for an exam
// of year in session (0: the session of the draw, else 1).
func (s *Service) access(ctx context.Context, p *auth.Principal, year, session int, exam, venue string) (Assignment, error) {
	if p == nil {
		return Assignment{}, auth.Require(p)
	}
	a := Assignment{Year: year, Session: session, Exam: exam, Role: p.Role}
	switch {
	case p.StaffID != 0:
		drawn, err := s.draws.DrawnFor(ctx, year, exam, p.StaffID)
		if err != nil {
			return a, err
		}
		var mine *draw.Drawn
		for i, d := range drawn {
			if drawRoles[d.Role] != p.Role || (session != 0 && d.Session != session) || (venue != "" && d.Venue != venue) {
				continue
			}
			mine = &drawn[i]
			break
		}
		if mine == nil {
			return a, nothing()
		}
		a.Session, a.DrawRole, a.Venue, a.RoomID, a.StaffID, a.DrawnAt = mine.Session, mine.Role, mine.Venue, mine.RoomID, p.StaffID, mine.DrawnAt
		m, found, err := s.custody.MaterialsAt(ctx, year, a.Session, exam, a.Venue)
		if err != nil {
			return a, err
		}
		if found && m.ReturnedBy(s.db.Now(ctx)) {
			return a, apperr.New(apperr.Forbidden, "Materialet e provimit %s të kësaj qendre u kthyen në KMSH: detyra juaj e ditës së provimit mbaroi.", examyear.TestLabel(a.test()))
		}
		if a.Role == auth.RoleAP {
			room, err := s.assignedRoom(ctx, year, a.Session, exam, p.StaffID)
			if err != nil {
				return a, err
			}
			if room != 0 {
				a.RoomID = room
			}
		}
	case p.IsVenueRole() && p.Venue != "":
		if venue != "" && venue != p.Venue {
			return a, nothing()
		}
		a.Venue = p.Venue
	case p.Role == auth.RoleAVA || p.Role == auth.RoleKMSH:
		if venue == "" {
			return a, nothing()
		}
		a.Venue, a.Viewer = venue, true
	default:
		return a, nothing()
	}
	if a.Session == 0 {
		a.Session = 1
	}
	a.ExamLabel = examyear.TestLabel(a.test())
	site, err := s.site(ctx, a.Venue)
	if err != nil {
		return a, err
	}
	if site == nil {
		return a, nothing()
	}
	a.VenueName, a.City, a.Unit = site.Name, site.City, site.UnitCode
	if p.Role == auth.RoleKMSH && p.StaffID == 0 {
		ok, err := s.inRegion(ctx, p.Unit, a.Unit)
		if err != nil {
			return a, err
		}
		if !ok {
			return a, nothing()
		}
	}
	if a.RoomID != 0 {
		for _, r := range site.Rooms {
			if r.ID == a.RoomID {
				a.Room = r.Name
			}
		}
	}
	return a, nil
}

// site returns a venue with its rooms, nil when there is none.
func (s *Service) site(ctx context.Context, code string) (*registry.VenueSite, error) {
	list, err := s.reg.VenueSitesByCode(ctx, []string{code})
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}

// inRegion reports whether unit is region or a ZA under it.
func (s *Service) inRegion(ctx context.Context, region, unit string) (bool, error) {
	if region == unit {
		return true, nil
	}
	units, err := s.reg.AllUnits(ctx)
	if err != nil {
		return false, err
	}
	for _, u := range units {
		if u.Code == unit {
			return u.ParentCode == region, nil
		}
	}
	return false, nil
}

// regionUnits returns the units of region: itself and the ZA under it.
func (s *Service) regionUnits(ctx context.Context, region string) (map[string]bool, error) {
	units, err := s.reg.AllUnits(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{region: true}
	for _, u := range units {
		if u.ParentCode == region {
			out[u.Code] = true
		}
	}
	return out, nil
}

func (s *Service) assignedRoom(ctx context.Context, year, session int, exam string, staffID int64) (int64, error) {
	var room int64
	err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT room_id FROM examday_rooms WHERE year = $1 AND session = $2 AND exam = $3 AND staff_id = $4`,
		year, session, exam, staffID).Scan(&room)
	if err != nil && !isNoRows(err) {
		return 0, fmt.Errorf("examday: room: %w", err)
	}
	return room, nil
}

// day is the active year with the timing of an exam.
type day struct {
	year    *examyear.Year
	exam    string
	session int
	timing  Timing
}

// label names the exam of the day's session for people: "D1", "D1
// (sesioni 2)".
func (d day) label() string { return examyear.TestLabel(examyear.TestKey(d.exam, d.session)) }

// dayOf returns the active year and the timing of exam in session; the
// exam must be one of the year's.
func (s *Service) dayOf(ctx context.Context, exam string, session int) (day, error) {
	y, err := s.years.Active(ctx)
	if err != nil {
		return day{}, err
	}
	exam = normExam(exam)
	start, end, ok := y.Config.Sitting(exam, session)
	if !ok {
		return day{}, apperr.New(apperr.NotFound, "Provimi «%s» nuk ka ditë në sesionin %d të vitit %d.", exam, session, y.Year)
	}
	return day{year: y, exam: exam, session: session, timing: TimingOf(start, end)}, nil
}

func normExam(exam string) string { return strings.ToUpper(strings.TrimSpace(exam)) }

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// hhmm is a moment's time of day in Tirana.
func hhmm(t time.Time) string { return t.In(clock.Tirana).Format("15:04") }
