package certificate

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// qrOf renders the part of the PDF's page where the QR code is printed
// (its box and a 5 mm margin of paper) at 300 dpi with pdftoppm, and
// decodes it with gozxing as a lone code. (gozxing's finder, searching a
// whole page, takes dark blocks of the data for finder patterns in about
// one code in a hundred; the code itself decodes every time.)
func qrOf(t *testing.T, doc []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Skip("pdftoppm is not installed")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "c.pdf")
	if err := os.WriteFile(p, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	const dpi, margin = 300, 5.0
	px := func(mm float64) string { return strconv.Itoa(int(mm * dpi / 25.4)) }
	if out, err := exec.Command(bin, "-r", strconv.Itoa(dpi), "-png", "-singlefile",
		"-x", px(qrLeft-margin), "-y", px(qrTop-margin), "-W", px(qrBox+2*margin), "-H", px(qrBox+2*margin),
		p, filepath.Join(dir, "qr")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "qr.png"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return decodeQR(t, img)
}

func decodeQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		t.Fatalf("the QR code does not decode: %v", err)
	}
	return res.GetText()
}

// The QR code printed on the certificate, read back from the rendered
// page, is the signed record: it verifies with AVA's key and says what
// the page says.
func TestCertificateQRDecodesToASignedRecord(t *testing.T) {
	seal := newSeal(t)
	c := sampleCert(t, seal)
	doc, err := RenderPDF(c, seal)
	if err != nil {
		t.Fatal(err)
	}
	text := qrOf(t, doc)
	if !strings.HasPrefix(text, QRPrefix) {
		t.Fatalf("QR text %q", text)
	}
	msg, err := ParseQRText(text)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := VerifyRecord(msg, seal.Public())
	if err != nil {
		t.Fatal(err)
	}
	if rec.Number != c.Number || rec.Name != c.FullName || rec.BirthDate != "2008-05-01" || rec.Year != 2027 ||
		len(rec.Exams) != 4 || rec.Exams[0] != (RecordExam{Subject: "GJSH", Grade: 8, Year: 2027}) {
		t.Fatalf("record %+v", rec)
	}
	// The same text is a valid file for the offline check.
	if v := CheckFile([]byte(text+"\n"), seal.Public(), nil); v.Status != StatusValid || v.Signed {
		t.Fatalf("QR text file: %+v", v)
	}
}

// A forged or altered certificate is refused offline: a record signed by
// another key, a changed record, a PDF changed by one byte or by an
// update appended after signing, a PDF signed by another seal, and a PDF
// without any signature.
func TestCertificateForgedOrAlteredIsRefusedOffline(t *testing.T) {
	seal, other := newSeal(t), newSeal(t)
	pub := seal.Public()
	c := sampleCert(t, seal)
	doc, err := RenderPDF(c, seal)
	if err != nil {
		t.Fatal(err)
	}
	if v := CheckFile(doc, pub, nil); v.Status != StatusValid || !v.Signed {
		t.Fatalf("the genuine PDF: %+v", v)
	}
	forged := func(name string, data []byte) {
		t.Helper()
		v := CheckFile(data, pub, nil)
		if v.Status != StatusForged {
			t.Errorf("%s: %s, want %s", name, v.Status, StatusForged)
		}
		t.Logf("%s: %s", name, v.Reason)
	}
	// A record signed by another key, alone and in a PDF signed by that key.
	fake := sampleCert(t, other)
	forged("record of another key", []byte(QRText(fake.Record)))
	fakeDoc, err := RenderPDF(fake, other)
	if err != nil {
		t.Fatal(err)
	}
	forged("PDF of another seal", fakeDoc)
	// AVA's record in a PDF signed by another seal.
	mixed := c
	mixedDoc, err := RenderPDF(mixed, other)
	if err != nil {
		t.Fatal(err)
	}
	forged("AVA's record, another seal", mixedDoc)
	// A changed record: one byte of the signed message.
	msg := bytes.Clone(c.Record)
	msg[len(msg)/2] ^= 1
	forged("changed record", []byte(QRText(msg)))
	// One byte of the PDF changed (in the page content, outside the
	// signature's hole).
	i := bytes.Index(doc, []byte("/Producer"))
	if i < 0 {
		i = len(doc) / 3
	}
	altered := bytes.Clone(doc)
	altered[i+2] ^= 0x20
	forged("one byte changed", altered)
	// An update appended after signing (an incremental save).
	forged("update appended", append(bytes.Clone(doc), []byte("\n1 0 obj\n<< >>\nendobj\n%%EOF\n")...))
	// The unsigned PDF.
	raw, err := drawPDF(c)
	if err != nil {
		t.Fatal(err)
	}
	forged("unsigned PDF", raw)
	forged("garbage", []byte("%PDF-1.7 nothing"))
	forged("not a certificate", []byte("hello"))
	if _, err := VerifyPDF(altered, pub); !errors.Is(err, ErrForged) {
		t.Fatalf("VerifyPDF of an altered file: %v", err)
	}
}

// A revoked certificate is reported as revoked by the offline check with
// the public revocation list, with its date, reason and replacement.
func TestRevokedCertificateReportedAsRevoked(t *testing.T) {
	seal := newSeal(t)
	c := sampleCert(t, seal)
	doc, err := RenderPDF(c, seal)
	if err != nil {
		t.Fatal(err)
	}
	list, err := ParseRevocations([]byte(`{"items":[{"number":"` + c.Number + `","revoked_at":"2027-08-10T08:00:00Z","reason":"rivlerësim","replaced_by":"` + Number(2027, 99) + `"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	v := CheckFile(doc, seal.Public(), list)
	if v.Status != StatusRevoked || v.Revocation == nil || v.Revocation.ReplacedBy != Number(2027, 99) || v.Revocation.Reason != ReasonRemark {
		t.Fatalf("%+v", v)
	}
	if v := CheckFile(doc, seal.Public(), list[:0]); v.Status != StatusValid {
		t.Fatalf("without the entry: %+v", v)
	}
}
