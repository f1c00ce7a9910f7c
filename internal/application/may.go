package application

import "provim/internal/auth"

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
