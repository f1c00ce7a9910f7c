package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/custody"
	"provim/internal/pdf"
	"provim/internal/registry"
)

func init() {
	funcs["custodyWhen"] = custody.When
	funcs["custodyJoin"] = func(list []string) string { return strings.Join(list, ", ") }
	funcs["custodyLines"] = func(list []string) string { return strings.Join(list, "\n") }
	funcs["custodyChecks"] = func(st *custody.Step, kind string) bool { return st != nil && st.ChecksKind(kind) }
	funcs["custodyCanRecord"] = func(p *auth.Principal, st *custody.Step) bool {
		return p != nil && st != nil && st.RecorderAllowed(p.Role)
	}
	funcs["custodyCanConfirm"] = func(p *auth.Principal, h *custody.Handover) bool {
		if p == nil || h == nil || h.RecordedBy == p.Username {
			return false
		}
		st, ok := custody.StepByNo(h.Step)
		return ok && st.ConfirmerAllowed(p.Role)
	}
	funcs["custodyStep"] = func(n int) *custody.Step {
		st, ok := custody.StepByNo(n)
		if !ok {
			return nil
		}
		return &st
	}
}

// custodyRoutes are the pages of package custody: the live board of the
// exam materials, each venue's packages and hand-overs, and the
// procesverbal of every hand-over.
func (s *Server) custodyRoutes(mux *http.ServeMux) {
	svc := s.custodyService()
	mux.HandleFunc("GET /materialet", s.page(func(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
		s.custodyBoard(w, r, p, svc, nil)
	}))
	mux.HandleFunc("POST /materialet", s.page(func(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
		session, err := custodySession(r.FormValue("sesioni"))
		if err == nil {
			var res custody.CreateResult
			res, err = svc.Create(r.Context(), p, custody.CreateInput{Exam: strings.TrimSpace(r.FormValue("provimi")), Session: session})
			if err == nil {
				msg := fmt.Sprintf("U përgatitën materialet për %d qendra (%d paketa); %d i kishin tashmë.", res.Created, res.Packages, res.Existing)
				if !res.FromPlan {
					msg += " Plani i provimit mungon: sasitë janë sipas vendeve të sallave."
				}
				http.Redirect(w, r, "/materialet?"+url.Values{"provimi": {r.FormValue("provimi")}, "ok": {msg}}.Encode(), http.StatusSeeOther)
				return
			}
		}
		s.custodyBoard(w, r, p, svc, err)
	}))
	mux.HandleFunc("GET /materialet/{venue}/{exam}", s.page(func(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
		s.custodyConsignment(w, r, p, svc, nil)
	}))
	mux.HandleFunc("POST /materialet/{venue}/{exam}/dorezo", s.page(func(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
		session, err := custodySession(r.FormValue("sesioni"))
		if err == nil {
			c, gerr := svc.Get(r.Context(), p, r.PathValue("venue"), r.PathValue("exam"), session)
			if gerr != nil {
				s.fail(w, r, gerr)
				return
			}
			in := custody.RecordInput{Venue: c.VenueCode, Exam: c.Exam, Session: c.Session, Step: atoi(r.FormValue("hapi")),
				Givers: []string{r.FormValue("dorezuesit")}, Receivers: []string{r.FormValue("marresit")},
				Note: r.FormValue("shenime"), Seals: custodySealsForm(r, c)}
			if _, err = svc.Record(r.Context(), p, in); err == nil {
				s.custodyBack(w, r, c, "Dorëzimi u regjistrua. Materialet kalojnë te marrësi kur ai e konfirmon.")
				return
			}
		}
		s.custodyConsignment(w, r, p, svc, err)
	}))
	mux.HandleFunc("POST /materialet/dorezimet/{id}/konfirmo", s.page(func(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
		id, err := positiveID(r, "Procesverbali")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		_, c, err := svc.Handover(r.Context(), p, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if _, err = svc.Confirm(r.Context(), p, id, custody.ConfirmInput{Seals: custodySealsForm(r, c)}); err == nil {
			s.custodyBack(w, r, c, "Marrja në dorëzim u konfirmua.")
			return
		}
		r.SetPathValue("venue", c.VenueCode)
		r.SetPathValue("exam", c.Exam)
		r.Form.Set("sesioni", fmt.Sprint(c.Session))
		s.custodyConsignment(w, r, p, svc, err)
	}))
	mux.HandleFunc("GET /materialet/dorezimet/{id}/procesverbal.pdf", s.page(func(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
		id, err := positiveID(r, "Procesverbali")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		h, c, err := svc.Handover(r.Context(), p, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var buf bytes.Buffer
		if err := pdf.WriteTable(&buf, custody.Document(h, c, svc.Now())); err != nil {
			s.fail(w, r, err)
			return
		}
		sendDocument(w, mediaPDF, fmt.Sprintf("procesverbal-%d-%s-%s-hapi-%d.pdf", h.ID, fileName(h.VenueCode), fileName(h.Exam), h.Step), buf.Bytes())
	}))
}

// custodySealsForm reads the seal numbers typed for each package (vula_KODI).
func custodySealsForm(r *http.Request, c custody.Consignment) map[string][]string {
	out := map[string][]string{}
	for _, pk := range c.Packages {
		if v, ok := r.Form["vula_"+pk.Code]; ok {
			out[pk.Code] = v
		}
	}
	return out
}

func (s *Server) custodyBack(w http.ResponseWriter, r *http.Request, c custody.Consignment, msg string) {
	u := "/materialet/" + url.PathEscape(c.VenueCode) + "/" + url.PathEscape(c.Exam) + "?" +
		url.Values{"sesioni": {fmt.Sprint(c.Session)}, "ok": {msg}}.Encode()
	http.Redirect(w, r, u, http.StatusSeeOther)
}

type custodyBoardView struct {
	Rows            []custody.Consignment
	Units           []registry.Unit
	Unit, Exam      string
	Session         int
	Now             string
	Late, Missing   int
	AtAVA, Returned int
	CanCreate       bool
}

func (s *Server) custodyBoard(w http.ResponseWriter, r *http.Request, p *auth.Principal, svc *custody.Service, actErr error) {
	v := custodyBoardView{Unit: strings.TrimSpace(r.FormValue("njesia")), Exam: strings.TrimSpace(r.FormValue("provimi")),
		CanCreate: p.Role == auth.RoleAVA, Now: svc.Now().Format("02.01.2006 15:04")}
	if raw := r.FormValue("sesioni"); raw != "" {
		n, err := custodySession(raw)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v.Session = n
	}
	rows, err := svc.Board(r.Context(), p, custody.Filter{Unit: v.Unit, Exam: v.Exam, Session: v.Session})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Rows = rows
	for _, c := range rows {
		if c.Late {
			v.Late++
		}
		if c.Missing {
			v.Missing++
		}
		switch c.Stage {
		case 0:
			v.AtAVA++
		case len(custody.Steps):
			v.Returned++
		}
	}
	if p.Role == auth.RoleAVA || p.Role == auth.RoleKMSH {
		v.Units, _ = s.registry.ListUnits(r.Context(), p)
	}
	s.render(w, r, 0, "custody_board", "Materialet e provimit", v, actErr)
}

type custodyView struct {
	C       custody.Consignment
	Steps   []custody.Step
	Form    url.Values
	Pending *custody.Handover
}

func (s *Server) custodyConsignment(w http.ResponseWriter, r *http.Request, p *auth.Principal, svc *custody.Service, actErr error) {
	session, err := custodySession(r.FormValue("sesioni"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := svc.Get(r.Context(), p, r.PathValue("venue"), r.PathValue("exam"), session)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := custodyView{C: c, Steps: custody.Steps, Form: r.Form, Pending: c.Pending}
	if actErr != nil && apperr.CodeOf(actErr) == apperr.Internal {
		s.fail(w, r, actErr)
		return
	}
	s.render(w, r, 0, "custody_consignment", "Materialet — "+c.VenueName+" — "+c.Exam, v, actErr)
}
