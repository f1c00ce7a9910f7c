package examyear

import (
	"strings"
	"testing"
)

// Neni 14.3, 17: two electives are never at one sitting, so a year whose
// electives' day has one sitting refuses every A1 with two electives;
// the configuration says so (a warning: Validate still accepts a
// configuration written before sittings), in Albanian, naming both
// articles. Two sittings, or one elective per candidate, warn of nothing.
func TestNeni14_3_17_OneSittingWarnsNoCandidateCanTakeTwoElectives(t *testing.T) {
	t.Parallel()
	c := Default2009()
	if w := c.Warnings(); len(w) != 0 {
		t.Fatalf("two sittings warn: %v", w)
	}
	one := Default2009()
	var exams []ExamDay
	seen := false
	for _, e := range one.Exams {
		if e.Code == KindElective && e.Session == 1 {
			if seen {
				continue
			}
			seen = true
			e.Subjects = nil
		}
		exams = append(exams, e)
	}
	one.Exams = exams
	if err := one.Validate(); err != nil {
		t.Fatalf("one sitting no longer validates: %v", err)
	}
	w := one.Warnings()
	if len(w) != 1 || !strings.Contains(w[0], "Neni 14.3, 17") || !strings.Contains(w[0], "asnjë kandidat nuk mund të japë dy lëndë me zgjedhje") ||
		!strings.Contains(w[0], "15.06.2009 ora 10:00") {
		t.Fatalf("warnings %q", w)
	}
	one.ElectiveCount = 1
	if w := one.Warnings(); len(w) != 0 {
		t.Errorf("one elective per candidate warns: %v", w)
	}
}
