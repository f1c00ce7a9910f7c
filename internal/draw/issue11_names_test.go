package draw_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"testing"

	"provim/internal/auth"
	"provim/internal/doc"
	"provim/internal/draw"
)

// goldenInputs are the inputs of a draw as the lists were sealed before
// issue 11 (names "Mbiemër Emër (Atësi)"), under a fixed roster key.
func goldenInputs() draw.Inputs {
	in := draw.Inputs{Version: 1, Year: 2027, Session: 1, Exam: "D1", Unit: "DAR-A", ExamSubjects: []string{"D1"},
		Venues: []draw.Venue{{Code: "V-1", Name: "Shkolla «Naim Frashëri»", Schools: []string{"A-1"}, Candidates: 40, Floors: 1,
			Rooms: []draw.Room{{ID: 1, Name: "Salla 1"}}, PAP: 1, AS: 1}},
		Pool: []draw.Person{
			{ID: 7, Role: draw.RolePAP, School: "A-2", Name: "Çela Arbër (Ilir)"},
			{ID: 9, Role: draw.RoleAS, School: "A-1", Name: "Hoxha Ana Maria (Petrit)", Subjects: []string{"D1"}},
		},
	}
	draw.Seal(&in, strings.Repeat("ab", 32))
	return in
}

// TestNeni47_Issue11_DrawPrintsPersonNameKeepsSealedInputs: the draw's
// PDFs and pages name people "Emër (Atësi) Mbiemër" (registry.PersonName,
// issue 11), while the published record keeps its verifiable inputs
// byte for byte (Neni 47.5–47.7): the names the lists were sealed with,
// their keyed hashes, the inputs hash and the commitment, so an existing
// draw's record still verifies, as `provim draw verify` checks it.
func TestNeni47_Issue11_DrawPrintsPersonNameKeepsSealedInputs(t *testing.T) {
	t.Parallel()
	// The canonical inputs of a draw sealed before the change hash as
	// they did then.
	in := goldenInputs()
	const (
		tag0       = "cd515a273367036229ae55af66a0a6134ff9f2c607140b74d5ad86f3f673a907"
		inputsHash = "0fbfef6e7f5bee824e4abc24282f465505fcadd5807333993834532cc8b6cc0b"
		commitment = "231755e3df1b77e24c9601336cd53a36f73a7f2f5d0e6e17caae65cde6e980fc"
	)
	if in.Pool[0].Tag != tag0 || draw.InputsHash(in) != inputsHash || draw.Commitment(strings.Repeat("cd", 32), inputsHash) != commitment {
		t.Fatalf("the sealed inputs changed: tag %s, inputs %s, commitment %s", in.Pool[0].Tag, draw.InputsHash(in),
			draw.Commitment(strings.Repeat("cd", 32), draw.InputsHash(in)))
	}
	for sealed, printed := range map[string]string{
		"Çela Arbër (Ilir)":        "Arbër (Ilir) Çela",
		"Hoxha Ana Maria (Petrit)": "Ana Maria (Petrit) Hoxha",
		"Hoxha Ana ()":             "Ana Hoxha",
		"Hoxha":                    "Hoxha",
		"":                         "",
	} {
		if got := (draw.Person{Name: sealed}).DisplayName(); got != printed {
			t.Errorf("%q prints %q, want %q", sealed, got, printed)
		}
	}

	// A draw made and stored: its record and the public one verify, its
	// entries still carry the sealed names, and only the printing changed.
	w := newWorld(t)
	ctx := context.Background()
	rec := w.drawn(t, "2 7 1 8", "")
	got, err := w.svc.Get(ctx, kmshA, rec.ID)
	if err != nil || draw.Verify(got) != nil {
		t.Fatalf("the commission's record: %v / %v", err, draw.Verify(got))
	}
	if draw.InputsHash(got.Inputs) != rec.InputsHash || got.InputsHash != rec.InputsHash || got.Commitment != rec.Commitment ||
		draw.Commitment(got.Seed, got.InputsHash) != got.Commitment {
		t.Fatalf("inputs hash %s / %s, commitment %s / %s", draw.InputsHash(got.Inputs), rec.InputsHash, got.Commitment, rec.Commitment)
	}
	pub, err := w.svc.Public(ctx, rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(pub)
	var file draw.Record // what `provim draw verify FILE` reads
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err != nil || draw.Verify(file) != nil || file.InputsHash != rec.InputsHash {
		t.Fatalf("the published record: %v / %v", err, draw.Verify(file))
	}
	if _, err := w.svc.Check(ctx, rec.ID); err != nil {
		t.Fatalf("provim draw verify --id: %v", err)
	}
	want := map[string]bool{}
	for _, p := range got.Inputs.Pool {
		last := strings.Fields(p.Name)[0]
		if p.Name != last+" Besa (Ilir)" || draw.Tag(got.RosterKey, p) != p.Tag {
			t.Fatalf("entry %s is not as sealed: %q", p.Ref, p.Name)
		}
		want["Besa (Ilir) "+last] = true
	}
	lines := draw.Lines(got)
	for _, l := range lines {
		if !want[l.DisplayName] || l.Name != strings.Fields(l.DisplayName)[2]+" Besa (Ilir)" {
			t.Fatalf("line %s prints %q (sealed %q), not «Emër (Atësi) Mbiemër»", l.Ref, l.DisplayName, l.Name)
		}
	}
	proto, list := pdfText(t, draw.Protocol(got, w.svc.Now())), pdfText(t, draw.AssignmentList(got, w.svc.Now()))
	for _, l := range lines {
		for name, text := range map[string]string{"protocol": proto, "assignment list": list} {
			if !strings.Contains(text, l.DisplayName) || strings.Contains(text, l.Name) {
				t.Fatalf("the %s PDF does not print %q as «Emër (Atësi) Mbiemër»:\n%s", name, l.DisplayName, text)
			}
		}
	}
	for _, s := range []string{rec.InputsHash, rec.Commitment} {
		if !strings.Contains(strings.ReplaceAll(proto, " ", ""), s) {
			t.Errorf("the protocol does not print %s", s)
		}
	}
}

// pdfText renders a document as a PDF and returns its words (pdftotext).
func pdfText(t *testing.T, tb doc.Table) string {
	t.Helper()
	if _, err := osexec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed")
	}
	body, _, err := doc.Encode(doc.PDF, tb)
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "d.pdf")
	if err := os.WriteFile(f, body, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := osexec.Command("pdftotext", "-layout", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// TestNeni47_Issue11_TwoWordSurnamePrintsWhole: the pages and PDFs of a
// draw name people from the registry's parts of their names, so a surname
// of two words prints whole ("Besa (Ilir) Meta Kodra"), on the
// commission's record and on a venue's; a name corrected in the registry
// after the lists were sealed does not change the record: it keeps
// naming the person it drew (the sealed name), and the record verifies.
func TestNeni47_Issue11_TwoWordSurnamePrintsWhole(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	if _, err := w.db.ExecContext(ctx, `UPDATE staff SET last_name = last_name || ' Kodra' WHERE unit_code IN ('DAR-A', 'ZA-A1')`); err != nil {
		t.Fatal(err)
	}
	rec := w.drawn(t, "3 1 4 1", "")
	got, err := w.svc.Get(ctx, kmshA, rec.ID)
	if err != nil || draw.Verify(got) != nil {
		t.Fatalf("the commission's record: %v / %v", err, draw.Verify(got))
	}
	lines := draw.Lines(got)
	if len(lines) == 0 {
		t.Fatal("no lines")
	}
	for _, l := range lines {
		if !strings.HasPrefix(l.DisplayName, "Besa (Ilir) ") || !strings.HasSuffix(l.DisplayName, " Kodra") {
			t.Fatalf("line %s prints %q, want «Besa (Ilir) … Kodra»", l.Ref, l.DisplayName)
		}
	}
	// The venue's PAP reads their venue's lines, printed the same way.
	first := lines[0]
	venueRec, err := w.svc.Get(ctx, venueStaff(first.Venue), rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range draw.Lines(venueRec) {
		if l.Venue == first.Venue && l.Ref == first.Ref && l.DisplayName != first.DisplayName {
			t.Fatalf("the venue's line prints %q, the commission's %q", l.DisplayName, first.DisplayName)
		}
		if l.Venue != first.Venue && l.DisplayName != "" {
			t.Fatalf("the venue sees the name %q of another venue's line", l.DisplayName)
		}
	}
	// A correction in the registry after the draw: the record keeps the
	// name it sealed.
	if _, err := w.db.ExecContext(ctx, `UPDATE staff SET last_name = 'Tjetër' WHERE id = $1`, first.StaffID); err != nil {
		t.Fatal(err)
	}
	again, err := w.svc.Get(ctx, kmshA, rec.ID)
	if err != nil || draw.Verify(again) != nil {
		t.Fatalf("after the correction: %v / %v", err, draw.Verify(again))
	}
	for _, l := range draw.Lines(again) {
		if l.Ref == first.Ref && (strings.Contains(l.DisplayName, "Tjetër") || !strings.Contains(l.DisplayName, "Kodra")) {
			t.Fatalf("after the correction line %s prints %q", l.Ref, l.DisplayName)
		}
	}
}

// venueStaff is the PAP account of a venue.
func venueStaff(venue string) *auth.Principal {
	return &auth.Principal{Username: "pap." + strings.ToLower(venue), Role: auth.RolePAP, Venue: venue}
}
