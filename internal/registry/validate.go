package registry

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"provim/internal/albanian"
	"provim/internal/auth"
	"provim/internal/store"
)

// env is what validation needs to know: the caller and the registry's
// units, schools and venues, loaded once per request or import (inside its
// transaction, so the scope checks see what the writes will change).
type env struct {
	p       *auth.Principal
	units   map[string]Unit
	schools map[string]School
	venues  map[string]Venue // without rooms
	now     time.Time
}

func loadEnv(ctx context.Context, q store.Querier, p *auth.Principal, now time.Time) (*env, error) {
	e := &env{p: p, units: map[string]Unit{}, schools: map[string]School{}, venues: map[string]Venue{}, now: now}
	units, err := store.Select(ctx, q, scanUnit, `SELECT `+unitCols+` FROM units`)
	if err != nil {
		return nil, fmt.Errorf("registry: load units: %w", err)
	}
	for _, u := range units {
		e.units[u.Code] = u
	}
	schools, err := store.Select(ctx, q, scanSchool, `SELECT `+schoolCols+` FROM schools sc`)
	if err != nil {
		return nil, fmt.Errorf("registry: load schools: %w", err)
	}
	for _, s := range schools {
		e.schools[s.Code] = s
	}
	venues, err := store.Select(ctx, q, func(r store.Scanner) (v Venue, err error) {
		err = r.Scan(&v.Code, &v.Name, &v.UnitCode, &v.SchoolCode, &v.City, &v.Address, &v.Floors)
		return v, err
	}, `SELECT code, name, unit_code, COALESCE(school_code, ''), city, address, floors FROM venues`)
	if err != nil {
		return nil, fmt.Errorf("registry: load venues: %w", err)
	}
	for _, v := range venues {
		e.venues[v.Code] = v
	}
	return e, nil
}

// unitInScope reports whether the caller may act on data of unit code.
func (e *env) unitInScope(code string) bool {
	u, ok := e.units[code]
	if !ok {
		return false
	}
	switch e.p.Role {
	case auth.RoleAVA:
		return true
	case auth.RoleKMSH:
		return u.Code == e.p.Unit || u.ParentCode == e.p.Unit
	}
	return false
}

// schoolInScope reports whether the caller may act on data of school code.
func (e *env) schoolInScope(code string) bool {
	s, ok := e.schools[code]
	if !ok {
		return false
	}
	if e.p.Role == auth.RoleKSHMSH {
		return code == e.p.School
	}
	return e.unitInScope(s.UnitCode)
}

// problems collects the reasons a record is refused.
type problems []string

func (p *problems) addf(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

// outside says why a record is outside the caller's scope. Both kinds get
// the entity's one answer (spec.outside), which names nothing: the answer
// for a record the caller may not touch is the same whether it exists or
// not. Only recordOutside (an existing record of another scope) tells the
// caller something, so only it counts against the account's allowance.
type outside int

const (
	inScope       outside = iota
	targetOutside         // the school, DAR/ZA or venue the record names is not the caller's (or does not exist)
	recordOutside         // the record exists, in another scope
)

// validName accepts letters (ë, ç included), spaces, hyphens and apostrophes.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && r != ' ' && r != '-' && r != '\'' && r != '’' {
			return false
		}
	}
	return true
}

func (ps *problems) name(field, v string) string {
	v = clean(v)
	switch {
	case v == "":
		ps.addf("mungon %s", field)
	case !ps.limit(field, v, MaxPersonName):
	case !validName(v):
		ps.addf("%s «%s» përmban shenja që nuk janë shkronja", field, quote(v))
	}
	return v
}

func normSex(s string) string {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "M", "MASHKULL":
		return "M"
	case "F", "FEMER", "FEMËR", "FEMRA":
		return "F"
	}
	return ""
}

// person validates the personal number, sex and birth date shared by
// students and staff, and checks that they agree with each other.
func (ps *problems) person(nid, sex, birth string, requireBirth bool) (string, string, string) {
	nid, sex, birth = trim(nid), trim(sex), trim(birth)
	n, err := ParseNID(nid)
	if nid == "" {
		ps.addf("mungon numri personal")
	} else if err != nil {
		ps.addf("numri personal «%s» nuk është i vlefshëm: %s", quote(nid), err)
	}
	sx := normSex(sex)
	switch {
	case sex == "" && err == nil:
		sx = n.Sex
	case sx == "":
		ps.addf("gjinia «%s» nuk njihet (përdorni M ose F)", quote(sex))
	case err == nil && sx != n.Sex:
		ps.addf("gjinia %s nuk përputhet me numrin personal", sx)
	}
	bd := ""
	switch {
	case birth == "":
		if err == nil {
			bd = n.BirthDate.Format("2006-01-02")
		} else if requireBirth {
			ps.addf("mungon data e lindjes")
		}
	default:
		t, ok := albanian.ParseDate(birth)
		if !ok {
			ps.addf("data e lindjes «%s» nuk është datë e vlefshme (p.sh. 15.04.2008)", quote(birth))
		} else {
			bd = t.Format("2006-01-02")
			if err == nil && !t.Equal(n.BirthDate) {
				ps.addf("data e lindjes %s nuk përputhet me numrin personal", albanian.Date(t))
			}
		}
	}
	return n.Number, sx, bd
}

func parseGrade(s string) (float64, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", "."))
	if s == "" {
		return 0, true
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// school checks a school code a record names: missing, unknown (told to
// AVA only, whose scope is the country) or outside the caller's scope.
func (e *env) school(ps *problems, code string, required bool) (School, outside) {
	sc, ok := e.schools[code]
	switch {
	case code == "":
		if required {
			ps.addf("mungon kodi i shkollës")
		}
	case !ok && e.p.Role == auth.RoleAVA:
		ps.addf("shkolla me kod «%s» nuk ekziston", quote(code))
	case !e.schoolInScope(code):
		return School{}, targetOutside
	}
	return sc, inScope
}

// checkStudent validates a student record and the caller's right to write
// it. It returns the cleaned record.
func (e *env) checkStudent(in Student) (Student, problems, outside) {
	var ps problems
	out := in
	out.PersonalNo, out.Sex, out.BirthDate = ps.person(in.PersonalNo, in.Sex, in.BirthDate, true)
	out.FirstName = ps.name("emri", in.FirstName)
	out.FatherName = ps.name("atësia", in.FatherName)
	out.LastName = ps.name("mbiemri", in.LastName)
	out.SchoolCode = ps.code("kodi i shkollës", in.SchoolCode, MaxCode)
	out.ClassName = ps.text("klasa", in.ClassName, MaxClass)
	out.Phone = ps.text("telefoni", in.Phone, MaxPhone)
	out.Category = strings.ToLower(ps.code("kategoria", in.Category, MaxKeyword))
	if out.Category == "" {
		out.Category = Maturant
	}
	if out.Category != Maturant && out.Category != Kandidat {
		ps.addf("kategoria «%s» nuk njihet (maturant ose kandidat)", quote(in.Category))
	}
	if out.AverageGrade != 0 && (out.AverageGrade < 5 || out.AverageGrade > 10) {
		ps.addf("nota mesatare %s është jashtë kufijve 5–10", albanian.Decimal(out.AverageGrade))
	}
	if out.BirthDate != "" {
		if t, _ := time.Parse("2006-01-02", out.BirthDate); e.now.Sub(t) < 14*365*24*time.Hour {
			ps.addf("data e lindjes %s jep moshë nën 14 vjeç", albanian.Date(t))
		}
	}
	_, where := e.school(&ps, out.SchoolCode, true)
	return out, ps, where
}

// checkStaff validates a staff record.
func (e *env) checkStaff(in Staff) (Staff, problems, outside) {
	var ps problems
	out := in
	out.PersonalNo, out.Sex, _ = ps.person(in.PersonalNo, in.Sex, "", false)
	out.FirstName = ps.name("emri", in.FirstName)
	out.FatherName = ps.name("atësia", in.FatherName)
	out.LastName = ps.name("mbiemri", in.LastName)
	out.UnitCode = ps.code("kodi i DAR/ZA", in.UnitCode, MaxCode)
	out.SchoolCode = ps.code("kodi i shkollës", in.SchoolCode, MaxCode)
	out.Position = strings.ToLower(ps.code("pozicioni", in.Position, MaxKeyword))
	out.Phone = ps.text("telefoni", in.Phone, MaxPhone)
	var subs []string
	for _, s := range strings.FieldsFunc(NFC(in.Subjects), func(r rune) bool { return r == ',' || r == ';' || r == '|' || r == ' ' }) {
		subs = append(subs, strings.ToUpper(s))
	}
	out.Subjects = strings.Join(subs, ",")
	ps.limit("lëndët", out.Subjects, MaxSubjects)
	if _, ok := Positions[out.Position]; !ok {
		ps.addf("pozicioni «%s» nuk njihet (%s)", quote(in.Position), keys(Positions))
	}
	if out.SchoolCode != "" {
		sc, where := e.school(&ps, out.SchoolCode, false)
		switch {
		case where != inScope:
			return out, ps, where
		case sc.Code == "":
		case out.UnitCode == "":
			out.UnitCode = sc.UnitCode
		case out.UnitCode != sc.UnitCode:
			ps.addf("shkolla «%s» nuk i përket DAR/ZA «%s»", sc.Code, quote(out.UnitCode))
		}
	}
	switch {
	case out.UnitCode == "":
		ps.addf("mungon kodi i DAR/ZA")
	case e.units[out.UnitCode].Code == "":
		ps.addf("DAR/ZA me kod «%s» nuk ekziston", quote(out.UnitCode))
	case e.p.Role == auth.RoleKSHMSH && out.SchoolCode != e.p.School:
		ps.addf("mund të regjistroni vetëm personelin e shkollës suaj")
	case e.p.Role != auth.RoleKSHMSH && !e.unitInScope(out.UnitCode):
		return out, ps, targetOutside
	}
	return out, ps, inScope
}

// checkSchool validates a school record. An existing school outside the
// scope is never taken over, whatever DAR/ZA the record names: that is
// schoolSpec.owned.
func (e *env) checkSchool(in School) (School, problems, outside) {
	var ps problems
	out := in
	out.Code = ps.code("kodi i shkollës", in.Code, MaxCode)
	out.Name = ps.text("emri i shkollës", in.Name, MaxTitle)
	out.UnitCode = ps.code("kodi i DAR/ZA", in.UnitCode, MaxCode)
	out.City = ps.text("qyteti", in.City, MaxCity)
	out.Address = ps.text("adresa", in.Address, MaxAddress)
	out.Profile = strings.ToLower(ps.code("profili", in.Profile, MaxKeyword))
	if out.Code == "" {
		ps.addf("mungon kodi i shkollës")
	}
	if out.Name == "" {
		ps.addf("mungon emri i shkollës")
	}
	if out.City == "" {
		ps.addf("mungon qyteti")
	}
	if _, ok := Profiles[out.Profile]; !ok {
		ps.addf("profili «%s» nuk njihet (%s)", quote(in.Profile), keys(Profiles))
	}
	if out.Years != 4 && out.Years != 5 {
		ps.addf("kohëzgjatja %d vjet nuk lejohet (4 ose 5)", in.Years)
	}
	switch {
	case out.UnitCode == "":
		ps.addf("mungon kodi i DAR/ZA")
	case e.units[out.UnitCode].Code == "":
		ps.addf("DAR/ZA me kod «%s» nuk ekziston", quote(out.UnitCode))
	case !e.unitInScope(out.UnitCode):
		return out, ps, targetOutside
	}
	return out, ps, inScope
}

// checkUnit validates a DAR/ZA (AVA only).
func (e *env) checkUnit(in Unit, inFile map[string]Unit) (Unit, problems, outside) {
	var ps problems
	out := Unit{Kind: strings.ToUpper(ps.code("lloji", in.Kind, MaxKeyword))}
	out.Code = ps.code("kodi", in.Code, MaxCode)
	out.Name = ps.text("emri", in.Name, MaxTitle)
	out.ParentCode = ps.code("kodi i DAR-it", in.ParentCode, MaxCode)
	out.City = ps.text("qyteti", in.City, MaxCity)
	if e.p.Role != auth.RoleAVA {
		ps.addf("vetëm AVA regjistron DAR/ZA")
	}
	if out.Code == "" {
		ps.addf("mungon kodi")
	}
	if out.Name == "" {
		ps.addf("mungon emri")
	}
	if out.City == "" {
		ps.addf("mungon qyteti")
	}
	switch out.Kind {
	case "DAR":
		if out.ParentCode != "" {
			ps.addf("një DAR nuk ka njësi mbi vete")
		}
	case "ZA":
		parent, ok := e.units[out.ParentCode]
		if !ok {
			parent, ok = inFile[out.ParentCode]
		}
		switch {
		case out.ParentCode == "":
			ps.addf("një ZA duhet të ketë DAR-in mbi vete")
		case !ok:
			ps.addf("DAR me kod «%s» nuk ekziston", quote(out.ParentCode))
		case parent.Kind != "DAR":
			ps.addf("njësia mbi ZA-në duhet të jetë DAR")
		}
	default:
		ps.addf("lloji «%s» nuk njihet (DAR ose ZA)", quote(in.Kind))
	}
	return out, ps, inScope
}

// checkRoom validates a venue with one of its rooms.
func (e *env) checkRoom(v Venue, r Room) (Venue, Room, problems, outside) {
	var ps problems
	v.Code = ps.code("kodi i qendrës", v.Code, MaxCode)
	v.Name = ps.text("emri i qendrës", v.Name, MaxTitle)
	v.UnitCode = ps.code("kodi i DAR/ZA", v.UnitCode, MaxCode)
	v.SchoolCode = ps.code("kodi i shkollës", v.SchoolCode, MaxCode)
	v.City = ps.text("qyteti", v.City, MaxCity)
	v.Address = ps.text("adresa", v.Address, MaxAddress)
	r.Name = ps.text("emri i sallës", r.Name, MaxRoom)
	r.VenueCode = v.Code
	if v.Code == "" {
		ps.addf("mungon kodi i qendrës")
	}
	if v.Name == "" {
		ps.addf("mungon emri i qendrës")
	}
	if v.City == "" {
		ps.addf("mungon qyteti")
	}
	if v.Floors < 1 {
		v.Floors = 1
	}
	if r.Name == "" {
		ps.addf("mungon emri i sallës")
	}
	if r.Seats < 1 || r.Seats > 500 {
		ps.addf("numri i vendeve %d është jashtë kufijve 1–500", r.Seats)
	}
	if r.Floor < 0 || r.Floor >= v.Floors+1 {
		ps.addf("kati %d nuk ekziston në një ndërtesë me %d kate", r.Floor, v.Floors)
	}
	if v.SchoolCode != "" {
		// A venue at another scope's school: its commission would see the
		// venue as its own.
		sc, where := e.school(&ps, v.SchoolCode, false)
		if where != inScope {
			return v, r, ps, where
		}
		if v.UnitCode == "" {
			v.UnitCode = sc.UnitCode
		}
	}
	switch {
	case v.UnitCode == "":
		ps.addf("mungon kodi i DAR/ZA")
	case e.units[v.UnitCode].Code == "":
		ps.addf("DAR/ZA me kod «%s» nuk ekziston", quote(v.UnitCode))
	case !e.unitInScope(v.UnitCode):
		return v, r, ps, targetOutside
	}
	// The venue, not only the room: a new room in an existing venue of
	// another DAR/ZA must not move that venue into the caller's unit.
	if old, ok := e.venues[v.Code]; ok && !e.unitInScope(old.UnitCode) {
		return v, r, ps, recordOutside
	}
	return v, r, ps, inScope
}

func keys(m map[string]string) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	albanian.SortStrings(ks)
	return strings.Join(ks, ", ")
}
