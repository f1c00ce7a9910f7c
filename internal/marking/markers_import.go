package marking

import (
	"context"
	"fmt"
	"io"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/registry"
)

// Markers from a file (Neni 57.7–57.8): lecturers and specialists without
// a school, or teachers of the registry, one a row of a CSV or XLSX file.
//
//	nr_personal   personal number (required)
//	emri          name and surname (or emri + mbiemri); for a teacher of
//	              the registry the registry's name is kept
//	institucioni  the lecturer's or specialist's institution
//	lendet        subjects of their teaching experience (must include the
//	              exam's, Neni 57.7); a teacher's are the registry's
//	detyra        vlerësues (default) or përgjegjës
//	perdoruesi    optional: the account's username

// markerColumns are the known columns and their names.
var markerColumns = map[string]string{
	"nr_personal": "pn", "numri_personal": "pn", "nid": "pn",
	"emri": "first", "emri_plote": "name", "emer": "first", "mbiemri": "last",
	"institucioni": "inst", "institucion": "inst",
	"lendet": "subj", "lenda": "subj", "pervoja": "subj",
	"detyra": "task", "perdoruesi": "user", "username": "user",
}

func markerColumn(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	h = strings.NewReplacer("ë", "e", "ç", "c", " ", "_", "-", "_").Replace(h)
	return markerColumns[h]
}

// ImportMarkers appoints the markers of a CSV or XLSX file (AVA), all or
// none: every bad row is named with its line.
func (s *Service) ImportMarkers(ctx context.Context, by *auth.Principal, year int, exam, filename string, r io.Reader) (AppointResult, error) {
	if err := auth.Require(by, auth.RoleAVA); err != nil {
		if by == nil {
			return AppointResult{}, err
		}
		return AppointResult{}, apperr.New(apperr.Forbidden, "Vlerësuesit dhe përgjegjësit e tyre i emëron drejtori i AVA-s (Neni 57.8).")
	}
	header, rows, err := registry.ReadTable(filename, r)
	if err != nil {
		return AppointResult{}, err
	}
	idx := map[string]int{}
	var problems []string
	for i, h := range header {
		c := markerColumn(h)
		switch {
		case strings.TrimSpace(h) == "":
			continue
		case c == "":
			problems = append(problems, fmt.Sprintf("Rreshti 1: kolona «%s» nuk njihet (kolonat: nr_personal, emri, mbiemri, institucioni, lendet, detyra, perdoruesi).", strings.TrimSpace(h)))
			continue
		}
		if _, dup := idx[c]; dup {
			problems = append(problems, fmt.Sprintf("Rreshti 1: kolona «%s» jepet dy herë.", strings.TrimSpace(h)))
		}
		idx[c] = i
	}
	if _, ok := idx["pn"]; !ok {
		problems = append(problems, "Rreshti 1: mungon kolona «nr_personal».")
	}
	if len(problems) > 0 {
		return AppointResult{}, &apperr.Error{Code: apperr.Invalid, Message: "Rreshti i titujve nuk është ai i një liste vlerësuesish.", Details: problems}
	}
	if len(rows) == 0 {
		return AppointResult{}, apperr.New(apperr.Invalid, "Skedari nuk ka asnjë vlerësues nën rreshtin e titujve.")
	}
	in := make([]Appointment, 0, len(rows))
	at := make([]string, 0, len(rows))
	for _, row := range rows {
		cell := func(c string) string {
			if i, ok := idx[c]; ok && i < len(row.Cells) {
				return strings.TrimSpace(row.Cells[i])
			}
			return ""
		}
		name := cell("name")
		if name == "" {
			name = strings.TrimSpace(cell("first") + " " + cell("last"))
		}
		a := Appointment{PersonalNo: cell("pn"), FullName: name, Institution: cell("inst"), Subjects: cell("subj"), Task: cell("task"), Username: cell("user")}
		a.fromFile = true
		in = append(in, a)
		at = append(at, fmt.Sprintf("Rreshti %d", row.Line))
	}
	return s.appoint(ctx, by, year, exam, in, at)
}

// StaffCandidate is a member of staff found for an appointment: whether
// they teach the exam's subject (Neni 57.7) and are appointed already.
type StaffCandidate struct {
	StaffID    int64  `json:"staff_id"`
	PersonalNo string `json:"personal_no"`
	FullName   string `json:"full_name"`
	School     string `json:"school,omitempty"`
	Subjects   string `json:"subjects"`
	Teaches    bool   `json:"teaches"`
	Appointed  bool   `json:"appointed"`
}

// StaffCandidates searches the staff registry (name or personal number)
// for people AVA may appoint to an exam, at most 50.
func (s *Service) StaffCandidates(ctx context.Context, by *auth.Principal, year int, exam, q string) ([]StaffCandidate, error) {
	if err := auth.Require(by, auth.RoleAVA); err != nil {
		return nil, err
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return nil, err
	}
	e, err := examOf(y, exam)
	if err != nil {
		return nil, err
	}
	if len([]rune(strings.TrimSpace(q))) < 2 {
		return nil, apperr.New(apperr.Invalid, "Shkruani të paktën dy shkronja të emrit ose numrin personal.")
	}
	staff, _, err := s.registry.ListStaff(ctx, by, registry.StaffFilter{Q: q, Page: registry.Page{Limit: 50}})
	if err != nil {
		return nil, err
	}
	current, err := s.markerList(ctx, y.Year, e.Code, "")
	if err != nil {
		return nil, err
	}
	appointed := map[int64]bool{}
	for _, m := range current {
		appointed[m.StaffID] = true
	}
	accepted := examSubjects(y, e.Code)
	out := []StaffCandidate{}
	for _, sf := range staff {
		out = append(out, StaffCandidate{StaffID: sf.ID, PersonalNo: sf.PersonalNo, FullName: strings.TrimSpace(sf.FirstName + " " + sf.LastName),
			School: sf.SchoolCode, Subjects: sf.Subjects, Teaches: teaches(sf.Subjects, accepted), Appointed: appointed[sf.ID]})
	}
	return out, nil
}

// linkedAccounts returns, by staff id, the account already linked to
// each member of staff about to be appointed (a marker's account of the
// exam preferred): Provision finds an account by its staff link, so a
// person with an account of another role gets one of their own unlinked.
func (s *Service) linkedAccounts(ctx context.Context, by *auth.Principal, exam string, people []person, existing []bool) (map[int64]auth.User, error) {
	want := map[int64]bool{}
	for i, p := range people {
		if p.staffID > 0 && !existing[i] {
			want[p.staffID] = true
		}
	}
	out := map[int64]auth.User{}
	if len(want) == 0 {
		return out, nil
	}
	users, err := s.auth.ListUsers(ctx, by)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if !want[u.StaffID] {
			continue
		}
		if cur, ok := out[u.StaffID]; !ok || (isMarkerAccount(u, exam) && !isMarkerAccount(cur, exam)) {
			out[u.StaffID] = u
		}
	}
	return out, nil
}

// isMarkerAccount reports whether an account is a marker's of the exam.
func isMarkerAccount(u auth.User, exam string) bool {
	return u.Role == auth.RoleMarker && NormExam(u.Subject) == exam
}
