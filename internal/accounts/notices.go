package accounts

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"provim/internal/clock"
	"provim/internal/doc"
	"provim/internal/registry"
	"provim/internal/venue"
)

// The school's notices of the venue (Neni 12.9): the school commission
// announces where each candidate sits an exam and tells every candidate
// in writing. The same content prints as one A4 page per candidate to hand
// out (NoticesPDF) and as one table (NoticesTable) for the XLSX the school
// works with. They live beside the activation letters: both are letters
// the school hands to each person.

// Sitting is the exam the notices are for, as people read it.
type Sitting struct {
	Exam    string    // D1, D2 or an elective's code
	Name    string    // e.g. "Gjuha shqipe dhe letërsia"
	Start   time.Time // zero when the year has no time for it
	School  string    // the school's name and code
	Year    int
	Session int
}

// arrival is when a candidate must be at the venue: one hour before the
// start (Neni 52.1).
func (s Sitting) arrival() time.Time { return s.Start.Add(-time.Hour) }

// NoticesTable is the notices of a school as one table: one row per
// candidate, in the order given (Albanian alphabetical order).
func NoticesTable(s Sitting, seats []venue.SchoolSeat, generated time.Time) doc.Table {
	t := doc.Table{
		Title: "Njoftimi i qendrës së provimit — " + s.Name + " (" + s.Exam + ")",
		Subtitle: []string{
			fmt.Sprintf("Matura Shtetërore %d, sesioni %d · Neni 12.9", s.Year, s.Session),
			"Shkolla: " + s.School,
			"Kandidatë: " + strconv.Itoa(len(seats)),
		},
		Columns: []doc.Column{{Title: "Nr.", Width: 0.5, Align: "R"}, {Title: "Nr. regjistrimi", Width: 1.2}, {Title: "Emri (atësia) mbiemri", Width: 2.6},
			{Title: "Qendra", Width: 2.4}, {Title: "Adresa", Width: 2.2}, {Title: "Salla", Width: 1}, {Title: "Kati", Width: 0.5, Align: "R"}},
		Landscape: true,
		Generated: generated,
	}
	if !s.Start.IsZero() {
		t.Subtitle = append(t.Subtitle, "Provimi fillon më "+clock.Format(s.Start)+"; kandidatët paraqiten deri në orën "+s.arrival().In(clock.Tirana).Format("15:04")+" (Neni 52.1).")
	}
	for i, st := range seats {
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), st.RegNo, st.FullName, st.VenueName + " (" + st.VenueCode + ")",
			address(st), st.Room, strconv.Itoa(st.Floor)})
	}
	return t
}

// address is the venue's address and city, the city not said twice
// (registry.Place: not "Rruga …, Shkodër, Shkodër").
func address(st venue.SchoolSeat) string { return registry.Place(st.Address, st.City) }

// NoticesPDF renders the notices as one A4 page per candidate, to hand
// out: the exam and its time, when to arrive, the venue with its address,
// the room and floor, and what to bring and leave at home.
func NoticesPDF(s Sitting, seats []venue.SchoolSeat, generated time.Time) ([]byte, error) {
	f := newPDF("Njoftimet e qendrës së provimit — "+s.Exam, generated)
	if len(seats) == 0 {
		f.AddPage()
		f.SetFont(family, "", 12)
		f.MultiCell(0, 6, "Plani i këtij provimi nuk është hartuar ende: nuk ka njoftime.", "", "L", false)
	}
	for _, st := range seats {
		notice(f, s, st, generated)
	}
	return output(f)
}

func notice(f *fpdf.Fpdf, s Sitting, st venue.SchoolSeat, generated time.Time) {
	f.AddPage()
	w := 170.0
	f.SetFont(family, "B", 16)
	f.MultiCell(w, 8, "Njoftim: ku e jepni provimin", "", "L", false)
	f.SetFont(family, "", 10)
	f.MultiCell(w, 5, fmt.Sprintf("Matura Shtetërore %d, sesioni %d · %s · Neni 12.9", s.Year, s.Session, s.School), "", "L", false)
	f.Ln(6)
	field := func(label, value string) {
		f.SetFont(family, "", 11)
		f.CellFormat(55, 8, label, "", 0, "L", false, 0, "")
		f.SetFont(family, "B", 12)
		f.MultiCell(w-55, 8, value, "", "L", false)
	}
	field("Kandidati:", st.FullName)
	field("Nr. regjistrimi:", st.RegNo)
	field("Provimi:", s.Name+" ("+s.Exam+")")
	if !s.Start.IsZero() {
		field("Fillon më:", clock.Format(s.Start))
		field("Paraqituni deri në:", s.arrival().In(clock.Tirana).Format("15:04")+" (një orë para fillimit, Neni 52.1)")
	}
	field("Qendra e provimit:", st.VenueName+" ("+st.VenueCode+")")
	field("Adresa:", address(st))
	field("Salla:", st.Room+", kati "+strconv.Itoa(st.Floor))
	f.Ln(6)
	f.SetFont(family, "B", 12)
	f.MultiCell(w, 7, "Çfarë të merrni me vete", "", "L", false)
	f.SetFont(family, "", 11)
	for _, line := range []string{
		"• Dokumentin e identifikimit (Neni 52.5): letërnjoftim ose pasaportë; pa të nuk hyni.",
		"• Stilolaps me ngjyrë të zezë ose blu (Neni 54.7).",
		"• Telefonat dhe çdo pajisje komunikimi janë të ndaluara në sallë (Neni 54.8).",
	} {
		f.MultiCell(w, 6, line, "", "L", false)
	}
	f.SetY(-20)
	f.SetFont(family, "", 8)
	f.CellFormat(w, 4, "provim · njoftim i krijuar më "+clock.Format(generated), "", 0, "L", false, 0, "")
}

// newPDF is an empty A4 document in DejaVu, dated generated.
func newPDF(title string, generated time.Time) *fpdf.Fpdf {
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	f.AddUTF8FontFromBytes(family, "", fontRegular)
	f.AddUTF8FontFromBytes(family, "B", fontBold)
	f.SetCompression(true)
	f.SetCatalogSort(true)
	f.SetCreationDate(generated)
	f.SetModificationDate(generated)
	f.SetTitle(title, true)
	f.SetCreator("provim", true)
	f.SetProducer("provim", true)
	f.SetLang("sq")
	f.SetMargins(20, 20, 20)
	f.SetAutoPageBreak(false, 15)
	return f
}

func output(f *fpdf.Fpdf) ([]byte, error) {
	if err := f.Error(); err != nil {
		return nil, fmt.Errorf("accounts: pdf: %w", err)
	}
	var b bytes.Buffer
	if err := f.Output(&b); err != nil {
		return nil, fmt.Errorf("accounts: pdf: %w", err)
	}
	return b.Bytes(), nil
}
