package anonym_test

import (
	"bytes"
	"context"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"provim/internal/anonym"
	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
)

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Fatalf("want %s, got %v", code, err)
	}
}

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	cmd := exec.Command("pdftotext", "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestNeni53_4_PairsForD1D2TriplesForElectives(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	d1, err := w.svc.Generate(w.ctx, ava, year, "d1")
	if err != nil {
		t.Fatal(err)
	}
	if d1.Codes != 9 || d1.Rooms != 3 || d1.Venues != 2 || d1.Labels != 2 || !d1.Created {
		t.Fatalf("D1: %+v", d1)
	}
	kim, err := w.svc.Generate(w.ctx, ava, year, "KIM")
	if err != nil {
		t.Fatal(err)
	}
	if kim.Codes != 3 || kim.Rooms != 1 || kim.Labels != 3 {
		t.Fatalf("KIM: %+v", kim)
	}
	// Idempotent: the codes stay.
	again, err := w.svc.Generate(w.ctx, ava, year, "D1")
	if err != nil || again.Created || again.Codes != 9 {
		t.Fatalf("again: %+v %v", again, err)
	}
	for _, c := range []struct {
		exam   string
		labels int
		rooms  map[string]int
	}{{"D1", 2, map[string]int{"R1": 4, "R2": 3}}, {"KIM", 3, map[string]int{"R1": 3}}} {
		pdf, err := w.svc.LabelSheets(w.ctx, ava, year, c.exam, "V-A")
		if err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, pdf)
		for room, n := range c.rooms {
			codes := w.codes(t, c.exam, "V-A", room)
			if len(codes) != n {
				t.Fatalf("%s %s: %d codes, want %d", c.exam, room, len(codes), n)
			}
			for _, code := range codes {
				if !anonym.Valid(code) {
					t.Fatalf("code %q invalid", code)
				}
				if got := strings.Count(text, anonym.Display(code)); got != c.labels {
					t.Fatalf("%s: code %s printed %d times, want %d (Neni 53.4)", c.exam, code, got, c.labels)
				}
			}
		}
		for _, s := range []string{"Kodet e sekretimit", "Qendra: V-A · Gjimnazi Çajupi", "Lista emërore", "Test-broshura"} {
			if !strings.Contains(text, s) {
				t.Fatalf("%s sheets lack %q:\n%s", c.exam, s, text)
			}
		}
		if c.labels == 3 && !strings.Contains(text, "Fleta e përgjigjeve") {
			t.Fatal("the elective's third label is missing")
		}
	}
	// One code per seated candidate, unique in the year.
	var all []string
	for _, k := range []string{"V-A/R1", "V-A/R2"} {
		all = append(all, w.codes(t, "D1", "V-A", strings.TrimPrefix(k, "V-A/"))...)
	}
	all = append(all, w.codes(t, "D1", "V-B", "R1")...)
	all = append(all, w.codes(t, "KIM", "V-A", "R1")...)
	slices.Sort(all)
	if len(slices.Compact(all)) != 12 {
		t.Fatalf("codes not unique: %v", all)
	}
}

func TestNeni51_3_OnlyAVAMakesCodesAndVenueStaffReadTheirLabels(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	_, err := w.svc.Generate(w.ctx, papA, year, "D1")
	wantCode(t, err, apperr.Forbidden)
	_, err = w.svc.Generate(w.ctx, kmshA, year, "D1")
	wantCode(t, err, apperr.Forbidden)
	_, err = w.svc.Generate(w.ctx, ava, year, "XYZ")
	wantCode(t, err, apperr.NotFound)
	if _, err := w.svc.Generate(w.ctx, ava, year, "D1"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		who  string
		pdf  func() ([]byte, error)
		want string
	}{
		{"AS of V-A", func() ([]byte, error) { return w.svc.LabelSheets(w.ctx, asA, year, "D1", "V-A") }, ""},
		{"PAP of V-A", func() ([]byte, error) { return w.svc.LabelSheets(w.ctx, papA, year, "D1", "V-A") }, ""},
		{"AS of V-B reading V-A", func() ([]byte, error) { return w.svc.LabelSheets(w.ctx, asB, year, "D1", "V-A") }, apperr.NotFound},
		{"AP of V-A", func() ([]byte, error) { return w.svc.LabelSheets(w.ctx, apA, year, "D1", "V-A") }, apperr.NotFound},
		{"marker", func() ([]byte, error) { return w.svc.LabelSheets(w.ctx, marker, year, "D1", "V-A") }, apperr.Forbidden},
		{"KMSH", func() ([]byte, error) { return w.svc.LabelSheets(w.ctx, kmshA, year, "D1", "V-A") }, apperr.Forbidden},
	} {
		_, err := p.pdf()
		if p.want == "" && err != nil || p.want != "" && apperr.CodeOf(err) != p.want {
			t.Fatalf("%s: %v, want %q", p.who, err, p.want)
		}
	}
	_, err = w.svc.Status(w.ctx, papA, year, "D1")
	wantCode(t, err, apperr.Forbidden)
}

func TestCheckCharacterCatchesOneCharacterTypos(t *testing.T) {
	t.Parallel()
	const symbols = "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U"
	for range 300 {
		code := anonym.NewCode()
		if !anonym.Valid(code) {
			t.Fatalf("%s invalid", code)
		}
		if c, ok := anonym.Normalize(strings.ToLower(anonym.Display(code))); !ok || c != code {
			t.Fatalf("%s typed as %s reads %s %v", code, anonym.Display(code), c, ok)
		}
		for i := range anonym.CodeLen {
			for _, r := range symbols {
				if byte(r) == code[i] {
					continue
				}
				typo := code[:i] + string(r) + code[i+1:]
				if _, ok := anonym.Normalize(typo); ok {
					t.Fatalf("typo %s of %s (position %d) passes the check", typo, code, i+1)
				}
			}
			if i+1 < anonym.CodeLen && code[i] != code[i+1] {
				swap := code[:i] + string(code[i+1]) + string(code[i]) + code[i+2:]
				if _, ok := anonym.Normalize(swap); ok {
					t.Fatalf("swap %s of %s passes the check", swap, code)
				}
			}
		}
		if _, ok := anonym.Normalize(code[:anonym.CodeLen-1]); ok {
			t.Fatal("a short code passes")
		}
	}
}

// attach attaches a code to a student and fails the test on error.
func (w *world) attach(t *testing.T, exam, venue, code string, student int64) {
	t.Helper()
	if err := w.svc.Attach(w.ctx, asA, year, exam, venue, code, student); err != nil {
		t.Fatalf("attach %s → %d: %v", code, student, err)
	}
}

func TestNeni53_3_AttachIdempotentAndRefusesOtherVenuesAndUsedCodes(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if _, err := w.svc.Generate(w.ctx, ava, year, "D1"); err != nil {
		t.Fatal(err)
	}
	r1 := w.codes(t, "D1", "V-A", "R1")
	r2 := w.codes(t, "D1", "V-A", "R2")
	b1 := w.codes(t, "D1", "V-B", "R1")
	s1 := w.seats["D1/V-A/R1"]
	s2 := w.seats["D1/V-A/R2"]
	sb := w.seats["D1/V-B/R1"]
	// No key holders yet: the link cannot be sealed.
	wantCode(t, w.svc.Attach(w.ctx, asA, year, "D1", "V-A", r1[0], s1[0]), apperr.Conflict)
	if _, err := w.svc.NameHolders(w.ctx, ava, year, "D1", []string{"A", "B", "C"}, 2); err != nil {
		t.Fatal(err)
	}
	w.attach(t, "D1", "V-A", r1[0], s1[0])
	// The same pair again, typed in lower case with hyphens: nothing changes.
	w.attach(t, "D1", "V-A", strings.ToLower(anonym.Display(r1[0])), s1[0])
	// Typed wrong: the check symbol refuses it.
	typo := []byte(r1[1])
	typo[2] = map[bool]byte{true: 'A', false: 'B'}[typo[2] != 'A']
	wantCode(t, w.svc.Attach(w.ctx, asA, year, "D1", "V-A", string(typo), s1[1]), apperr.Invalid)
	// The code used for another candidate (who has no label yet).
	wantCode(t, w.svc.Attach(w.ctx, asA, year, "D1", "V-A", r1[0], s1[1]), apperr.Conflict)
	// A candidate with a label gets no second code.
	wantCode(t, w.svc.Attach(w.ctx, asA, year, "D1", "V-A", r1[1], s1[0]), apperr.Conflict)
	// A code of another venue, a candidate of another venue, a code of
	// another room of the venue.
	wantCode(t, w.svc.Attach(w.ctx, asA, year, "D1", "V-A", b1[0], s1[1]), apperr.NotFound)
	wantCode(t, w.svc.Attach(w.ctx, asA, year, "D1", "V-A", r1[1], sb[0]), apperr.NotFound)
	wantCode(t, w.svc.Attach(w.ctx, asA, year, "D1", "V-A", r2[0], s1[1]), apperr.Invalid)
	// A code of another exam.
	wantCode(t, w.svc.Attach(w.ctx, asA, year, "KIM", "V-A", r1[1], s1[1]), apperr.Conflict) // KIM has no key
	// Who may attach: the venue's AS or PAP (Neni 53.2); not its AP, not
	// another venue's AS, not a marker.
	wantCode(t, w.svc.Attach(w.ctx, apA, year, "D1", "V-A", r1[1], s1[1]), apperr.NotFound)
	wantCode(t, w.svc.Attach(w.ctx, asB, year, "D1", "V-A", r1[1], s1[1]), apperr.NotFound)
	wantCode(t, w.svc.Attach(w.ctx, marker, year, "D1", "V-A", r1[1], s1[1]), apperr.Forbidden)
	if err := w.svc.Attach(w.ctx, papA, year, "D1", "V-A", r2[0], s2[0]); err != nil {
		t.Fatal(err)
	}
	// A stricter check wired in (the exam day's draw) replaces the default.
	w.svc.SetStaffCheck(func(ctx context.Context, p *auth.Principal, y int, exam, venue string) error {
		return apperr.New(apperr.NotFound, "jo")
	})
	wantCode(t, w.svc.Attach(w.ctx, papA, year, "D1", "V-A", r2[1], s2[1]), apperr.NotFound)
	// The audit log names the rooms, never a code or a candidate.
	entries, err := audit.Query(w.ctx, w.db.DB, "anonym_room", "", 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Fatalf("%d attach entries", len(entries))
	}
	for _, e := range entries {
		for _, c := range append(append(r1, r2...), b1...) {
			if strings.Contains(e.ObjectID+e.After, c) {
				t.Fatalf("audit names code %s: %+v", c, e)
			}
		}
		if strings.Contains(e.After, "student") {
			t.Fatalf("audit names a candidate: %+v", e)
		}
	}
}
