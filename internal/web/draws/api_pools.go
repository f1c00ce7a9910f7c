package draws

import (
	"net/http"
	"strconv"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/web/webkit"
)

func (h *Handler) apiDrawPool(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	list, err := h.draws.Pool(r.Context(), p, r.PathValue("unit"))
	if err != nil {
		return err
	}
	webkit.Items(w, list)
	return nil
}

func (h *Handler) apiDrawPoolAdd(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		PersonalNo string `json:"personal_no"`
		StaffID    int64  `json:"staff_id"`
		Role       string `json:"role"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	id, err := h.staffRef(r, p, in.PersonalNo, in.StaffID)
	if err != nil {
		return err
	}
	if err := h.draws.AddToPool(r.Context(), p, r.PathValue("unit"), id, strings.ToUpper(in.Role)); err != nil {
		return err
	}
	webkit.NoContent(w)
	return nil
}

func (h *Handler) apiDrawPoolFill(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	in := struct {
		Exam    string `json:"exam"`
		Session int    `json:"session"`
	}{Exam: "D1", Session: 1}
	if err := webkit.DecodeOptional(r, &in); err != nil {
		return err
	}
	session, err := webkit.CheckExamSession(in.Session)
	if err != nil {
		return err
	}
	n, err := h.draws.FillPool(r.Context(), p, session, strings.ToUpper(in.Exam), r.PathValue("unit"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]int{"added": n})
	return nil
}

func (h *Handler) apiDrawPoolRemove(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	// {id} is the person's personal number (what people know them by) or,
	// as before, the id of their staff record.
	ref := strings.TrimSpace(r.PathValue("id"))
	var id int64
	var err error
	if _, perr := strconv.ParseInt(ref, 10, 64); perr == nil {
		id, err = webkit.ID(r, "Punonjësi")
	} else {
		id, err = h.staffRef(r, p, ref, 0)
	}
	if err != nil {
		return err
	}
	if err := h.draws.RemoveFromPool(r.Context(), p, r.PathValue("unit"), id); err != nil {
		return err
	}
	webkit.NoContent(w)
	return nil
}

func (h *Handler) apiDeclare(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		StaffPersonalNo string `json:"staff_personal_no"`
		Student         string `json:"student"`
		StaffID         int64  `json:"staff_id"`
		StudentID       int64  `json:"student_id"`
		Relation        string `json:"relation"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	staff, err := h.staffRef(r, p, in.StaffPersonalNo, in.StaffID)
	if err != nil {
		return err
	}
	student := in.StudentID
	switch {
	case in.Student != "" && in.StudentID != 0:
		return apperr.New(apperr.Invalid, "Jepni nxënësin një herë: me «student» (numri personal ose i regjistrimit), jo edhe me «student_id».")
	case in.Student != "":
		st, err := h.accounts.StudentByRef(r.Context(), p, in.Student)
		if err != nil {
			return err
		}
		student = st.ID
	case student == 0:
		return apperr.New(apperr.Invalid, "Jepni nxënësin e afërm me «student»: numrin personal ose numrin e regjistrimit.")
	}
	d, err := h.draws.Declare(r.Context(), p, staff, student, in.Relation)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusCreated, d)
	return nil
}

// staffRef is the staff record of a member of staff named by their
// personal number (issue 11, part C: what people know them by) or, as
// before, by the id of the record; exactly one of the two.
func (h *Handler) staffRef(r *http.Request, p *auth.Principal, personalNo string, id int64) (int64, error) {
	switch {
	case personalNo != "" && id != 0:
		return 0, apperr.New(apperr.Invalid, "Jepni punonjësin një herë: me numrin personal, jo edhe me «staff_id».")
	case personalNo != "":
		sf, err := h.accounts.StaffByPersonalNo(r.Context(), p, personalNo)
		if err != nil {
			return 0, err
		}
		return sf.ID, nil
	case id == 0:
		return 0, apperr.New(apperr.Invalid, "Jepni numrin personal të punonjësit.")
	}
	return id, nil
}
