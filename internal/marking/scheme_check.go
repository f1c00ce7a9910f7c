package marking

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"provim/internal/apperr"
	"provim/internal/fold"
)

// The rules a test must meet before it is saved (Neni 57.2–57.4), and the
// reading of items typed as text (a form row, a row of a file).

// Limits of a test.
const (
	MaxItems     = 200  // items of a test
	MaxLabel     = 12   // characters of an item's label ("1", "5a", "12.b")
	MaxLevelText = 2000 // characters of a level's description
	MaxTestTitle = 200  // characters of the title
	MaxLevels    = 50   // levels of an open item
	MaxChoice    = 26   // alternatives of a choice item, A–Z
	// maxTestErrors is how many errors a refusal lists.
	maxTestErrors = 200
)

// testOrigin is where the items of a TestInput came from, for the errors.
type testOrigin struct {
	at   []string     // item i came from at[i] ("rreshti 4"), or ""
	bad  map[int]bool // items of which a reader refused a value (their errors are in errs)
	errs []string     // the reader's errors, in the order met
	// untitled: the file has no title; the test keeps its title, or
	// takes one made of the exam's name.
	untitled bool
}

func (o *testOrigin) fail(format string, args ...any) {
	o.errs = append(o.errs, fmt.Sprintf(format, args...))
}

func (o *testOrigin) refuse(i int, format string, args ...any) {
	if o.bad == nil {
		o.bad = map[int]bool{}
	}
	o.bad[i] = true
	o.fail(format, args...)
}

// itemName names item i in an error: "Kërkesa 3 «5a» (rreshti 7)".
func testItemName(i int, label string, o *testOrigin) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Kërkesa %d", i+1)
	if label != "" {
		fmt.Fprintf(&b, " «%s»", schemeQuote(label))
	}
	if o != nil && i < len(o.at) && o.at[i] != "" {
		fmt.Fprintf(&b, " (%s)", o.at[i])
	}
	return b.String()
}

// checkTest normalises a test (NFC, spaces, kinds, keys, levels from the
// highest) and checks every rule, naming every error with its item and
// where it came from; the sum of the items' maximum points must be the
// subject's points of the year (ex.MaxPoints).
func checkTest(in TestInput, ex Exam, o testOrigin) (TestInput, error) {
	out := TestInput{Title: schemeText(in.Title)}
	switch n := utf8.RuneCountInString(out.Title); {
	case n == 0:
		o.fail("Titulli i testit mungon.")
	case n > MaxTestTitle:
		o.fail("Titulli i testit ka %d shenja, më shumë se %d.", n, MaxTestTitle)
	case schemeInvisible(out.Title):
		o.fail("Titulli i testit ka shenja të padukshme: shkruajeni përsëri.")
	}
	switch {
	case len(in.Items) == 0 && len(o.bad) == 0:
		o.fail("Testi nuk ka asnjë kërkesë (Neni 57.2).")
		return TestInput{}, testRefusal(o.errs)
	case len(in.Items) > MaxItems:
		o.fail("Testi ka %d kërkesa, më shumë se %d që lejohen.", len(in.Items), MaxItems)
		return TestInput{}, testRefusal(o.errs)
	}
	labels := map[string]int{}
	sum, sumKnown := 0, true
	for i, raw := range in.Items {
		it := Item{No: i + 1, Label: schemeText(raw.Label), Kind: itemKindOf(raw.Kind), MaxPoints: raw.MaxPoints,
			Options: raw.Options, Key: strings.ToUpper(strings.TrimSpace(norm.NFC.String(raw.Key)))}
		name := testItemName(i, it.Label, &o)
		if o.bad[i] {
			sumKnown = false
			continue
		}
		switch n := utf8.RuneCountInString(it.Label); {
		case n == 0:
			o.fail("%s: emërtimi mungon (p.sh. «1» ose «5a»).", name)
		case n > MaxLabel:
			o.fail("%s: emërtimi ka %d shenja, më shumë se %d.", name, n, MaxLabel)
		case schemeInvisible(it.Label):
			o.fail("%s: emërtimi ka shenja të padukshme.", name)
		}
		if it.Label != "" {
			if j, dup := labels[fold.Fold(it.Label)]; dup {
				o.fail("%s: emërtimi «%s» është edhe i kërkesës %d: çdo kërkesë ka emërtimin e vet.", name, schemeQuote(it.Label), j+1)
			} else {
				labels[fold.Fold(it.Label)] = i
			}
		}
		pointsOK := it.MaxPoints >= 1 && it.MaxPoints <= ex.MaxPoints
		switch {
		case it.MaxPoints < 1:
			o.fail("%s: pikët maksimale janë %d, ndërsa çdo kërkesë ka të paktën 1 pikë.", name, it.MaxPoints)
		case it.MaxPoints > ex.MaxPoints:
			o.fail("%s: %d pikë, më shumë se %d pikët e gjithë provimit %s.", name, it.MaxPoints, ex.MaxPoints, ex.Code)
		default:
			sum += it.MaxPoints
		}
		sumKnown = sumKnown && pointsOK
		switch it.Kind {
		case KindChoice:
			checkChoice(&o, name, &it, raw)
		case KindShort, KindExtended:
			checkOpen(&o, name, &it, raw, pointsOK)
		default:
			o.fail("%s: lloji «%s» nuk njihet: «choice» (me alternativa), «short» (me përgjigje të shkurtër) ose «extended» (me përgjigje të zgjeruar).", name, schemeQuote(raw.Kind))
		}
		out.Items = append(out.Items, it)
	}
	if sumKnown && sum != ex.MaxPoints {
		if sum < ex.MaxPoints {
			o.fail("Shuma e pikëve maksimale të kërkesave është %d, ndërsa provimi %s (%s) ka %d pikë: mungojnë %d pikë.", sum, ex.Code, ex.Name, ex.MaxPoints, ex.MaxPoints-sum)
		} else {
			o.fail("Shuma e pikëve maksimale të kërkesave është %d, ndërsa provimi %s (%s) ka %d pikë: janë %d pikë më shumë.", sum, ex.Code, ex.Name, ex.MaxPoints, sum-ex.MaxPoints)
		}
	}
	if len(o.errs) > 0 {
		return TestInput{}, testRefusal(o.errs)
	}
	return out, nil
}

// checkChoice: 2–26 alternatives and a key that is one of them; no levels
// (a choice item is scored by its key, Neni 57.4).
func checkChoice(o *testOrigin, name string, it *Item, raw Item) {
	if len(raw.Levels) > 0 {
		o.fail("%s: një kërkesë me alternativa nuk ka nivele: vlerësohet me çelësin (Neni 57.4).", name)
	}
	optionsOK := it.Options >= 2 && it.Options <= MaxChoice
	if !optionsOK {
		o.fail("%s: një kërkesë me alternativa ka nga 2 deri në %d alternativa (A–Z), jo %d.", name, MaxChoice, it.Options)
	}
	switch r, size := utf8.DecodeRuneInString(it.Key); {
	case it.Key == "":
		o.fail("%s: çelësi mungon: shkruani alternativën e saktë (p.sh. «B»).", name)
	case size != len(it.Key) || r < 'A' || r > 'Z':
		o.fail("%s: çelësi «%s» duhet të jetë një shkronjë e vetme, alternativa e saktë.", name, schemeQuote(it.Key))
	case optionsOK && int(r-'A') >= it.Options:
		o.fail("%s: çelësi «%s» nuk është ndër alternativat A–%c.", name, it.Key, rune('A'+it.Options-1))
	}
}

// checkOpen: no alternatives nor key; levels of the scheme (Neni 57.3)
// with a description each, points within 0..max, each once, the highest
// the item's maximum (the full, correct answer).
func checkOpen(o *testOrigin, name string, it *Item, raw Item, pointsOK bool) {
	if it.Options != 0 || it.Key != "" {
		o.fail("%s: një kërkesë me përgjigje të hapur nuk ka alternativa as çelës: vlerësohet sipas niveleve të skemës (Neni 57.3).", name)
	}
	if len(raw.Levels) == 0 {
		o.fail("%s: skema e vlerësimit mungon: jepni nivelet e përgjigjes me pikët e secilit, p.sh. «%d: përgjigje e plotë dhe e saktë» (Neni 57.3).", name, max(it.MaxPoints, 1))
		return
	}
	if len(raw.Levels) > MaxLevels {
		o.fail("%s: %d nivele, më shumë se %d.", name, len(raw.Levels), MaxLevels)
		return
	}
	seen := map[int]bool{}
	top, ok := -1, true
	for _, l := range raw.Levels {
		text := schemeText(l.Text)
		switch n := utf8.RuneCountInString(text); {
		case n == 0:
			o.fail("%s: niveli me %d pikë nuk ka përshkrim.", name, l.Points)
		case n > MaxLevelText:
			o.fail("%s: përshkrimi i nivelit me %d pikë ka %d shenja, më shumë se %d.", name, l.Points, n, MaxLevelText)
		case schemeInvisible(text):
			o.fail("%s: përshkrimi i nivelit me %d pikë ka shenja të padukshme.", name, l.Points)
		}
		switch {
		case l.Points < 0 || (pointsOK && l.Points > it.MaxPoints):
			o.fail("%s: niveli «%s» jep %d pikë, jashtë 0–%d pikëve të kërkesës (Neni 57.3).", name, schemeQuote(text), l.Points, it.MaxPoints)
			ok = false
		case seen[l.Points]:
			o.fail("%s: dy nivele japin nga %d pikë: çdo nivel ka pikët e veta.", name, l.Points)
		}
		seen[l.Points] = true
		top = max(top, l.Points)
		it.Levels = append(it.Levels, Level{Points: l.Points, Text: text})
	}
	if ok && pointsOK && top != it.MaxPoints {
		o.fail("%s: niveli më i lartë jep %d pikë, ndërsa kërkesa ka %d: përgjigja e plotë dhe e saktë merr pikët maksimale (Neni 57.3).", name, top, it.MaxPoints)
	}
	slices.SortStableFunc(it.Levels, func(a, b Level) int { return b.Points - a.Points })
}

// refusal is the error of a test that was not saved, listing every error.
func testRefusal(errs []string) error {
	n := len(errs)
	word := "gabime"
	if n == 1 {
		word = "gabim"
	}
	if n > maxTestErrors {
		errs = append(errs[:maxTestErrors:maxTestErrors], fmt.Sprintf("… dhe %d gabime të tjera.", n-maxTestErrors))
	}
	return &apperr.Error{Code: apperr.Invalid, Message: fmt.Sprintf("Testi nuk u ruajt: ka %d %s, të shënuara më poshtë. Asgjë nuk u ndryshua.", n, word), Details: errs}
}

// kindOf reads an item's kind: the codes choice, short and extended, or
// their Albanian names; anything else is returned as given.
func itemKindOf(s string) string {
	k := strings.Join(strings.Fields(strings.NewReplacer("_", " ", "-", " ").Replace(fold.Fold(s))), " ")
	switch k {
	case KindChoice, "zgjedhje", "me zgjedhje", "alternativa", "me alternativa":
		return KindChoice
	case KindShort, "shkurter", "e shkurter", "pergjigje e shkurter", "me pergjigje te shkurter":
		return KindShort
	case KindExtended, "zgjeruar", "e zgjeruar", "pergjigje e zgjeruar", "me pergjigje te zgjeruar":
		return KindExtended
	}
	return strings.TrimSpace(s)
}

// cleanText is s in NFC with runs of white space made one space.
func schemeText(s string) string { return strings.Join(strings.Fields(norm.NFC.String(s)), " ") }

// invisible reports a control or format character.
func schemeInvisible(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError })
}

// quote is a value as an error repeats it, cut after 40 characters.
func schemeQuote(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:40]) + "…"
}

func encodeLevels(levels []Level) string {
	b, _ := json.Marshal(levels)
	return string(b)
}

// TestRow is one item typed as text: a row of the test's form or of an
// XLSX/CSV file. Levels holds the scheme of an open item, one level a
// line, "points: description".
type TestRow struct {
	Label, Kind, MaxPoints, Options, Key, Levels string
}

func (r TestRow) blank() bool {
	return strings.TrimSpace(r.Label+r.Kind+r.MaxPoints+r.Options+r.Key+r.Levels) == ""
}

// readRow reads row i into an item; its errors go to o, naming the item.
func readTestRow(o *testOrigin, i int, r TestRow) Item {
	it := Item{Label: r.Label, Kind: r.Kind, Key: r.Key}
	name := testItemName(i, schemeText(r.Label), o)
	var ok bool
	if strings.TrimSpace(r.MaxPoints) == "" {
		o.refuse(i, "%s: pikët maksimale mungojnë.", name)
	} else if it.MaxPoints, ok = schemeInt(r.MaxPoints); !ok {
		o.refuse(i, "%s: pikët maksimale «%s» nuk janë numër i plotë.", name, schemeQuote(r.MaxPoints))
	}
	if strings.TrimSpace(r.Options) == "" {
		if itemKindOf(r.Kind) == KindChoice {
			it.Options = 4
		}
	} else if it.Options, ok = schemeInt(r.Options); !ok {
		o.refuse(i, "%s: numri i alternativave «%s» nuk është numër i plotë.", name, schemeQuote(r.Options))
	}
	levels, problems := readTestLevels(r.Levels)
	for _, p := range problems {
		o.refuse(i, "%s: %s", name, p)
	}
	it.Levels = levels
	return it
}

// readLevels reads a scheme typed one level a line, "2: përgjigje e
// plotë" (also "2 pikë: …", "2 - …").
func readTestLevels(s string) ([]Level, []string) {
	var out []Level
	var problems []string
	for line := range strings.Lines(s) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if len(out)+len(problems) >= MaxLevels {
			return out, append(problems, fmt.Sprintf("më shumë se %d nivele.", MaxLevels))
		}
		i := strings.IndexAny(line, ":=–-")
		var points int
		ok := i > 0
		if ok {
			head := strings.TrimSpace(line[:i])
			for _, unit := range []string{"pikë", "pike", "p"} {
				head = strings.TrimSpace(strings.TrimSuffix(head, unit))
			}
			points, ok = schemeInt(head)
		}
		if !ok {
			problems = append(problems, fmt.Sprintf("niveli «%s» nuk ka formën «pikë: përshkrimi», p.sh. «2: përgjigje e plotë».", schemeQuote(line)))
			continue
		}
		_, size := utf8.DecodeRuneInString(line[i:])
		out = append(out, Level{Points: points, Text: strings.TrimSpace(line[i+size:])})
	}
	return out, problems
}

// readInt reads a whole number as typed or as a spreadsheet writes it
// ("3", " 3 ", "3.0").
func schemeInt(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if t, ok := strings.CutSuffix(s, ".0"); ok {
		s = t
	}
	if len(s) > 9 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// levelsText writes an item's levels as the form shows them.
func levelsText(levels []Level) string {
	var b strings.Builder
	for _, l := range levels {
		fmt.Fprintf(&b, "%d: %s\n", l.Points, l.Text)
	}
	return b.String()
}

// RowsOf writes the items of a test as the form's rows.
func RowsOf(items []Item) []TestRow {
	out := make([]TestRow, len(items))
	for i, it := range items {
		out[i] = TestRow{Label: it.Label, Kind: it.Kind, MaxPoints: strconv.Itoa(it.MaxPoints), Key: it.Key, Levels: levelsText(it.Levels)}
		if it.Kind == KindChoice {
			out[i].Options = strconv.Itoa(it.Options)
		}
	}
	return out
}
