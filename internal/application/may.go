package application

import (
	"context"
	"time"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/examyear"
)

// What a principal may do in the application phase, for the pages to ask
// before they offer an action. The services still enforce every rule.

// Desk is a principal's place in the application chain (Neni 20–36): the
// student files, the school commission confirms, the regional commission
// verifies, AVA registers. The order is the order of the chain.
type Desk int

// The desks of the application chain; NoDesk for every other role.
const (
	NoDesk Desk = iota
	StudentDesk
	SchoolDesk
	RegionDesk
	NationalDesk
)

// DeskOf is p's desk in the application chain.
func DeskOf(p *auth.Principal) Desk {
	if p == nil {
		return NoDesk
	}
	return Desk(level(p.Role))
}

// LateAllowed tells whether p may act after the deadline of a step owned
// by owner, with a reason: a higher level of the chain, or AVA for its own
// steps (the rule checkDeadline enforces). The pages show the field
// "Arsyeja e pranimit me vonesë" only then.
func LateAllowed(p *auth.Principal, owner auth.Role) bool {
	if p == nil {
		return false
	}
	return level(p.Role) > level(owner) || (p.Role == auth.RoleAVA && owner == auth.RoleAVA)
}

// LateAllowedOnSchoolStep: p may still act, with a reason, on a step the
// school commission owed by its deadline — table T and the forms to the
// KMSH (Neni 22 ¶2–3), A2 (Neni 32), the failing students (Neni 35 ¶1–2),
// a paper form handed in late (Neni 22 ¶1): the KMSH and AVA.
func LateAllowedOnSchoolStep(p *auth.Principal) bool { return LateAllowed(p, auth.RoleKSHMSH) }

// LateAllowedOnRegionStep: p may still act, with a reason, on a step the
// regional commission owed by its deadline — the lists to AVA (Neni 22
// ¶4), the failing students (Neni 35 ¶3), a special category's candidate
// (Neni 23–27, 33.6): AVA.
func LateAllowedOnRegionStep(p *auth.Principal) bool { return LateAllowed(p, auth.RoleKMSH) }

// MayFileOwn: the student files their own forms A1/A1z and A2.
func MayFileOwn(p *auth.Principal) bool { return DeskOf(p) == StudentDesk }

// MayHandleForms: the commissions above the student (school, region, AVA)
// read and handle the forms of the schools in their scope: lists, paper
// forms, corrections, table T, failing students, final lists, imports.
func MayHandleForms(p *auth.Principal) bool { return DeskOf(p) >= SchoolDesk }

// ChoosesSchool: the principal handles the forms of more than one school
// and picks the school a page is about (the regional commission, AVA).
func ChoosesSchool(p *auth.Principal) bool { return DeskOf(p) > SchoolDesk }

// AtSchoolDesk: the school commission (its pages: the forms, table T).
func AtSchoolDesk(p *auth.Principal) bool { return DeskOf(p) == SchoolDesk }

// AtRegionDesk: the regional commission (its page: the schools of the unit).
func AtRegionDesk(p *auth.Principal) bool { return DeskOf(p) == RegionDesk }

// AtNationalDesk: AVA (registration numbers and the final lists).
func AtNationalDesk(p *auth.Principal) bool { return DeskOf(p) == NationalDesk }

// MayWorkUnits: the regional commission and AVA act for a DAR/ZA
// (verification, the lists to AVA, special categories).
func MayWorkUnits(p *auth.Principal) bool { return DeskOf(p) >= RegionDesk }

// MayRegisterSpecial: the regional commission and AVA register the
// candidates of the special categories (Neni 23–27, 33).
func MayRegisterSpecial(p *auth.Principal) bool { return MayWorkUnits(p) }

// MayEditProgrammes: AVA keeps the catalogue of study programmes.
func MayEditProgrammes(p *auth.Principal) bool { return AtNationalDesk(p) }

// MayRecordResults: AVA records earlier results and exclusions.
func MayRecordResults(p *auth.Principal) bool { return AtNationalDesk(p) }

// MayRead: every signed-in role reads the public rules of the phase (the
// documents a special category brings).
func MayRead(p *auth.Principal) bool { return p != nil && p.Role.Valid() }

// Window is a calendar step as a form shows it to the viewer before it is
// filled in (issue 11, part D): the deadline's name, article and day, and
// whether it has passed for the viewer. Past the deadline the owner of the
// step is refused on submit (checkDeadline); the page says so first and
// shows the form disabled. A higher level of the chain (AVA for its own
// steps) may still act with a reason: for it the form stays open and asks
// for the reason (Late).
type Window struct {
	Key, Name, Article string
	Date               string // the last day, 02.01.2006; "" when the year has no such step
	Closed             bool   // passed, and the viewer may not act late: the form is disabled
	Late               bool   // passed, and the viewer may still act, with a reason
}

// Passed: the step's deadline is over (for anyone).
func (w Window) Passed() bool { return w.Closed || w.Late }

// Message is the sentence the page shows once the deadline has passed ("" before).
func (w Window) Message() string {
	switch {
	case w.Closed:
		return "Afati «" + w.Name + "» (" + w.Article + ") ka kaluar më " + w.Date + ": formulari nuk pranohet më."
	case w.Late:
		return "Afati «" + w.Name + "» (" + w.Article + ") ka kaluar më " + w.Date + ": si nivel më i lartë mund ta pranoni me vonesë vetëm duke shënuar arsyen."
	}
	return ""
}

// stepOwners is the role that must do each step of the calendar by its
// deadline (the owner checkDeadline is called with).
var stepOwners = map[string]auth.Role{
	examyear.KeyA1:                  auth.RoleStudent, // Neni 22 ¶1
	examyear.KeyA2:                  auth.RoleStudent, // Neni 21 ¶2
	examyear.KeyTableT:              auth.RoleKSHMSH,  // Neni 22 ¶2
	examyear.KeyFormsToKMSH:         auth.RoleKSHMSH,  // Neni 22 ¶3
	examyear.KeyA2ToKMSH:            auth.RoleKSHMSH,  // Neni 32
	examyear.KeyFailingToKMSH:       auth.RoleKSHMSH,  // Neni 35 ¶1–2
	examyear.KeyCorrectionsToKMSH:   auth.RoleKSHMSH,  // Neni 34 ¶5
	examyear.KeyListsToAVA:          auth.RoleKMSH,    // Neni 22 ¶4
	examyear.KeyFailingToAVA:        auth.RoleKMSH,    // Neni 35 ¶3
	examyear.KeyCorrectionsToAVA:    auth.RoleKMSH,    // Neni 34 ¶5
	examyear.KeyAbroadA1:            auth.RoleKMSH,    // Neni 33.6
	examyear.KeyRegistrationNumbers: auth.RoleAVA,     // Neni 34 ¶3
	examyear.KeyVenueInspection:     auth.RoleKMSH,    // Neni 37: later, only with AVA's approval
	examyear.KeyVenueLists:          auth.RoleKMSH,    // Neni 41 ¶1: later, only with AVA's approval
}

// StepOwner is the role that must do the step key by its deadline (KMSH
// for a step of the calendar the chain does not name).
func StepOwner(key string) auth.Role {
	if r, ok := stepOwners[key]; ok {
		return r
	}
	return auth.RoleKMSH
}

// WindowAt is the step key of cfg as p sees it at now, its owner being
// the role that must do it (StepOwner); the rule of checkDeadline
// (Neni 20–22, 32–35): the deadline's day counts until 23:59:59 in Tirana.
func WindowAt(cfg examyear.Config, key string, p *auth.Principal, now time.Time) Window {
	return windowFor(cfg, key, StepOwner(key), p, now)
}

func windowFor(cfg examyear.Config, key string, owner auth.Role, p *auth.Principal, now time.Time) Window {
	d, ok := cfg.Deadline(key)
	if !ok {
		return Window{Key: key}
	}
	w := Window{Key: key, Name: d.Name, Article: d.Article, Date: d.Date}
	t, err := time.Parse("2006-01-02", d.Date)
	if err != nil {
		return w // a broken date: the submit names it (CheckDeadline)
	}
	w.Date = t.Format("02.01.2006")
	if err := cfg.CheckDeadline(key, now); err == nil || !apperr.Is(err, apperr.Invalid) {
		return w
	}
	if LateAllowed(p, owner) {
		w.Late = true
	} else {
		w.Closed = true
	}
	return w
}

// Window is the step key of the active year as p sees it now (WindowAt
// on the service's clock): the pages ask it before they show a form.
func (s *Service) Window(ctx context.Context, p *auth.Principal, key string) (Window, error) {
	y, err := s.year(ctx)
	if err != nil {
		return Window{}, err
	}
	return WindowAt(y.Config, key, p, s.db.Now(ctx)), nil
}

// specialStep is the calendar step by which the KMSH registers a candidate
// of a special category: the A1 deadline (Neni 23–27), for those with
// studies abroad the forms to AVA (Neni 33.6).
func specialStep(category string) string {
	if category == Neni33 {
		return examyear.KeyAbroadA1 // Neni 33.6
	}
	return examyear.KeyA1
}

// SpecialWindow is Window for the registration of a special category's
// candidate (its step is the KMSH's: specialStep).
func (s *Service) SpecialWindow(ctx context.Context, p *auth.Principal, category string) (Window, error) {
	y, err := s.year(ctx)
	if err != nil {
		return Window{}, err
	}
	return windowFor(y.Config, specialStep(category), auth.RoleKMSH, p, s.db.Now(ctx)), nil
}

// CorrectionWindow is Window for a correction of a by p (its step:
// correctionStep). A correction p may not make at all (a lower level than
// the step's owner) is the submit's refusal, not a closed window.
func (s *Service) CorrectionWindow(ctx context.Context, p *auth.Principal, a Application) (Window, error) {
	y, err := s.year(ctx)
	if err != nil {
		return Window{}, err
	}
	sent, err := (&change{s: s, p: p}).schoolSent(ctx, y.Year, a.SchoolCode) // a read: no transaction
	if err != nil {
		return Window{}, err
	}
	key, owner := correctionStep(a, sent, p)
	return windowFor(y.Config, key, owner, p, s.db.Now(ctx)), nil
}
