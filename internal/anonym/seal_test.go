package anonym_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"provim/internal/anonym"
	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/store"
)

// attachAll attaches the codes of a room to its candidates, in a shuffled
// order (the desk's), and returns the pairs.
func (w *world) attachAll(t *testing.T, exam, venue, room string, skip int) map[string]int64 {
	t.Helper()
	codes := w.codes(t, exam, venue, room)
	students := slices.Clone(w.seats[exam+"/"+venue+"/"+room])
	// Attach in an order unrelated to code or id order.
	slices.Reverse(students)
	pairs := map[string]int64{}
	for i, st := range students[:len(students)-skip] {
		c := codes[(i*3+1)%len(codes)]
		for pairs[c] != 0 {
			c = codes[(slices.Index(codes, c)+1)%len(codes)]
		}
		w.attach(t, exam, venue, c, st)
		pairs[c] = st
	}
	return pairs
}

func closedMarking(closed *bool) func(context.Context, int, string) (bool, error) {
	return func(context.Context, int, string) (bool, error) { return *closed, nil }
}

func TestNeni59_3_KMinusOneSharesCannotOpenAndKCan(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	kr := w.ready(t, "D1")
	if len(kr.Shares) != 5 || kr.Threshold != 3 {
		t.Fatalf("key: %+v", kr)
	}
	pairs := w.attachAll(t, "D1", "V-A", "R1", 1)
	for c, s := range w.attachAll(t, "D1", "V-A", "R2", 0) {
		pairs[c] = s
	}
	closed := true
	w.svc.SetMarkingClosed(closedMarking(&closed))
	in := func(nos ...int) []anonym.ShareInput {
		var out []anonym.ShareInput
		for _, n := range nos {
			sh := kr.Shares[n-1]
			out = append(out, anonym.ShareInput{Holder: sh.Name, Share: sh.Share})
		}
		return out
	}
	// k−1 = 2 shares cannot open.
	_, err := w.svc.Open(w.ctx, ava, year, "D1", in(1, 4))
	wantCode(t, err, apperr.Invalid)
	// Nor can a share given twice, a share under another holder's name, a
	// mistyped share, or a share of another exam.
	twice := in(1, 4)
	twice = append(twice, twice[0])
	_, err = w.svc.Open(w.ctx, ava, year, "D1", twice)
	wantCode(t, err, apperr.Invalid)
	swapped := in(1, 2, 3)
	swapped[0].Holder, swapped[1].Holder = swapped[1].Holder, swapped[0].Holder
	_, err = w.svc.Open(w.ctx, ava, year, "D1", swapped)
	wantCode(t, err, apperr.Invalid)
	typo := in(1, 2, 3)
	b := []byte(typo[2].Share)
	i := strings.LastIndex(typo[2].Share, "-") - 3
	b[i] = map[bool]byte{true: 'A', false: 'B'}[b[i] != 'A']
	typo[2].Share = string(b)
	_, err = w.svc.Open(w.ctx, ava, year, "D1", typo)
	wantCode(t, err, apperr.Invalid)
	// Only AVA opens.
	_, err = w.svc.Open(w.ctx, papA, year, "D1", in(1, 2, 3))
	wantCode(t, err, apperr.Forbidden)
	if links, _ := w.svc.OpenedLinks(w.ctx, year, "D1"); len(links) != 0 {
		t.Fatalf("refused attempts opened %d links", len(links))
	}
	// k = 3 shares, any three, open.
	res, err := w.svc.Open(w.ctx, ava, year, "D1", in(5, 2, 3))
	if err != nil {
		t.Fatal(err)
	}
	if res.Links != len(pairs) || len(res.Holders) != 3 {
		t.Fatalf("open: %+v, %d pairs", res, len(pairs))
	}
	links, err := w.svc.OpenedLinks(w.ctx, year, "D1")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, l := range links {
		got[l.Code] = l.StudentID
	}
	if fmt.Sprint(got) != fmt.Sprint(pairs) {
		t.Fatalf("opened %v, attached %v", got, pairs)
	}
	for c, s := range pairs {
		if id, ok, err := w.svc.StudentOfCode(w.ctx, year, "D1", anonym.Display(c)); err != nil || !ok || id != s {
			t.Fatalf("StudentOfCode(%s) = %d %v %v, want %d", c, id, ok, err, s)
		}
	}
	_, err = w.svc.Open(w.ctx, ava, year, "D1", in(1, 2, 4))
	wantCode(t, err, apperr.Conflict)
	// Every attempt is in the audit log with the holders' names and never
	// a share.
	entries, err := audit.Query(w.ctx, w.db.DB, "anonym_exam", "2027-D1", 100)
	if err != nil {
		t.Fatal(err)
	}
	var refused, opened int
	for _, e := range entries {
		for _, sh := range kr.Shares {
			v := sh.Share[strings.Index(sh.Share, "-D1-")+6:]
			if strings.Contains(e.After, v[:20]) || strings.Contains(e.Before, v[:20]) {
				t.Fatalf("audit entry %d holds a share: %s", e.Seq, e.After)
			}
		}
		switch e.Action {
		case "anonym_open_refused":
			refused++
		case "anonym_open":
			opened++
			for _, n := range []string{kr.Shares[4].Name, kr.Shares[1].Name, kr.Shares[2].Name} {
				if !strings.Contains(e.After, n) {
					t.Fatalf("opening does not name holder %s: %s", n, e.After)
				}
			}
		}
	}
	if refused != 5 || opened != 1 {
		t.Fatalf("audit: %d refused, %d opened", refused, opened)
	}
}

func TestNeni59_3_OpeningRefusedBeforeMarkingCloses(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	kr := w.ready(t, "D1")
	w.attachAll(t, "D1", "V-A", "R1", 0)
	all := make([]anonym.ShareInput, len(kr.Shares))
	for i, sh := range kr.Shares {
		all[i] = anonym.ShareInput{Holder: sh.Name, Share: sh.Share}
	}
	// No hook: marking is not built yet, so it never closed.
	_, err := w.svc.Open(w.ctx, ava, year, "D1", all)
	wantCode(t, err, apperr.Conflict)
	if !strings.Contains(apperr.MessageOf(err), "Neni 59.3") {
		t.Fatalf("refusal names no article: %v", err)
	}
	closed := false
	w.svc.SetMarkingClosed(closedMarking(&closed))
	_, err = w.svc.Open(w.ctx, ava, year, "D1", all)
	wantCode(t, err, apperr.Conflict)
	if links, _ := w.svc.OpenedLinks(w.ctx, year, "D1"); len(links) != 0 {
		t.Fatal("opened before the marking closed")
	}
	st, err := w.svc.Status(w.ctx, ava, year, "D1")
	if err != nil || st.Opened || st.MarkingClosed || st.Links != 4 {
		t.Fatalf("status: %+v %v", st, err)
	}
	closed = true
	if _, err := w.svc.Open(w.ctx, ava, year, "D1", all); err != nil {
		t.Fatal(err)
	}
	// Once open, no label is attached any more.
	codes := w.codes(t, "D1", "V-A", "R2")
	wantCode(t, w.svc.Attach(w.ctx, asA, year, "D1", "V-A", codes[0], w.seats["D1/V-A/R2"][0]), apperr.Conflict)
	// The holders are fixed once links are sealed with their key.
	_, err = w.svc.NameHolders(w.ctx, ava, year, "D1", []string{"X", "Y"}, 2)
	wantCode(t, err, apperr.Conflict)
}

func TestNeni59_3_KeyHoldersNamedOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, c := range []struct {
		names []string
		k     int
	}{{[]string{"A", "B"}, 3}, {[]string{"A"}, 1}, {[]string{"A", "a "}, 2}, {[]string{"A", "B", ""}, 1}} {
		_, err := w.svc.NameHolders(w.ctx, ava, year, "D1", c.names, c.k)
		wantCode(t, err, apperr.Invalid)
	}
	_, err := w.svc.NameHolders(w.ctx, papA, year, "D1", []string{"A", "B"}, 2)
	wantCode(t, err, apperr.Forbidden)
	first, err := w.svc.NameHolders(w.ctx, ava, year, "D1", []string{"A", "B", "C"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	// Before any label is sealed, AVA may name them again; the old shares
	// are worthless.
	second, err := w.svc.NameHolders(w.ctx, ava, year, "D1", []string{"A", "B", "C"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if first.Shares[0].Share == second.Shares[0].Share {
		t.Fatal("the same share twice")
	}
	// Nothing of a share is stored: no table holds any part of it.
	dump := w.dump(t)
	for _, kr := range []string{first.Shares[0].Share, second.Shares[1].Share} {
		parts := strings.Split(kr, "-")
		for _, p := range parts[3 : len(parts)-1] {
			if strings.Contains(dump, p+"-") || strings.Contains(strings.ReplaceAll(dump, "-", ""), strings.Join(parts[3:6], "")) {
				t.Fatalf("a share is stored: %s", p)
			}
		}
	}
}

// tables are the anonym package's tables.
var tables = []string{"anonym_keys", "anonym_holders", "anonym_rooms", "anonym_codes", "anonym_seated", "anonym_links", "anonym_opened"}

// dump reads every row of every anonym table as a plain dump would (no
// ORDER BY: the engine's own order) and the audit log, as text.
func (w *world) dump(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, table := range append(slices.Clone(tables), "audit_log") {
		rows := w.dumpTable(t, table)
		for _, r := range rows {
			fmt.Fprintf(&b, "%s %v\n", table, r)
		}
	}
	return b.String()
}

func (w *world) dumpTable(t *testing.T, table string) []map[string]string {
	t.Helper()
	rows, err := w.db.Query(`SELECT * FROM ` + table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []map[string]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for i, c := range cols {
			m[c] = vals[i].String
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestNeni59_3_DatabaseDumpCannotJoinCodesToCandidates attaches labels,
// seals a room and reads every table of the package as a dump would: no
// row holds a code and a candidate, the codes and the candidates share no
// column but their room, no row carries the time of an attachment, and
// the order of the rows follows the keys, not the desk.
func TestNeni59_3_DatabaseDumpCannotJoinCodesToCandidates(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if w.db.Dialect == store.Postgres {
		// A pooled test schema is emptied with DELETE: its pages keep the
		// free space of earlier tests' rows, which the rewrite's inserts
		// would fill out of key order. A database's tables in use are
		// written from their start; so are these, from a fresh file.
		if _, err := w.db.Exec(`TRUNCATE anonym_codes, anonym_seated CASCADE`); err != nil {
			t.Fatal(err)
		}
	}
	w.ready(t, "D1")
	pairs := w.attachAll(t, "D1", "V-A", "R1", 0)
	for c, s := range w.attachAll(t, "D1", "V-A", "R2", 1) {
		pairs[c] = s
	}
	for _, room := range []string{"R1", "R2"} {
		counts, _ := w.svc.Counts(w.ctx, year, "D1", "V-A")
		for _, rc := range counts {
			if rc.Room == room {
				if err := w.svc.SealUnused(w.ctx, papA, year, "D1", "V-A", room, rc.Printed-rc.Used); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	ids := map[string]bool{}
	for _, s := range pairs {
		ids[fmt.Sprint(s)] = true
	}
	for _, table := range tables {
		rows := w.dumpTable(t, table)
		order := map[string][]string{} // by room
		for _, r := range rows {
			hasCode, hasStudent := false, false
			for col, v := range r {
				if _, ok := pairs[v]; ok || strings.Contains(v, "-") && pairs[strings.ReplaceAll(v, "-", "")] != 0 {
					hasCode = true
				}
				for c := range pairs {
					if len(v) > len(c) && strings.Contains(v, c) {
						t.Fatalf("%s.%s holds code %s inside %q", table, col, c, v)
					}
				}
				if col == "student_id" && ids[v] {
					hasStudent = true
				}
				if strings.HasSuffix(col, "_at") && v != "" && table != "anonym_rooms" && table != "anonym_keys" {
					t.Fatalf("%s.%s carries a moment: %s", table, col, v)
				}
			}
			if hasCode && hasStudent {
				t.Fatalf("%s joins a code to a candidate before the opening: %v", table, r)
			}
			switch table {
			case "anonym_codes":
				order[r["room_id"]] = append(order[r["room_id"]], r["code"])
			case "anonym_seated":
				order[r["room_id"]] = append(order[r["room_id"]], fmt.Sprintf("%012s", r["student_id"]))
			case "anonym_opened":
				t.Fatalf("opened before the opening: %v", r)
			}
		}
		for room, list := range order {
			if !slices.IsSorted(list) {
				t.Fatalf("%s's rows of room %s are not in key order after sealing: %v", table, room, list)
			}
		}
		if table == "anonym_codes" || table == "anonym_seated" {
			for _, r := range rows {
				for col := range r {
					if table == "anonym_codes" && col == "student_id" || table == "anonym_seated" && col == "code" {
						t.Fatalf("%s has a column %s", table, col)
					}
				}
			}
		}
	}
	// The sealed links hide both: no code, no registration number, no id
	// in clear.
	for _, r := range w.dumpTable(t, "anonym_links") {
		for c := range pairs {
			if strings.Contains(r["sealed"]+r["eph"], c) {
				t.Fatal("a sealed link shows its code")
			}
		}
		if len(r["sealed"]) != len(w.dumpTable(t, "anonym_links")[0]["sealed"]) {
			t.Fatal("sealed links differ in length")
		}
	}
	// Nor does the audit log name any code.
	for _, r := range w.dumpTable(t, "audit_log") {
		for _, v := range r {
			for c := range pairs {
				if strings.Contains(v, c) {
					t.Fatalf("the audit log names code %s: %v", c, r)
				}
			}
		}
	}
}

func TestNeni53_5_CountsBalance(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.ready(t, "D1")
	w.attachAll(t, "D1", "V-A", "R1", 1) // 3 of 4: one absent
	w.attachAll(t, "D1", "V-A", "R2", 0) // 3 of 3
	counts, err := w.svc.Counts(w.ctx, year, "d1", "V-A")
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 2 || counts[0].Room != "R1" || counts[0].Printed != 4 || counts[0].Used != 3 || counts[0].Sealed || counts[0].Balanced {
		t.Fatalf("before sealing: %+v", counts)
	}
	// R1: one unused code sealed, balances; R2: a wrong count is kept as
	// counted and does not balance.
	if err := w.svc.SealUnused(w.ctx, papA, year, "D1", "V-A", "R1", 1); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.SealUnused(w.ctx, asA, year, "D1", "V-A", "R2", 2); err != nil {
		t.Fatal(err)
	}
	counts, _ = w.svc.Counts(w.ctx, year, "D1", "V-A")
	if !counts[0].Balanced || counts[0].Unused != 1 || counts[1].Balanced || counts[1].Unused != 2 || !counts[1].Sealed {
		t.Fatalf("after sealing: %+v", counts)
	}
	// Sealed once: the same count changes nothing, another is refused.
	if err := w.svc.SealUnused(w.ctx, papA, year, "D1", "V-A", "R1", 1); err != nil {
		t.Fatal(err)
	}
	wantCode(t, w.svc.SealUnused(w.ctx, papA, year, "D1", "V-A", "R1", 0), apperr.Conflict)
	wantCode(t, w.svc.SealUnused(w.ctx, papA, year, "D1", "V-A", "R9", 0), apperr.NotFound)
	wantCode(t, w.svc.SealUnused(w.ctx, papA, year, "D1", "V-A", "R1", -1), apperr.Invalid)
	wantCode(t, w.svc.SealUnused(w.ctx, apA, year, "D1", "V-A", "R1", 1), apperr.NotFound)
	// After sealing no label is attached in the room.
	codes := w.codes(t, "D1", "V-A", "R1")
	var free string
	for _, c := range codes {
		if err := w.svc.Attach(w.ctx, asA, year, "D1", "V-A", c, w.seats["D1/V-A/R1"][0]); apperr.CodeOf(err) == apperr.Conflict && strings.Contains(apperr.MessageOf(err), "53.5") {
			free = c
		}
	}
	if free == "" {
		t.Fatal("a sealed room took a label")
	}
	// Another venue's counts are its own.
	other, err := w.svc.Counts(w.ctx, year, "D1", "V-B")
	if err != nil || len(other) != 1 || other[0].Used != 0 || other[0].Printed != 2 {
		t.Fatalf("V-B: %+v %v", other, err)
	}
	st, err := w.svc.Status(w.ctx, ava, year, "D1")
	if err != nil {
		t.Fatal(err)
	}
	if st.Codes != 9 || st.Used != 6 || st.RoomsSealed != 2 || len(st.Venues) != 2 || st.Venues[0].Balanced || !st.Keyed || len(st.Holders) != 5 {
		t.Fatalf("status: %+v", st)
	}
}

func TestNeni53_3_AttachManyAllOrNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.ready(t, "D1")
	codes := w.codes(t, "D1", "V-A", "R1")
	s := w.seats["D1/V-A/R1"]
	batch := []anonym.Label{{Code: codes[0], StudentID: s[0]}, {Code: codes[1], StudentID: s[1]}, {Code: codes[0], StudentID: s[2]}}
	_, err := w.svc.AttachMany(w.ctx, asA, year, "D1", "V-A", batch)
	wantCode(t, err, apperr.Conflict)
	counts, _ := w.svc.Counts(w.ctx, year, "D1", "V-A")
	if counts[0].Used != 0 {
		t.Fatalf("a refused batch left %d labels", counts[0].Used)
	}
	n, err := w.svc.AttachMany(w.ctx, asA, year, "D1", "V-A", batch[:2])
	if err != nil || n != 2 {
		t.Fatalf("%d %v", n, err)
	}
	// Replayed: nothing new.
	n, err = w.svc.AttachMany(w.ctx, asA, year, "D1", "V-A", batch[:2])
	if err != nil || n != 0 {
		t.Fatalf("replay: %d %v", n, err)
	}
	counts, _ = w.svc.Counts(w.ctx, year, "D1", "V-A")
	if counts[0].Used != 2 {
		t.Fatalf("used %d", counts[0].Used)
	}
	var links int
	if err := w.db.QueryRow(`SELECT COUNT(*) FROM anonym_links`).Scan(&links); err != nil || links != 2 {
		t.Fatalf("%d links %v", links, err)
	}
	// Regenerating is refused once labels are attached.
	_, err = w.svc.Regenerate(w.ctx, ava, year, "D1")
	wantCode(t, err, apperr.Conflict)
}

// TestNeni59_3_BeforeSealingNoRowSinglesOutAPair attaches labels one by
// one in a room that is not sealed yet, one of them through the batch
// path, and reads the rows as a dump with PostgreSQL's system columns
// would: every code of the room carries the same last transaction (xmin)
// and every seat the same, and the rows keep their places, so neither
// pairs the code of an attachment with its candidate.
func TestNeni59_3_BeforeSealingNoRowSinglesOutAPair(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if w.db.Dialect != store.Postgres {
		t.Skip("system columns (xmin, ctid) are PostgreSQL's; SQLite keeps these tables in key order")
	}
	w.ready(t, "D1")
	room := w.rooms["V-A/R1"]
	order := func(table, key string) []string {
		t.Helper()
		var out []string
		rows, err := w.db.Query(`SELECT `+key+`::text FROM `+table+` WHERE year = $1 AND exam = 'D1' AND room_id = $2 ORDER BY ctid`, year, room)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	codesBefore, seatsBefore := order("anonym_codes", "code"), order("anonym_seated", "student_id")
	codes := w.codes(t, "D1", "V-A", "R1")
	students := w.seats["D1/V-A/R1"]
	w.attach(t, "D1", "V-A", codes[2], students[1])
	w.attach(t, "D1", "V-A", codes[0], students[3])
	if _, err := w.svc.AttachMany(w.ctx, asA, year, "D1", "V-A", []anonym.Label{{Code: codes[1], StudentID: students[0]}}); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"anonym_codes", "anonym_seated"} {
		if x := order(table, "xmin"); len(slices.Compact(slices.Clone(x))) != 1 {
			t.Fatalf("%s: the room's rows were last written by different transactions, %v: the last attachment's pair stands out", table, x)
		}
	}
	if got := order("anonym_codes", "code"); !slices.Equal(got, codesBefore) {
		t.Fatalf("the codes moved in the table: %v, made %v", got, codesBefore)
	}
	if got := order("anonym_seated", "student_id"); !slices.Equal(got, seatsBefore) {
		t.Fatalf("the seats moved in the table: %v, made %v", got, seatsBefore)
	}
}

// TestNeni59_3_LabelSheetOrderIsKeptNowhere: the desk peels labels in
// the sheet's order and seats candidates in their order of entry, so the
// sheet's order must not be one the database could compute again. Each
// sheet made is the room's codes in a fresh random order.
func TestNeni59_3_LabelSheetOrderIsKeptNowhere(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.ready(t, "D1")
	first := w.codes(t, "D1", "V-A", "R1")
	sorted := slices.Sorted(slices.Values(first))
	orders := map[string]bool{}
	for range 12 {
		c := w.codes(t, "D1", "V-A", "R1")
		if !slices.Equal(slices.Sorted(slices.Values(c)), sorted) {
			t.Fatalf("a sheet printed other codes: %v, not %v", c, sorted)
		}
		orders[strings.Join(c, ",")] = true
	}
	// Twelve draws of 24 orders all alike: about 1 in 10¹⁶.
	if len(orders) < 2 {
		t.Fatalf("twelve sheets of room R1 were printed in one order: %v", first)
	}
}
