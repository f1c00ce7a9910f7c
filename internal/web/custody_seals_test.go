package web

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"provim/internal/custody"
)

// TestNeni45_ConfirmedHandOverKeepsTheSealsFromLaterReaders is the
// reproduction of issue 9 item 5 over the API: once steps 1 and 2 are
// confirmed, the PAP, who reads every seal at step 3, finds no seal
// number in their procesverbals (JSON or PDF), nor in the consignment;
// nor does the KMSH, who reads the box again at steps 6–8. AVA sees them.
func TestNeni45_ConfirmedHandOverKeepsTheSealsFromLaterReaders(t *testing.T) {
	t.Parallel()
	f, c := custodyFixture(t)
	sealsOf := custodySealMap(c)
	var ids []int64
	for _, s := range []struct {
		step                int
		recorder, confirmer string
		givers, receivers   []string
	}{
		{1, "ava", "kmsh", []string{"Arta Hoxha"}, []string{"Besa Leka (KMSH)", "Ilir Dema (MASH)"}},
		{2, "kmsh", "kmsh2", []string{"Besa Leka", "Ilir Dema"}, []string{"Genc Kola"}},
	} {
		code, body := f.api(t, s.recorder, "POST", "/api/v1/custody/handovers", map[string]any{"venue_code": "Q-A-1", "exam": "D1", "step": s.step,
			"givers": s.givers, "receivers": s.receivers, "seals": sealsOf})
		if code != 201 {
			t.Fatalf("record step %d: %d %s", s.step, code, body)
		}
		var h custody.Handover
		if err := json.Unmarshal([]byte(body), &h); err != nil {
			t.Fatal(err)
		}
		if code, body := f.api(t, s.confirmer, "POST", fmt.Sprintf("/api/v1/custody/handovers/%d/confirm", h.ID), map[string]any{"seals": sealsOf}); code != 200 {
			t.Fatalf("confirm step %d: %d %s", s.step, code, body)
		}
		ids = append(ids, h.ID)
	}
	leaks := func(body string) []string {
		var out []string
		for _, pk := range c.Packages {
			for _, s := range pk.Seals {
				if strings.Contains(body, s) {
					out = append(out, s)
				}
			}
		}
		return out
	}
	for _, user := range []string{"pap", "kmsh", "kmsh2"} {
		for _, path := range []string{"/api/v1/custody/consignments/Q-A-1/D1", "/api/v1/custody/board"} {
			if code, body := f.api(t, user, "GET", path, nil); code != 200 || len(leaks(body)) > 0 {
				t.Errorf("%s GET %s: %d, seals shown %v", user, path, code, leaks(body))
			}
		}
		for _, id := range ids {
			code, body := f.api(t, user, "GET", fmt.Sprintf("/api/v1/custody/handovers/%d", id), nil)
			if code != 200 || len(leaks(body)) > 0 || !strings.Contains(body, `"seals_hidden"`) {
				t.Errorf("%s reads procesverbal %d: %d, seals shown %v", user, id, code, leaks(body))
			}
		}
	}
	if code, body := f.api(t, "ava", "GET", fmt.Sprintf("/api/v1/custody/handovers/%d", ids[1]), nil); code != 200 || len(leaks(body)) != 8 {
		t.Errorf("AVA's procesverbal shows %d of the 8 seals", len(leaks(body)))
	}
	// The UI's PDF of the same procesverbal says the numbers are hidden.
	code, body := f.ui(t, "pap", fmt.Sprintf("/materialet/dorezimet/%d/procesverbal.pdf", ids[0]))
	if code != 200 || !strings.HasPrefix(body, "%PDF") {
		t.Fatalf("PAP's procesverbal PDF: %d", code)
	}
}
