package marking

import (
	"io"
	"net/http"

	"provim/internal/auth"
	"provim/internal/marking"
	"provim/internal/web/webkit"
)

// The JSON API of the markers, their leads and their training
// (api/openapi.yaml, "marking: markers"). The exam is of the active year.

func (h *Handler) apiMarkers(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	rows, err := h.marking.Markers(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"items": webkit.NonNil(rows)})
	return nil
}

// appointAnswer is an appointment's answer: the activation letters'
// codes exist only here (print them; they are kept nowhere).
type appointAnswer struct {
	marking.AppointResult
	Letters []auth.Letter `json:"letters"`
}

func (h *Handler) apiAppoint(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, marking.MayManage(p)); err != nil {
		return err
	}
	var in struct {
		Appointments []marking.Appointment `json:"appointments"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	res, err := h.marking.Appoint(r.Context(), p, 0, r.PathValue("exam"), in.Appointments)
	if err != nil {
		return err
	}
	h.accounts.NameLetters(r.Context(), res.Letters)
	w.Header().Set("Cache-Control", "no-store")
	webkit.WriteJSON(w, http.StatusOK, appointAnswer{AppointResult: res, Letters: webkit.NonNil(res.Letters)})
	return nil
}

func (h *Handler) apiImportMarkers(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, marking.MayManage(p)); err != nil {
		return err
	}
	var res marking.AppointResult
	err := webkit.Upload(w, r, "vleresuesit.csv", func(name string, file io.Reader) (err error) {
		res, err = h.marking.ImportMarkers(r.Context(), p, 0, r.PathValue("exam"), name, file)
		return err
	})
	if err != nil {
		return err
	}
	h.accounts.NameLetters(r.Context(), res.Letters)
	w.Header().Set("Cache-Control", "no-store")
	webkit.WriteJSON(w, http.StatusOK, appointAnswer{AppointResult: res, Letters: webkit.NonNil(res.Letters)})
	return nil
}

func (h *Handler) apiStopMarker(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	if err := h.marking.StopMarker(r.Context(), p, 0, r.PathValue("exam"), r.PathValue("username"), in.Reason); err != nil {
		return err
	}
	return h.apiMarkers(w, r, p)
}

func (h *Handler) apiResumeMarker(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := h.marking.ResumeMarker(r.Context(), p, 0, r.PathValue("exam"), r.PathValue("username")); err != nil {
		return err
	}
	return h.apiMarkers(w, r, p)
}

func (h *Handler) apiRetrain(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := h.marking.Retrain(r.Context(), p, 0, r.PathValue("exam"), r.PathValue("username")); err != nil {
		return err
	}
	return h.apiMarkers(w, r, p)
}

func (h *Handler) apiStaffCandidates(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, marking.MayManage(p)); err != nil {
		return err
	}
	found, err := h.marking.StaffCandidates(r.Context(), p, 0, r.PathValue("exam"), r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"items": found})
	return nil
}

func (h *Handler) apiSettings(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, h.marking.MayLeadExam(r.Context(), p, 0, r.PathValue("exam"))); err != nil {
		return err
	}
	st, err := h.marking.Settings(r.Context(), 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, st)
	return nil
}

func (h *Handler) apiSetSettings(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, marking.MayManage(p)); err != nil {
		return err
	}
	var in struct {
		Tolerance     int `json:"tolerance"`
		MonitorRatePM int `json:"monitor_rate_pm"`
		SeededRatePM  int `json:"seeded_rate_pm"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	if err := h.marking.SetSettings(r.Context(), p, 0, r.PathValue("exam"), marking.Settings{Tolerance: in.Tolerance, MonitorRatePM: in.MonitorRatePM, SeededRatePM: in.SeededRatePM}); err != nil {
		return err
	}
	return h.apiSettings(w, r, p)
}

func (h *Handler) apiCalibration(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	list, err := h.marking.Calibration(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"items": webkit.NonNil(list)})
	return nil
}

func (h *Handler) apiAddCalibration(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, marking.MayManage(p)); err != nil {
		return err
	}
	var in struct {
		Purpose  string                     `json:"purpose"`
		Booklets []marking.CalibrationInput `json:"booklets"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	got, err := h.marking.AddCalibration(r.Context(), p, 0, r.PathValue("exam"), in.Purpose, in.Booklets)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusCreated, map[string]any{"items": got})
	return nil
}

func (h *Handler) apiTraining(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	t, err := h.marking.TrainingQueue(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, t)
	return nil
}

func (h *Handler) apiMarkTraining(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	no, err := webkit.Int(r.PathValue("no"), "numri i test-broshurës", 0)
	if err != nil {
		return err
	}
	var in marking.Marks
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	res, err := h.marking.MarkTraining(r.Context(), p, 0, r.PathValue("exam"), no, in.Choices, in.Points)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, res)
	return nil
}
