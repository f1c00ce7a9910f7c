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
	if err := s.canRead(ctx, s.db, p, unit); err != nil {
		return nil, err
	}
	y, err := s.config(ctx)
	if err != nil {
		return nil, err
	}
	return loadPool(ctx, s.db, y.Year, unit)
}

// AddToPool puts a member of staff of the unit on a role's list. A person
// already on a list of another region is refused (one region, one role).
func (s *Service) AddToPool(ctx context.Context, p *auth.Principal, unit string, staffID int64, role string) error {
	if !validRole(role) {
		return apperr.New(apperr.Invalid, "Roli «%s» nuk njihet: PAP, KMSH, AS ose AP.", role)
	}
	if err := s.canWrite(ctx, s.db, p, unit); err != nil {
		return err
	}
	y, err := s.config(ctx)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx, chain *audit.Chain) error {
		var staffUnit, parent string
		err := tx.QueryRowContext(ctx, `SELECT sf.unit_code, COALESCE(u.parent_code, '') FROM staff sf JOIN units u ON u.code = sf.unit_code WHERE sf.id = $1`, staffID).Scan(&staffUnit, &parent)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && staffUnit != unit && parent != unit) {
			return apperr.New(apperr.NotFound, "Punonjësi «%d» nuk u gjet në %s.", staffID, unit)
		}
		if err != nil {
			return err
		}
		return addOne(ctx, tx, chain, p, y.Year, unit, staffID, role, s.stamp())
	})
}

func addOne(ctx context.Context, tx *sql.Tx, chain *audit.Chain, p *auth.Principal, year int, unit string, staffID int64, role, at string) error {
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
		year, staffID, unit, role, p.Username, at); err != nil {
		return fmt.Errorf("draw: pool: %w", err)
	}
	return chain.Add(ctx, p.Actor(), "draw.pool.add", "draw_pool", strconv.FormatInt(staffID, 10), nil,
		map[string]any{"year": year, "unit": unit, "role": role})
}

// RemoveFromPool takes a person off the lists of unit.
func (s *Service) RemoveFromPool(ctx context.Context, p *auth.Principal, unit string, staffID int64) error {
	if err := s.canWrite(ctx, s.db, p, unit); err != nil {
		return err
	}
	y, err := s.config(ctx)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx, chain *audit.Chain) error {
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
		return chain.Add(ctx, p.Actor(), "draw.pool.remove", "draw_pool", strconv.FormatInt(staffID, 10),
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
	if err := s.canWrite(ctx, s.db, p, unit); err != nil {
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
	err = s.inTx(ctx, func(tx *sql.Tx, chain *audit.Chain) error {
		in, err := buildInputs(ctx, tx, y.Config, y.Year, session, exam, unit)
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
		rows, err := tx.QueryContext(ctx, `SELECT sf.id, sf.position, sf.sort_key FROM staff sf
			WHERE sf.unit_code IN (SELECT code FROM units WHERE code = $1 OR parent_code = $1)
			AND sf.id NOT IN (SELECT staff_id FROM draw_pool WHERE year = $2)`, unit, y.Year)
		if err != nil {
			return err
		}
		var all []cand
		for rows.Next() {
			var c cand
			if err := rows.Scan(&c.id, &c.position, &c.sortKey); err != nil {
				rows.Close()
				return err
			}
			all = append(all, c)
		}
		rows.Close()
		sort.Slice(all, func(i, j int) bool {
			if c := strings.Compare(string(all[i].sortKey), string(all[j].sortKey)); c != 0 {
				return c < 0
			}
			return all[i].id < all[j].id
		})
		taken := make([]bool, len(all))
		at := s.stamp()
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
					if taken[i] || (pass == 0 && !slices.Contains(prefer, c.position)) ||
						(pass == 1 && slices.Contains([]string{"drejtor", "nendrejtor", "specialist", "pedagog"}, c.position)) {
						continue
					}
					if err := addOne(ctx, tx, chain, p, y.Year, unit, c.id, role, at); err != nil {
						return err
					}
					taken[i] = true
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
			if taken[i] {
				continue
			}
			if err := addOne(ctx, tx, chain, p, y.Year, unit, c.id, RoleAP, at); err != nil {
				return err
			}
			taken[i] = true
			added++
		}
		return nil
	})
	return added, err
}

// Declaration is a Neni 9 declaration: a member of staff has a relative
// sitting the Matura.
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
	d := Declaration{StaffID: staffID, StudentID: studentID, Relation: strings.TrimSpace(relation), RecordedBy: p.Username, RecordedAt: s.stamp()}
	err = s.inTx(ctx, func(tx *sql.Tx, chain *audit.Chain) error {
		var staffUnit string
		err := tx.QueryRowContext(ctx, `SELECT sf.unit_code, sf.last_name || ' ' || sf.first_name FROM staff sf
			WHERE sf.id = $1 AND sf.unit_code IN (SELECT code FROM units WHERE code = $2 OR parent_code = $2)`, staffID, p.Unit).Scan(&staffUnit, &d.StaffName)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "Punonjësi «%d» nuk u gjet.", staffID)
		}
		if err != nil {
			return err
		}
		// Only a relative sitting the Matura in the commission's own unit
		// matters (Neni 9 ¶2), and only such a student is shown to it.
		var q store.Query
		if err := registry.ScopeStudents(p, &q); err != nil {
			return err
		}
		q.Add("st.id = ?", studentID)
		err = tx.QueryRowContext(ctx, `SELECT st.last_name || ' ' || st.first_name, st.school_code FROM students st
			JOIN schools sc ON sc.code = st.school_code`+q.Where(), q.Args()...).Scan(&d.Student, &d.School)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "Nxënësi «%d» nuk u gjet në DAR/ZA-në tuaj: deklarohen vetëm të afërmit që japin Maturën në njësinë ku shërben punonjësi (Neni 9).", studentID)
		}
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO staff_declarations (year, staff_id, student_id, relation, recorded_by, recorded_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, y.Year, staffID, studentID, d.Relation, d.RecordedBy, d.RecordedAt).Scan(&d.ID); err != nil {
			if store.IsUniqueViolation(err) {
				return apperr.New(apperr.Conflict, "Kjo deklaratë është regjistruar tashmë.")
			}
			return err
		}
		return chain.Add(ctx, p.Actor(), "draw.declaration", "staff_declaration", strconv.FormatInt(d.ID, 10), nil,
			map[string]any{"year": y.Year, "staff_id": staffID, "student_id": studentID, "relation": d.Relation})
	})
	return d, err
}
