package applications

import (
	"html/template"
	"slices"
	"strings"
	"sync"
	"time"

	"provim/internal/application"
	"provim/internal/clock"
	"provim/internal/registry"
)

// catalogueList is the study-programme catalogue (Neni 21.1) that form A2
// offers, kept by the server as the active year is (examyear.ActiveTTL):
// read from the database at most once in ttl, dropped at once when AVA
// saves the catalogue through this server (apiSaveProgrammes), seen
// within ttl when it is saved through another one. It is kept also as
// the <option>s of the one <datalist> every box of the form offers,
// written once for a catalogue: reading the catalogue (a row of six
// columns a programme) and a template run of it for each of the ten boxes
// were most of the page's cost, and the page's weight grew ten times the
// catalogue's.
type catalogueList struct {
	mu    sync.Mutex
	progs []application.Programme // the catalogue html was written for
	html  template.HTML
	read  clock.Timer // when progs was read (valid while kept)
	kept  bool        // progs was read and not dropped since
	gen   int         // counts the drops, so a read that began before one is not kept
}

// programmes returns the kept catalogue while it is younger than ttl, else
// the one load reads (kept for the next pages).
func (c *catalogueList) programmes(ttl time.Duration, load func() ([]application.Programme, error)) ([]application.Programme, error) {
	c.mu.Lock()
	if c.kept && c.read.Elapsed() < ttl {
		progs := c.progs
		c.mu.Unlock()
		return progs, nil
	}
	gen := c.gen
	c.mu.Unlock()
	read := clock.StartTimer()
	progs, err := load()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen {
		c.setLocked(progs)
		c.read, c.kept = read, true
	}
	return progs, nil
}

// forget drops the kept catalogue: the next page reads it again.
func (c *catalogueList) forget() {
	c.mu.Lock()
	c.kept = false
	c.gen++
	c.mu.Unlock()
}

// options returns the catalogue's <option>s, written again when progs is
// not the catalogue they were written for.
func (c *catalogueList) options(progs []application.Programme) template.HTML {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.html == "" || !slices.Equal(c.progs, progs) {
		c.setLocked(progs)
	}
	return c.html
}

// setLocked keeps a copy of progs with its options (the caller holds mu).
func (c *catalogueList) setLocked(progs []application.Programme) {
	if c.html != "" && slices.Equal(c.progs, progs) {
		return
	}
	c.progs = slices.Clip(append([]application.Programme(nil), progs...))
	c.html = writeOptions(progs)
}

// writeOptions writes one option a programme, in the catalogue's order:
// its value the code a box takes, its text the name, institution and
// city a candidate looks for; every text HTML-escaped as html/template
// would.
func writeOptions(progs []application.Programme) template.HTML {
	var b strings.Builder
	for _, pr := range progs {
		b.WriteString(`<option value="`)
		b.WriteString(template.HTMLEscapeString(pr.Code))
		b.WriteString(`">`)
		b.WriteString(template.HTMLEscapeString(programmeLabel(pr)))
		b.WriteString("</option>")
	}
	return template.HTML(b.String())
}

// programmeLabel is how a programme is named beside its code: "Informatikë
// — Universiteti i Tiranës, Tiranë".
func programmeLabel(pr application.Programme) string {
	return pr.Name + " — " + registry.Place(pr.Institution, pr.City) // not "…Durrës, Durrës"
}
