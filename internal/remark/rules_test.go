package remark_test

import (
	"strings"
	"testing"
	"time"

	"provim/internal/apperr"
	"provim/internal/clock"
	"provim/internal/remark"
)

func tirana(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, clock.Tirana)
	if err != nil {
		panic(err)
	}
	return t
}

func TestNeni64_DaysAreTiranaCalendarDaysFromThePublication(t *testing.T) {
	pub := tirana("2027-07-10 20:00")
	for _, c := range []struct {
		now  string
		day  int
		in4  bool
		name string
	}{
		{"2027-07-10 23:59", 0, true, "publication day"},
		{"2027-07-11 00:00", 1, true, "next midnight"},
		{"2027-07-14 23:59", 4, true, "last minute of day 4"},
		{"2027-07-15 00:00", 5, false, "day 5"},
		{"2027-07-09 12:00", -1, false, "before"},
	} {
		now := tirana(c.now)
		if d := remark.DayOf(pub, now); d != c.day {
			t.Errorf("%s: day %d, want %d", c.name, d, c.day)
		}
		if got := remark.Within(pub, now, 4); got != c.in4 {
			t.Errorf("%s: within 4 = %v", c.name, got)
		}
	}
	// A publication late in the UTC day is still counted in Tirana.
	utcLate := time.Date(2027, 7, 10, 22, 30, 0, 0, time.UTC) // 11.07 00:30 in Tirana
	if d := remark.DayOf(utcLate, tirana("2027-07-11 10:00")); d != 0 {
		t.Errorf("Tirana day: %d", d)
	}
	if got := remark.DayDate(pub, 4); got != "14.07.2027" {
		t.Errorf("day 4 is %s", got)
	}
	err := remark.CheckRequestDay("D1", pub, tirana("2027-07-15 08:00"), 4)
	if apperr.CodeOf(err) != apperr.Conflict || !strings.Contains(apperr.MessageOf(err), "14.07.2027") {
		t.Fatalf("day 5: %v", err)
	}
}

func TestNeni64_4_SendWindowRule(t *testing.T) {
	pub := tirana("2027-07-10 20:00")
	if _, err := remark.SendCheck("D1", pub, tirana("2027-07-24 23:00"), ""); apperr.CodeOf(err) != apperr.Conflict || !strings.Contains(apperr.MessageOf(err), "25.07.2027") {
		t.Fatalf("day 14: %v", err)
	}
	for _, d := range []string{"2027-07-25 00:05", "2027-08-09 23:00"} { // days 15 and 30
		if late, err := remark.SendCheck("D1", pub, tirana(d), ""); err != nil || late {
			t.Fatalf("%s: %v %v", d, late, err)
		}
	}
	if _, err := remark.SendCheck("D1", pub, tirana("2027-08-10 09:00"), " "); apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(apperr.MessageOf(err), "09.08.2027") {
		t.Fatalf("day 31 without reason: %v", err)
	}
	if late, err := remark.SendCheck("D1", pub, tirana("2027-08-10 09:00"), "Vlerësuesi i tretë u sëmur"); err != nil || !late {
		t.Fatalf("day 31 with reason: %v %v", late, err)
	}
}

func TestNeni64_1_ReceiptNumber(t *testing.T) {
	for raw, want := range map[string]string{
		"ma-2027-0001":              "MA-2027-0001",
		" 0012 3456 ":               "00123456",
		"MA/2027/5521":              "MA/2027/5521",
		"ＭＡ-2027-0001":              "", // full-width letters are not A–Z
		"":                          "",
		"AB-12":                     "",
		"-2027-0001":                "",
		"MA-ÇË-12":                  "",
		"MAND-ARK-X":                "",
		"1234567890123456789012345": "",
	} {
		got, err := remark.NormReceipt(raw)
		if want == "" {
			if apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(apperr.MessageOf(err), "mandat-arkëtimit") {
				t.Errorf("%q: %q %v", raw, got, err)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("%q: %q %v, want %q", raw, got, err, want)
		}
	}
}
