package results

// The layout around the candidate's prepared page, split once (issue 15
// item 4): on the night of the results the layout is the page's last
// template run, and html/template calls its escapers by reflection for
// each value. The kit renders the layout once per kind of viewer (the
// labels of role and scope, the menu) with marker values for the
// request's own parts (the user's name, the form token of "Dil", the
// content) and for every other field of the user; the text between them
// is kept, and a request writes it with its own values escaped as the
// layout escapes them. The split is checked when it is made: each marker
// must appear once, escaped exactly as htmlEscaper escapes it (the same
// context), and no other field may show; otherwise, and whenever the
// request has a confirmation to show, the page goes through kit.Render
// as every other page. TestPreparedLayout_* compare the bytes.

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"

	"provim/internal/auth"
	"provim/internal/web/webkit"
)

// The markers: unique, with every character html/template escapes in
// text and in a quoted attribute, so that the check sees the escaping.
const (
	pageTitle   = "Rezultatet e mia"
	markName    = "\x00provim-emri<&'\"+>"
	markCSRF    = "\x00provim-csrf<&'\"+>"
	markContent = "<!--provim-content-->"
)

var markContentHTML = template.HTML(markContent)

// htmlEscaper escapes as html/template escapes a value in text and in a
// quoted attribute (its htmlReplacementTable).
var htmlEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// layoutSplit is the layout of one kind of viewer cut at the markers:
// parts[0] name parts[1] csrf parts[2] content parts[3], in the order
// the markers appear (slots).
type layoutSplit struct {
	parts  []string
	slots  []int // 0 name, 1 csrf, 2 content
	ok     bool
	viewer viewer // whom it was split for
}

// splits are the layouts split so far, each with what it shows of its
// viewer besides the request's own parts.
type splits struct {
	mu   sync.RWMutex
	list []*layoutSplit
}

// viewer is what the layout shows of a principal besides the request's
// own parts: the labels of the role and the scope, and the menu.
type viewer struct {
	role, scope string
	links       []webkit.Link
}

func viewerOf(ctx context.Context, k *webkit.Kit, p *auth.Principal) viewer {
	return viewer{p.Role.Label(), k.ScopeOf(ctx, p), k.Nav(p)}
}

func (v viewer) same(o viewer) bool {
	return v.role == o.role && v.scope == o.scope && slices.Equal(v.links, o.links)
}

// split returns the layout of the viewer of sess (made on first use).
func (h *Handler) split(ctx context.Context, sess *auth.Session, p *auth.Principal) *layoutSplit {
	v := viewerOf(ctx, h.kit, p)
	find := func() *layoutSplit {
		for _, s := range h.splits.list {
			if s.viewer.same(v) {
				return s
			}
		}
		return nil
	}
	h.splits.mu.RLock()
	s := find()
	h.splits.mu.RUnlock()
	if s != nil {
		return s
	}
	h.splits.mu.Lock()
	defer h.splits.mu.Unlock()
	if s := find(); s != nil {
		return s
	}
	s = h.makeSplit(ctx, sess, v)
	s.viewer = v
	if len(h.splits.list) < 16 { // a few kinds of candidate at most
		h.splits.list = append(h.splits.list, s)
	}
	return s
}

// makeSplit renders the layout through the kit for a user of sess's role
// whose every other field is a marker, and cuts it. A viewer whose role
// label, scope or menu would change with those fields is not split, nor a
// layout that shows any of them (besides the name): nothing of the first
// viewer is ever kept for the next.
func (h *Handler) makeSplit(ctx context.Context, sess *auth.Session, v viewer) *layoutSplit {
	const other, otherID = "\x00provim-other", 987654321
	u := auth.User{ID: otherID, Username: other, FullName: markName, Role: sess.User.Role, Unit: other, School: other, Venue: other,
		Subject: other, StudentID: otherID, StaffID: otherID, CreatedAt: other}
	if !viewerOf(ctx, h.kit, u.Principal()).same(v) {
		return &layoutSplit{}
	}
	r := httptest.NewRequest(http.MethodGet, "/rezultatet", nil)
	r = webkit.WithSession(r, &auth.Session{CSRF: markCSRF, User: &u})
	w := httptest.NewRecorder()
	h.kit.Render(w, r, 0, pagePrepared, pageTitle, markContentHTML, nil)
	if w.Code != http.StatusOK {
		return &layoutSplit{}
	}
	out := w.Body.String()
	if strings.Count(out, "provim-") != 3 || strings.Contains(out, fmt.Sprint(otherID)) {
		return &layoutSplit{}
	}
	marks := []string{htmlEscaper.Replace(markName), htmlEscaper.Replace(markCSRF), markContent}
	type at struct{ pos, slot int }
	var found []at
	for i, m := range marks {
		if strings.Count(out, m) != 1 {
			return &layoutSplit{}
		}
		found = append(found, at{strings.Index(out, m), i})
	}
	for i := 1; i < len(found); i++ { // three: sort by position
		for j := i; j > 0 && found[j].pos < found[j-1].pos; j-- {
			found[j], found[j-1] = found[j-1], found[j]
		}
	}
	s := &layoutSplit{ok: true}
	last := 0
	for _, f := range found {
		s.parts = append(s.parts, out[last:f.pos])
		s.slots = append(s.slots, f.slot)
		last = f.pos + len(marks[f.slot])
	}
	s.parts = append(s.parts, out[last:])
	return s
}

// writePrepared writes the candidate's page with its prepared content,
// or reports false when the kit must render it (a confirmation to show,
// a layout that did not split).
func (h *Handler) writePrepared(w http.ResponseWriter, r *http.Request, p *auth.Principal, content []byte) bool {
	sess := webkit.Session(r)
	if sess == nil || sess.Flash != "" || webkit.HasFlash(r) {
		return false
	}
	s := h.split(r.Context(), sess, p)
	if !s.ok {
		return false
	}
	vals := [3]string{htmlEscaper.Replace(p.FullName), htmlEscaper.Replace(sess.CSRF), ""}
	n := len(content)
	for _, part := range s.parts {
		n += len(part)
	}
	for _, v := range vals {
		n += len(v)
	}
	buf := make([]byte, 0, n)
	for i, part := range s.parts {
		buf = append(buf, part...)
		if i < len(s.slots) {
			if s.slots[i] == 2 {
				buf = append(buf, content...)
			} else {
				buf = append(buf, vals[s.slots[i]]...)
			}
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(buf)))
	w.WriteHeader(http.StatusOK)
	w.Write(buf) // the status is sent: a write error cannot be answered
	return true
}
