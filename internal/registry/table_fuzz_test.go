package registry

import (
	"bytes"
	"testing"
)

// FuzzReadTableCSV: any bytes given as a CSV file either parse into a
// header and rows whose line numbers rise, or fail with an error; never a
// panic.
func FuzzReadTableCSV(f *testing.F) {
	f.Add([]byte("nr_personal,emri\nJ00101001A,Arbër\n"))
	f.Add([]byte("\xef\xbb\xbfkodi;emri\r\nA-1;Gjimnazi \"Çajupi\"\r\n\r\n"))
	f.Add([]byte("a,\"b\nc\",d\n1,2,3\n"))
	f.Add([]byte("\xff\xfe"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		header, rows, err := ReadTable("f.csv", bytes.NewReader(data))
		if err != nil {
			return
		}
		if len(header) == 0 {
			t.Fatalf("no error but empty header for %q", data)
		}
		last := 0
		for _, r := range rows {
			if r.Line <= last {
				t.Fatalf("line numbers not rising: %d after %d in %q", r.Line, last, data)
			}
			last = r.Line
		}
		// The column mapping of any header never panics either.
		for _, entity := range []string{"units", "schools", "students", "staff", "venues"} {
			fields(entity, header)
		}
	})
}
