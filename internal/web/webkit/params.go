package webkit

import (
	"net/http"
	"strconv"
	"strings"

	"provim/internal/apperr"
)

// Values read from a path, a query or a form are parsed here, strictly: a
// value that does not parse is an Albanian error naming the parameter, and
// a default is taken only when the parameter is absent (empty). The name
// in a message is the parameter's own (the form field's or the query's).

// PathID reads the numeric path value name. Anything that is not a
// positive number written plainly names no record: not_found, with the
// message the domains give for an unknown id; what names the object
// («Nxënësi», «Shorti»).
func PathID(r *http.Request, name, what string) (int64, error) {
	raw := r.PathValue(name)
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != raw {
		return 0, apperr.New(apperr.NotFound, "%s «%s» nuk u gjet.", what, raw)
	}
	return id, nil
}

// ID is PathID of {id}.
func ID(r *http.Request, what string) (int64, error) { return PathID(r, "id", what) }

// Int reads a whole number: absent ("") is def.
func Int(raw, name string, def int) (int, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0, apperr.New(apperr.Invalid, "«%s» duhet të jetë numër i plotë, jo «%s».", name, raw)
	}
	return n, nil
}

// Int64 is Int for ids and other large numbers.
func Int64(raw, name string, def int64) (int64, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return 0, apperr.New(apperr.Invalid, "«%s» duhet të jetë numër i plotë, jo «%s».", name, raw)
	}
	return n, nil
}

// Decimal reads a decimal number written with a comma or a point ("8,5"):
// absent is 0.
func Decimal(raw, name string) (float64, error) {
	raw = strings.ReplaceAll(strings.TrimSpace(raw), ",", ".")
	if raw == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return 0, apperr.New(apperr.Invalid, "«%s» duhet të jetë numër, jo «%s».", name, raw)
	}
	return f, nil
}

// Bool reads "true", "1", "false", "0", …: absent is def.
func Bool(raw, name string, def bool) (bool, error) {
	if raw == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		return false, apperr.New(apperr.Invalid, "Parametri «%s» duhet të jetë true ose false, jo «%s».", name, raw)
	}
	return b, nil
}

// ExamSession reads the number of an exam session: 1 or 2, absent is 1.
func ExamSession(raw string) (int, error) {
	if raw == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || (n != 1 && n != 2) {
		return 0, apperr.New(apperr.Invalid, "Sesioni duhet të jetë 1 ose 2, jo «%s».", raw)
	}
	return n, nil
}

// ExamSessionFilter reads a session to filter by: absent is 0 (every session).
func ExamSessionFilter(raw string) (int, error) {
	if raw == "" {
		return 0, nil
	}
	return ExamSession(raw)
}

// CheckExamSession checks the session of a JSON body: 0 (absent) is 1.
func CheckExamSession(n int) (int, error) {
	switch n {
	case 0:
		return 1, nil
	case 1, 2:
		return n, nil
	}
	return 0, apperr.New(apperr.Invalid, "Sesioni duhet të jetë 1 ose 2, jo «%d».", n)
}

// IDs reads the checked boxes of a form field (each a positive id).
func IDs(r *http.Request, name string) ([]int64, error) {
	var out []int64
	for _, v := range r.Form[name] {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || id <= 0 {
			return nil, apperr.New(apperr.Invalid, "«%s» nuk është një numër i vlefshëm në «%s».", v, name)
		}
		out = append(out, id)
	}
	return out, nil
}

// Offset reads a paging offset (?nga=): absent is 0, a negative one is 0.
func Offset(raw, name string) (int, error) {
	n, err := Int(raw, name, 0)
	return max(0, n), err
}

// Page reads the offset and limit of an API list (?offset=&limit=); the
// domain bounds them.
func Page(r *http.Request) (offset, limit int, err error) {
	q := r.URL.Query()
	if offset, err = Int(q.Get("offset"), "offset", 0); err != nil {
		return 0, 0, err
	}
	limit, err = Int(q.Get("limit"), "limit", 0)
	return offset, limit, err
}

// Values collects the errors of reading several form values, so a handler
// reads them all and checks once: the first error wins.
type Values struct {
	r   *http.Request
	err error
}

// Form reads the form values of r.
func Form(r *http.Request) *Values { return &Values{r: r} }

// Int is webkit.Int of form field name (absent is 0).
func (v *Values) Int(name string) int {
	n, err := Int(v.r.FormValue(name), name, 0)
	v.keep(err)
	return n
}

// Int64 is webkit.Int64 of form field name (absent is 0).
func (v *Values) Int64(name string) int64 {
	n, err := Int64(v.r.FormValue(name), name, 0)
	v.keep(err)
	return n
}

// Decimal is webkit.Decimal of form field name.
func (v *Values) Decimal(name string) float64 {
	f, err := Decimal(v.r.FormValue(name), name)
	v.keep(err)
	return f
}

// Err is the first error of the values read.
func (v *Values) Err() error { return v.err }

func (v *Values) keep(err error) {
	if v.err == nil {
		v.err = err
	}
}
