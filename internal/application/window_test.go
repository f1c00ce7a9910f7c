package application_test

import (
	"testing"
	"time"

	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/examyear"
)

// TestNeni22_WindowClosesAfterTheDeadlinesDayInTirana: a form's window
// (what the page shows before the form is filled in) follows the rule of
// the submit (checkDeadline): the deadline's day is open until 23:59:59
// in Tirana, on a UTC host too; from midnight the owner of the step is
// closed, a higher level of the chain is late (with a reason: Neni 22,
// 34–35), AVA is late for its own steps and for the KMSH's venue steps
// (Neni 37, 41), and a step the year does not name leaves the form open.
func TestNeni22_WindowClosesAfterTheDeadlinesDayInTirana(t *testing.T) {
	t.Parallel()
	cfg := examyear.Config{SchoolYear: "2026–2027", Calendar: []examyear.Deadline{
		{Key: examyear.KeyA1, Name: "Dorëzimi i formularëve A1/A1z", Date: "2027-03-10", Article: "Neni 22 ¶1"},
		{Key: examyear.KeyVenueLists, Name: "Lista e mjediseve", Date: "2027-04-20", Article: "Neni 41 ¶1"},
		{Key: examyear.KeyRegistrationNumbers, Name: "Numrat e regjistrimit", Date: "2027-05-01", Article: "Neni 34 ¶3"},
	}}
	student := &auth.Principal{Role: auth.RoleStudent, StudentID: 1}
	school := &auth.Principal{Role: auth.RoleKSHMSH, School: "A-1"}
	kmsh := &auth.Principal{Role: auth.RoleKMSH, Unit: "DAR-A"}
	ava := &auth.Principal{Role: auth.RoleAVA}
	lastSecond := time.Date(2027, 3, 10, 23, 59, 59, 0, examyear.Tirana).UTC()
	midnight := time.Date(2027, 3, 11, 0, 0, 0, 0, examyear.Tirana).UTC()
	if w := application.WindowAt(cfg, examyear.KeyA1, student, lastSecond); w.Passed() || w.Message() != "" || w.Date != "10.03.2027" || w.Article != "Neni 22 ¶1" {
		t.Errorf("A1 on its last second: %+v", w)
	}
	w := application.WindowAt(cfg, examyear.KeyA1, student, midnight)
	if !w.Closed || w.Late || w.Message() != "Afati «Dorëzimi i formularëve A1/A1z» (Neni 22 ¶1) ka kaluar më 10.03.2027: formulari nuk pranohet më." {
		t.Errorf("A1 at midnight for the student: %+v %q", w, w.Message())
	}
	for _, p := range []*auth.Principal{school, kmsh, ava} {
		if w := application.WindowAt(cfg, examyear.KeyA1, p, midnight); w.Closed || !w.Late {
			t.Errorf("A1 at midnight for %s (a higher level): %+v", p.Role, w)
		}
	}
	after := time.Date(2027, 4, 21, 9, 0, 0, 0, examyear.Tirana)
	if w := application.WindowAt(cfg, examyear.KeyVenueLists, kmsh, after); !w.Closed {
		t.Errorf("venue list after its deadline for the KMSH: %+v", w)
	}
	if w := application.WindowAt(cfg, examyear.KeyVenueLists, ava, after); w.Closed || !w.Late {
		t.Errorf("venue list after its deadline for AVA: %+v", w)
	}
	if w := application.WindowAt(cfg, examyear.KeyRegistrationNumbers, ava, time.Date(2027, 5, 2, 9, 0, 0, 0, examyear.Tirana)); w.Closed || !w.Late {
		t.Errorf("registration numbers late for AVA (its own step): %+v", w)
	}
	if w := application.WindowAt(cfg, examyear.KeyA2, student, midnight); w.Passed() || w.Date != "" {
		t.Errorf("a step the year does not name: %+v", w)
	}
	if application.StepOwner(examyear.KeyTableT) != auth.RoleKSHMSH || application.StepOwner(examyear.KeyListsToAVA) != auth.RoleKMSH {
		t.Error("owners of table T and the lists to AVA")
	}
}
