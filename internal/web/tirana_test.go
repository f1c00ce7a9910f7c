package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"provim/internal/custody"
)

// TestTiranaTimeOnUTCHost: every time shown to a person is Tirana time,
// whatever the host's zone (issue 8, item 2). The test runs itself again
// with TZ=UTC and checks there that a moment of 05:30 UTC reads as Tirana's
// hour on the receipt of form A1, on the audit page and in the text of a
// custody procesverbal PDF.
func TestTiranaTimeOnUTCHost(t *testing.T) {
	t.Parallel()
	if os.Getenv("PROVIM_TEST_UTC_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestTiranaTimeOnUTCHost$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "TZ=UTC", "PROVIM_TEST_UTC_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestTiranaTimeOnUTCHost") {
			t.Fatalf("under TZ=UTC: %v\n%s", err, out)
		}
		return
	}
	if name, offset := time.Now().Zone(); offset != 0 {
		t.Fatalf("the child runs in zone %s, not UTC", name)
	}

	// The receipt of form A1 submitted at 05:30 UTC on 25 February: 06:30
	// in Tirana (winter time).
	f := uiAppFixture(t)
	f.k.Clock.Set(time.Date(2027, 2, 25, 5, 30, 0, 0, time.UTC))
	f.mustPost(t, "nxenes", "/formulari", url.Values{"z": {"FIZ", "KIM"}, "veprimi": {"dorezo"}})
	body := f.expect(t, "nxenes", "/formulari/deshmi", 200, "25.02.2027 06:30", "25.02.2027 06:30:00")
	if strings.Contains(body, "05:30") {
		t.Errorf("the receipt shows UTC:\n%s", snippet(body[strings.Index(body, "<main>"):]))
	}
	// The audit page: the same submission, to the second.
	body = f.expect(t, "ava", "/auditimi", 200, "25.02.2027 06:30:00")
	if strings.Contains(body, "05:30:00") {
		t.Error("the audit page shows UTC")
	}

	// A hand-over recorded at 05:30 UTC on 7 June 2009: 07:30 in Tirana
	// (summer time) in its procesverbal.
	g, c := custodyFixture(t)
	g.k.Clock.Set(time.Date(2009, 6, 7, 5, 30, 0, 0, time.UTC))
	code, out := g.api(t, "ava", "POST", "/api/v1/custody/handovers", map[string]any{"venue_code": "Q-A-1", "exam": "D1", "step": 1,
		"givers": []string{"Arta Hoxha"}, "receivers": []string{"Besa Leka (KMSH)", "Ilir Dema (MASH)"}, "seals": custodySealMap(c)})
	if code != 201 {
		t.Fatalf("record step 1: %d %s", code, out)
	}
	var h custody.Handover
	mustJSON(t, out, &h)
	resp, pdf := g.raw(t, "ava", "GET", fmt.Sprintf("/api/v1/custody/handovers/%d?format=pdf", h.ID), "", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(pdf, "%PDF") {
		t.Fatalf("procesverbal: %d", resp.StatusCode)
	}
	text := pdfText(t, []byte(pdf))
	if !strings.Contains(text, "07.06.2009 07:30") || strings.Contains(text, "05:30") {
		t.Fatalf("the procesverbal does not show Tirana time:\n%s", text)
	}
}

// pdfText is the text of a PDF, by pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	cmd := exec.Command("pdftotext", "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// mustJSON decodes a JSON body into v.
func mustJSON(t *testing.T, body string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("%v\n%s", err, snippet(body))
	}
}
