package results

// The prepared pages a server has served, kept in its memory (issue 15
// item 4): on the night of the results a candidate who looks again, on
// any server, is answered without a round trip to the database. A
// published page changes only when a publication or a re-marking rebuilds
// it (rebuildPages, LoadPages), and every rebuild gives the page the next
// number of results_pages.seq, in commit order (lastSeq's lock). So a
// server reads, at most once per PageCacheLag and only when a candidate
// asks, the highest number and the pages changed since the last it knew,
// and forgets those; the pages this server rebuilt it forgets at once, as
// the transaction commits. A page another server rebuilt is thus served
// in its former state at most PageCacheLag after the change (as a session
// ended elsewhere: auth.RevocationLag); no page is served from memory
// longer than pageCacheMaxAge, nor while the reading of the changes is
// overdue (pageCacheOverdue). A read inside a transaction, or
// of a page not prepared as HTML of the renderer's version, never goes
// through the cache; nor does a candidate whose results are not
// published (nothing is kept for them).

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"provim/internal/clock"
	"provim/internal/store"
)

// PageCacheLag is the longest a server goes without reading which pages
// other servers rebuilt: a page changed elsewhere is served as it was at
// most this long after.
const PageCacheLag = 250 * time.Millisecond

// pageCacheBytes bounds the memory of the pages kept (the HTML and the
// JSON of a page are about 5 KB together: the 35,000 candidates of a year
// take about 170 MB); past it a page kept is forgotten for each added.
const pageCacheBytes = 256 << 20

// pageCacheChanges is the most changed pages a refresh forgets one by
// one; past it (a publication of a whole exam) it forgets every page.
const pageCacheChanges = 10000

// pageCacheMaxAge is the longest a page is served from memory without
// being read again, whatever the changes say (a database restored from a
// copy and published again before the next read would otherwise go
// unseen); pageCacheOverdue, how late the reading of the changes may be
// (its reader held up) before requests go to the database instead.
const (
	pageCacheMaxAge  = 5 * time.Minute
	pageCacheOverdue = 10 * PageCacheLag
)

type pageKey struct {
	year    int
	student int64
}

// cachedPage is what is kept of a candidate's page: its prepared HTML
// (of version) and its JSON with the entity tag, each once served.
type cachedPage struct {
	version string
	html    []byte
	body    []byte
	etag    string
	kept    clock.Timer // since the page was first kept
}

func (c *cachedPage) size() int { return 64 + len(c.version) + len(c.html) + len(c.body) + len(c.etag) }

// pageCache is one server's kept pages.
type pageCache struct {
	mu     sync.RWMutex
	pages  map[pageKey]*cachedPage
	bytes  int
	seq    int64       // every change up to seq is applied
	gen    uint64      // counts the forgettings: a read begun before one is not kept
	loaded bool        // seq was read
	read   clock.Timer // when the changes were last read

	reading sync.Mutex // one reader of the changes at a time; the others go on
	limit   int        // the bytes kept at most; 0 for pageCacheBytes

	hits, misses atomic.Int64
}

// PageCacheStats is what a server keeps of the prepared pages, and how
// often a candidate's page was served from it.
type PageCacheStats struct {
	Pages, Bytes int
	Hits, Misses int64
}

// PageCacheStats reports this server's kept pages.
func (s *Service) PageCacheStats() PageCacheStats {
	c := &s.cache
	c.mu.RLock()
	defer c.mu.RUnlock()
	return PageCacheStats{Pages: len(c.pages), Bytes: c.bytes, Hits: c.hits.Load(), Misses: c.misses.Load()}
}

// cached returns the kept page of key, and the generation a read of the
// database made now is to be kept under (keep), after
// reading the changes when they are older than PageCacheLag. ok is false
// inside a transaction: its reads and writes are its own.
func (s *Service) cached(ctx context.Context, key pageKey) (page cachedPage, gen uint64, ok bool, err error) {
	if store.TxFrom(ctx) != nil {
		return cachedPage{}, 0, false, nil
	}
	c := &s.cache
	c.mu.RLock()
	loaded, stale := c.loaded, !c.loaded || c.read.Elapsed() > PageCacheLag
	c.mu.RUnlock()
	if stale {
		// The first read waits for the numbers; a later one is made by one
		// request while the others go on with what is kept.
		if !loaded {
			c.reading.Lock()
		} else if !c.reading.TryLock() {
			stale = false
		}
		if stale {
			err := s.refreshCache(ctx)
			c.reading.Unlock()
			if err != nil {
				return cachedPage{}, 0, false, err
			}
		}
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.read.Elapsed() > pageCacheOverdue {
		return cachedPage{}, 0, false, nil
	}
	if p := c.pages[key]; p != nil && p.kept.Elapsed() <= pageCacheMaxAge {
		page = *p
	}
	return page, c.gen, true, nil
}

// refreshCache forgets the pages changed since the last number known (c.reading held).
func (s *Service) refreshCache(ctx context.Context) error {
	c := &s.cache
	c.mu.RLock()
	from, loaded, fresh := c.seq, c.loaded, c.loaded && c.read.Elapsed() <= PageCacheLag
	c.mu.RUnlock()
	if fresh {
		return nil
	}
	var last int64
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM results_pages`).Scan(&last); err != nil {
		return fmt.Errorf("results: kept pages: %w", err)
	}
	var changed []pageKey
	all := !loaded || last < from // never read, or a database restored from an older copy
	if !all && last > from {
		var err error
		changed, err = store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (pageKey, error) {
			var k pageKey
			return k, r.Scan(&k.year, &k.student)
		}, `SELECT year, student_id FROM results_pages WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`, from, last, pageCacheChanges+1)
		if err != nil {
			return fmt.Errorf("results: kept pages changed: %w", err)
		}
		all = len(changed) > pageCacheChanges
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if all {
		c.forgetAll()
	} else {
		c.forget(changed)
	}
	c.seq, c.loaded, c.read = last, true, clock.StartTimer()
	return nil
}

// forget drops the pages of keys (c.mu held).
func (c *pageCache) forget(keys []pageKey) {
	if len(keys) == 0 {
		return
	}
	for _, k := range keys {
		if p := c.pages[k]; p != nil {
			c.bytes -= p.size()
			delete(c.pages, k)
		}
	}
	c.gen++
}

// forgetAll drops every page (c.mu held).
func (c *pageCache) forgetAll() {
	c.pages, c.bytes = nil, 0
	c.gen++
}

// forgetAtCommit drops the pages of the students of year as the
// transaction in ctx commits (they are rebuilt in it).
func (s *Service) forgetAtCommit(ctx context.Context, year int, ids []int64) {
	keys := make([]pageKey, len(ids))
	for i, id := range ids {
		keys[i] = pageKey{year, id}
	}
	forget := func() {
		c := &s.cache
		c.mu.Lock()
		defer c.mu.Unlock()
		c.forget(keys)
	}
	if tx := store.TxFrom(ctx); tx != nil {
		tx.AfterCommit(forget)
		return
	}
	forget()
}

// keep stores what a read of the database begun under gen found of key's
// page (set changes the kept page), unless a page was forgotten since.
func (s *Service) keep(key pageKey, gen uint64, set func(*cachedPage)) {
	c := &s.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen || !c.loaded {
		return
	}
	if c.pages == nil {
		c.pages = map[pageKey]*cachedPage{}
	}
	p := c.pages[key]
	if p == nil || p.kept.Elapsed() > pageCacheMaxAge {
		if p != nil {
			c.bytes -= p.size()
		}
		p = &cachedPage{kept: clock.StartTimer()}
		c.pages[key] = p
	} else {
		c.bytes -= p.size()
	}
	set(p)
	c.bytes += p.size()
	limit := c.limit
	if limit == 0 {
		limit = pageCacheBytes
	}
	for k, o := range c.pages {
		if c.bytes <= limit {
			break
		}
		if k != key {
			c.bytes -= o.size()
			delete(c.pages, k)
		}
	}
}
