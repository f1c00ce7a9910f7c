package marking

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/marking"
	"provim/internal/web/webkit"
)

// AVA's page of the scanned booklets (issue 14 item 8): the exam's flag,
// the upload, the counts and the queue of pages whose label was not
// read, each with its image and a field for the code; and the image of a
// booklet's page for whoever may mark or read it.

type scanQueueRow struct {
	ID       int
	Reason   string
	Uploaded string
	Image    string
}

type scanView struct {
	Exam string
	S    marking.ScanSummary
	Rows []scanQueueRow
}

func scanPath(exam string) string { return markPath(exam, "skanimet") }

func (h *Handler) scansPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderScans(w, r, p, nil)
}

func (h *Handler) renderScans(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	s, err := h.marking.Scans(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := scanView{Exam: s.Exam, S: s}
	for _, q := range s.Queue {
		v.Rows = append(v.Rows, scanQueueRow{ID: q.ID, Reason: q.Reason, Uploaded: q.UploadedBy + ", " + clock.Stamp(q.UploadedAt),
			Image: scanPath(s.Exam) + "/radha/" + strconv.Itoa(q.ID)})
	}
	status := 0
	if actErr != nil {
		status = webkit.StatusOf(actErr)
	}
	h.kit.Render(w, r, status, "marking_scan_page", "Skanimet — "+s.Exam, v, actErr)
}

func (h *Handler) scannedForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	on := r.PostFormValue("skanuar") == "1"
	if err := h.marking.SetScanned(r.Context(), p, 0, r.PathValue("exam"), on); err != nil {
		h.renderScans(w, r, p, err)
		return
	}
	msg := "Provimi u shënua pa skanime: vlerësohet në letër."
	if on {
		msg = "Provimi u shënua me test-broshura të skanuara: ngarkoni skanimet."
	}
	webkit.RedirectOK(w, r, scanPath(r.PathValue("exam")), nil, msg)
}

// formScanFiles reads the files of the upload form, their sizes checked
// before they are read.
func formScanFiles(r *http.Request) ([]marking.ScanFile, error) {
	var hdrs []*multipart.FileHeader
	if r.MultipartForm != nil {
		hdrs = r.MultipartForm.File["skedari"]
	}
	if len(hdrs) > marking.MaxScanFiles {
		return nil, apperr.New(apperr.Invalid, "Një ngarkim ka të shumtën %d skedarë; zgjodhët %d. Ndajini në disa ngarkime.", marking.MaxScanFiles, len(hdrs))
	}
	var out []marking.ScanFile
	for _, fh := range hdrs {
		if fh.Size > marking.MaxScanFile {
			return nil, apperr.New(apperr.Invalid, "Skedari «%s» është më i madh se %d MiB: asgjë nuk u ngarkua. Skanojeni me rezolucion më të ulët.", fh.Filename, marking.MaxScanFile>>20)
		}
		f, err := fh.Open()
		if err != nil {
			return nil, fmt.Errorf("scan upload: %w", err)
		}
		data, err := io.ReadAll(io.LimitReader(f, marking.MaxScanFile+1))
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("scan upload: %w", err)
		}
		out = append(out, marking.ScanFile{Name: fh.Filename, ContentType: fh.Header.Get("Content-Type"), Data: data})
	}
	return out, nil
}

// uploadMessage tells what an upload did.
func uploadMessage(res marking.UploadResult) string {
	msg := fmt.Sprintf("Skanimet u ngarkuan: %s iu bashkëngjitën testeve, %s në radhë për kodin.",
		webkit.Plural(res.Attached, "faqe", "faqe"), webkit.Plural(res.Queued, "faqe", "faqe"))
	if len(res.Problems) > 0 {
		msg += " Nuk u lexuan: " + strings.Join(res.Problems, " ")
	}
	return msg
}

func (h *Handler) uploadScansForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if r.ContentLength > marking.MaxScanUpload+1<<20 {
		h.renderScans(w, r, p, apperr.New(apperr.Invalid, "Një ngarkim ka të shumtën %d MiB: asgjë nuk u ngarkua. Ndajini në disa ngarkime.", marking.MaxScanUpload>>20))
		return
	}
	files, err := formScanFiles(r)
	if err != nil {
		h.renderScans(w, r, p, err)
		return
	}
	res, err := h.marking.UploadScans(r.Context(), p, 0, r.PathValue("exam"), files)
	if err != nil {
		h.renderScans(w, r, p, err)
		return
	}
	webkit.RedirectOK(w, r, scanPath(r.PathValue("exam")), nil, uploadMessage(res))
}

func (h *Handler) resolveScanForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, err := queueID(r)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	code := r.PostFormValue("kodi")
	if err := h.marking.ResolveScan(r.Context(), p, 0, r.PathValue("exam"), id, code); err != nil {
		h.renderScans(w, r, p, err)
		return
	}
	webkit.RedirectOK(w, r, scanPath(r.PathValue("exam")), nil, fmt.Sprintf("Faqja iu bashkëngjit testit %s.", strings.ToUpper(strings.TrimSpace(code))))
}

// queueID is the {id} of a page in the queue of scans without a code:
// anything but a positive number names no page (not_found).
func queueID(r *http.Request) (int, error) {
	id, err := webkit.PathID(r, "id", "Faqja në radhën e skanimeve")
	return int(id), err
}

// scanPageNo is the {no} of a booklet's scanned page, counted from 1.
func scanPageNo(r *http.Request) (int, error) {
	no, err := webkit.PathID(r, "no", "Faqja e skanuar")
	return int(no), err
}

// sendScan writes a scanned page: never cached, never sniffed.
func sendScan(w http.ResponseWriter, contentType string, data []byte) {
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("Cache-Control", "private, no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	w.Write(data) // the status is sent: a write error cannot be answered
}

func (h *Handler) queuedScanImage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, err := queueID(r)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	ct, data, err := h.marking.QueuedScan(r.Context(), p, 0, r.PathValue("exam"), id)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	sendScan(w, ct, data)
}

func (h *Handler) scanImage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	no, err := scanPageNo(r)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	ct, data, err := h.marking.ScanPage(r.Context(), p, 0, r.PathValue("exam"), r.PathValue("code"), no)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	sendScan(w, ct, data)
}

// scanImages are the <img> of a booklet's scanned pages for the marking
// form: none when it has no scans (or p may not read them).
func (h *Handler) scanImages(r *http.Request, p *auth.Principal, exam, display string) []webkit.Link {
	n, err := h.marking.ScanPages(r.Context(), p, 0, exam, display)
	if err != nil {
		return nil
	}
	var out []webkit.Link
	for i := 1; i <= n; i++ {
		out = append(out, webkit.Link{Href: markPath(exam, "broshura/"+display+"/skanimi/"+strconv.Itoa(i)),
			Label: fmt.Sprintf("Faqja %d e testit %s", i, display)})
	}
	return out
}
