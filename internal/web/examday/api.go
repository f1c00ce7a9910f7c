package examday

import (
	"net/http"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/examday"
	"provim/internal/web/webkit"
)

func (h *Handler) apiCauses(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	webkit.WriteJSON(w, http.StatusOK, examday.Causes)
	return nil
}

func (h *Handler) apiPlaces(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	list, err := h.day.Places(r.Context(), p)
	if err != nil {
		return err
	}
	webkit.Items(w, list)
	return nil
}

// apiAccess is the caller's place on the day of ?exam= of ?year= (the
// active year when absent).
func (h *Handler) apiAccess(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	q := r.URL.Query()
	year, err := webkit.Int(q.Get("year"), "year", 0)
	if err != nil {
		return err
	}
	if year == 0 {
		year = h.day.ActiveYear(r.Context())
	}
	a, err := h.day.Access(r.Context(), p, year, q.Get("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, a)
	return nil
}

func (h *Handler) apiBoard(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	q := r.URL.Query()
	session, err := webkit.ExamSession(q.Get("session"))
	if err != nil {
		return err
	}
	b, err := h.day.Board(r.Context(), p, session, q.Get("exam"), q.Get("unit"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, b)
	return nil
}

func (h *Handler) apiAttendance(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	list, err := h.day.AttendanceOf(r.Context(), p)
	if err != nil {
		return err
	}
	webkit.Items(w, list)
	return nil
}

func (h *Handler) apiVenue(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	session, err := webkit.ExamSession(r.URL.Query().Get("session"))
	if err != nil {
		return err
	}
	v, err := h.day.Venue(r.Context(), p, session, r.PathValue("exam"), r.PathValue("venue"), false)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, v)
	return nil
}

func (h *Handler) apiRoom(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	session, err := webkit.ExamSession(r.URL.Query().Get("session"))
	if err != nil {
		return err
	}
	_, room, err := h.day.RoomOf(r.Context(), p, session, r.PathValue("exam"), r.PathValue("venue"), r.PathValue("room"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, room)
	return nil
}

// assignInput names the AP by personal number (personal_no) or, as
// before, by the id of their staff record; never both.
type assignInput struct {
	Session    int    `json:"session"`
	PersonalNo string `json:"personal_no"`
	StaffID    int64  `json:"staff_id"`
	Room       string `json:"room"`
}

func (h *Handler) apiAssign(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in assignInput
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	switch {
	case in.PersonalNo != "" && in.StaffID != 0:
		return apperr.New(apperr.Invalid, "Jepni administratorin një herë: me numrin personal, jo edhe me «staff_id».")
	case in.PersonalNo != "":
		id, err := h.day.DrawnAP(r.Context(), p, in.Session, r.PathValue("exam"), r.PathValue("venue"), in.PersonalNo)
		if err != nil {
			return err
		}
		in.StaffID = id
	case in.StaffID == 0:
		return apperr.New(apperr.Invalid, "Jepni numrin personal të administratorit të provimit.")
	}
	if err := h.day.AssignRoom(r.Context(), p, in.Session, r.PathValue("exam"), r.PathValue("venue"), in.StaffID, in.Room); err != nil {
		return err
	}
	webkit.NoContent(w)
	return nil
}

func (h *Handler) apiPack(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in examday.Pack
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	in.Venue, in.Exam = r.PathValue("venue"), r.PathValue("exam")
	pk, err := h.day.PackMaterials(r.Context(), p, in)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, pk)
	return nil
}

type checkInsInput struct {
	Items []examday.CheckIn `json:"items"`
}

// apiCheckIns takes a batch of check-ins (a device's offline queue):
// each gets its own answer; a key sent before gets its first answer.
func (h *Handler) apiCheckIns(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in checkInsInput
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	out, err := h.day.CheckInMany(r.Context(), p, in.Items)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"outcomes": webkit.NonNil(out)})
	return nil
}

type syncInput struct {
	Session int    `json:"session"`
	Exam    string `json:"exam"`
	Venue   string `json:"venue_code"`
	Room    string `json:"room"`
	Pending int    `json:"pending"`
}

func (h *Handler) apiSync(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in syncInput
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	if err := h.day.Sync(r.Context(), p, in.Session, in.Exam, in.Venue, in.Room, in.Pending); err != nil {
		return err
	}
	webkit.NoContent(w)
	return nil
}

type messageOut struct {
	Message string `json:"message"`
}

func (h *Handler) apiAttach(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in examday.Attach
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	msg, err := h.day.AttachLabel(r.Context(), p, in)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, messageOut{msg})
	return nil
}

func (h *Handler) apiLeave(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in examday.Leave
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	msg, err := h.day.RecordLeave(r.Context(), p, in)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, messageOut{msg})
	return nil
}

func (h *Handler) apiReport(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in examday.Report
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	if _, err := h.day.Record(r.Context(), p, in); err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusCreated, messageOut{"Ngjarja u regjistrua në procesverbal."})
	return nil
}

func (h *Handler) apiExclude(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in examday.Exclusion
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	if err := h.day.Exclude(r.Context(), p, in); err != nil {
		return err
	}
	webkit.NoContent(w)
	return nil
}
