package registry

import (
	"fmt"
	"strings"
	"time"
)

// nidAlphabet maps letters to values for the check letter and back.
const nidAlphabet = "WABCDEFGHIJKLMNOPQRSTUV"

// NID is a decoded Albanian personal identity number (numri personal), ten
// characters: a decade letter (A = 1900s … J = 1990s, K = 2000s …), the last
// digit of the birth year, the month (plus 50 for women), the day, three
// serial digits and a check letter.
type NID struct {
	Number    string
	BirthDate time.Time
	Sex       string // "M" or "F"
}

// ParseNID validates an Albanian personal number and decodes it. Errors are
// Albanian sentences for users.
func ParseNID(s string) (NID, error) {
	n := strings.ToUpper(strings.TrimSpace(s))
	if len(n) != 10 {
		return NID{}, fmt.Errorf("numri personal duhet të ketë 10 shenja (ka %d)", len([]rune(n)))
	}
	dec := n[0]
	if dec < 'A' || dec > 'T' {
		return NID{}, fmt.Errorf("shkronja e parë e numrit personal duhet të jetë A–T")
	}
	for i := 1; i < 9; i++ {
		if n[i] < '0' || n[i] > '9' {
			return NID{}, fmt.Errorf("shenjat 2–9 të numrit personal duhet të jenë shifra")
		}
	}
	last := n[9]
	if last < 'A' || last > 'Z' {
		return NID{}, fmt.Errorf("shenja e fundit e numrit personal duhet të jetë shkronjë")
	}
	year := 1900 + int(dec-'A')*10 + int(n[1]-'0')
	month := int(n[2]-'0')*10 + int(n[3]-'0')
	sex := "M"
	if month > 50 {
		month -= 50
		sex = "F"
	}
	day := int(n[4]-'0')*10 + int(n[5]-'0')
	birth := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if month < 1 || month > 12 || day < 1 || birth.Day() != day || int(birth.Month()) != month {
		return NID{}, fmt.Errorf("numri personal përmban datë lindjeje të pavlefshme")
	}
	if want := nidCheckLetter(n[:9]); last != want {
		return NID{}, fmt.Errorf("shkronja e kontrollit të numrit personal nuk është e saktë (pritej %c)", want)
	}
	return NID{Number: n, BirthDate: birth, Sex: sex}, nil
}

// nidCheckLetter computes the check letter over the first nine characters:
// a weighted sum (weights 1, 1, 2, …, 8; the decade letter valued by its
// place in nidAlphabet) modulo 23, as public validators do.
func nidCheckLetter(head string) byte {
	sum := 0
	for i := 0; i < 9; i++ {
		c := head[i]
		v := int(c - '0')
		if c >= 'A' && c <= 'Z' {
			v = strings.IndexByte(nidAlphabet, c)
		}
		w := i
		if i == 0 {
			w = 1
		}
		sum += w * v
	}
	return nidAlphabet[sum%23]
}

// MakeNID builds a valid personal number (demo data and tests).
func MakeNID(birth time.Time, sex string, serial int) string {
	y := birth.Year()
	month := int(birth.Month())
	if sex == "F" {
		month += 50
	}
	head := fmt.Sprintf("%c%d%02d%02d%03d", 'A'+byte((y-1900)/10), y%10, month, birth.Day(), serial%1000)
	return head + string(nidCheckLetter(head))
}
