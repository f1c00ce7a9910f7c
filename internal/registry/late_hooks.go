package registry

import (
	"context"
	"fmt"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/store"
)

// Hooks of the late changes of the eve of an exam (issue 9 item 11). The
// rules live with the packages that own what the change touches (venue:
// the seats after the venue list is sent, Neni 41; application: the final
// name lists, Neni 36), which import this one, so wire.New sets them once
// before the service answers requests.

// RoomGuard decides whether a room of a venue in the caller's scope may
// change from old to next (its desks and dimensions give its seats).
type RoomGuard func(ctx context.Context, p *auth.Principal, venueCode string, old, next Room) error

// ListedLookup tells the active exam year and the exams whose final name
// list has the student (none: on no list).
type ListedLookup func(ctx context.Context, studentID int64) (year int, exams []string, err error)

// hooks are the service's late-change hooks.
type hooks struct {
	room   RoomGuard
	listed ListedLookup
	built  func(ctx context.Context) (int, error)
}

// SetRoomGuard sets the rule a room edit must pass (venue.GuardRoomEdit).
func (s *Service) SetRoomGuard(g RoomGuard) { s.hooks.room = g }

// SetListedLookup sets how the registry learns that a student is on a
// final name list (application.ListedExams).
func (s *Service) SetListedLookup(f ListedLookup) { s.hooks.listed = f }

// guardRoom runs the room guard for an edit of an existing room of a
// venue in the caller's scope; a venue or room the caller cannot see, or
// a new room, is left to the save's own answer.
func (s *Service) guardRoom(ctx context.Context, p *auth.Principal, v Venue, r Room) error {
	if s.hooks.room == nil {
		return nil
	}
	cur, err := s.GetVenue(ctx, p, trim(v.Code))
	if err != nil {
		return nil
	}
	for _, old := range cur.Rooms {
		if strings.EqualFold(strings.TrimSpace(old.Name), strings.TrimSpace(r.Name)) {
			return s.hooks.room(ctx, p, cur.Code, old, r)
		}
	}
	return nil
}

// SetListsBuilt sets how the registry learns that final name lists exist
// (application.FinalListsBuilt): before them an import checks nothing.
func (s *Service) SetListsBuilt(f func(ctx context.Context) (int, error)) { s.hooks.built = f }

// guardImportedStudents applies the rule of the final lists (Neni 36) to
// a file of students: a row that changes the personal data of a listed
// candidate in the caller's scope is refused, for an import carries no
// reason (the change is made on the student's page, with one). Rows the
// import itself would refuse are left to it, as are students outside the
// caller's scope (their answer names nothing).
func (s *Service) guardImportedStudents(ctx context.Context, p *auth.Principal, recs []record[Student]) error {
	if s.hooks.listed == nil || s.hooks.built == nil || len(recs) == 0 {
		return nil
	}
	if n, err := s.hooks.built(ctx); err != nil || n == 0 {
		return err
	}
	byNo := map[string]record[Student]{}
	var nos []string
	for _, r := range recs {
		var ps problems
		v := r.val
		v.PersonalNo, v.Sex, v.BirthDate = ps.person(v.PersonalNo, v.Sex, v.BirthDate, true)
		v.FirstName, v.FatherName, v.LastName = ps.name("emri", v.FirstName), ps.name("atësia", v.FatherName), ps.name("mbiemri", v.LastName)
		if len(ps) > 0 || v.PersonalNo == "" {
			continue
		}
		if _, dup := byNo[v.PersonalNo]; !dup {
			nos = append(nos, v.PersonalNo)
		}
		byNo[v.PersonalNo] = record[Student]{line: r.line, val: v}
	}
	var bad []RowError
	for _, part := range store.Chunks(nos, 500) {
		var q store.Query
		q.Add("st.personal_no IN ("+store.Marks(len(part))+")", store.Args(part)...)
		list, err := store.Select(ctx, s.db.Q(ctx), scanStudent, `SELECT `+studentCols+` FROM students st JOIN schools sc ON sc.code = st.school_code`+q.Where(), q.Args()...)
		if err != nil {
			return fmt.Errorf("registry: listed students: %w", err)
		}
		for _, old := range list {
			r := byNo[old.PersonalNo]
			summary, _, _ := personalChanges(old, r.val)
			if summary == "" {
				continue
			}
			if _, err := s.GetStudent(ctx, p, old.ID); err != nil {
				continue // outside the scope: the import answers
			}
			_, exams, err := s.hooks.listed(ctx, old.ID)
			if err != nil {
				return err
			}
			if len(exams) > 0 {
				bad = append(bad, RowError{Line: r.line, Reasons: []string{fmt.Sprintf("%s është në listat emërore përfundimtare (%s, Neni 36): %s ndryshohet vetëm te faqja e nxënësit, duke shënuar arsyen",
					old.FullName(), strings.Join(exams, ", "), summary)}})
			}
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sortRowErrors(bad)
	return &ImportError{Rows: bad}
}

// guardImportedRooms applies the room guard (Neni 41 ¶2) to a file of
// venues: each existing room of a venue in the caller's scope whose desks
// or dimensions the file changes.
func (s *Service) guardImportedRooms(ctx context.Context, p *auth.Principal, recs []record[venueRoom]) error {
	if s.hooks.room == nil {
		return nil
	}
	venues := map[string]*Venue{}
	var bad []RowError
	for _, r := range recs {
		code := trim(r.val.Venue.Code)
		v, ok := venues[code]
		if !ok {
			if got, err := s.GetVenue(ctx, p, code); err == nil {
				v = &got
			}
			venues[code] = v
		}
		if v == nil {
			continue
		}
		for _, old := range v.Rooms {
			if strings.EqualFold(strings.TrimSpace(old.Name), strings.TrimSpace(r.val.Room.Name)) {
				if err := s.hooks.room(ctx, p, v.Code, old, r.val.Room); err != nil {
					if apperr.CodeOf(err) == apperr.Internal {
						return err
					}
					bad = append(bad, RowError{Line: r.line, Reasons: []string{apperr.MessageOf(err)}})
				}
			}
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sortRowErrors(bad)
	return &ImportError{Rows: bad}
}
