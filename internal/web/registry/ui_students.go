package registry

import (
	"fmt"
	"net/http"

	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

type studentsView struct {
	Filter   registry.StudentFilter
	Students []registry.Student
	Total    int
	Schools  []registry.School
	Prev     int
	Next     int
	CanAdd   bool
}

func (h *Handler) studentsPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if registry.OwnRecordOnly(p) {
		http.Redirect(w, r, fmt.Sprintf("/nxenesit/%d", p.StudentID), http.StatusSeeOther)
		return
	}
	q := r.URL.Query()
	offset, err := webkit.Offset(q.Get("nga"), "nga")
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	f := registry.StudentFilter{Q: q.Get("q"), School: q.Get("shkolla"), Unit: q.Get("njesia"), Category: q.Get("kategoria"),
		Page: registry.Page{Offset: offset, Limit: pageSize}}
	list, total, err := h.registry.ListStudents(r.Context(), p, f)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	schools, _ := h.registry.ListSchools(r.Context(), p, registry.SchoolFilter{})
	v := studentsView{Filter: f, Students: list, Total: total, Schools: schools, CanAdd: registry.MayEditStudents(p)}
	v.Prev, v.Next = pager(offset, total)
	h.kit.Render(w, r, 0, "students", "Nxënësit", v, nil)
}

type studentView struct {
	Student registry.Student
	History []audit.Entry
	// Corrections: changes of the personal data after the final lists,
	// with their reasons (Neni 36).
	Corrections []registry.Correction
	People      webkit.People // the accounts of who changed the record
	Schools     []registry.School
	CanEdit     bool
	New         bool
}

func (h *Handler) studentPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, err := webkit.ID(r, "Nxënësi")
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	st, err := h.registry.GetStudent(r.Context(), p, id)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := studentView{Student: st, CanEdit: registry.MayEditStudents(p)}
	if v.CanEdit {
		v.History, _ = h.registry.History(r.Context(), "student", st.PersonalNo)
		v.Corrections, _ = h.registry.Corrections(r.Context(), p, st.ID)
		v.Schools, _ = h.registry.ListSchools(r.Context(), p, registry.SchoolFilter{})
		var actors []string
		for _, e := range v.History {
			actors = append(actors, e.Actor)
		}
		for _, c := range v.Corrections {
			actors = append(actors, c.By)
		}
		if v.People, err = webkit.PeopleOf(r.Context(), h.auth, actors...); err != nil {
			h.kit.Fail(w, r, err)
			return
		}
	}
	h.kit.Render(w, r, 0, "student", registry.PersonName(st.FirstName, "", st.LastName), v, nil)
}

func (h *Handler) newStudentPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	schools, err := h.registry.ListSchools(r.Context(), p, registry.SchoolFilter{})
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	st := registry.Student{Category: registry.Maturant, SchoolCode: p.School}
	h.kit.Render(w, r, 0, "student", "Nxënës i ri", studentView{Student: st, Schools: schools, CanEdit: true, New: true}, nil)
}

// studentFromForm reads the student form; a grade that is not a number is
// an error (with the rest of the form kept for the page).
func studentFromForm(r *http.Request, id int64) (registry.Student, error) {
	grade, err := webkit.Decimal(r.FormValue("average_grade"), "average_grade")
	return registry.Student{ID: id, PersonalNo: r.FormValue("personal_no"), FirstName: r.FormValue("first_name"),
		FatherName: r.FormValue("father_name"), LastName: r.FormValue("last_name"), Sex: r.FormValue("sex"),
		BirthDate: r.FormValue("birth_date"), SchoolCode: r.FormValue("school_code"), ClassName: r.FormValue("class_name"),
		AverageGrade: grade, Category: r.FormValue("category"), Phone: r.FormValue("phone"), Reason: r.FormValue("reason")}, err
}

func (h *Handler) saveStudent(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	// POST /nxenesit/{id} addresses that record: a bad id never creates one.
	var id int64
	if r.PathValue("id") != "" {
		var err error
		if id, err = webkit.ID(r, "Nxënësi"); err != nil {
			h.kit.Fail(w, r, err)
			return
		}
	}
	in, err := studentFromForm(r, id)
	var saved registry.Student
	if err == nil {
		saved, err = h.registry.SaveStudent(r.Context(), p, in)
	}
	if err != nil {
		schools, _ := h.registry.ListSchools(r.Context(), p, registry.SchoolFilter{})
		h.kit.Render(w, r, 0, "student", "Nxënësi", studentView{Student: in, Schools: schools, CanEdit: true, New: in.ID == 0}, err)
		return
	}
	webkit.RedirectOK(w, r, fmt.Sprintf("/nxenesit/%d", saved.ID), nil, "Të dhënat u ruajtën.")
}
