package marking_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/marking"
	"provim/internal/registry"
	"provim/internal/testkit"
)

// The appointment's world: the standard country (Drita Kola teaches D1
// at A-1, Ema Leka D2 at B-1) and year 2009.
func apWorld(t *testing.T) (*testkit.Kit, *testkit.Land, context.Context) {
	t.Helper()
	k := testkit.New(t)
	return k, k.Country(t), context.Background()
}

// apNID is a valid personal number of a lecturer or specialist.
func apNID(day, serial int) string {
	return registry.MakeNID(time.Date(1975, 3, day, 0, 0, 0, 0, time.UTC), "M", serial)
}

func apDetails(err error) string {
	var e *apperr.Error
	if ae, ok := err.(*apperr.Error); ok {
		e = ae
	}
	if e == nil {
		return ""
	}
	return e.Message + " | " + strings.Join(e.Details, " | ")
}

// Neni 57.7: a marker is a teacher, lecturer or specialist of the
// subject: a teacher of another subject, or a specialist whose experience
// is in another, is refused naming the article; nothing is appointed.
func TestNeni57_7_MarkerTeachesTheSubject(t *testing.T) {
	k, land, ctx := apWorld(t)
	_, err := k.Marking.Appoint(ctx, testkit.AVA, 2009, "D1", []marking.Appointment{
		{StaffID: land.Home.Staff},
		{StaffID: land.Foreign.Staff}, // Ema Leka teaches D2
		{PersonalNo: apNID(1, 1), FullName: "Petrit Duka", Institution: "Universiteti i Tiranës", Subjects: "FIZ"},
	})
	if apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("want Invalid, got %v", err)
	}
	d := apDetails(err)
	if !strings.Contains(d, "Emërimi 2") || !strings.Contains(d, "Ema Leka") || !strings.Contains(d, "Neni 57.7") || !strings.Contains(d, "Emërimi 3") || strings.Contains(d, "Emërimi 1") {
		t.Fatalf("details: %s", d)
	}
	rows, err := k.Marking.Markers(ctx, testkit.AVA, 2009, "D1")
	if err != nil || len(rows) != 0 {
		t.Fatalf("nothing appointed: %v %v", rows, err)
	}
	// The subject's code of the year (GJSH for D1) names it too.
	res, err := k.Marking.Appoint(ctx, testkit.AVA, 2009, "D1", []marking.Appointment{
		{StaffID: land.Home.Staff},
		{PersonalNo: apNID(1, 1), FullName: "Petrit Duka", Institution: "Universiteti i Tiranës", Subjects: "GJSH, HIS"},
	})
	if err != nil || res.Appointed != 2 {
		t.Fatalf("appoint: %+v %v", res, err)
	}
}

// Neni 57.8: only AVA (the director) appoints markers and their leads;
// each gets an account of role vleresues for the subject, a teacher's
// linked to the staff record; appointing again is idempotent; nothing is
// appointed after the exam's marking closed.
func TestNeni57_8_AVAAppointsMarkersAndLeads(t *testing.T) {
	k, land, ctx := apWorld(t)
	in := []marking.Appointment{
		{StaffID: land.Home.Staff, Task: "lead"},
		{PersonalNo: apNID(2, 2), FullName: "Vera  Gjoni", Institution: "Instituti i Studimeve", Task: "vlerësues"},
	}
	for _, p := range []*auth.Principal{testkit.KMSH("DAR-A"), {Username: "vl", Role: auth.RoleMarker, Subject: "D1"}, {Username: "m", Role: auth.RoleMASH}} {
		if _, err := k.Marking.Appoint(ctx, p, 2009, "D1", in); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("%s: want Forbidden, got %v", p.Role, err)
		}
	}
	res, err := k.Marking.Appoint(ctx, testkit.AVA, 2009, "D1", in)
	if err != nil {
		t.Fatal(err)
	}
	if res.Appointed != 2 || res.Existing != 0 || len(res.Letters) != 2 || len(res.Markers) != 2 {
		t.Fatalf("first: %+v", res)
	}
	lead, ext := res.Markers[0], res.Markers[1]
	if lead.Task != marking.TaskLead || lead.School != "A-1" || lead.FullName != "Drita Kola" || ext.FullName != "Vera Gjoni" || ext.School != "" || ext.Status != marking.StatusTraining {
		t.Fatalf("markers: %+v", res.Markers)
	}
	users, err := k.Auth.FullNames(ctx, []string{lead.Username, ext.Username})
	if err != nil {
		t.Fatal(err)
	}
	if u := users[lead.Username]; u.Role != auth.RoleMarker || u.Subject != "D1" || u.StaffID != land.Home.Staff {
		t.Fatalf("lead's account: %+v", u)
	}
	if u := users[ext.Username]; u.Role != auth.RoleMarker || u.Subject != "D1" || u.StaffID != 0 {
		t.Fatalf("specialist's account: %+v", u)
	}
	// Again: nothing new, no letter; a changed task is brought up to date.
	in[1].Task = "lead"
	again, err := k.Marking.Appoint(ctx, testkit.AVA, 2009, "D1", in)
	if err != nil || again.Appointed != 0 || again.Existing != 2 || len(again.Letters) != 0 {
		t.Fatalf("again: %+v %v", again, err)
	}
	leads, err := k.Marking.Leads(ctx, 2009, "D1")
	if err != nil || len(leads) != 2 {
		t.Fatalf("leads: %+v %v", leads, err)
	}
	p := &auth.Principal{Username: lead.Username, Role: auth.RoleMarker, Subject: "D1"}
	if ok, err := k.Marking.IsLead(ctx, p, 2009, "D1"); !ok || err != nil {
		t.Fatalf("is lead: %v %v", ok, err)
	}
	if ok, _ := k.Marking.IsLead(ctx, p, 2009, "D2"); ok {
		t.Fatal("a lead of D1 is no lead of D2")
	}
	// The same teacher for D2 (were she to teach it) gets a second
	// account: her first stays the D1 marker's.
	if _, err := k.DB.Exec(`UPDATE staff SET subjects = 'D1,D2' WHERE id = $1`, land.Home.Staff); err != nil {
		t.Fatal(err)
	}
	d2, err := k.Marking.Appoint(ctx, testkit.AVA, 2009, "D2", in[:1])
	if err != nil || d2.Appointed != 1 || d2.Markers[0].Username == lead.Username {
		t.Fatalf("D2: %+v %v", d2, err)
	}
	// Closed marking: no appointment.
	if _, err := k.DB.Exec(`INSERT INTO marking_closed (year, exam, booklets, closed_by, closed_at) VALUES (2009, 'D1', 0, 'ava', 'x')`); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Marking.Appoint(ctx, testkit.AVA, 2009, "D1", in); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("closed: want Conflict, got %v", err)
	}
}

// A staff member with an account of another role (a venue's PAP) gets a
// marker's account of their own; the other is left as it is.
func TestNeni57_8_MarkerBesideAnotherAccount(t *testing.T) {
	k, land, ctx := apWorld(t)
	staff, err := k.Registry.StaffForMarking(ctx, []int64{land.Home.Staff}, nil)
	if err != nil || len(staff) != 1 {
		t.Fatal(staff, err)
	}
	pn := strings.ToLower(staff[0].PersonalNo)
	if _, err := k.Auth.Provision(ctx, testkit.AVA, []auth.NewUser{{Username: pn, FullName: "Drita Kola", Role: auth.RolePAP, Venue: "Q-A-1", StaffID: land.Home.Staff}}); err != nil {
		t.Fatal(err)
	}
	res, err := k.Marking.Appoint(ctx, testkit.AVA, 2009, "D1", []marking.Appointment{{PersonalNo: staff[0].PersonalNo}})
	if err != nil || res.Appointed != 1 || res.Markers[0].Username == pn || len(res.Letters) != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	users, _ := k.Auth.FullNames(ctx, []string{pn, res.Markers[0].Username})
	if users[pn].Role != auth.RolePAP || users[res.Markers[0].Username].Role != auth.RoleMarker {
		t.Fatalf("accounts: %+v", users)
	}
	// An account linked under another name (Ema Leka's "ema.as"), and a
	// username asked for: the marker's account is made, unlinked.
	if _, err := k.Auth.Provision(ctx, testkit.AVA, []auth.NewUser{{Username: "ema.as", FullName: "Ema Leka", Role: auth.RoleAS, Venue: "Q-B-1", StaffID: land.Foreign.Staff}}); err != nil {
		t.Fatal(err)
	}
	res, err = k.Marking.Appoint(ctx, testkit.AVA, 2009, "D2", []marking.Appointment{{StaffID: land.Foreign.Staff, Username: "vleresues.d2", Task: "lead"}})
	if err != nil || res.Appointed != 1 || res.Markers[0].Username != "vleresues.d2" {
		t.Fatalf("D2: %+v %v", res, err)
	}
	users, _ = k.Auth.FullNames(ctx, []string{"ema.as", "vleresues.d2"})
	if users["ema.as"].Role != auth.RoleAS || users["vleresues.d2"].Role != auth.RoleMarker || users["vleresues.d2"].Subject != "D2" {
		t.Fatalf("accounts: %+v", users)
	}
	// Again: the same appointment, nothing new.
	if again, err := k.Marking.Appoint(ctx, testkit.AVA, 2009, "D2", []marking.Appointment{{StaffID: land.Foreign.Staff, Username: "vleresues.d2", Task: "lead"}}); err != nil || again.Existing != 1 {
		t.Fatalf("again: %+v %v", again, err)
	}
}

// The import names every bad row with its line and appoints none of a
// file with an error.
func TestNeni57_8_ImportNamesBadRows(t *testing.T) {
	k, _, ctx := apWorld(t)
	staff, _, err := k.Registry.ListStaff(ctx, testkit.AVA, registry.StaffFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var ema string
	for _, s := range staff {
		if s.FirstName == "Ema" {
			ema = s.PersonalNo
		}
	}
	bad := "nr_personal,emri,mbiemri,institucioni,lendet,detyra\n" +
		apNID(3, 3) + ",Genc,Pali,Universiteti i Tiranës,D1,vlerësues\n" + // line 2: right
		"123,Ilir,Bega,UT,D1,\n" + // line 3: personal number
		ema + ",,,,,\n" + // line 4: teaches D2
		apNID(4, 4) + ",Lule,Kasa,,D1,\n" + // line 5: no institution
		apNID(5, 5) + ",Mira,Koci,UT,,\n" + // line 6: no experience
		apNID(6, 6) + ",Nora,Dibra,UT,D1,drejtor\n" // line 7: task
	_, err = k.Marking.ImportMarkers(ctx, testkit.AVA, 2009, "D1", "vleresuesit.csv", strings.NewReader(bad))
	d := apDetails(err)
	if apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("want Invalid, got %v", err)
	}
	for _, want := range []string{"Rreshti 3", "Rreshti 4", "Neni 57.7", "Rreshti 5", "institucioni", "Rreshti 6", "lendet", "Rreshti 7"} {
		if !strings.Contains(d, want) {
			t.Errorf("details lack %q: %s", want, d)
		}
	}
	if strings.Contains(d, "Rreshti 2") {
		t.Errorf("line 2 is right: %s", d)
	}
	if rows, _ := k.Marking.Markers(ctx, testkit.AVA, 2009, "D1"); len(rows) != 0 {
		t.Fatalf("appointed from a bad file: %+v", rows)
	}
	if _, err := k.Marking.ImportMarkers(ctx, testkit.AVA, 2009, "D1", "v.csv", strings.NewReader("emri,qyteti\nA,B\n")); apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(apDetails(err), "nr_personal") {
		t.Fatalf("header: %v", err)
	}
	good := "nr_personal,emri_plote,institucioni,lendet,detyra\n" + apNID(3, 3) + ",Genc Pali,Universiteti i Tiranës,D1,përgjegjës\n"
	res, err := k.Marking.ImportMarkers(ctx, testkit.AVA, 2009, "D1", "vleresuesit.csv", strings.NewReader(good))
	if err != nil || res.Appointed != 1 || res.Markers[0].Task != marking.TaskLead {
		t.Fatalf("good file: %+v %v", res, err)
	}
}

// Settings: the defaults until AVA saves them; only AVA; each rule
// named.
func TestNeni57_11_SettingsPerExam(t *testing.T) {
	k, _, ctx := apWorld(t)
	st, err := k.Marking.Settings(ctx, 2009, "D1")
	if err != nil || !st.Default || st.Tolerance != 2 || st.MonitorRatePM != 50 || st.SeededRatePM != 20 {
		t.Fatalf("defaults: %+v %v", st, err)
	}
	if err := k.Marking.SetSettings(ctx, testkit.KMSH("DAR-A"), 2009, "D1", marking.Settings{Tolerance: 1}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("want Forbidden, got %v", err)
	}
	if err := k.Marking.SetSettings(ctx, testkit.AVA, 2009, "D1", marking.Settings{Tolerance: -1, MonitorRatePM: 1001}); apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(apDetails(err), "Neni 57.11") {
		t.Fatalf("want Invalid, got %v", err)
	}
	if err := k.Marking.SetSettings(ctx, testkit.AVA, 2009, "D1", marking.Settings{Tolerance: 3, MonitorRatePM: 100, SeededRatePM: 0}); err != nil {
		t.Fatal(err)
	}
	st, _ = k.Marking.Settings(ctx, 2009, "D1")
	if st.Default || st.Tolerance != 3 || st.MonitorRatePM != 100 || st.SeededRatePM != 0 || st.UpdatedBy != "ava" {
		t.Fatalf("saved: %+v", st)
	}
	if st, _ := k.Marking.Settings(ctx, 2009, "D2"); !st.Default {
		t.Fatal("D2 keeps the defaults")
	}
}

// Appointing is one transaction, fast for a subject's 300 markers.
func TestNeni57_8_AppointsThreeHundredAtOnce(t *testing.T) {
	k, _, ctx := apWorld(t)
	in := make([]marking.Appointment, 300)
	for i := range in {
		in[i] = marking.Appointment{PersonalNo: registry.MakeNID(time.Date(1960+i%30, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC), "F", i), FullName: "Specialiste " + strings.Repeat("a", 1+i%5),
			Institution: "Universiteti", Subjects: "D1"}
	}
	in[0].Task = "lead"
	start := time.Now()
	res, err := k.Marking.Appoint(ctx, testkit.AVA, 2009, "D1", in)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	t.Logf("300 markers appointed in %v", took)
	if res.Appointed != 300 || len(res.Letters) != 300 {
		t.Fatalf("%d appointed, %d letters", res.Appointed, len(res.Letters))
	}
	if took > 20*time.Second {
		t.Fatalf("too slow: %v", took)
	}
}
