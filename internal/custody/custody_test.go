package custody_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/custody"
	"provim/internal/doc/pdf"
	"provim/internal/registry"
	"provim/internal/store"
	"provim/internal/testkit"
)

var (
	ava       = &auth.Principal{Username: "ava", Role: auth.RoleAVA}
	kmshRep   = &auth.Principal{Username: "kmsh.perfaqesues", Role: auth.RoleKMSH, Unit: "DAR-A"}
	kmshChair = &auth.Principal{Username: "kmsh.kryetar", Role: auth.RoleKMSH, Unit: "DAR-A"}
	kmshB     = &auth.Principal{Username: "kmsh.b", Role: auth.RoleKMSH, Unit: "DAR-B"}
	papA      = &auth.Principal{Username: "pap.a", Role: auth.RolePAP, Venue: "Q-A-1"}
	apA       = &auth.Principal{Username: "ap.a", Role: auth.RoleAP, Venue: "Q-A-1"}
	papB      = &auth.Principal{Username: "pap.b", Role: auth.RolePAP, Venue: "Q-B-1"}
	school    = &auth.Principal{Username: "kshmsh", Role: auth.RoleKSHMSH, School: "A-1"}
	student   = &auth.Principal{Username: "nxenes", Role: auth.RoleStudent, StudentID: 1}
)

type world struct {
	k   *testkit.Kit
	db  *store.DB
	svc *custody.Service
	ctx context.Context
}

// at moves the clock to a time of the 2009 D1 exam day (8 June 2009,
// 10:00) or around it, in Tirana.
func (w *world) at(s string) {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, clock.Tirana)
	if err != nil {
		panic(err)
	}
	w.k.Clock.Set(t)
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	k := testkit.New(t)
	db, reg := k.DB, k.Registry
	for _, f := range []struct{ entity, body string }{
		{"units", "kodi,emri,lloji,kodi_prind,qyteti\nDAR-A,DAR Tiranë,DAR,,Tiranë\nZA-A1,ZA Kavajë,ZA,DAR-A,Kavajë\nDAR-B,DAR Durrës,DAR,,Durrës\n"},
		{"schools", "kodi,emri,kodi_dar_za,qyteti,publike,profili,vite\nA-1,Gjimnazi Çajupi,DAR-A,Tiranë,po,gjimnaz,4\nB-1,Gjimnazi Durrësi,DAR-B,Durrës,po,gjimnaz,4\n"},
		{"venues", "kodi_qendres,emri_qendres,kodi_shkolles,qyteti,salla,vende\nQ-A-1,Gjimnazi Çajupi,A-1,Tiranë,Salla 1,20\nQ-A-1,Gjimnazi Çajupi,A-1,Tiranë,Salla 2,18\nQ-B-1,Gjimnazi Durrësi,B-1,Durrës,Salla 1,20\n"},
	} {
		if _, err := reg.Import(ctx, ava, f.entity, f.entity+".csv", strings.NewReader(f.body), nil); err != nil {
			t.Fatalf("%s: %v", f.entity, err)
		}
	}
	w := &world{k: k, db: db, svc: k.Custody, ctx: ctx}
	w.at("2009-06-05 09:00")
	if _, err := w.svc.Create(ctx, ava, custody.CreateInput{Exam: "D1", Session: 1}); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) get(t *testing.T, p *auth.Principal, venue string) custody.Consignment {
	t.Helper()
	c, err := w.svc.Get(w.ctx, p, venue, "D1", 1)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// seals returns the registered seals of every package, keyed by code, as
// an honest reader would read them.
func seals(c custody.Consignment) map[string][]string {
	out := map[string][]string{}
	for _, p := range c.Packages {
		out[p.Code] = p.Seals
	}
	return out
}

type party struct {
	recorder, confirmer *auth.Principal
	givers, receivers   []string
}

var chain = []party{
	1: {ava, kmshRep, []string{"Arta Hoxha (AVA)"}, []string{"Besa Leka (KMSH)", "Ilir Dema (MASH)"}},
	2: {kmshRep, kmshChair, []string{"Besa Leka", "Ilir Dema"}, []string{"Genc Kola, kryetar i KMSH"}},
	3: {kmshChair, papA, []string{"Genc Kola"}, []string{"Drita Çela (PAP)", "Ervin Shehu (KMSH)"}},
	4: {papA, apA, []string{"Drita Çela"}, []string{"Arbër Zeka (AP)", "Ëngjëll Gjoni (AP)"}},
	5: {apA, papA, []string{"Arbër Zeka", "Ëngjëll Gjoni"}, []string{"Drita Çela"}},
	6: {papA, kmshRep, []string{"Drita Çela", "Luan Prifti, drejtor"}, []string{"Ervin Shehu"}},
	7: {papA, kmshChair, []string{"Drita Çela", "Ervin Shehu"}, []string{"Genc Kola"}},
	8: {kmshRep, ava, []string{"Besa Leka", "Ilir Dema"}, []string{"Arta Hoxha"}},
}

// step records and confirms step n of Q-A-1 honestly.
func (w *world) step(t *testing.T, n int) custody.Handover {
	t.Helper()
	pt := chain[n]
	c := w.get(t, ava, "Q-A-1")
	h, err := w.svc.Record(w.ctx, pt.recorder, custody.RecordInput{Venue: "Q-A-1", Exam: "D1", Session: 1, Step: n,
		Givers: pt.givers, Receivers: pt.receivers, Seals: seals(c)})
	if err != nil {
		t.Fatalf("record step %d: %v (%v)", n, err, details(err))
	}
	h, err = w.svc.Confirm(w.ctx, pt.confirmer, h.ID, custody.ConfirmInput{Seals: seals(c)})
	if err != nil {
		t.Fatalf("confirm step %d: %v (%v)", n, err, details(err))
	}
	return h
}

func details(err error) []string {
	if e, ok := err.(*apperr.Error); ok {
		return e.Details
	}
	return nil
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if !apperr.Is(err, code) {
		t.Fatalf("want %s, got %v", code, err)
	}
}

func count(t *testing.T, db *store.DB, q string, args ...any) (n int) {
	t.Helper()
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestNeni42_PackagesHaveIdentityAndSeals(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	board, err := w.svc.Board(w.ctx, ava, custody.Filter{Exam: "D1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(board) != 2 {
		t.Fatalf("consignments: %d, want one per venue (2)", len(board))
	}
	codes, sealSet := map[string]bool{}, map[string]bool{}
	for _, c := range board {
		if len(c.Packages) != 4 || c.Stage != 0 || c.Holder != "AVA" {
			t.Fatalf("%s: %d packages, stage %d, holder %q", c.VenueCode, len(c.Packages), c.Stage, c.Holder)
		}
		for _, p := range c.Packages {
			if codes[p.Code] || len(p.Seals) != 2 {
				t.Fatalf("package %s: duplicate code or %d seals", p.Code, len(p.Seals))
			}
			codes[p.Code] = true
			for _, s := range p.Seals {
				if sealSet[s] {
					t.Fatalf("seal %s used twice", s)
				}
				sealSet[s] = true
			}
		}
	}
	// Q-A-1 has 38 seats and no exam plan: booklets for 38 + reserve, a pair of labels each.
	a := w.get(t, ava, "Q-A-1")
	if a.Packages[0].Kind != custody.KindBooklets || a.Packages[0].Items != 40 || a.Packages[2].Items != 76 {
		t.Fatalf("packages of Q-A-1: %+v", a.Packages)
	}
	// Again: nothing new; only AVA prepares packages.
	res, err := w.svc.Create(w.ctx, ava, custody.CreateInput{Exam: "D1"})
	if err != nil || res.Created != 0 || res.Existing != 2 {
		t.Fatalf("second create: %+v %v", res, err)
	}
	_, err = w.svc.Create(w.ctx, kmshRep, custody.CreateInput{Exam: "D1"})
	wantCode(t, err, apperr.Forbidden)
	_, err = w.svc.Create(w.ctx, ava, custody.CreateInput{Exam: "XX"})
	wantCode(t, err, apperr.Invalid)
	if n := count(t, w.db, `SELECT COUNT(*) FROM audit_log WHERE object_type = 'custody_consignment'`); n != 2 {
		t.Fatalf("audit entries: %d", n)
	}
}

func TestNeni42_PackagesFollowTheExamPlan(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := w.ctx
	reg := w.k.Registry
	body := "nr_personal,emri,atesia,mbiemri,datelindja,kodi_shkolles\n" +
		registry.MakeNID(time.Date(1991, 5, 1, 0, 0, 0, 0, time.UTC), "M", 1) + ",Arbër,Ilir,Çela,01.05.1991,A-1\n" +
		registry.MakeNID(time.Date(1991, 5, 2, 0, 0, 0, 0, time.UTC), "F", 2) + ",Ema,Ilir,Dema,02.05.1991,A-1\n"
	if _, err := reg.Import(ctx, ava, "students", "s.csv", strings.NewReader(body), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.Exec(`INSERT INTO exam_seats (year, session, exam, student_id, venue_code, room_id, seat_no)
		SELECT 2009, 1, 'D2', s.id, 'Q-A-1', (SELECT MIN(id) FROM rooms WHERE venue_code = 'Q-A-1'), s.id FROM students s`); err != nil {
		t.Fatal(err)
	}
	res, err := w.svc.Create(ctx, ava, custody.CreateInput{Exam: "D2", Session: 1})
	if err != nil || res.Created != 1 || !res.FromPlan {
		t.Fatalf("create from plan: %+v %v", res, err)
	}
	c, err := w.svc.Get(ctx, ava, "Q-A-1", "D2", 1)
	if err != nil {
		t.Fatal(err)
	}
	if c.Packages[0].Items != 4 || c.Packages[2].Items != 4 {
		t.Fatalf("2 candidates: %+v", c.Packages)
	}
	if _, err := w.svc.Get(ctx, ava, "Q-B-1", "D2", 1); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("venue without candidates got packages: %v", err)
	}
}

func TestNeni42_46_WholeChainInOrderConfirmedByBothParties(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.at("2009-06-07 11:00")
	w.step(t, 1)
	w.step(t, 2)
	w.at("2009-06-08 07:55")
	w.step(t, 3)
	w.at("2009-06-08 09:30")
	w.step(t, 4)
	w.at("2009-06-08 13:00")
	for n := 5; n <= 8; n++ {
		w.step(t, n)
	}
	c := w.get(t, ava, "Q-A-1")
	if c.Stage != 8 || c.Late || c.Missing || c.Pending != nil || c.Next != nil || len(c.Handovers) != 8 {
		t.Fatalf("after the chain: stage %d late %v missing %v flags %v", c.Stage, c.Late, c.Missing, c.Flags)
	}
	for _, h := range c.Handovers {
		if !h.Confirmed || h.RecordedBy == h.ConfirmedBy || h.RecordedAt == "" || h.ConfirmedAt == "" {
			t.Fatalf("hand-over %d: %+v", h.Step, h)
		}
	}
	// Closed: nothing more.
	_, err := w.svc.Record(w.ctx, ava, custody.RecordInput{Venue: "Q-A-1", Exam: "D1", Step: 8})
	wantCode(t, err, apperr.Conflict)
	if n, p, err := audit.Verify(w.ctx, w.db.DB); err != nil || p != nil || n == 0 {
		t.Fatalf("audit chain: %d %v %v", n, p, err)
	}
	if n := count(t, w.db, `SELECT COUNT(*) FROM audit_log WHERE object_type = 'custody_handover'`); n != 16 {
		t.Fatalf("audit entries of hand-overs: %d, want 16", n)
	}
}

func TestNeni44_NoStepSkippedNoPackageHandedOverByWhoDoesNotHoldIt(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.get(t, ava, "Q-A-1")
	// The PAP cannot take the materials before they are in the KMSH safe.
	_, err := w.svc.Record(w.ctx, kmshChair, custody.RecordInput{Venue: "Q-A-1", Exam: "D1", Step: 3,
		Givers: []string{"Genc Kola"}, Receivers: []string{"Drita Çela", "Ervin Shehu"}, Seals: seals(c)})
	wantCode(t, err, apperr.Conflict)
	// Only the holder (AVA) hands over step 1.
	_, err = w.svc.Record(w.ctx, kmshRep, custody.RecordInput{Venue: "Q-A-1", Exam: "D1", Step: 1,
		Givers: chain[1].givers, Receivers: chain[1].receivers, Seals: seals(c)})
	wantCode(t, err, apperr.Forbidden)
	// Recorded but not confirmed: the materials stay at AVA, the next step waits.
	h, err := w.svc.Record(w.ctx, ava, custody.RecordInput{Venue: "Q-A-1", Exam: "D1", Step: 1,
		Givers: chain[1].givers, Receivers: chain[1].receivers, Seals: seals(c)})
	if err != nil {
		t.Fatal(err)
	}
	if c := w.get(t, ava, "Q-A-1"); c.Stage != 0 || c.Pending == nil || c.Pending.ID != h.ID {
		t.Fatalf("pending: stage %d pending %+v", c.Stage, c.Pending)
	}
	_, err = w.svc.Record(w.ctx, kmshRep, custody.RecordInput{Venue: "Q-A-1", Exam: "D1", Step: 2,
		Givers: chain[2].givers, Receivers: chain[2].receivers, Seals: seals(c)})
	wantCode(t, err, apperr.Conflict)
	_, err = w.svc.Record(w.ctx, ava, custody.RecordInput{Venue: "Q-A-1", Exam: "D1", Step: 1,
		Givers: chain[1].givers, Receivers: chain[1].receivers, Seals: seals(c)})
	wantCode(t, err, apperr.Conflict)
	// An unknown step is bad input.
	_, err = w.svc.Record(w.ctx, ava, custody.RecordInput{Venue: "Q-A-1", Exam: "D1", Step: 9})
	wantCode(t, err, apperr.Invalid)
}

func TestNeni42_BothPartiesNamedAndConfirmedByTheOtherSide(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.get(t, ava, "Q-A-1")
	// Neni 42: two authorised persons receive.
	_, err := w.svc.Record(w.ctx, ava, custody.RecordInput{Venue: "Q-A-1", Exam: "D1", Step: 1,
		Givers: []string{"Arta Hoxha"}, Receivers: []string{"Besa Leka"}, Seals: seals(c)})
	wantCode(t, err, apperr.Invalid)
	if len(details(err)) != 1 {
		t.Fatalf("details: %v", details(err))
	}
	h, err := w.svc.Record(w.ctx, ava, custody.RecordInput{Venue: "Q-A-1", Exam: "D1", Step: 1,
		Givers: chain[1].givers, Receivers: chain[1].receivers, Seals: seals(c)})
	if err != nil {
		t.Fatal(err)
	}
	// The giver cannot confirm their own hand-over, nor can a role of the giving side.
	_, err = w.svc.Confirm(w.ctx, ava, h.ID, custody.ConfirmInput{Seals: seals(c)})
	wantCode(t, err, apperr.Forbidden)
	_, err = w.svc.Confirm(w.ctx, &auth.Principal{Username: "ava", Role: auth.RoleKMSH, Unit: "DAR-A"}, h.ID, custody.ConfirmInput{Seals: seals(c)})
	wantCode(t, err, apperr.Forbidden)
	// The other DAR does not see it.
	_, err = w.svc.Confirm(w.ctx, kmshB, h.ID, custody.ConfirmInput{Seals: seals(c)})
	wantCode(t, err, apperr.NotFound)
	h, err = w.svc.Confirm(w.ctx, kmshRep, h.ID, custody.ConfirmInput{Seals: seals(c)})
	if err != nil || !h.Confirmed || h.ConfirmedBy != kmshRep.Username {
		t.Fatalf("confirm: %+v %v", h, err)
	}
	_, err = w.svc.Confirm(w.ctx, kmshChair, h.ID, custody.ConfirmInput{Seals: seals(c)})
	wantCode(t, err, apperr.Conflict)
	if c := w.get(t, ava, "Q-A-1"); c.Stage != 1 || c.Holder != custody.HolderLabel(1) {
		t.Fatalf("holder after step 1: %d %q", c.Stage, c.Holder)
	}
}

func TestNeni45_SealMismatchRefusedNothingSaved(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.get(t, ava, "Q-A-1")
	before := count(t, w.db, `SELECT COUNT(*) FROM audit_log`)
	bad := seals(c)
	bad[c.Packages[0].Code] = []string{"VL-0000000000", c.Packages[0].Seals[1]}
	_, err := w.svc.Record(w.ctx, ava, custody.RecordInput{Venue: "Q-A-1", Exam: "D1", Step: 1,
		Givers: chain[1].givers, Receivers: chain[1].receivers, Seals: bad})
	wantCode(t, err, apperr.Invalid)
	if d := details(err); len(d) != 1 || !strings.Contains(d[0], c.Packages[0].Code) || !strings.Contains(d[0], "nuk përputhen") {
		t.Fatalf("details: %v", d)
	}
	missing := seals(c)
	delete(missing, c.Packages[3].Code)
	_, err = w.svc.Record(w.ctx, ava, custody.RecordInput{Venue: "Q-A-1", Exam: "D1", Step: 1,
		Givers: chain[1].givers, Receivers: chain[1].receivers, Seals: missing})
	wantCode(t, err, apperr.Invalid)
	if n := count(t, w.db, `SELECT COUNT(*) FROM custody_handovers`); n != 0 {
		t.Fatalf("hand-overs saved: %d", n)
	}
	if n := count(t, w.db, `SELECT COUNT(*) FROM audit_log`); n != before {
		t.Fatalf("audit entries written by a refused act: %d → %d", before, n)
	}
	// Seals are read as people type them: order, case and spaces do not matter.
	typed := map[string][]string{}
	for _, p := range c.Packages {
		typed[p.Kind] = []string{strings.ToLower(p.Seals[1]) + ", " + p.Seals[0]}
	}
	h, err := w.svc.Record(w.ctx, ava, custody.RecordInput{Venue: "Q-A-1", Exam: "D1", Step: 1,
		Givers: chain[1].givers, Receivers: chain[1].receivers, Seals: typed})
	if err != nil {
		t.Fatalf("typed seals: %v %v", err, details(err))
	}
	// The receiver reads a different seal: refused, the hand-over stays pending.
	_, err = w.svc.Confirm(w.ctx, kmshRep, h.ID, custody.ConfirmInput{Seals: bad})
	wantCode(t, err, apperr.Invalid)
	if c := w.get(t, ava, "Q-A-1"); c.Stage != 0 || c.Pending == nil {
		t.Fatalf("after a refused confirmation: stage %d", c.Stage)
	}
}

func TestNeni44_LateAndMissingHandOversFlagged(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.at("2009-06-07 11:00")
	w.step(t, 1)
	w.step(t, 2)
	// Neni 44: the PAP takes the materials 2 hours before the 10:00 start.
	w.at("2009-06-08 07:50")
	c := w.get(t, ava, "Q-A-1")
	if c.Missing || c.Late || c.NextDue == "" || clock.Stamp(c.NextDue) != "08.06.2009 08:00" {
		t.Fatalf("before 08:00: %+v", c.Flags)
	}
	b := w.get(t, ava, "Q-B-1") // nothing done: step 1 was due by the end of 7 June
	if !b.Missing || len(b.Flags) != 1 || !strings.Contains(b.Flags[0], "hapi 1") {
		t.Fatalf("Q-B-1 flags: %v", b.Flags)
	}
	w.at("2009-06-08 08:20")
	if c := w.get(t, ava, "Q-A-1"); !c.Missing || c.Late {
		t.Fatalf("at 08:20, step 3 not done: %v", c.Flags)
	}
	w.step(t, 3)
	c = w.get(t, ava, "Q-A-1")
	if !c.Late || c.Missing || !c.Handovers[2].Late || c.Handovers[1].Late {
		t.Fatalf("late step 3: %v", c.Flags)
	}
	// The board filters by DAR/ZA and exam.
	if list, err := w.svc.Board(w.ctx, ava, custody.Filter{Unit: "DAR-B", Exam: "D1"}); err != nil || len(list) != 1 || list[0].VenueCode != "Q-B-1" {
		t.Fatalf("board DAR-B: %v %v", list, err)
	}
	if list, err := w.svc.Board(w.ctx, ava, custody.Filter{Exam: "D2"}); err != nil || len(list) != 0 {
		t.Fatalf("board D2: %v %v", list, err)
	}
}

func TestNeni42_ScopeOfTheChain(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, tc := range []struct {
		p    *auth.Principal
		want []string
	}{{ava, []string{"Q-A-1", "Q-B-1"}}, {kmshRep, []string{"Q-A-1"}}, {kmshB, []string{"Q-B-1"}}, {papA, []string{"Q-A-1"}}, {papB, []string{"Q-B-1"}}} {
		list, err := w.svc.Board(w.ctx, tc.p, custody.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range list {
			got = append(got, c.VenueCode)
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s sees %v, want %v", tc.p.Username, got, tc.want)
		}
	}
	for _, p := range []*auth.Principal{school, student, {Username: "v", Role: auth.RoleMarker, Subject: "D1"}} {
		_, err := w.svc.Board(w.ctx, p, custody.Filter{})
		wantCode(t, err, apperr.Forbidden)
	}
	// Only AVA sees the registered seal numbers: the others read them off the seals.
	if c := w.get(t, kmshRep, "Q-A-1"); len(c.Packages) != 4 || len(c.Packages[0].Seals) != 0 {
		t.Fatalf("KMSH sees registered seals: %+v", c.Packages)
	}
	_, err := w.svc.Get(w.ctx, kmshB, "Q-A-1", "D1", 1)
	wantCode(t, err, apperr.NotFound)
	_, err = w.svc.Get(w.ctx, papB, "Q-A-1", "D1", 1)
	wantCode(t, err, apperr.NotFound)
	c := w.get(t, ava, "Q-A-1")
	_, err = w.svc.Record(w.ctx, &auth.Principal{Username: "ava.b", Role: auth.RoleKMSH, Unit: "DAR-B"}, custody.RecordInput{Venue: "Q-A-1", Exam: "D1", Step: 1, Seals: seals(c)})
	wantCode(t, err, apperr.NotFound)
}

func TestNeni42_ProcesverbalPDF(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.at("2009-06-07 11:00")
	h := w.step(t, 1)
	h, c, err := w.svc.Handover(w.ctx, kmshRep, h.ID)
	if err != nil {
		t.Fatal(err)
	}
	doc := custody.Document(h, c, time.Date(2009, 6, 7, 12, 0, 0, 0, clock.Tirana))
	if len(doc.Rows) != 4 || !strings.Contains(strings.Join(doc.Subtitle, "\n"), "Besa Leka (KMSH), Ilir Dema (MASH)") || len(doc.Footer) != 3 {
		t.Fatalf("document: %+v", doc)
	}
	var buf bytes.Buffer
	if err := pdf.WriteTable(&buf, doc); err != nil || !bytes.HasPrefix(buf.Bytes(), []byte("%PDF")) {
		t.Fatalf("pdf: %v", err)
	}
	_, _, err = w.svc.Handover(w.ctx, kmshB, h.ID)
	wantCode(t, err, apperr.NotFound)
}

// TestNeni45_ReceiverReadsTheSealsItself: until the receiver confirms, it
// cannot see the seal numbers registered or read by the giver (it must
// read them off the seals, Neni 43–45), and the numbers are random, not
// derived from the printed package code.
func TestNeni45_ReceiverReadsTheSealsItself(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.get(t, ava, "Q-A-1")
	h, err := w.svc.Record(w.ctx, ava, custody.RecordInput{Venue: "Q-A-1", Exam: "D1", Step: 1,
		Givers: chain[1].givers, Receivers: chain[1].receivers, Seals: seals(c)})
	if err != nil {
		t.Fatal(err)
	}
	seen := w.get(t, kmshRep, "Q-A-1")
	if seen.Pending == nil || len(seen.Pending.SealsGiven) != 0 || len(seen.Packages[0].Seals) != 0 {
		t.Fatalf("the receiver sees seal numbers before confirming: %+v / %v", seen.Pending, seen.Packages[0].Seals)
	}
	if got, _, err := w.svc.Handover(w.ctx, kmshRep, h.ID); err != nil || len(got.SealsGiven) != 0 {
		t.Fatalf("the receiver reads the pending hand-over's seals: %+v %v", got.SealsGiven, err)
	}
	if a := w.get(t, ava, "Q-A-1"); a.Pending == nil || len(a.Pending.SealsGiven) == 0 {
		t.Fatalf("AVA, who registered them, sees them: %+v", a.Pending)
	}
	if _, err := w.svc.Confirm(w.ctx, kmshRep, h.ID, custody.ConfirmInput{Seals: seals(c)}); err != nil {
		t.Fatal(err)
	}
	// Issue 9 item 5: the KMSH reads the same seals again at step 2 (and
	// the box up to step 8), so the confirmed procesverbal keeps them from
	// it too; AVA, who registered them, sees both readings.
	if after := w.get(t, kmshRep, "Q-A-1"); len(after.Handovers) == 0 || !after.Handovers[0].Confirmed ||
		len(after.Handovers[0].SealsGiven) != 0 || len(after.Handovers[0].SealsReceived) != 0 || len(after.Handovers[0].SealsHidden) != 4 {
		t.Fatalf("after confirmation a later reader sees the seals: %+v", after.Handovers)
	}
	if after := w.get(t, ava, "Q-A-1"); len(after.Handovers[0].SealsGiven) != 4 || len(after.Handovers[0].SealsReceived) != 4 {
		t.Fatalf("after confirmation AVA's procesverbal shows both readings: %+v", after.Handovers)
	}
	// Two packages never share seal numbers.
	all := map[string]bool{}
	for _, pk := range c.Packages {
		for _, s := range pk.Seals {
			if all[s] {
				t.Fatalf("seal %s used twice", s)
			}
			all[s] = true
		}
	}
}
