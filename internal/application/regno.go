package application

import (
	"fmt"
	"strconv"
	"strings"

	"provim/internal/apperr"
)

// Registration numbers (Neni 34 ¶2) are the main identifier of a student
// or candidate: nine digits, the last two digits of the exam year, a
// six-digit serial, and a Damm check digit. The Damm check catches every
// single mistyped digit and every swap of two neighbouring digits.

var damm = [10][10]byte{
	{0, 3, 1, 7, 5, 9, 8, 6, 4, 2},
	{7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
	{4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
	{1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
	{6, 1, 2, 3, 0, 4, 5, 9, 7, 8},
	{3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
	{5, 8, 6, 9, 7, 2, 0, 1, 3, 4},
	{8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
	{9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
	{2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
}

func dammDigit(digits string) byte {
	var interim byte
	for i := 0; i < len(digits); i++ {
		interim = damm[interim][digits[i]-'0']
	}
	return interim
}

// MaxSerial is the largest serial of one exam year.
const MaxSerial = 999999

// RegNo builds the registration number of serial in exam year.
func RegNo(year, serial int) string {
	head := fmt.Sprintf("%02d%06d", year%100, serial)
	return head + string('0'+dammDigit(head))
}

// ValidRegNo reports whether s is a well-formed registration number whose
// check digit is right.
func ValidRegNo(s string) bool {
	if len(s) != 9 {
		return false
	}
	if _, err := strconv.Atoi(s); err != nil {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return dammDigit(s) == 0
}

// regSerial is the serial of a valid registration number.
func regSerial(s string) int {
	n, _ := strconv.Atoi(s[2:8])
	return n
}

// CheckRegNo checks a registration number typed by a person (a lookup, a
// correction, a line of an imported file): nine digits whose check digit
// is right (Neni 34 ¶2). A mistyped number is refused with a sentence
// saying so, never looked up as it is.
func CheckRegNo(s string) error {
	s = strings.TrimSpace(s)
	if len(s) != 9 || strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return apperr.New(apperr.Invalid, "Numri i regjistrimit «%s» nuk është i vlefshëm: ka 9 shifra (Neni 34).", s)
	}
	if !ValidRegNo(s) {
		return apperr.New(apperr.Invalid, "Numri i regjistrimit «%s» nuk është i saktë: shifra e kontrollit nuk përputhet, një shifër është shtypur gabim ose dy shifra janë ndërruar.", s)
	}
	return nil
}

// looksLikeRegNo: a search word of nine digits is a registration number.
func looksLikeRegNo(s string) bool {
	return len(s) == 9 && strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
}
