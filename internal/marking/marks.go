package marking

import (
	"strconv"
	"strings"

	"provim/internal/apperr"
)

// Item kinds (Neni 57.2–57.4): a choice item with its key, a short or an
// extended answer marked by the scheme's levels.
const (
	KindChoice   = "choice"
	KindShort    = "short"
	KindExtended = "extended"
)

// Item is one item of a test.
type Item struct {
	No        int     `json:"no"`
	Label     string  `json:"label"`
	Kind      string  `json:"kind"`
	MaxPoints int     `json:"max_points"`
	Options   int     `json:"options,omitempty"` // choice: alternatives A, B, …
	Key       string  `json:"key,omitempty"`     // choice: the right alternative
	Levels    []Level `json:"levels,omitempty"`  // open: the scheme (Neni 57.3)
}

// Level is one level of an open item's scheme: what answer earns how
// many points (a full, correct or partial answer, Neni 57.3).
type Level struct {
	Points int    `json:"points"`
	Text   string `json:"text"`
}

// Marks are one marking of a booklet: per item of the test, in order,
// the alternatives marked on a choice item ("" none, "AC" more than one)
// and the points of every item.
type Marks struct {
	Choices []string `json:"choices"`
	Points  []int    `json:"points"`
}

// Total is the sum of the points.
func (m Marks) Total() int {
	t := 0
	for _, p := range m.Points {
		t += p
	}
	return t
}

// encode writes the marks as stored: two comma-separated lists.
func (m Marks) encode() (choices, points string) {
	ps := make([]string, len(m.Points))
	for i, p := range m.Points {
		ps[i] = strconv.Itoa(p)
	}
	return strings.Join(m.Choices, ","), strings.Join(ps, ",")
}

// decodeMarks reads marks as stored; n is the number of items.
func decodeMarks(choices, points string, n int) (Marks, error) {
	m := Marks{Choices: make([]string, n), Points: make([]int, n)}
	if points == "" {
		return Marks{}, apperr.New(apperr.Invalid, "Pikët mungojnë.")
	}
	ps := strings.Split(points, ",")
	if len(ps) != n {
		return Marks{}, apperr.New(apperr.Invalid, "Pikët janë për %d kërkesa, testi ka %d.", len(ps), n)
	}
	for i, p := range ps {
		v, err := strconv.Atoi(p)
		if err != nil {
			return Marks{}, apperr.New(apperr.Invalid, "Pikët e kërkesës %d nuk janë numër.", i+1)
		}
		m.Points[i] = v
	}
	if choices != "" || n == 1 {
		cs := strings.Split(choices, ",")
		if len(cs) == n {
			copy(m.Choices, cs)
		}
	}
	return m, nil
}

// Score turns what a marker entered into marks: choice items scored from
// the alternatives marked (Neni 57.4, ChoicePoints), open items' points
// checked against the item's maximum and the scheme's levels (Neni
// 57.3). entered holds, per item, the alternatives marked for a choice
// item and the points for an open one. The error names the item.
func Score(items []Item, choices []string, points []int) (Marks, error) {
	if len(choices) != len(items) || len(points) != len(items) {
		return Marks{}, apperr.New(apperr.Invalid, "Vlerësimi ka %d kërkesa, testi ka %d.", max(len(choices), len(points)), len(items))
	}
	m := Marks{Choices: make([]string, len(items)), Points: make([]int, len(items))}
	for i, it := range items {
		if it.Kind == KindChoice {
			c, err := normChoice(choices[i], it.Options)
			if err != nil {
				return Marks{}, apperr.New(apperr.Invalid, "Kërkesa %s: %s", it.Label, err.Error())
			}
			m.Choices[i] = c
			m.Points[i] = ChoicePoints(it, c)
			continue
		}
		p := points[i]
		if p < 0 || p > it.MaxPoints {
			return Marks{}, apperr.New(apperr.Invalid, "Kërkesa %s: %d pikë, ndërsa kërkesa ka nga 0 deri në %d pikë (Neni 57.3).", it.Label, p, it.MaxPoints)
		}
		if len(it.Levels) > 0 && p != 0 && !hasLevel(it.Levels, p) {
			return Marks{}, apperr.New(apperr.Invalid, "Kërkesa %s: skema e vlerësimit nuk jep %d pikë (Neni 57.3).", it.Label, p)
		}
		m.Points[i] = p
	}
	return m, nil
}

func hasLevel(levels []Level, p int) bool {
	for _, l := range levels {
		if l.Points == p {
			return true
		}
	}
	return false
}

// normChoice reads the alternatives marked on a choice item: letters
// A… of its options, each once, in order; "" for none.
func normChoice(s string, options int) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(strings.ReplaceAll(s, " ", "")))
	var seen [26]bool
	for _, r := range s {
		if r < 'A' || r > 'Z' || int(r-'A') >= max(options, 1) {
			return "", apperr.New(apperr.Invalid, "alternativa «%c» nuk është në test.", r)
		}
		seen[r-'A'] = true
	}
	var b strings.Builder
	for i, ok := range seen {
		if ok {
			b.WriteByte(byte('A' + i))
		}
	}
	return b.String(), nil
}
