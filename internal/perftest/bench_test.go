package perftest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkStudentPages is the server's own cost of each student page on
// a small demo country, without the network: the handler called directly
// (go test -bench StudentPages -cpuprofile … shows where it goes), beside
// a hello-world handler.
func BenchmarkStudentPages(b *testing.B) {
	w := newWorld(b, 600)
	cookie := w.student(b, 7)
	hello := http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) { io.WriteString(rw, "Hello, world!\n") })
	b.Run("hello-world", func(b *testing.B) {
		for b.Loop() {
			hello.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
		}
	})
	for _, path := range studentPages {
		if code, loc := w.get(cookie, path); code == http.StatusSeeOther && strings.HasPrefix(loc, "/") {
			path = loc
		}
		b.Run(strings.ReplaceAll(strings.TrimPrefix(path, "/"), "/", "_"), func(b *testing.B) {
			for b.Loop() {
				if code, _ := w.get(cookie, path); code != http.StatusOK {
					b.Fatalf("GET %s: %d", path, code)
				}
			}
		})
	}
}
