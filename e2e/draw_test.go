package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"provim/internal/draw"
)

// demoPassword is the password of every account of `provim demo`.
const demoPassword = "provim-demo-2027"

// TestKMSHRunsASecondDrawAndAnyoneVerifiesIt: on the morning of D1, inside
// the draw window (07:00–08:00, three to two hours before the 10:00 start),
// the KMSH of Tirana sees the staffing needs and the D1 draw the demo has
// already run, opens a second draw — refused without a reason, published
// with one — and runs it with the numbers called out by the people present.
// Both draws stay on record, the first superseded. Without logging in,
// anyone sees on the public page that the result recomputes from the
// published record, and `provim draw verify` agrees on the published JSON
// and refuses it once an assignment is changed.
func TestKMSHRunsASecondDrawAndAnyoneVerifiesIt(t *testing.T) {
	t.Parallel()
	// The demo country (12 DAR) on the eve of D1: final lists, the venue
	// plan of D1 and the staff draw of D1 in every DAR are done.
	a := startApp(t, func(a *app) {
		a.provim(nil, "demo", "--no-serve", "--db", a.dsn, "--students", "600")
	}, "PROVIM_TODAY=2027-06-08T07:20")
	ctx := browser(t)

	login(t, ctx, a, "kmsh.tirane", demoPassword)
	do(t, ctx,
		chromedp.Navigate(a.url+"/shorti"),
		chromedp.WaitVisible(chromedp.ID("draw-needs")),
	)
	needs := tableRows(t, ctx, "#draw-needs")
	if len(needs) == 0 {
		t.Fatal("no venue needs staff for D1 in DAR-TR")
	}
	for _, r := range needs {
		if len(r) != 8 || r[1] == "0" || r[3] != "1" || r[4] != "1" || r[6] == "0" {
			t.Fatalf("needs of a venue: %q, want candidates, one PAP, one KMSH representative and AP", r)
		}
	}
	mustContain(t, "the draw page", get(t, ctx, chromedp.Text(chromedp.CSS("h1"))), "Shorti i personelit — ")
	draws := tableRows(t, ctx, "#draws")
	if len(draws) != 1 || draws[0][1] != "D1, sesioni 1" || draws[0][2] != "DAR-TR" || draws[0][3] != "I hedhur" {
		t.Fatalf("draws before the second: %q, want the demo's D1 draw of DAR-TR, drawn", draws)
	}
	first := draws[0][0]

	// A second draw for the same exam needs a reason (and nothing is saved
	// without one).
	if st := submit(t, ctx, chromedp.ID("reason")); st != http.StatusConflict {
		t.Fatalf("second draw without a reason: HTTP %d, want 409", st)
	}
	mustContain(t, "the refusal", get(t, ctx, chromedp.Text(chromedp.CSS(".error"))), "arsyen", "të dy mbeten në regjistër")
	if rows := tableRows(t, ctx, "#draws"); len(rows) != 1 {
		t.Fatalf("draws after the refusal: %q, want only the first", rows)
	}
	const reason = "Dy AP të shortit të parë u sëmurën"
	do(t, ctx, chromedp.SendKeys(chromedp.ID("reason"), reason))
	if st := submit(t, ctx, chromedp.ID("reason")); st != 200 {
		t.Fatalf("publish the commitment: HTTP %d", st)
	}
	do(t, ctx, chromedp.WaitVisible(chromedp.ID("draw-run")))
	commitment := get(t, ctx, chromedp.Text(chromedp.ID("draw-commitment")))
	if len(commitment) != 64 {
		t.Fatalf("commitment %q: want 64 hex digits", commitment)
	}
	mustContain(t, "after the commitment", get(t, ctx, chromedp.Text(chromedp.CSS(".flash"))), "Angazhimi u publikua: "+commitment)
	mustContain(t, "the committed draw", get(t, ctx, chromedp.Text(chromedp.ID("draw-facts"))),
		"shorti nuk është hedhur ende", reason+" (shorti i 2-të)")
	loc := get(t, ctx, chromedp.Location())
	second := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], a.url+"/shorti/")
	if second == "" || second == first || strings.Contains(second, "/") {
		t.Fatalf("the new draw's address %q", loc)
	}

	// The people present call out three numbers.
	do(t, ctx, chromedp.SendKeys(chromedp.ID("entropy"), "17 42 8"))
	if st := submit(t, ctx, chromedp.ID("entropy")); st != 200 {
		t.Fatalf("run the draw: HTTP %d", st)
	}
	do(t, ctx, chromedp.WaitVisible(chromedp.ID("draw-result")))
	mustContain(t, "after the draw", get(t, ctx, chromedp.Text(chromedp.CSS(".flash"))), "Shorti u hodh")
	mustContain(t, "the drawn record", get(t, ctx, chromedp.Text(chromedp.ID("draw-status"))), "I hedhur më 08.06.2027", "nga Arben Hoxha (KMSH Tiranë)")
	if e := get(t, ctx, chromedp.Text(chromedp.ID("draw-entropy"))); e != "17 42 8" {
		t.Fatalf("entropy on record: %q", e)
	}
	if c := get(t, ctx, chromedp.Text(chromedp.ID("draw-commitment"))); c != commitment {
		t.Fatalf("commitment after the draw %q, before %q", c, commitment)
	}
	mustContain(t, "verification", get(t, ctx, chromedp.Text(chromedp.ID("draw-verified"))), "përputhet")
	result := tableRows(t, ctx, "#draw-result")
	roles, people := map[string]int{}, map[string]bool{}
	for _, r := range result {
		if len(r) != 5 || r[1] == "" || r[4] == "" {
			t.Fatalf("assignment %q", r)
		}
		roles[r[3]]++
		if people[r[4]] {
			t.Fatalf("%s drawn twice: %q", r[4], result)
		}
		people[r[4]] = true
	}
	for i, role := range []string{draw.RolePAP, draw.RoleKMSH, draw.RoleAS, draw.RoleAP} {
		need := 0
		for _, r := range needs {
			need += atoi(t, r[3+i])
		}
		if roles[draw.RoleLabel(role)] != need {
			t.Fatalf("%d places of %s drawn, the venues need %d: %q", roles[draw.RoleLabel(role)], role, need, result)
		}
	}
	if n := get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('#draw-run').length`)); n != 0 {
		t.Fatal("a drawn draw still offers to be run")
	}
	screenshot(t, ctx, "shorti.png")

	// Both draws stay on record: the first drawn, superseded by the second.
	do(t, ctx,
		chromedp.Navigate(a.url+"/shorti"),
		chromedp.WaitVisible(chromedp.ID("draws")),
	)
	draws = tableRows(t, ctx, "#draws")
	if len(draws) != 2 || draws[0][0] != second+" (i 2-ti)" || draws[1][0] != first {
		t.Fatalf("draws after the second: %q, want %s (the 2nd) then %s", draws, second, first)
	}
	mustContain(t, "the second draw", draws[0][3], "I hedhur", "arsyeja: "+reason)
	mustContain(t, "the first draw", draws[1][3], "I hedhur", "zëvendësuar nga "+second)
	do(t, ctx,
		chromedp.Navigate(a.url+"/shorti/"+first),
		chromedp.WaitVisible(chromedp.ID("draw-result")),
	)
	mustContain(t, "the superseded draw", get(t, ctx, chromedp.Text(chromedp.ID("draw-status"))), "I hedhur", "zëvendësuar nga shorti "+second)
	mustContain(t, "the superseded draw", get(t, ctx, chromedp.Text(chromedp.ID("draw-verified"))), "përputhet")
	logout(t, ctx)

	// Anyone, without logging in, sees the published record verify.
	do(t, ctx,
		chromedp.Navigate(a.url+"/shorti-publik/"+second),
		chromedp.WaitVisible(chromedp.ID("draw-result")),
	)
	mustContain(t, "the public page", get(t, ctx, chromedp.Text(chromedp.ID("draw-verified"))),
		"Rezultati u rillogarit nga rekordi i publikuar dhe përputhet")
	if e := get(t, ctx, chromedp.Text(chromedp.ID("draw-entropy"))); e != "17 42 8" {
		t.Fatalf("entropy on the public page: %q", e)
	}
	if n := get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('#who, #draw-run').length`)); n != 0 {
		t.Fatal("the public page shows a signed-in user or the draw form")
	}
	if pub := tableRows(t, ctx, "#draw-result"); len(pub) != len(result) {
		t.Fatalf("public page: %d assignments, the KMSH saw %d", len(pub), len(result))
	}

	// The published JSON, without a token, verifies with the CLI …
	resp, err := http.Get(a.url + "/api/v1/public/draws/" + second)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("public JSON: HTTP %d, %v\n%s", resp.StatusCode, err, body)
	}
	out := a.provim(nil, "draw", "verify", writeFile(t, "shorti.json", string(body)))
	mustContain(t, "provim draw verify", out, "Shorti "+second+" ", "përputhet", commitment, "«17 42 8»")

	// … and not once one place is given to someone else of the same list.
	var rec map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // keep the ids exact
	if err := dec.Decode(&rec); err != nil {
		t.Fatal(err)
	}
	res, _ := rec["result"].([]any)
	if len(res) == 0 {
		t.Fatalf("public JSON without a result: %s", body)
	}
	place := res[0].(map[string]any)
	pool := rec["inputs"].(map[string]any)["pool"].([]any)
	// The published record names list places (refs), not people.
	var other string
	for _, p := range pool {
		p := p.(map[string]any)
		if ref, _ := p["ref"].(string); p["role"] == place["role"] && ref != "" && ref != place["ref"] {
			other = ref
			break
		}
	}
	if other == "" {
		t.Fatalf("nobody else on the %v list", place["role"])
	}
	place["ref"] = other
	tampered, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "draw", "verify", writeFile(t, "shorti-ndryshuar.json", string(tampered)))
	bad, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("verify of a changed record: %v, want exit status 1\n%s", err, bad)
	}
	mustContain(t, "verify of a changed record", string(bad), "NUK përputhet", "caktimi 1", "llogaritja jep")
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
