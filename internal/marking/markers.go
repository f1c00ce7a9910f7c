package marking

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/store"
)

// The markers of a subject (Neni 57.6–57.9): appointed each year by AVA's
// director with their leads, from the staff registry (a teacher of the
// subject) or as lecturers and specialists with experience in teaching
// it (Neni 57.7); each gets an account of role vleresues for the subject.

// Appointment is one person AVA appoints: a member of staff by id or
// personal number, or a lecturer or specialist (personal number, name,
// institution, subjects of experience). Task is 'marker' (default) or
// 'lead'; Username, when given, names the account.
type Appointment struct {
	StaffID     int64  `json:"staff_id,omitempty"`
	PersonalNo  string `json:"personal_no,omitempty"`
	FullName    string `json:"full_name,omitempty"`
	Institution string `json:"institution,omitempty"`
	Subjects    string `json:"subjects,omitempty"` // experience: subject codes, comma separated
	Task        string `json:"task,omitempty"`
	Username    string `json:"username,omitempty"`
	fromFile    bool   // a row of a file: a specialist's experience must be named
}

// AppointResult is what Appoint did: markers newly appointed, those that
// were already (their task brought up to date), every marker of the call,
// and the activation letters of the accounts made.
type AppointResult struct {
	Appointed int           `json:"appointed"`
	Existing  int           `json:"existing"`
	Markers   []Marker      `json:"markers"`
	Letters   []auth.Letter `json:"-"`
}

// MarkerRow is a marker as AVA and the lead list them: with where they
// come from and how their training went (Neni 57.11).
type MarkerRow struct {
	Marker
	Institution string `json:"institution,omitempty"`
	AppointedAt string `json:"appointed_at"`
	Trained     int    `json:"trained"`  // training booklets marked
	Training    int    `json:"training"` // training booklets of the exam
	MaxDiff     int    `json:"max_difference"`
}

// examSubjects are the codes a teacher's subjects may name the test by:
// the test key, the exam code (D1, D2, an elective's code; the same
// subject in the second session, Neni 58) and the subject's code.
func examSubjects(y *examyear.Year, key string) []string {
	exam, _ := examyear.SplitTest(key)
	out := []string{key}
	if exam != key {
		out = append(out, exam)
	}
	for _, sub := range y.Config.Subjects {
		if sub.Kind == exam || (sub.Kind == examyear.KindElective && sub.Code == exam) {
			out = append(out, strings.ToUpper(sub.Code))
		}
	}
	return out
}

// teaches reports whether a list of subjects names the exam (Neni 57.7).
func teaches(subjects string, accepted []string) bool {
	for _, s := range strings.FieldsFunc(strings.ToUpper(subjects), func(r rune) bool { return r == ',' || r == ';' || r == '|' || r == ' ' }) {
		if slices.Contains(accepted, s) {
			return true
		}
	}
	return false
}

// normTask reads a task: marker or lead (also in Albanian).
func normTask(t string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(t)) {
	case "", TaskMarker, "vleresues", "vlerësues":
		return TaskMarker, true
	case TaskLead, "pergjegjes", "përgjegjës":
		return TaskLead, true
	}
	return "", false
}

// markerKey is a marker's id in the audit log.
func markerKey(year int, exam, username string) string {
	return fmt.Sprintf("%d/%s/%s", year, exam, username)
}

// person is an appointment resolved: who, from where, under which account.
type person struct {
	at          string // "Emërimi 3" or "Rreshti 4", for errors
	staffID     int64
	personalNo  string
	fullName    string
	school      string
	institution string
	task        string
	username    string
	alt         string // the account's name when the first is another's
}

// Appoint appoints markers and leads of an exam (Neni 57.8), in one
// transaction, all or none: each from the staff registry (a teacher whose
// subjects include the exam's, Neni 57.7) or as a lecturer or specialist.
// Each gets an account of role vleresues for the subject — one made now
// (with its activation letter) or the one they already have; appointing
// again changes nothing but the task. Refused after the exam's marking
// closed. Only AVA appoints (the director's act).
func (s *Service) Appoint(ctx context.Context, by *auth.Principal, year int, exam string, in []Appointment) (AppointResult, error) {
	at := make([]string, len(in))
	for i := range in {
		at[i] = fmt.Sprintf("Emërimi %d", i+1)
	}
	return s.appoint(ctx, by, year, exam, in, at)
}

// appoint is Appoint with the label of each appointment in errors (its
// place in the call, or its line in a file).
func (s *Service) appoint(ctx context.Context, by *auth.Principal, year int, exam string, in []Appointment, at []string) (AppointResult, error) {
	if err := auth.Require(by, auth.RoleAVA); err != nil {
		if by == nil {
			return AppointResult{}, err
		}
		return AppointResult{}, apperr.New(apperr.Forbidden, "Vlerësuesit dhe përgjegjësit e tyre i emëron drejtori i AVA-s (Neni 57.8).")
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return AppointResult{}, err
	}
	e, err := examOf(y, exam)
	if err != nil {
		return AppointResult{}, err
	}
	if len(in) == 0 {
		return AppointResult{}, apperr.New(apperr.Invalid, "Zgjidhni të paktën një vlerësues për ta emëruar.")
	}
	people, err := s.resolve(ctx, y, e, in, at)
	if err != nil {
		return AppointResult{}, err
	}
	var res AppointResult
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		res = AppointResult{}
		if err := s.openForMarking(ctx, y.Year, e.Code); err != nil {
			return err
		}
		return s.appointTx(ctx, by, y.Year, e, people, &res)
	})
	if err != nil {
		return AppointResult{}, err
	}
	return res, nil
}

// resolve reads each appointment against the registry and checks it,
// naming every bad one.
func (s *Service) resolve(ctx context.Context, y *examyear.Year, e Exam, in []Appointment, labels []string) ([]person, error) {
	var ids []int64
	var pns []string
	for _, a := range in {
		if a.StaffID > 0 {
			ids = append(ids, a.StaffID)
		} else if pn := strings.ToUpper(strings.TrimSpace(a.PersonalNo)); pn != "" {
			pns = append(pns, pn)
		}
	}
	staff, err := s.registry.StaffForMarking(ctx, ids, pns)
	if err != nil {
		return nil, err
	}
	byID, byPN := map[int64]registry.Staff{}, map[string]registry.Staff{}
	for _, sf := range staff {
		byID[sf.ID], byPN[strings.ToUpper(sf.PersonalNo)] = sf, sf
	}
	accepted := examSubjects(y, e.Code)
	var problems []string
	var out []person
	seen := map[string]string{}
	for i, a := range in {
		at := labels[i]
		bad := func(f string, args ...any) { problems = append(problems, at+": "+fmt.Sprintf(f, args...)) }
		task, ok := normTask(a.Task)
		if !ok {
			bad("detyra «%s» nuk njihet: vlerësues ose përgjegjës", a.Task)
			continue
		}
		pr := person{at: at, task: task}
		pn := strings.ToUpper(strings.TrimSpace(a.PersonalNo))
		sf, isStaff := byID[a.StaffID]
		if a.StaffID == 0 {
			sf, isStaff = byPN[pn]
		}
		switch {
		case a.StaffID > 0 && !isStaff:
			bad("punonjësi nuk gjendet në regjistër")
			continue
		case isStaff:
			pr.staffID, pr.personalNo, pr.school = sf.ID, strings.ToUpper(sf.PersonalNo), sf.SchoolCode
			pr.fullName = strings.TrimSpace(sf.FirstName + " " + sf.LastName)
			if !teaches(sf.Subjects, accepted) {
				bad("%s nuk jep mësim në lëndën e provimit %s (lëndët në regjistër: %s); vlerësues është mësuesi, pedagogu ose specialisti me përvojë në mësimdhënie në këtë lëndë (Neni 57.7)",
					pr.fullName, e.Code, markersOrNone(sf.Subjects))
				continue
			}
		default:
			if _, err := registry.ParseNID(pn); err != nil {
				bad("numri personal «%s» nuk është i vlefshëm", strings.TrimSpace(a.PersonalNo))
				continue
			}
			pr.personalNo, pr.fullName, pr.institution = pn, strings.Join(strings.Fields(a.FullName), " "), strings.TrimSpace(a.Institution)
			var miss []string
			if pr.fullName == "" {
				miss = append(miss, "emri")
			}
			if pr.institution == "" {
				miss = append(miss, "institucioni")
			}
			if len(miss) > 0 {
				bad("%s nuk është në regjistrin e personelit: për pedagogun ose specialistin duhen %s", pn, strings.Join(miss, " dhe "))
				continue
			}
			if a.fromFile && strings.TrimSpace(a.Subjects) == "" {
				bad("mungon përvoja në mësimdhënie e %s (kolona lendet): vlerësues është kush ka përvojë në lëndën e provimit %s (Neni 57.7)", pr.fullName, e.Label)
				continue
			}
			if a.Subjects != "" && !teaches(a.Subjects, accepted) {
				bad("%s nuk ka përvojë në mësimdhënie në lëndën e provimit %s (përvoja: %s) (Neni 57.7)", pr.fullName, e.Label, a.Subjects)
				continue
			}
		}
		if prev, dup := seen[pr.personalNo]; dup {
			bad("%s emërohet edhe te %s", pr.fullName, strings.ToLower(prev))
			continue
		}
		seen[pr.personalNo] = at
		pr.username = strings.ToLower(strings.TrimSpace(a.Username))
		if pr.username == "" {
			pr.username = strings.ToLower(pr.personalNo)
			pr.alt = "vl-" + strings.ToLower(e.Code) + "-" + pr.username
		}
		out = append(out, pr)
	}
	if len(problems) > 0 {
		return nil, &apperr.Error{Code: apperr.Invalid, Message: fmt.Sprintf("Asnjë vlerësues nuk u emërua: %s ka gabime.", markersPlural(len(problems), "emërim", "emërime")), Details: problems}
	}
	return out, nil
}

func markersOrNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "asnjë"
	}
	return s
}

func markersPlural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// appointTx writes the appointments: accounts first, then the rows.
func (s *Service) appointTx(ctx context.Context, by *auth.Principal, year int, e Exam, people []person, res *AppointResult) error {
	q := s.db.Q(ctx)
	current, err := s.markerList(ctx, year, e.Code, "")
	if err != nil {
		return err
	}
	byUser, byStaff := map[string]MarkerRow{}, map[int64]MarkerRow{}
	for _, m := range current {
		byUser[m.Username] = m
		if m.StaffID > 0 {
			byStaff[m.StaffID] = m
		}
	}
	var names []string
	for _, p := range people {
		names = append(names, p.username)
		if p.alt != "" {
			names = append(names, p.alt)
		}
	}
	accts, err := s.auth.FullNames(ctx, names)
	if err != nil {
		return err
	}
	var problems []string
	var create []auth.NewUser
	chosen := map[string]string{}
	existing := make([]bool, len(people))
	for i := range people {
		p := &people[i]
		if m, ok := byStaff[p.staffID]; ok && p.staffID > 0 {
			p.username, existing[i] = m.Username, true
		} else if m, ok := byUser[p.username]; ok && m.StaffID == p.staffID {
			existing[i] = true
		} else if m, ok := byUser[p.alt]; ok && p.alt != "" && m.StaffID == p.staffID {
			p.username, existing[i] = p.alt, true
		}
	}
	linked, err := s.linkedAccounts(ctx, by, e.Code, people, existing)
	if err != nil {
		return err
	}
	for i := range people {
		p := &people[i]
		if !existing[i] {
			cands := []string{p.username}
			if p.alt != "" {
				cands = append(cands, p.alt)
			}
			pick, made, link := "", false, p.staffID
			if u, ok := linked[p.staffID]; ok && p.staffID > 0 {
				if u.Role == auth.RoleMarker && NormExam(u.Subject) == e.Code {
					cands = []string{u.Username} // the person's marker account of the subject
					accts[u.Username] = u
				} else {
					link = 0 // the person's account of another role keeps the link
				}
			}
			for _, c := range cands {
				u, ok := accts[c]
				if !ok {
					pick, made = c, true
					break
				}
				if u.Role == auth.RoleMarker && NormExam(u.Subject) == e.Code && (u.StaffID == p.staffID || u.StaffID == 0) {
					pick = c
					break
				}
				if p.staffID > 0 && u.StaffID == p.staffID {
					link = 0 // the person's account of another role keeps the link
				}
			}
			if pick == "" {
				problems = append(problems, fmt.Sprintf("%s: llogaria «%s» është e një tjetri ose ka rol tjetër; jepni emrin e përdoruesit për llogarinë e vlerësuesit të %s", p.at, p.username, p.fullName))
				continue
			}
			p.username = pick
			if made {
				create = append(create, auth.NewUser{Username: pick, FullName: p.fullName, Role: auth.RoleMarker, Subject: e.Code, StaffID: link})
			}
		}
		if prev, dup := chosen[p.username]; dup {
			problems = append(problems, fmt.Sprintf("%s: llogaria «%s» është edhe e %s", p.at, p.username, strings.ToLower(prev)))
		}
		chosen[p.username] = p.at
	}
	if len(problems) > 0 {
		return &apperr.Error{Code: apperr.Conflict, Message: "Asnjë vlerësues nuk u emërua: llogaritë e disave nuk mund të krijohen.", Details: problems}
	}
	if len(create) > 0 {
		prov, err := s.auth.Provision(ctx, by, create)
		if err != nil {
			return err
		}
		res.Letters = prov.Letters
		names = names[:0]
		for _, n := range create {
			names = append(names, n.Username)
		}
		made, err := s.auth.FullNames(ctx, names)
		if err != nil {
			return err
		}
		for _, n := range create {
			if u, ok := made[n.Username]; !ok || u.Role != auth.RoleMarker || NormExam(u.Subject) != e.Code {
				return apperr.New(apperr.Conflict, "%s ka tashmë një llogari tjetër të lidhur me regjistrin; llogaria e vlerësuesit nuk u krijua. Jepni emrin e përdoruesit për të.", n.FullName)
			}
		}
	}
	now := s.stamp(ctx)
	var rows [][]any
	var entries []audit.Item
	for i, p := range people {
		m := Marker{Username: p.username, FullName: p.fullName, StaffID: p.staffID, School: p.school, Task: p.task, Status: StatusTraining}
		if existing[i] {
			res.Existing++
			cur := byUser[p.username]
			m = cur.Marker
			if cur.Task != p.task {
				if _, err := q.ExecContext(ctx, `UPDATE marking_markers SET task = $1 WHERE year = $2 AND exam = $3 AND username = $4`, p.task, year, e.Code, p.username); err != nil {
					return fmt.Errorf("marking: task of %s: %w", p.username, err)
				}
				entries = append(entries, audit.Item{Action: "marking.appoint", ObjectType: "marking_marker", ObjectID: markerKey(year, e.Code, p.username),
					Before: map[string]string{"task": cur.Task}, After: map[string]string{"task": p.task}})
				m.Task = p.task
			}
			res.Markers = append(res.Markers, m)
			continue
		}
		var staff any
		if p.staffID > 0 {
			staff = p.staffID
		}
		rows = append(rows, []any{year, e.Code, p.username, staff, p.fullName, p.school, p.institution, p.task, StatusTraining, "", by.Username, now})
		entries = append(entries, audit.Item{Action: "marking.appoint", ObjectType: "marking_marker", ObjectID: markerKey(year, e.Code, p.username),
			After: map[string]string{"full_name": p.fullName, "task": p.task, "school": p.school, "institution": p.institution}})
		res.Appointed++
		res.Markers = append(res.Markers, m)
	}
	if err := store.Insert(ctx, "marking_markers", []string{"year", "exam", "username", "staff_id", "full_name", "school_code", "institution",
		"task", "status", "status_note", "appointed_by", "appointed_at"}, rows); err != nil {
		return fmt.Errorf("marking: appoint: %w", err)
	}
	return audit.AddMany(ctx, by.Actor(), entries)
}

// markerList reads the markers of an exam (one of them when username is
// given), leads first, with their training.
func (s *Service) markerList(ctx context.Context, year int, exam, username string) ([]MarkerRow, error) {
	args := []any{year, exam}
	cond := ""
	if username != "" {
		cond, args = " AND m.username = $3", append(args, username)
	}
	return store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (MarkerRow, error) {
		var m MarkerRow
		var staff sql.NullInt64
		err := r.Scan(&m.Username, &m.FullName, &staff, &m.School, &m.Task, &m.Status, &m.StatusNote, &m.Institution, &m.AppointedAt,
			&m.Trained, &m.Training, &m.MaxDiff)
		m.StaffID = staff.Int64
		return m, err
	}, `SELECT m.username, m.full_name, m.staff_id, m.school_code, m.task, m.status, m.status_note, m.institution, m.appointed_at,
		(SELECT COUNT(*) FROM marking_training t JOIN marking_calibration c ON c.year = t.year AND c.exam = t.exam AND c.no = t.no AND c.purpose = 'training'
			WHERE t.year = m.year AND t.exam = m.exam AND t.username = m.username),
		(SELECT COUNT(*) FROM marking_calibration c WHERE c.year = m.year AND c.exam = m.exam AND c.purpose = 'training'),
		COALESCE((SELECT MAX(ABS(t.total - c.total)) FROM marking_training t JOIN marking_calibration c ON c.year = t.year AND c.exam = t.exam AND c.no = t.no
			WHERE t.year = m.year AND t.exam = m.exam AND t.username = m.username), -1)
		FROM marking_markers m WHERE m.year = $1 AND m.exam = $2`+cond+`
		ORDER BY CASE m.task WHEN 'lead' THEN 0 ELSE 1 END, m.full_name, m.username`, args...)
}

// Markers lists an exam's markers with their status and training: all of
// them for AVA and the subject's lead; a marker sees only themselves.
func (s *Service) Markers(ctx context.Context, p *auth.Principal, year int, exam string) ([]MarkerRow, error) {
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return nil, err
	}
	if err := s.mayLead(ctx, p, year, e.Code); err == nil {
		return s.markerList(ctx, year, e.Code, "")
	}
	if !MayMark(p) {
		return nil, apperr.New(apperr.Forbidden, "Listën e vlerësuesve e shohin AVA dhe përgjegjësi i vlerësuesve të lëndës (Neni 57.8–57.9).")
	}
	if _, err := s.markerOf(ctx, p, year, e.Code); err != nil {
		return nil, err
	}
	return s.markerList(ctx, year, e.Code, p.Username)
}

// Leads returns the leads of an exam's markers (Neni 57.8); allocation
// needs at least one.
func (s *Service) Leads(ctx context.Context, year int, exam string) ([]Marker, error) {
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return nil, err
	}
	rows, err := s.markerList(ctx, year, e.Code, "")
	if err != nil {
		return nil, err
	}
	var out []Marker
	for _, m := range rows {
		if m.Task == TaskLead {
			out = append(out, m.Marker)
		}
	}
	return out, nil
}

// IsLead reports whether p is a lead of the exam's markers, not stopped
// (Neni 57.8): the lead-only actions ask it (AVA may always do them).
func (s *Service) IsLead(ctx context.Context, p *auth.Principal, year int, exam string) (bool, error) {
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return false, err
	}
	return s.isLeadOf(ctx, p, year, e.Code)
}
