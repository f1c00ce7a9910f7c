package demo

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/wire"
)

// Shares of the demo's application phase.
const (
	noFormShare     = 0.015 // maturants who never file A1
	failingShare    = 0.012 // maturants failing the final school year (Neni 35)
	a2Share         = 0.85  // candidates with electives who file A2
	specialsPerKind = 12    // candidates of each special category (Neni 23–26, 33)
)

// RunApplications takes the demo year through the application phase as the
// commissions would, on the dates of the year's calendar: the catalogue of
// study programmes; A1 and A1z forms entered from paper; candidates of
// every special category registered by their KMSH; every school's forms
// confirmed and sent with table T; verified and sent to AVA by the
// regions; registration numbers; a few corrections; failing students;
// the final name lists; and form A2 with its fee receipt. Every step goes
// through package application with its rules, deadlines and audit.
func RunApplications(ctx context.Context, svc *wire.Services, clk *clock.Manual, ava *auth.Principal, seed int64, progress func(string)) error {
	if progress == nil {
		progress = func(string) {}
	}
	y, err := svc.Years.Active(ctx)
	if err != nil {
		return err
	}
	d := &phase{ctx: ctx, ava: ava, year: y, svc: svc.Applications, reg: svc.Registry, rng: rand.New(rand.NewPCG(uint64(seed), 0xa1a2)), progress: progress}
	steps := []struct {
		date string
		name string
		fn   func() (string, error)
	}{
		{"", "Katalogu i programeve të studimit", d.catalogue},
		{"-03-05", "Formularët A1/A1z", d.fileA1},
		{"", "Kategoritë e veçanta (Neni 23–26, 33)", d.specials},
		{"-03-20", "Konfirmimi nga KSHMSH", d.confirm},
		{"-03-24", "Tabela T në KMSH", d.sendSchools},
		{"-03-28", "Verifikimi nga KMSH dhe listat në AVA", d.verify},
		{"-05-01", "Numrat e regjistrimit", d.regNos},
		{"-05-08", "Reklamimet", d.corrections},
		{"-05-28", "Nxënësit mbetës", d.failing},
		{"-05-29", "Mbetësit në AVA", d.failingToAVA},
		{"-05-30", "Listat emërore përfundimtare", d.finalLists},
		{"-06-05", "Formularët A2", d.fileA2},
	}
	for _, st := range steps {
		if st.date != "" {
			// Each step on its day of the year's calendar (MM-DD).
			day, _ := time.ParseInLocation("2006-01-02", fmt.Sprint(y.Year)+st.date, examyear.Tirana)
			clk.Set(day.Add(10 * time.Hour))
		}
		start := clock.StartTimer()
		what, err := st.fn()
		if err != nil {
			return fmt.Errorf("demo: %s: %w", st.name, err)
		}
		progress(fmt.Sprintf("%s: %s (%.1fs)", st.name, what, start.Elapsed().Seconds()))
	}
	return nil
}

// Today is the day the demo's calendar stands on once every phase has run:
// the eve of the first exam (D1, 8 June in the 2009 profile moved to the
// year): the final lists, most A2 forms, the venue plan and the staff draw
// are done, and the materials wait in the KMSH safes. The A2 deadline (30
// June) is still ahead.
func Today(year int) string { return fmt.Sprintf("%d-06-07", year) }

type phase struct {
	ctx      context.Context
	reg      *registry.Service
	ava      *auth.Principal
	year     *examyear.Year
	svc      *application.Service
	rng      *rand.Rand
	progress func(string)

	schools  []demoSchool
	students []demoStudent
}

type demoSchool struct {
	code, unit, dar, profile string
	public                   bool
}

type demoStudent struct {
	id                      int64
	personalNo, school, cat string
	profile                 string
	electives               []string
	filed                   bool
}

func (d *phase) catalogue() (string, error) {
	return fmt.Sprintf("%d programe", len(programmes)), d.svc.SaveProgrammes(d.ctx, d.ava, programmes)
}

// electivesFor draws a plausible elective choice for a school profile;
// none for those heading to the academies or straight to work.
func (d *phase) electivesFor(profile string) []string {
	none := 0.08
	pool := []string{"ANG", "HIS", "GJE", "BIO", "KIM", "FIZ", "EKO", "INF", "FIL", "ITA"}
	switch profile {
	case "shkenca_natyrore":
		pool = []string{"FIZ", "KIM", "BIO", "BIO", "KIM", "INF", "ANG"}
	case "shkenca_shoqerore":
		pool = []string{"HIS", "GJE", "FIL", "SOC", "EKO", "HIS", "ANG"}
	case "gjuhe_te_huaja":
		pool = []string{"ANG", "FRE", "ITA", "GJER", "ANG", "HIS"}
	case "profesionale":
		none, pool = 0.45, []string{"INF", "EKO", "FIZ", "ANG", "GJE"}
	case "arte", "sport":
		none = 0.7
	}
	if d.rng.Float64() < none {
		return nil
	}
	a := pool[d.rng.IntN(len(pool))]
	for range 1000 {
		// Two electives at the same sitting cannot both be sat (Neni 14.3,
		// 17): the second is one of the other sitting.
		b := pool[d.rng.IntN(len(pool))]
		if b != a && d.apart(a, b) {
			return []string{a, b}
		}
	}
	return []string{a} // a pool of one sitting only
}

// apart reports whether electives a and b are at sittings that do not
// overlap in session 1 (Neni 14.3).
func (d *phase) apart(a, b string) bool {
	return !d.year.Config.Overlap(a, b, 1)
}

// load reads the country the registry holds: its schools by code, each
// with its DAR, and its students in the order they were registered.
func (d *phase) load() error {
	dars, err := darOfUnits(d.ctx, d.reg, d.ava)
	if err != nil {
		return err
	}
	schools, err := d.reg.ListSchools(d.ctx, d.ava, registry.SchoolFilter{})
	if err != nil {
		return err
	}
	slices.SortFunc(schools, func(a, b registry.School) int { return strings.Compare(a.Code, b.Code) })
	profile := make(map[string]string, len(schools))
	for _, sc := range schools {
		d.schools = append(d.schools, demoSchool{code: sc.Code, unit: sc.UnitCode, dar: dars[sc.UnitCode], profile: sc.Profile, public: sc.Public})
		profile[sc.Code] = sc.Profile
	}
	students, err := d.reg.EveryStudent(d.ctx, d.ava)
	if err != nil {
		return err
	}
	d.students = make([]demoStudent, 0, len(students))
	for _, st := range students {
		d.students = append(d.students, demoStudent{id: st.ID, personalNo: st.PersonalNo, school: st.SchoolCode, cat: st.Category, profile: profile[st.SchoolCode]})
	}
	return nil
}

func (d *phase) fileA1() (string, error) {
	if err := d.load(); err != nil {
		return "", err
	}
	file := newPartedFile(strings.Join(application.A1Columns, ","))
	n := 0
	for i := range d.students {
		s := &d.students[i]
		if s.cat == registry.Maturant && d.rng.Float64() < noFormShare {
			continue
		}
		s.electives = d.electivesFor(s.profile)
		if s.cat == registry.Kandidat && len(s.electives) == 0 {
			s.electives = []string{"ANG"}
		}
		if s.cat == registry.Kandidat && d.rng.Float64() < 0.4 {
			s.electives = s.electives[:1]
		}
		s.filed = true
		e := append(append([]string(nil), s.electives...), "", "")
		fmt.Fprintf(file.line(), "%s,%s,%s\n", s.personalNo, e[0], e[1])
		n++
	}
	got, err := file.each("A1-A1z", func(name string, r io.Reader) (int, error) { return d.svc.ImportA1(d.ctx, d.ava, name, r, "") })
	if err != nil {
		return "", importErr(err)
	}
	return fmt.Sprintf("%d formularë nga %d nxënës e kandidatë", got, n), nil
}

// specials registers people of the special categories: older graduates
// added to the registry, whose KMSH checks the documents and assigns the
// school (Neni 23–27, 33).
func (d *phase) specials() (string, error) {
	kinds := []struct {
		cat, regCat string
		born        int
	}{
		{application.Neni23, registry.Kandidat, 1983}, {application.Neni24, registry.Maturant, 1984},
		{application.Neni25, registry.Kandidat, 1989}, {application.Neni26, registry.Kandidat, 1989},
		{application.Neni33, registry.Kandidat, d.year.Year - 19},
	}
	var csv bytes.Buffer
	csv.WriteString("nr_personal,emri,atesia,mbiemri,gjinia,datelindja,kodi_shkolles,kategoria\n")
	type person struct {
		no, cat, school string
		born            int
	}
	var people []person
	serial := 880
	for _, k := range kinds {
		for i := range specialsPerKind {
			sex := "M"
			first := pickCommon(d.rng, boysNames)
			if i%2 == 1 {
				sex, first = "F", pickCommon(d.rng, girlsNames)
			}
			birth := time.Date(k.born, time.Month(1+i%12), 1+i, 0, 0, 0, 0, time.UTC)
			serial++
			no := registry.MakeNID(birth, sex, serial)
			school := d.schools[d.rng.IntN(len(d.schools))]
			for !school.public {
				school = d.schools[d.rng.IntN(len(d.schools))]
			}
			fmt.Fprintf(&csv, "%s,%s,%s,%s,%s,%s,%s,%s\n", no, first, pickCommon(d.rng, fathersNames), surname(d.rng, "north"), sex,
				birth.Format("02.01.2006"), school.code, k.regCat)
			people = append(people, person{no, k.cat, school.code, k.born})
		}
	}
	if _, err := d.reg.Import(d.ctx, d.ava, "students", "kategori-te-vecanta.csv", &csv, nil); err != nil {
		return "", err
	}
	for i, pp := range people {
		st, err := d.reg.StudentByPersonalNo(d.ctx, d.ava, pp.no)
		if err != nil {
			return "", err
		}
		id := st.ID
		// They finished secondary school at 18 (Neni 23–26, 33).
		in := application.SpecialInput{StudentID: id, Category: pp.cat, SchoolCode: pp.school, Electives: d.electivesFor("gjimnaz"),
			GraduationYear: pp.born + 18}
		if len(in.Electives) == 0 {
			in.Electives = []string{"HIS", "GJE"}
		}
		for _, doc := range application.RequiredDocuments(pp.cat, pp.cat == application.Neni26) {
			in.Documents = append(in.Documents, doc.Key)
		}
		switch pp.cat {
		case application.Neni23, application.Neni33:
			in.AverageGrade, in.D1Grade, in.D2Grade = 6+float64(d.rng.IntN(400))/100, 5+d.rng.IntN(6), 5+d.rng.IntN(6)
		case application.Neni25:
			if err := d.svc.RecordResults(d.ctx, d.ava, id, []application.Result{
				{Year: 2007, Session: 1, Subject: "GJSH", Kind: "D1", Grade: 5 + d.rng.IntN(6)},
				{Year: 2007, Session: 1, Subject: "MAT", Kind: "D2", Grade: 5 + d.rng.IntN(6)}}, "Arkivi i AVA-s"); err != nil {
				return "", err
			}
		case application.Neni26:
			in.Electives = in.Electives[:1]
			in.ResitReceipt = fmt.Sprintf("MR-%d-%04d", d.year.Year, i)
			if err := d.svc.RecordResults(d.ctx, d.ava, id, []application.Result{
				{Year: 2008, Session: 1, Subject: "GJSH", Kind: "D1", Grade: 5 + d.rng.IntN(6)},
				{Year: 2008, Session: 1, Subject: "MAT", Kind: "D2", Grade: 5 + d.rng.IntN(6)},
				{Year: 2008, Session: 1, Subject: "HIS", Kind: "Z", Grade: 4 + d.rng.IntN(7)},
				{Year: 2008, Session: 1, Subject: "GJE", Kind: "Z", Grade: 4 + d.rng.IntN(7)}}, "Arkivi i AVA-s"); err != nil {
				return "", err
			}
		}
		kmsh := &auth.Principal{Username: "kmsh.demo", Role: auth.RoleKMSH, Unit: d.darOf(pp.school)}
		if _, err := d.svc.RegisterSpecial(d.ctx, kmsh, in); err != nil {
			return "", fmt.Errorf("%s %s: %w", pp.cat, pp.no, err)
		}
	}
	return fmt.Sprintf("%d kandidatë", len(people)), nil
}

func (d *phase) darOf(school string) string {
	for _, s := range d.schools {
		if s.code == school {
			return s.dar
		}
	}
	return ""
}

func schoolCommission(code string) *auth.Principal {
	return &auth.Principal{Username: "kshmsh." + strings.ToLower(code), Role: auth.RoleKSHMSH, School: code}
}

func (d *phase) eachSchool(fn func(s demoSchool) (int, error)) (int, error) {
	total := 0
	for _, s := range d.schools {
		n, err := fn(s)
		if err != nil {
			return total, fmt.Errorf("%s: %w", s.code, err)
		}
		total += n
	}
	return total, nil
}

func (d *phase) confirm() (string, error) {
	n, err := d.eachSchool(func(s demoSchool) (int, error) {
		return d.svc.Confirm(d.ctx, schoolCommission(s.code), s.code, nil, "")
	})
	return fmt.Sprintf("%d formularë të konfirmuar", n), err
}

func (d *phase) sendSchools() (string, error) {
	schools := 0
	n, err := d.eachSchool(func(s demoSchool) (int, error) {
		got, err := d.svc.SendToKMSH(d.ctx, schoolCommission(s.code), s.code, "")
		if err == nil {
			schools++
		}
		if err != nil && strings.Contains(err.Error(), "asnjë formular") {
			return 0, nil // a school without candidates this year
		}
		return got, err
	})
	return fmt.Sprintf("%d shkolla, %d formularë", schools, n), err
}

func (d *phase) darKMSH() map[string]*auth.Principal {
	out := map[string]*auth.Principal{}
	for _, s := range d.schools {
		out[s.dar] = &auth.Principal{Username: "kmsh." + strings.ToLower(s.dar), Role: auth.RoleKMSH, Unit: s.dar}
	}
	return out
}

func (d *phase) verify() (string, error) {
	kmsh := d.darKMSH()
	n, err := d.eachSchool(func(s demoSchool) (int, error) {
		got, err := d.svc.VerifySchool(d.ctx, kmsh[s.dar], s.code, "")
		if err != nil && strings.Contains(err.Error(), "nuk i ka dërguar") {
			return 0, nil
		}
		return got, err
	})
	if err != nil {
		return "", err
	}
	for dar, p := range kmsh {
		if _, err := d.svc.SendUnitToAVA(d.ctx, p, dar, ""); err != nil {
			return "", fmt.Errorf("%s: %w", dar, err)
		}
	}
	return fmt.Sprintf("%d formularë, %d DAR", n, len(kmsh)), nil
}

func (d *phase) regNos() (string, error) {
	n, err := d.svc.AssignRegistrationNumbers(d.ctx, d.ava, "")
	return fmt.Sprintf("%d numra", n), err
}

// corrections: a few students ask their school to change an elective.
func (d *phase) corrections() (string, error) {
	n := 0
	for i := 0; i < len(d.students) && n < 25; i += 997 {
		s := d.students[i]
		if len(s.electives) != 2 || s.cat != registry.Maturant {
			continue
		}
		a, err := d.svc.ForStudent(d.ctx, d.ava, s.id)
		if err != nil {
			continue
		}
		var change []string
		for _, b := range []string{"ANG", "INF", "HIS", "FIZ"} {
			if b != s.electives[0] && b != s.electives[1] && d.apart(s.electives[0], b) {
				change = []string{s.electives[0], b}
				break
			}
		}
		if _, err := d.svc.Correct(d.ctx, schoolCommission(s.school), a.ID, application.CorrectionInput{Electives: change,
			Reason: "Reklamim i nxënësit: në tabelën T u shënua gabim lënda e dytë me zgjedhje"}); err != nil {
			return "", err
		}
		n++
	}
	return fmt.Sprintf("%d korrigjime", n), nil
}

func (d *phase) failing() (string, error) {
	bySchool := map[string][]int64{}
	for _, s := range d.students {
		if s.cat != registry.Maturant || d.rng.Float64() >= failingShare {
			continue
		}
		if a, err := d.svc.ForStudent(d.ctx, d.ava, s.id); err == nil && a.Category == application.Regular {
			bySchool[s.school] = append(bySchool[s.school], a.ID)
		}
	}
	n, err := d.eachSchool(func(s demoSchool) (int, error) {
		if len(bySchool[s.code]) == 0 {
			return 0, nil
		}
		return d.svc.MarkFailing(d.ctx, schoolCommission(s.code), s.code, bySchool[s.code], true, "")
	})
	return fmt.Sprintf("%d nxënës mbetës", n), err
}

func (d *phase) failingToAVA() (string, error) {
	n := 0
	for dar, p := range d.darKMSH() {
		got, err := d.svc.SendFailingToAVA(d.ctx, p, dar, "")
		if err != nil {
			return "", err
		}
		n += got
	}
	// No exclusions of last year: an exclusion belongs to an exam the
	// candidate was listed for (Neni 54, 55.2), and the demo holds one year.
	return fmt.Sprintf("%d mbetës të njoftuar", n), nil
}

func (d *phase) finalLists() (string, error) {
	sum, err := d.svc.BuildFinalLists(d.ctx, d.ava, "")
	if err != nil {
		return "", err
	}
	var electives []string
	for _, sub := range d.year.Config.Electives() {
		if n := sum.Exams[sub.Code]; n > 0 {
			electives = append(electives, fmt.Sprintf("%s: %d", sub.Code, n))
		}
	}
	return fmt.Sprintf("%d kandidatë në lista (D1: %d, D2: %d; lëndët me zgjedhje — %s); jashtë: %d mbetës, %d sipas Nenit 55.2, %d pa lëndët me zgjedhje (Neni 17)",
		sum.Total, sum.Exams["D1"], sum.Exams["D2"], strings.Join(electives, ", "), sum.Failing, sum.Barred, sum.Electives), nil
}

// fileA2 enters the A2 forms with their receipts, ranking programmes that
// fit the candidate's electives.
func (d *phase) fileA2() (string, error) {
	var open, academies []string
	for _, p := range programmes {
		if p.NoElectives {
			academies = append(academies, p.Code)
		} else {
			open = append(open, p.Code)
		}
	}
	file := newPartedFile(strings.Join(application.A2Columns, ","))
	n := 0
	for _, s := range d.students {
		if !s.filed {
			continue
		}
		pool := open
		if len(s.electives) == 0 {
			if s.profile != "arte" && s.profile != "sport" {
				continue
			}
			pool = academies
		}
		if d.rng.Float64() > a2Share {
			continue
		}
		k := min(len(pool), 3+d.rng.IntN(8))
		perm := d.rng.Perm(len(pool))[:k]
		var codes []string
		for _, i := range perm {
			codes = append(codes, pool[i])
		}
		n++
		fmt.Fprintf(file.line(), "%s,MA-%d-%06d,%d-05-%02d,%d,%s\n", s.personalNo, d.year.Year, n, d.year.Year, 1+d.rng.IntN(28),
			d.year.Config.Fees.A2, strings.Join(codes, ";"))
	}
	got, err := file.each("A2", func(name string, r io.Reader) (int, error) { return d.svc.ImportA2(d.ctx, d.ava, name, r, "") })
	if err != nil {
		return "", importErr(err)
	}
	return fmt.Sprintf("%d formularë A2", got), nil
}
