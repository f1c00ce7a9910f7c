package custody

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/store"
)

// CreateInput asks AVA to prepare the packages of an exam.
type CreateInput struct {
	Exam    string   `json:"exam"`
	Session int      `json:"session"`
	Venues  []string `json:"venues"` // empty: every venue of the exam plan
}

// secondSessionWithoutPlan refuses the packages of a second-session exam
// before its plan: the second session is held concentrated in the venues
// the DAR/ZA set for the candidates on their lists (Neni 58 ¶1, ¶4), so
// there is no "every venue with rooms" to size them by.
func secondSessionWithoutPlan(exam string) error {
	return apperr.New(apperr.Conflict, "Provimi %s i sesionit të dytë nuk ka ende plan: materialet e sesionit të dytë përgatiten vetëm për qendrat e planit, sipas listave të DAR/ZA (Neni 58).", exam)
}

// CreateResult says what Create did.
type CreateResult struct {
	Created  int  `json:"created"`  // consignments created
	Existing int  `json:"existing"` // venues that had them already
	Packages int  `json:"packages"`
	FromPlan bool `json:"from_plan"` // counts come from the exam plan (else from the rooms' seats)
}

// newSeals returns two fresh seal numbers for a package, drawn at random
// so that nobody can work them out from the package's printed code; AVA
// registers them when it packs (Neni 42).
func newSeals() ([]string, error) {
	out := make([]string, 2)
	for i := range out {
		b := make([]byte, 5)
		if _, err := rand.Read(b); err != nil {
			return nil, fmt.Errorf("custody: seal numbers: %w", err)
		}
		out[i] = "VL-" + strings.ToUpper(hex.EncodeToString(b))
	}
	return out, nil
}

// Create prepares at AVA the packages of an exam for every venue of the
// exam plan (table exam_seats; or only those named): test booklets for
// the candidates and 5% reserve, the envelope for unused tests, a pair of
// code labels per candidate (Neni 53) and the return box, each with its
// code and seal numbers. When an exam of the first session has no plan
// yet, every venue with rooms gets packages sized to its seats; one of
// the second session is refused (Neni 58: only the plan's venues).
// Venues that have the packages already are left as they are. Role ava
// only; all or nothing.
func (s *Service) Create(ctx context.Context, p *auth.Principal, in CreateInput) (CreateResult, error) {
	var res CreateResult
	if err := auth.Require(p, auth.RoleAVA); err != nil {
		return res, err
	}
	y, err := s.years.Active(ctx)
	if err != nil {
		return res, err
	}
	if in.Session == 0 {
		in.Session = 1
	}
	in.Exam = strings.TrimSpace(in.Exam)
	if _, err := ExamStart(y.Config, in.Exam, in.Session); err != nil {
		return res, apperr.New(apperr.Invalid, "Provimi nuk pranohet: %v.", err)
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Q(ctx)
		// The packages are counted on the plan as it stands on the final
		// lists: a stale plan is re-derived first (Neni 48.3, 52.6).
		if err := s.venues.CheckPlanCurrent(ctx, y.Year, in.Session, in.Exam, nil); err != nil {
			return err
		}
		// The candidates of each venue in the plan; without a plan, the
		// seats of its rooms.
		list, err := s.venues.PlanCounts(ctx, y.Year, in.Session, in.Exam)
		if err != nil {
			return fmt.Errorf("custody: %w", err)
		}
		res.FromPlan = len(list) > 0
		if !res.FromPlan && in.Session == 2 {
			return secondSessionWithoutPlan(in.Exam)
		}
		if !res.FromPlan {
			if list, err = s.venues.RoomSeats(ctx); err != nil {
				return fmt.Errorf("custody: %w", err)
			}
		}
		counts := map[string]int{}
		var order []string
		for _, v := range list {
			counts[v.Venue] = v.Count
			order = append(order, v.Venue)
		}
		if len(in.Venues) > 0 {
			var picked []string
			for _, v := range in.Venues {
				v = strings.TrimSpace(v)
				if _, ok := counts[v]; !ok {
					return apperr.New(apperr.NotFound, "Qendra «%s» nuk ka kandidatë në provimin %s.", v, in.Exam)
				}
				if !slices.Contains(picked, v) {
					picked = append(picked, v)
				}
			}
			order = picked
		}
		if len(order) == 0 {
			return apperr.New(apperr.Invalid, "Nuk ka asnjë qendër provimi me kandidatë ose salla për provimin %s.", in.Exam)
		}
		at := clock.Stored(s.db.Now(ctx))
		for _, v := range order {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM custody_consignments WHERE year = $1 AND session = $2 AND exam = $3 AND venue_code = $4`,
				y.Year, in.Session, in.Exam, v).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				res.Existing++
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO custody_consignments (year, session, exam, venue_code, stage, since, created_by)
				VALUES ($1, $2, $3, $4, 0, $5, $6)`, y.Year, in.Session, in.Exam, v, at, p.Username); err != nil {
				return fmt.Errorf("custody: consignment: %w", err)
			}
			cand := counts[v]
			items := map[string]int{KindBooklets: cand + max(2, (cand+19)/20), KindEnvelope: 1, KindCodes: 2 * cand, KindBox: 1}
			var pkgs []map[string]any
			for _, kind := range Kinds {
				code := fmt.Sprintf("%d-%d-%s-%s-%s", y.Year, in.Session, in.Exam, v, kindLetter(kind))
				seals, err := newSeals()
				if err != nil {
					return err
				}
				slices.Sort(seals)
				if _, err := tx.ExecContext(ctx, `INSERT INTO custody_packages (code, year, session, exam, venue_code, kind, items, seals)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, code, y.Year, in.Session, in.Exam, v, kind, items[kind], strings.Join(seals, ",")); err != nil {
					return fmt.Errorf("custody: package: %w", err)
				}
				pkgs = append(pkgs, map[string]any{"code": code, "kind": kind, "items": items[kind], "seals": seals})
				res.Packages++
			}
			key := fmt.Sprintf("%d-%d-%s-%s", y.Year, in.Session, in.Exam, v)
			if err := audit.Add(ctx, p.Actor(), "create", "custody_consignment", key, nil,
				map[string]any{"venue": v, "exam": in.Exam, "session": in.Session, "candidates": cand, "packages": pkgs}); err != nil {
				return err
			}
			res.Created++
		}
		return nil
	})
	return res, err
}

// RecordInput is the giving side's record of a hand-over.
type RecordInput struct {
	Venue     string              `json:"venue_code"`
	Exam      string              `json:"exam"`
	Session   int                 `json:"session"`
	Step      int                 `json:"step"`
	Givers    []string            `json:"givers"`
	Receivers []string            `json:"receivers"`
	Seals     map[string][]string `json:"seals"` // by package code (or kind): the seal numbers read
	Note      string              `json:"note"`
}

// ConfirmInput is the receiving side's confirmation.
type ConfirmInput struct {
	Seals map[string][]string `json:"seals"`
}

// checkSeals compares the seals read against the registered ones for the
// kinds the step checks, and returns them keyed by package code.
func checkSeals(st Step, c *Consignment, read map[string][]string) (map[string][]string, error) {
	byKey := map[string]*Package{}
	for i := range c.Packages {
		pk := &c.Packages[i]
		byKey[pk.Code], byKey[pk.Kind] = pk, pk
	}
	got := map[string][]string{}
	var problems []string
	for k, v := range read {
		pk, ok := byKey[strings.TrimSpace(k)]
		if !ok {
			problems = append(problems, fmt.Sprintf("Paketa «%s» nuk është në këto materiale.", k))
			continue
		}
		if !st.ChecksKind(pk.Kind) {
			continue // read but not checked at this step: ignored
		}
		got[pk.Code] = append(got[pk.Code], normSeals(v)...)
	}
	out := map[string][]string{}
	for _, pk := range c.Packages {
		if !st.ChecksKind(pk.Kind) {
			continue
		}
		want := normSeals(pk.Seals)
		have := got[pk.Code]
		slices.Sort(have)
		switch {
		case len(have) == 0:
			problems = append(problems, fmt.Sprintf("%s (%s): mungojnë numrat e vulave.", pk.KindLabel, pk.Code))
		case !slices.Equal(want, have):
			// The registered numbers are not named: the refusal would
			// otherwise tell anyone who types a wrong seal the right one.
			problems = append(problems, fmt.Sprintf("%s (%s): vulat e lexuara %s nuk përputhen me të regjistruarat.",
				pk.KindLabel, pk.Code, strings.Join(have, ", ")))
		}
		out[pk.Code] = have
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return nil, &apperr.Error{Code: apperr.Invalid, Message: "Kontrolli i vulave nuk kaloi: dorëzimi nuk regjistrohet. Nëse një vulë është e dëmtuar, njoftoni menjëherë KMSH dhe AVA.", Details: problems}
	}
	return out, nil
}

// Record records a hand-over by the giving side: the next step of the
// consignment, by a role of that step's giving side, naming the persons on
// both sides, with the seals read. The materials stay with the giver until
// the receiving side confirms.
func (s *Service) Record(ctx context.Context, p *auth.Principal, in RecordInput) (Handover, error) {
	if err := deny(p); err != nil {
		return Handover{}, err
	}
	y, err := s.years.Active(ctx)
	if err != nil {
		return Handover{}, err
	}
	var id int64
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		c, err := s.get(ctx, p, y, strings.TrimSpace(in.Venue), strings.TrimSpace(in.Exam), in.Session)
		if err != nil {
			return err
		}
		st, ok := StepByNo(in.Step)
		if !ok {
			return apperr.New(apperr.Invalid, "Hapi %d nuk ekziston: hapat janë 1–%d.", in.Step, len(Steps))
		}
		if c.Pending != nil {
			return apperr.New(apperr.Conflict, "Dorëzimi i hapit %d («%s») pret konfirmimin e marrësit: asnjë hap tjetër nuk regjistrohet para tij.", c.Pending.Step, c.Pending.StepName)
		}
		if c.Stage >= len(Steps) {
			return apperr.New(apperr.Conflict, "Zinxhiri i materialeve të kësaj qendre është mbyllur: materialet janë kthyer në AVA.")
		}
		if in.Step != c.Stage+1 {
			next := Steps[c.Stage]
			return apperr.New(apperr.Conflict, "Hapi %d («%s») nuk mund të regjistrohet tani: materialet i ka «%s»; hapi i radhës është %d («%s»). Asnjë hap nuk kapërcehet.",
				st.No, st.Name, c.Holder, next.No, next.Name)
		}
		if !st.RecorderAllowed(p.Role) {
			return apperr.New(apperr.Forbidden, "Hapin «%s» e regjistron ana që dorëzon (%s), jo roli juaj (%s): nuk mund të dorëzoni materiale që nuk i mbani.",
				st.Name, roleList(st.Recorder), p.Role.Label())
		}
		if err := repRefusal(p, st, false); err != nil {
			return err
		}
		givers, receivers := cleanNames(in.Givers), cleanNames(in.Receivers)
		var problems []string
		if len(givers) < st.MinGivers {
			problems = append(problems, fmt.Sprintf("Shënoni %d emra për anën që dorëzon (%s).", st.MinGivers, st.GiversHint))
		}
		if len(receivers) < st.MinReceivers {
			problems = append(problems, fmt.Sprintf("Shënoni %d emra për anën që merr në dorëzim (%s).", st.MinReceivers, st.ReceiversHint))
		}
		if len(problems) > 0 {
			return &apperr.Error{Code: apperr.Invalid, Message: "Palët e dorëzimit nuk janë plotësuar.", Details: problems}
		}
		seals, err := checkSeals(st, &c, in.Seals)
		if err != nil {
			return err
		}
		// The box closes with the exam day's counts in its notes (Neni
		// 48.10–48.11): on the hand-over's record and its procesverbal.
		note := strings.TrimSpace(in.Note)
		if st.No == ReturnStep && s.returnCheck != nil {
			counts, err := s.returnCheck(ctx, c.Year, c.Session, c.Exam, c.VenueCode)
			if err != nil {
				return err
			}
			if counts != "" {
				note = strings.TrimSpace(note + "\n" + counts)
			}
		}
		sealsJSON, _ := json.Marshal(seals)
		err = s.db.Q(ctx).QueryRowContext(ctx, `INSERT INTO custody_handovers (year, session, exam, venue_code, step, givers, receivers, note, seals_given,
			recorded_by, recorded_role, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			c.Year, c.Session, c.Exam, c.VenueCode, st.No, strings.Join(givers, "\n"), strings.Join(receivers, "\n"), note,
			string(sealsJSON), p.Username, string(p.Role), clock.Stored(s.db.Now(ctx))).Scan(&id)
		if store.IsUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "Hapi %d është regjistruar tashmë për këto materiale.", st.No)
		}
		if err != nil {
			return fmt.Errorf("custody: record: %w", err)
		}
		return audit.Add(ctx, p.Actor(), "record", "custody_handover", fmt.Sprint(id), nil, map[string]any{
			"consignment": c.Key(), "step": st.No, "givers": givers, "receivers": receivers, "seals": seals, "note": note})
	})
	if err != nil {
		return Handover{}, err
	}
	return s.written(ctx, y, id)
}

// Confirm is the receiving side's confirmation of a recorded hand-over:
// by a role of the step's receiving side, another account than the one
// that recorded it, with the seals read again. Only then do the materials
// change holder.
func (s *Service) Confirm(ctx context.Context, p *auth.Principal, id int64, in ConfirmInput) (Handover, error) {
	if err := deny(p); err != nil {
		return Handover{}, err
	}
	y, err := s.years.Active(ctx)
	if err != nil {
		return Handover{}, err
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Q(ctx)
		h, c, err := s.handover(ctx, p, y, id)
		if err != nil {
			return err
		}
		st, _ := StepByNo(h.Step)
		if h.Confirmed {
			return apperr.New(apperr.Conflict, "Procesverbali %d është konfirmuar tashmë më %s nga %s.", h.ID, when(h.ConfirmedAt), h.ConfirmedBy)
		}
		if !st.ConfirmerAllowed(p.Role) {
			return apperr.New(apperr.Forbidden, "Hapin «%s» e konfirmon ana që merr në dorëzim (%s), jo roli juaj (%s).",
				st.Name, roleList(st.Confirmer), p.Role.Label())
		}
		if err := repRefusal(p, st, true); err != nil {
			return err
		}
		if p.Username == h.RecordedBy {
			return apperr.New(apperr.Forbidden, "Dorëzimin e konfirmon pala tjetër: ju e regjistruat, ndaj nuk mund ta konfirmoni.")
		}
		if c.Stage != h.Step-1 {
			return apperr.New(apperr.Conflict, "Materialet nuk janë në hapin e pritur: rifreskoni faqen.")
		}
		seals, err := checkSeals(st, &c, in.Seals)
		if err != nil {
			return err
		}
		sealsJSON, _ := json.Marshal(seals)
		at := clock.Stored(s.db.Now(ctx))
		res, err := tx.ExecContext(ctx, `UPDATE custody_handovers SET seals_received = $1, confirmed_by = $2, confirmed_role = $3, confirmed_at = $4
			WHERE id = $5 AND confirmed_at = ''`, string(sealsJSON), p.Username, string(p.Role), at, id)
		if err != nil {
			return fmt.Errorf("custody: confirm: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "Procesverbali %d është konfirmuar ndërkohë.", id)
		}
		res, err = tx.ExecContext(ctx, `UPDATE custody_consignments SET stage = $1, since = $2
			WHERE year = $3 AND session = $4 AND exam = $5 AND venue_code = $6 AND stage = $7`,
			h.Step, at, c.Year, c.Session, c.Exam, c.VenueCode, h.Step-1)
		if err != nil {
			return fmt.Errorf("custody: move: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "Materialet ndryshuan ndërkohë: rifreskoni faqen.")
		}
		return audit.Add(ctx, p.Actor(), "confirm", "custody_handover", fmt.Sprint(id),
			map[string]any{"consignment": c.Key(), "stage": c.Stage, "holder": c.Holder},
			map[string]any{"consignment": c.Key(), "stage": h.Step, "holder": HolderLabel(h.Step), "seals": seals})
	})
	if err != nil {
		return Handover{}, err
	}
	return s.written(ctx, y, id)
}

// written reads back a hand-over the caller has just recorded or
// confirmed (its scope was checked in the transaction), with its deadline.
func (s *Service) written(ctx context.Context, y *examyear.Year, id int64) (Handover, error) {
	h, err := scanHandover(s.db.Q(ctx).QueryRowContext(ctx, `SELECT `+handoverCols+` FROM custody_handovers x WHERE x.id = $1`, id))
	if err != nil {
		return Handover{}, fmt.Errorf("custody: read back: %w", err)
	}
	if start, err := ExamStart(y.Config, h.Exam, h.Session); err == nil {
		due := Due(start, y.Config.Staffing.MaterialsHoursBefore)[h.Step]
		h.Due = due.Format(time.RFC3339)
		if at, err := time.Parse(time.RFC3339, h.ConfirmedAt); err == nil && at.After(due) {
			h.Late = true
		}
	}
	return h, nil
}

func roleList(roles []auth.Role) string {
	var out []string
	for _, r := range roles {
		out = append(out, strings.ToUpper(string(r)))
	}
	return strings.Join(out, " ose ")
}
