package remark

import (
	"net/http"
	"strconv"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/remark"
	"provim/internal/web/webkit"
)

// The JSON API of re-marking (api/openapi.yaml, "remark"): the same uses
// as the pages, each one service call.

type mineAnswer struct {
	Year  int                 `json:"year"`
	Exams []remark.ExamChoice `json:"exams"`
}

func (h *Handler) apiMine(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	year, list, err := h.remark.Mine(r.Context(), p, 0)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, mineAnswer{Year: year, Exams: webkit.NonNil(list)})
	return nil
}

func (h *Handler) apiRequest(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	req, err := h.remark.RequestFor(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, req)
	return nil
}

type fileBody struct {
	Receipt string `json:"receipt"`
	RegNo   string `json:"reg_no"`
}

func (h *Handler) apiFile(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in fileBody
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	req, err := h.remark.File(r.Context(), p, 0, r.PathValue("exam"), in.Receipt)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusCreated, req)
	return nil
}

func (h *Handler) apiPaper(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in fileBody
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	req, err := h.remark.FileOnPaper(r.Context(), p, 0, r.PathValue("exam"), in.RegNo, in.Receipt)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusCreated, req)
	return nil
}

func (h *Handler) apiCopy(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	c, err := h.remark.CopyFor(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, c)
	return nil
}

func (h *Handler) apiRequestCopy(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	c, err := h.remark.RequestCopy(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusCreated, c)
	return nil
}

// pageNo reads a page number of a scan.
func pageNo(r *http.Request) (int, error) {
	n, err := strconv.Atoi(r.PathValue("no"))
	if err != nil || n < 1 || n > 999 {
		return 0, apperr.New(apperr.Invalid, "Faqja «%s» nuk është numër faqeje (1, 2, …).", r.PathValue("no"))
	}
	return n, nil
}

func (h *Handler) apiCopyScan(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	n, err := pageNo(r)
	if err != nil {
		return err
	}
	ct, data, err := h.remark.CopyScanPage(r.Context(), p, 0, r.PathValue("exam"), n)
	if err != nil {
		return err
	}
	sendScan(w, ct, data)
	return nil
}

type requestsAnswer struct {
	Year  int              `json:"year"`
	Items []remark.Request `json:"items"`
}

func (h *Handler) apiRequests(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	year, list, err := h.remark.Requests(r.Context(), p, 0, r.URL.Query().Get("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, requestsAnswer{Year: year, Items: webkit.NonNil(list)})
	return nil
}

func (h *Handler) apiScoped(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	req, err := h.remark.RequestInScope(r.Context(), p, 0, r.PathValue("exam"), r.PathValue("regno"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, req)
	return nil
}

type reasonBody struct {
	Reason string `json:"reason"`
}

func (h *Handler) apiRefuse(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in reasonBody
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	req, err := h.remark.Refuse(r.Context(), p, 0, r.PathValue("exam"), r.PathValue("regno"), in.Reason)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, req)
	return nil
}

func (h *Handler) apiForward(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	res, err := h.remark.Forward(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, res)
	return nil
}

type casesAnswer struct {
	Year   int           `json:"year"`
	Exam   string        `json:"exam"`
	Counts remark.Counts `json:"counts"`
	Items  []remark.Case `json:"items"`
}

func (h *Handler) apiCases(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	year, list, counts, err := h.remark.Cases(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, casesAnswer{Year: year, Exam: remark.NormExam(r.PathValue("exam")), Counts: counts, Items: webkit.NonNil(list)})
	return nil
}

func (h *Handler) apiStart(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	res, err := h.remark.Start(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, res)
	return nil
}

type thirdBody struct {
	Username string `json:"username"`
}

func (h *Handler) apiThird(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in thirdBody
	if err := webkit.DecodeOptional(r, &in); err != nil {
		return err
	}
	who, err := h.remark.AssignThird(r.Context(), p, 0, r.PathValue("exam"), r.PathValue("code"), in.Username)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, thirdBody{Username: who})
	return nil
}

func (h *Handler) apiSend(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in reasonBody
	if err := webkit.DecodeOptional(r, &in); err != nil {
		return err
	}
	res, err := h.remark.Send(r.Context(), p, 0, r.PathValue("exam"), in.Reason)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, res)
	return nil
}

type queueAnswer struct {
	Year   int                 `json:"year"`
	ToMark []remark.QueueEntry `json:"to_mark"`
	Done   int                 `json:"done"`
}

func (h *Handler) apiQueue(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	year, list, done, err := h.remark.Queue(r.Context(), p, 0)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, queueAnswer{Year: year, ToMark: webkit.NonNil(list), Done: done})
	return nil
}

func (h *Handler) apiBooklet(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	b, err := h.remark.BookletFor(r.Context(), p, 0, r.PathValue("exam"), r.PathValue("code"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, b)
	return nil
}

type marksBody struct {
	Choices []string `json:"choices"`
	Points  []int    `json:"points"`
}

func (h *Handler) apiMark(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in marksBody
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	res, err := h.remark.Mark(r.Context(), p, 0, r.PathValue("exam"), r.PathValue("code"), in.Choices, in.Points)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, res)
	return nil
}

type copiesAnswer struct {
	Year  int           `json:"year"`
	Items []remark.Copy `json:"items"`
}

func (h *Handler) apiCopies(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	year, list, err := h.remark.Copies(r.Context(), p, 0)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, copiesAnswer{Year: year, Items: webkit.NonNil(list)})
	return nil
}

func (h *Handler) apiAnswer(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in remark.CopyAnswer
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	c, err := h.remark.AnswerCopy(r.Context(), p, 0, r.PathValue("exam"), r.PathValue("regno"), in)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, c)
	return nil
}

// sendScan writes a scanned page: only to its reader, never cached,
// never sniffed.
func sendScan(w http.ResponseWriter, contentType string, data []byte) {
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("Cache-Control", "private, no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	w.Write(data) // the status is sent: a write error cannot be answered
}
