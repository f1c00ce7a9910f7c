package admin

import (
	"net/http"
	"time"

	"provim/internal/albanian"
	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/web/webkit"
)

// auditPageSize is the entries of one page of the audit log.
const auditPageSize = 100

// auditRow is one entry as the page shows it: who in words, what in
// words, and the change field by field.
type auditRow struct {
	audit.Entry
	Who     string
	What    string
	Object  string
	Changes []audit.Change
}

type auditView struct {
	Entries  []auditRow
	Total    int
	Verified int64
	Problem  *audit.Problem
	Checked  bool
	Filter   audit.Filter
	From, To string // the days of the filter as typed (DD.MM.YYYY)
	Types    [][2]string
	Actions  [][2]string
	Prev     int
	Next     int
}

// auditFilter reads the page's filters from the address: lloji, id,
// kush (username), veprimi, nga-dita, deri-dita (days, DD.MM.YYYY, Tirana),
// nga (offset).
func auditFilter(r *http.Request) (audit.Filter, string, string, error) {
	q := r.URL.Query()
	f := audit.Filter{Type: q.Get("lloji"), ID: q.Get("id"), Actor: q.Get("kush"), Action: q.Get("veprimi"), Limit: auditPageSize}
	var err error
	if f.Offset, err = webkit.Offset(q.Get("nga"), "nga"); err != nil {
		return f, "", "", err
	}
	day := func(raw, name string) (time.Time, error) {
		if raw == "" {
			return time.Time{}, nil
		}
		d, ok := albanian.ParseDate(raw)
		if !ok {
			return time.Time{}, apperr.New(apperr.Invalid, "«%s» nuk është një datë (DD.MM.VVVV) te «%s».", raw, name)
		}
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, clock.Tirana), nil
	}
	from, to := q.Get("nga-dita"), q.Get("deri-dita")
	if f.From, err = day(from, "Nga data"); err != nil {
		return f, from, to, err
	}
	t, err := day(to, "Deri më")
	if err != nil {
		return f, from, to, err
	}
	if !t.IsZero() {
		f.To = t.AddDate(0, 0, 1) // the whole last day
	}
	return f, from, to, nil
}

// auditPage lists the audit log page by page, newest first, filtered by
// object, person, action and days, and verifies the chain on request.
// The times are Tirana's.
func (h *Handler) auditPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := webkit.Allow(p, p.IsNational()); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	f, from, to, err := auditFilter(r)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := auditView{Filter: f, From: from, To: to, Actions: audit.ActionLabels(), Prev: -1, Next: -1}
	types, err := audit.Types(r.Context(), h.db.DB)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	for _, t := range types {
		v.Types = append(v.Types, [2]string{t, audit.TypeLabel(t)})
	}
	entries, total, err := audit.QueryPage(r.Context(), h.db.DB, f)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v.Total = total
	if f.Offset > 0 {
		v.Prev = max(0, f.Offset-auditPageSize)
	}
	if f.Offset+auditPageSize < total {
		v.Next = f.Offset + auditPageSize
	}
	actors := make([]string, len(entries))
	for i, e := range entries {
		actors[i] = e.Actor
	}
	people, err := webkit.PeopleOf(r.Context(), h.auth, actors...)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	for _, e := range entries {
		v.Entries = append(v.Entries, auditRow{Entry: e, Who: people.Who(e.Actor, e.Role), What: audit.ActionLabel(e.Action),
			Object: audit.TypeLabel(e.ObjectType), Changes: audit.Changes(e)})
	}
	if r.URL.Query().Get("verifiko") != "" {
		v.Checked = true
		v.Verified, v.Problem, err = audit.Verify(r.Context(), h.db.DB)
		if err != nil {
			h.kit.Fail(w, r, err)
			return
		}
	}
	h.kit.Render(w, r, 0, "audit", "Auditimi", v, nil)
}
