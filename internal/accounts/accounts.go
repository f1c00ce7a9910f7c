// Package accounts creates the accounts of many people at once — every
// candidate of a school, every member of staff the draw placed at a venue —
// and prints their activation letters (issue 11, A5; issue 13, item 1).
// It owns no table: it reads the registry, the applications and the draws
// through their published functions and creates the accounts through
// package auth, which keeps only the hash of each activation code. It sits
// above auth, registry and draw because draw imports auth.
package accounts

import (
	"context"
	"strings"

	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/draw"
	"provim/internal/examyear"
	"provim/internal/registry"
)

// Service creates accounts in bulk.
type Service struct {
	auth     *auth.Service
	registry *registry.Service
	apps     *application.Service
	draws    *draw.Service
	years    *examyear.Service

	labels labelCache // the scope labels of page headers (scope.go)
}

// NewService returns the accounts service over the owners it reads.
func NewService(a *auth.Service, reg *registry.Service, apps *application.Service, draws *draw.Service, years *examyear.Service) *Service {
	return &Service{auth: a, registry: reg, apps: apps, draws: draws, years: years}
}

// Username is the username of a person's account: their personal number,
// in lower case (unique, printed on the letter, known to the person).
func Username(personalNo string) string {
	return strings.ToLower(strings.TrimSpace(personalNo))
}

// ForSchool creates the accounts of every student and candidate registered
// at school (AVA, or the school's own commission, KSHMSH) and returns the
// letters of the codes it made: new accounts, and accounts never activated
// (their old code stops working). Activated accounts keep their password.
func (s *Service) ForSchool(ctx context.Context, by *auth.Principal, school string) (auth.Provisioned, error) {
	if !MayCreateForSchool(by) {
		return auth.Provisioned{}, apperr.New(apperr.Forbidden, "Llogaritë e kandidatëve të një shkolle i krijon AVA ose KSHMSH e shkollës.")
	}
	sc, err := s.registry.GetSchool(ctx, by, school)
	if err != nil {
		return auth.Provisioned{}, err
	}
	var people []auth.NewUser
	for offset := 0; ; offset += registry.MaxLimit {
		list, total, err := s.registry.ListStudents(ctx, by, registry.StudentFilter{School: sc.Code, Page: registry.Page{Offset: offset, Limit: registry.MaxLimit}})
		if err != nil {
			return auth.Provisioned{}, err
		}
		for _, st := range list {
			people = append(people, auth.NewUser{Username: Username(st.PersonalNo), FullName: st.FirstName + " " + st.LastName,
				Role: auth.RoleStudent, StudentID: st.ID})
		}
		if offset+registry.MaxLimit >= total {
			break
		}
	}
	if len(people) == 0 {
		return auth.Provisioned{}, apperr.New(apperr.Invalid, "Shkolla %s (%s) nuk ka asnjë nxënës në regjistër.", sc.Name, sc.Code)
	}
	return s.auth.Provision(ctx, by, people)
}

// venueRole is the account role of a draw's role; the KMSH representative
// (Neni 44 ¶2) has no venue role.
var venueRole = map[string]auth.Role{draw.RolePAP: auth.RolePAP, draw.RoleAS: auth.RoleAS, draw.RoleAP: auth.RoleAP}

// rolePriority orders the roles one person may be drawn for at one venue
// (PAP for one exam, AP for another): the account takes the first.
var rolePriority = map[auth.Role]int{auth.RolePAP: 0, auth.RoleAS: 1, auth.RoleAP: 2}

// VenueResult is the outcome of ForVenue.
type VenueResult struct {
	auth.Provisioned
	// Representatives are the KMSH representatives drawn for the venue:
	// they keep the account of their commission, none is made here.
	Representatives int `json:"kmsh_representatives"`
}

// ForVenue creates the accounts of every member of staff the valid draws
// of the active year placed at venue (AVA, or the region's commission,
// KMSH, for a venue in its DAR/ZA), each linked to the person's staff
// record and scoped to the venue, and returns the letters. Before a draw
// nobody is placed, so nobody gets an account (Neni 47.5).
func (s *Service) ForVenue(ctx context.Context, by *auth.Principal, venue string) (VenueResult, error) {
	if !MayCreateForVenue(by) {
		return VenueResult{}, apperr.New(apperr.Forbidden, "Llogaritë e stafit të një qendre i krijon AVA ose KMSH e DAR/ZA-së së saj.")
	}
	v, err := s.registry.GetVenue(ctx, by, venue)
	if err != nil {
		return VenueResult{}, err
	}
	y, err := s.years.Active(ctx)
	if err != nil {
		return VenueResult{}, err
	}
	drawn, err := s.draws.PlacedAtVenue(ctx, y.Year, v.Code)
	if err != nil {
		return VenueResult{}, err
	}
	var res VenueResult
	role := map[int64]auth.Role{}
	var ids []int64
	reps := map[int64]bool{}
	for _, d := range drawn {
		r, ok := venueRole[d.Role]
		if !ok {
			reps[d.StaffID] = true
			continue
		}
		old, seen := role[d.StaffID]
		if !seen {
			ids = append(ids, d.StaffID)
		}
		if !seen || rolePriority[r] < rolePriority[old] {
			role[d.StaffID] = r
		}
	}
	res.Representatives = len(reps)
	if len(ids) == 0 {
		return res, apperr.New(apperr.Invalid, "Në qendrën %s (%s) nuk është shortuar ende asnjë PAP, AP ose AS: llogaritë krijohen pas shortit (Neni 47).", v.Name, v.Code)
	}
	who, err := s.registry.StaffIdentities(ctx, ids)
	if err != nil {
		return res, err
	}
	people := make([]auth.NewUser, 0, len(ids))
	for _, id := range ids {
		sf, ok := who[id]
		if !ok {
			continue
		}
		people = append(people, auth.NewUser{Username: Username(sf.PersonalNo), FullName: sf.FirstName + " " + sf.LastName,
			Role: role[id], Venue: v.Code, StaffID: id})
	}
	res.Provisioned, err = s.auth.Provision(ctx, by, people)
	return res, err
}

// StudentByRef finds the student an account is made for by what people
// type: a personal number or a registration number (issue 11, part C),
// never a database id. Something that is neither is refused with a
// sentence.
func (s *Service) StudentByRef(ctx context.Context, by *auth.Principal, ref string) (registry.Student, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return registry.Student{}, apperr.New(apperr.Invalid, "Shkruani numrin personal ose numrin e regjistrimit të nxënësit.")
	}
	if isDigits(ref) {
		if err := application.CheckRegNo(ref); err != nil {
			return registry.Student{}, err
		}
		list, _, err := s.apps.List(ctx, by, application.Filter{RegNo: ref, Page: registry.Page{Limit: 1}})
		if err != nil {
			return registry.Student{}, err
		}
		if len(list) == 0 {
			return registry.Student{}, apperr.New(apperr.NotFound, "Asnjë kandidat nuk ka numrin e regjistrimit %s.", ref)
		}
		return s.registry.GetStudent(ctx, by, list[0].StudentID)
	}
	st, err := s.registry.StudentByPersonalNo(ctx, by, strings.ToUpper(ref))
	if apperr.Is(err, apperr.NotFound) {
		return registry.Student{}, apperr.New(apperr.NotFound, "Asnjë nxënës nuk ka numrin personal %s.", strings.ToUpper(ref))
	}
	return st, err
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// StaffByPersonalNo finds the member of staff an account is linked to by
// their personal number (issue 11, part C: never a database id), in the
// caller's scope; a number nobody has is refused with a sentence.
func (s *Service) StaffByPersonalNo(ctx context.Context, by *auth.Principal, personalNo string) (registry.Staff, error) {
	pn := strings.ToUpper(strings.TrimSpace(personalNo))
	if pn == "" {
		return registry.Staff{}, apperr.New(apperr.Invalid, "Shkruani numrin personal të punonjësit.")
	}
	list, _, err := s.registry.ListStaff(ctx, by, registry.StaffFilter{Q: pn, Page: registry.Page{Limit: registry.MaxLimit}})
	if err != nil {
		return registry.Staff{}, err
	}
	for _, sf := range list {
		if strings.EqualFold(sf.PersonalNo, pn) {
			return sf, nil
		}
	}
	return registry.Staff{}, apperr.New(apperr.NotFound, "Asnjë punonjës nuk ka numrin personal %s.", pn)
}

// Link fills in the record an account of one person is linked to, from
// what people type (issue 11, part C): a student's account from the
// personal or registration number (student), a member of staff's from
// the personal number (staff). A student number on another role's account
// is refused with a sentence.
func (s *Service) Link(ctx context.Context, by *auth.Principal, n auth.NewUser, student, staff string) (auth.NewUser, error) {
	if n.Role == auth.RoleStudent {
		st, err := s.StudentByRef(ctx, by, student)
		if err != nil {
			return n, err
		}
		n.StudentID = st.ID
	} else if strings.TrimSpace(student) != "" {
		return n, apperr.New(apperr.Invalid, "Numri personal ose i regjistrimit plotësohet vetëm për llogarinë e një nxënësi.")
	}
	if strings.TrimSpace(staff) != "" {
		sf, err := s.StaffByPersonalNo(ctx, by, staff)
		if err != nil {
			return n, err
		}
		n.StaffID = sf.ID
	}
	return s.CheckSubject(ctx, n)
}

// CheckSubject refuses, with a sentence, the subject of a marker's or a
// monitor's account that is not an exam of the active year (D1, D2 or the
// code of an elective): an account of subject "ZZZ" would mark
// nothing. The code is written as the year writes it (upper case).
func (s *Service) CheckSubject(ctx context.Context, n auth.NewUser) (auth.NewUser, error) {
	if n.Role != auth.RoleMarker && n.Role != auth.RoleMonitor || strings.TrimSpace(n.Subject) == "" {
		return n, nil
	}
	y, err := s.years.Active(ctx)
	if apperr.Is(err, apperr.NotFound) {
		return n, nil // no year yet: nothing to check against
	}
	if err != nil {
		return n, err
	}
	code := strings.ToUpper(strings.TrimSpace(n.Subject))
	if sub, ok := y.Config.Subject(code); code == examyear.KindD1 || code == examyear.KindD2 || ok && sub.Kind == examyear.KindElective {
		n.Subject = code
		return n, nil
	}
	var electives []string
	for _, e := range y.Config.Electives() {
		electives = append(electives, e.Code)
	}
	return n, apperr.New(apperr.Invalid, "Lënda «%s» nuk është provim i vitit %d: jepni D1, D2 ose kodin e një lënde me zgjedhje (%s).",
		n.Subject, y.Year, strings.Join(electives, ", "))
}
