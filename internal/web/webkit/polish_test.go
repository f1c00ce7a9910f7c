package webkit

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestJSONErrorSaysWhereAndWhatInAlbanian: a broken configuration is
// described by line, column, the text before the place and what was
// expected, in Albanian; never the decoder's English.
func TestJSONErrorSaysWhereAndWhatInAlbanian(t *testing.T) {
	t.Parallel()
	type cfg struct {
		Name  string `json:"name"`
		Count int    `json:"count"`
	}
	for _, tc := range []struct {
		raw  string
		want []string
	}{
		{"{\n  \"name\": \"x\",\n}", []string{"rreshti 3, shtylla 1", "pritej emri i një fushe", "«}»", "presje e tepërt"}},
		{"{\n  \"name\": \"x\"\n  \"count\": 1}", []string{"rreshti 3", "ndoshta mungon një presje"}},
		{"{\"count\": \"tre\"}", []string{"rreshti 1", "fusha «count» duhet të jetë numër, jo tekst"}},
		{"{\"emri\": 1}", []string{"fusha «emri» nuk njihet"}},
		{"{\"name\": \"x\"", []string{"mungon një kllapë mbyllëse"}},
		{"{\"name\": ,}", []string{"pritej një vlerë", "«,»"}},
	} {
		var v cfg
		dec := json.NewDecoder(strings.NewReader(tc.raw))
		dec.DisallowUnknownFields()
		err := dec.Decode(&v)
		if err == nil {
			t.Fatalf("%q decoded", tc.raw)
		}
		msg := JSONError("Konfigurimi", tc.raw, err).Message
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%q: %q does not say %q", tc.raw, msg, w)
			}
		}
		for _, en := range []string{"invalid character", "looking for", "cannot unmarshal", "unexpected end"} {
			if strings.Contains(msg, en) {
				t.Errorf("%q: %q speaks English (%q)", tc.raw, msg, en)
			}
		}
	}
}

// TestMenuMarksTheCurrentPage: the entry of the page shown, or of the
// section the page belongs to, is marked; one entry at most.
func TestMenuMarksTheCurrentPage(t *testing.T) {
	t.Parallel()
	links := []Link{{Href: "/paneli"}, {Href: "/qendrat"}, {Href: "/qendrat/inspektimi"}, {Href: "/shorti"}}
	for path, want := range map[string]string{
		"/paneli": "/paneli", "/qendrat": "/qendrat", "/qendrat/Q-TR-003": "/qendrat",
		"/qendrat/inspektimi": "/qendrat/inspektimi", "/shorti/11": "/shorti", "/shortixyz": "", "/": "",
	} {
		var got []string
		for _, l := range markCurrent(links, path) {
			if l.Current {
				got = append(got, l.Href)
			}
		}
		if want == "" && len(got) != 0 || want != "" && !slices.Equal(got, []string{want}) {
			t.Errorf("%s marks %v, want %q", path, got, want)
		}
	}
	if markCurrent(links, "/qendrat")[1].Current && links[1].Current {
		t.Error("markCurrent changed the menu it was given")
	}
}

// TestErrorBoxSaysEachThingOnce: details repeating the sentence or each
// other are shown once.
func TestErrorBoxSaysEachThingOnce(t *testing.T) {
	t.Parallel()
	got := distinct([]string{"A.", "B.", "A.", " B.", "C."}, "A.")
	if !slices.Equal(got, []string{"B.", "C."}) {
		t.Fatalf("distinct = %q", got)
	}
	for _, c := range []struct {
		msg, head string
		details   []string
		list      []string
	}{
		// The sentence lists them all: its head above the list.
		{"Nxënësi nuk u regjistrua: numri personal nuk është i vlefshëm; mesatarja duhet të jetë 5–10.", "Nxënësi nuk u regjistrua:",
			[]string{"numri personal nuk është i vlefshëm", "mesatarja duhet të jetë 5–10"}, []string{"numri personal nuk është i vlefshëm", "mesatarja duhet të jetë 5–10"}},
		// One the sentence does not say: the sentence and every detail.
		{"Importi u refuzua: rreshti 2 ka gabime.", "Importi u refuzua: rreshti 2 ka gabime.",
			[]string{"rreshti 2 ka gabime", "rreshti 3: emri mungon."}, []string{"rreshti 2 ka gabime", "rreshti 3: emri mungon."}},
		// Said in the sentence, not as a list: the sentence alone.
		{"Afati kaloi më 30.06.2027.", "Afati kaloi më 30.06.2027.", []string{"30.06.2027"}, nil},
		{"Gabim.", "Gabim.", nil, nil},
	} {
		head, list := reasons(c.msg, c.details)
		if head != c.head || !slices.Equal(list, c.list) {
			t.Errorf("reasons(%q) = %q, %q; want %q, %q", c.msg, head, list, c.head, c.list)
		}
	}
}

// TestNumSeparatesThousandsOfAnyInteger: the pages' num writes every
// integer with its thousands separated, and any other value as it is.
func TestNumSeparatesThousandsOfAnyInteger(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		v    any
		want string
	}{{36110, "36.110"}, {int64(1000000), "1.000.000"}, {int32(999), "999"}, {"D1", "D1"}, {-4200, "-4.200"}} {
		if got := number(c.v); got != c.want {
			t.Errorf("num(%v) = %q, want %q", c.v, got, c.want)
		}
	}
	if got := Plural(36110, "kandidat", "kandidatë"); got != "36.110 kandidatë" {
		t.Errorf("Plural = %q", got)
	}
}
