package certificate

import (
	"bytes"
	"context"
	"crypto"
	"fmt"
	"image/png"
	"math"
	"strings"
	"sync"

	"codeberg.org/go-pdf/fpdf"
	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
	"github.com/digitorus/pdf"
	"github.com/digitorus/pdfsign/sign"

	"provim/internal/auth"
	"provim/internal/clock"
	docpdf "provim/internal/doc/pdf"
)

// The PDF of a certificate: one A4 page in Albanian, set in DejaVu Sans
// (internal/doc/pdf), with the holder's personal data, the counted exams
// with their points, grades and years, the number, the QR code of the
// signed record (its text also in the PDF's Keywords, for readers without
// an image decoder), and a PAdES signature (pdfsign, ECDSA P-256 with
// SHA-256, AVA's self-signed e-seal certificate) over the whole file.

var fonts = sync.OnceValues(func() ([]byte, []byte) {
	r, b := docpdf.Fonts()
	var set strings.Builder
	for c := rune(0x20); c <= 0x7e; c++ {
		set.WriteRune(c)
	}
	for c := rune(0xa0); c <= 0x17f; c++ {
		set.WriteRune(c)
	}
	set.WriteString("«»–—·•")
	return fpdf.UTF8CutFont(r, set.String()), fpdf.UTF8CutFont(b, set.String())
})

// PDF is the signed PDF of a certificate in p's scope.
func (s *Service) PDF(ctx context.Context, p *auth.Principal, number string) ([]byte, Certificate, error) {
	c, err := s.Get(ctx, p, number)
	if err != nil {
		return nil, Certificate{}, err
	}
	seal, err := s.Seal()
	if err != nil {
		return nil, Certificate{}, err
	}
	out, err := RenderPDF(c, seal)
	return out, c, err
}

// RenderPDF draws and signs the certificate c.
func RenderPDF(c Certificate, seal *Seal) ([]byte, error) {
	raw, err := drawPDF(c)
	if err != nil {
		return nil, err
	}
	return signPDF(raw, c, seal)
}

func drawPDF(c Certificate) ([]byte, error) {
	regular, bold := fonts()
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCompression(true)
	f.AddUTF8FontFromBytes("DejaVu", "", regular)
	f.AddUTF8FontFromBytes("DejaVu", "B", bold)
	f.SetCreationDate(c.IssuedAt)
	f.SetModificationDate(c.IssuedAt)
	f.SetTitle("Dëftesë Pjekurie "+c.Number, true)
	f.SetAuthor("Agjencia e Vlerësimit të Arsimit (AVA)", true)
	f.SetSubject("Matura Shtetërore "+fmt.Sprint(c.Year), true)
	f.SetCreator("provim", false)
	f.SetKeywords(QRText(c.Record), false)
	f.SetMargins(20, 18, 20)
	f.SetAutoPageBreak(false, 0)
	f.AddPage()
	if !c.Valid() {
		f.SetFont("DejaVu", "B", 40)
		f.SetTextColor(200, 40, 40)
		f.TransformBegin()
		f.TransformRotate(35, 105, 150)
		f.Text(40, 160, "E REVOKUAR")
		f.TransformEnd()
		f.SetTextColor(0, 0, 0)
	}
	center := func(size float64, style, text string, h float64) {
		f.SetFont("DejaVu", style, size)
		f.CellFormat(0, h, text, "", 1, "C", false, 0, "")
	}
	center(10, "", "REPUBLIKA E SHQIPËRISË", 5)
	center(10, "", "MINISTRIA E ARSIMIT DHE SHKENCËS", 5)
	center(11, "B", "AGJENCIA E VLERËSIMIT TË ARSIMIT", 6)
	f.Ln(10)
	center(24, "B", "DËFTESË PJEKURIE", 11)
	center(13, "", fmt.Sprintf("Matura Shtetërore %d", c.Year), 7)
	center(11, "", "Nr. "+c.Number, 6)
	f.Ln(8)
	field := func(label, value string) {
		f.SetFont("DejaVu", "", 10)
		f.CellFormat(48, 7, label, "", 0, "L", false, 0, "")
		f.SetFont("DejaVu", "B", 11)
		f.CellFormat(0, 7, value, "", 1, "L", false, 0, "")
	}
	field("Emri (atësia) mbiemri:", c.FullName)
	field("Numri personal:", c.PersonalNo)
	field("Datëlindja:", birthDay(c.BirthDate))
	field("Shkolla:", c.SchoolName+" ("+c.SchoolCode+")")
	f.Ln(6)
	f.SetFont("DejaVu", "", 10)
	f.MultiCell(0, 5.5, "Vërtetohet se kandidati/ja i ka kaluar dy provimet e detyruara të Maturës Shtetërore "+
		"(Neni 16, 17 i Rregullores së Maturës Shtetërore) dhe ka këto rezultate në provimet e Maturës:", "", "L", false)
	f.Ln(3)
	widths := []float64{32, 68, 24, 22, 24}
	head := []string{"Provimi", "Lënda", "Pikët", "Nota", "Viti"}
	f.SetFont("DejaVu", "B", 10)
	f.SetFillColor(235, 235, 235)
	for i, h := range head {
		f.CellFormat(widths[i], 8, h, "1", 0, "C", true, 0, "")
	}
	f.Ln(-1)
	f.SetFont("DejaVu", "", 10)
	for _, e := range c.Exams {
		cells := []string{e.Label(), e.SubjectName, fmt.Sprintf("%d / %d", e.Points, e.MaxPoints), fmt.Sprint(e.Grade), fmt.Sprint(e.Year)}
		for i, v := range cells {
			align := "C"
			if i == 1 {
				align = "L"
			}
			f.CellFormat(widths[i], 8, v, "1", 0, align, false, 0, "")
		}
		f.Ln(-1)
	}
	f.Ln(8)
	f.SetFont("DejaVu", "", 10)
	f.CellFormat(0, 6, "Lëshuar më "+clock.Day(c.IssuedAt)+", Tiranë.", "", 1, "L", false, 0, "")
	if !c.Valid() {
		f.SetFont("DejaVu", "B", 10)
		msg := "E revokuar më " + clock.Day(c.RevokedAt) + " (" + c.RevokeReason + ")"
		if c.ReplacedBy != "" {
			msg += "; zëvendësohet nga " + c.ReplacedBy
		}
		f.MultiCell(0, 6, msg+".", "", "L", false)
	}
	// The QR code of the signed record, with a quiet zone of white paper
	// around it.
	code, err := qr.Encode(QRText(c.Record), qr.M, qr.AlphaNumeric)
	if err != nil {
		return nil, fmt.Errorf("certificate: qr: %w", err)
	}
	// Each module a whole number of dots of a 300 dpi printer, from a dot
	// boundary: the modules print (and render) with sharp, equal edges.
	modules := code.Bounds().Dx()
	perModule := max(1, int(math.Floor(qrBox/qrDot))/modules)
	img, err := barcode.Scale(code, modules*perModule, modules*perModule)
	if err != nil {
		return nil, fmt.Errorf("certificate: qr: %w", err)
	}
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, img); err != nil {
		return nil, fmt.Errorf("certificate: qr: %w", err)
	}
	side := float64(modules*perModule) * qrDot
	f.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, &pngBuf)
	f.ImageOptions("qr", qrLeft, qrTop, side, side, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	f.SetXY(82, 204)
	f.SetFont("DejaVu", "", 9)
	f.MultiCell(108, 5, "Kodi QR mban të dhënat e kësaj dëftese, të nënshkruara nga AVA (COSE_Sign1, Ed25519). "+
		"Kushdo i verifikon pa internet me çelësin publik të AVA-s (/certifikata/celesi): "+
		"provim certificate verify SKEDARI.pdf --key celesi.pem. "+
		"Ose në faqen /vertetimi me numrin e dëftesës dhe numrin personal.", "", "L", false)
	f.SetXY(82, 240)
	f.MultiCell(108, 5, "Dokumenti është vulosur elektronikisht nga AVA (PAdES); çdo ndryshim i skedarit e prish vulën.", "", "L", false)
	var out bytes.Buffer
	if err := f.Output(&out); err != nil {
		return nil, fmt.Errorf("certificate: pdf: %w", err)
	}
	return out.Bytes(), nil
}

// Where the QR code stands on the page: a box of qrBox millimetres whose
// top left corner is qrLeft, qrTop millimetres from the page's, on a dot
// of a 300 dpi printer (qrDot millimetres a dot).
const (
	qrDot  = 25.4 / 300
	qrLeft = 236 * qrDot
	qrTop  = 2362 * qrDot
	qrBox  = 55.0
)

// birthDay writes a stored birth date (YYYY-MM-DD) as dd.mm.yyyy.
func birthDay(d string) string {
	if len(d) == 10 && d[4] == '-' && d[7] == '-' {
		return d[8:10] + "." + d[5:7] + "." + d[0:4]
	}
	return d
}

// signPDF adds AVA's PAdES signature over the whole file.
func signPDF(raw []byte, c Certificate, seal *Seal) ([]byte, error) {
	rd := bytes.NewReader(raw)
	rdr, err := pdf.NewReader(rd, int64(len(raw)))
	if err != nil {
		return nil, fmt.Errorf("certificate: read pdf to sign: %w", err)
	}
	var out bytes.Buffer
	err = sign.Sign(rd, &out, rdr, int64(len(raw)), sign.SignData{
		Signature: sign.SignDataSignature{
			Info: sign.SignDataSignatureInfo{
				Name: "Agjencia e Vlerësimit të Arsimit", Location: "Tiranë", Reason: "Dëftesë Pjekurie " + c.Number,
				Date: c.IssuedAt,
			},
			CertType:   sign.CertificationSignature,
			DocMDPPerm: sign.DoNotAllowAnyChangesPerms,
		},
		Signer:          seal.EC,
		DigestAlgorithm: crypto.SHA256,
		Certificate:     seal.Cert,
	})
	if err != nil {
		return nil, fmt.Errorf("certificate: sign pdf: %w", err)
	}
	return out.Bytes(), nil
}
