package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/custody"
	"provim/internal/examday"
	"provim/internal/examyear"
	"provim/internal/wire"
)

// InProgressUnit is the DAR whose D1 the demo stopped with `--until
// dita-e-provimit` leaves in progress at 09:30, the door open — about half the candidates in, the rest still to
// come, no labels yet (Neni 53.1: the desk starts with the exam), nothing
// packed — so that the demo's own accounts (Tirana's KMSH and a Tirana
// PAP) and `--today 2027-06-08T09:45` show the entry running (and
// `--today 2027-06-08T10:00` its board with the latecomers missing);
// every other DAR's day runs to the return of the box to the KMSH.
const InProgressUnit = "DAR-TR"

// RunExamDay runs the day of D1 (session 1) at every venue of the plan,
// through the exam day's services (Neni 48–56): the drawn PAP, AS and AP
// at work; the custody hand-overs of the morning (Neni 44, 45.1); the
// check-in of every listed candidate — about 2% absent, a few late, one
// in a few thousand without a document (Neni 52, 54.1); the desk's labels
// (Neni 53); a handful of incidents and exclusions of different causes,
// some barring next year (Neni 54–56); and, after the end, the packing
// with the unused labels sealed and the counts balanced, and the box back
// to the KMSH (Neni 45.2–45.4, 48.9–48.12). The DAR InProgressUnit stops
// at 09:30 when stopInTirana is set (the demo's --until dita-e-provimit);
// else every DAR's day runs to its end. Run after RunAnonymisation;
// running it again changes nothing.
func RunExamDay(ctx context.Context, svcs *wire.Services, clk *clock.Manual, ava *auth.Principal, stopInTirana bool, progress func(string)) error {
	if progress == nil {
		progress = func(string) {}
	}
	return runExamDay(ctx, svcs, clk, ava, examyear.KindD1, stopInTirana, progress)
}

// runExamDay is RunExamDay for a test (examyear.TestKey: D1, D2 or an
// elective of session 1, D1-2 or D2-2 of the second): the DAR left in
// progress only for D1.
func runExamDay(ctx context.Context, svcs *wire.Services, clk *clock.Manual, ava *auth.Principal, test string, stopInTirana bool, progress func(string)) error {
	stopInTirana = stopInTirana && test == examyear.KindD1
	y, err := svcs.Years.Active(ctx)
	if err != nil {
		return err
	}
	exam, session := examyear.SplitTest(test)
	start, _, ok := y.Config.Sitting(exam, session)
	if !ok {
		return nil
	}
	// The day's times as for an exam at 10:00, moved with the sitting (the
	// electives' afternoon sitting starts at 15:00).
	ten, _ := time.ParseInLocation("2006-01-02 15:04", start.In(clock.Tirana).Format("2006-01-02")+" 10:00", clock.Tirana)
	shift := start.Sub(ten)
	at := func(hm string) time.Time {
		t, _ := time.ParseInLocation("2006-01-02 15:04", start.In(clock.Tirana).Format("2006-01-02")+" "+hm, clock.Tirana)
		return t.Add(shift)
	}
	day := svcs.ExamDay
	board, err := day.Board(ctx, ava, session, exam, "")
	if err != nil {
		return err
	}
	if len(board.Rows) == 0 {
		progress("Dita e provimit " + examyear.TestLabel(test) + ": nuk ka qendra në planin e provimit.")
		return nil
	}
	drawn, err := svcs.Draws.DrawnAtAll(ctx, y.Year, "")
	if err != nil {
		return err
	}
	staffOf := map[string]map[string]int64{} // venue → role → first staff
	for _, d := range drawn {
		if d.Exam != exam || d.Session != session {
			continue
		}
		if staffOf[d.Venue] == nil {
			staffOf[d.Venue] = map[string]int64{}
		}
		if _, ok := staffOf[d.Venue][d.Role]; !ok {
			staffOf[d.Venue][d.Role] = d.StaffID
		}
	}
	dar, err := darOfUnits(ctx, svcs.Registry, ava)
	if err != nil {
		return err
	}
	darName, err := unitNames(ctx, svcs.Registry, ava)
	if err != nil {
		return err
	}
	// The hand-overs name the drawn PAP as the procesverbal does, by name
	// and role; a venue the draw gave no PAP is named by its own account.
	var paps []int64
	for _, roles := range staffOf {
		if id, ok := roles["PAP"]; ok {
			paps = append(paps, id)
		}
	}
	papNames, err := svcs.Registry.StaffIdentities(ctx, paps)
	if err != nil {
		return err
	}
	// Each check-in's key (a device's retry sends the same): D1's as they
	// were, the other exams' with the exam.
	keyPrefix := "demo/"
	if test != examyear.KindD1 {
		keyPrefix = "demo/" + test + "/"
	}
	began := clock.StartTimer()
	// The label sheets of every venue, read once: room → codes in order.
	sets, err := svcs.Anonym.NationalLabelSets(ctx, ava, y.Year, test)
	if err != nil {
		return fmt.Errorf("demo: labels: %w", err)
	}
	sheets := map[string]map[string][]string{}
	for _, set := range sets {
		m := map[string][]string{}
		for _, r := range set.Rooms {
			m[r.Name] = r.Codes
		}
		sheets[set.VenueCode] = m
	}
	var stats struct{ venues, present, absent, late, labelled, excluded, events, packed, returned int }
	for i, row := range board.Rows {
		if row.Present > 0 || row.Packed {
			continue // run before (a small venue of the second session may have had nobody present): left as it is
		}
		d := dar[row.Unit]
		inProgress := stopInTirana && d == InProgressUnit
		// Who acts: the drawn PAP and AS through their staff records (the
		// access rule), the venue's accounts where the draw placed nobody.
		pap := &auth.Principal{Username: "pap." + strings.ToLower(row.Venue), FullName: "PAP i qendrës " + row.VenueName, Role: auth.RolePAP, Venue: row.Venue}
		papStaff, papParty := pap, "PAP i qendrës "+row.VenueName
		if id, ok := staffOf[row.Venue]["PAP"]; ok {
			papStaff = &auth.Principal{Username: fmt.Sprintf("pap.staff%d", id), Role: auth.RolePAP, StaffID: id}
			if x, ok := papNames[id]; ok {
				papParty = x.FirstName + " " + x.LastName + " (PAP)"
			}
		}
		desk := papStaff
		if id, ok := staffOf[row.Venue]["AS"]; ok {
			desk = &auth.Principal{Username: fmt.Sprintf("as.staff%d", id), Role: auth.RoleAS, StaffID: id}
		}
		ap := &auth.Principal{Username: "ap." + strings.ToLower(row.Venue), Role: auth.RoleAP, Venue: row.Venue}
		chair := &auth.Principal{Username: "kmsh." + strings.ToLower(d), Role: auth.RoleKMSH, Unit: d}
		rep := &auth.Principal{Username: "kmsh." + strings.ToLower(d) + ".perfaqesues", Role: auth.RoleKMSH, Unit: d}

		// The morning's hand-overs: the PAP with the KMSH representative
		// takes the packages (Neni 44), then gives them to the rooms
		// (Neni 45.1) — at 09:45, after the DAR left in progress stops.
		clk.Set(at("07:40").Add(time.Duration(i%20) * time.Minute))
		ch, err := chainOf(ctx, svcs, exam, session, row.Venue)
		if err != nil {
			return err
		}
		if err := ch.handOver(ctx, svcs, 3, chair, pap, []string{person(d, 3)}, []string{papParty, person(d, 1) + " (KMSH)"}); err != nil {
			return err
		}
		if !inProgress {
			clk.Set(at("09:45"))
			if err := ch.handOver(ctx, svcs, 4, pap, ap, []string{papParty}, []string{"AP të sallave"}); err != nil {
				return err
			}
		}

		v, err := day.Venue(ctx, ava, session, exam, row.Venue, true)
		if err != nil {
			return fmt.Errorf("demo: exam day %s: %w", row.Venue, err)
		}
		var list []examday.CheckIn
		n := 0
		for _, room := range v.Rooms {
			for j, e := range room.Entries {
				h := hashOf(e.RegNo)
				n++
				switch {
				case h%50 == 7: // ~2% absent
					stats.absent++
					continue
				}
				arrive := at("09:00").Add(time.Duration(j*55/max(len(room.Entries), 1)) * time.Minute)
				if h%211 == 3 { // a few late
					arrive = at("10:05").Add(time.Duration(h%15) * time.Minute)
				}
				if inProgress && !arrive.Before(at("09:30")) {
					continue // still to come
				}
				docType := []string{examday.DocIDCard, examday.DocIDCard, examday.DocIDCard, examday.DocPassport, examday.DocCertificate}[h%5]
				if h%4999 == 11 {
					docType = examday.DocNone // Neni 54.1
				}
				list = append(list, examday.CheckIn{Key: keyPrefix + e.RegNo, Exam: exam, Session: session, Venue: row.Venue, Room: room.Name, RegNo: e.RegNo,
					DocType: docType, DocNo: fmt.Sprintf("%s%08d", string(rune('I'+h%3)), h%100000000), ArrivedAt: arrive.Format(time.RFC3339)})
			}
		}
		// Arrivals in time order, each room's device sending its queue.
		sortCheckIns(list)
		clk.Set(at("10:25"))
		if inProgress {
			clk.Set(at("09:30"))
		}
		if i%97 == 5 {
			// Someone not on the list tries to enter (Neni 52.6).
			list = append([]examday.CheckIn{{Key: keyPrefix + "stranger/" + row.Venue, Exam: exam, Session: session, Venue: row.Venue, Room: v.Rooms[0].Name,
				Name: "Person i panjohur", DocType: examday.DocIDCard, DocNo: "J99999999"}}, list...)
		}
		admitted := map[string]bool{}
		for len(list) > 0 {
			k := min(len(list), 1500)
			out, err := day.CheckInMany(ctx, papStaff, list[:k])
			if err != nil {
				return fmt.Errorf("demo: check-in %s: %w", row.Venue, err)
			}
			for _, o := range out {
				switch o.Status {
				case examday.Admitted:
					admitted[o.RegNo] = true
					stats.present++
					if o.Late {
						stats.late++
					}
				case examday.Excluded:
					stats.excluded++
				}
			}
			list = list[k:]
		}
		stats.venues++
		if inProgress {
			continue
		}
		// The desk: each present candidate's labels, in seat order, from
		// the room's label sheets (Neni 53).
		clk.Set(at("10:30"))
		codes := sheets[row.Venue]
		var attach []examday.Attach
		var present []examday.Entry
		usedIn := map[string]int{}
		for _, room := range v.Rooms {
			in := 0
			for _, e := range room.Entries {
				if admitted[e.RegNo] {
					in++
				}
			}
			for _, e := range room.Entries {
				if !admitted[e.RegNo] {
					continue
				}
				present = append(present, e)
				used := usedIn[room.Name]
				if used >= len(codes[room.Name]) {
					continue
				}
				attach = append(attach, examday.Attach{RegNo: e.RegNo, Code: codes[room.Name][used]})
				usedIn[room.Name] = used + 1
			}
		}
		if len(attach) > 0 {
			k, err := day.AttachLabels(ctx, desk, session, exam, row.Venue, attach)
			if err != nil {
				return fmt.Errorf("demo: labels %s: %w", row.Venue, err)
			}
			stats.labelled += k
		}
		spoilt := 0
		// A handful of incidents and exclusions (Neni 54–56).
		if i%41 == 2 && len(present) > 3 {
			causes := []string{"54.5", "54.8", "54.6", "54.2", "54.3", "54.7", "54.4", "54.10", "54.11"}
			c := causes[(i/41)%len(causes)]
			clk.Set(at("10:50"))
			if _, err := day.Record(ctx, ap, examday.Report{Kind: examday.KindIncident, Exam: exam, Session: session, Venue: row.Venue, RegNo: present[1].RegNo,
				Note: "AP njofton PAP: " + strings.TrimSuffix(mustCause(c).Text, ".") + "."}); err != nil {
				return fmt.Errorf("demo: incident %s: %w", row.Venue, err)
			}
			clk.Set(at("10:55"))
			if err := day.Exclude(ctx, papStaff, examday.Exclusion{Exam: exam, Session: session, Venue: row.Venue, RegNo: present[1].RegNo, Cause: c,
				At: at("10:48").In(clock.Tirana).Format("15:04"), Witnesses: "AP i sallës; " + person(row.Venue, 5), Note: "Rasti u evidentua nga AP dhe u verifikua nga PAP.",
				RefusedToLeave: (i/41)%3 == 1}); err != nil && !apperr.Is(err, apperr.Conflict) {
				return fmt.Errorf("demo: exclusion %s: %w", row.Venue, err)
			}
			stats.excluded++
			if _, err := day.Record(ctx, ap, examday.Report{Kind: examday.KindBooklet, Exam: exam, Session: session, Venue: row.Venue, RegNo: present[2].RegNo,
				OldBooklet: fmt.Sprintf("TB-%s-%03d", row.Venue, 7), NewBooklet: fmt.Sprintf("TB-%s-%03d", row.Venue, 901)}); err != nil {
				return fmt.Errorf("demo: booklet %s: %w", row.Venue, err)
			}
			if _, err := day.Record(ctx, ap, examday.Report{Kind: examday.KindIrregularity, Exam: exam, Session: session, Venue: row.Venue, RegNo: present[3].RegNo,
				Note: "Kandidati raportoi zhurmë nga korridori."}); err != nil {
				return fmt.Errorf("demo: report %s: %w", row.Venue, err)
			}
			stats.events += 3
			spoilt++
			// Someone wants to leave early (Neni 56.3).
			clk.Set(at("11:10"))
			if _, err := day.RecordLeave(ctx, ap, examday.Leave{Exam: exam, Session: session, Venue: row.Venue, RegNo: present[0].RegNo}); err != nil && !apperr.Is(err, apperr.Conflict) {
				return err
			}
			stats.events++
		}
		// After the end: packing, counts, the box to the KMSH.
		clk.Set(at("12:40"))
		if err := ch.handOver(ctx, svcs, 5, ap, pap, []string{"AP të sallave"}, []string{papParty}); err != nil {
			return err
		}
		unused := map[string]int{}
		for _, room := range v.Rooms {
			unused[room.Name] = len(codes[room.Name]) - usedIn[room.Name]
		}
		seated := len(present)
		clk.Set(at("12:50"))
		pk, err := day.PackMaterials(ctx, papStaff, examday.Pack{Exam: exam, Session: session, Venue: row.Venue, UsedBooklets: &seated,
			UnusedBooklets: max(0, v.Materials.Booklets-seated-spoilt), UnusedLabels: unused})

		if err != nil {
			return fmt.Errorf("demo: packing %s: %w", row.Venue, err)
		}
		if !pk.Balanced {
			return fmt.Errorf("demo: packing %s does not balance: %v", row.Venue, pk.Problems)
		}
		stats.packed++
		clk.Set(at("13:10"))
		if err := ch.handOver(ctx, svcs, 6, pap, rep, []string{papParty, "Drejtori i shkollës"}, []string{person(d, 1) + " (KMSH)"}); err != nil {
			return err
		}
		clk.Set(at("14:30").Add(time.Duration(i%30) * time.Minute))
		if err := ch.handOver(ctx, svcs, 7, pap, chair, []string{papParty, person(d, 1) + " (KMSH)"}, []string{person(d, 3) + ", kryetar i KMSH, " + darName[d]}); err != nil {
			return err
		}
		stats.returned++
	}
	stopped := ""
	if stopInTirana {
		stopped = "; " + InProgressUnit + " mbetet në hyrje në orën 09:30"
	}
	progress(fmt.Sprintf("Dita e provimit %s: %d qendra, %d të pranishëm, %d mungues (%d me vonesë), %d me etiketa kodi, %d përjashtime, %d ngjarje, %d qendra të paketuara e me kutinë në KMSH%s (%.1fs)",
		examyear.TestLabel(test), stats.venues, stats.present, stats.absent, stats.late, stats.labelled, stats.excluded, stats.events, stats.returned, stopped, began.Elapsed().Seconds()))
	return nil
}

func mustCause(code string) examday.Cause {
	c, _ := examday.CauseOf(code)
	return c
}

func hashOf(s string) int {
	h := fnv.New32a()
	h.Write([]byte(s))
	return int(h.Sum32() & 0x7fffffff)
}

// sortCheckIns orders check-ins by arrival, keeping each room's order.
func sortCheckIns(list []examday.CheckIn) {
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && list[j].ArrivedAt < list[j-1].ArrivedAt; j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
}

// chain is a venue's consignment of an exam as the demo moves it: read
// once, its stage counted on as the demo's hand-overs are confirmed.
type chain struct {
	exam    string
	session int
	venue   string
	stage   int
	seals   map[string][]string
}

func chainOf(ctx context.Context, svcs *wire.Services, exam string, session int, venue string) (*chain, error) {
	c, err := svcs.Custody.Get(ctx, &auth.Principal{Username: "demo", Role: auth.RoleAVA}, venue, exam, session)
	if err != nil {
		return nil, fmt.Errorf("demo: custody %s: %w", venue, err)
	}
	seals := map[string][]string{}
	for _, p := range c.Packages {
		seals[p.Code] = p.Seals
	}
	return &chain{exam: exam, session: session, venue: venue, stage: c.Stage, seals: seals}, nil
}

// handOver records step of the consignment by giver and has receiver
// confirm it, with the seals as registered (a step already done is left
// as it is).
func (c *chain) handOver(ctx context.Context, svcs *wire.Services, step int, giver, receiver *auth.Principal, givers, receivers []string) error {
	if c.stage >= step {
		return nil
	}
	// The giver records and the receiver confirms at the same moment of
	// the demo's clock: one transaction holds both (each service call
	// joins it, with its own rules and audit entry).
	err := svcs.DB.InTx(ctx, func(ctx context.Context) error {
		h, err := svcs.Custody.Record(ctx, giver, custody.RecordInput{Venue: c.venue, Exam: c.exam, Session: c.session, Step: step, Givers: givers, Receivers: receivers, Seals: c.seals})
		if err != nil {
			return fmt.Errorf("demo: custody %s step %d: %w", c.venue, step, err)
		}
		if _, err := svcs.Custody.Confirm(ctx, receiver, h.ID, custody.ConfirmInput{Seals: c.seals}); err != nil {
			return fmt.Errorf("demo: custody %s step %d confirm: %w", c.venue, step, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	c.stage = step
	return nil
}
