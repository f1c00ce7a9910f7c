// Package albanian holds language helpers: Albanian collation for every
// printed or listed name (C < Ç < D < Dh < E < Ë …, never byte order) and
// date formats used in Albania.
package albanian

import (
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

var (
	mu  sync.Mutex
	col = collate.New(language.Albanian, collate.IgnoreCase)
	buf collate.Buffer
)

// SortKey returns a byte key whose byte order is Albanian alphabetical
// order, so a database can sort by it (stored as BLOB/BYTEA).
func SortKey(parts ...string) []byte {
	mu.Lock()
	defer mu.Unlock()
	s := strings.Join(parts, "\x01")
	k := col.KeyFromString(&buf, s)
	out := make([]byte, len(k))
	copy(out, k)
	buf.Reset()
	return out
}

// Compare compares two strings in Albanian order.
func Compare(a, b string) int {
	mu.Lock()
	defer mu.Unlock()
	return col.CompareString(a, b)
}

// SortStrings sorts in place in Albanian order.
func SortStrings(s []string) {
	c := collate.New(language.Albanian, collate.IgnoreCase)
	c.SortStrings(s)
}

// SortBy sorts items in Albanian order of key(item), stably.
func SortBy[T any](items []T, key func(T) string) {
	keys := make([][]byte, len(items))
	for i, it := range items {
		keys[i] = SortKey(key(it))
	}
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return string(keys[idx[a]]) < string(keys[idx[b]]) })
	out := make([]T, len(items))
	for i, j := range idx {
		out[i] = items[j]
	}
	copy(items, out)
}

// Date formats a date the Albanian way: 02.01.2006.
func Date(t time.Time) string { return t.Format("02.01.2006") }

// ParseDate accepts 2006-01-02, 02.01.2006 and 02/01/2006.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "02.01.2006", "2.1.2006", "02/01/2006", "2/1/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// Decimal writes a number the Albanian way, with a decimal comma and two
// decimals ("9,50").
func Decimal(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', 2, 64), ".", ",", 1)
}

// DateString writes an ISO date "2009-03-01" the Albanian way, "01.03.2009";
// anything else is returned unchanged.
func DateString(iso string) string {
	if t, err := time.Parse("2006-01-02", iso); err == nil {
		return Date(t)
	}
	return iso
}

// months are the months' names, January first, as a date is written in
// words ("31 dhjetor").
var months = [...]string{"janar", "shkurt", "mars", "prill", "maj", "qershor", "korrik", "gusht", "shtator", "tetor", "nëntor", "dhjetor"}

// MonthDay writes a day of every year, "12-31" (MM-DD), in words: "31
// dhjetor"; anything else is returned unchanged.
func MonthDay(md string) string {
	t, err := time.Parse("01-02", md)
	if err != nil || t.Format("01-02") != md {
		return md
	}
	return strconv.Itoa(t.Day()) + " " + months[t.Month()-1]
}
