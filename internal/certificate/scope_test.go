package certificate_test

import (
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/certificate"
	"provim/internal/certificate/certtest"
	"provim/internal/testkit"
)

// Who sees a certificate: the candidate their own, the school its
// candidates', the KMSH its region (with its ZA), AVA all; nobody else.
// Outside the scope a certificate is not found.
func TestCertificateScope(t *testing.T) {
	w := newWorld(t)
	home, za, foreign := w.land.Home.Student, w.land.ZA.Student, w.land.Foreign.Student
	for _, id := range []int64{home, za, foreign} {
		w.src.Set(certtest.Complete(id))
	}
	w.issueAll(t)
	num := map[int64]string{}
	for _, id := range []int64{home, za, foreign} {
		num[id] = w.certOf(t, id).Number
	}
	marker := &auth.Principal{Username: "v", Role: auth.RoleMarker, Subject: "D1"}
	for _, tc := range []struct {
		name string
		p    *auth.Principal
		sees []int64
	}{
		{"AVA", testkit.AVA, []int64{home, za, foreign}},
		{"KMSH DAR-A", w.land.Home.KMSH(), []int64{home, za}},
		{"KMSH ZA-A1", w.land.ZA.KMSH(), []int64{za}},
		{"KSHMSH A-1", w.land.Home.KSHMSH(), []int64{home}},
		{"the candidate", w.land.Home.StudentP(), []int64{home}},
		{"another candidate", w.land.Foreign.StudentP(), []int64{foreign}},
		{"PAP", w.land.Home.PAP(), nil},
		{"marker", marker, nil},
		{"anonymous", nil, nil},
	} {
		for _, id := range []int64{home, za, foreign} {
			want := false
			for _, s := range tc.sees {
				want = want || s == id
			}
			_, err := w.svc.Get(w.ctx, tc.p, num[id])
			switch {
			case want && err != nil:
				t.Errorf("%s: %s: %v", tc.name, num[id], err)
			case !want && err == nil:
				t.Errorf("%s sees %s", tc.name, num[id])
			case !want && tc.sees != nil && !apperr.Is(err, apperr.NotFound):
				t.Errorf("%s: %s outside the scope: %v, want not found", tc.name, num[id], err)
			}
			doc, _, err := w.svc.PDF(w.ctx, tc.p, num[id])
			if want != (err == nil) || (want && !strings.HasPrefix(string(doc), "%PDF-")) {
				t.Errorf("%s: PDF of %s: %v", tc.name, num[id], err)
			}
		}
		list, err := w.svc.List(w.ctx, tc.p, certificate.Filter{Year: 2027})
		listing := certificate.MayList(tc.p)
		if listing != (err == nil) {
			t.Errorf("%s: list: %v", tc.name, err)
		}
		if listing && len(list) != len(tc.sees) {
			t.Errorf("%s lists %d, want %d", tc.name, len(list), len(tc.sees))
		}
	}
	mine, err := w.svc.MineValid(w.ctx, w.land.Home.StudentP())
	if err != nil || mine.Number != num[home] {
		t.Fatalf("mine: %+v %v", mine, err)
	}
	if _, err := w.svc.MineValid(w.ctx, w.land.Home.KSHMSH()); err == nil {
		t.Fatal("a school has a certificate of its own")
	}
	// A candidate without a certificate is told when one is issued.
	w2 := newWorld(t)
	if _, err := w2.svc.MineValid(w2.ctx, w2.land.Home.StudentP()); !apperr.Is(err, apperr.NotFound) || !strings.Contains(err.Error(), "Neni 17") {
		t.Fatalf("no certificate yet: %v", err)
	}
}
