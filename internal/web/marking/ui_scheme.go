package marking

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/marking"
	"provim/internal/web/webkit"
)

// kindOption is a kind of item as the form offers it.
type kindOption struct{ Value, Label string }

var itemKinds = []kindOption{
	{marking.KindChoice, "Me alternativa"},
	{marking.KindShort, "Me përgjigje të shkurtër"},
	{marking.KindExtended, "Me përgjigje të zgjeruar"},
}

// kindLabels names the kinds on the pages.
var kindLabels = map[string]string{marking.KindChoice: "me alternativa", marking.KindShort: "e shkurtër", marking.KindExtended: "e zgjeruar"}

// blankRows is how many empty rows the form offers under the items.
const blankRows = 5

type schemeView struct {
	T          marking.Test
	Title      string
	Rows       []marking.TestRow
	Kinds      []kindOption
	KindLabels map[string]string
	Manage     bool // an AVA account
	Edit       bool // may change the test now
	Settle     bool
	Reopen     bool
	Publish    bool
	GroupEdit  bool
	More       int // rows of the form with the next "more rows" link
	Public     string
}

func testPath(exam string) string { return "/vleresimi/" + url.PathEscape(exam) + "/testi" }

func (h *Handler) testPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderTest(w, r, p, nil, nil)
}

// renderTest is the page of an exam's test: what the caller may see of
// it and, for the test group, the form, the import and the steps. rows
// are the rows posted (shown back with actErr), nil for the test's own.
func (h *Handler) renderTest(w http.ResponseWriter, r *http.Request, p *auth.Principal, rows []marking.TestRow, actErr error) {
	if err := webkit.Allow(p, marking.MayOpenMarking(p)); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	t, err := h.marking.TestOf(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if actErr != nil && apperr.CodeOf(actErr) == apperr.Internal {
		h.kit.Fail(w, r, actErr)
		return
	}
	manage := marking.MayManage(p)
	v := schemeView{T: t, Title: t.Title, Kinds: itemKinds, KindLabels: kindLabels, Manage: manage,
		Edit:      manage && (t.InGroup || len(t.Group) == 0) && !t.Settled,
		Settle:    manage && t.InGroup && t.Defined && !t.Settled,
		Reopen:    manage && t.InGroup && t.Settled && !t.Published,
		Publish:   manage && t.Defined && t.Settled && t.Ended && !t.Published,
		GroupEdit: manage && t.InGroup,
	}
	if t.Published {
		v.Public = fmt.Sprintf("/skema/%d/%s", t.Year, url.PathEscape(t.Exam))
	}
	if v.Edit {
		if rows == nil {
			rows = marking.RowsOf(t.Items)
		} else {
			v.Title = r.PostFormValue("titulli")
		}
		extra := blankRows
		if n, err := webkit.Int(r.URL.Query().Get("rreshta"), "rreshta", 0); err == nil && n > len(rows) {
			extra = min(n-len(rows), marking.MaxItems-len(rows))
		}
		for range max(extra, 0) {
			rows = append(rows, marking.TestRow{})
		}
		v.Rows = rows
		v.More = min(len(rows)+10, marking.MaxItems)
	}
	title := "Testi — " + t.Exam
	status := 0
	if actErr != nil {
		status = webkit.StatusOf(actErr)
	}
	h.kit.Render(w, r, status, "marking_scheme_test", title, v, actErr)
}

// formRows reads the rows of the test's form, in order.
func formRows(r *http.Request) []marking.TestRow {
	f := r.PostForm
	col := func(name string, i int) string {
		if vs := f[name]; i < len(vs) {
			return vs[i]
		}
		return ""
	}
	n := max(len(f["emertimi"]), len(f["lloji"]), len(f["pike"]), len(f["alternativa"]), len(f["celesi"]), len(f["nivelet"]))
	n = min(n, marking.MaxItems+blankRows+10)
	rows := make([]marking.TestRow, n)
	for i := range rows {
		rows[i] = marking.TestRow{Label: col("emertimi", i), Kind: col("lloji", i), MaxPoints: col("pike", i),
			Options: col("alternativa", i), Key: col("celesi", i), Levels: col("nivelet", i)}
	}
	return rows
}

// saveTestForm saves the test as typed in the form; on an error the page
// comes back with what was typed and every error named.
func (h *Handler) saveTestForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	rows := formRows(r)
	t, err := h.marking.SaveTestForm(r.Context(), p, 0, r.PathValue("exam"), r.PostFormValue("titulli"), rows)
	if err != nil {
		h.renderTest(w, r, p, rows, err)
		return
	}
	webkit.RedirectOK(w, r, testPath(t.Exam), nil, fmt.Sprintf("Testi u ruajt: %s, %d pikë.", webkit.Plural(t.ItemCount, "kërkesë", "kërkesa"), t.MaxPoints))
}

// importTestFile saves the test read from an uploaded JSON, XLSX or CSV file.
func (h *Handler) importTestFile(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	f, hdr, err := r.FormFile("file")
	if err != nil {
		h.renderTest(w, r, p, nil, apperr.New(apperr.Invalid, "Zgjidhni skedarin e testit (JSON, XLSX ose CSV)."))
		return
	}
	defer f.Close()
	t, err := h.marking.ImportTest(r.Context(), p, 0, r.PathValue("exam"), hdr.Filename, f)
	if err != nil {
		h.renderTest(w, r, p, nil, err)
		return
	}
	webkit.RedirectOK(w, r, testPath(t.Exam), nil, fmt.Sprintf("Testi u importua nga «%s»: %s, %d pikë.", hdr.Filename, webkit.Plural(t.ItemCount, "kërkesë", "kërkesa"), t.MaxPoints))
}

func (h *Handler) settleTest(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.testStep(w, r, p, h.marking.SettleTest, "Testi u mbyll për ndryshime (Neni 19.6).")
}

func (h *Handler) reopenTest(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.testStep(w, r, p, h.marking.ReopenTest, "Testi u rihap për ndryshime.")
}

func (h *Handler) publishScheme(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.testStep(w, r, p, h.marking.PublishScheme, "Skema e vlerësimit u shpall: tani e lexon kushdo (Neni 57.5).")
}

func (h *Handler) addToGroup(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	user := r.PostFormValue("perdoruesi")
	h.testStep(w, r, p, func(ctx context.Context, by *auth.Principal, year int, exam string) error {
		return h.marking.AddToTestGroup(ctx, by, year, exam, user)
	}, fmt.Sprintf("«%s» është në grupin lëndor të testit (Neni 19.2).", user))
}

func (h *Handler) removeFromGroup(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	user := r.PostFormValue("perdoruesi")
	h.testStep(w, r, p, func(ctx context.Context, by *auth.Principal, year int, exam string) error {
		return h.marking.RemoveFromTestGroup(ctx, by, year, exam, user)
	}, fmt.Sprintf("«%s» u hoq nga grupi lëndor i testit.", user))
}

// testStep runs one step and comes back to the page.
func (h *Handler) testStep(w http.ResponseWriter, r *http.Request, p *auth.Principal, step func(ctx context.Context, by *auth.Principal, year int, exam string) error, done string) {
	if err := step(r.Context(), p, 0, r.PathValue("exam")); err != nil {
		h.renderTest(w, r, p, nil, err)
		return
	}
	webkit.RedirectOK(w, r, testPath(marking.NormExam(r.PathValue("exam"))), nil, done)
}

type publicSchemeView struct {
	T          marking.Test
	KindLabels map[string]string
}

// publicSchemePage is the published scheme, for anyone (Neni 57.5).
func (h *Handler) publicSchemePage(w http.ResponseWriter, r *http.Request) {
	t, err := h.publicScheme(r)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, 0, "marking_scheme_public", "Skema e vlerësimit — "+t.Exam+" "+fmt.Sprint(t.Year), publicSchemeView{T: t, KindLabels: kindLabels}, nil)
}
