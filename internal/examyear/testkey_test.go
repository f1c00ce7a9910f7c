package examyear

import "testing"

// TestNeni58_TestKeyNamesTheSession: D1 of the second session is its own
// test, and the key comes apart into the same exam and session.
func TestNeni58_TestKeyNamesTheSession(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		exam    string
		session int
		key     string
	}{{"D1", 1, "D1"}, {"d2", 2, "D2-2"}, {"INF", 1, "INF"}, {"D1-2", 2, "D1-2"}} {
		if got := TestKey(c.exam, c.session); got != c.key {
			t.Errorf("TestKey(%q, %d) = %q, want %q", c.exam, c.session, got, c.key)
		}
		e, s := SplitTest(c.key)
		if want, _ := SplitTest(TestKey(c.exam, 1)); e != want || s != c.session {
			t.Errorf("SplitTest(%q) = %q, %d; want %q, %d", c.key, e, s, want, c.session)
		}
	}
	for _, odd := range []string{"-2", "D1-2-2", "D1 -2"} {
		if e, s := SplitTest(odd); s != 1 || e != odd {
			t.Errorf("SplitTest(%q) = %q, %d: want the key itself, no exam, in session 1", odd, e, s)
		}
	}
	if got := TestLabel("D2-2"); got != "D2 (sesioni 2)" {
		t.Errorf("TestLabel = %q", got)
	}
}
