package web

import (
	"slices"
	"testing"

	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/custody"
	"provim/internal/draw"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/venue"
)

// TestMayAnswersAsTheRolesDid: the domains' "may" answer for each role
// exactly what the role lists the web layer compared before (so the pages
// offer what they offered), and nothing for an anonymous caller.
func TestMayAnswersAsTheRolesDid(t *testing.T) {
	t.Parallel()
	const (
		ava, kmsh, kshmsh, pap, ap, as, marker, student = auth.RoleAVA, auth.RoleKMSH, auth.RoleKSHMSH, auth.RolePAP, auth.RoleAP, auth.RoleAS, auth.RoleMarker, auth.RoleStudent
	)
	for _, tc := range []struct {
		name  string
		may   func(*auth.Principal) bool
		roles []auth.Role
	}{
		{"application.MayFileOwn", application.MayFileOwn, []auth.Role{student}},
		{"application.MayHandleForms", application.MayHandleForms, []auth.Role{kshmsh, kmsh, ava}},
		{"application.ChoosesSchool", application.ChoosesSchool, []auth.Role{kmsh, ava}},
		{"application.AtSchoolDesk", application.AtSchoolDesk, []auth.Role{kshmsh}},
		{"application.AtRegionDesk", application.AtRegionDesk, []auth.Role{kmsh}},
		{"application.AtNationalDesk", application.AtNationalDesk, []auth.Role{ava}},
		{"application.MayWorkUnits", application.MayWorkUnits, []auth.Role{kmsh, ava}},
		{"application.MayRegisterSpecial", application.MayRegisterSpecial, []auth.Role{kmsh, ava}},
		{"application.MayEditProgrammes", application.MayEditProgrammes, []auth.Role{ava}},
		{"application.MayRecordResults", application.MayRecordResults, []auth.Role{ava}},
		{"application.MayRead", application.MayRead, auth.Roles},
		{"application.LateAllowedOnSchoolStep", application.LateAllowedOnSchoolStep, []auth.Role{kmsh, ava}},
		{"application.LateAllowedOnRegionStep", application.LateAllowedOnRegionStep, []auth.Role{ava}},
		{"registry.MayEditSchools", registry.MayEditSchools, []auth.Role{ava, kmsh}},
		{"registry.MayEditStudents", registry.MayEditStudents, []auth.Role{ava, kmsh, kshmsh}},
		{"registry.MaySeeHistory", registry.MaySeeHistory, []auth.Role{ava, kmsh, kshmsh}},
		{"registry.MayImport", registry.MayImport, []auth.Role{ava, kmsh, kshmsh}},
		{"registry.MayListSchools", registry.MayListSchools, []auth.Role{ava, kmsh, kshmsh}},
		{"registry.MayListStudents", registry.MayListStudents, []auth.Role{ava, kmsh, kshmsh, student}},
		{"registry.OwnRecordOnly", registry.OwnRecordOnly, []auth.Role{student}},
		{"registry.MayListVenues", registry.MayListVenues, []auth.Role{ava, kmsh, kshmsh, pap, ap, as}},
		{"registry.MayListUnits", registry.MayListUnits, []auth.Role{ava, kmsh}},
		{"venue.MayInspect", venue.MayInspect, []auth.Role{ava, kmsh}},
		{"venue.MayPlan", venue.MayPlan, []auth.Role{ava, kmsh}},
		{"venue.MayActLate", venue.MayActLate, []auth.Role{ava}},
		{"venue.MaySeeOwnSeat", venue.MaySeeOwnSeat, []auth.Role{student}},
		{"venue.MayListSchoolSeats", venue.MayListSchoolSeats, []auth.Role{kshmsh}},
		{"draw.MayView", draw.MayView, []auth.Role{ava, kmsh}},
		{"draw.MayWrite", draw.MayWrite, []auth.Role{kmsh}},
		{"custody.MayView", custody.MayView, []auth.Role{ava, kmsh, pap, ap, as}},
		{"custody.MayCreate", custody.MayCreate, []auth.Role{ava}},
		{"custody.ChoosesUnit", custody.ChoosesUnit, []auth.Role{ava, kmsh}},
		{"examyear.MayRead", examyear.MayRead, auth.Roles},
		{"examyear.MayEdit", examyear.MayEdit, []auth.Role{ava}},
	} {
		if tc.may(nil) {
			t.Errorf("%s: yes for an anonymous caller", tc.name)
		}
		for _, r := range auth.Roles {
			if got, want := tc.may(&auth.Principal{Role: r}), slices.Contains(tc.roles, r); got != want {
				t.Errorf("%s(%s) = %v, want %v", tc.name, r, got, want)
			}
		}
	}
	// The unit and school a page is about when none is chosen.
	for _, r := range auth.Roles {
		p := &auth.Principal{Role: r, Unit: "DAR-A", School: "A-1"}
		if got := registry.HomeUnit(p); (got == "DAR-A") != (r == kmsh) {
			t.Errorf("HomeUnit(%s) = %q", r, got)
		}
		if got := registry.HomeSchool(p); (got == "A-1") != (r == kshmsh) {
			t.Errorf("HomeSchool(%s) = %q", r, got)
		}
	}
	// LateAllowed: a higher level of the chain, or AVA for its own steps.
	for _, tc := range []struct {
		role, owner auth.Role
		want        bool
	}{
		{student, student, false}, {kshmsh, student, true}, {kshmsh, kshmsh, false}, {kmsh, kshmsh, true}, {kmsh, kmsh, false},
		{ava, kmsh, true}, {ava, ava, true}, {kmsh, ava, false}, {pap, kshmsh, false}, {marker, student, false},
	} {
		if got := application.LateAllowed(&auth.Principal{Role: tc.role}, tc.owner); got != tc.want {
			t.Errorf("LateAllowed(%s, owner %s) = %v", tc.role, tc.owner, got)
		}
	}
	if application.LateAllowed(nil, student) {
		t.Error("LateAllowed for an anonymous caller")
	}
	// MayRun: the regional commission, a committed draw nothing replaced.
	rec := draw.Record{Status: draw.StatusCommitted}
	k := &auth.Principal{Role: kmsh}
	if !draw.MayRun(k, rec) || draw.MayRun(&auth.Principal{Role: ava}, rec) {
		t.Error("MayRun by role")
	}
	if rec.SupersededBy = 7; draw.MayRun(k, rec) {
		t.Error("MayRun of a replaced draw")
	}
	if rec = (draw.Record{Status: draw.StatusDrawn}); draw.MayRun(k, rec) {
		t.Error("MayRun of a drawn draw")
	}
	// MayConfirm: a receiver of the step who did not record it.
	h := &custody.Handover{Step: 1, RecordedBy: "ava"}
	st, _ := custody.StepByNo(1)
	for _, r := range auth.Roles {
		want := st.ConfirmerAllowed(r)
		if got := custody.MayConfirm(&auth.Principal{Username: "x", Role: r}, h); got != want {
			t.Errorf("MayConfirm(%s) = %v", r, got)
		}
		if custody.MayConfirm(&auth.Principal{Username: "ava", Role: r}, h) {
			t.Errorf("MayConfirm by its recorder (%s)", r)
		}
		if got := custody.MayRecord(&auth.Principal{Role: r}, &st); got != st.RecorderAllowed(r) {
			t.Errorf("MayRecord(%s) = %v", r, got)
		}
	}
}
