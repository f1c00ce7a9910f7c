package auth_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/store/storetest"
)

const pw = "fjalëkalim-i-gjatë-1"

// TestSetPasswordAuthorisesBeforeLookup: a non-AVA caller may change only
// their own password, and for any other username gets the same answer
// whether that account exists or not, so accounts cannot be enumerated.
func TestSetPasswordAuthorisesBeforeLookup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := auth.NewService(storetest.Open(t))
	// A marker: a role whose scope needs no registry row.
	for _, n := range []auth.NewUser{
		{Username: "ava", FullName: "A", Password: pw, Role: auth.RoleAVA},
		{Username: "vleresues", FullName: "V", Password: pw, Role: auth.RoleMarker, Subject: "D1"},
	} {
		if _, err := svc.CreateUser(ctx, nil, n); err != nil {
			t.Fatal(err)
		}
	}
	marker := &auth.Principal{Username: "vleresues", Role: auth.RoleMarker, Subject: "D1"}
	ava := &auth.Principal{Username: "ava", Role: auth.RoleAVA}

	existing := svc.SetPassword(ctx, marker, "ava", pw, "fjalëkalim-i-ri-22")
	missing := svc.SetPassword(ctx, marker, "nuk-ekziston", pw, "fjalëkalim-i-ri-22")
	if apperr.CodeOf(existing) != apperr.Forbidden || apperr.CodeOf(missing) != apperr.Forbidden || existing.Error() != missing.Error() {
		t.Fatalf("another user's password: existing %v, missing %v: want the same 403", existing, missing)
	}
	// Even a bad new password does not tell them apart.
	existing = svc.SetPassword(ctx, marker, "ava", "", "x")
	missing = svc.SetPassword(ctx, marker, "nuk-ekziston", "", "x")
	if apperr.CodeOf(existing) != apperr.Forbidden || existing.Error() != missing.Error() {
		t.Fatalf("with a bad password: %v / %v", existing, missing)
	}
	// Their own password, however the name is written, with the old one.
	if err := svc.SetPassword(ctx, marker, " Vleresues ", "gabim-gabim-gabim", "fjalëkalim-i-ri-22"); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("wrong old password: %v", err)
	}
	if err := svc.SetPassword(ctx, marker, "VLERESUES", pw, "fjalëkalim-i-ri-22"); err != nil {
		t.Fatalf("own password: %v", err)
	}
	if _, err := svc.Authenticate(ctx, "vleresues", "fjalëkalim-i-ri-22", "127.0.0.1"); err != nil {
		t.Fatalf("new password does not log in: %v", err)
	}
	// AVA sets anyone's; for AVA an unknown account is simply not found.
	if err := svc.SetPassword(ctx, ava, "vleresues", "", pw); err != nil {
		t.Fatalf("ava: %v", err)
	}
	if err := svc.SetPassword(ctx, ava, "nuk-ekziston", "", pw); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("ava, unknown user: %v", err)
	}
}

// TestPrincipalJSON: the caller is written with snake_case names, and the
// scope fields a role does not have are left out.
func TestPrincipalJSON(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(&auth.Principal{UserID: 7, Username: "kmsh", FullName: "Drita Kola", Role: auth.RoleKMSH, Unit: "DAR-TR"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"user_id":7,"username":"kmsh","full_name":"Drita Kola","role":"kmsh","unit":"DAR-TR"}`; string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
	b, _ = json.Marshal(&auth.Principal{UserID: 9, Username: "n", FullName: "N", Role: auth.RoleStudent, StudentID: 42})
	if want := `{"user_id":9,"username":"n","full_name":"N","role":"nxenes","student_id":42}`; string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
}

// TestUserScopeIsExactlyTheRolesOwn (issue 11, part C): each role carries
// the scope it needs and no other; a value in a field the role does not
// have is refused with a sentence naming it, never kept meaning nothing.
func TestUserScopeIsExactlyTheRolesOwn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := auth.NewService(storetest.Open(t))
	for _, c := range []struct {
		n    auth.NewUser
		want string
	}{
		{auth.NewUser{Role: auth.RoleAVA, School: "TR-001"}, "«shkolla» (u dha \"TR-001\")"},
		{auth.NewUser{Role: auth.RoleKMSH, Unit: "DAR-TR", Venue: "Q-TR-001"}, "«qendra»"},
		{auth.NewUser{Role: auth.RoleMarker, Subject: "D1", Unit: "DAR-TR"}, "«DAR/ZA»"},
		{auth.NewUser{Role: auth.RolePAP, Venue: "Q-1", Subject: "D1"}, "«lënda»"},
		{auth.NewUser{Role: auth.RoleAVA, StudentID: 7}, "vetëm llogaria e një nxënësi"},
	} {
		n := c.n
		n.Username, n.FullName, n.Password = "prove", "Provë", pw
		_, err := svc.CreateUser(ctx, nil, n)
		if apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s with %+v: %v, want a refusal naming %s", n.Role, c.n, err, c.want)
		}
	}
	if _, err := svc.CreateUser(ctx, nil, auth.NewUser{Username: "v2", FullName: "V", Password: pw, Role: auth.RoleMarker, Subject: "D1"}); err != nil {
		t.Errorf("a marker of D1: %v", err)
	}
}

// TestAuditPageNamesRolesAndHidesIds (issue 11, part D): the audit page
// writes a role and the way of a login as people say them, and shows no
// database id.
func TestAuditPageNamesRolesAndHidesIds(t *testing.T) {
	t.Parallel()
	got := audit.Changes(audit.Entry{After: `{"id":72,"role":"kmsh","student_id":537,"room_id":88,"via":"session","username":"kmsh.tirane"}`})
	want := []audit.Change{{Field: "roli", Before: "—", After: "KMSH"}, {Field: "përdoruesi", Before: "—", After: "kmsh.tirane"}, {Field: "mënyra", Before: "—", After: "hyrje në shfletues"}}
	if !slices.Equal(got, want) {
		t.Fatalf("Changes = %v, want %v", got, want)
	}
}
