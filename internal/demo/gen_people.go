package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"provim/internal/registry"
)

// ---- people ----

// pickCommon picks from a list ordered by frequency, favouring its head.
func pickCommon(rng *rand.Rand, list []string) string {
	return list[int(float64(len(list))*math.Pow(rng.Float64(), 1.7))]
}

// surname picks a family name, with regional names in the north and south.
func surname(rng *rand.Rand, side string) string {
	if rng.Float64() < 0.3 {
		switch side {
		case "N":
			return pickCommon(rng, northSurnames)
		case "S":
			return pickCommon(rng, southSurnames)
		}
	}
	return pickCommon(rng, surnames)
}

func phone(rng *rand.Rand) string {
	p := []string{"069", "069", "068", "067"}[rng.IntN(4)]
	return fmt.Sprintf("%s %03d %04d", p, rng.IntN(1000), rng.IntN(10000))
}

// birthday is a random day of year y.
func birthday(rng *rand.Rand, y int) time.Time {
	first := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC).Sub(first).Hours() / 24)
	return first.AddDate(0, 0, rng.IntN(days))
}

// nidAllocator hands out unique personal numbers: the serial runs per
// birth date and sex, as the civil registry's does.
type nidAllocator struct {
	next map[string]int
	used map[string]bool
}

func newNIDAllocator() *nidAllocator {
	return &nidAllocator{next: map[string]int{}, used: map[string]bool{}}
}

func (a *nidAllocator) take(rng *rand.Rand, birth time.Time, sex string) string {
	k := birth.Format("20060102") + sex
	serial, ok := a.next[k]
	if !ok {
		serial = rng.IntN(600)
	}
	for {
		serial++
		n := registry.MakeNID(birth, sex, serial)
		if !a.used[n] {
			a.used[n] = true
			a.next[k] = serial
			return n
		}
	}
}

// grade draws an average grade 5.00–10.00 centred near 7.5.
func grade(rng *rand.Rand, mean float64) string {
	for {
		g := mean + 1.15*rng.NormFloat64()
		if g >= 5 && g <= 10 {
			return strconv.FormatFloat(g, 'f', 2, 64)
		}
	}
}

func (g *generator) studentsTable(rng *rand.Rand) [][]string {
	t := newTable("students")
	for _, s := range g.schools {
		girls, mean := 0.53, 7.5
		switch s.profile {
		case "profesionale":
			girls, mean = 0.32, 7.0
		case "sport":
			girls = 0.38
		case "shkenca_natyrore", "gjuhe_te_huaja":
			girls, mean = 0.58, 7.9
		}
		if !s.public {
			mean += 0.3
		}
		final := 12
		if s.years == 5 {
			final = 13
		}
		classes := max(1, (s.maturants+classSize-1)/classSize)
		for i := range s.maturants {
			age := 18 // born in examYear-18: 17 or 18 at the exam
			switch r := rng.Float64(); {
			case r < 0.10:
				age = 19
			case r < 0.13:
				age = 20
			}
			if s.years == 5 {
				age++
			}
			class := fmt.Sprintf("%d%c", final, 'A'+i*classes/s.maturants)
			g.student(t, rng, s, girls, mean, age, class, registry.Maturant)
		}
		for range s.kandidat {
			age := 20 + int(12*math.Pow(rng.Float64(), 2.5)) // certified a year or more ago
			g.student(t, rng, s, girls, mean, age, "", registry.Kandidat)
		}
	}
	return t.rows
}

func (g *generator) student(t *table, rng *rand.Rand, s *school, girls, mean float64, age int, class, category string) {
	sex, first := "M", pickCommon(rng, boysNames)
	if rng.Float64() < girls {
		sex, first = "F", pickCommon(rng, girlsNames)
		mean += 0.25
	}
	birth := birthday(rng, g.year-age)
	tel := ""
	if category == registry.Kandidat || rng.Float64() < 0.9 {
		tel = phone(rng)
	}
	t.add("nr_personal", g.nids.take(rng, birth, sex), "emri", first, "atesia", pickCommon(rng, fathersNames),
		"mbiemri", surname(rng, s.unit.region.side), "gjinia", sex, "datelindja", birth.Format("02.01.2006"),
		"kodi_shkolles", s.code, "klasa", class, "nota_mesatare", grade(rng, mean), "kategoria", category, "telefoni", tel)
}

// ---- staff ----

// subjectWeights gives how often teachers of a profile teach each subject:
// D1 Albanian language and literature, D2 mathematics, then the electives.
func subjectWeights(profile string) ([]string, []float64) {
	codes := []string{"D1", "D2", "ANG", "FIZ", "KIM", "BIO", "HIS", "GJE", "FRE", "ITA", "GJER", "EKO", "FIL", "INF"}
	w := []float64{16, 16, 10, 7, 6, 6, 7, 5, 3, 4, 2, 4, 4, 6}
	boost := func(code string, f float64) { w[slices.Index(codes, code)] *= f }
	switch profile {
	case "shkenca_natyrore":
		boost("FIZ", 2.5)
		boost("KIM", 2.5)
		boost("BIO", 2.5)
	case "shkenca_shoqerore":
		boost("HIS", 2.5)
		boost("GJE", 2)
		boost("FIL", 2.5)
		boost("EKO", 1.5)
	case "gjuhe_te_huaja":
		boost("ANG", 3)
		boost("FRE", 4)
		boost("ITA", 3)
		boost("GJER", 4)
	case "profesionale":
		boost("EKO", 4)
		boost("INF", 3)
		boost("FIZ", 1.5)
	}
	return codes, w
}

// secondSubject is what a teacher of a subject often also teaches.
var secondSubject = map[string]string{
	"FIZ": "INF", "KIM": "BIO", "BIO": "KIM", "HIS": "GJE", "GJE": "HIS", "FIL": "HIS", "D2": "FIZ", "ITA": "ANG", "EKO": "INF",
}

func drawSubject(rng *rand.Rand, codes []string, w []float64) string {
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	r := rng.Float64() * sum
	for i, x := range w {
		if r < x {
			return codes[i]
		}
		r -= x
	}
	return codes[len(codes)-1]
}

func (g *generator) staffTable(rng *rand.Rand) [][]string {
	t := newTable("staff")
	person := func(unit *unitRef, school, position, subjects string, women float64) {
		sex, first := "M", pickCommon(rng, fathersNames)
		if rng.Float64() < women {
			sex, first = "F", pickCommon(rng, womenNames)
		}
		age := 26 + rng.IntN(38)
		if position == "drejtor" || position == "nendrejtor" {
			age = 38 + rng.IntN(26)
		}
		birth := birthday(rng, g.year-age)
		t.add("nr_personal", g.nids.take(rng, birth, sex), "emri", first, "atesia", pickCommon(rng, fathersNames),
			"mbiemri", surname(rng, unit.region.side), "gjinia", sex, "kodi_dar_za", unit.code, "kodi_shkolles", school,
			"pozicioni", position, "lendet", subjects, "telefoni", phone(rng))
	}
	for _, s := range g.schools {
		codes, w := subjectWeights(s.profile)
		person(s.unit, s.code, "drejtor", drawSubject(rng, codes, w), 0.45)
		if s.maturants >= 150 {
			person(s.unit, s.code, "nendrejtor", drawSubject(rng, codes, w), 0.6)
		}
		n := max(3, int(math.Round(float64(s.maturants+s.kandidat)/teachersPer)))
		for i := range n {
			sub := drawSubject(rng, codes, w)
			if i < 2 { // every school has an Albanian and a mathematics teacher
				sub = codes[i]
			}
			if second, ok := secondSubject[sub]; ok && rng.Float64() < 0.25 {
				sub += "," + second
			}
			person(s.unit, s.code, "mesues", sub, 0.72)
		}
	}
	for _, u := range g.units {
		// Specialists of the office: the DAR has one for each mandatory
		// subject and some for electives; a ZA one or two.
		subs := []string{"D1", "D2", ""}
		if u.kind == "DAR" {
			codes, w := subjectWeights("gjimnaz")
			for range 2 + rng.IntN(3) {
				subs = append(subs, drawSubject(rng, codes, w))
			}
		} else {
			subs = subs[:1+rng.IntN(2)]
			if rng.Float64() < 0.5 {
				subs[0] = ""
			}
		}
		for _, sub := range subs {
			person(u, "", "specialist", sub, 0.55)
		}
		// University lecturers of the seat (potential markers, Neni 57).
		codes, w := subjectWeights("gjimnaz")
		for i := range universityCities[u.code] * g.students / 35000 {
			sub := drawSubject(rng, codes, w)
			if i < 2 {
				sub = codes[i]
			}
			person(u, "", "pedagog", sub, 0.5)
		}
	}
	return t.rows
}

// ---- venues ----

// venuesTable makes every public school building a venue. Each unit's
// venues seat all its candidates, those of its non-public schools included,
// with a margin; each venue seats more than its own school's candidates.
func (g *generator) venuesTable(rng *rand.Rand) [][]string {
	t := newTable("venues")
	all, public := map[*unitRef]int{}, map[*unitRef]int{}
	for _, s := range g.schools {
		all[s.unit] += s.maturants + s.kandidat
		if s.public {
			public[s.unit] += s.maturants + s.kandidat
		}
	}
	for _, s := range g.schools {
		if !s.public {
			continue
		}
		own := s.maturants + s.kandidat
		share := float64(own) * float64(all[s.unit]) / float64(max(public[s.unit], 1))
		need := int(math.Ceil(max(share, float64(own)*1.05, float64(own+5))))
		minRooms := 2
		if s.kind == kindBashkuar {
			minRooms = 1
		}
		var seats []int
		total := 0
		for total < need || len(seats) < minRooms {
			n := 30 - int(10*math.Pow(rng.Float64(), 2)) // 21–30: most rooms are a full classroom
			if s.kind == kindBashkuar {
				n = 15 + rng.IntN(8)
			}
			seats = append(seats, n)
			total += n
		}
		floors := 1 + rng.IntN(2)
		switch {
		case len(seats) > 12:
			floors = 3 + rng.IntN(2)
		case len(seats) > 4:
			floors = 2 + rng.IntN(2)
		}
		floors = min(floors, len(seats))
		for i, n := range seats {
			t.add("kodi_qendres", "Q-"+s.code, "emri_qendres", s.name, "kodi_dar_za", s.unit.code, "kodi_shkolles", s.code,
				"qyteti", s.city, "adresa", s.address, "kate", strconv.Itoa(floors),
				"salla", "Salla "+strconv.Itoa(i+1), "kati", strconv.Itoa(i*floors/len(seats)), "vende", strconv.Itoa(n),
				"gjatesia_cm", strconv.Itoa(600+10*n+10*(rng.IntN(9)-4)), "gjeresia_cm", strconv.Itoa(550+10*rng.IntN(16)))
		}
	}
	return t.rows
}
