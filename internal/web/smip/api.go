package smip

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/results"
	"provim/internal/web/webkit"
)

// apiFeed answers SMIP's GET /api/v1/smip/results?since=…&limit=….
func (h *Handler) apiFeed(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	since, err := results.ParseCursor(r.URL.Query().Get("since"))
	if err != nil {
		return err
	}
	limit, err := webkit.Int(r.URL.Query().Get("limit"), "limit", 0)
	if err != nil {
		return err
	}
	feed, err := h.results.SMIPChanges(r.Context(), p, since, limit)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, feed)
	return nil
}

// apiFile streams AVA's file of a year: GET /api/v1/smip/export/{year}?format=csv|json.
func (h *Handler) apiFile(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	return h.stream(w, r, p)
}

// csvHeader names the file's columns (Albanian, as AVA reads them).
var csvHeader = []string{"viti", "sesioni", "provimi", "lenda", "nr_regjistrimit", "nr_personal", "emri", "shkolla",
	"piket", "piket_max", "nota", "kaloi", "anuluar", "arsyeja", "mungoi", "rivleresuar", "publikuar"}

func yn(b bool) string {
	if b {
		return "po"
	}
	return "jo"
}

// stream writes the year's file in the format asked, row by row, flushing
// each batch: the headers go with the first row, so an error before it
// (not allowed, no such year, bad format) is answered as an error.
func (h *Handler) stream(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || year < 2000 || year > 2999 {
		return apperr.New(apperr.Invalid, "Viti %q nuk është i vlefshëm (p.sh. 2027).", r.PathValue("year"))
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "csv"
	}
	if format != "csv" && format != "json" {
		return apperr.New(apperr.Invalid, "Formati %q nuk njihet: csv ose json.", format)
	}
	flusher, _ := w.(http.Flusher)
	cw := csv.NewWriter(w)
	enc := json.NewEncoder(w)
	n := 0
	begin := func() {
		name := fmt.Sprintf("rezultatet-%d.%s", year, format)
		if format == "csv" {
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		} else {
			w.Header().Set("Content-Type", "application/json")
		}
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		w.WriteHeader(http.StatusOK)
		if format == "csv" {
			w.Write([]byte("\ufeff")) // so that spreadsheets read the ë and ç
			cw.Write(csvHeader)
		} else {
			w.Write([]byte("["))
		}
	}
	err = h.results.ExportYear(r.Context(), p, year, func(x results.ExportRow) error {
		if n == 0 {
			begin()
		}
		n++
		if format == "csv" {
			cw.Write([]string{strconv.Itoa(x.Year), strconv.Itoa(x.Session), x.Exam, x.Subject, x.RegNo, x.PersonalNo, x.Name, x.SchoolCode,
				strconv.Itoa(x.Points), strconv.Itoa(x.MaxPoints), strconv.Itoa(x.Grade), yn(x.Passed), yn(x.Voided), x.VoidReason,
				yn(x.Absent), yn(x.Remarked), x.PublishedAt})
		} else {
			if n > 1 {
				w.Write([]byte(","))
			}
			if err := enc.Encode(x); err != nil {
				return err
			}
		}
		if n%1000 == 0 {
			cw.Flush()
			if flusher != nil {
				flusher.Flush()
			}
		}
		return cw.Error()
	})
	if err != nil && n == 0 {
		return err
	}
	if err != nil {
		// The file is half sent: end the connection so the client sees it
		// incomplete, never a file that looks whole.
		panic(http.ErrAbortHandler)
	}
	if n == 0 {
		begin()
	}
	if format == "json" {
		w.Write([]byte("]\n"))
	}
	cw.Flush()
	return cw.Error()
}
