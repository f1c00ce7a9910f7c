package draw

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/scope"
	"provim/internal/store"
)

const drawCols = `id, year, session, exam, unit_code, seq, reason, status, inputs, excluded, inputs_hash, seed, commitment,
	entropy, result, committed_by, committed_at, drawn_by, drawn_at, COALESCE(superseded_by, 0), version, roster_key`

func scanDraw(row store.Scanner) (Record, string, error) {
	var r Record
	var inputs, excluded, result, seed string
	err := row.Scan(&r.ID, &r.Year, &r.Session, &r.Exam, &r.Unit, &r.Seq, &r.Reason, &r.Status, &inputs, &excluded, &r.InputsHash, &seed,
		&r.Commitment, &r.Entropy, &result, &r.CommittedBy, &r.CommittedAt, &r.DrawnBy, &r.DrawnAt, &r.SupersededBy, &r.Version, &r.RosterKey)
	if err != nil {
		return r, "", err
	}
	if err := json.Unmarshal([]byte(inputs), &r.Inputs); err != nil {
		return r, "", fmt.Errorf("draw %d: inputs: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(excluded), &r.Inputs.Excluded); err != nil {
		return r, "", fmt.Errorf("draw %d: excluded: %w", r.ID, err)
	}
	if result != "" {
		var out Outcome
		if err := json.Unmarshal([]byte(result), &out); err != nil {
			return r, "", fmt.Errorf("draw %d: result: %w", r.ID, err)
		}
		r.VenueOrder, r.Result = out.VenueOrder, out.Assignments
	}
	if r.Status == StatusDrawn {
		r.Seed = seed // published after the draw
	}
	return r, seed, nil
}

func (s *Service) load(ctx context.Context, id int64) (Record, string, error) {
	r, seed, err := scanDraw(s.db.Q(ctx).QueryRowContext(ctx, `SELECT `+drawCols+` FROM draws WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Record{}, "", apperr.New(apperr.NotFound, "Shorti «%d» nuk u gjet.", id)
	}
	return r, seed, err
}

// Get returns a draw in the caller's scope (the seed only once drawn); to
// the staff of a venue, the draw of their venue as ForVenue reads it.
func (s *Service) Get(ctx context.Context, p *auth.Principal, id int64) (Record, error) {
	r, _, err := s.load(ctx, id)
	if err != nil {
		return Record{}, err
	}
	// The staff of a venue read a draw whose lists include their venue,
	// named only on their venue's lines (ForVenue); another draw does not
	// exist for them.
	if MayReadVenue(p) {
		if !covers(r, p.Venue) {
			return Record{}, apperr.New(apperr.NotFound, "Shorti «%d» nuk u gjet.", id)
		}
		if r, err = s.withPrintedNames(ctx, r, p.Venue); err != nil {
			return Record{}, err
		}
		return ForVenue(r, p.Venue), nil
	}
	if err := s.canRead(ctx, p, r.Unit); err != nil {
		return Record{}, notFoundIfHidden(err, id)
	}
	return s.withPrintedNames(ctx, r, "")
}

// Public returns the published record of a draw, for anyone: the inputs
// and commitment before the draw, and seed, entropy and result after it,
// with pseudonymous lists (Published): no names, fathers' names, schools,
// subjects or staff ids (Neni 63), never the people left out under Neni 9.
// Anyone can still check it with `provim draw verify`.
func (s *Service) Public(ctx context.Context, id int64) (Record, error) {
	r, _, err := s.load(ctx, id)
	if err != nil {
		return Record{}, err
	}
	return Published(r), nil
}

// Summary is one line of the list of draws.
type Summary struct {
	ID           int64  `json:"id"`
	Year         int    `json:"year"`
	Session      int    `json:"session"`
	Exam         string `json:"exam"`
	Unit         string `json:"unit"`
	Seq          int    `json:"seq"`
	Reason       string `json:"reason,omitempty"`
	Status       string `json:"status"`
	Commitment   string `json:"commitment"`
	CommittedAt  string `json:"committed_at"`
	DrawnAt      string `json:"drawn_at,omitempty"`
	SupersededBy int64  `json:"superseded_by,omitempty"`
}

// List returns the draws of the active year in the caller's scope, newest
// first.
func (s *Service) List(ctx context.Context, p *auth.Principal) ([]Summary, error) {
	if err := auth.Require(p, auth.RoleAVA, auth.RoleKMSH); err != nil {
		return nil, err
	}
	y, err := s.config(ctx)
	if err != nil {
		return nil, err
	}
	var q store.Query
	q.Add("year = ?", y.Year)
	if err := scope.Limit(p, &q, scope.Columns{Unit: "unit_code"}); err != nil {
		return nil, err
	}
	out, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (Summary, error) {
		var d Summary
		err := r.Scan(&d.ID, &d.Year, &d.Session, &d.Exam, &d.Unit, &d.Seq, &d.Reason, &d.Status, &d.Commitment, &d.CommittedAt, &d.DrawnAt, &d.SupersededBy)
		return d, err
	}, `SELECT id, year, session, exam, unit_code, seq, reason, status, commitment, committed_at, drawn_at,
		COALESCE(superseded_by, 0) FROM draws`+q.Where()+` ORDER BY id DESC`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("draw: list: %w", err)
	}
	if out == nil {
		out = []Summary{}
	}
	return out, nil
}

// withPrintedNames gives rec the printed name of each named entry (of
// those placed at venue, when venue is not "": a venue reads only its own
// lines) from
// the registry's parts of the person's name, "Emër (Atësi) Mbiemër", where
// those parts still make the name the record sealed: a surname of two
// words prints whole. A name corrected in the registry since the lists
// were sealed keeps the sealed one (parsed, displayName): the record
// prints the person it drew.
func (s *Service) withPrintedNames(ctx context.Context, rec Record, venue string) (Record, error) {
	var placed map[string]bool
	if venue != "" {
		placed = map[string]bool{}
		for _, a := range rec.Result {
			if a.Venue == venue {
				placed[a.Ref] = true
			}
		}
	}
	var ids []int64
	refs := map[int64][]string{}
	for _, p := range rec.Inputs.Pool {
		if p.ID != 0 && p.Name != "" && (placed == nil || placed[p.Ref]) {
			if len(refs[p.ID]) == 0 {
				ids = append(ids, p.ID)
			}
			refs[p.ID] = append(refs[p.ID], p.Ref)
		}
	}
	if len(ids) == 0 {
		return rec, nil
	}
	staff, err := s.reg.StaffByID(ctx, ids)
	if err != nil {
		return rec, fmt.Errorf("draw: printed names: %w", err)
	}
	sealed := map[string]string{}
	for _, p := range rec.Inputs.Pool {
		sealed[p.Ref] = p.Name
	}
	rec.printed = map[string]string{}
	for _, sf := range staff {
		for _, ref := range refs[sf.ID] {
			if staffName(sf.FirstName, sf.FatherName, sf.LastName) == sealed[ref] {
				rec.printed[ref] = registry.PersonName(sf.FirstName, sf.FatherName, sf.LastName)
			}
		}
	}
	return rec, nil
}
