package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/registry"
)

const pageSize = 50

type studentsView struct {
	Filter   registry.StudentFilter
	Students []registry.Student
	Total    int
	Schools  []registry.School
	Prev     int
	Next     int
}

func (s *Server) studentsPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if p.Role == auth.RoleStudent {
		http.Redirect(w, r, fmt.Sprintf("/nxenesit/%d", p.StudentID), http.StatusSeeOther)
		return
	}
	q := r.URL.Query()
	f := registry.StudentFilter{Q: q.Get("q"), School: q.Get("shkolla"), Unit: q.Get("njesia"), Category: q.Get("kategoria"),
		Page: registry.Page{Offset: max(0, atoi(q.Get("nga"))), Limit: pageSize}}
	list, total, err := s.registry.ListStudents(r.Context(), p, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	schools, _ := s.registry.ListSchools(r.Context(), p, registry.SchoolFilter{})
	v := studentsView{Filter: f, Students: list, Total: total, Schools: schools, Prev: -1, Next: -1}
	if f.Page.Offset > 0 {
		v.Prev = max(0, f.Page.Offset-pageSize)
	}
	if f.Page.Offset+pageSize < total {
		v.Next = f.Page.Offset + pageSize
	}
	s.render(w, r, 0, "students", "Nxënësit", v, nil)
}

type studentView struct {
	Student registry.Student
	History []audit.Entry
	Schools []registry.School
	CanEdit bool
	New     bool
}

func (s *Server) studentPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	st, err := s.registry.GetStudent(r.Context(), p, atoi64(r.PathValue("id")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := studentView{Student: st, CanEdit: p.Role == auth.RoleAVA || p.Role == auth.RoleKMSH || p.Role == auth.RoleKSHMSH}
	if v.CanEdit {
		v.History, _ = s.registry.History(r.Context(), "student", st.PersonalNo)
		v.Schools, _ = s.registry.ListSchools(r.Context(), p, registry.SchoolFilter{})
	}
	s.render(w, r, 0, "student", st.FirstName+" "+st.LastName, v, nil)
}

func (s *Server) newStudentPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	schools, err := s.registry.ListSchools(r.Context(), p, registry.SchoolFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st := registry.Student{Category: registry.Maturant, SchoolCode: p.School}
	s.render(w, r, 0, "student", "Nxënës i ri", studentView{Student: st, Schools: schools, CanEdit: true, New: true}, nil)
}

func studentFromForm(r *http.Request) registry.Student {
	g := strings.ReplaceAll(strings.TrimSpace(r.FormValue("average_grade")), ",", ".")
	var grade float64
	fmt.Sscanf(g, "%g", &grade)
	return registry.Student{ID: atoi64(r.PathValue("id")), PersonalNo: r.FormValue("personal_no"), FirstName: r.FormValue("first_name"),
		FatherName: r.FormValue("father_name"), LastName: r.FormValue("last_name"), Sex: r.FormValue("sex"),
		BirthDate: r.FormValue("birth_date"), SchoolCode: r.FormValue("school_code"), ClassName: r.FormValue("class_name"),
		AverageGrade: grade, Category: r.FormValue("category"), Phone: r.FormValue("phone")}
}

func (s *Server) saveStudent(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	// POST /nxenesit/{id} addresses that record: a bad id never creates one.
	if r.PathValue("id") != "" {
		if _, err := pathID(r, "Nxënësi"); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	in := studentFromForm(r)
	saved, err := s.registry.SaveStudent(r.Context(), p, in)
	if err != nil {
		schools, _ := s.registry.ListSchools(r.Context(), p, registry.SchoolFilter{})
		s.render(w, r, 0, "student", "Nxënësi", studentView{Student: in, Schools: schools, CanEdit: true, New: in.ID == 0}, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/nxenesit/%d?ok=%s", saved.ID, url.QueryEscape("Të dhënat u ruajtën.")), http.StatusSeeOther)
}
