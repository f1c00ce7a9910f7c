package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A server on a SQLite file keeps its session key beside the database, so
// that a restart without PROVIM_SESSION_KEY does not sign everyone out;
// in memory or on PostgreSQL there is no such place.
func TestSessionKeyIsKeptBesideTheSQLiteDatabase(t *testing.T) {
	t.Parallel()
	for dsn, want := range map[string]string{
		"sqlite:provim.db":                          "provim.db.session-key",
		"sqlite:/var/lib/provim/p.db?_pragma=x(1)":  "/var/lib/provim/p.db.session-key",
		"sqlite:file:/srv/p.db?cache=shared":        "/srv/p.db.session-key",
		"sqlite::memory:":                           "",
		"sqlite:file:x?mode=memory&cache=shared":    "",
		"postgres://provim@127.0.0.1/provim":        "",
		"postgresql://provim@127.0.0.1/provim?ssl=": "",
	} {
		if got := sessionKeyPath(dsn); got != want {
			t.Errorf("sessionKeyPath(%q) = %q, want %q", dsn, got, want)
		}
	}
	path := filepath.Join(t.TempDir(), "provim.db.session-key")
	k1, created, err := sessionKeyFile(path)
	if err != nil || !created || len(k1) < 32 {
		t.Fatalf("first start: %v, created %v, %d bytes", err, created, len(k1))
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", err, st.Mode())
	}
	k2, created, err := sessionKeyFile(path)
	if err != nil || created || !bytes.Equal(k1, k2) {
		t.Fatalf("restart: %v, created %v, same key %v", err, created, bytes.Equal(k1, k2))
	}
	// A file that is not a key is refused, never replaced.
	if err := os.WriteFile(path, []byte("not a key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := sessionKeyFile(path); err == nil {
		t.Fatal("a file that is not a key was taken")
	}
	if b, _ := os.ReadFile(path); string(b) != "not a key\n" {
		t.Fatalf("the file was replaced: %q", b)
	}
}

// TestServeProcess is not a test: re-executed with PROVIM_TEST_SERVE set,
// the test binary is `provim serve` with those arguments, a process of
// its own (a key made by the process lives as long as it does).
func TestServeProcess(t *testing.T) {
	args := os.Getenv("PROVIM_TEST_SERVE")
	if args == "" {
		t.Skip("only as a child process")
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	os.Exit(run(ctx, strings.Fields(args), nil, os.Stdout, os.Stderr))
}

// A server restarted on the same SQLite database, without
// PROVIM_SESSION_KEY, still takes the tokens the first one gave: both
// read the key file beside the database.
func TestSessionsOutliveARestartOnSQLite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "p.db")
	var out, errOut bytes.Buffer
	ctx := context.Background()
	if code := run(ctx, []string{"migrate", "--db", db}, nil, &out, &errOut); code != 0 {
		t.Fatalf("migrate: %s", errOut.String())
	}
	if code := run(ctx, []string{"user", "add", "--db", db, "--username", "ava.test", "--name", "Arta Çela", "--role", "ava"},
		strings.NewReader("një fjalëkalim i gjatë 2027\n"), &out, &errOut); code != 0 {
		t.Fatalf("user add: %s", errOut.String())
	}
	start := func() (string, func()) {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^TestServeProcess$")
		env := []string{"PROVIM_TEST_SERVE=serve --db " + db + " --addr 127.0.0.1:0 --log error"}
		for _, e := range os.Environ() {
			if !strings.HasPrefix(e, "PROVIM_SESSION_KEY=") {
				env = append(env, e)
			}
		}
		cmd.Env = env
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		stop := func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }
		found := make(chan string, 1)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if _, u, ok := strings.Cut(sc.Text(), "http://"); ok {
					select {
					case found <- "http://" + strings.TrimSpace(u):
					default:
					}
				}
			}
		}()
		select {
		case u := <-found:
			return u, stop
		case <-time.After(30 * time.Second):
			stop()
			t.Fatal("serve did not start")
		}
		return "", nil
	}
	url, stop := start()
	resp, err := http.Post(url+"/api/v1/tokens", "application/json", strings.NewReader(`{"username":"ava.test","password":"një fjalëkalim i gjatë 2027"}`))
	if err != nil {
		t.Fatal(err)
	}
	var tok struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated || tok.Token == "" {
		t.Fatalf("token: %d %+v", resp.StatusCode, tok)
	}
	me := func(url string) int {
		req, _ := http.NewRequest("GET", url+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+tok.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := me(url); code != http.StatusOK {
		t.Fatalf("before the restart: %d", code)
	}
	stop()
	url, stop = start()
	defer stop()
	if code := me(url); code != http.StatusOK {
		t.Fatalf("after the restart: %d", code)
	}
	if _, err := os.Stat(filepath.Join(dir, "p.db.session-key")); err != nil {
		t.Fatal(err)
	}
}
