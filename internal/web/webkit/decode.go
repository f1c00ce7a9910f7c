package webkit

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"provim/internal/apperr"
	"provim/internal/registry"
)

// MaxJSONBody is the largest JSON request body Decode reads.
const MaxJSONBody = 1 << 20

// Decode reads a JSON body into v, refusing unknown fields and anything
// after the one value. A body over MaxJSONBody is too_large (413), not
// invalid.
func Decode(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, MaxJSONBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return apperr.New(CodeTooLarge, "Trupi i kërkesës është më i madh se %d MiB.", MaxJSONBody>>20)
		}
		return apperr.New(apperr.Invalid, "Trupi i kërkesës nuk është JSON i vlefshëm: %v.", err)
	}
	// One value and nothing after it but spaces: a second value or any
	// other trailing data is refused, not ignored.
	if _, err := dec.Token(); err != io.EOF {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return apperr.New(CodeTooLarge, "Trupi i kërkesës është më i madh se %d MiB.", MaxJSONBody>>20)
		}
		return apperr.New(apperr.Invalid, "Trupi i kërkesës duhet të jetë një vlerë e vetme JSON: pas saj ka të dhëna të tjera.")
	}
	return nil
}

// DecodeOptional is Decode for action bodies whose fields all have a
// meaning when absent: an empty body reads as {}.
func DecodeOptional(r *http.Request, v any) error {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	br := bufio.NewReader(r.Body)
	if _, err := br.Peek(1); errors.Is(err, io.EOF) {
		return nil
	}
	r.Body = struct {
		io.Reader
		io.Closer
	}{br, r.Body}
	return Decode(r, v)
}

// multipartOverhead is what a multipart body may carry besides its file
// (boundaries, part headers, other small fields).
const multipartOverhead = 1 << 20

// Upload hands use the uploaded file of an import request: the part named
// "file" of a multipart body, or else the raw body whatever its
// Content-Type, named by ?filename= (defaultName when absent), bounded by
// registry.MaxFileSize. A body over the limit answers too_large and is
// never read in part.
func Upload(w http.ResponseWriter, r *http.Request, defaultName string, use func(name string, file io.Reader) error) error {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	isMultipart := mediaType == "multipart/form-data"
	limit := int64(registry.MaxFileSize)
	if isMultipart {
		limit += multipartOverhead
	}
	if r.ContentLength > limit {
		return registry.ErrFileTooLarge
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	name := r.URL.Query().Get("filename")
	var file io.Reader = r.Body
	if isMultipart {
		part, err := filePart(r)
		if err != nil {
			return err
		}
		defer part.Close()
		if fn := part.FileName(); fn != "" {
			name = fn
		}
		file = part
	}
	if name == "" {
		name = defaultName
	}
	err := use(name, file)
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return registry.ErrFileTooLarge
	}
	return err
}

// filePart streams a multipart body up to its part named "file", without
// spooling the body to memory or disk first.
func filePart(r *http.Request) (*multipart.Part, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "Trupi multipart/form-data nuk lexohet: %v.", err)
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil, apperr.New(apperr.Invalid, "Mungon skedari: dërgojeni në pjesën «file» të trupit multipart/form-data.")
		}
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, registry.ErrFileTooLarge
		}
		if err != nil {
			return nil, apperr.New(apperr.Invalid, "Trupi multipart/form-data nuk lexohet: %v.", err)
		}
		if part.FormName() == "file" {
			return part, nil
		}
		part.Close()
	}
}
