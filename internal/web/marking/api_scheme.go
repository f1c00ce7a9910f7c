package marking

import (
	"context"
	"io"
	"net/http"

	"provim/internal/auth"
	"provim/internal/marking"
	"provim/internal/web/webkit"
)

// The JSON API of the test and its marking scheme (api/openapi.yaml,
// "marking: scheme"). The exam is of the active year.

func (h *Handler) apiTest(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	t, err := h.marking.TestOf(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, t)
	return nil
}

func (h *Handler) apiSaveTest(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, marking.MayManage(p)); err != nil {
		return err
	}
	var in marking.TestInput
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	t, err := h.marking.SaveTest(r.Context(), p, 0, r.PathValue("exam"), in)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, t)
	return nil
}

// apiImportTest imports the test from the file of a multipart body (part
// "file") or the raw body named by ?filename= (default test.json).
func (h *Handler) apiImportTest(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, marking.MayManage(p)); err != nil {
		return err
	}
	var t marking.Test
	err := webkit.Upload(w, r, "test.json", func(name string, file io.Reader) (err error) {
		t, err = h.marking.ImportTest(r.Context(), p, 0, r.PathValue("exam"), name, file)
		return err
	})
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, t)
	return nil
}

func (h *Handler) apiSettleTest(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	return h.apiTestStep(w, r, p, h.marking.SettleTest)
}

func (h *Handler) apiReopenTest(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	return h.apiTestStep(w, r, p, h.marking.ReopenTest)
}

func (h *Handler) apiPublishScheme(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	return h.apiTestStep(w, r, p, h.marking.PublishScheme)
}

// apiTestStep runs one step of the test's life and answers the test.
func (h *Handler) apiTestStep(w http.ResponseWriter, r *http.Request, p *auth.Principal, step func(ctx context.Context, by *auth.Principal, year int, exam string) error) error {
	if err := webkit.Allow(p, marking.MayManage(p)); err != nil {
		return err
	}
	if err := step(r.Context(), p, 0, r.PathValue("exam")); err != nil {
		return err
	}
	return h.apiTest(w, r, p)
}

type groupInput struct {
	Username string `json:"username"`
}

func (h *Handler) apiAddToGroup(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, marking.MayManage(p)); err != nil {
		return err
	}
	var in groupInput
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	if err := h.marking.AddToTestGroup(r.Context(), p, 0, r.PathValue("exam"), in.Username); err != nil {
		return err
	}
	return h.apiTest(w, r, p)
}

func (h *Handler) apiRemoveFromGroup(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, marking.MayManage(p)); err != nil {
		return err
	}
	if err := h.marking.RemoveFromTestGroup(r.Context(), p, 0, r.PathValue("exam"), r.PathValue("username")); err != nil {
		return err
	}
	return h.apiTest(w, r, p)
}

// publicScheme is the published scheme as anyone reads it.
type publicScheme struct {
	Year        int            `json:"year"`
	Exam        string         `json:"exam"`
	ExamName    string         `json:"exam_name"`
	Title       string         `json:"title"`
	MaxPoints   int            `json:"max_points"`
	PublishedAt string         `json:"published_at"`
	Items       []marking.Item `json:"items"`
}

func (h *Handler) apiPublicScheme(w http.ResponseWriter, r *http.Request) error {
	t, err := h.publicScheme(r)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, publicScheme{Year: t.Year, Exam: t.Exam, ExamName: t.ExamName, Title: t.Title,
		MaxPoints: t.MaxPoints, PublishedAt: t.PublishedAt, Items: webkit.NonNil(t.Items)})
	return nil
}

func (h *Handler) publicScheme(r *http.Request) (marking.Test, error) {
	y, err := webkit.Int(r.PathValue("year"), "viti", 0)
	if err != nil {
		return marking.Test{}, err
	}
	return h.marking.PublicScheme(r.Context(), y, r.PathValue("exam"))
}
