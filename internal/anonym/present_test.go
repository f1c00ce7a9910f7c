package anonym_test

import (
	"strings"
	"testing"
	"time"

	"provim/internal/anonym"
	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
)

// TestNeni59_3_HoldersPresentOneAtATimeFromTheirOwnAccounts: each holder
// presents their share on their own account; a wrong share is refused at
// once; one account presents one share; k−1 shares leave the link shut,
// the k-th opens it; the shares are never in the audit log.
func TestNeni59_3_HoldersPresentOneAtATimeFromTheirOwnAccounts(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	kr := w.ready(t, "D1")
	pairs := w.attachAll(t, "D1", "V-A", "R1", 1)
	acct := func(n string) *auth.Principal { return &auth.Principal{Username: n, FullName: n, Role: auth.RoleAVA} }
	sh := func(n int) (string, string) { return kr.Shares[n-1].Name, kr.Shares[n-1].Share }
	closed := false
	w.svc.SetMarkingClosed(closedMarking(&closed))
	h, s := sh(1)
	_, err := w.svc.Present(w.ctx, acct("a1"), year, "D1", h, s)
	wantCode(t, err, apperr.Conflict) // marking not closed
	closed = true
	// A share under another holder's name is refused when presented.
	h2, _ := sh(2)
	_, err = w.svc.Present(w.ctx, acct("a1"), year, "D1", h2, s)
	wantCode(t, err, apperr.Invalid)
	_, err = w.svc.Present(w.ctx, papA, year, "D1", h, s)
	wantCode(t, err, apperr.Forbidden)
	res, err := w.svc.Present(w.ctx, acct("a1"), year, "D1", h, s)
	if err != nil || res.Opened != nil || len(res.Presented) != 1 || res.Threshold != 3 {
		t.Fatalf("first: %+v %v", res, err)
	}
	// The same holder again; another holder's share from the same account.
	_, err = w.svc.Present(w.ctx, acct("a2"), year, "D1", h, s)
	wantCode(t, err, apperr.Conflict)
	h4, s4 := sh(4)
	_, err = w.svc.Present(w.ctx, acct("a1"), year, "D1", h4, s4)
	wantCode(t, err, apperr.Invalid)
	if res, err = w.svc.Present(w.ctx, acct("a4"), year, "D1", h4, s4); err != nil || res.Opened != nil {
		t.Fatalf("second: %+v %v", res, err)
	}
	if got := w.svc.Presented(w.ctx, year, "D1"); len(got) != 2 {
		t.Fatalf("waiting: %v", got)
	}
	if links, _ := w.svc.OpenedLinks(w.ctx, year, "D1"); len(links) != 0 {
		t.Fatal("k−1 shares opened the link")
	}
	h5, s5 := sh(5)
	res, err = w.svc.Present(w.ctx, acct("a5"), year, "D1", h5, s5)
	if err != nil || res.Opened == nil || res.Opened.Links != len(pairs) {
		t.Fatalf("third: %+v %v", res, err)
	}
	if got := w.svc.Presented(w.ctx, year, "D1"); len(got) != 0 {
		t.Fatalf("shares kept after the opening: %v", got)
	}
	entries, err := audit.Query(w.ctx, w.db.DB, "anonym_exam", "2027-D1", 100)
	if err != nil {
		t.Fatal(err)
	}
	var presented int
	for _, e := range entries {
		if e.Action == "anonym_share_presented" {
			presented++
		}
		for _, x := range kr.Shares {
			if strings.Contains(string(e.After), x.Share) {
				t.Fatalf("a share in the audit log: %s", e.After)
			}
		}
	}
	if presented != 3 {
		t.Errorf("%d presentations audited", presented)
	}
}

// TestNeni59_3_PresentedSharesExpire: a share waits at most PresentWindow.
func TestNeni59_3_PresentedSharesExpire(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	kr := w.ready(t, "D1")
	closed := true
	w.svc.SetMarkingClosed(closedMarking(&closed))
	if _, err := w.svc.Present(w.ctx, ava, year, "D1", kr.Shares[0].Name, kr.Shares[0].Share); err != nil {
		t.Fatal(err)
	}
	w.k.Clock.Advance(anonym.PresentWindow + time.Minute)
	if got := w.svc.Presented(w.ctx, year, "D1"); len(got) != 0 {
		t.Fatalf("an old share still waits: %v", got)
	}
}
