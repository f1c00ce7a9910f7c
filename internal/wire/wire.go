// Package wire builds provim's services once, over one store and one
// clock, in the order they depend on each other. cmd/provim calls New once
// for the program's life and hands the result to the web layer; tests and
// the demo call it the same way, so every caller runs the same graph.
package wire

import (
	"provim/internal/accounts"
	"provim/internal/anonym"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/certificate"
	"provim/internal/certificate/fromresults"
	"provim/internal/clock"
	"provim/internal/custody"
	"provim/internal/draw"
	"provim/internal/examday"
	"provim/internal/examyear"
	"provim/internal/marking"
	"provim/internal/nextstep"
	"provim/internal/registry"
	"provim/internal/remark"
	"provim/internal/results"
	"provim/internal/retention"
	"provim/internal/store"
	"provim/internal/venue"
)

// Services are every domain service of the program.
type Services struct {
	DB           *store.DB
	Clock        clock.Clock
	Auth         *auth.Service
	Registry     *registry.Service
	Years        *examyear.Service
	Applications *application.Service
	Venues       *venue.Service
	Draws        *draw.Service
	Custody      *custody.Service
	Anonym       *anonym.Service
	Accounts     *accounts.Service
	// NextSteps computes every dashboard's "what now" (reads only).
	NextSteps *nextstep.Service
	// ExamDay runs the exam day at the venues (Neni 48–56).
	ExamDay *examday.Service
	// Marking marks the booklets by code (Neni 57).
	Marking *marking.Service
	// Results computes, publishes and serves the results (Neni 57.1, 57.19).
	Results *results.Service
	// Remark runs the re-marking requests and test copies (Neni 64).
	Remark *remark.Service
	// Certificates issues, checks and revokes the Dëftesa e Pjekurisë
	// (issue 15 item 8); its seal is set by cmd/provim (SetSeal).
	Certificates *certificate.Service
	// Retention destroys the scans and the link on the configured date
	// (Neni 65), through their owners (provim retention run).
	Retention *retention.Service
}

// New builds every service over db, all reading clk: the store freezes it
// once per transaction, so a change stamps one moment on all it writes.
func New(db *store.DB, clk clock.Clock) *Services {
	db.Clock = clk
	s := &Services{DB: db, Clock: clk}
	s.Auth = auth.NewService(db)
	s.Registry = registry.NewService(db)
	s.Years = examyear.NewService(db)
	s.Applications = application.NewService(db, s.Years, s.Registry)
	s.Venues = venue.NewService(db, s.Years, s.Registry, s.Applications)
	// Seats follow the final lists in the transaction that rebuilds them;
	// a timetable that puts a candidate in two exams at once is refused.
	s.Applications.OnFinalLists(s.Venues.FollowFinalLists)
	s.Years.AddCheck(s.Venues.CheckTimetable)
	// Late changes (issue 9 item 11): a room's seats after the venue list
	// (Neni 41), a listed candidate's personal data (Neni 36).
	s.Registry.SetRoomGuard(s.Venues.GuardRoomEdit)
	s.Registry.SetListedLookup(s.Applications.ListedExams)
	s.Registry.SetListsBuilt(s.Applications.FinalListsBuilt)
	s.Draws = draw.NewService(db, s.Years, s.Registry, s.Venues)
	s.Venues.OnPlanUsedBy(s.Draws.StaleAfterPlanChange)
	s.Custody = custody.NewService(db, s.Years, s.Venues)
	s.Venues.OnPlanUsedBy(s.Custody.StaleAfterPlanChange)
	// Anonymisation codes and the sealed link (Neni 51, 53, 58, 59.3).
	s.Anonym = anonym.NewService(db, s.Years, s.Venues, s.Registry)
	// The exam day (Neni 48–56): its desk calls anonym, anonym asks it
	// who was drawn, custody asks it whether the counts balance.
	wireExamDay(s)
	// Marking (Neni 57) reads the codes used; the link opens only after
	// its close (Neni 59.3).
	s.Marking = marking.NewService(db, s.Years, s.Registry, s.Venues, s.Anonym, s.Auth)
	s.Anonym.SetMarkingClosed(s.Marking.Closed)
	s.Accounts = accounts.NewService(s.Auth, s.Registry, s.Applications, s.Draws, s.Years)
	s.NextSteps = nextstep.NewService(clk, s.Years, s.Registry, s.Applications, s.Venues, s.Draws, s.Custody)
	s.NextSteps.SetMarking(s.Marking)
	// Results (issue 15): from the closed marking and the opened link.
	s.Results = results.NewService(db, s.Years, s.Registry, s.Applications, s.Marking, s.Anonym)
	// The second session plans the candidates the KMSHs sent (Neni 58).
	s.Venues.SetSession2Source(s.Results.Session2Candidates)
	// Re-marking (Neni 64) reads the results and hands them its final points.
	s.Remark = remark.NewService(db, s.Years, s.Registry, s.Applications, s.Anonym, s.Marking, s.Results)
	// Certificates read the completions; a re-marking that changes a
	// grade revokes and reissues, in its transaction (Neni 64).
	s.Certificates = certificate.NewService(db, s.Years, s.Registry)
	s.Certificates.SetSource(fromresults.Source{R: s.Results})
	s.Results.OnGradeChange(s.Certificates.Reissue)
	// Retention (Neni 65) asks each owner to destroy its own rows.
	s.Retention = retention.NewService(db, s.Years, retention.Parts(s.Marking, s.Anonym, s.Results, s.Remark)...)
	return s
}
