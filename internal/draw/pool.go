package draw

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/registry"
	"provim/internal/store"
)

func sha256hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Pool returns the lists per role of unit for the active year (Neni 47.3):
// role order PAP, KMSH, AS, AP, each in Albanian alphabetical order.
func (s *Service) Pool(ctx context.Context, p *auth.Principal, unit string) ([]PoolEntry, error) {
	if err := s.canRead(ctx, p, unit); err != nil {
		return nil, err
	}
	y, err := s.config(ctx)
	if err != nil {
		return nil, err
	}
	return s.loadPool(ctx, y.Year, unit)
}

// AddToPool puts a member of staff of the unit on a role's list. A person
// already on a list of another region is refused (one region, one role).
func (s *Service) AddToPool(ctx context.Context, p *auth.Principal, unit string, staffID int64, role string) error {
	if !validRole(role) {
		return apperr.New(apperr.Invalid, "Roli «%s» nuk njihet: PAP, KMSH, AS ose AP.", role)
	}
	if err := s.canWrite(ctx, p, unit); err != nil {
		return err
	}
	y, err := s.config(ctx)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		ok, err := s.staffInRegion(ctx, staffID, unit)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.New(apperr.NotFound, "Punonjësi «%d» nuk u gjet në %s.", staffID, unit)
		}
		return s.addOne(ctx, p, y.Year, unit, staffID, role)
	})
}

// staffInRegion reports whether the member of staff id exists and works in
// region or a ZA under it.
func (s *Service) staffInRegion(ctx context.Context, id int64, region string) (bool, error) {
	staff, err := s.reg.StaffByID(ctx, []int64{id})
	if err != nil || len(staff) == 0 {
		return false, err
	}
	return s.inRegion(ctx, staff[0].UnitCode, region)
}

// addOne puts one person on a role's list, inside the transaction ctx
// carries.
func (s *Service) addOne(ctx context.Context, p *auth.Principal, year int, unit string, staffID int64, role string) error {
	tx := s.db.Q(ctx)
	var otherUnit, otherRole string
	err := tx.QueryRowContext(ctx, `SELECT unit_code, role FROM draw_pool WHERE year = $1 AND staff_id = $2`, year, staffID).Scan(&otherUnit, &otherRole)
	switch {
	case err == nil && otherUnit != unit:
		return apperr.New(apperr.Conflict, "Punonjësi «%d» është në listën e %s: një person nuk mund të jetë në dy rajone.", staffID, otherUnit)
	case err == nil:
		return apperr.New(apperr.Conflict, "Punonjësi «%d» është tashmë në listën %s të %s.", staffID, otherRole, unit)
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO draw_pool (year, staff_id, unit_code, role, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		year, staffID, unit, role, p.Username, clock.Stored(s.db.Now(ctx))); err != nil {
		return fmt.Errorf("draw: pool: %w", err)
	}
	return audit.Add(ctx, p.Actor(), "draw.pool.add", "draw_pool", strconv.FormatInt(staffID, 10), nil,
		map[string]any{"year": year, "unit": unit, "role": role})
}

// poolAdd is one person put on a role's list.
type poolAdd struct {
	staffID int64
	role    string
}

// addMany puts many people on the lists of unit, as addOne would one by
// one — the same rows and audit entries, in order — with one bulk write
// each (COPY on PostgreSQL). The people must be on no list of the year
// (FillPool picks only such people; the table's key refuses a second).
func (s *Service) addMany(ctx context.Context, p *auth.Principal, year int, unit string, adds []poolAdd) error {
	if len(adds) == 0 {
		return nil
	}
	at := clock.Stored(s.db.Now(ctx))
	rows := make([][]any, len(adds))
	entries := make([]audit.Item, len(adds))
	for i, a := range adds {
		rows[i] = []any{year, a.staffID, unit, a.role, p.Username, at}
		entries[i] = audit.Item{Action: "draw.pool.add", ObjectType: "draw_pool", ObjectID: strconv.FormatInt(a.staffID, 10),
			After: map[string]any{"year": year, "unit": unit, "role": a.role}}
	}
	if err := store.Insert(ctx, "draw_pool", []string{"year", "staff_id", "unit_code", "role", "added_by", "added_at"}, rows); err != nil {
		return fmt.Errorf("draw: pool: %w", err)
	}
	return audit.AddMany(ctx, p.Actor(), entries)
}

// RemoveFromPool takes a person off the lists of unit.
func (s *Service) RemoveFromPool(ctx context.Context, p *auth.Principal, unit string, staffID int64) error {
	if err := s.canWrite(ctx, p, unit); err != nil {
		return err
	}
	y, err := s.config(ctx)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Q(ctx)
		var role string
		err := tx.QueryRowContext(ctx, `SELECT role FROM draw_pool WHERE year = $1 AND unit_code = $2 AND staff_id = $3`, y.Year, unit, staffID).Scan(&role)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "Punonjësi «%d» nuk është në listat e %s.", staffID, unit)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM draw_pool WHERE year = $1 AND staff_id = $2`, y.Year, staffID); err != nil {
			return err
		}
		return audit.Add(ctx, p.Actor(), "draw.pool.remove", "draw_pool", strconv.FormatInt(staffID, 10),
			map[string]any{"year": y.Year, "unit": unit, "role": role}, nil)
	})
}

// FillPool proposes the lists of unit from its staff not yet on any list,
// sized on the needs of an exam: KMSH representatives from the office
// specialists and lecturers first, PAP from school directors and deputies
// first, AS from the teachers — first each role's bare need, then a margin
// of a quarter (plus one) while enough people remain for the AP list with
// its margin; everyone left over goes to the AP list. It does not look at
// conflicts (the draw does). KMSH reviews and edits
// the proposal. It returns how many people were added.
func (s *Service) FillPool(ctx context.Context, p *auth.Principal, session int, exam, unit string) (int, error) {
	if err := s.canWrite(ctx, p, unit); err != nil {
		return 0, err
	}
	y, err := s.config(ctx)
	if err != nil {
		return 0, err
	}
	if _, err := examKind(y.Config, exam); err != nil {
		return 0, err
	}
	added := 0
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		in, err := s.buildInputs(ctx, y.Config, y.Year, session, exam, unit, "")
		if err != nil {
			return err
		}
		need := Totals(in.Venues)
		have := map[string]int{}
		for _, e := range in.Pool {
			have[e.Role]++
		}
		type cand struct {
			id       int64
			position string
			sortKey  []byte
		}
		// The staff of the unit (and its ZA) on no list of the year.
		listed, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (int64, error) {
			var id int64
			return id, r.Scan(&id)
		}, `SELECT staff_id FROM draw_pool WHERE year = $1`, y.Year)
		if err != nil {
			return err
		}
		taken := make(map[int64]bool, len(listed))
		for _, id := range listed {
			taken[id] = true
		}
		staff, err := s.reg.RegionStaff(ctx, unit)
		if err != nil {
			return err
		}
		var all []cand
		for _, sf := range staff {
			if !taken[sf.ID] {
				all = append(all, cand{id: sf.ID, position: sf.Position, sortKey: sf.SortKey})
			}
		}
		sort.Slice(all, func(i, j int) bool {
			if c := strings.Compare(string(all[i].sortKey), string(all[j].sortKey)); c != 0 {
				return c < 0
			}
			return all[i].id < all[j].id
		})
		picked := make([]bool, len(all))
		var adds []poolAdd // written together at the end (addMany)
		// pick adds people to role's list up to target: the preferred
		// positions first, then teachers.
		free := len(all)
		pick := func(role string, prefer []string, target, reserve int) error {
			want := target - have[role]
			for pass := 0; pass < 2 && want > 0; pass++ {
				for i, c := range all {
					if want <= 0 || free <= reserve {
						break
					}
					if picked[i] || (pass == 0 && !slices.Contains(prefer, c.position)) ||
						(pass == 1 && slices.Contains([]string{"drejtor", "nendrejtor", "specialist", "pedagog"}, c.position)) {
						continue
					}
					adds = append(adds, poolAdd{c.id, role})
					picked[i] = true
					have[role]++
					added++
					want--
					free--
				}
			}
			return nil
		}
		prefer := map[string][]string{RoleKMSH: {"specialist", "pedagog"}, RolePAP: {"drejtor", "nendrejtor"}, RoleAS: {"mesues"}}
		// First every role's bare need, then the margins, keeping enough
		// people (with its margin) for the AP list.
		for _, margin := range []bool{false, true} {
			for _, role := range []string{RoleKMSH, RolePAP, RoleAS} {
				target, reserve := need[role], 0
				if margin {
					target += need[role]/4 + 1
					reserve = need[RoleAP] + need[RoleAP]/4 + 1
				}
				if err := pick(role, prefer[role], target, reserve); err != nil {
					return err
				}
			}
		}
		for i, c := range all {
			if picked[i] {
				continue
			}
			adds = append(adds, poolAdd{c.id, RoleAP})
			picked[i] = true
			added++
		}
		return s.addMany(ctx, p, y.Year, unit, adds)
	})
	return added, err
}

// Declaration is a Neni 9 declaration: a member of staff has a relative
// sitting the Matura. Both are named as people are printed, "Emër (Atësi)
// Mbiemër" (registry.PersonName).
type Declaration struct {
	ID         int64  `json:"id"`
	StaffID    int64  `json:"staff_id"`
	StaffName  string `json:"staff_name"`
	StudentID  int64  `json:"student_id"`
	Student    string `json:"student"`
	School     string `json:"school"`
	Relation   string `json:"relation"`
	RecordedBy string `json:"recorded_by"`
	RecordedAt string `json:"recorded_at"`
}

// Declare records, for the active year, that a member of staff of the
// caller's DAR/ZA declared a child or grandchild sitting the Matura
// (Neni 9 ¶2). They are left out of every draw of the relative's unit.
func (s *Service) Declare(ctx context.Context, p *auth.Principal, staffID, studentID int64, relation string) (Declaration, error) {
	if err := auth.Require(p, auth.RoleKMSH); err != nil {
		return Declaration{}, err
	}
	y, err := s.config(ctx)
	if err != nil {
		return Declaration{}, err
	}
	d := Declaration{StaffID: staffID, StudentID: studentID, Relation: strings.TrimSpace(relation), RecordedBy: p.Username}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Q(ctx)
		d.RecordedAt = clock.Stored(s.db.Now(ctx))
		staff, err := s.reg.StaffByID(ctx, []int64{staffID})
		if err != nil {
			return err
		}
		ok := len(staff) == 1
		if ok {
			if ok, err = s.inRegion(ctx, staff[0].UnitCode, p.Unit); err != nil {
				return err
			}
		}
		if !ok {
			return apperr.New(apperr.NotFound, "Punonjësi «%d» nuk u gjet.", staffID)
		}
		d.StaffName = registry.PersonName(staff[0].FirstName, staff[0].FatherName, staff[0].LastName)
		// Only a relative sitting the Matura in the commission's own unit
		// matters (Neni 9 ¶2), and only such a student is shown to it.
		st, ok, err := s.reg.StudentInScope(ctx, p, studentID)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.New(apperr.NotFound, "Nxënësi «%d» nuk u gjet në DAR/ZA-në tuaj: deklarohen vetëm të afërmit që japin Maturën në njësinë ku shërben punonjësi (Neni 9).", studentID)
		}
		d.Student, d.School = registry.PersonName(st.FirstName, st.FatherName, st.LastName), st.SchoolCode
		if err := tx.QueryRowContext(ctx, `INSERT INTO staff_declarations (year, staff_id, student_id, relation, recorded_by, recorded_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, y.Year, staffID, studentID, d.Relation, d.RecordedBy, d.RecordedAt).Scan(&d.ID); err != nil {
			if store.IsUniqueViolation(err) {
				return apperr.New(apperr.Conflict, "Kjo deklaratë është regjistruar tashmë.")
			}
			return err
		}
		return audit.Add(ctx, p.Actor(), "draw.declaration", "staff_declaration", strconv.FormatInt(d.ID, 10), nil,
			map[string]any{"year": y.Year, "staff_id": staffID, "student_id": studentID, "relation": d.Relation})
	})
	return d, err
}
