package registry

import (
	"net/http"
	"strings"

	"provim/internal/accounts"
	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/doc"
	"provim/internal/venue"
	"provim/internal/web/webkit"
)

// ---- the school's notices of the venue (Neni 12.9) ----

// notices reads the school's notices of an exam: where each candidate
// sits it, in Albanian order, with the exam as people read it.
func (h *Handler) notices(r *http.Request, p *auth.Principal, school, exam string) (accounts.Sitting, []venue.SchoolSeat, error) {
	sc, err := h.registry.GetSchool(r.Context(), p, school)
	if err != nil {
		return accounts.Sitting{}, nil, err
	}
	y, err := h.years.Active(r.Context())
	if err != nil {
		return accounts.Sitting{}, nil, err
	}
	exam = strings.ToUpper(strings.TrimSpace(exam))
	s := accounts.Sitting{Exam: exam, School: sc.Name + " (" + sc.Code + ")", Year: y.Year, Session: 1}
	name, ok := y.Config.ExamName(exam)
	if !ok {
		return s, nil, apperr.New(apperr.NotFound, "Provimi «%s» nuk është provim i Maturës %d.", exam, y.Year)
	}
	s.Name = name
	if start, _, ok := y.Config.Sitting(exam, 1); ok {
		s.Start = start
	}
	seats, err := h.venues.SchoolSeats(r.Context(), p, sc.Code, exam, 1)
	return s, seats, err
}

// noticesFile sends the notices of {code} for the exam of {file}:
// "D1.pdf" (one page per candidate, to hand out) or "D1.xlsx" (the table).
func (h *Handler) noticesFile(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam, format, ok := strings.Cut(r.PathValue("file"), ".")
	if !ok || (format != doc.PDF && format != doc.XLSX) {
		h.kit.Fail(w, r, apperr.New(apperr.NotFound, "Njoftimet shkarkohen si PDF ose XLSX, p.sh. «D1.pdf»."))
		return
	}
	if err := h.sendNotices(w, r, p, r.PathValue("code"), exam, format); err != nil {
		h.kit.Fail(w, r, err)
	}
}

func (h *Handler) sendNotices(w http.ResponseWriter, r *http.Request, p *auth.Principal, school, exam, format string) error {
	s, seats, err := h.notices(r, p, school, exam)
	if err != nil {
		return err
	}
	name := "njoftimet-" + webkit.FileName(s.Exam) + "-" + webkit.FileName(school)
	if format == doc.XLSX {
		return webkit.SendDocument(w, accounts.NoticesTable(s, seats, h.clock.Now()), doc.XLSX, name)
	}
	body, err := accounts.NoticesPDF(s, seats, h.clock.Now())
	if err != nil {
		return err
	}
	webkit.SendFile(w, "application/pdf", name+".pdf", body)
	return nil
}

// apiNotices answers the school's notices of an exam: ?format=pdf (one
// page per candidate) or xlsx; JSON is GET /api/v1/schools/{code}/seats/{exam}.
func (h *Handler) apiNotices(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	format := r.URL.Query().Get("format")
	if format != doc.PDF && format != doc.XLSX {
		return apperr.New(apperr.Invalid, "Formati «%s» nuk njihet: pdf ose xlsx.", format)
	}
	return h.sendNotices(w, r, p, r.PathValue("code"), r.PathValue("exam"), format)
}
