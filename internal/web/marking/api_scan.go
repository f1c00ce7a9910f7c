package marking

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/marking"
	"provim/internal/web/webkit"
)

// The JSON API of the scanned booklets (api/openapi.yaml, "marking:
// scans"). The exam is of the active year; every check is the service's.

func (h *Handler) apiScans(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	s, err := h.marking.Scans(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, s)
	return nil
}

func scanUploadTooLarge() error {
	return apperr.New(webkit.CodeTooLarge, "Një ngarkim ka të shumtën %d MiB: asgjë nuk u ngarkua. Ndajini në disa ngarkime.", marking.MaxScanUpload>>20)
}

// apiScanFiles reads every file part of a multipart body, bounded: the
// body by the upload's limit, each part one byte past a file's limit (the
// service refuses it with its sentence).
func apiScanFiles(w http.ResponseWriter, r *http.Request) ([]marking.ScanFile, error) {
	limit := int64(marking.MaxScanUpload + 1<<20)
	if r.ContentLength > limit {
		return nil, scanUploadTooLarge()
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "Dërgoni skanimet si multipart/form-data, një pjesë për skedar.")
	}
	var out []marking.ScanFile
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return out, nil
		}
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, scanUploadTooLarge()
		}
		if err != nil {
			return nil, apperr.New(apperr.Invalid, "Trupi multipart i kërkesës nuk lexohet.")
		}
		if part.FileName() == "" {
			part.Close()
			continue
		}
		if len(out) == marking.MaxScanFiles {
			return nil, apperr.New(apperr.Invalid, "Një ngarkim ka të shumtën %d skedarë. Ndajini në disa ngarkime.", marking.MaxScanFiles)
		}
		data, err := io.ReadAll(io.LimitReader(part, marking.MaxScanFile+1))
		part.Close()
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, scanUploadTooLarge()
		}
		if err != nil {
			return nil, fmt.Errorf("scan upload: %w", err)
		}
		out = append(out, marking.ScanFile{Name: part.FileName(), ContentType: part.Header.Get("Content-Type"), Data: data})
	}
}

func (h *Handler) apiUploadScans(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, marking.MayManage(p)); err != nil {
		return err
	}
	files, err := apiScanFiles(w, r)
	if err != nil {
		return err
	}
	res, err := h.marking.UploadScans(r.Context(), p, 0, r.PathValue("exam"), files)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, res)
	return nil
}

func (h *Handler) apiSetScanned(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		Scanned bool `json:"scanned"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	if err := h.marking.SetScanned(r.Context(), p, 0, r.PathValue("exam"), in.Scanned); err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]bool{"scanned": in.Scanned})
	return nil
}

func (h *Handler) apiScanQueue(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	q, err := h.marking.ScanQueue(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"queue": q})
	return nil
}

func (h *Handler) apiQueuedScan(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := queueID(r)
	if err != nil {
		return err
	}
	ct, data, err := h.marking.QueuedScan(r.Context(), p, 0, r.PathValue("exam"), id)
	if err != nil {
		return err
	}
	sendScan(w, ct, data)
	return nil
}

func (h *Handler) apiResolveScan(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		Code string `json:"code"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	id, err := queueID(r)
	if err != nil {
		return err
	}
	if err := h.marking.ResolveScan(r.Context(), p, 0, r.PathValue("exam"), id, in.Code); err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"id": id, "code": in.Code})
	return nil
}

func (h *Handler) apiScanImage(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	no, err := scanPageNo(r)
	if err != nil {
		return err
	}
	ct, data, err := h.marking.ScanPage(r.Context(), p, 0, r.PathValue("exam"), r.PathValue("code"), no)
	if err != nil {
		return err
	}
	sendScan(w, ct, data)
	return nil
}
