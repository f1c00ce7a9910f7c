package webkit

import (
	"encoding/json"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"provim/internal/albanian"
	"slices"
	"strconv"
	"strings"

	"provim/internal/apperr"
	"provim/internal/doc"
	"provim/internal/registry"
)

// Codes the web layer answers that package apperr does not define.
const (
	CodeTooLarge         = registry.TooLarge    // 413: a request body or import file over its limit
	CodeMethodNotAllowed = "method_not_allowed" // 405: the API path exists, not with this method
)

// StatusOf maps a domain error code to an HTTP status, in one place.
func StatusOf(err error) int {
	switch apperr.CodeOf(err) {
	case CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case CodeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case apperr.Invalid:
		return http.StatusUnprocessableEntity
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.TooMany:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// APIError is the JSON error body: {code, message, details?, rows?}.
type APIError struct {
	Code    string              `json:"code"`
	Message string              `json:"message"`
	Details []string            `json:"details,omitempty"`
	Rows    []registry.RowError `json:"rows,omitempty"`
}

// ToAPIError is the JSON body of err.
func ToAPIError(err error) APIError {
	if ie, ok := errors.AsType[*registry.ImportError](err); ok {
		return APIError{Code: apperr.Invalid, Message: ie.Error(), Rows: ie.Rows}
	}
	if ae, ok := errors.AsType[*apperr.Error](err); ok {
		return APIError{Code: ae.Code, Message: ae.Message, Details: ae.Details}
	}
	return APIError{Code: apperr.CodeOf(err), Message: apperr.MessageOf(err)}
}

// WriteJSON answers v as indented JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// WriteAPIError answers err as the JSON error body with its status.
func WriteAPIError(w http.ResponseWriter, err error) {
	WriteJSON(w, StatusOf(err), ToAPIError(err))
}

// NoContent answers 204.
func NoContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }

// Items answers {"items": list} with 200, an empty list as [].
func Items[T any](w http.ResponseWriter, list []T) {
	WriteJSON(w, http.StatusOK, map[string]any{"items": NonNil(list)})
}

// NonNil is s, or an empty slice for nil (JSON [] rather than null).
func NonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// SavedStatus is 201 when a save created the record, 200 when it updated
// (or left unchanged) an existing one.
func SavedStatus(created bool) int {
	if created {
		return http.StatusCreated
	}
	return http.StatusOK
}

// SendFile writes a built file as a download named name.
func SendFile(w http.ResponseWriter, contentType, name string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body) // the status is sent: a write error cannot be answered
}

// SendDocument encodes t as format ("pdf", "xlsx") and sends it as the
// download base.format. The file is built whole first: an error never
// sends half a file.
func SendDocument(w http.ResponseWriter, t doc.Table, format, base string) error {
	body, media, err := doc.Encode(format, t)
	if err != nil {
		return err
	}
	SendFile(w, media, doc.FileName(base, format), body)
	return nil
}

// TableFormats are the formats of a document route besides JSON.
var TableFormats = []string{doc.PDF, doc.XLSX}

// Respond answers a document route by its ?format=: JSON (v, also when
// format is absent), or table() encoded as one of formats (TableFormats
// when none are given) and sent as the download base.format. Any other
// format is an Albanian error naming those the route knows.
func Respond(w http.ResponseWriter, r *http.Request, v any, table func() doc.Table, base string, formats ...string) error {
	if len(formats) == 0 {
		formats = TableFormats
	}
	format := r.URL.Query().Get("format")
	if format == "" || format == "json" {
		WriteJSON(w, http.StatusOK, v)
		return nil
	}
	if !slices.Contains(formats, format) {
		return unknownFormat(format, formats)
	}
	return SendDocument(w, table(), format, base)
}

func unknownFormat(format string, formats []string) error {
	list := append([]string{"json"}, formats...)
	names := strings.Join(list[:len(list)-1], ", ") + " ose " + list[len(list)-1]
	return apperr.New(apperr.Invalid, "Formati «%s» nuk njihet: %s.", format, names)
}

// FileName keeps the letters, digits and dashes of a code for a file name.
func FileName(code string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, code)
}

// RedirectOK goes to path (with its query, nil for none) and shows msg as
// the confirmation of the next page. The message is kept server-side with
// the session (Flash), never put in the address: a link cannot make
// provim show a text of its own.
func RedirectOK(w http.ResponseWriter, r *http.Request, path string, q url.Values, msg string) {
	Flash(w, r, msg)
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	http.Redirect(w, r, path, http.StatusSeeOther)
}

// Flash keeps msg with the caller's session, to be shown once by its next
// page, and marks the browser (FlashCookie) so that page reads it. Without
// a session (the API) there is no page to show it on.
func Flash(w http.ResponseWriter, r *http.Request, msg string) {
	sess := Session(r)
	if sess == nil {
		return
	}
	if err := sess.SetFlash(r.Context(), msg); err != nil {
		slog.Error("flash", "path", r.URL.Path, "err", err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: FlashCookie, Value: "1", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// ClientAddr (the caller's address, for every throttle) is in clientaddr.go.

// Plural writes a count with the singular or plural of a noun: "1
// formular", "3 formularë", "36.110 kandidatë" (albanian.Count).
func Plural(n int, one, many string) string { return albanian.Count(n, one, many) }
