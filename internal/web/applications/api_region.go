package applications

import (
	"fmt"
	"net/http"
	"strings"

	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/doc"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

// ---- the region and AVA ----

func (h *Handler) apiSendUnitLists(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in lateBody
	if err := webkit.DecodeOptional(r, &in); err != nil {
		return err
	}
	n, err := h.apps.SendUnitToAVA(r.Context(), p, r.PathValue("code"), in.LateReason)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]int{"forms": n})
	return nil
}

func (h *Handler) apiSendUnitFailing(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in lateBody
	if err := webkit.DecodeOptional(r, &in); err != nil {
		return err
	}
	n, err := h.apps.SendFailingToAVA(r.Context(), p, r.PathValue("code"), in.LateReason)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]int{"failing": n})
	return nil
}

func (h *Handler) apiAssignRegistrationNumbers(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in lateBody
	if err := webkit.DecodeOptional(r, &in); err != nil {
		return err
	}
	n, err := h.apps.AssignRegistrationNumbers(r.Context(), p, in.LateReason)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]int{"assigned": n})
	return nil
}

func (h *Handler) apiBuildFinalLists(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in lateBody
	if err := webkit.DecodeOptional(r, &in); err != nil {
		return err
	}
	sum, err := h.apps.BuildFinalLists(r.Context(), p, in.LateReason)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, sum)
	return nil
}

func (h *Handler) apiFinalList(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	exam := strings.ToUpper(strings.TrimSpace(r.PathValue("exam")))
	q := r.URL.Query()
	school := q.Get("school")
	// One page (with ?cursor=, ?limit=, ?offset= or ?q=, issue 11) or
	// the whole list; total counts every entry that matches. A page is
	// found by its cursor (keyset: the last page costs what the first
	// does); ?offset= of older clients still skips entries.
	var list []application.ListEntry
	var pg *application.FinalPage
	var total int
	var err error
	if q.Get("cursor") != "" || q.Get("limit") != "" || q.Get("offset") != "" || q.Get("q") != "" {
		offset, limit, perr := webkit.Page(r)
		if perr != nil {
			return perr
		}
		var page application.FinalPage
		page, err = h.apps.FinalListKeyset(r.Context(), p, application.FinalFilter{Exam: exam, School: school, Q: q.Get("q"),
			Cursor: q.Get("cursor"), Page: registry.Page{Offset: offset, Limit: limit}})
		list, total, pg = page.Items, page.Total, &page
	} else {
		list, err = h.apps.FinalList(r.Context(), p, exam, school)
		total = len(list)
	}
	if err != nil {
		return err
	}
	y, err := h.years.Active(r.Context())
	if err != nil {
		return err
	}
	subject, ok := y.Config.ExamName(exam)
	if !ok {
		return apperr.New(apperr.NotFound, "Provimi «%s» nuk është provim i Maturës %d.", exam, y.Year)
	}
	list = webkit.NonNil(list)
	name := fmt.Sprintf("lista-%s-%d", exam, y.Year)
	if school != "" {
		name += "-" + school
	}
	body := map[string]any{"year": y.Year, "exam": exam, "subject": subject, "total": total, "items": list}
	if pg != nil {
		body["offset"] = pg.Offset
		body["next_cursor"] = pg.Next
		body["prev_cursor"] = pg.Prev
	}
	return webkit.Respond(w, r, body,
		func() doc.Table {
			scope := h.kit.ScopeOf(r.Context(), p)
			if school != "" {
				scope = school
			}
			return application.FinalListDocument(y, exam, subject, scope, list, h.clock.Now())
		}, name)
}
