package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"

	"provim/internal/registry"
)

// School kinds of the generator; each maps to a registry profile.
type kind int

const (
	kindGjimnaz   kind = iota // town general gymnasium
	kindBashkuar              // rural "shkollë e mesme e bashkuar", small
	kindNatyrore              // natural sciences gymnasium
	kindShoqerore             // social sciences gymnasium
	kindGjuhe                 // foreign languages school
	kindProf                  // vocational
	kindArte                  // art lyceum
	kindSport                 // sports school
	kindPrivate               // non-public (its profile is drawn separately)
)

// Tuning of the national picture.
const (
	studentsPerSchool = 70   // maturants per school on average
	kandidatShare     = 0.03 // kandidat per maturant (Neni 2.4)
	classSize         = 30   // largest class
	teachersPer       = 8    // maturants per registered teacher (enough for the draw of Neni 47, 50)
)

// Random streams: each part of the data draws from its own, so a change in
// one part leaves the others as they were.
const (
	streamSchools = iota + 1
	streamStudents
	streamStaff
	streamVenues
)

type unitRef struct {
	place
	kind   string // "DAR" or "ZA"
	parent string
	region *region
}

type school struct {
	code, name, city, address string
	unit                      *unitRef
	kind                      kind
	public                    bool
	profile                   string
	years                     int
	base                      float64 // drawn size before scaling to the national total
	maturants, kandidat       int
}

type generator struct {
	seed     int64
	year     int
	students int
	units    []*unitRef
	schools  []*school
	nids     *nidAllocator
}

func newGenerator(seed int64, year, students int) *generator {
	g := &generator{seed: seed, year: year, students: max(students, 1), nids: newNIDAllocator()}
	for i := range regions {
		r := &regions[i]
		g.units = append(g.units, &unitRef{place: r.dar, kind: "DAR", region: r})
		for _, z := range r.zas {
			g.units = append(g.units, &unitRef{place: z, kind: "ZA", parent: r.dar.code, region: r})
		}
	}
	return g
}

func (g *generator) rng(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(g.seed), 0x5eed_0000+stream))
}

func (g *generator) run() *Dataset {
	g.makeSchools(g.rng(streamSchools))
	d := &Dataset{Units: g.unitsTable(), Schools: g.schoolsTable()}
	d.Students = g.studentsTable(g.rng(streamStudents))
	d.Staff = g.staffTable(g.rng(streamStaff))
	d.Venues = g.venuesTable(g.rng(streamVenues))
	return d
}

// ---- tables ----

// table builds rows in the canonical column order of an entity.
type table struct {
	pos  map[string]int
	rows [][]string
}

func newTable(entity string) *table {
	h := registry.Header(entity)
	t := &table{pos: map[string]int{}, rows: [][]string{h}}
	for i, c := range h {
		t.pos[c] = i
	}
	return t
}

// add appends a row given as column/value pairs; columns left out are empty.
func (t *table) add(kv ...string) {
	row := make([]string, len(t.pos))
	for i := 0; i+1 < len(kv); i += 2 {
		p, ok := t.pos[kv[i]]
		if !ok {
			panic("demo: unknown column " + kv[i])
		}
		row[p] = kv[i+1]
	}
	t.rows = append(t.rows, row)
}

func yesNo(b bool) string {
	if b {
		return "po"
	}
	return "jo"
}

func (g *generator) unitsTable() [][]string {
	t := newTable("units")
	for _, u := range g.units {
		t.add("kodi", u.code, "emri", u.kind+" "+u.name, "lloji", u.kind, "kodi_prind", u.parent, "qyteti", u.city)
	}
	return t.rows
}

func (g *generator) schoolsTable() [][]string {
	t := newTable("schools")
	for _, s := range g.schools {
		t.add("kodi", s.code, "emri", s.name, "kodi_dar_za", s.unit.code, "qyteti", s.city, "publike", yesNo(s.public),
			"profili", s.profile, "vite", strconv.Itoa(s.years), "adresa", s.address)
	}
	return t.rows
}

// ---- schools ----

func (g *generator) makeSchools(rng *rand.Rand) {
	n := max(len(g.units), int(math.Round(float64(g.students)/studentsPerSchool)))
	weights := make([]float64, len(g.units))
	for i, u := range g.units {
		weights[i] = u.pop
	}
	perUnit := apportion(weights, n, 1)
	names := newNamer(rng)
	next := map[string]int{} // school number per region prefix
	for i, u := range g.units {
		counts := map[kind]int{}
		for j := 0; j < perUnit[i]; j++ {
			k := kindGjimnaz
			if j > 0 {
				k = drawKind(rng, u, counts)
			}
			counts[k]++
			s := g.newSchool(rng, names, u, k)
			next[u.region.prefix]++
			s.code = fmt.Sprintf("%s-%03d", u.region.prefix, next[u.region.prefix])
			g.schools = append(g.schools, s)
		}
	}
	g.sizeSchools(rng)
}

// drawKind picks the kind of a unit's next school. Non-public schools
// cluster in the big cities; art and sports schools are in DAR seats only,
// one each (two in Tirana).
func drawKind(rng *rand.Rand, u *unitRef, counts map[kind]int) kind {
	private := 0.05
	if u.kind == "DAR" {
		private = 0.16
		if u.code == "DAR-TR" {
			private = 0.33
		}
	}
	if rng.Float64() < private {
		return kindPrivate
	}
	type w struct {
		k kind
		p float64
	}
	table := []w{{kindGjimnaz, 45}, {kindBashkuar, 28}, {kindProf, 22}, {kindNatyrore, 3}, {kindShoqerore, 2}}
	if u.kind == "DAR" {
		table = []w{{kindGjimnaz, 40}, {kindBashkuar, 18}, {kindProf, 24}, {kindNatyrore, 5}, {kindShoqerore, 4},
			{kindGjuhe, 3}, {kindArte, 3}, {kindSport, 3}}
	}
	sum := 0.0
	for _, x := range table {
		sum += x.p
	}
	r := rng.Float64() * sum
	k := kindGjimnaz
	for _, x := range table {
		if r < x.p {
			k = x.k
			break
		}
		r -= x.p
	}
	limit := 1
	if u.code == "DAR-TR" {
		limit = 2
	}
	if (k == kindArte || k == kindSport || k == kindGjuhe) && counts[k] >= limit {
		k = kindGjimnaz
	}
	return k
}

func (g *generator) newSchool(rng *rand.Rand, names *namer, u *unitRef, k kind) *school {
	s := &school{unit: u, kind: k, public: true, years: 4, city: u.city}
	size := func(lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }
	big := 1.0
	if u.kind == "DAR" {
		big = 1.6
		if u.code == "DAR-TR" {
			big = 2.0
		}
	}
	switch k {
	case kindGjimnaz:
		s.profile = "gjimnaz"
		s.name = names.public(s.city, "Gjimnazi")
		s.base = size(45, 120) * big
	case kindBashkuar:
		s.profile = "gjimnaz"
		s.city = u.places[rng.IntN(len(u.places))]
		s.name = names.public(s.city, "Shkolla e Mesme e Bashkuar")
		s.base = size(6, 24)
	case kindNatyrore:
		s.profile = "shkenca_natyrore"
		s.name = names.public(s.city, "Gjimnazi i Shkencave të Natyrës")
		s.base = size(60, 130)
	case kindShoqerore:
		s.profile = "shkenca_shoqerore"
		s.name = names.public(s.city, "Gjimnazi i Shkencave Shoqërore")
		s.base = size(50, 110)
	case kindGjuhe:
		s.profile = "gjuhe_te_huaja"
		s.name = names.public(s.city, "Shkolla e Gjuhëve të Huaja")
		s.base = size(70, 140)
	case kindProf:
		s.profile = "profesionale"
		if rng.Float64() < 0.25 {
			s.years = 5
		}
		s.name = names.public(s.city, vocationalKinds[rng.IntN(len(vocationalKinds))])
		s.base = size(30, 110)
	case kindArte:
		s.profile = "arte"
		s.name = names.from(s.city, "Liceu Artistik", artists)
		s.base = size(22, 50)
	case kindSport:
		s.profile = "sport"
		s.name = names.from(s.city, "Shkolla Sportive", athletes)
		s.base = size(18, 45)
	case kindPrivate:
		s.public = false
		prefix := []string{"Shkolla jopublike", "Shkolla jopublike", "Gjimnazi jopublik", "Kolegji"}[rng.IntN(4)]
		switch r := rng.Float64(); {
		case r < 0.68:
			s.profile = "gjimnaz"
		case r < 0.83:
			s.profile = "gjuhe_te_huaja"
			prefix = "Shkolla jopublike e Gjuhëve të Huaja"
		case r < 0.93:
			s.profile = "profesionale"
			prefix = "Shkolla profesionale jopublike"
		default:
			s.profile = "shkenca_natyrore"
		}
		s.name = names.from(s.city, prefix, privateNames)
		s.base = 10 + 70*math.Pow(rng.Float64(), 1.6)
	}
	s.address = address(rng, s)
	return s
}

func address(rng *rand.Rand, s *school) string {
	if s.kind == kindBashkuar {
		return []string{"Lagjja Qendër", "Rruga e Shkollës", "Rruga Kryesore", "Pranë Shtëpisë së Kulturës"}[rng.IntN(4)]
	}
	return fmt.Sprintf("%s, nr. %d", streets[rng.IntN(len(streets))], 1+rng.IntN(120))
}

// sizeSchools turns the drawn sizes into maturant counts adding up to the
// national total. Rural schools keep their size: the small schools (≤ 20
// maturants) are what venue grouping works on.
func (g *generator) sizeSchools(rng *rand.Rand) {
	var small, others []*school
	smallSum := 0
	for _, s := range g.schools {
		if s.kind == kindBashkuar || s.base <= 20 {
			small = append(small, s)
			smallSum += int(math.Round(s.base))
		} else {
			others = append(others, s)
		}
	}
	if g.students-smallSum < 20*len(others) { // a small run: scale everything
		small, others, smallSum = nil, g.schools, 0
	}
	for _, s := range small {
		s.maturants = int(math.Round(s.base))
	}
	w := make([]float64, len(others))
	for i, s := range others {
		w[i] = s.base
	}
	for i, c := range apportion(w, g.students-smallSum, 1) {
		others[i].maturants = c
	}
	// Kandidat re-register at a school, mostly where they graduated.
	cum := make([]float64, len(g.schools))
	total := 0.0
	for i, s := range g.schools {
		total += float64(s.maturants)
		cum[i] = total
	}
	for range kandidatCount(g.students) {
		i := sort.SearchFloat64s(cum, rng.Float64()*total)
		g.schools[min(i, len(g.schools)-1)].kandidat++
	}
}

// kandidatCount is how many kandidat a country of maturants has: the
// kandidatShare, but never so many that the forms of the year outrun the
// 999,999 registration numbers of one year (Neni 34 ¶2): a country of a
// million maturants has a few thousand kandidat only.
func kandidatCount(maturants int) int {
	share := int(math.Round(float64(maturants) * kandidatShare))
	room := 990_000 - int(math.Round(float64(maturants)*(1-noFormShare)))
	return max(0, min(share, room))
}

// namer gives every school of a town a different name.
type namer struct {
	rng  *rand.Rand
	used map[string]bool // town + "/" + name
}

func newNamer(rng *rand.Rand) *namer { return &namer{rng: rng, used: map[string]bool{}} }

func (n *namer) public(city, prefix string) string { return n.from(city, prefix, figures) }

// from names a school `prefix "X"` after an X of list not yet used in city.
func (n *namer) from(city, prefix string, list []string) string {
	start := n.rng.IntN(len(list))
	for i := range list {
		x := list[(start+i)%len(list)]
		if !n.used[city+"/"+x] {
			n.used[city+"/"+x] = true
			return prefix + ` "` + x + `"`
		}
	}
	for i := 2; ; i++ { // every name is taken in this town
		x := fmt.Sprintf("%s nr. %d", prefix, i)
		if !n.used[city+"/"+x] {
			n.used[city+"/"+x] = true
			return x
		}
	}
}

// apportion splits total into integer shares proportional to weights, each
// at least minEach when the total allows (largest remainder method).
func apportion(weights []float64, total, minEach int) []int {
	n := len(weights)
	out := make([]int, n)
	if n == 0 {
		return out
	}
	if total < n*minEach {
		minEach = 0
	}
	rest := total - n*minEach
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	type rem struct {
		i int
		f float64
	}
	rems := make([]rem, n)
	given := 0
	for i, w := range weights {
		q := float64(rest) * w / sum
		fl := int(q)
		out[i] = minEach + fl
		given += fl
		rems[i] = rem{i, q - float64(fl)}
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].f > rems[b].f })
	for k := 0; given < rest; k++ {
		out[rems[k%n].i]++
		given++
	}
	return out
}
