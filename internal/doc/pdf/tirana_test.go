package pdf

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// Every time a person reads is Tirana time, whatever the zone of the
// host or of the moment handed in (a UTC server, a UTC clock).
func TestWriteTableTiranaTime(t *testing.T) {
	cases := []struct {
		at   time.Time
		want string // footer
		date string // PDF creation date
	}{
		{time.Date(2026, 6, 15, 7, 30, 0, 0, time.UTC), "Krijuar më 15.06.2026 09:30", "/CreationDate (D:20260615093000"},  // summer, UTC+2
		{time.Date(2026, 12, 31, 23, 5, 0, 0, time.UTC), "Krijuar më 01.01.2027 00:05", "/CreationDate (D:20270101000500"}, // winter, UTC+1, the next day
		{time.Date(2026, 6, 15, 9, 30, 0, 0, time.FixedZone("X", -5*3600)), "Krijuar më 15.06.2026 16:30", "/CreationDate (D:20260615163000"},
	}
	for _, c := range cases {
		tb := sampleTable(3)
		tb.Generated = c.at
		doc := write(t, tb)
		if !bytes.Contains(doc, []byte(c.date)) {
			t.Errorf("%v: no %s in the PDF", c.at, c.date)
		}
		pages := pdfText(t, doc)
		if !strings.Contains(pages[0], c.want) {
			t.Errorf("%v: page 1 lacks %q:\n%s", c.at, c.want, pages[0])
		}
	}
}
