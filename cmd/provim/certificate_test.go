package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"provim/internal/certificate"
)

// TestCertificateVerifyCommand runs provim certificate verify in-process
// on a genuine PDF (i vlefshëm, exit 0), on the same PDF with one byte
// changed and on one signed with another key (i falsifikuar, exit 1),
// and with a revocation list naming it (i revokuar, exit 3); keygen
// writes a key that verify then trusts.
func TestCertificateVerifyCommand(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	cli := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		code := run(ctx, append([]string{"certificate"}, args...), nil, &out, &errb)
		return code, out.String() + errb.String()
	}
	sealPath := filepath.Join(dir, "seal.pem")
	if code, out := cli("keygen", "--seal-key", sealPath); code != 0 {
		t.Fatalf("keygen: %d %s", code, out)
	}
	if code, _ := cli("keygen", "--seal-key", sealPath); code == 0 {
		t.Fatal("keygen overwrote a seal key")
	}
	seal, err := certificate.LoadSeal(sealPath)
	if err != nil {
		t.Fatal(err)
	}
	other, err := certificate.NewSeal()
	if err != nil {
		t.Fatal(err)
	}
	number := certificate.Number(2027, 42)
	mk := func(s *certificate.Seal) []byte {
		rec := certificate.Record{Number: number, Name: "Ëngjëll (Çlirim) Çela", PersonalNo: "J80501001A", BirthDate: "2008-05-01", Year: 2027,
			Exams: []certificate.RecordExam{{Subject: "GJSH", Grade: 9, Year: 2027}}}
		msg, err := certificate.SignRecord(rec, seal)
		if err != nil {
			t.Fatal(err)
		}
		c := certificate.Certificate{Number: number, Year: 2027, FullName: rec.Name, PersonalNo: rec.PersonalNo, BirthDate: rec.BirthDate,
			SchoolCode: "A-1", SchoolName: "Gjimnazi Çajupi", IssuedAt: time.Date(2027, 7, 20, 8, 0, 0, 0, time.UTC), Record: msg,
			Exams: []certificate.Exam{{Exam: "D1", Subject: "GJSH", SubjectName: "Gjuhë shqipe", Points: 55, MaxPoints: 60, Grade: 9, Passed: true, Year: 2027}}}
		doc, err := certificate.RenderPDF(c, s)
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	genuine := mk(seal)
	good := write("good.pdf", genuine)
	pub := sealPath + ".pub.pem"
	code, out := cli("verify", good, "--key", pub)
	if code != 0 || !strings.Contains(out, "i vlefshëm") || !strings.Contains(out, "Ëngjëll (Çlirim) Çela") {
		t.Fatalf("genuine: %d %s", code, out)
	}
	altered := bytes.Clone(genuine)
	i := bytes.Index(altered, []byte("/Producer"))
	altered[i+3] ^= 0x20
	for name, data := range map[string][]byte{"altered.pdf": altered, "other.pdf": mk(other)} {
		code, out := cli("verify", write(name, data), "--key", pub)
		if code != 1 || !strings.Contains(out, "i falsifikuar") {
			t.Errorf("%s: %d %s", name, code, out)
		}
	}
	list := write("revoked.json", []byte(`{"items":[{"number":"`+number+`","revoked_at":"2027-08-10T08:00:00Z","reason":"rivlerësim","replaced_by":"MS-2027-0000043-S"}]}`))
	code, out = cli("verify", good, "--key", pub, "--revoked", list)
	if code != 3 || !strings.Contains(out, "i revokuar më 10.08.2027 (rivlerësim); zëvendësohet nga MS-2027-0000043-S") {
		t.Fatalf("revoked: %d %s", code, out)
	}
	if code, _ := cli("verify", good); code != 2 {
		t.Fatalf("without a key: %d", code)
	}
	// --url fetches the key and the revocation list from the server.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/certifikata/celesi":
			w.Write(seal.PublicPEM())
		case "/api/v1/public/certificates/revoked":
			data, _ := os.ReadFile(list)
			w.Write(data)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	if code, out := cli("verify", good, "--url", srv.URL); code != 3 || !strings.Contains(out, "i revokuar") {
		t.Fatalf("--url: %d %s", code, out)
	}
	// A file holding the QR code's text alone.
	qr := write("qr.txt", []byte(certificate.QRText(mustRecord(t, genuine, seal))))
	if code, out := cli("verify", qr, "--key", pub); code != 0 || !strings.Contains(out, "vetëm teksti i kodit QR") {
		t.Fatalf("QR text: %d %s", code, out)
	}
}

// mustRecord is the signed record a certificate PDF carries.
func mustRecord(t *testing.T, doc []byte, seal *certificate.Seal) []byte {
	t.Helper()
	if _, err := certificate.VerifyPDF(doc, seal.Public()); err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(doc, []byte(certificate.QRPrefix))
	j := bytes.IndexByte(doc[i:], ')')
	msg, err := certificate.ParseQRText(string(doc[i : i+j]))
	if err != nil {
		t.Fatal(err)
	}
	return msg
}
