package store

import (
	"strconv"
	"strings"
)

// InListSize bounds the values of one IN list, well under either engine's
// limit of placeholders (SQLite 32,766, PostgreSQL 65,535).
const InListSize = 1000

// Chunks splits list into parts of at most n values (InListSize when n
// is 0), for queries with an IN list each.
func Chunks[T any](list []T, n int) [][]T {
	if n <= 0 {
		n = InListSize
	}
	var out [][]T
	for start := 0; start < len(list); start += n {
		out = append(out, list[start:min(start+n, len(list))])
	}
	return out
}

// Args are the values of list as query arguments.
func Args[T any](list []T) []any {
	out := make([]any, len(list))
	for i, v := range list {
		out[i] = v
	}
	return out
}

// Placeholders is "$from, $from+1, …" for n values.
func Placeholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(from + i))
	}
	return b.String()
}

// Distinct is list without repeats, in first-seen order.
func Distinct[T comparable](list []T) []T {
	seen := make(map[T]bool, len(list))
	out := make([]T, 0, len(list))
	for _, v := range list {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// Marks is "?, ?, …" for n values, for a condition of a Query.
func Marks(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
