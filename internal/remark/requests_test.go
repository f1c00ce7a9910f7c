package remark_test

import (
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/remark"
)

func TestNeni64_1_RequestWithinFourDaysDay4AcceptedDay5Refused(t *testing.T) {
	w := newWorld(t)
	// Day 0, the evening of the publication: accepted.
	w.at(t, 0, "19:30")
	r, err := w.svc.File(w.ctx, w.student(0), year, "D1", "ma-2027-0001")
	if err != nil || r.State != remark.StateFiled || r.Receipt != "MA-2027-0001" || r.Channel != "online" || r.PointsBefore != 3 {
		t.Fatalf("day 0: %+v %v", r, err)
	}
	// One request per candidate and exam.
	_, err = w.svc.File(w.ctx, w.student(0), year, "D1", "MA-2027-0002")
	want(t, err, apperr.Conflict)
	// Day 4, late evening: accepted.
	w.at(t, 4, "23:50")
	if _, err := w.svc.File(w.ctx, w.student(1), year, "D1", "MA-2027-0003"); err != nil {
		t.Fatalf("day 4: %v", err)
	}
	// Day 4 on paper at the school: accepted, for its own candidate only.
	if r, err := w.svc.FileOnPaper(w.ctx, schoolA, year, "D1", w.reg(2), "MA-2027-0004"); err != nil || r.Channel != "paper" || r.FiledBy != schoolA.Username {
		t.Fatalf("paper day 4: %+v %v", r, err)
	}
	_, err = w.svc.FileOnPaper(w.ctx, schoolA, year, "D1", w.reg(3), "MA-2027-0005")
	want(t, err, apperr.NotFound)
	// Day 5: refused online and on paper, naming the last date.
	w.at(t, 5, "00:05")
	_, err = w.svc.File(w.ctx, w.student(3), year, "D1", "MA-2027-0006")
	want(t, err, apperr.Conflict)
	if !strings.Contains(apperr.MessageOf(err), "14.07.2027") {
		t.Fatalf("day 5 message: %v", err)
	}
	_, err = w.svc.FileOnPaper(w.ctx, schoolB, year, "D1", w.reg(4), "MA-2027-0007")
	want(t, err, apperr.Conflict)
	// A bad receipt names the field; nothing is written.
	w.at(t, 2, "10:00")
	_, err = w.svc.File(w.ctx, w.student(3), year, "D1", "12")
	want(t, err, apperr.Invalid)
	if !strings.Contains(apperr.MessageOf(err), "mandat-arkëtimit") {
		t.Fatalf("receipt: %v", err)
	}
	var n int
	w.k.DB.QueryRow(`SELECT COUNT(*) FROM remark_requests`).Scan(&n)
	if n != 3 {
		t.Fatalf("%d requests", n)
	}
	// Only the candidate files online; a marker or AVA do not.
	_, err = w.svc.File(w.ctx, ava, year, "D1", "MA-2027-0008")
	want(t, err, apperr.Forbidden)
	// The candidate sees the request and its last day.
	_, list, err := w.svc.Mine(w.ctx, w.student(0), year)
	if err != nil || len(list) != 1 || list[0].Request == nil || list[0].CanFile || list[0].LastDay != "14.07.2027" {
		t.Fatalf("mine: %+v %v", list, err)
	}
	_, list, _ = w.svc.Mine(w.ctx, w.student(3), year)
	if len(list) != 1 || !list[0].CanFile || list[0].Request != nil {
		t.Fatalf("mine of 3: %+v", list)
	}
	// The filing is in the audit log.
	w.k.DB.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'remark.file'`).Scan(&n)
	if n != 3 {
		t.Fatalf("%d audit entries", n)
	}
}

func TestNeni64_1_NoRequestBeforePublication(t *testing.T) {
	w := newWorld(t)
	w.at(t, 1, "10:00")
	_, err := w.svc.File(w.ctx, w.student(0), year, "D2", "MA-2027-0001")
	want(t, err, apperr.NotFound)
}

func TestNeni64_2_SchoolForwardsDay5OkDay6Refused(t *testing.T) {
	w := newWorld(t)
	w.at(t, 1, "10:00")
	for _, i := range []int{0, 3} {
		if _, err := w.svc.File(w.ctx, w.student(i), year, "D1", "MA-2027-0001"); err != nil {
			t.Fatal(err)
		}
	}
	w.at(t, 5, "23:00")
	res, err := w.svc.ForwardSchool(w.ctx, schoolA, year, "D1")
	if err != nil || res.Forwarded != 1 {
		t.Fatalf("day 5: %+v %v", res, err)
	}
	w.at(t, 6, "08:00")
	_, err = w.svc.ForwardSchool(w.ctx, schoolB, year, "D1")
	want(t, err, apperr.Conflict)
	if !strings.Contains(apperr.MessageOf(err), "15.07.2027") {
		t.Fatalf("day 6: %v", err)
	}
	_, list, _ := w.svc.Requests(w.ctx, schoolB, year, "D1")
	if len(list) != 1 || list[0].State != remark.StateFiled {
		t.Fatalf("B's request moved: %+v", list)
	}
	_, err = w.svc.ForwardSchool(w.ctx, kmshA, year, "D1")
	want(t, err, apperr.Forbidden)
}

func TestNeni64_2_KMSHReviewsAndForwardsDay7OkDay8Refused(t *testing.T) {
	w := newWorld(t)
	w.at(t, 1, "10:00")
	for _, i := range []int{0, 1, 3} {
		if _, err := w.svc.File(w.ctx, w.student(i), year, "D1", "MA-2027-0001"); err != nil {
			t.Fatal(err)
		}
	}
	w.at(t, 3, "10:00")
	if _, err := w.svc.ForwardSchool(w.ctx, schoolA, year, "D1"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.ForwardSchool(w.ctx, schoolB, year, "D1"); err != nil {
		t.Fatal(err)
	}
	// The KMSH refuses one with a reason; the reason is required.
	w.at(t, 7, "16:00")
	_, err := w.svc.Refuse(w.ctx, kmshA, year, "D1", w.reg(1), "  ")
	want(t, err, apperr.Invalid)
	r, err := w.svc.Refuse(w.ctx, kmshA, year, "D1", w.reg(1), "Mandat-arkëtimi nuk është i vlefshëm")
	if err != nil || r.State != remark.StateRefused {
		t.Fatalf("refuse: %+v %v", r, err)
	}
	// Day 7: forwarded; the refused stays.
	res, err := w.svc.ForwardKMSH(w.ctx, kmshA, year, "D1")
	if err != nil || res.Forwarded != 1 {
		t.Fatalf("day 7: %+v %v", res, err)
	}
	// Day 8: refused with the date, both forwarding and refusal.
	w.at(t, 8, "08:00")
	_, err = w.svc.ForwardKMSH(w.ctx, kmshB, year, "D1")
	want(t, err, apperr.Conflict)
	if !strings.Contains(apperr.MessageOf(err), "17.07.2027") {
		t.Fatalf("day 8: %v", err)
	}
	_, err = w.svc.Refuse(w.ctx, kmshB, year, "D1", w.reg(3), "vonë")
	want(t, err, apperr.Conflict)
	// The candidate follows every step.
	got, err := w.svc.RequestFor(w.ctx, w.student(1), year, "D1")
	if err != nil || got.State != remark.StateRefused || got.RefusedReason != "Mandat-arkëtimi nuk është i vlefshëm" || got.SchoolAt == "" {
		t.Fatalf("candidate sees %+v %v", got, err)
	}
	got, _ = w.svc.RequestFor(w.ctx, w.student(0), year, "D1")
	if got.State != remark.StateKMSH || got.KMSHAt == "" || got.StateLabel != "Përcjellë nga KMSH te AVA" {
		t.Fatalf("forwarded: %+v", got)
	}
}

func TestNeni64_ScopeSchoolAndKMSHSeeOnlyTheirCandidates(t *testing.T) {
	w := newWorld(t)
	w.at(t, 1, "10:00")
	for _, i := range []int{0, 3} {
		if _, err := w.svc.File(w.ctx, w.student(i), year, "D1", "MA-2027-0001"); err != nil {
			t.Fatal(err)
		}
	}
	_, list, err := w.svc.Requests(w.ctx, schoolB, year, "")
	if err != nil || len(list) != 1 || list[0].RegNo != w.reg(3) || list[0].Name == "" {
		t.Fatalf("B sees %+v %v", list, err)
	}
	_, list, _ = w.svc.Requests(w.ctx, kmshA, year, "D1")
	if len(list) != 1 || list[0].RegNo != w.reg(0) {
		t.Fatalf("KMSH A sees %+v", list)
	}
	_, err = w.svc.RequestInScope(w.ctx, schoolB, year, "D1", w.reg(0))
	want(t, err, apperr.NotFound)
	w.at(t, 3, "10:00")
	if _, err := w.svc.ForwardSchool(w.ctx, schoolA, year, "D1"); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.Refuse(w.ctx, kmshB, year, "D1", w.reg(0), "jo e imja")
	want(t, err, apperr.NotFound)
	// AVA does not list requests by candidate (it re-marks by code), nor
	// does a marker or a candidate.
	_, _, err = w.svc.Requests(w.ctx, ava, year, "")
	want(t, err, apperr.Forbidden)
	_, _, err = w.svc.Requests(w.ctx, vl("vl.c"), year, "")
	want(t, err, apperr.Forbidden)
	_, _, err = w.svc.Requests(w.ctx, w.student(0), year, "")
	want(t, err, apperr.Forbidden)
	// Another candidate's request is not theirs to see.
	_, err = w.svc.RequestFor(w.ctx, w.student(1), year, "D1")
	want(t, err, apperr.NotFound)
}

func TestNeni65_RetentionForgetsTheCodesOfRemarkedBooklets(t *testing.T) {
	w := newWorld(t)
	w.forwarded(t, 0)
	if _, err := w.svc.Start(w.ctx, ava, year, "D1"); err != nil {
		t.Fatal(err)
	}
	// The booklet's two re-markings by code go too: beside the request's
	// points before → after they would link the code to its candidate.
	if got, err := w.svc.ForgetCodes(w.ctx, year, true); err != nil || got["remark_requests.code"] != 1 || got["remark_markings"] != 2 {
		t.Fatalf("dry run: %v %v", got, err)
	}
	if got, err := w.svc.ForgetCodes(w.ctx, year, false); err != nil || got["remark_requests.code"] != 1 || got["remark_markings"] != 2 {
		t.Fatalf("forget: %v %v", got, err)
	}
	if got, err := w.svc.ForgetCodes(w.ctx, year, false); err != nil || got["remark_requests.code"] != 0 || got["remark_markings"] != 0 {
		t.Fatalf("again: %v %v", got, err)
	}
	// The request and its state remain for the candidate.
	if r, err := w.svc.RequestFor(w.ctx, w.student(0), year, "D1"); err != nil || r.State != remark.StateMarking {
		t.Fatalf("request after retention: %+v %v", r, err)
	}
}
