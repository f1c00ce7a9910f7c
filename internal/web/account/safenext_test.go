package account

import "testing"

// TestSafeNext: the page after login is a local path without control,
// space or invisible characters, as sent or decoded (issue 9, item 10).
func TestSafeNext(t *testing.T) {
	t.Parallel()
	for next, want := range map[string]string{
		"/paneli":                    "/paneli",
		"/aplikimet?shkolla=A-1&f=2": "/aplikimet?shkolla=A-1&f=2",
		"/nxenesit/%C3%ABmri":        "/nxenesit/%C3%ABmri",
		"":                           "/paneli",
		"paneli":                     "/paneli",
		"//evil.example/x":           "/paneli",
		"/\\evil.example":            "/paneli",
		"/\t/evil.example":           "/paneli",
		"/%09/evil.example/":         "/paneli",
		"/%0a/evil.example/":         "/paneli",
		"/%2F/evil.example":          "/paneli",
		"/%5Cevil.example":           "/paneli",
		"/ /evil.example":            "/paneli",
		"/\u200b/evil.example":       "/paneli",
		"/\u202e/evil.example":       "/paneli",
		"https://evil.example/":      "/paneli",
		"/x?next=https://evil":       "/x?next=https://evil",
		"/\x7f/evil":                 "/paneli",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}
