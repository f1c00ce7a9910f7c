package marking

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	"provim/internal/anonym"
	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/store"
)

// The monitors of marking (Neni 57.15): MASH's monitor group of a subject
// draws, at the exam's rate, a random sample of the booklets marked final
// since its last draw, looks at each booklet's final marks and confirms
// them or sends the booklet back to be marked again, with a reason. The
// seed of every draw is recorded with its population, so anyone can draw
// the same sample again (SampleCodes, VerifyDraw).

// Defaults when an exam has no marking_settings row.
const (
	DefaultMonitorRatePM = 50 // ‰ of the marked booklets (Neni 57.15)
	DefaultTolerance     = 2  // points off the agreed total (Neni 57.11)
)

// Verdicts of a monitor on a sampled booklet.
const (
	VerdictConfirmed = "confirmed"
	VerdictReturned  = "returned"
)

// SampleCodes is a monitors' sample, a pure function of the seed, the
// population and the rate (Neni 57.15): every code is ranked by
// HMAC-SHA256(seed, code) and the first ⌈n·rate/1000⌉ are taken, so the
// sample is random to whoever does not know the seed before the draw and
// the same for anyone who draws again with it. The codes come back
// sorted; the order of population does not matter.
func SampleCodes(seed string, population []string, ratePM int) []string {
	if len(population) == 0 || ratePM <= 0 {
		return nil
	}
	ratePM = min(ratePM, 1000)
	k := (len(population)*ratePM + 999) / 1000
	type ranked struct {
		code string
		rank uint64
	}
	rs := make([]ranked, len(population))
	mac := hmac.New(sha256.New, []byte(seed))
	for i, c := range population {
		mac.Reset()
		mac.Write([]byte(c))
		rs[i] = ranked{c, binary.BigEndian.Uint64(mac.Sum(nil))}
	}
	slices.SortFunc(rs, func(a, b ranked) int {
		if a.rank != b.rank {
			if a.rank < b.rank {
				return -1
			}
			return 1
		}
		return strings.Compare(a.code, b.code)
	})
	out := make([]string, k)
	for i := range out {
		out[i] = rs[i].code
	}
	slices.Sort(out)
	return out
}

// Draw is one monitors' draw.
type Draw struct {
	No         int      `json:"draw_no"`
	Monitor    string   `json:"monitor"`
	Seed       string   `json:"seed"`
	RatePM     int      `json:"rate_pm"`
	Population int      `json:"population"`
	Sampled    int      `json:"sampled"`
	DrawnAt    string   `json:"drawn_at"`
	Codes      []string `json:"codes,omitempty"`
	Verified   bool     `json:"verified"`
}

// Sample is a booklet a draw sampled with the monitor's verdict.
type Sample struct {
	Code      string `json:"code"`
	Display   string `json:"display"` // the code as printed, "K7Q2-M9XD-R"
	DrawNo    int    `json:"draw_no"`
	Verdict   string `json:"verdict"`
	Reason    string `json:"reason,omitempty"`
	DecidedBy string `json:"decided_by,omitempty"`
	DecidedAt string `json:"decided_at,omitempty"`
	Final     int    `json:"final_points"` // -1 once returned
}

// Monitoring is what a monitor group sees of an exam: its draws and the
// booklets sampled, by code only.
type Monitoring struct {
	Year    int      `json:"year"`
	Exam    Exam     `json:"exam"`
	RatePM  int      `json:"rate_pm"`
	Waiting int      `json:"waiting"` // final booklets in no draw yet
	Closed  bool     `json:"closed"`
	CanDraw bool     `json:"can_draw"` // the caller is the subject's monitor and marking is open
	Draws   []Draw   `json:"draws"`
	Samples []Sample `json:"samples"`
}

// mayMonitorExam: the monitor group of the exam's subject (Neni 57.15).
func mayMonitorExam(p *auth.Principal, exam string) bool {
	return MayMonitor(p) && NormExam(p.Subject) == NormExam(exam)
}

// monitorSettings reads the exam's monitor rate and tolerance, or their
// defaults.
func (s *Service) monitorSettings(ctx context.Context, year int, exam string) (ratePM, tolerance int, err error) {
	err = s.db.Q(ctx).QueryRowContext(ctx, `SELECT monitor_rate_pm, tolerance FROM marking_settings WHERE year = $1 AND exam = $2`,
		year, exam).Scan(&ratePM, &tolerance)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultMonitorRatePM, DefaultTolerance, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("marking: settings of %s: %w", exam, err)
	}
	return ratePM, tolerance, nil
}

// oversightOpen refuses a change after the exam's marking closed.
func (s *Service) oversightOpen(ctx context.Context, year int, exam string) error {
	closed, err := s.Closed(ctx, year, exam)
	if err != nil {
		return err
	}
	if closed {
		return apperr.New(apperr.Conflict, "Vlerësimi i provimit %s është mbyllur: pikët janë ngrirë dhe nuk ndryshohen më.", exam)
	}
	return nil
}

// oversightExam reads the year and the exam of a call.
func (s *Service) oversightExam(ctx context.Context, year int, exam string) (int, Exam, error) {
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return 0, Exam{}, err
	}
	e, err := examOf(y, exam)
	if err != nil {
		return 0, Exam{}, err
	}
	return y.Year, e, nil
}

// monitorPopulation lists the booklets a new draw is made over: final,
// not seeded, in no earlier draw's population (voided ones are not
// final).
func (s *Service) monitorPopulation(ctx context.Context, year int, exam string) ([]string, error) {
	return store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (c string, err error) { return c, r.Scan(&c) },
		`SELECT b.code FROM marking_booklets b WHERE b.year = $1 AND b.exam = $2 AND b.state = 'final' AND b.seeded = 0
		AND NOT EXISTS (SELECT 1 FROM marking_monitor_population m WHERE m.year = b.year AND m.exam = b.exam AND m.code = b.code)
		ORDER BY b.code`, year, exam)
}

// DrawSample is a monitor's draw (Neni 57.15): of the booklets marked
// final since the last draw, a sample at the exam's rate, drawn with a
// fresh random seed that is recorded with the population.
func (s *Service) DrawSample(ctx context.Context, p *auth.Principal, year int, exam string) (Draw, error) {
	year, e, err := s.oversightExam(ctx, year, exam)
	if err != nil {
		return Draw{}, err
	}
	if !mayMonitorExam(p, e.Code) {
		return Draw{}, apperr.New(apperr.Forbidden, "Kampionin e testeve të vlerësuara të %s e hedh vetëm grupi i monitorimit të lëndës (Neni 57.15).", e.Label)
	}
	var d Draw
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.oversightOpen(ctx, year, e.Code); err != nil {
			return err
		}
		rate, _, err := s.monitorSettings(ctx, year, e.Code)
		if err != nil {
			return err
		}
		pop, err := s.monitorPopulation(ctx, year, e.Code)
		if err != nil {
			return fmt.Errorf("marking: population: %w", err)
		}
		if len(pop) == 0 {
			return apperr.New(apperr.Conflict, "Nuk ka test-broshura të vlerësuara përfundimisht që nga hedhja e fundit e kampionit (Neni 57.15).")
		}
		var last int
		if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COALESCE(MAX(draw_no), 0) FROM marking_monitor_draws WHERE year = $1 AND exam = $2`,
			year, e.Code).Scan(&last); err != nil {
			return fmt.Errorf("marking: last draw: %w", err)
		}
		seed := make([]byte, 16)
		rand.Read(seed)
		d = Draw{No: last + 1, Monitor: p.Username, Seed: hex.EncodeToString(seed), RatePM: rate, Population: len(pop), DrawnAt: s.stamp(ctx), Verified: true}
		d.Codes = SampleCodes(d.Seed, pop, rate)
		d.Sampled = len(d.Codes)
		if _, err := s.db.Q(ctx).ExecContext(ctx, `INSERT INTO marking_monitor_draws (year, exam, draw_no, monitor, seed, rate_pm, population, sampled, drawn_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, year, e.Code, d.No, d.Monitor, d.Seed, d.RatePM, d.Population, d.Sampled, d.DrawnAt); err != nil {
			return fmt.Errorf("marking: draw: %w", err)
		}
		rows := make([][]any, len(pop))
		for i, c := range pop {
			rows[i] = []any{year, e.Code, c, d.No}
		}
		if err := store.Insert(ctx, "marking_monitor_population", []string{"year", "exam", "code", "draw_no"}, rows); err != nil {
			return fmt.Errorf("marking: population: %w", err)
		}
		samples := make([][]any, len(d.Codes))
		for i, c := range d.Codes {
			samples[i] = []any{year, e.Code, c, d.No}
		}
		if err := store.Insert(ctx, "marking_samples", []string{"year", "exam", "code", "draw_no"}, samples); err != nil {
			return fmt.Errorf("marking: samples: %w", err)
		}
		return audit.Add(ctx, p.Actor(), "marking.sample", "marking_exam", fmt.Sprintf("%d/%s/%d", year, e.Code, d.No), nil,
			map[string]any{"draw_no": d.No, "seed": d.Seed, "rate_pm": rate, "population": d.Population, "sampled": d.Codes})
	})
	if store.IsUniqueViolation(err) {
		return Draw{}, apperr.New(apperr.Conflict, "Një hedhje tjetër e kampionit të %s u bë në të njëjtën kohë; hapeni faqen përsëri.", e.Label)
	}
	if err != nil {
		return Draw{}, err
	}
	return d, nil
}

// VerifyDraw draws the sample of draw drawNo again from its recorded seed
// and population and reports whether it is the sample recorded.
func (s *Service) VerifyDraw(ctx context.Context, year int, exam string, drawNo int) (bool, error) {
	year, e, err := s.oversightExam(ctx, year, exam)
	if err != nil {
		return false, err
	}
	var seed string
	var rate, population, sampled int
	err = s.db.Q(ctx).QueryRowContext(ctx, `SELECT seed, rate_pm, population, sampled FROM marking_monitor_draws WHERE year = $1 AND exam = $2 AND draw_no = $3`,
		year, e.Code, drawNo).Scan(&seed, &rate, &population, &sampled)
	if errors.Is(err, sql.ErrNoRows) {
		return false, apperr.New(apperr.NotFound, "Hedhja %d e kampionit të %s nuk ekziston.", drawNo, e.Label)
	}
	if err != nil {
		return false, fmt.Errorf("marking: draw %d: %w", drawNo, err)
	}
	codes := func(table string) ([]string, error) {
		return store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (c string, err error) { return c, r.Scan(&c) },
			`SELECT code FROM `+table+` WHERE year = $1 AND exam = $2 AND draw_no = $3 ORDER BY code`, year, e.Code, drawNo)
	}
	pop, err := codes("marking_monitor_population")
	if err != nil {
		return false, fmt.Errorf("marking: population of draw %d: %w", drawNo, err)
	}
	got, err := codes("marking_samples")
	if err != nil {
		return false, fmt.Errorf("marking: samples of draw %d: %w", drawNo, err)
	}
	again := SampleCodes(seed, pop, rate)
	return len(pop) == population && len(got) == sampled && slices.Equal(again, got), nil
}

// ReviewSample is a monitor's verdict on a sampled booklet (Neni 57.15):
// confirmed, or returned with a reason — then the booklet is marked again
// (returnBooklet).
func (s *Service) ReviewSample(ctx context.Context, p *auth.Principal, year int, exam, code, verdict, reason string) error {
	year, e, err := s.oversightExam(ctx, year, exam)
	if err != nil {
		return err
	}
	if !mayMonitorExam(p, e.Code) {
		return apperr.New(apperr.Forbidden, "Testet e kampionit të %s i shqyrton vetëm grupi i monitorimit të lëndës (Neni 57.15).", e.Label)
	}
	reason = strings.TrimSpace(reason)
	switch verdict {
	case VerdictConfirmed:
	case VerdictReturned:
		if reason == "" {
			return apperr.New(apperr.Invalid, "Një test-broshurë kthehet për rivlerësim vetëm me arsye (Neni 57.15).")
		}
	default:
		return apperr.New(apperr.Invalid, "Vendimi «%s» nuk njihet: «confirmed» (konfirmohet) ose «returned» (kthehet me arsye).", verdict)
	}
	code = oversightCode(code)
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.oversightOpen(ctx, year, e.Code); err != nil {
			return err
		}
		var was, state string
		err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT s.verdict, b.state FROM marking_samples s
			JOIN marking_booklets b ON b.year = s.year AND b.exam = s.exam AND b.code = s.code
			WHERE s.year = $1 AND s.exam = $2 AND s.code = $3`, year, e.Code, code).Scan(&was, &state)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "Test-broshura %s nuk është në kampionin e monitorimit të %s.", anonym.Display(code), e.Label)
		}
		if err != nil {
			return fmt.Errorf("marking: sample %s: %w", code, err)
		}
		if was != "" {
			return apperr.New(apperr.Conflict, "Për test-broshurën %s monitoruesi ka vendosur tashmë.", anonym.Display(code))
		}
		if verdict == VerdictReturned && state != StateFinal {
			return apperr.New(apperr.Conflict, "Test-broshura %s nuk ka më vlerësim përfundimtar për t'u kthyer.", anonym.Display(code))
		}
		res, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE marking_samples SET verdict = $1, reason = $2, decided_by = $3, decided_at = $4
			WHERE year = $5 AND exam = $6 AND code = $7 AND verdict = ''`, verdict, reason, p.Username, s.stamp(ctx), year, e.Code, code)
		if err != nil {
			return fmt.Errorf("marking: verdict %s: %w", code, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return apperr.New(apperr.Conflict, "Për test-broshurën %s monitoruesi ka vendosur tashmë.", anonym.Display(code))
		}
		if verdict == VerdictReturned {
			if err := s.returnBooklet(ctx, year, e.Code, code, reason); err != nil {
				return err
			}
			return audit.Add(ctx, p.Actor(), "marking.return", "marking_booklet", fmt.Sprintf("%d/%s/%s", year, e.Code, code),
				map[string]any{"state": state}, map[string]any{"state": StateOpen, "reason": reason})
		}
		return audit.Add(ctx, p.Actor(), "marking.sample", "marking_sample", fmt.Sprintf("%d/%s/%s", year, e.Code, code),
			nil, map[string]any{"verdict": verdict})
	})
}

// returnBooklet sends a booklet back to be marked again: every marking of
// it (rounds 1–2, and 3 if any) is emptied, keeping who marks it and the
// reason, the paper sheets typed for it are dropped so they can be typed
// again, and the booklet is open with no final mark.
func (s *Service) returnBooklet(ctx context.Context, year int, exam, code, reason string) error {
	q := s.db.Q(ctx)
	if _, err := q.ExecContext(ctx, `UPDATE marking_allocations SET points = '', choices = '', total = -1, submitted_at = '', source = '', returned_reason = $1
		WHERE year = $2 AND exam = $3 AND code = $4`, reason, year, exam, code); err != nil {
		return fmt.Errorf("marking: return %s: %w", code, err)
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM marking_entries WHERE year = $1 AND exam = $2 AND code = $3`, year, exam, code); err != nil {
		return fmt.Errorf("marking: return %s entries: %w", code, err)
	}
	if _, err := q.ExecContext(ctx, `UPDATE marking_booklets SET state = 'open', final_points = -1, final_round = 0
		WHERE year = $1 AND exam = $2 AND code = $3`, year, exam, code); err != nil {
		return fmt.Errorf("marking: return %s: %w", code, err)
	}
	return nil
}

// nonNil is s, or an empty list for none (JSON lists are never null).
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// oversightCode reads a booklet code as typed or shown ("K7Q2-M9XD-R").
func oversightCode(code string) string {
	c, _ := anonym.Normalize(strings.TrimSpace(code))
	return c
}

// MayWatchMonitoring: the subject's monitors, AVA and the observers
// read the monitoring of an exam (the index page asks it for its link).
func MayWatchMonitoring(p *auth.Principal, exam string) bool {
	return mayMonitorExam(p, exam) || MayManage(p) || MayObserve(p)
}

// Monitoring is the monitors' page of an exam: the draws, each verified
// again from its seed, and the booklets sampled with their verdicts.
func (s *Service) Monitoring(ctx context.Context, p *auth.Principal, year int, exam string) (Monitoring, error) {
	year, e, err := s.oversightExam(ctx, year, exam)
	if err != nil {
		return Monitoring{}, err
	}
	if !MayWatchMonitoring(p, e.Code) {
		return Monitoring{}, apperr.New(apperr.Forbidden, "Monitorimin e vlerësimit të %s e shohin grupi i monitorimit i lëndës, AVA dhe vëzhguesit (Neni 57.15, 57.18).", e.Label)
	}
	m := Monitoring{Year: year, Exam: e}
	if m.RatePM, _, err = s.monitorSettings(ctx, year, e.Code); err != nil {
		return m, err
	}
	if m.Closed, err = s.Closed(ctx, year, e.Code); err != nil {
		return m, err
	}
	pop, err := s.monitorPopulation(ctx, year, e.Code)
	if err != nil {
		return m, fmt.Errorf("marking: population: %w", err)
	}
	m.Waiting = len(pop)
	m.CanDraw = mayMonitorExam(p, e.Code) && !m.Closed
	m.Draws, err = store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (d Draw, err error) {
		return d, r.Scan(&d.No, &d.Monitor, &d.Seed, &d.RatePM, &d.Population, &d.Sampled, &d.DrawnAt)
	}, `SELECT draw_no, monitor, seed, rate_pm, population, sampled, drawn_at FROM marking_monitor_draws WHERE year = $1 AND exam = $2 ORDER BY draw_no DESC`, year, e.Code)
	if err != nil {
		return m, fmt.Errorf("marking: draws: %w", err)
	}
	for i := range m.Draws {
		if m.Draws[i].Verified, err = s.VerifyDraw(ctx, year, e.Code, m.Draws[i].No); err != nil {
			return m, err
		}
	}
	m.Samples, err = store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (x Sample, err error) {
		return x, r.Scan(&x.Code, &x.DrawNo, &x.Verdict, &x.Reason, &x.DecidedBy, &x.DecidedAt, &x.Final)
	}, `SELECT s.code, s.draw_no, s.verdict, s.reason, s.decided_by, s.decided_at, b.final_points FROM marking_samples s
		JOIN marking_booklets b ON b.year = s.year AND b.exam = s.exam AND b.code = s.code
		WHERE s.year = $1 AND s.exam = $2 ORDER BY s.verdict <> '', s.draw_no DESC, s.code`, year, e.Code)
	if err != nil {
		return m, fmt.Errorf("marking: samples: %w", err)
	}
	for i := range m.Samples {
		m.Samples[i].Display = anonym.Display(m.Samples[i].Code)
	}
	m.Draws, m.Samples = nonNil(m.Draws), nonNil(m.Samples)
	return m, nil
}

// SampledBooklet is what a monitor sees of a sampled booklet: its code,
// the test's items and the final marks — never who wrote it.
type SampledBooklet struct {
	Year   int    `json:"year"`
	Exam   string `json:"exam"`
	Sample Sample `json:"sample"`
	State  string `json:"state"`
	Round  int    `json:"final_round"`
	Items  []Item `json:"items"`
	Marks  *Marks `json:"final_marks,omitempty"`
	Closed bool   `json:"closed"`
	// CanReview: the caller is the subject's monitor, the booklet waits
	// for a verdict and marking is open.
	CanReview bool `json:"can_review"`
}

// SampledBooklet returns a booklet of the exam's sample with its final
// marks; a code outside the sample is NotFound.
func (s *Service) SampledBooklet(ctx context.Context, p *auth.Principal, year int, exam, code string) (SampledBooklet, error) {
	year, e, err := s.oversightExam(ctx, year, exam)
	if err != nil {
		return SampledBooklet{}, err
	}
	if !MayWatchMonitoring(p, e.Code) {
		return SampledBooklet{}, apperr.New(apperr.Forbidden, "Kampionin e monitorimit të %s e shohin grupi i monitorimit i lëndës, AVA dhe vëzhguesit (Neni 57.15, 57.18).", e.Label)
	}
	b := SampledBooklet{Year: year, Exam: e.Code}
	x := &b.Sample
	err = s.db.Q(ctx).QueryRowContext(ctx, `SELECT s.code, s.draw_no, s.verdict, s.reason, s.decided_by, s.decided_at, b.final_points, b.state, b.final_round
		FROM marking_samples s JOIN marking_booklets b ON b.year = s.year AND b.exam = s.exam AND b.code = s.code
		WHERE s.year = $1 AND s.exam = $2 AND s.code = $3`, year, e.Code, oversightCode(code)).
		Scan(&x.Code, &x.DrawNo, &x.Verdict, &x.Reason, &x.DecidedBy, &x.DecidedAt, &x.Final, &b.State, &b.Round)
	if errors.Is(err, sql.ErrNoRows) {
		return b, apperr.New(apperr.NotFound, "Test-broshura %s nuk është në kampionin e monitorimit të %s.", code, e.Label)
	}
	if err != nil {
		return b, fmt.Errorf("marking: sample %s: %w", code, err)
	}
	x.Display = anonym.Display(x.Code)
	if b.Items, err = s.items(ctx, year, e.Code); err != nil {
		return b, err
	}
	if b.Closed, err = s.Closed(ctx, year, e.Code); err != nil {
		return b, err
	}
	b.Items = nonNil(b.Items)
	b.CanReview = mayMonitorExam(p, e.Code) && !b.Closed && x.Verdict == ""
	if b.State == StateFinal && (b.Round == 2 || b.Round == 3) {
		round := b.Round
		if round == 2 {
			round = 1
		}
		var choices, points string
		err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT choices, points FROM marking_allocations WHERE year = $1 AND exam = $2 AND code = $3 AND round = $4`,
			year, e.Code, x.Code, round).Scan(&choices, &points)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return b, fmt.Errorf("marking: final marks of %s: %w", code, err)
		}
		if err == nil {
			if m, err := decodeMarks(choices, points, len(b.Items)); err == nil {
				b.Marks = &m
			}
		}
	}
	return b, nil
}
