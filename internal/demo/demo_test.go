package demo

import (
	"context"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/store/storetest"
)

var ava = &auth.Principal{Username: "demo", Role: auth.RoleAVA}

const seed = 20270601

// national is the full-size country of seed, generated once for the tests
// that only read it (each generation of 35,000 students takes a while).
var national = sync.OnceValue(func() *Dataset { return Generate(seed, 2027) })

// col returns the values of one column of a table (header excluded).
func col(tab [][]string, name string) []string {
	i := -1
	for j, h := range tab[0] {
		if h == name {
			i = j
		}
	}
	var out []string
	for _, r := range tab[1:] {
		out = append(out, r[i])
	}
	return out
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return n
}

func TestGenerateDeterministic(t *testing.T) {
	t.Parallel()
	a, b := national(), Generate(seed, 2027)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed gave different data")
	}
	c := Generate(seed+1, 2027)
	for _, e := range []string{"schools", "students", "staff", "venues"} {
		if reflect.DeepEqual(a.Table(e), c.Table(e)) {
			t.Errorf("%s: different seeds gave the same table", e)
		}
	}
	if !reflect.DeepEqual(a.Units, c.Units) {
		t.Error("the DAR/ZA are fixed and should not depend on the seed")
	}
	for _, e := range Entities {
		if got, want := a.Table(e)[0], registry.Header(e); !reflect.DeepEqual(got, want) {
			t.Errorf("%s header %v, want %v", e, got, want)
		}
	}
}

func TestGenerateShape(t *testing.T) {
	t.Parallel()
	const year = 2027
	d := national()

	// Units: the 12 DAR at their seats and the ZA under them.
	dars := map[string]string{}
	za := 0
	for _, r := range d.Units[1:] {
		switch r[2] {
		case "DAR":
			dars[r[1]] = r[4]
		case "ZA":
			za++
		}
	}
	wantDAR := map[string]string{"DAR Berat": "Berat", "DAR Dibër": "Peshkopi", "DAR Durrës": "Durrës", "DAR Elbasan": "Elbasan",
		"DAR Fier": "Fier", "DAR Gjirokastër": "Gjirokastër", "DAR Korçë": "Korçë", "DAR Kukës": "Kukës", "DAR Lezhë": "Lezhë",
		"DAR Shkodër": "Shkodër", "DAR Tiranë": "Tiranë", "DAR Vlorë": "Vlorë"}
	if !reflect.DeepEqual(dars, wantDAR) {
		t.Errorf("DAR = %v", dars)
	}
	if za < 30 {
		t.Errorf("%d ZA, want ≥ 30", za)
	}

	// Schools: ~500, ~15% non-public, Tirana the largest region.
	type sch struct {
		unit   string
		public bool
		years  int
		n      int
	}
	schools := map[string]*sch{}
	private := 0
	for _, r := range d.Schools[1:] {
		s := &sch{unit: r[2], public: r[4] == "po", years: atoi(t, r[6])}
		schools[r[0]] = s
		if !s.public {
			private++
		}
		if _, ok := registry.Profiles[r[5]]; !ok {
			t.Errorf("school %s: profile %q", r[0], r[5])
		}
		if s.years == 5 && r[5] != "profesionale" {
			t.Errorf("school %s: %s with 5 years", r[0], r[5])
		}
	}
	if n := len(schools); n < 450 || n > 550 {
		t.Errorf("%d schools", n)
	}
	if f := float64(private) / float64(len(schools)); f < 0.10 || f > 0.20 {
		t.Errorf("%.0f%% non-public schools", 100*f)
	}

	// Students: valid, unique personal numbers matching sex and birth date;
	// ages and grades as in a real year.
	st := d.Students
	nids := map[string]bool{}
	sum, kandidat := 0.0, 0
	for i, r := range st[1:] {
		n, err := registry.ParseNID(r[0])
		if err != nil || nids[r[0]] {
			t.Fatalf("row %d: personal number %s: %v (duplicate %v)", i+2, r[0], err, nids[r[0]])
		}
		nids[r[0]] = true
		if n.Sex != r[4] || n.BirthDate.Format("02.01.2006") != r[5] {
			t.Fatalf("row %d: %v does not match its personal number", i+2, r)
		}
		g, _ := strconv.ParseFloat(r[8], 64)
		if g < 5 || g > 10 || len(r[8]) != 4 && r[8] != "10.00" {
			t.Fatalf("row %d: grade %q", i+2, r[8])
		}
		sum += g
		age := year - n.BirthDate.Year()
		s := schools[r[6]]
		switch r[9] {
		case registry.Maturant:
			s.n++
			if age < 18 || age > 21 {
				t.Fatalf("row %d: maturant born %s", i+2, r[5])
			}
			if want := strconv.Itoa(8 + s.years); !strings.HasPrefix(r[7], want) {
				t.Fatalf("row %d: class %s in a %d-year school", i+2, r[7], s.years)
			}
		case registry.Kandidat:
			kandidat++
			if age < 20 {
				t.Fatalf("row %d: kandidat born %s", i+2, r[5])
			}
		default:
			t.Fatalf("row %d: category %q", i+2, r[9])
		}
		if r[10] != "" && (len(r[10]) != 12 || !strings.HasPrefix(r[10], "06")) {
			t.Fatalf("row %d: phone %q", i+2, r[10])
		}
	}
	if n := len(st) - 1; n < 34000 || n > 37000 {
		t.Errorf("%d students", n)
	}
	if f := float64(kandidat) / float64(len(st)-1); f < 0.02 || f > 0.04 {
		t.Errorf("%.1f%% kandidat", 100*f)
	}
	if mean := sum / float64(len(st)-1); math.Abs(mean-7.5) > 0.4 {
		t.Errorf("mean grade %.2f", mean)
	}
	small := 0
	for code, s := range schools {
		if s.n == 0 {
			t.Errorf("school %s has no maturants", code)
		}
		if s.n <= 20 {
			small++
		}
	}
	if small < 30 {
		t.Errorf("%d schools with ≤ 20 maturants, want ≥ 30", small)
	}

	// Staff: a director per school, Albanian and mathematics teachers in
	// every school, personal numbers unique among all people.
	directors := map[string]int{}
	d1d2 := map[string]int{}
	for i, r := range d.Staff[1:] {
		if nids[r[0]] {
			t.Fatalf("staff row %d: personal number %s used twice", i+2, r[0])
		}
		nids[r[0]] = true
		if _, ok := registry.Positions[r[7]]; !ok {
			t.Fatalf("staff row %d: position %q", i+2, r[7])
		}
		if r[6] != "" && schools[r[6]].unit != r[5] {
			t.Fatalf("staff row %d: school %s is not in %s", i+2, r[6], r[5])
		}
		switch {
		case r[7] == "drejtor":
			directors[r[6]]++
		case r[7] == "mesues":
			for _, sub := range strings.Split(r[8], ",") {
				d1d2[r[6]+sub]++
			}
		case r[7] == "specialist" && r[6] != "":
			t.Fatalf("staff row %d: specialist in a school", i+2)
		}
	}
	if n := len(d.Staff) - 1; n < 4800 || n > 6000 {
		t.Errorf("%d staff", n)
	}
	for code := range schools {
		if directors[code] != 1 || d1d2[code+"D1"] == 0 || d1d2[code+"D2"] == 0 {
			t.Errorf("school %s: %d directors, %d D1 and %d D2 teachers", code, directors[code], d1d2[code+"D1"], d1d2[code+"D2"])
		}
	}

	// Venues: the public schools' buildings, each seating more than its own
	// candidates, each unit seating all of its candidates.
	seats := map[string]int{}
	unitSeats := map[string]int{}
	for i, r := range d.Venues[1:] {
		n, floor, floors := atoi(t, r[9]), atoi(t, r[8]), atoi(t, r[6])
		if n < 15 || n > 30 || floor < 0 || floor >= floors {
			t.Fatalf("venue row %d: %v", i+2, r)
		}
		s := schools[r[3]]
		if r[0] != "Q-"+r[3] || !s.public || s.unit != r[2] {
			t.Fatalf("venue row %d: %v", i+2, r)
		}
		seats[r[3]] += n
		unitSeats[r[2]] += n
	}
	if n := len(d.Venues) - 1; n < 1300 || n > 1800 {
		t.Errorf("%d rooms", n)
	}
	kand := map[string]int{}
	for _, r := range st[1:] {
		if r[9] == registry.Kandidat {
			kand[r[6]]++
		}
	}
	unitNeed := map[string]int{}
	for code, s := range schools {
		own := s.n + kand[code]
		unitNeed[s.unit] += own
		if s.public && seats[code] <= own {
			t.Errorf("venue of %s: %d seats for %d candidates", code, seats[code], own)
		}
		if !s.public && seats[code] != 0 {
			t.Errorf("non-public school %s has a venue", code)
		}
	}
	for u, need := range unitNeed {
		if unitSeats[u] < need {
			t.Errorf("%s: %d seats for %d candidates", u, unitSeats[u], need)
		}
	}
}

// validName is the registry's rule for names (validate.go).
func validName(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && r != ' ' && r != '-' && r != '\'' {
			return false
		}
	}
	return s != ""
}

func TestNames(t *testing.T) {
	t.Parallel()
	lists := map[string][]string{
		"boysNames": boysNames, "girlsNames": girlsNames, "fathersNames": fathersNames, "womenNames": womenNames,
		"surnames": surnames, "northSurnames": northSurnames, "southSurnames": southSurnames,
	}
	all := strings.Builder{}
	for name, l := range lists {
		seen := map[string]bool{}
		for _, n := range l {
			if !validName(n) || seen[n] {
				t.Errorf("%s: %q invalid or repeated", name, n)
			}
			seen[n] = true
			all.WriteString(strings.ToLower(n) + " ")
		}
	}
	for name, l := range map[string][]string{"figures": figures, "privateNames": privateNames, "artists": artists, "athletes": athletes} {
		seen := map[string]bool{}
		for _, n := range l {
			if seen[n] {
				t.Errorf("%s: %q repeated", name, n)
			}
			seen[n] = true
		}
	}
	if len(boysNames) < 100 || len(girlsNames) < 100 || len(fathersNames) < 100 || len(womenNames) < 100 {
		t.Error("want at least 100 first names per sex and generation")
	}
	if n := len(surnames) + len(northSurnames) + len(southSurnames); n < 150 {
		t.Errorf("%d surnames, want ≥ 150", n)
	}
	for _, s := range []string{"ë", "ç", "dh", "gj", "ll", "nj", "rr", "sh", "th", "xh", "zh"} {
		if !strings.Contains(all.String(), s) {
			t.Errorf("no name contains %q", s)
		}
	}

	// The generated data uses them: ë and ç in names of people, schools and places.
	d := GenerateN(seed, 2027, 3000)
	for _, c := range []struct {
		tab  [][]string
		cols []string
	}{
		{d.Units, []string{"emri"}}, {d.Schools, []string{"emri"}},
		{d.Students, []string{"emri", "mbiemri"}}, {d.Staff, []string{"emri", "atesia", "mbiemri"}},
	} {
		var text string
		for _, name := range c.cols {
			text += strings.ToLower(strings.Join(col(c.tab, name), " "))
		}
		if !strings.ContainsRune(text, 'ë') || !strings.ContainsRune(text, 'ç') {
			t.Errorf("names %v of %v…: no ë or ç", c.cols, c.tab[0][:3])
		}
	}
}

// load loads d into a fresh database, checks the registry holds it all,
// and that a second import of every table changes nothing.
func load(t testing.TB, d *Dataset) registry.Counts {
	ctx := context.Background()
	reg := registry.NewService(storetest.Open(t))
	if err := Load(ctx, reg, ava, d, func(msg string) { t.Log(msg) }); err != nil {
		t.Fatal(err)
	}
	c, err := reg.Count(ctx, ava)
	if err != nil {
		t.Fatal(err)
	}
	rows := func(e string) int { return len(d.Table(e)) - 1 }
	seats := 0
	for _, n := range col(d.Venues, "vende") {
		k, _ := strconv.Atoi(n)
		seats += k
	}
	want := registry.Counts{Units: rows("units"), Schools: rows("schools"), Students: rows("students"), Staff: rows("staff"),
		Venues: len(uniq(col(d.Venues, "kodi_qendres"))), Rooms: rows("venues"), Seats: seats}
	if c != want {
		t.Errorf("registry holds %+v, want %+v", c, want)
	}
	for _, e := range Entities {
		res, err := reg.Import(ctx, ava, e, e+".csv", strings.NewReader(string(d.CSV(e))), nil)
		if err != nil || res.Unchanged != rows(e) || res.Created+res.Updated != 0 {
			t.Errorf("re-import of %s: %+v, %v", e, res, err)
		}
	}
	return c
}

func uniq(s []string) map[string]bool {
	m := map[string]bool{}
	for _, x := range s {
		m[x] = true
	}
	return m
}

// TestLoadSmall loads a scaled-down country; it runs in short mode too.
func TestLoadSmall(t *testing.T) {
	t.Parallel()
	c := load(t, GenerateN(seed, 2027, 1500))
	if c.Units != 52 || c.Schools < 52 || c.Students < 1500 {
		t.Errorf("%+v", c)
	}
}

func TestLoadValid(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("loads 36,000 students; TestLoadSmall covers short mode")
	}
	start := time.Now()
	d := national()
	c := load(t, d)
	t.Logf("generated, loaded and re-imported in %.1fs: %+v", time.Since(start).Seconds(), c)
	kinds := map[string]int{}
	for _, k := range col(d.Units, "lloji") {
		kinds[k]++
	}
	if kinds["DAR"] != 12 || kinds["ZA"] < 30 {
		t.Errorf("units %v", kinds)
	}
	if c.Schools < 450 || c.Schools > 550 {
		t.Errorf("%d schools", c.Schools)
	}
	if c.Students < 34000 || c.Students > 37000 {
		t.Errorf("%d students", c.Students)
	}
}

// BenchmarkLoad35k measures building the demo: generation and import of
// the whole country into a fresh SQLite database.
//
//	go test ./internal/demo -run '^$' -bench Load35k -benchtime 1x
func BenchmarkLoad35k(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		reg := registry.NewService(storetest.Open(b))
		b.StartTimer()
		if err := Load(ctx, reg, ava, Generate(seed, 2027), nil); err != nil {
			b.Fatal(err)
		}
	}
}
