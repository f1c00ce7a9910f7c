package certificate

import "testing"

// Neni 2.4, 16, 17: the Dëftesë Pjekurie is due with both mandatory exams
// passed and the results' own verdict; the electives, passed, failed or
// not sat, are printed as they are.
func TestNeni17_CertificateNeedsBothMandatoryPassed(t *testing.T) {
	exam := func(code string, grade int, passed bool) Exam { return Exam{Exam: code, Grade: grade, Passed: passed} }
	four := []Exam{exam("D1", 8, true), exam("D2", 7, true), exam("FIZ", 9, true), exam("KIM", 6, true)}
	for _, tc := range []struct {
		name string
		c    Completion
		ok   bool
	}{
		{"four passed", Completion{Exams: four, Completed: true}, true},
		{"the results say not complete", Completion{Exams: four, Completed: false}, false},
		{"a failed elective (Neni 17 ¶3 is university, not the dëftesë)", Completion{Exams: []Exam{four[0], four[1], four[2], exam("KIM", 4, false)}, Completed: true}, true},
		{"one elective only", Completion{Exams: four[:3], Completed: true}, true},
		{"no electives (Neni 25)", Completion{Exams: four[:2], Completed: true}, true},
		{"no D2", Completion{Exams: []Exam{four[0], four[2], four[3], exam("BIO", 7, true)}, Completed: true}, false},
		{"D2 failed", Completion{Exams: []Exam{four[0], exam("D2", 4, false), four[2], four[3]}, Completed: true}, false},
		{"a grade out of the scale", Completion{Exams: []Exam{four[0], four[1], four[2], exam("KIM", 11, true)}, Completed: true}, false},
	} {
		if err := completes(tc.c); (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}
