package accounts_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"provim/internal/accounts"
	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/testkit"
	"provim/internal/venue"
)

const newPassword = "fjalëkalim-i-ri-2027"

// provisioned creates the accounts of the home school's candidates as its
// own commission and returns the kit, the country and the letters.
func provisioned(t *testing.T) (*testkit.Kit, *testkit.Land, auth.Provisioned) {
	t.Helper()
	k := testkit.New(t)
	land := k.Country(t)
	res, err := k.Accounts.ForSchool(context.Background(), land.Home.KSHMSH(), land.Home.School)
	if err != nil {
		t.Fatal(err)
	}
	return k, land, res
}

// TestAccountsForASchool: a school's commission creates the accounts of
// all its candidates at once, each linked to the student and named by the
// personal number; only the code's hash is stored; another school's
// candidates are not its to create (not found, as anything outside the
// scope); a second run renews the codes of accounts not yet activated and
// leaves activated ones alone.
func TestAccountsForASchool(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k, land, res := provisioned(t)
	if res.Created != 1 || len(res.Letters) != 1 {
		t.Fatalf("provisioned %+v, want the one candidate of A-1", res)
	}
	l := res.Letters[0]
	if l.Username != strings.ToLower(testkit.StudentNID(1, 1)) || l.FullName != "Arbër Çela" || l.Role != auth.RoleStudent || !l.Created {
		t.Fatalf("letter %+v", l)
	}
	if !regexp.MustCompile(`^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$`).MatchString(l.Code) {
		t.Fatalf("code %q: want three groups of four", l.Code)
	}
	if want := testkit.Start.Add(auth.ActivationTTL); !l.Expires.Equal(want) {
		t.Fatalf("expires %v, want %v", l.Expires, want)
	}
	// The code is nowhere in the database, nor in the audit log.
	var n int
	if err := k.DB.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE activation_hash = $1 OR activation_hash LIKE $2`, l.Code, "%"+l.Code+"%").Scan(&n); err != nil || n != 0 {
		t.Fatalf("code stored in clear: %d rows, %v", n, err)
	}
	if err := k.DB.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE after LIKE $1`, "%"+l.Code+"%").Scan(&n); err != nil || n != 0 {
		t.Fatalf("code in the audit log: %d entries, %v", n, err)
	}
	users, total, err := k.Auth.SearchUsers(ctx, testkit.AVA, auth.UserFilter{Status: auth.StatusPending})
	if err != nil || total != 1 || users[0].StudentID != land.Home.Student || !users[0].Pending {
		t.Fatalf("pending accounts %+v (%d), %v", users, total, err)
	}

	// Another school's candidates: not found for this commission.
	if _, err := k.Accounts.ForSchool(ctx, land.Home.KSHMSH(), land.Foreign.School); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("another school: %v, want not found", err)
	}
	// A region does not create candidates' accounts.
	if _, err := k.Accounts.ForSchool(ctx, land.Home.KMSH(), land.Home.School); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("KMSH: %v, want forbidden", err)
	}

	// Again: the code is renewed and the old one no longer works.
	again, err := k.Accounts.ForSchool(ctx, testkit.AVA, land.Home.School)
	if err != nil || again.Renewed != 1 || again.Created != 0 || len(again.Letters) != 1 {
		t.Fatalf("second run %+v, %v: want one renewed", again, err)
	}
	if _, err := k.Auth.Activate(ctx, l.Username, l.Code, newPassword, "10.0.0.1"); apperr.CodeOf(err) != apperr.Unauthorized {
		t.Fatalf("the replaced code: %v, want refused", err)
	}
	if _, err := k.Auth.Activate(ctx, l.Username, strings.ToLower(again.Letters[0].Code), newPassword, "10.0.0.1"); err != nil {
		t.Fatalf("the new code, typed in lower case: %v", err)
	}
	third, err := k.Accounts.ForSchool(ctx, testkit.AVA, land.Home.School)
	if err != nil || third.Active != 1 || len(third.Letters) != 0 {
		t.Fatalf("after activation %+v, %v: want the account left as it is", third, err)
	}
}

// TestActivationCodeWorksOnceAndExpires: the first activation sets the
// password and spends the code; the same code again, a wrong code, an
// unknown user and an expired code get one and the same answer; the new
// password signs in.
func TestActivationCodeWorksOnceAndExpires(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k, _, res := provisioned(t)
	l := res.Letters[0]
	// Before activation no password signs in.
	if _, err := k.Auth.Login(ctx, l.Username, "", "10.0.0.2"); err == nil {
		t.Fatal("an account waiting for activation signed in with no password")
	}
	if _, err := k.Auth.Activate(ctx, l.Username, l.Code, "shkurt", "10.0.0.2"); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("a short password: %v, want invalid", err)
	}
	if _, err := k.Auth.Activate(ctx, l.Username, l.Code, newPassword, "10.0.0.2"); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Auth.Login(ctx, l.Username, newPassword, "10.0.0.2"); err != nil {
		t.Fatalf("login with the new password: %v", err)
	}
	used, _ := k.Auth.Activate(ctx, l.Username, l.Code, "fjalëkalim-tjetër-99", "10.0.0.3")
	_, usedErr := k.Auth.Activate(ctx, l.Username, l.Code, "fjalëkalim-tjetër-99", "10.0.0.3")
	_, wrong := k.Auth.Activate(ctx, l.Username, "AAAA-BBBB-CCCC", "fjalëkalim-tjetër-99", "10.0.0.4")
	_, nobody := k.Auth.Activate(ctx, "nuk-ekziston", l.Code, "fjalëkalim-tjetër-99", "10.0.0.5")
	if used != nil || usedErr == nil || wrong == nil || nobody == nil || usedErr.Error() != wrong.Error() || wrong.Error() != nobody.Error() {
		t.Fatalf("used %v, wrong %v, nobody %v: want one refusal for all", usedErr, wrong, nobody)
	}
	if _, err := k.Auth.Login(ctx, l.Username, newPassword, "10.0.0.2"); err != nil {
		t.Fatalf("the spent code changed the password: %v", err)
	}

	// An expired code.
	k2, _, res2 := provisioned(t)
	k2.Clock.Set(testkit.Start.Add(auth.ActivationTTL + time.Minute))
	if _, err := k2.Auth.Activate(ctx, res2.Letters[0].Username, res2.Letters[0].Code, newPassword, "10.0.0.6"); apperr.CodeOf(err) != apperr.Unauthorized {
		t.Fatalf("expired code: %v, want refused", err)
	}
}

// TestActivationIsThrottledLikeLogins: guessing codes counts as failed
// logins of the account from the address; after the free tries even the
// right code waits.
func TestActivationIsThrottledLikeLogins(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k, _, res := provisioned(t)
	l := res.Letters[0]
	for i := range auth.PairFree {
		if _, err := k.Auth.Activate(ctx, l.Username, "AAAA-BBBB-CCC"+string(rune('A'+i)), newPassword, "10.0.0.9"); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Fatalf("guess %d: %v", i+1, err)
		}
	}
	if _, err := k.Auth.Activate(ctx, l.Username, l.Code, newPassword, "10.0.0.9"); apperr.CodeOf(err) != apperr.TooMany {
		t.Fatalf("the right code after %d guesses: %v, want to wait", auth.PairFree, err)
	}
	// Password guesses on the same account share the count.
	if _, err := k.Auth.Login(ctx, l.Username, "diçka-tjetër-1", "10.0.0.9"); apperr.CodeOf(err) != apperr.TooMany {
		t.Fatalf("login after the guesses: %v, want to wait", err)
	}
	k.Clock.Set(testkit.Start.Add(2 * time.Minute))
	if _, err := k.Auth.Activate(ctx, l.Username, l.Code, newPassword, "10.0.0.9"); err != nil {
		t.Fatalf("after the wait: %v", err)
	}
}

// TestResetByLetter: AVA's reset stops the old password at once, ends the
// account's sessions and gives a letter whose code sets a new one.
func TestResetByLetter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k, _, res := provisioned(t)
	l := res.Letters[0]
	if _, err := k.Auth.Activate(ctx, l.Username, l.Code, newPassword, "10.0.1.1"); err != nil {
		t.Fatal(err)
	}
	sess, err := k.Auth.Login(ctx, l.Username, newPassword, "10.0.1.1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Auth.ResetByLetter(ctx, testkit.KSHMSH("A-1"), []string{l.Username}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("a school resets: %v, want forbidden", err)
	}
	letters, err := k.Auth.ResetByLetter(ctx, testkit.AVA, []string{l.Username})
	if err != nil || len(letters) != 1 {
		t.Fatalf("reset: %v %v", letters, err)
	}
	if s, _ := k.Auth.SessionUser(ctx, sess.Token); s != nil {
		t.Fatal("the session outlived the reset")
	}
	if _, err := k.Auth.Login(ctx, l.Username, newPassword, "10.0.1.1"); err == nil {
		t.Fatal("the old password works after the reset")
	}
	if _, err := k.Auth.Activate(ctx, l.Username, letters[0].Code, "fjalëkalim-i-tretë-3", "10.0.1.1"); err != nil {
		t.Fatal(err)
	}
}

// TestUsersSearchPagesAndBulkDisable: the users list finds names ignoring
// case and ë/ç, pages with the total, and AVA disables many at once (never
// itself).
func TestUsersSearchPagesAndBulkDisable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k, _, res := provisioned(t)
	for _, n := range []auth.NewUser{
		{Username: "ava", FullName: "Drita Kola", Role: auth.RoleAVA},
		{Username: "v1", FullName: "Ëngjëll Çaushi", Role: auth.RoleMarker, Subject: "D1"},
		{Username: "v2", FullName: "Engjell Caushi", Role: auth.RoleMarker, Subject: "D2"},
	} {
		n.Password = newPassword
		if _, err := k.Auth.CreateUser(ctx, nil, n); err != nil {
			t.Fatal(err)
		}
	}
	for q, want := range map[string]int{"caushi": 2, "ÇAUSHI": 2, "engjell": 2, "cela": 1, "Çela": 1, "arbër": 1, "kola": 1, "50%": 0} {
		_, total, err := k.Auth.SearchUsers(ctx, testkit.AVA, auth.UserFilter{Q: q})
		if err != nil || total != want {
			t.Errorf("search %q: %d, %v; want %d", q, total, err, want)
		}
	}
	page, total, err := k.Auth.SearchUsers(ctx, testkit.AVA, auth.UserFilter{Limit: 2, Offset: 2})
	if err != nil || total != 4 || len(page) != 2 {
		t.Fatalf("page 2 of 2: %d of %d, %v", len(page), total, err)
	}
	if _, _, err := k.Auth.SearchUsers(ctx, testkit.AVA, auth.UserFilter{Status: "student"}); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("unknown status: %v", err)
	}
	n, err := k.Auth.SetDisabledMany(ctx, testkit.AVA, []string{"v1", "v2", res.Letters[0].Username}, true)
	if err != nil || n != 3 {
		t.Fatalf("disable three: %d, %v", n, err)
	}
	if _, err := k.Auth.SetDisabledMany(ctx, testkit.AVA, []string{"v1", "ava"}, false); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Auth.SetDisabledMany(ctx, testkit.AVA, []string{"v2", "ava"}, true); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("AVA disables itself: %v", err)
	}
	_, disabled, _ := k.Auth.SearchUsers(ctx, testkit.AVA, auth.UserFilter{Status: auth.StatusDisabled})
	if disabled != 2 {
		t.Fatalf("disabled: %d, want 2 (all or nothing)", disabled)
	}
	if _, err := k.Auth.Activate(ctx, res.Letters[0].Username, res.Letters[0].Code, newPassword, "10.0.2.1"); apperr.CodeOf(err) != apperr.Unauthorized {
		t.Fatalf("a disabled account activates: %v", err)
	}
}

// TestNeni47_5_VenueAccountsOnlyAfterTheDraw: the staff of a venue get
// accounts from the draw that placed them; before it nobody does, and a
// region creates none for a venue outside its DAR/ZA.
func TestNeni47_5_VenueAccountsOnlyAfterTheDraw(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := testkit.New(t)
	land := k.Country(t)
	_, err := k.Accounts.ForVenue(ctx, land.Home.KMSH(), land.Home.Venue)
	if apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), "Neni 47") {
		t.Fatalf("before the draw: %v, want a refusal naming Neni 47", err)
	}
	if _, err := k.Accounts.ForVenue(ctx, land.Home.KMSH(), land.Foreign.Venue); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("a foreign venue: %v, want not found", err)
	}
	if _, err := k.Accounts.ForVenue(ctx, land.Home.KSHMSH(), land.Home.Venue); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("a school: %v, want forbidden", err)
	}
}

// TestStudentByRef: a student account names the student by personal
// number, never by a database id; a number that means nothing is refused
// with a sentence.
func TestStudentByRef(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := testkit.New(t)
	land := k.Country(t)
	st, err := k.Accounts.StudentByRef(ctx, testkit.AVA, strings.ToLower(testkit.StudentNID(1, 1)))
	if err != nil || st.ID != land.Home.Student {
		t.Fatalf("by personal number: %+v, %v", st, err)
	}
	for _, ref := range []string{"1", "", "270189208", "X99999999Z"} {
		if _, err := k.Accounts.StudentByRef(ctx, testkit.AVA, ref); err == nil || apperr.CodeOf(err) == apperr.Internal {
			t.Errorf("%q: %v, want a refusal", ref, err)
		}
	}
	// A member of staff, by personal number too.
	pn := registry.MakeNID(time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC), "F", 1)
	sf, err := k.Accounts.StaffByPersonalNo(ctx, testkit.AVA, strings.ToLower(pn))
	if err != nil || sf.ID != land.Home.Staff {
		t.Fatalf("staff by personal number: %+v, %v", sf, err)
	}
	if _, err := k.Accounts.StaffByPersonalNo(ctx, testkit.AVA, "1"); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("staff «1»: %v, want not found", err)
	}
}

// TestLettersPDF renders the letters: one A4 page per person, Albanian,
// with the username, the code and the address of the activation page.
func TestLettersPDF(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	letters := []auth.Letter{
		{Username: "j12345678a", FullName: "Arbër Çela", Role: auth.RoleStudent, Code: "ABCD-EFGH-JKMN", Expires: testkit.Start},
		{Username: "k80010101b", FullName: "Ëngjëll Dhima", Role: auth.RolePAP, Scope: "Qendra Q-A-1", Code: "PQRT-UVWX-YZ23", Expires: testkit.Start},
	}
	body, err := accounts.Letters(letters, "https://provim.example/aktivizimi", testkit.Start)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "letra.pdf")
	if err := os.WriteFile(file, body, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(string(out), "\f")
	if len(pages) < 2 || strings.TrimSpace(strings.Join(pages[2:], "")) != "" {
		t.Fatalf("%d pages, want 2:\n%s", len(pages), out)
	}
	for i, l := range letters {
		for _, want := range []string{l.FullName, l.Username, l.Code, "https://provim.example/aktivizimi", "Si ta aktivizoni llogarinë", "01.03.2027 10:00"} {
			if !strings.Contains(pages[i], want) {
				t.Errorf("page %d lacks %q:\n%s", i+1, want, pages[i])
			}
		}
	}
}

// TestAuditPageFilters: the audit log reads page by page with the total,
// by object, person, action and time (the users page's entries here).
func TestAuditPageFilters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k, land, res := provisioned(t)
	k.Clock.Set(testkit.Start.Add(time.Hour))
	if _, err := k.Auth.Activate(ctx, res.Letters[0].Username, res.Letters[0].Code, newPassword, "10.0.3.1"); err != nil {
		t.Fatal(err)
	}
	all, total, err := audit.QueryPage(ctx, k.DB.DB, audit.Filter{Type: "user"})
	if err != nil || total != 2 || len(all) != 2 || all[0].Action != "activate" {
		t.Fatalf("user entries %+v (%d), %v: want create and activate, newest first", all, total, err)
	}
	byActor, total, err := audit.QueryPage(ctx, k.DB.DB, audit.Filter{Actor: land.Home.KSHMSH().Username, Type: "user"})
	if err != nil || total != 1 || byActor[0].Action != "create" {
		t.Fatalf("by the school: %+v (%d), %v", byActor, total, err)
	}
	if _, total, _ := audit.QueryPage(ctx, k.DB.DB, audit.Filter{Type: "user", From: testkit.Start.Add(time.Minute)}); total != 1 {
		t.Fatalf("from an hour on: %d, want the activation", total)
	}
	if _, total, _ := audit.QueryPage(ctx, k.DB.DB, audit.Filter{Type: "user", To: testkit.Start.Add(time.Minute)}); total != 1 {
		t.Fatalf("before: %d, want the creation", total)
	}
	page, total, err := audit.QueryPage(ctx, k.DB.DB, audit.Filter{Limit: 1, Offset: 1})
	if err != nil || len(page) != 1 || total < 3 {
		t.Fatalf("a page of one: %d of %d, %v", len(page), total, err)
	}
}

// TestNeni12_9_NoticesOnePagePerCandidate: the school's notices of the
// venue print one A4 page per candidate with the exam, its start and the
// time to arrive (Neni 52.1), the venue, its address, the room and floor;
// the XLSX table has one row per candidate.
func TestNeni12_9_NoticesOnePagePerCandidate(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	s := accounts.Sitting{Exam: "D1", Name: "Gjuha shqipe dhe letërsia", Start: time.Date(2027, 6, 8, 10, 0, 0, 0, testkit.Start.Location()),
		School: "Gjimnazi Çajupi (A-1)", Year: 2027, Session: 1}
	seats := []venue.SchoolSeat{
		{RegNo: "270100018", FullName: "Arbër (Ilir) Çela", VenueCode: "Q-A-1", VenueName: "Gjimnazi Çajupi", City: "Tiranë", Address: "Rr. e Durrësit", Room: "Salla 1", Floor: 2},
		{RegNo: "270100026", FullName: "Ëngjëll (Agim) Dhima", VenueCode: "Q-A-1", VenueName: "Gjimnazi Çajupi", City: "Tiranë", Room: "Salla 2", Floor: 1},
	}
	body, err := accounts.NoticesPDF(s, seats, testkit.Start)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "njoftimet.pdf")
	if err := os.WriteFile(file, body, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(string(out), "\f")
	if len(pages) < 2 || strings.TrimSpace(strings.Join(pages[2:], "")) != "" {
		t.Fatalf("want 2 pages:\n%s", out)
	}
	for i, st := range seats {
		for _, want := range []string{st.FullName, st.RegNo, st.VenueName + " (Q-A-1)", st.Room + ", kati", "08.06.2027 10:00", "09:00", "Neni 52.1", "Neni 52.5"} {
			if !strings.Contains(pages[i], want) {
				t.Errorf("page %d lacks %q:\n%s", i+1, want, pages[i])
			}
		}
	}
	tb := accounts.NoticesTable(s, seats, testkit.Start)
	if len(tb.Rows) != 2 || tb.Rows[0][4] != "Rr. e Durrësit, Tiranë" || tb.Rows[1][4] != "Tiranë" {
		t.Fatalf("table rows %q", tb.Rows)
	}
}

// TestMarkerAccountSubjectIsAnExamOfTheYear (issue 11, part C):
// a marker's or monitor's subject is an exam of the active year (D1, D2,
// an elective's code), written as the year writes it; another value is
// refused with a sentence naming it and what is accepted.
func TestMarkerAccountSubjectIsAnExamOfTheYear(t *testing.T) {
	t.Parallel()
	k := testkit.New(t)
	ctx := context.Background()
	y, err := k.Years.Active(ctx)
	if err != nil {
		t.Fatal(err)
	}
	elective := y.Config.Electives()[0].Code
	for subject, want := range map[string]string{"d1": "D1", " D2 ": "D2", strings.ToLower(elective): elective} {
		n, err := k.Accounts.CheckSubject(ctx, auth.NewUser{Role: auth.RoleMarker, Subject: subject})
		if err != nil || n.Subject != want {
			t.Errorf("marker of %q: %q, %v; want %q", subject, n.Subject, err, want)
		}
	}
	for _, role := range []auth.Role{auth.RoleMarker, auth.RoleMonitor} {
		_, err := k.Accounts.CheckSubject(ctx, auth.NewUser{Role: role, Subject: "ZZZ"})
		if apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), "«ZZZ» nuk është provim") || !strings.Contains(err.Error(), elective) {
			t.Errorf("%s of ZZZ: %v", role, err)
		}
	}
	// Not a subject's role: nothing to check here (auth refuses the field).
	if _, err := k.Accounts.CheckSubject(ctx, auth.NewUser{Role: auth.RoleAVA, Subject: "ZZZ"}); err != nil {
		t.Errorf("AVA: %v", err)
	}
}
