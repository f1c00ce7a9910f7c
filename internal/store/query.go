package store

import (
	"fmt"
	"strings"
)

// Query builds a WHERE clause with $N placeholders numbered in order, so
// that domain packages compose conditions (scope, filters) safely.
type Query struct {
	conds []string
	args  []any
}

// Add appends a condition; each ? in cond becomes the next $N.
func (q *Query) Add(cond string, args ...any) {
	for _, a := range args {
		q.args = append(q.args, a)
		cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(q.args)), 1)
	}
	q.conds = append(q.conds, cond)
}

// Where is " WHERE c1 AND c2 …", or "" without conditions.
func (q *Query) Where() string {
	if len(q.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.conds, " AND ")
}

// And is " AND c1 AND c2 …", for appending to a WHERE of one's own.
func (q *Query) And() string {
	if len(q.conds) == 0 {
		return ""
	}
	return " AND " + strings.Join(q.conds, " AND ")
}

// Args are the arguments of the placeholders, in order.
func (q *Query) Args() []any { return q.args }

// Arg appends one argument and returns its placeholder, for SQL written
// around the conditions (LIMIT, OFFSET, …).
func (q *Query) Arg(v any) string {
	q.args = append(q.args, v)
	return fmt.Sprintf("$%d", len(q.args))
}
