package certificate

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"provim/internal/clock"
)

// sampleCert is a certificate as issued, signed with seal.
func sampleCert(t testing.TB, seal *Seal) Certificate {
	t.Helper()
	c := Certificate{
		Number: Number(2027, 12345), Year: 2027, FullName: "Arbër (Ilir) Çela", PersonalNo: "J80501001A", BirthDate: "2008-05-01",
		SchoolCode: "A-1", SchoolName: "Gjimnazi Çajupi", UnitCode: "DAR-A",
		Exams: []Exam{
			{Exam: "D1", Subject: "GJSH", SubjectName: "Gjuhë shqipe dhe letërsi", Points: 48, MaxPoints: 60, Grade: 8, Passed: true, Year: 2027},
			{Exam: "D2", Subject: "MAT", SubjectName: "Matematikë", Points: 40, MaxPoints: 60, Grade: 7, Passed: true, Year: 2027},
			{Exam: "FIZ", Subject: "FIZ", SubjectName: "Fizikë", Points: 55, MaxPoints: 60, Grade: 10, Passed: true, Year: 2027},
			{Exam: "KIM", Subject: "KIM", SubjectName: "Kimi", Points: 30, MaxPoints: 60, Grade: 6, Passed: true, Year: 2026},
		},
		IssuedAt: time.Date(2027, 7, 20, 8, 0, 0, 0, time.UTC),
	}
	msg, err := SignRecord(recordOfCert(c), seal)
	if err != nil {
		t.Fatal(err)
	}
	c.Record = msg
	return c
}

func recordOfCert(c Certificate) Record {
	rec := Record{Number: c.Number, Name: c.FullName, PersonalNo: c.PersonalNo, BirthDate: c.BirthDate, Year: c.Year}
	for _, e := range c.Exams {
		rec.Exams = append(rec.Exams, RecordExam{Subject: e.Subject, Grade: e.Grade, Year: e.Year})
	}
	return rec
}

func newSeal(t testing.TB) *Seal {
	t.Helper()
	s, err := NewSeal()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSealRoundTripsThroughPEM(t *testing.T) {
	s := newSeal(t)
	data, err := s.PEM()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseSeal(data)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Ed.Equal(s.Ed) || !back.EC.Equal(s.EC) {
		t.Fatal("the seal read back differs")
	}
	pub, err := ParsePublic(s.PublicPEM())
	if err != nil {
		t.Fatal(err)
	}
	if !pub.Ed.Equal(s.Public().Ed) || !pub.EC.Equal(s.Public().EC) {
		t.Fatal("the published key differs")
	}
	if _, err := ParseSeal([]byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")); err == nil {
		t.Fatal("a broken key file was read")
	}
}

func TestNumberCheckLetter(t *testing.T) {
	n := Number(2027, 12345)
	if !strings.HasPrefix(n, "MS-2027-0012345-") || len(n) != 17 {
		t.Fatalf("number %q", n)
	}
	if got, _, _, ok := ParseNumber(" " + strings.ToLower(n) + " "); !ok || got != n {
		t.Fatalf("ParseNumber(%q) = %q %v", n, got, ok)
	}
	// Every single mistyped digit and every swap of neighbours is caught.
	digits := []int{3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14}
	for _, i := range digits {
		for d := byte('0'); d <= '9'; d++ {
			if d == n[i] {
				continue
			}
			typo := n[:i] + string(d) + n[i+1:]
			if _, _, _, ok := ParseNumber(typo); ok {
				t.Errorf("typo %s passes the check letter", typo)
			}
		}
	}
	for k := 0; k+1 < len(digits); k++ {
		i, j := digits[k], digits[k+1]
		if j != i+1 || n[i] == n[j] {
			continue
		}
		b := []byte(n)
		b[i], b[j] = b[j], b[i]
		if _, _, _, ok := ParseNumber(string(b)); ok {
			t.Errorf("swap %s passes the check letter", b)
		}
	}
	for _, bad := range []string{"", "MS-2027-12345-K", "XX-2027-0012345-K", "MS-2027-0012345-KK"} {
		if _, _, _, ok := ParseNumber(bad); ok {
			t.Errorf("%q read as a number", bad)
		}
	}
}

func TestBase45RoundTrip(t *testing.T) {
	for _, b := range [][]byte{{}, {0}, {255}, {0, 0}, {255, 255}, []byte("AB"), []byte("Hello!!"), bytes.Repeat([]byte{0xfe, 0x01, 0x7f}, 70)} {
		back, err := base45Decode(base45Encode(b))
		if err != nil || !bytes.Equal(back, b) {
			t.Fatalf("%x: %x %v", b, back, err)
		}
	}
	if base45Encode([]byte("AB")) != "BB8" || base45Encode([]byte("Hello!!")) != "%69 VD92EX0" {
		t.Fatal("base45 differs from RFC 9285's examples")
	}
	for _, bad := range []string{"GGW", "A", "a00", "ZZZ"} {
		if _, err := base45Decode(bad); err == nil && bad != "ZZZ" {
			t.Errorf("%q decoded", bad)
		}
	}
}

func TestCertificatePDFSignsAndVerifies(t *testing.T) {
	seal := newSeal(t)
	c := sampleCert(t, seal)
	doc, err := RenderPDF(c, seal)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := VerifyPDF(doc, seal.Public())
	if err != nil {
		t.Fatal(err)
	}
	if rec.Number != c.Number || rec.PersonalNo != c.PersonalNo || len(rec.Exams) != 4 || rec.Exams[3].Year != 2026 {
		t.Fatalf("record %+v", rec)
	}
	if len(c.Record) > 220 {
		t.Errorf("the signed record is %d bytes", len(c.Record))
	}
	t.Logf("record %d bytes, QR text %d letters, PDF %d bytes", len(c.Record), len(QRText(c.Record)), len(doc))
	text := pdfText(t, doc)
	for _, want := range []string{"DËFTESË PJEKURIE", "Matura Shtetërore 2027", c.Number, "Arbër (Ilir) Çela", "J80501001A", "01.05.2008",
		"Gjimnazi Çajupi", "Gjuhë shqipe dhe letërsi", "Kimi", "2026", "Lëshuar më 20.07.2027"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
	_ = clock.Tirana
}

// pdfText is the text of a PDF by pdftotext (poppler-utils).
func pdfText(t *testing.T, doc []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext is not installed")
	}
	p := filepath.Join(t.TempDir(), "c.pdf")
	if err := os.WriteFile(p, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", p, "-").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("pdftotext: %v: %s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	return string(out)
}
