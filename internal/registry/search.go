package registry

import (
	"context"
	"strings"

	"provim/internal/auth"
	"provim/internal/fold"
	"provim/internal/scope"
	"provim/internal/store"
)

// addSearch narrows q to the rows where every word of text is found in one
// of cols, ignoring case and the Albanian diacritics (ë as e, ç as c) on
// both engines: "caushi" finds "Çaushi" and "cela" finds "Çela", and the
// other way round (issue 11, part B). The columns are folded once, joined
// by spaces: a word (it has no space) is in the joined text exactly when
// it is in one column. A search is a contains search: no b-tree index
// serves "%…%", so the folded text is computed per row, once per query.
func addSearch(q *store.Query, text string, cols ...string) {
	words := strings.Fields(NFC(text))
	if len(words) == 0 {
		return
	}
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = "COALESCE(" + c + ", '')"
	}
	expr := fold.Like(strings.Join(parts, " || ' ' || "))
	for _, w := range words {
		q.Add(expr, fold.Contains(w))
	}
}

// VenueFilter narrows ListVenuesPage.
type VenueFilter struct {
	Q    string // code, name or city
	Unit string
	Page Page
}

// ListVenuesPage lists one page of the venues in the caller's scope (in
// the order of ListVenues: Albanian order of city and name) with their
// rooms, and the total of the filtered set.
func (s *Service) ListVenuesPage(ctx context.Context, p *auth.Principal, f VenueFilter) ([]Venue, int, error) {
	var q store.Query
	if err := scopeVenues(p, &q); err != nil {
		return nil, 0, err
	}
	if f.Unit != "" {
		scope.UnitsUnder(&q, "v.unit_code", f.Unit)
	}
	addSearch(&q, f.Q, "v.code", "v.name", "v.city")
	all, err := s.venues(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	offset, limit := f.Page.bounds()
	return pageSlice(all, Page{Offset: offset, Limit: limit}), len(all), nil
}

// StudentSearch narrows q, over StudentJoin, to the students who have
// every word of text in their name, father's name, surname or personal
// number, or in one of extra columns of the caller's own table (e.g. a
// registration number), ignoring case and ë/ç as addSearch does.
func StudentSearch(q *store.Query, text string, extra ...string) {
	addSearch(q, text, append([]string{"st.last_name", "st.first_name", "st.father_name", "st.personal_no"}, extra...)...)
}
