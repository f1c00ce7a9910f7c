package draw

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/scope"
	"provim/internal/store"
	"provim/internal/venue"
)

const objectType = "draw"

// Service keeps the staff pools, the declarations of Neni 9 and the draws.
type Service struct {
	db     *store.DB
	years  *examyear.Service
	reg    *registry.Service
	venues *venue.Service
	// Seed makes the secret seed of a commitment (tests may fix it).
	Seed func() (string, error)
}

// NewService returns the service over db; the exam years, the registry
// (staff) and the venues (plan, rooms, seats) are the services it reads
// through.
func NewService(db *store.DB, years *examyear.Service, reg *registry.Service, venues *venue.Service) *Service {
	return &Service{db: db, years: years, reg: reg, venues: venues, Seed: randomSeed}
}

func randomSeed() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// Now is the clock's time.
func (s *Service) Now() time.Time { return s.db.Clock.Now() }

// ---- scope ----

// unitParent returns the parent of unit ("" for a DAR), NotFound when
// there is no such unit.
func (s *Service) unitParent(ctx context.Context, unit string) (string, error) {
	parent, ok, err := s.reg.UnitParent(ctx, unit)
	if err == nil && !ok {
		return "", apperr.New(apperr.NotFound, "DAR/ZA «%s» nuk u gjet.", unit)
	}
	return parent, err
}

// inRegion reports whether unit is region or a ZA under it.
func (s *Service) inRegion(ctx context.Context, unit, region string) (bool, error) {
	if unit == region {
		return true, nil
	}
	parent, _, err := s.reg.UnitParent(ctx, unit)
	if err != nil {
		return false, err
	}
	return parent != "" && parent == region, nil
}

// canRead: AVA everywhere, KMSH its DAR/ZA and the ZA under its DAR.
func (s *Service) canRead(ctx context.Context, p *auth.Principal, unit string) error {
	if err := auth.Require(p, auth.RoleAVA, auth.RoleKMSH); err != nil {
		return err
	}
	parent, err := s.unitParent(ctx, unit)
	if err != nil {
		return err
	}
	if p.Role == auth.RoleKMSH && unit != p.Unit && parent != p.Unit {
		return apperr.New(apperr.NotFound, "DAR/ZA «%s» nuk u gjet.", unit)
	}
	return nil
}

// canWrite: only the regional commission runs its draws (Neni 10.8–10.9).
func (s *Service) canWrite(ctx context.Context, p *auth.Principal, unit string) error {
	if err := s.canRead(ctx, p, unit); err != nil {
		return err
	}
	return auth.Require(p, auth.RoleKMSH)
}

func (s *Service) config(ctx context.Context) (*examyear.Year, error) { return s.years.Active(ctx) }

// ---- needs ----

// Needs computes the staffing needs of every venue of unit for an exam of
// the active year, with the lists that a draw would use.
func (s *Service) Needs(ctx context.Context, p *auth.Principal, session int, exam, unit string) (Inputs, error) {
	if err := s.canRead(ctx, p, unit); err != nil {
		return Inputs{}, err
	}
	y, err := s.config(ctx)
	if err != nil {
		return Inputs{}, err
	}
	if _, err := examKind(y.Config, exam); err != nil {
		return Inputs{}, err
	}
	return s.buildInputs(ctx, y.Config, y.Year, session, exam, unit, "")
}

// Totals sums the needs of the venues by role.
func Totals(venues []Venue) map[string]int {
	t := map[string]int{}
	for _, v := range venues {
		t[RolePAP] += v.PAP
		t[RoleKMSH] += v.KMSH
		t[RoleAS] += v.AS
		t[RoleAP] += v.APs()
		t["candidates"] += v.Candidates
		t["floor_admins"] += v.FloorAdmins
	}
	return t
}

// ---- the draw window ----

// Window returns when the draw of exam may be run: from DrawHoursBefore
// hours before the start (Neni 10.9, 44 ¶2, 47.5) until the PAP collects
// the materials, MaterialsHoursBefore hours before it (Neni 44 ¶1) — or
// the start itself when that is not earlier.
func Window(cfg examyear.Config, exam string, session int) (open, close, start time.Time, err error) {
	if _, err = examKind(cfg, exam); err != nil {
		return
	}
	// An elective is sat at its sitting (Neni 14.3): its own start.
	day, ok := cfg.ExamDayOf(exam, session)
	if !ok {
		err = apperr.New(apperr.Invalid, "Provimi %s nuk ka ditë në sesionin %d të kalendarit të vitit.", exam, session)
		return
	}
	start, err = time.ParseInLocation("2006-01-02 15:04", day.Date+" "+day.Start, clock.Tirana)
	if err != nil {
		err = apperr.New(apperr.Invalid, "Dita e provimit %s ka datë ose orë të pavlefshme.", exam)
		return
	}
	st := cfg.Staffing
	open = start.Add(-time.Duration(st.DrawHoursBefore) * time.Hour)
	close = start
	if st.MaterialsHoursBefore > 0 && st.MaterialsHoursBefore < st.DrawHoursBefore {
		close = start.Add(-time.Duration(st.MaterialsHoursBefore) * time.Hour)
	}
	return
}

func hm(t time.Time) string { return clock.Format(t) }

// ---- commitment ----

// CommitRequest opens a draw.
type CommitRequest struct {
	Session int    `json:"session"`
	Exam    string `json:"exam"`
	Unit    string `json:"unit"`
	// Reason is required for a second draw of the same exam and unit.
	Reason string `json:"reason"`
}

// Commit freezes the inputs of a draw, draws the secret seed and publishes
// the commitment (step 2). A second draw of the same exam and unit needs a
// reason; the earlier stays on record, superseded.
func (s *Service) Commit(ctx context.Context, p *auth.Principal, req CommitRequest) (Record, error) {
	req.Exam, req.Unit, req.Reason = strings.TrimSpace(req.Exam), strings.TrimSpace(req.Unit), strings.TrimSpace(req.Reason)
	if req.Session == 0 {
		req.Session = 1
	}
	if err := s.canWrite(ctx, p, req.Unit); err != nil {
		return Record{}, err
	}
	y, err := s.config(ctx)
	if err != nil {
		return Record{}, err
	}
	_, closeAt, _, err := Window(y.Config, req.Exam, req.Session)
	if err != nil {
		return Record{}, err
	}
	if !s.db.Now(ctx).Before(closeAt) {
		return Record{}, apperr.New(apperr.Invalid, "Koha e shortit për provimin %s mbaroi më %s (Neni 44, 47.5).", req.Exam, hm(closeAt))
	}
	seed, err := s.Seed()
	if err != nil {
		return Record{}, fmt.Errorf("draw: seed: %w", err)
	}
	rosterKey, err := randomSeed()
	if err != nil {
		return Record{}, fmt.Errorf("draw: roster key: %w", err)
	}
	var rec Record
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Q(ctx)
		// The staff are drawn for the plan as it stands on the final
		// lists: a stale plan is re-derived first (Neni 48.3, 52.6).
		units, err := s.reg.RegionUnits(ctx, req.Unit)
		if err != nil {
			return err
		}
		if err := s.venues.CheckPlanCurrent(ctx, y.Year, req.Session, req.Exam, units); err != nil {
			return err
		}
		// One draw per exam for a place: a DAR's draw covers its ZA.
		parent, err := s.unitParent(ctx, req.Unit)
		if err != nil {
			return err
		}
		var other string
		err = tx.QueryRowContext(ctx, `SELECT unit_code FROM draws WHERE year = $1 AND session = $2 AND exam = $3
			AND superseded_by IS NULL AND unit_code <> $4 AND (unit_code = $5 OR `+scope.UnitsUnderSQL("unit_code", "$4")+`) LIMIT 1`,
			y.Year, req.Session, req.Exam, req.Unit, parent).Scan(&other)
		if err == nil {
			return apperr.New(apperr.Conflict, "Mjediset e %s përfshihen në shortin e %s për këtë provim.", req.Unit, other)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var prevID int64
		var prevSeq int
		err = tx.QueryRowContext(ctx, `SELECT id, seq FROM draws WHERE year = $1 AND session = $2 AND exam = $3 AND unit_code = $4
			ORDER BY seq DESC LIMIT 1`, y.Year, req.Session, req.Exam, req.Unit).Scan(&prevID, &prevSeq)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if prevID != 0 && req.Reason == "" {
			return apperr.New(apperr.Conflict, "Për provimin %s në %s është hapur tashmë shorti nr. %d; një short i ri lejohet vetëm duke shënuar arsyen, dhe të dy mbeten në regjistër.", examyear.TestLabel(examyear.TestKey(req.Exam, req.Session)), req.Unit, prevSeq)
		}
		in, err := s.buildInputs(ctx, y.Config, y.Year, req.Session, req.Exam, req.Unit, rosterKey)
		if err != nil {
			return err
		}
		hash := InputsHash(in)
		// A trial with a probe entropy: refuse at once a pool that cannot
		// cover the needs (per venue and role).
		if trial, err := Compute(in, seed, "prove"); err != nil {
			return err
		} else if len(trial.Shortages) > 0 {
			return ShortageError(trial.Shortages)
		}
		rec = Record{Version: Version, Year: y.Year, Session: req.Session, Exam: req.Exam, Unit: req.Unit, Seq: prevSeq + 1,
			Reason: req.Reason, Status: StatusCommitted, CommittedBy: p.Username, CommittedAt: clock.Stored(s.db.Now(ctx)),
			Commitment: Commitment(seed, hash), InputsHash: hash, Inputs: in, RosterKey: rosterKey}
		if err := tx.QueryRowContext(ctx, `INSERT INTO draws (year, session, exam, unit_code, seq, reason, status, inputs, excluded, inputs_hash, seed, commitment, committed_by, committed_at, version, roster_key)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
			rec.Year, rec.Session, rec.Exam, rec.Unit, rec.Seq, rec.Reason, rec.Status, string(canonical(in)), string(canonical(in.Excluded)), hash, seed,
			rec.Commitment, rec.CommittedBy, rec.CommittedAt, Version, rosterKey).Scan(&rec.ID); err != nil {
			return fmt.Errorf("draw: insert: %w", err)
		}
		if prevID != 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE draws SET superseded_by = $1 WHERE year = $2 AND session = $3 AND exam = $4 AND unit_code = $5 AND id <> $1 AND superseded_by IS NULL`,
				rec.ID, rec.Year, rec.Session, rec.Exam, rec.Unit); err != nil {
				return err
			}
		}
		return audit.Add(ctx, p.Actor(), "draw.commit", objectType, strconv.FormatInt(rec.ID, 10), nil, map[string]any{
			"year": rec.Year, "session": rec.Session, "exam": rec.Exam, "unit": rec.Unit, "seq": rec.Seq, "reason": rec.Reason,
			"commitment": rec.Commitment, "inputs_hash": hash, "venues": len(in.Venues), "pool": len(in.Pool), "superseded": prevID})
	})
	return rec, err
}

// ---- the draw ----

// Run draws with the entropy called out by the people present (steps
// 3–9), inside the time window. With a shortage nothing is written.
func (s *Service) Run(ctx context.Context, p *auth.Principal, id int64, entropy string) (Record, error) {
	rec, seed, err := s.load(ctx, id)
	if err != nil {
		return Record{}, err
	}
	if err := s.canWrite(ctx, p, rec.Unit); err != nil {
		return Record{}, notFoundIfHidden(err, id)
	}
	if rec.Status != StatusCommitted {
		return Record{}, apperr.New(apperr.Conflict, "Shorti %d është hedhur tashmë (%s); për një short të ri hapni një tjetër me arsye.", id, rec.DrawnAt)
	}
	if rec.SupersededBy != 0 {
		return Record{}, apperr.New(apperr.Conflict, "Shorti %d është zëvendësuar nga shorti %d.", id, rec.SupersededBy)
	}
	y, err := s.years.Get(ctx, p, rec.Year)
	if err != nil {
		return Record{}, err
	}
	openAt, closeAt, start, err := Window(y.Config, rec.Exam, rec.Session)
	if err != nil {
		return Record{}, err
	}
	if now := s.db.Now(ctx); now.Before(openAt) || !now.Before(closeAt) {
		return Record{}, apperr.New(apperr.Invalid, "Shorti hidhet %d orë para fillimit të provimit (%s): nga %s deri në %s (Neni 10.9, 44, 47.5); tani është %s.",
			y.Config.Staffing.DrawHoursBefore, hm(start), hm(openAt), hm(closeAt), hm(now))
	}
	// The published lists must still be the plan's and the pool's: a plan
	// changed since the commitment would leave rooms without their AP.
	now, err := s.buildInputs(ctx, y.Config, rec.Year, rec.Session, rec.Exam, rec.Unit, rec.RosterKey)
	if err != nil {
		return Record{}, err
	}
	if InputsHash(now) != rec.InputsHash {
		return Record{}, apperr.New(apperr.Conflict, "Plani i provimit ose listat e personelit kanë ndryshuar pas publikimit të angazhimit të shortit %d (edhe një short i hedhur për një provim në të njëjtën kohë i heq të caktuarit nga listat, Neni 14.3): hapni një short të ri me arsye, mbi listat e sotme.", id)
	}
	entropy = NormalizeEntropy(entropy)
	out, err := Compute(rec.Inputs, seed, entropy)
	if err != nil {
		return Record{}, err
	}
	if len(out.Shortages) > 0 {
		return Record{}, ShortageError(out.Shortages)
	}
	rec.Seed, rec.Entropy, rec.VenueOrder, rec.Result = seed, entropy, out.VenueOrder, out.Assignments
	rec.Status, rec.DrawnBy = StatusDrawn, p.Username
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Q(ctx)
		rec.DrawnAt = clock.Stored(s.db.Now(ctx))
		res, err := tx.ExecContext(ctx, `UPDATE draws SET status = $1, entropy = $2, result = $3, drawn_by = $4, drawn_at = $5
			WHERE id = $6 AND status = $7 AND superseded_by IS NULL`,
			StatusDrawn, entropy, string(canonical(out)), rec.DrawnBy, rec.DrawnAt, id, StatusCommitted)
		if err != nil {
			return fmt.Errorf("draw: update: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "Shorti %d u hodh ose u zëvendësua ndërkohë.", id)
		}
		// draws.result is the one record of who serves where; the audit
		// entry keeps the entropy and the hash of the published result, so
		// that both rewritten together in the table no longer match it
		// (Check, audit reconcile).
		sum := ResultHash(out.VenueOrder, out.Assignments)
		return audit.Add(ctx, p.Actor(), "draw.run", objectType, strconv.FormatInt(id, 10),
			map[string]any{"status": StatusCommitted, "commitment": rec.Commitment},
			map[string]any{"status": StatusDrawn, "seed": seed, "entropy": entropy, "assignments": len(out.Assignments), "result_sha256": sum})
	})
	if err != nil {
		return Record{}, err
	}
	return rec, nil
}

func notFoundIfHidden(err error, id int64) error {
	if apperr.Is(err, apperr.NotFound) {
		return apperr.New(apperr.NotFound, "Shorti «%d» nuk u gjet.", id)
	}
	return err
}
