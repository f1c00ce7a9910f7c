package nextstep

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"provim/internal/albanian"
	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/custody"
	"provim/internal/draw"
	"provim/internal/examyear"
	"provim/internal/marking"
)

func (b *builder) school(ctx context.Context, d *Dashboard) error {
	sp, err := b.s.apps.SchoolProgressOf(ctx, b.y.Year, b.p.School)
	if err != nil {
		return err
	}
	b.deadline(examyear.KeyA1, "Hidhni formularët në letër dhe ndiqni formularët e dorëzuar nga nxënësit", "/aplikimet", false, false)
	b.deadline(examyear.KeyTableT, fmt.Sprintf("Konfirmoni formularët e dorëzuar (%s pa konfirmuar) dhe plotësoni tabelën T", albanian.Int(sp.Submitted)),
		"/aplikimet", sp.SentToKMSH || sp.Submitted == 0 && sp.Forms > 0, false)
	b.deadline(examyear.KeyFormsToKMSH, "Dërgoni formularët dhe tabelën T në KMSH", "/aplikimet/tabela-t", sp.SentToKMSH, false)
	b.deadline(examyear.KeyFailingToKMSH, "Shënoni nxënësit mbetës të vitit shkollor dhe njoftoni KMSH-në", "/aplikimet/mbetes", false, false)
	if e, start, ok := b.examSoon(); ok {
		// Neni 12.9: the school tells each candidate where they sit.
		b.add(Step{Text: fmt.Sprintf("Njoftoni çdo nxënës për qendrën dhe sallën e provimit %s", e.Code), Link: "/plani/shkolla?" + url.Values{"provimi": {e.Code}}.Encode(),
			When: Around(b.now, ArriveBy(start), "para"), Article: "Neni 12.9"})
	}
	b.deadline(examyear.KeyA2, fmt.Sprintf("Ndiqni formularët A2 të nxënësve (%s të plotësuar)", albanian.Int(sp.A2)), "/aplikimet", false, false)
	return nil
}

// ---- regional commission ----

func (b *builder) region(ctx context.Context, d *Dashboard) error {
	up, err := b.s.apps.UnitProgressOf(ctx, b.y.Year, b.p.Unit)
	if err != nil {
		return err
	}
	b.deadline(examyear.KeyA1, "Regjistroni kandidatët e kategorive të veçanta pasi t’u verifikoni dokumentet", "/aplikimet/kategori-te-vecanta", false, false)
	b.deadline(examyear.KeyListsToAVA, "Verifikoni shkollat dhe dërgoni listat e kandidatëve në AVA", "/aplikimet/rajoni", up.ListsSent, false)
	b.deadline(examyear.KeyVenueInspection, "Inspektoni qendrat e provimit sipas Nenit 38", "/qendrat/inspektimi", false, false)
	b.deadline(examyear.KeyVenueLists, "Dërgoni listën e qendrave të provimit", "/qendrat/inspektimi", false, false)
	b.deadline(examyear.KeyFailingToAVA, "Dërgoni nxënësit mbetës në AVA", "/aplikimet/rajoni", up.FailingSent, false)
	if e, start, ok := b.examSoon(); ok {
		if err := b.drawSteps(ctx, e, start); err != nil {
			return err
		}
		// The hand-overs waiting for the commission, among them the
		// materials to the PAP at the set hour (Neni 44 ¶1).
		if err := b.custodySteps(ctx, e, custody.Filter{Unit: b.p.Unit}); err != nil {
			return err
		}
	}
	return nil
}

// ---- AVA ----

func (b *builder) national(ctx context.Context, d *Dashboard) error {
	np, err := b.s.apps.NationalProgressOf(ctx, b.y.Year)
	if err != nil {
		return err
	}
	b.deadline(examyear.KeyListsToAVA, fmt.Sprintf("Ndiqni dërgimin e listave nga KMSH-të (%s deri tani)", albanian.Count(np.UnitsSent, "DAR/ZA", "DAR/ZA")),
		"/aplikimet/ava", false, false)
	b.deadline(examyear.KeyRegistrationNumbers, fmt.Sprintf("Caktoni numrat e regjistrimit (%s pa numër)", albanian.Count(np.Unnumbered, "formular", "formularë")),
		"/aplikimet/ava", np.UnitsSent > 0 && np.Unnumbered == 0, false)
	b.deadline(examyear.KeyFailingToAVA, "Ndërtoni listat përfundimtare, pasi KMSH-të të njoftojnë nxënësit mbetës", "/aplikimet/ava", np.FinalBuilt, true)
	if e, start, ok := b.examSoon(); ok {
		list, err := b.s.draws.List(ctx, b.p)
		if err != nil {
			return err
		}
		units, drawn := map[string]bool{}, 0
		for _, x := range list {
			if x.Exam == e.Code && x.Session == e.Session && x.SupersededBy == 0 && !units[x.Unit] {
				units[x.Unit] = true
				if x.Status == draw.StatusDrawn {
					drawn++
				}
			}
		}
		// Done when every DAR/ZA has drawn: nothing is said then.
		if drawn < len(units) || len(units) == 0 {
			b.add(Step{Text: fmt.Sprintf("Ndiqni shortet e personelit për %s: %s nga %s me angazhim të publikuar", e.Code,
				albanian.Count(drawn, "i hedhur", "të hedhur"), albanian.Count(len(units), "short", "shorte")),
				Link: "/shorti?" + url.Values{"provimi": {e.Code}}.Encode(), When: At(b.now, DrawAt(b.y.Config, start)), Article: "Neni 47.5–47.7"})
		}
		if err := b.custodySteps(ctx, e, custody.Filter{}); err != nil {
			return err
		}
	}
	return nil
}

// ---- venue staff ----

func (b *builder) venue(ctx context.Context, d *Dashboard) error {
	cfg := b.y.Config
	site, err := b.s.reg.GetVenue(ctx, b.p, b.p.Venue)
	if err != nil {
		return err
	}
	v := &Venue{Code: site.Code, Name: site.Name, City: site.City, Address: site.Address, Exams: []VenueExam{}}
	d.Venue = v
	rooms, err := b.s.venues.VenueRooms(ctx, b.y.Year, b.p.Venue)
	if err != nil {
		return err
	}
	var draws []draw.VenueDraw
	if draw.MayReadVenue(b.p) {
		if draws, err = b.s.draws.VenueDraws(ctx, b.p); err != nil {
			return err
		}
	}
	follows, err := b.s.custody.Followed(ctx, b.p)
	if err != nil {
		return err
	}
	for _, r := range rooms {
		if len(v.Exams) == 0 || v.Exams[len(v.Exams)-1].Exam != r.Exam || v.Exams[len(v.Exams)-1].Session != r.Session {
			ve := VenueExam{Exam: r.Exam, Name: subjectName(cfg, r.Exam), Session: r.Session, Rooms: []VenueRoom{}}
			if day, ok := cfg.ExamDayOf(r.Exam, r.Session); ok {
				ve.Date, ve.Start = day.Date, day.Start
			}
			for _, dr := range draws {
				if dr.Exam == r.Exam && dr.Session == r.Session {
					ve.DrawID, ve.Drawn = dr.ID, dr.Status == draw.StatusDrawn
					if ve.Drawn {
						ve.Staff = dr.Lines
					}
				}
			}
			if follows(b.p.Venue, r.Exam, r.Session) {
				ve.Materials = "/materialet/" + url.PathEscape(b.p.Venue) + "/" + url.PathEscape(r.Exam)
			}
			v.Exams = append(v.Exams, ve)
		}
		ve := &v.Exams[len(v.Exams)-1]
		ve.Candidates += r.Candidates
		ve.Rooms = append(ve.Rooms, VenueRoom{Name: r.Room, Floor: r.Floor, Candidates: r.Candidates,
			Link: "/plani/salla/" + strconv.FormatInt(r.RoomID, 10) + "?" + url.Values{"provimi": {r.Exam}}.Encode()})
	}
	e, start, ok := b.examSoon()
	if !ok {
		return nil
	}
	var ve *VenueExam
	for i := range v.Exams {
		if v.Exams[i].Exam == e.Code && v.Exams[i].Session == e.Session {
			ve = &v.Exams[i]
		}
	}
	if ve == nil {
		return nil
	}
	if b.p.Role == auth.RolePAP {
		c, err := b.s.custody.Get(ctx, b.p, b.p.Venue, e.Code, e.Session)
		switch {
		case err == nil && c.Pending != nil && custody.MayConfirm(b.p, c.Pending):
			b.add(Step{Text: fmt.Sprintf("Konfirmoni marrjen e materialeve të %s (%s)", e.Code, c.Pending.StepName), Link: ve.Materials,
				Article: c.Pending.Article, Soon: true})
		case err == nil && c.Next != nil && c.Next.No <= 3:
			// Steps 1–3 bring the materials to the PAP: collected with the
			// KMSH representative at the set hour (Neni 44 ¶1).
			b.add(Step{Text: fmt.Sprintf("Tërhiqni materialet e %s nga KMSH bashkë me përfaqësuesin e KMSH", e.Code), Link: ve.Materials,
				When: At(b.now, MaterialsAt(cfg, start)), Article: "Neni 44 ¶1", Soon: true})
		case err != nil && !apperr.Is(err, apperr.NotFound):
			return err
		}
	}
	switch {
	case ve.Drawn:
		b.add(Step{Text: fmt.Sprintf("Shihni personelin e caktuar me short në qendrën tuaj për %s (%s)", e.Code, albanian.Count(len(ve.Staff), "person", "persona")),
			Link: "/shorti", Article: "Neni 44 ¶2, 47.7", Soon: true})
	default:
		b.add(Step{Text: fmt.Sprintf("Shorti i personelit për %s hidhet nga KMSH; pas tij shihni kush vjen në qendrën tuaj", e.Code),
			Link: "/shorti", When: At(b.now, DrawAt(cfg, start)), Article: "Neni 10.9, 47.5"})
	}
	b.add(Step{Text: fmt.Sprintf("Pritni kandidatët (%s në %s), identifikojini me listat emërore të sallave", albanian.Count(ve.Candidates, "kandidat", "kandidatë"),
		albanian.Count(len(ve.Rooms), "sallë", "salla")), When: Around(b.now, ArriveBy(start), "nga"), Article: "Neni 52.1–52.2", Soon: true})
	return nil
}

// ---- marker ----

func (b *builder) marker(ctx context.Context, d *Dashboard) {
	cfg := b.y.Config
	code := b.p.Subject
	day, ok := cfg.ExamDayOf(code, 1)
	if !ok {
		return
	}
	start, end, ok := day.Span()
	if !ok {
		return
	}
	name := subjectName(cfg, code)
	if end.After(b.now) {
		b.add(Step{Text: fmt.Sprintf("Vlerësimi i %s (%s) nis pas provimit, në qendrat e vlerësimit që zgjedh AVA; para tij trajnoheni me testet e kalibrimit.", code, name),
			When: Around(b.now, end, "pas"), Article: "Neni 57.11–57.12", Soon: DayWord(b.now, start) == "nesër" || DayWord(b.now, start) == "sot"})
		return
	}
	m := b.s.marking
	if m == nil {
		return
	}
	page := func(p string) string { return "/vleresimi/" + code + "/" + p }
	if closed, err := m.Closed(ctx, b.y.Year, code); err == nil && closed {
		b.add(Step{Text: fmt.Sprintf("Vlerësimi i %s (%s) u mbyll: pikët e çdo testi janë përfundimtare.", code, name), Article: "Neni 57.14"})
		return
	}
	tr, err := m.TrainingQueue(ctx, b.p, b.y.Year, code)
	switch {
	case err != nil:
		b.add(Step{Text: fmt.Sprintf("Nuk jeni emëruar vlerësues i %s për këtë vit: AVA emëron vlerësuesit dhe përgjegjësit e tyre.", code), Article: "Neni 57.8"})
		return
	case tr.Remaining > 0:
		b.add(Step{Text: fmt.Sprintf("Trajnimi para vlerësimit: %s për të vlerësuar.", albanian.Count(tr.Remaining, "test kalibrimi", "teste kalibrimi")),
			Link: page("trajnimi"), Article: "Neni 57.11", Soon: true})
		return
	case tr.Status == marking.StatusNotQualified:
		b.add(Step{Text: "Nuk u kualifikuat në trajnim: " + tr.StatusNote + " Përgjegjësi i lëndës ose AVA mund t'ju lejojnë ta bëni sërish.", Link: page("trajnimi"), Article: "Neni 57.11"})
		return
	case tr.Status == marking.StatusStopped:
		b.add(Step{Text: "Përgjegjësi i lëndës ju ndaloi vlerësimin: " + tr.StatusNote, Article: "Neni 57.14"})
		return
	}
	if q, err := m.Queue(ctx, b.p, b.y.Year, code); err == nil {
		if n := len(q.ToMark); n > 0 {
			b.add(Step{Text: fmt.Sprintf("Keni %s për të vlerësuar (me kod, pa emër); %s i keni vlerësuar.", albanian.Count(n, "test", "teste"), albanian.Int(q.Done)),
				Link: page("radha"), Article: "Neni 57.13", Soon: true})
		} else {
			b.add(Step{Text: fmt.Sprintf("Radha juaj është bosh: %s i keni vlerësuar.", albanian.Count(q.Done, "test", "teste")), Link: page("radha"), Article: "Neni 57.13"})
		}
	}
	if m.MayLeadExam(ctx, b.p, b.y.Year, code) {
		if list, err := m.ThirdList(ctx, b.p, b.y.Year, code); err == nil && len(list) > 0 {
			b.add(Step{Text: fmt.Sprintf("%s presin vlerësuesin e tretë: dy vlerësuesit ndryshuan në pikët e një kërkese.", albanian.Count(len(list), "test", "teste")),
				Link: page("e-treta"), Article: "Neni 57.14", Soon: true})
		}
	}
}
