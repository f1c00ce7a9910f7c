// Package registry is the national register: regional directorates (DAR)
// and local education offices (ZA), schools, students and candidates,
// staff, and venues with their rooms. Every read and write is limited to
// the caller's scope: AVA sees the country, a KMSH its DAR/ZA (a DAR
// includes the ZA under it), a KSHMSH its school, a student themselves.
package registry

import (
	"provim/internal/store"
)

// Unit is a regional directorate (DAR) or a local education office (ZA).
type Unit struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Kind       string `json:"kind"` // "DAR" or "ZA"
	ParentCode string `json:"parent_code,omitempty"`
	City       string `json:"city"`
}

// School profiles.
var Profiles = map[string]string{
	"gjimnaz":           "Gjimnaz i përgjithshëm",
	"shkenca_natyrore":  "Gjimnaz — shkenca natyrore",
	"shkenca_shoqerore": "Gjimnaz — shkenca shoqërore",
	"gjuhe_te_huaja":    "Gjimnaz gjuhësh të huaja",
	"profesionale":      "Shkollë profesionale",
	"arte":              "Liceu artistik",
	"sport":             "Shkollë sportive",
}

// School is a secondary school.
type School struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	UnitCode string `json:"unit_code"`
	City     string `json:"city"`
	Public   bool   `json:"public"`
	Profile  string `json:"profile"`
	Years    int    `json:"years"` // 4 or 5
	Address  string `json:"address"`
}

// Student categories (Neni 2.3–2.4).
const (
	Maturant = "maturant" // final-year student without a maturity certificate
	Kandidat = "kandidat" // holder of a maturity certificate
)

// Student is a maturant or candidate as registered by the school.
type Student struct {
	ID           int64   `json:"id"`
	PersonalNo   string  `json:"personal_no"`
	FirstName    string  `json:"first_name"`
	FatherName   string  `json:"father_name"`
	LastName     string  `json:"last_name"`
	Sex          string  `json:"sex"`
	BirthDate    string  `json:"birth_date"` // YYYY-MM-DD
	SchoolCode   string  `json:"school_code"`
	SchoolName   string  `json:"school_name,omitempty"`
	ClassName    string  `json:"class_name"`
	AverageGrade float64 `json:"average_grade,omitempty"` // 0 = not yet known
	Category     string  `json:"category"`
	Phone        string  `json:"phone"`
	UpdatedAt    string  `json:"updated_at,omitempty"`
	// Reason is why the personal data of a candidate on the final name
	// lists change (Neni 36): asked for on a save, never stored here.
	Reason string `json:"reason,omitempty"`
}

// FullName is "First (Father) Last", the form printed on Albanian lists.
func (s *Student) FullName() string {
	return PersonName(s.FirstName, s.FatherName, s.LastName)
}

// Staff positions.
var Positions = map[string]string{
	"mesues":     "Mësues",
	"drejtor":    "Drejtor shkolle",
	"nendrejtor": "Nëndrejtor",
	"specialist": "Specialist DAR/ZA",
	"pedagog":    "Pedagog",
}

// Staff is a person who can serve in the exam (teachers as administrators,
// specialists as commission members).
type Staff struct {
	ID         int64  `json:"id"`
	PersonalNo string `json:"personal_no"`
	FirstName  string `json:"first_name"`
	FatherName string `json:"father_name"`
	LastName   string `json:"last_name"`
	Sex        string `json:"sex"`
	UnitCode   string `json:"unit_code"`
	SchoolCode string `json:"school_code,omitempty"`
	Position   string `json:"position"`
	Subjects   string `json:"subjects"` // subject codes, comma separated
	Phone      string `json:"phone"`
	UpdatedAt  string `json:"updated_at,omitempty"`
}

// Venue is a building where the exam is held, usually a school's.
type Venue struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	UnitCode   string `json:"unit_code"`
	SchoolCode string `json:"school_code,omitempty"`
	City       string `json:"city"`
	Address    string `json:"address"`
	Floors     int    `json:"floors"`
	Rooms      []Room `json:"rooms,omitempty"`
	Seats      int    `json:"seats"`
}

// Room is an exam room of a venue.
type Room struct {
	ID        int64  `json:"id"`
	VenueCode string `json:"venue_code"`
	Name      string `json:"name"`
	Floor     int    `json:"floor"`
	Seats     int    `json:"seats"`
	LengthCM  int    `json:"length_cm"`
	WidthCM   int    `json:"width_cm"`
}

// Service is the registry over the shared database.
type Service struct {
	db     *store.DB
	limits Limits
	guard  guard
	hooks  hooks // late changes (late_hooks.go)
}

// NewService returns the registry service with DefaultLimits.
func NewService(db *store.DB) *Service { return &Service{db: db, limits: DefaultLimits} }
