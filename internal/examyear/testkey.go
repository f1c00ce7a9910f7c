package examyear

import (
	"fmt"
	"strings"
)

// A test is one exam of one session: D1 of the first session and D1 of
// the second (Neni 16 ¶2, 58) are two tests, each with its own codes,
// booklets, scheme, markers and results. The packages that follow the
// booklets — anonym, marking, results, remark — name a test by its key:
// the exam's code in the first session ("D1", "D2", an elective's
// subject code, unchanged from before there was a second session) and
// the code with "-2" in the second ("D1-2", "D2-2"). The packages that
// follow places and people — venue, draw, custody, examday — take the
// exam and the session apart. TestKey and SplitTest are the only places
// that know the form.

// sessionSuffix marks a test of the second session.
const sessionSuffix = "-2"

// TestKey is the key of exam in session: exam itself in session 1,
// exam+"-2" in session 2.
func TestKey(exam string, session int) string {
	exam = strings.ToUpper(strings.TrimSpace(exam))
	if session == 2 && !strings.HasSuffix(exam, sessionSuffix) {
		return exam + sessionSuffix
	}
	return exam
}

// SplitTest takes a test key apart into its exam and session: "D1-2" is
// D1 of session 2, anything else its own exam in session 1 — "D1-2-2" or
// "D1 -2" too, which name no exam, so that every package refuses them
// alike.
func SplitTest(key string) (exam string, session int) {
	key = strings.ToUpper(strings.TrimSpace(key))
	if e, ok := strings.CutSuffix(key, sessionSuffix); ok && e != "" && !strings.ContainsAny(e, "- \t") {
		return e, 2
	}
	return key, 1
}

// TestLabel names a test for people: "D1" in session 1, "D1 (sesioni 2)"
// in session 2.
func TestLabel(key string) string {
	exam, session := SplitTest(key)
	if session == 1 {
		return exam
	}
	return fmt.Sprintf("%s (sesioni %d)", exam, session)
}
