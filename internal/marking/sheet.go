package marking

import (
	"context"
	"fmt"
	"strconv"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/doc"
	"provim/internal/examyear"
)

// The marking sheet of a booklet (Neni 57.10): its code, every item with
// each marker's points, the markers' names and the moment each signed,
// and the final points with the round they come from. AVA and the lead
// print it; it names no candidate.

// roundName names a marking for people.
func roundName(r int) string {
	switch r {
	case 1:
		return "Vlerësuesi i parë"
	case 2:
		return "Vlerësuesi i dytë"
	}
	return "Vlerësuesi i tretë"
}

// SheetTable is the marking sheet of a booklet as a document.
func SheetTable(b LeadBooklet, examName string) doc.Table {
	t := doc.Table{
		Title: fmt.Sprintf("Fleta e vlerësimit — testi %s", b.Display),
		Subtitle: []string{
			fmt.Sprintf("Provimi %s %s, viti %d. Testi njihet vetëm me kodin e sekretimit.", examyear.TestLabel(b.Exam), examName, b.Year),
			"Çdo vlerësim mban emrin e vlerësuesit dhe çastin e nënshkrimit (Neni 57.10); kur dy vlerësimet ndryshojnë në pikët e një kërkese, vendos vlerësuesi i tretë (Neni 57.14).",
		},
		Columns: []doc.Column{{Title: "Kërkesa", Width: 1.2}, {Title: "Pikë max.", Width: 0.8, Align: "R"}},
	}
	for _, m := range b.Markings {
		t.Columns = append(t.Columns, doc.Column{Title: roundName(m.Round), Width: 1.2, Align: "R"})
	}
	for i, it := range b.Items {
		row := []string{it.Label, strconv.Itoa(it.MaxPoints)}
		for _, m := range b.Markings {
			cell := "—"
			if m.Marks != nil && i < len(m.Marks.Points) {
				cell = strconv.Itoa(m.Marks.Points[i])
				if it.Kind == KindChoice && m.Marks.Choices[i] != "" {
					cell += " (" + m.Marks.Choices[i] + ")"
				}
			}
			row = append(row, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	total := []string{"Gjithsej", ""}
	for _, m := range b.Markings {
		if m.Marks != nil {
			total = append(total, strconv.Itoa(m.Total))
		} else {
			total = append(total, "—")
		}
	}
	t.Rows = append(t.Rows, total)
	for _, m := range b.Markings {
		signed := "pa vlerësuar ende"
		if m.SubmittedAt != "" {
			signed = "nënshkruar më " + clock.Stamp(m.SubmittedAt)
			if m.Source == "paper" {
				signed += " (fletë në letër, shtypur dy herë)"
			}
		}
		name := m.FullName
		if name == "" {
			name = m.Username
		}
		t.Footer = append(t.Footer, fmt.Sprintf("%s: %s — %s", roundName(m.Round), name, signed))
	}
	switch {
	case b.State == StateFinal && b.FinalRound == 3:
		t.Footer = append(t.Footer, fmt.Sprintf("Pikët përfundimtare: %d — të vlerësuesit të tretë (Neni 57.14).", b.FinalPoints))
	case b.State == StateFinal:
		t.Footer = append(t.Footer, fmt.Sprintf("Pikët përfundimtare: %d — dy vlerësuesit përputhen në çdo kërkesë (Neni 57.13).", b.FinalPoints))
	case b.State == StateVoided:
		t.Footer = append(t.Footer, "Rezultati i këtij testi u anulua me vendim të MASH-it (Neni 57.17).")
	case b.State == StateThird:
		t.Footer = append(t.Footer, "Dy vlerësimet ndryshojnë: testi pret vlerësuesin e tretë (Neni 57.14).")
	default:
		t.Footer = append(t.Footer, "Vlerësimi nuk ka përfunduar ende.")
	}
	return t
}

// MarkingSheet is the PDF marking sheet of a booklet, for AVA and the
// subject's lead.
func (s *Service) MarkingSheet(ctx context.Context, p *auth.Principal, year int, exam, code string) ([]byte, error) {
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return nil, err
	}
	if err := s.mayLead(ctx, p, year, e.Code); err != nil {
		return nil, err
	}
	b, err := s.leadBooklet(ctx, year, e.Code, normCode(code), nil, nil)
	if err != nil {
		return nil, err
	}
	t := SheetTable(b, e.Name)
	t.Generated = s.db.Now(ctx)
	body, _, err := doc.Encode(doc.PDF, t)
	return body, err
}
