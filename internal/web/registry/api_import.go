package registry

import (
	"io"
	"net/http"

	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

// apiImport imports the file of a multipart/form-data body (the part named
// "file"), or else the raw body, whatever its Content-Type, with the format
// taken from ?filename=. A body over the limit answers 413 and is never
// imported in part.
func (h *Handler) apiImport(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	entity := r.PathValue("entity")
	// Refuse what cannot be imported before reading a byte.
	if err := registry.KnownEntity(entity); err != nil {
		return err
	}
	var res registry.Result
	err := webkit.Upload(w, r, entity+".csv", func(name string, file io.Reader) (err error) {
		res, err = h.registry.Import(r.Context(), p, entity, name, file, nil)
		return err
	})
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, res)
	return nil
}

func (h *Handler) apiImportTemplate(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	entity := r.PathValue("entity")
	if err := registry.KnownEntity(entity); err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"entity": entity, "columns": registry.Header(entity)})
	return nil
}
