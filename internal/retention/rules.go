package retention

import (
	"fmt"
	"time"

	"provim/internal/clock"
	"provim/internal/examyear"
)

// monthDay reads a retention date "MM-DD" as that day of year y in
// Tirana; 29 February falls on 28 February in a common year (as
// examyear.ForYear moves it).
func monthDay(y int, md string) (time.Time, error) {
	var m, d int
	if _, err := fmt.Sscanf(md, "%02d-%02d", &m, &d); err != nil || len(md) != 5 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, fmt.Errorf("data e ruajtjes %q nuk është në formën MM-DD", md)
	}
	if m == 2 && d == 29 && !isLeap(y) {
		d = 28
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, clock.Tirana)
	if t.Day() != d {
		return time.Time{}, fmt.Errorf("data e ruajtjes %q nuk ekziston", md)
	}
	return t, nil
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// SecretUntil is the last day on which year's booklets are kept as secret
// documents in AVA's archive (Neni 65 ¶1: "deri më 31 dhjetor të vitit ku
// … i nënshtrohet provimeve"): BookletsSecretUntil of the exam year.
func SecretUntil(year int, r examyear.Retention) (time.Time, error) {
	return monthDay(year, r.BookletsSecretUntil)
}

// DestroyOn is the first day on which year's booklets (their scans) and
// the code↔candidate link are destroyed (Neni 65 ¶2: "Pas datës 31 janar
// të vitit në vazhdim, AVA eliminon çdo test-broshurë"): the day after
// DestroyAfter of the next year, at midnight in Tirana. Neni 6.10's six
// months of archive are within it (the Neni 65 date is later).
func DestroyOn(year int, r examyear.Retention) (time.Time, error) {
	last, err := monthDay(year+1, r.DestroyAfter)
	if err != nil {
		return time.Time{}, err
	}
	return last.AddDate(0, 0, 1), nil
}

// Due reports whether the destroy date of year has come on the moment now
// (Neni 65 ¶2): on the day after DestroyAfter, from midnight in Tirana.
func Due(year int, r examyear.Retention, now time.Time) (bool, time.Time, error) {
	on, err := DestroyOn(year, r)
	if err != nil {
		return false, time.Time{}, err
	}
	return !now.Before(on), on, nil
}
