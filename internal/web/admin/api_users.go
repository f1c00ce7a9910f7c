package admin

import (
	"net/http"
	"time"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/web/webkit"
)

// apiUsers lists one page of the accounts with the total: ?q= (name or
// username, ignoring case and ë/ç), ?role=, ?status= (aktiv, joaktiv,
// pa-aktivizuar), ?offset=, ?limit= (1–1000, 100 when absent).
func (h *Handler) apiUsers(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	offset, limit, err := webkit.Page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := auth.UserFilter{Q: q.Get("q"), Role: auth.Role(q.Get("role")), Status: q.Get("status"), Offset: offset, Limit: limit}
	users, total, err := h.auth.SearchUsers(r.Context(), p, f)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"items": webkit.NonNil(users), "total": total, "offset": max(offset, 0)})
	return nil
}

func (h *Handler) apiSetDisabledMany(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, p.IsNational()); err != nil {
		return err
	}
	var in struct {
		Usernames []string `json:"usernames"`
		Disabled  bool     `json:"disabled"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	n, err := h.auth.SetDisabledMany(r.Context(), p, in.Usernames, in.Disabled)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]int{"changed": n})
	return nil
}

// sendLettersAPI answers with the letters as JSON (the codes in clear,
// once) or, with ?format=pdf, as the PDF to print.
func (h *Handler) sendLettersAPI(w http.ResponseWriter, r *http.Request, v any, letters []auth.Letter, what string) error {
	switch r.URL.Query().Get("format") {
	case "", "json":
		h.accounts.NameLetters(r.Context(), letters)
		w.Header().Set("Cache-Control", "no-store")
		webkit.WriteJSON(w, http.StatusOK, v)
		return nil
	case "pdf":
		h.sendLetters(w, r, letters, what)
		return nil
	}
	return apperr.New(apperr.Invalid, "Formati «%s» nuk njihet: json ose pdf.", r.URL.Query().Get("format"))
}

func (h *Handler) apiResetByLetter(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, p.IsNational()); err != nil {
		return err
	}
	var in struct {
		Usernames []string `json:"usernames"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	if len(in.Usernames) == 0 {
		return apperr.New(apperr.Invalid, "Zgjidhni të paktën një përdorues.")
	}
	letters, err := h.auth.ResetByLetter(r.Context(), p, in.Usernames)
	if err != nil {
		return err
	}
	return h.sendLettersAPI(w, r, map[string]any{"letters": webkit.NonNil(letters)}, letters, "rivendosje")
}

func (h *Handler) apiSchoolAccounts(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	res, err := h.accounts.ForSchool(r.Context(), p, r.PathValue("code"))
	if err != nil {
		return err
	}
	res.Letters = webkit.NonNil(res.Letters)
	return h.sendLettersAPI(w, r, res, res.Letters, r.PathValue("code"))
}

func (h *Handler) apiVenueAccounts(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	res, err := h.accounts.ForVenue(r.Context(), p, r.PathValue("code"))
	if err != nil {
		return err
	}
	res.Letters = webkit.NonNil(res.Letters)
	return h.sendLettersAPI(w, r, res, res.Letters, r.PathValue("code"))
}

// apiActivate sets an account's first password with its activation code;
// public, throttled as logins are.
func (h *Handler) apiActivate(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Username string `json:"username"`
		Code     string `json:"activation_code"`
		Password string `json:"password"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	if _, err := h.auth.Activate(r.Context(), in.Username, in.Code, in.Password, webkit.ClientAddr(r)); err != nil {
		return err
	}
	webkit.NoContent(w)
	return nil
}

func (h *Handler) apiCreateUser(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	// The role first: a body from a caller who may not create users is not
	// read. (nil would mean the operator: the API always acts as its caller.)
	if err := webkit.Allow(p, p.IsNational()); err != nil {
		return err
	}
	var n auth.NewUser
	if err := webkit.Decode(r, &n); err != nil {
		return err
	}
	n, err := h.accounts.CheckSubject(r.Context(), n)
	if err != nil {
		return err
	}
	u, err := h.auth.CreateUser(r.Context(), p, n)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusCreated, u)
	return nil
}

func (h *Handler) apiSetDisabled(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		Disabled bool `json:"disabled"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	if err := h.auth.SetDisabled(r.Context(), p, r.PathValue("username"), in.Disabled); err != nil {
		return err
	}
	webkit.NoContent(w)
	return nil
}

func (h *Handler) apiSetPassword(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		Old string `json:"old_password"`
		New string `json:"new_password"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	if err := h.auth.SetPassword(r.Context(), p, r.PathValue("username"), in.Old, in.New); err != nil {
		return err
	}
	webkit.NoContent(w)
	return nil
}

// auditLimit is the page of the audit API: ?limit= from 1 to 1000, 100
// when absent.
func auditLimit(r *http.Request) (int, error) {
	limit, err := webkit.Int(r.URL.Query().Get("limit"), "limit", 100)
	if err != nil {
		return 0, err
	}
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	return limit, nil
}

// apiAudit lists one page of the audit log, newest first, with the total:
// ?object_type=, ?object_id=, ?actor= (username), ?action=, ?from= and
// ?to= (RFC 3339 moments), ?offset=, ?limit= (1–1000, 100 when absent).
func (h *Handler) apiAudit(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, p.IsNational()); err != nil {
		return err
	}
	limit, err := auditLimit(r)
	if err != nil {
		return err
	}
	offset, err := webkit.Offset(r.URL.Query().Get("offset"), "offset")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := audit.Filter{Type: q.Get("object_type"), ID: q.Get("object_id"), Actor: q.Get("actor"), Action: q.Get("action"), Offset: offset, Limit: limit}
	for _, m := range []struct {
		name string
		t    *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if raw := q.Get(m.name); raw != "" {
			t, err := time.Parse(time.RFC3339, raw)
			if err != nil {
				return apperr.New(apperr.Invalid, "«%s» nuk është një moment RFC 3339 (p.sh. 2027-06-08T08:00:00+02:00) te «%s».", raw, m.name)
			}
			*m.t = t
		}
	}
	entries, total, err := audit.QueryPage(r.Context(), h.db.DB, f)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"items": webkit.NonNil(entries), "total": total, "offset": offset})
	return nil
}

func (h *Handler) apiAuditVerify(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, p.IsNational()); err != nil {
		return err
	}
	n, problem, err := audit.Verify(r.Context(), h.db.DB)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"verified": n, "intact": problem == nil, "problem": problem})
	return nil
}
