package wire

import (
	"context"

	"provim/internal/anonym"
	"provim/internal/auth"
	"provim/internal/custody"
	"provim/internal/examday"
)

// wireExamDay builds the exam day's service and connects it: the desk to
// package anonym (which alone holds the code↔candidate link), anonym's
// staff check to the draw's places (Access), and the closing of a venue's
// box (custody) to the exam day's counts.
func wireExamDay(s *Services) {
	s.ExamDay = examday.NewService(s.DB, s.Years, s.Registry, s.Venues, s.Draws, s.Custody, s.Applications)
	s.ExamDay.SetLabels(anonymLabels{s.Anonym})
	s.Anonym.SetStaffCheck(s.ExamDay.CheckStaff)
	s.Custody.SetReturnCheck(s.ExamDay.ReturnCheck)
	// The drawn staff's own accounts follow the materials of their places
	// as the exam day's access rule gives them (Neni 44, 45, 47.5).
	s.Custody.SetStaffPlaces(func(ctx context.Context, p *auth.Principal) ([]custody.StaffPlace, error) {
		list, err := s.ExamDay.Places(ctx, p)
		if err != nil {
			return nil, err
		}
		out := make([]custody.StaffPlace, 0, len(list))
		for _, a := range list {
			out = append(out, custody.StaffPlace{Session: a.Session, Exam: a.Exam, Venue: a.Venue})
		}
		return out, nil
	})
}

// anonymLabels is package anonym as the exam day's desk sees it.
type anonymLabels struct{ a *anonym.Service }

func (l anonymLabels) Attach(ctx context.Context, by *auth.Principal, year int, exam, venue, code string, studentID int64) error {
	return l.a.Attach(ctx, by, year, exam, venue, code, studentID)
}

func (l anonymLabels) AttachMany(ctx context.Context, by *auth.Principal, year int, exam, venue string, labels []examday.Label) (int, error) {
	list := make([]anonym.Label, len(labels))
	for i, x := range labels {
		list[i] = anonym.Label{Code: x.Code, StudentID: x.StudentID}
	}
	return l.a.AttachMany(ctx, by, year, exam, venue, list)
}

func (l anonymLabels) SealUnused(ctx context.Context, by *auth.Principal, year int, exam, venue, room string, unused int) error {
	return l.a.SealUnused(ctx, by, year, exam, venue, room, unused)
}

func (l anonymLabels) Counts(ctx context.Context, year int, exam, venue string) ([]examday.LabelCount, error) {
	counts, err := l.a.Counts(ctx, year, exam, venue)
	if err != nil {
		return nil, err
	}
	out := make([]examday.LabelCount, len(counts))
	for i, c := range counts {
		out[i] = examday.LabelCount{Room: c.Room, Printed: c.Printed, Used: c.Used, Unused: c.Unused, Sealed: c.Sealed, Balanced: c.Balanced}
	}
	return out, nil
}
