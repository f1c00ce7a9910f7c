package examday_test

import (
	"strings"
	"testing"

	"provim/internal/auth"
	"provim/internal/examday"
)

// TestNeni52_7_OneBatchSeesItsOwnCheckIns: within one batch (a device's
// queue) the rules see what the batch did before — a key sent twice gets
// its first answer, a candidate let in once is refused a second entry
// (Neni 52.7), a candidate excluded for having no document is not let in
// by a later line (Neni 54.1) — and the batch writes one check-in row and
// one audit entry per admitted candidate, in the batch's order.
func TestNeni52_7_OneBatchSeesItsOwnCheckIns(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	v := w.pick(t, 2, anyAS)
	pap := staff(auth.RolePAP, v.roles["PAP"][0])
	r := w.day(t, v.venue).Rooms[0]
	if len(r.Entries) < 3 {
		t.Fatal("a room of at least three")
	}
	w.at(t, "09:40")
	a, b, c := r.Entries[0], r.Entries[1], r.Entries[2]
	first := in(v.venue, r.Name, a.RegNo)
	first.Key = "dev/a"
	again := first // the same key again
	twice := in(v.venue, r.Name, a.RegNo)
	twice.Key = "dev/a-2" // the same candidate, another key
	other := in(v.venue, r.Name, b.RegNo)
	other.Key = "dev/b"
	none := in(v.venue, r.Name, c.RegNo)
	none.Key, none.DocType = "dev/c", examday.DocNone
	later := in(v.venue, r.Name, c.RegNo)
	later.Key = "dev/c-2"
	audits := count(t, w, `SELECT COUNT(*) FROM audit_log WHERE action = 'check_in'`)
	out, err := w.svc.CheckInMany(w.ctx, pap, []examday.CheckIn{first, again, twice, other, none, later})
	if err != nil {
		t.Fatal(err)
	}
	if out[0].Status != examday.Admitted || !out[1].Replayed || out[1].Seat != out[0].Seat {
		t.Fatalf("first and its key again: %+v / %+v", out[0], out[1])
	}
	if out[2].Status != examday.Rejected || !strings.Contains(out[2].Message, "52.7") {
		t.Fatalf("a second entry in the same batch: %+v", out[2])
	}
	if out[3].Status != examday.Admitted || out[3].Seat == out[0].Seat {
		t.Fatalf("the second candidate: %+v", out[3])
	}
	if out[4].Status != examday.Excluded || out[5].Status != examday.Rejected {
		t.Fatalf("no document, then again: %+v / %+v", out[4], out[5])
	}
	if n := count(t, w, `SELECT COUNT(*) FROM examday_checkins`); n != 2 {
		t.Fatalf("%d check-in rows, want 2", n)
	}
	if n := count(t, w, `SELECT COUNT(*) FROM audit_log WHERE action = 'check_in'`) - audits; n != 2 {
		t.Fatalf("%d check-in audit entries, want 2", n)
	}
	if n := count(t, w, `SELECT COUNT(*) FROM examday_requests`); n != 5 {
		t.Fatalf("%d answered keys, want 5", n)
	}
}
