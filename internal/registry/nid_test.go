package registry

import (
	"testing"
	"time"
)

func TestParseNID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in    string
		ok    bool
		sex   string
		birth string
	}{
		{"J00101999W", true, "M", "1990-01-01"},
		{"J05115999K", true, "F", "1990-01-15"},
		{"j00101999w", true, "M", "1990-01-01"},
		{"J00101999A", false, "", ""}, // wrong check letter
		{"J00101999", false, "", ""},  // too short
		{"J01301999W", false, "", ""}, // month 13
		{"J00231999W", false, "", ""}, // 31 February
		{"U00101999W", false, "", ""}, // decade letter out of range
		{"J0010199AW", false, "", ""}, // letter among digits
		{"J001019991", false, "", ""}, // digit as check
	} {
		n, err := ParseNID(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v, want ok=%v", tc.in, err, tc.ok)
			continue
		}
		if tc.ok && (n.Sex != tc.sex || n.BirthDate.Format("2006-01-02") != tc.birth) {
			t.Errorf("%s: got %s %s", tc.in, n.Sex, n.BirthDate.Format("2006-01-02"))
		}
	}
}

func TestMakeNIDRoundTrip(t *testing.T) {
	t.Parallel()
	for i, sex := range []string{"M", "F"} {
		b := time.Date(2008, 2, 29, 0, 0, 0, 0, time.UTC)
		s := MakeNID(b, sex, 100+i)
		n, err := ParseNID(s)
		if err != nil || n.Sex != sex || !n.BirthDate.Equal(b) {
			t.Fatalf("%s: %v %+v", s, err, n)
		}
	}
}

func FuzzParseNID(f *testing.F) {
	f.Add("J00101999W")
	f.Add("K85229123X")
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNID(s)
		if err != nil {
			return
		}
		if again := MakeNID(n.BirthDate, n.Sex, 0); len(again) != 10 {
			t.Fatalf("bad rebuild %q", again)
		}
		if n.Number[9] != nidCheckLetter(n.Number[:9]) {
			t.Fatal("accepted a wrong check letter")
		}
	})
}
