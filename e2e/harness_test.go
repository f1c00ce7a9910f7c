// Package e2e drives the built provim program in Debian's headless
// Chromium: real binary, real database, real browser.
//
// It uses the generic action API of chromedp v0.23: an action is an
// Action[T] that returns its value, chromedp.Do runs actions that return
// nothing, chromedp.Run runs one action and returns its value, and the type
// of the selector (chromedp.ID, chromedp.CSS, …) chooses the lookup.
package e2e

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"provim/internal/store/storetest"
)

// binary is the built provim. It is built into a directory of its own
// under the temporary directory, named after this checkout, and kept there
// between runs: go build leaves an up-to-date binary as it is, so a run with
// a warm build cache does not link the program again.
var binary string

func TestMain(m *testing.M) {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256([]byte(wd))
	dir := filepath.Join(os.TempDir(), "provim-e2e-"+hex.EncodeToString(sum[:6]))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "provim")
	out, err := exec.Command("go", "build", "-o", binary, "../cmd/provim").CombinedOutput()
	if err != nil {
		panic("build provim: " + err.Error() + "\n" + string(out))
	}
	code := m.Run()
	shared.stop()
	os.Exit(code)
}

// app is a running provim with its own database.
type app struct {
	t    *testing.T
	dsn  string
	url  string
	stop func() // stops the running server
	// sessionKey signs the sessions of the app's servers, as a deployment
	// gives every server one PROVIM_SESSION_KEY: a server restarted
	// between phases, or a second one, reads the cookies of the first.
	sessionKey string
	env        []string // the environment the server was last started with
}

// provim runs a CLI command of the built binary against the app's database.
func (a *app) provim(env []string, args ...string) string {
	a.t.Helper()
	cmd := exec.Command(binary, args...)
	// Files a command leaves beside a PostgreSQL database (the demo's
	// audit key) go to the test's own folder, never into the checkout.
	cmd.Dir = a.t.TempDir()
	cmd.Env = append(os.Environ(), append(env, "PROVIM_DB="+a.dsn)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		a.t.Fatalf("provim %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// startApp migrates a fresh database, lets setup fill it with the CLI, and
// starts `provim serve` on a free port with env added to its environment.
func startApp(t *testing.T, setup func(a *app), env ...string) *app {
	a := &app{t: t, dsn: storetest.DSN(t)}
	a.provim(nil, "migrate")
	if setup != nil {
		setup(a)
	}
	a.serve(env...)
	return a
}

// serve (re)starts `provim serve` on the app's database: a running server
// is stopped first, so a test can move the exam calendar (PROVIM_TODAY)
// between phases. The new server listens on a new port (a.url).
func (a *app) serve(env ...string) { a.listen("127.0.0.1:0", env) }

// restart starts the server again after a.stop, on the same address and
// with the same environment: for the browser, the site comes back.
func (a *app) restart() { a.listen(strings.TrimPrefix(a.url, "http://"), a.env) }

func (a *app) listen(addr string, env []string) {
	t := a.t
	a.env = env
	if a.stop != nil {
		a.stop()
	}
	if a.sessionKey == "" {
		b := make([]byte, 32)
		rand.Read(b)
		a.sessionKey = hex.EncodeToString(b)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, binary, "serve", "--addr", addr, "--log", "warn")
	cmd.Env = append(append(os.Environ(), "PROVIM_DB="+a.dsn, "PROVIM_SESSION_KEY="+a.sessionKey), env...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	a.stop = func() { once.Do(func() { cancel(); cmd.Wait() }) }
	t.Cleanup(a.stop)
	re := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sent := false
		for sc.Scan() { // keep draining so the server never blocks on stdout
			if u := re.FindString(sc.Text()); u != "" && !sent {
				found <- u
				sent = true
			}
		}
	}()
	select {
	case a.url = <-found:
	case <-time.After(30 * time.Second):
		t.Fatal("provim serve did not start")
	}
}

// shared is the one headless chromium of the run, started by the first
// test that needs a browser. Each test gets its own browser context in it
// (its own cookies and storage, like a separate profile) and its own tab,
// so the scenarios run in parallel without seeing each other's sessions.
var shared struct {
	once sync.Once
	ctx  context.Context // the browser's first tab; children are new tabs
	err  error
	stop func()
}

func init() { shared.stop = func() {} }

// chromium is the path of Debian's chromium, or "" when it is missing.
func chromium() string {
	path := os.Getenv("PROVIM_CHROMIUM")
	if path == "" {
		path, _ = exec.LookPath("chromium")
	}
	return path
}

// startBrowser starts the shared chromium, on a context without a
// deadline (a deadline on the first run would bound the life of the
// browser).
func startBrowser(path string) {
	dir, err := os.MkdirTemp("", "provim-e2e-chromium")
	if err != nil {
		shared.err = err
		return
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(dir),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.WindowSize(1280, 900),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancel2 := chromedp.NewContext(actx)
	shared.ctx = bctx
	shared.stop = func() { cancel2(); cancel(); os.RemoveAll(dir) }
	if err := chromedp.Do(bctx); err != nil { // start the browser and open its first tab
		shared.err = fmt.Errorf("start chromium %s: %w", path, err)
	}
}

// browser returns a chromedp context on a new tab, in a browser context of
// its own, of the shared headless Debian chromium, or skips the test where
// chromium is missing (never in CI). The returned context limits the test.
func browser(t *testing.T) context.Context {
	path := chromium()
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is required in CI (apt-get install chromium)")
		}
		t.Skip("chromium not installed: browser test skipped")
	}
	shared.once.Do(func() { startBrowser(path) })
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	tctx, cancel := chromedp.NewContext(shared.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(tctx); err != nil { // open the tab
		t.Fatalf("open a tab in chromium: %v", err)
	}
	ctx, cancel2 := context.WithTimeout(tctx, 90*time.Second)
	t.Cleanup(cancel2)
	return ctx
}

// do runs actions that return no value, failing the test on an error.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// get runs one action and returns its value, failing the test on an error.
func get[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// submit submits the form that holds sel, waits until the next page has
// loaded, and returns the HTTP status of that page. Waiting for the load
// matters: a selector that is on both pages would otherwise match the old one.
func submit[S chromedp.Selectable](t *testing.T, ctx context.Context, sel S) int64 {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(sctx, chromedp.Submit(sel))
	if err != nil {
		t.Fatalf("submit %v: %v", sel, err)
	}
	if resp == nil {
		t.Fatalf("submit %v: no response", sel)
	}
	return resp.Status
}

// login signs in on the login page and waits for the header with the user.
func login(t *testing.T, ctx context.Context, a *app, user, password string) {
	t.Helper()
	do(t, ctx,
		chromedp.Navigate(a.url+"/hyrje"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), user),
		chromedp.SendKeys(chromedp.ID("password"), password),
	)
	if st := submit(t, ctx, chromedp.ID("password")); st != 200 {
		t.Fatalf("login as %s: HTTP %d", user, st)
	}
	do(t, ctx, chromedp.WaitVisible(chromedp.ID("who")))
}

// tableRows returns the trimmed text of the cells of the body rows of the
// table that the CSS selector names.
func tableRows(t *testing.T, ctx context.Context, table string) [][]string {
	t.Helper()
	return get(t, ctx, chromedp.Evaluate[[][]string](`Array.from(document.querySelectorAll(`+
		jsString(table+" tbody tr")+`), tr => Array.from(tr.cells, td => td.innerText.trim()))`))
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}

func writeFile(t *testing.T, name, body string) string {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func mustContain(t *testing.T, what, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Fatalf("%s: %q does not contain %q", what, got, w)
		}
	}
}
