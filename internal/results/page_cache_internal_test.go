package results

import "testing"

// A read of the database begun before a page was forgotten is not kept
// (it may hold the page's former state); past its budget the cache
// forgets other pages, never the one just kept.
func TestPageCache_StaleReadNotKeptAndBudgetHeld(t *testing.T) {
	s := &Service{}
	c := &s.cache
	c.loaded, c.limit = true, 10*1024
	a := pageKey{2027, 1}
	gen := c.gen
	c.mu.Lock()
	c.forget([]pageKey{a}) // a rebuild committed while the read was under way
	c.mu.Unlock()
	s.keep(a, gen, func(p *cachedPage) { p.body = []byte("e vjetër") })
	if st := s.PageCacheStats(); st.Pages != 0 {
		t.Fatalf("a read begun before the change was kept: %+v", st)
	}
	s.keep(a, c.gen, func(p *cachedPage) { p.body = []byte("e re") })
	s.keep(a, c.gen, func(p *cachedPage) { p.version, p.html = "v1", []byte("<p>e re</p>") })
	if p := c.pages[a]; p == nil || string(p.body) != "e re" || string(p.html) != "<p>e re</p>" {
		t.Fatalf("the page's JSON and HTML are kept together: %+v", p)
	}
	for i := range 40 {
		k := pageKey{2027, int64(100 + i)}
		s.keep(k, c.gen, func(p *cachedPage) { p.body = make([]byte, 1024) })
		if c.pages[k] == nil {
			t.Fatalf("the page just kept was forgotten")
		}
		if c.bytes > c.limit {
			t.Fatalf("%d bytes kept, budget %d", c.bytes, c.limit)
		}
	}
	var sum int
	for _, p := range c.pages {
		sum += p.size()
	}
	if sum != c.bytes {
		t.Fatalf("bytes counted %d, kept %d", c.bytes, sum)
	}
}
