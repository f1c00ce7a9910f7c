package accounts

import (
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/doc/pdf"
)

// The letters are set in DejaVu Sans (internal/doc/pdf/fonts/LICENSE), as every document of
// provim, so that ë and ç print and copy out right.
var fontRegular, fontBold = pdf.Fonts()

const family = "DejaVu"

// LettersFile is the file name of a set of letters, without extension.
func LettersFile(what string) string { return "letra-aktivizimi-" + what }

// Letters renders the activation letters as one PDF, one A4 page per
// person, in Albanian: who the account is for, the username, the one-time
// code in large print with its expiry (Tirana time), and how to activate
// the account at site (e.g. "https://provim.example/aktivizimi"). The
// codes exist only in this file: print it and hand the pages out; do not
// keep it.
func Letters(letters []auth.Letter, site string, generated time.Time) ([]byte, error) {
	f := newPDF("Letra aktivizimi të llogarive në provim", generated)
	if len(letters) == 0 {
		f.AddPage()
		f.SetFont(family, "", 12)
		f.MultiCell(0, 6, "Nuk u krijua asnjë kod aktivizimi: të gjitha llogaritë janë aktivizuar.", "", "L", false)
	}
	for _, l := range letters {
		letter(f, l, site, generated)
	}
	return output(f)
}

func letter(f *fpdf.Fpdf, l auth.Letter, site string, generated time.Time) {
	f.AddPage()
	w := 170.0
	f.SetFont(family, "B", 16)
	f.MultiCell(w, 8, "Matura Shtetërore — llogaria juaj në provim", "", "L", false)
	f.SetFont(family, "", 10)
	f.MultiCell(w, 5, "Letër aktivizimi. Personale: mos ia jepni askujt tjetër.", "", "L", false)
	f.Ln(6)

	f.SetFont(family, "", 12)
	field := func(label, value string) {
		f.SetFont(family, "", 11)
		f.CellFormat(55, 8, label, "", 0, "L", false, 0, "")
		f.SetFont(family, "B", 12)
		f.MultiCell(w-55, 8, value, "", "L", false)
	}
	field("Për:", l.FullName)
	field("Roli:", l.Role.Label())
	if l.Scope != "" && l.Role != auth.RoleStudent {
		field("Fusha:", l.Scope)
	}
	field("Emri i përdoruesit:", l.Username)
	f.Ln(4)

	f.SetFont(family, "", 11)
	f.MultiCell(w, 6, "Kodi i aktivizimit (vlen vetëm një herë):", "", "L", false)
	f.SetFont(family, "B", 26)
	f.SetFillColor(240, 240, 240)
	f.CellFormat(w, 18, l.Code, "1", 1, "C", true, 0, "")
	f.SetFont(family, "", 11)
	f.MultiCell(w, 7, "Vlen deri më "+clock.Format(l.Expires)+" (ora e Tiranës).", "", "L", false)
	f.Ln(6)

	f.SetFont(family, "B", 12)
	f.MultiCell(w, 7, "Si ta aktivizoni llogarinë", "", "L", false)
	f.SetFont(family, "", 11)
	steps := []string{
		"1. Hapni në shfletues faqen " + site + ".",
		"2. Shkruani emrin e përdoruesit dhe kodin e aktivizimit, ashtu si janë në këtë letër (vizat dhe shkronjat e vogla nuk kanë rëndësi).",
		"3. Zgjidhni një fjalëkalim me të paktën 10 shenja, shkruajeni dy herë dhe shtypni «Aktivizo».",
		"4. Pastaj hyni te faqja e hyrjes me emrin e përdoruesit dhe fjalëkalimin tuaj.",
	}
	for _, s := range steps {
		f.MultiCell(w, 6, s, "", "L", false)
		f.Ln(1)
	}
	f.Ln(4)
	f.SetFont(family, "", 10)
	f.MultiCell(w, 5, strings.Join([]string{
		"Kodi përdoret vetëm një herë: pas aktivizimit nuk vlen më. Askush nga shkolla, komisionet ose AVA nuk jua kërkon kurrë kodin ose fjalëkalimin.",
		"Nëse kodi humbet, skadon ose dikush tjetër e ka parë, kërkoni një letër të re te shkolla juaj ose te AVA; kodi i vjetër nuk vlen më sapo bëhet i riu.",
		"Pas disa përpjekjeve të gabuara faqja ju kërkon të prisni disa minuta, si te hyrja.",
	}, "\n"), "", "L", false)

	f.SetY(-20)
	f.SetFont(family, "", 8)
	f.CellFormat(w, 4, "provim · letër e krijuar më "+clock.Format(generated), "", 0, "L", false, 0, "")
}
