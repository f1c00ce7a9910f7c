package remark_test

import (
	"testing"

	"provim/internal/apperr"
	"provim/internal/remark"
)

func TestTestCopy_CandidateSeesTheScanOrAnAppointment(t *testing.T) {
	w := newWorld(t)
	w.at(t, 2, "10:00")
	c, err := w.svc.RequestCopy(w.ctx, w.student(0), year, "D1")
	if err != nil || c.State != remark.CopyRequested {
		t.Fatalf("request: %+v %v", c, err)
	}
	_, err = w.svc.RequestCopy(w.ctx, w.student(0), year, "D1")
	want(t, err, apperr.Conflict)
	if _, err := w.svc.RequestCopy(w.ctx, w.student(1), year, "D1"); err != nil {
		t.Fatal(err)
	}
	// Not scanned yet: the scan cannot be the answer.
	_, err = w.svc.AnswerCopy(w.ctx, ava, year, "D1", w.reg(0), remark.CopyAnswer{Kind: remark.CopyScan})
	want(t, err, apperr.Conflict)
	// Only AVA answers; an unknown request is not found.
	_, err = w.svc.AnswerCopy(w.ctx, schoolA, year, "D1", w.reg(0), remark.CopyAnswer{Kind: remark.CopyScan})
	want(t, err, apperr.Forbidden)
	_, err = w.svc.AnswerCopy(w.ctx, ava, year, "D1", w.reg(4), remark.CopyAnswer{Kind: remark.CopyScan})
	want(t, err, apperr.NotFound)
	// The booklet of candidate 0 is scanned: AVA answers with the scan.
	png := []byte("\x89PNG\r\n\x1a\nfaqe")
	exec(t, w.k, `INSERT INTO marking_scans (year, exam, code, page, content_type, sha256, bytes, uploaded_by, uploaded_at) VALUES ($1, 'D1', $2, 1, 'image/png', 'x', $3, 'ava', '2027-06-20T08:00:00Z')`,
		year, w.codes[w.students[0]], png)
	if c, err := w.svc.AnswerCopy(w.ctx, ava, year, "D1", w.reg(0), remark.CopyAnswer{Kind: remark.CopyScan}); err != nil || c.State != remark.CopyScan {
		t.Fatalf("scan: %+v %v", c, err)
	}
	got, err := w.svc.CopyFor(w.ctx, w.student(0), year, "D1")
	if err != nil || got.ScanPages != 1 {
		t.Fatalf("copy: %+v %v", got, err)
	}
	ct, data, err := w.svc.CopyScanPage(w.ctx, w.student(0), year, "D1", 1)
	if err != nil || ct != "image/png" || string(data) != string(png) {
		t.Fatalf("page: %q %v", ct, err)
	}
	// Nobody else gets it: candidate 1 (answered later), 3 (no request).
	_, _, err = w.svc.CopyScanPage(w.ctx, w.student(1), year, "D1", 1)
	want(t, err, apperr.NotFound)
	_, _, err = w.svc.CopyScanPage(w.ctx, w.student(3), year, "D1", 1)
	want(t, err, apperr.NotFound)
	_, _, err = w.svc.CopyScanPage(w.ctx, schoolA, year, "D1", 1)
	want(t, err, apperr.Forbidden)
	// Candidate 1: an appointment, in the future, with a place.
	for _, in := range []remark.CopyAnswer{
		{Kind: remark.CopyAppointment, At: "2027-07-11 10:00", Place: "AVA, Tiranë"}, // past
		{Kind: remark.CopyAppointment, At: "nesër", Place: "AVA, Tiranë"},
		{Kind: remark.CopyAppointment, At: "2027-07-20 10:00", Place: " "},
		{Kind: "postë"},
	} {
		_, err := w.svc.AnswerCopy(w.ctx, ava, year, "D1", w.reg(1), in)
		want(t, err, apperr.Invalid)
	}
	c, err = w.svc.AnswerCopy(w.ctx, ava, year, "D1", w.reg(1), remark.CopyAnswer{Kind: remark.CopyAppointment, At: "2027-07-20 10:00", Place: "AVA, Rruga e Durrësit, Tiranë"})
	if err != nil || c.State != remark.CopyAppointment || c.Place == "" || c.AppointmentAt == "" {
		t.Fatalf("appointment: %+v %v", c, err)
	}
	got, _ = w.svc.CopyFor(w.ctx, w.student(1), year, "D1")
	if got.StateLabel != "Takim për të parë testin" {
		t.Fatalf("candidate sees %+v", got)
	}
	_, list, err := w.svc.Copies(w.ctx, ava, year)
	if err != nil || len(list) != 2 {
		t.Fatalf("copies %+v %v", list, err)
	}
	var n int
	w.k.DB.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action LIKE 'remark.copy%'`).Scan(&n)
	if n != 4 {
		t.Fatalf("%d audit entries", n)
	}
}
