package custody_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"provim/internal/auth"
	"provim/internal/custody"
	"provim/internal/demo"
	"provim/internal/examday"
	"provim/internal/testkit"
)

// staffWorld is a small synthetic country run through the demo up to the
// morning of D1 (final lists, plan, staff draw, every venue's D1 packages
// in the KMSH safe: stage 2), with one venue's drawn staff.
type staffWorld struct {
	k   *testkit.Kit
	ctx context.Context
	svc *custody.Service
	// venue is a venue with a drawn PAP, AP and KMSH representative for
	// D1 of the first session; unit its draw's DAR/ZA; others the other
	// venues of the D1 packages.
	venue, unit  string
	pap, ap, rep *auth.Principal
	repVenues    map[string]bool // every venue the representative was drawn to
	commission   *auth.Principal // the KMSH's own account (no staff record)
	others       []string
	unitVenues   map[string]bool // the venues of unit
}

func newStaffWorld(t *testing.T) *staffWorld {
	t.Helper()
	ctx := context.Background()
	k := testkit.New(t)
	const year = 2027
	if _, err := k.Years.Create(ctx, ava, year, "", 2009); err != nil {
		t.Fatal(err)
	}
	if err := k.Years.SetActive(ctx, ava, year); err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, k.Registry, ava, demo.GenerateN(20270601, year, 1500), nil); err != nil {
		t.Fatal(err)
	}
	quiet := func(string) {}
	for _, run := range []func() error{
		func() error { return demo.RunApplications(ctx, k.Services, k.Clock, ava, 20270601, quiet) },
		func() error { return demo.RunVenuePlan(ctx, k.Services, k.Clock, ava, quiet) },
		func() error { return demo.RunDraws(ctx, k.Services, k.Clock, ava, quiet) },
		func() error { return demo.RunCustody(ctx, k.Services, k.Clock, ava, quiet) },
	} {
		if err := run(); err != nil {
			t.Fatal(err)
		}
	}
	k.Clock.Set(time.Date(year, 6, 8, 7, 30, 0, 0, time.UTC))
	drawn, err := k.Draws.DrawnAtAll(ctx, year, "")
	if err != nil {
		t.Fatal(err)
	}
	type at struct {
		unit  string
		roles map[string][]int64
	}
	byVenue := map[string]*at{}
	for _, d := range drawn {
		if d.Exam != "D1" || d.Session != 1 {
			continue
		}
		v := byVenue[d.Venue]
		if v == nil {
			v = &at{unit: d.Unit, roles: map[string][]int64{}}
			byVenue[d.Venue] = v
		}
		v.roles[d.Role] = append(v.roles[d.Role], d.StaffID)
	}
	w := &staffWorld{k: k, ctx: ctx, svc: k.Custody, repVenues: map[string]bool{}, unitVenues: map[string]bool{}}
	for code, v := range byVenue {
		if len(v.roles["PAP"]) > 0 && len(v.roles["AP"]) > 0 && len(v.roles["KMSH"]) > 0 && (w.venue == "" || code < w.venue) {
			w.venue, w.unit = code, v.unit
		}
	}
	if w.venue == "" {
		t.Fatal("no venue with a drawn PAP, AP and KMSH representative")
	}
	v := byVenue[w.venue]
	// The accounts as package accounts makes them: linked to the staff
	// record, and (PAP, AP) scoped to the venue — the venue field alone
	// gives no access; the representative keeps the commission's unit.
	w.pap = &auth.Principal{Username: "pap.shortuar", FullName: "Drita Çela", Role: auth.RolePAP, Venue: w.venue, StaffID: v.roles["PAP"][0]}
	w.ap = &auth.Principal{Username: "ap.shortuar", FullName: "Arbër Zeka", Role: auth.RoleAP, Venue: w.venue, StaffID: v.roles["AP"][0]}
	w.rep = &auth.Principal{Username: "kmsh.shortuar", FullName: "Ervin Shehu", Role: auth.RoleKMSH, Unit: w.unit, StaffID: v.roles["KMSH"][0]}
	w.commission = &auth.Principal{Username: "kmsh.kryetar", FullName: "Genc Kola", Role: auth.RoleKMSH, Unit: w.unit}
	for _, d := range drawn {
		if d.StaffID == w.rep.StaffID && d.Role == "KMSH" && d.Exam == "D1" && d.Session == 1 {
			w.repVenues[d.Venue] = true
		}
	}
	board, err := w.svc.Board(ctx, ava, custody.Filter{Exam: "D1", Session: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range board {
		if c.Stage != 2 {
			t.Fatalf("%s: stage %d, want 2 (in the KMSH safe)", c.VenueCode, c.Stage)
		}
		if c.VenueCode != w.venue {
			w.others = append(w.others, c.VenueCode)
		}
	}
	commission, err := w.svc.Board(ctx, w.commission, custody.Filter{Exam: "D1", Session: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range commission {
		w.unitVenues[c.VenueCode] = true
	}
	return w
}

// advance records step n of venue's D1 by recorder and confirms it by
// confirmer, both reading the seals honestly (as AVA registered them).
func (w *staffWorld) advance(t *testing.T, venue string, n int, recorder, confirmer *auth.Principal, givers, receivers []string) {
	t.Helper()
	h := w.record(t, venue, n, recorder, givers, receivers)
	if _, err := w.svc.Confirm(w.ctx, confirmer, h.ID, custody.ConfirmInput{Seals: w.seals(t, venue)}); err != nil {
		t.Fatalf("confirm step %d by %s: %v (%v)", n, confirmer.Username, err, details(err))
	}
}

func (w *staffWorld) record(t *testing.T, venue string, n int, recorder *auth.Principal, givers, receivers []string) custody.Handover {
	t.Helper()
	h, err := w.svc.Record(w.ctx, recorder, custody.RecordInput{Venue: venue, Exam: "D1", Session: 1, Step: n,
		Givers: givers, Receivers: receivers, Seals: w.seals(t, venue)})
	if err != nil {
		t.Fatalf("record step %d by %s: %v (%v)", n, recorder.Username, err, details(err))
	}
	return h
}

func (w *staffWorld) seals(t *testing.T, venue string) map[string][]string {
	t.Helper()
	c, err := w.svc.Get(w.ctx, ava, venue, "D1", 1)
	if err != nil {
		t.Fatal(err)
	}
	return seals(c)
}

// venuesOf lists the venues of the consignments p sees.
func (w *staffWorld) venuesOf(t *testing.T, p *auth.Principal, f custody.Filter) []string {
	t.Helper()
	list, err := w.svc.Board(w.ctx, p, f)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range list {
		out = append(out, fmt.Sprintf("%s/%s/%d", c.VenueCode, c.Exam, c.Session))
	}
	return out
}

// TestNeni44_DrawnPAPConfirmsTheMorningHandOverFromOwnAccount: the PAP
// drawn for a venue (Neni 47.5), logged in with their own account linked
// to their staff record, sees the materials of exactly that venue, exam
// and session; receives them in the morning from the KMSH with the
// drawn representative (step 3, Neni 44), hands them to the rooms and
// back (Neni 45.1–45.2), closes the box with the representative (45.3)
// and takes it to the KMSH (45.4) — and from then on sees nothing, as
// nothing of another venue at any time (404, naming only what was asked).
func TestNeni44_DrawnPAPConfirmsTheMorningHandOverFromOwnAccount(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	want := w.venue + "/D1/1"
	if got := w.venuesOf(t, w.pap, custody.Filter{}); len(got) != 1 || got[0] != want {
		t.Fatalf("the drawn PAP sees %v, want exactly [%s]", got, want)
	}
	other := w.others[0]
	if _, err := w.svc.Get(w.ctx, w.pap, other, "D1", 1); !strings.Contains(fmt.Sprint(err), "nuk u gjetën") {
		t.Fatalf("another venue: want not found, got %v", err)
	}
	if _, err := w.svc.Get(w.ctx, w.pap, w.venue, "D1", 2); err == nil {
		t.Fatal("the second session's materials are not the PAP's place")
	}
	// Another venue's procesverbal: not found, like one that does not exist.
	board, err := w.svc.Board(w.ctx, ava, custody.Filter{Venue: other, Exam: "D1", Session: 1})
	if err != nil || len(board) != 1 || len(board[0].Handovers) == 0 {
		t.Fatalf("other venue: %v %v", board, err)
	}
	if _, _, err := w.svc.Handover(w.ctx, w.pap, board[0].Handovers[0].ID); !strings.Contains(fmt.Sprint(err), "nuk u gjet") {
		t.Fatalf("another venue's procesverbal: want not found, got %v", err)
	}
	// An account linked to a staff record that no draw placed sees nothing,
	// whatever its venue field says.
	undrawn := &auth.Principal{Username: "pap.pa.short", Role: auth.RolePAP, Venue: w.venue, StaffID: 1 << 40}
	if got := w.venuesOf(t, undrawn, custody.Filter{}); len(got) != 0 {
		t.Fatalf("an undrawn PAP sees %v", got)
	}
	if _, err := w.svc.Get(w.ctx, undrawn, w.venue, "D1", 1); err == nil {
		t.Fatal("an undrawn PAP reads the venue's materials")
	}

	// The page offers the PAP the confirmation of step 3, not its record.
	st3, _ := custody.StepByNo(3)
	if custody.MayRecord(w.pap, &st3) {
		t.Fatal("the PAP is offered to record step 3")
	}
	h := w.record(t, w.venue, 3, w.rep, []string{"Genc Kola"}, []string{"Drita Çela (PAP)", "Ervin Shehu (KMSH)"})
	if !custody.MayConfirm(w.pap, &h) {
		t.Fatal("the PAP is not offered the confirmation of step 3")
	}
	// The PAP's own view withholds the seals they must read off the
	// packages themselves (Neni 43–45).
	c, err := w.svc.Get(w.ctx, w.pap, w.venue, "D1", 1)
	if err != nil || c.Pending == nil || c.Pending.ID != h.ID {
		t.Fatalf("the PAP's view: %+v %v", c.Pending, err)
	}
	if _, err := w.svc.Confirm(w.ctx, w.pap, h.ID, custody.ConfirmInput{Seals: w.seals(t, w.venue)}); err != nil {
		t.Fatalf("the PAP confirms step 3: %v (%v)", err, details(err))
	}
	if c, _ := w.svc.Get(w.ctx, ava, w.venue, "D1", 1); c.Stage != 3 || c.Handovers[2].ConfirmedBy != w.pap.Username {
		t.Fatalf("after step 3: stage %d", c.Stage)
	}
	// The PAP cannot act at another venue.
	if _, err := w.svc.Record(w.ctx, w.pap, custody.RecordInput{Venue: other, Exam: "D1", Session: 1, Step: 3}); err == nil {
		t.Fatal("the PAP records at another venue")
	}

	w.advance(t, w.venue, 4, w.pap, w.ap, []string{"Drita Çela"}, []string{"Arbër Zeka (AP)"})
	w.advance(t, w.venue, 5, w.ap, w.pap, []string{"Arbër Zeka"}, []string{"Drita Çela"})
	w.advance(t, w.venue, 6, w.pap, w.rep, []string{"Drita Çela", "Luan Prifti, drejtor"}, []string{"Ervin Shehu"})
	h7 := w.record(t, w.venue, 7, w.pap, []string{"Drita Çela", "Ervin Shehu"}, []string{"Genc Kola"})
	// The representative gives the box with the PAP: the KMSH confirms it.
	if _, err := w.svc.Confirm(w.ctx, w.rep, h7.ID, custody.ConfirmInput{Seals: w.seals(t, w.venue)}); !strings.Contains(fmt.Sprint(err), "hapi 6") {
		t.Fatalf("the representative confirms step 7: %v", err)
	}
	if _, err := w.svc.Confirm(w.ctx, w.commission, h7.ID, custody.ConfirmInput{Seals: w.seals(t, w.venue)}); err != nil {
		t.Fatalf("the KMSH confirms step 7: %v (%v)", err, details(err))
	}
	// The box is back at the KMSH: the PAP's task of the day is over.
	if got := w.venuesOf(t, w.pap, custody.Filter{}); len(got) != 0 {
		t.Fatalf("after the box is back the PAP sees %v", got)
	}
	if _, err := w.svc.Get(w.ctx, w.pap, w.venue, "D1", 1); err == nil {
		t.Fatal("after the box is back the PAP reads the materials")
	}
	if got := w.venuesOf(t, w.rep, custody.Filter{Venue: w.venue}); len(got) != 0 {
		t.Fatalf("after the box is back the representative sees %v", got)
	}
}

// TestNeni42_DrawnKMSHRepresentativeRecordsOnlyTheirVenues: the KMSH
// representative drawn for venues (Neni 44 ¶2, 47), from their own
// account, sees the consignments of exactly those venues — not the rest
// of their commission's — and records and confirms only their steps:
// the morning hand-over to the PAP (step 3, Neni 44) and the sealed box
// (step 6, Neni 45.2–45.3). Collecting at AVA, the safe and the return
// (Neni 42, 43, 45.4, 46) stay with the commission's account.
func TestNeni42_DrawnKMSHRepresentativeRecordsOnlyTheirVenues(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	got := w.venuesOf(t, w.rep, custody.Filter{})
	if len(got) != len(w.repVenues) {
		t.Fatalf("the representative sees %v, drawn to %v", got, w.repVenues)
	}
	for _, g := range got {
		if !w.repVenues[strings.Split(g, "/")[0]] || !strings.HasSuffix(g, "/D1/1") {
			t.Fatalf("the representative sees %s, drawn to %v", g, w.repVenues)
		}
	}
	if custody.ChoosesUnit(w.rep) || !custody.ChoosesUnit(w.commission) {
		t.Fatal("only the commission's account filters by DAR/ZA")
	}
	// A venue of the commission the representative was not drawn to, and
	// one of another DAR/ZA: not found.
	var sameUnit, otherUnit string
	for _, v := range w.others {
		switch {
		case w.repVenues[v]:
		case w.unitVenues[v] && sameUnit == "":
			sameUnit = v
		case !w.unitVenues[v] && otherUnit == "":
			otherUnit = v
		}
	}
	for _, v := range []string{sameUnit, otherUnit} {
		if v == "" {
			continue
		}
		if _, err := w.svc.Get(w.ctx, w.rep, v, "D1", 1); !strings.Contains(fmt.Sprint(err), "nuk u gjetën") {
			t.Fatalf("venue %s: want not found, got %v", v, err)
		}
		if _, err := w.svc.Record(w.ctx, w.rep, custody.RecordInput{Venue: v, Exam: "D1", Session: 1, Step: 3,
			Givers: []string{"Genc Kola"}, Receivers: []string{"PAP", "KMSH"}, Seals: w.seals(t, v)}); !strings.Contains(fmt.Sprint(err), "nuk u gjetën") {
			t.Fatalf("venue %s: the representative records: %v", v, err)
		}
	}
	t.Logf("drawn to %d venues; not drawn to %q of the same DAR/ZA, %q of another", len(w.repVenues), sameUnit, otherUnit)
	// The offers of the pages: record step 3, confirm step 6, nothing else.
	for _, st := range custody.Steps {
		h := custody.Handover{Step: st.No, RecordedBy: "dikush"}
		if rec := custody.MayRecord(w.rep, &st); rec != (st.No == 3) {
			t.Errorf("step %d: the representative may record: %v", st.No, rec)
		}
		if conf := custody.MayConfirm(w.rep, &h); conf != (st.No == 6) {
			t.Errorf("step %d: the representative may confirm: %v", st.No, conf)
		}
	}
	// The service refuses the commission's steps to the representative,
	// naming theirs: the return to AVA of the venue they were drawn to
	// (here: tried at once, it is refused as not theirs before the order).
	_, err := w.svc.Record(w.ctx, w.rep, custody.RecordInput{Venue: w.venue, Exam: "D1", Session: 1, Step: 3,
		Givers: []string{"Genc Kola"}, Receivers: []string{"Drita Çela (PAP)", "Ervin Shehu (KMSH)"}, Seals: w.seals(t, w.venue)})
	if err != nil {
		t.Fatalf("the representative records step 3: %v (%v)", err, details(err))
	}
	c, err := w.svc.Get(w.ctx, w.rep, w.venue, "D1", 1)
	if err != nil || c.Pending == nil || c.Pending.RecordedBy != w.rep.Username {
		t.Fatalf("the representative's view: %+v %v", c.Pending, err)
	}
	if _, err := w.svc.Confirm(w.ctx, w.pap, c.Pending.ID, custody.ConfirmInput{Seals: w.seals(t, w.venue)}); err != nil {
		t.Fatal(err)
	}
	w.advance(t, w.venue, 4, w.pap, w.ap, []string{"Drita Çela"}, []string{"Arbër Zeka (AP)"})
	w.advance(t, w.venue, 5, w.ap, w.pap, []string{"Arbër Zeka"}, []string{"Drita Çela"})
	h6 := w.record(t, w.venue, 6, w.pap, []string{"Drita Çela", "Luan Prifti, drejtor"}, []string{"Ervin Shehu"})
	if _, err := w.svc.Confirm(w.ctx, w.rep, h6.ID, custody.ConfirmInput{Seals: w.seals(t, w.venue)}); err != nil {
		t.Fatalf("the representative confirms the sealed box: %v (%v)", err, details(err))
	}
	// Step 7 is the PAP's record and the KMSH's confirmation, not the
	// representative's.
	if _, err := w.svc.Record(w.ctx, w.rep, custody.RecordInput{Venue: w.venue, Exam: "D1", Session: 1, Step: 7,
		Givers: []string{"Drita Çela", "Ervin Shehu"}, Receivers: []string{"Genc Kola"}, Seals: w.seals(t, w.venue)}); err == nil {
		t.Fatal("the representative records step 7")
	}
	// Every act is in the audit log under the representative's account.
	if n := count(t, w.k.DB, `SELECT COUNT(*) FROM audit_log WHERE actor = $1 AND object_type = 'custody_handover'`, w.rep.Username); n != 2 {
		t.Fatalf("audit rows of the representative: %d, want 2", n)
	}
}

// TestNeni42_ProcesverbalNamesTheCityOnce: the procesverbal's header and
// the exam day's documents join the venue's name and its city through
// registry.Place (issue 11): a venue named after its city does not say
// the city twice.
func TestNeni42_ProcesverbalNamesTheCityOnce(t *testing.T) {
	t.Parallel()
	c := custody.Consignment{Year: 2027, Session: 1, Exam: "D1", VenueCode: "Q-SH-1", VenueName: "Gjimnazi Shkodër", UnitCode: "DAR-SH", City: "Shkodër"}
	for _, got := range []string{
		custody.Heading(c),
		custody.Document(custody.Handover{Step: 3}, c, time.Now()).Subtitle[1],
		examday.RoomSheet(examday.VenueDay{Assignment: examday.Assignment{Year: 2027, Session: 1, Exam: "D1", Venue: "Q-SH-1",
			VenueName: "Gjimnazi Shkodër", City: "Shkodër", Unit: "DAR-SH"}}, examday.RoomDay{}, time.Now()).Subtitle[0],
	} {
		if strings.Count(got, "Shkodër") != 1 || !strings.Contains(got, "Gjimnazi Shkodër") {
			t.Errorf("header %q says the city other than once", got)
		}
	}
	c.VenueName = "Gjimnazi Çajupi"
	c.City = "Tiranë"
	if got := custody.Heading(c); !strings.Contains(got, "Gjimnazi Çajupi, Tiranë") {
		t.Errorf("header %q does not name the city", got)
	}
}
