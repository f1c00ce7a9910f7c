package certificate

import (
	"strings"
	"testing"
)

// Neni 16 ¶2, 58: a mandatory exam passed in the second session is
// printed with that session's grade, named as its test.
func TestNeni58_CertificatePrintsTheSession2Grade(t *testing.T) {
	seal := newSeal(t)
	c := sampleCert(t, seal)
	c.Exams[0].Session, c.Exams[0].Points, c.Exams[0].Grade = 2, 33, 6
	if c.Exams[0].Label() != "D1 (sesioni 2)" || c.Exams[1].Label() != "D2" {
		t.Fatalf("labels: %q %q", c.Exams[0].Label(), c.Exams[1].Label())
	}
	doc, err := RenderPDF(c, seal)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, doc)
	for _, want := range []string{"D1 (sesioni 2)", "33 / 60"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
}
