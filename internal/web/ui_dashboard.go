package web

import (
	"net/http"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
)

type dashboardView struct {
	Counts    registry.Counts
	Year      *examyear.Year
	Deadlines []examyear.Deadline
	Todo      []todoItem // the caller's next steps of the application phase
	Today     string     // YYYY-MM-DD of the exam calendar, to mark past deadlines
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	c, err := s.registry.Count(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := dashboardView{Counts: c}
	y, err := s.years.Active(r.Context())
	switch {
	case err == nil:
		v.Year, v.Deadlines = y, y.Config.Calendar
		v.Todo = appTodo(p, y, s.apps.Now())
		v.Today = s.apps.Now().In(examyear.Tirana).Format("2006-01-02")
	case !apperr.Is(err, apperr.NotFound):
		s.fail(w, r, err)
		return
	}
	s.render(w, r, 0, "dashboard", "Paneli", v, nil)
}
