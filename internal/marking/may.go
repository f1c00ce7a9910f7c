package marking

import (
	"context"

	"provim/internal/auth"
)

// Who may do what in marking (the domain answers "may"; web asks).

// MayManage: AVA defines tests, appoints markers, allocates and closes.
func MayManage(p *auth.Principal) bool { return p.IsNational() }

// MayMark: an external marker of a subject (Neni 57.6).
func MayMark(p *auth.Principal) bool { return p != nil && p.Role == auth.RoleMarker }

// MayMonitor: MASH's monitor of a subject (Neni 57.15).
func MayMonitor(p *auth.Principal) bool { return p != nil && p.Role == auth.RoleMonitor }

// MayJudgeCopying: KOPOTED (Neni 57.16).
func MayJudgeCopying(p *auth.Principal) bool { return p != nil && p.Role == auth.RoleKOPOTED }

// MayDecide: MASH decides on KOPOTED's reports (Neni 57.17).
func MayDecide(p *auth.Principal) bool { return p != nil && p.Role == auth.RoleMASH }

// MayObserve: the State Matura Committee's representatives watch the
// marking, reading only (Neni 57.18).
func MayObserve(p *auth.Principal) bool { return p != nil && p.Role == auth.RoleObserver }

// MayOpenMarking: who has a marking menu at all.
func MayOpenMarking(p *auth.Principal) bool {
	return MayManage(p) || MayMark(p) || MayMonitor(p) || MayJudgeCopying(p) || MayDecide(p) || MayObserve(p)
}

// ForSubject reports whether p's subject scope (a marker's or a
// monitor's) is exam.
func ForSubject(p *auth.Principal, exam string) bool {
	return p != nil && p.Subject != "" && NormExam(p.Subject) == NormExam(exam)
}

// Part is a part of an exam's marking the caller may open: its key (the
// web names its page) and its Albanian name.
type Part struct {
	Key   string
	Label string
}

// Parts lists the parts of an exam's marking p may open, in the order of
// the work: the test, the markers and their training, the queue, the
// third markers, the paper sheets, the monitors, copying, quality and
// the close.
func (s *Service) Parts(ctx context.Context, p *auth.Principal, year int, exam string) []Part {
	lead := s.MayLeadExam(ctx, p, year, exam)
	var out []Part
	add := func(ok bool, key, label string) {
		if ok {
			out = append(out, Part{key, label})
		}
	}
	add(MayManage(p), "test", "Testi dhe skema")
	add(MayManage(p) || lead, "markers", "Vlerësuesit")
	add(MayMark(p) && ForSubject(p, exam), "training", "Trajnimi")
	add(MayMark(p) && ForSubject(p, exam), "queue", "Testet për vlerësim")
	add(MayManage(p) || lead, "third", "Vlerësuesi i tretë")
	add(MayManage(p), "paper", "Fletët në letër")
	add(MayWatchMonitoring(p, exam), "monitoring", "Monitorimi")
	add(MayWatchCopying(p), "copying", "Kopjimi dhe KOPOTED")
	add(s.MayWatchQuality(ctx, p, year, exam), "quality", "Cilësia")
	add(MayManage(p) || lead || MayObserve(p), "progress", "Ecuria dhe mbyllja")
	add(MayManage(p), "scans", "Skanimet")
	return out
}
