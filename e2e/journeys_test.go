package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The journeys of issue 11 part A, on the demo country on the eve of D1
// (07.06.2027 18:00), each page checked with axe-core and photographed on a
// phone (390×844) or a desktop.

const eveOfD1 = "PROVIM_TODAY=2027-06-07T18:00"

// demoEve is the demo on the eve of D1 with two more student accounts: a
// failing student and a seated student who has filed A2.
type demoEve struct {
	*app
	failing, filedA2 string // usernames
	// materialsNext is the next hand-over step of Q-TR-003's D1 materials
	// (3: the PAP collects them; 0 when none waits): the dashboards must
	// call it due exactly when it is not done.
	materialsNext int
}

func startDemoEve(t *testing.T) *demoEve {
	a := startApp(t, func(a *app) {
		a.provim(nil, "demo", "--no-serve", "--db", a.dsn, "--students", "600")
	}, eveOfD1)
	d := &demoEve{app: a, failing: "nxenes.mbetes", filedA2: "nxenes.a2"}
	token := apiToken(t, a.url, "ava", demoPassword)
	var failing struct {
		Items []struct {
			StudentID int64 `json:"student_id"`
		} `json:"items"`
	}
	if st := apiCall(t, a.url, token, "GET", "/api/v1/applications?failing=true&limit=1", nil, &failing); st != http.StatusOK || len(failing.Items) == 0 {
		t.Fatalf("a failing student: HTTP %d %+v", st, failing)
	}
	// A student seated for D1 who has filed A2.
	var seated int64
	var apps struct {
		Items []struct {
			StudentID int64 `json:"student_id"`
		} `json:"items"`
	}
	apiCall(t, a.url, token, "GET", "/api/v1/applications?status=final&limit=200", nil, &apps)
	for _, it := range apps.Items {
		var seats struct {
			Items []struct {
				Exam string `json:"exam"`
			} `json:"items"`
		}
		var a2 map[string]any
		if apiCall(t, a.url, token, "GET", fmt.Sprintf("/api/v1/students/%d/seats", it.StudentID), nil, &seats) == http.StatusOK && len(seats.Items) > 0 &&
			apiCall(t, a.url, token, "GET", fmt.Sprintf("/api/v1/students/%d/a2", it.StudentID), nil, &a2) == http.StatusOK {
			seated = it.StudentID
			break
		}
	}
	if seated == 0 {
		t.Fatal("no seated student with A2 in the demo")
	}
	var cons struct {
		Next *struct {
			No int `json:"no"`
		} `json:"next"`
	}
	if st := apiCall(t, a.url, token, "GET", "/api/v1/custody/consignments/Q-TR-003/D1", nil, &cons); st != http.StatusOK {
		t.Fatalf("the materials of Q-TR-003: HTTP %d", st)
	}
	if cons.Next != nil {
		d.materialsNext = cons.Next.No
	}
	env := []string{"PROVIM_PASSWORD=" + demoPassword}
	a.provim(env, "user", "add", "--username", d.failing, "--name", "Nxënës Mbetës", "--role", "nxenes", "--student-id", fmt.Sprint(failing.Items[0].StudentID))
	a.provim(env, "user", "add", "--username", d.filedA2, "--name", "Nxënës me A2", "--role", "nxenes", "--student-id", fmt.Sprint(seated))
	return d
}

// TestJourneysOnTheEveOfD1: issue 11 part A1–A4 and the error pages of
// part D, in the browser, with axe-core on every page.
func TestJourneysOnTheEveOfD1(t *testing.T) {
	t.Parallel()
	d := startDemoEve(t)

	t.Run("A1_StudentOnThePhone", func(t *testing.T) {
		ctx := journeyBrowser(t)
		phone(t, ctx)
		login(t, ctx, d.app, "nxenes.k90504264c", demoPassword)
		if st := visit(t, ctx, d.app, "/paneli", "a1-nxenes-paneli-telefon.png"); st != 200 {
			t.Fatalf("dashboard: HTTP %d", st)
		}
		eve := text(t, ctx, "#exam-eve")
		mustContain(t, "the eve card", eve, "Nesër: provimi D1", "08.06.2027, ora 10:00", "ora 09:00", "Neni 52.1",
			"Qendra e provimit", "Adresa", "Salla", "kati", "letërnjoftim", "Neni 52.5", "zezë ose blu", "Neni 54.7", "Telefon celular", "Neni 54.8")
		// Every exam of the session, those not planned yet said so.
		exams := tableRows(t, ctx, "#my-exams table")
		if len(exams) < 2 || !strings.HasPrefix(exams[0][0], "D1") {
			t.Fatalf("my exams: %q", exams)
		}
		mustContain(t, "D2, not planned", strings.Join(exams[1], " "), "D2", "Nuk është caktuar ende")
		// The calendar, exam days included, in date order.
		// The last date of each line (a period is read by its last day).
		cal := get(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#calendar tbody tr td:nth-child(2)'), td =>
			td.innerText.match(/\d\d\.\d\d\.\d{4}/g).pop().split('.').reverse().join('-'))`))
		for i := 1; i < len(cal); i++ {
			if cal[i] < cal[i-1] {
				t.Fatalf("calendar out of order: %s after %s", cal[i], cal[i-1])
			}
		}
		mustContain(t, "the calendar", text(t, ctx, "#calendar"), "Provimi D1", "Provimi D2", "Provimet me zgjedhje")
		if st := visit(t, ctx, d.app, "/qendra-ime", "a1-nxenes-qendra-ime-telefon.png"); st != 200 {
			t.Fatalf("my venue: HTTP %d", st)
		}
		rows := tableRows(t, ctx, "#my-venues")
		if len(rows) < 2 {
			t.Fatalf("my venue lists %q", rows)
		}
		mustContain(t, "my venue", text(t, ctx, "#my-venues"), "D1", "Salla", "D2", "Nuk është caktuar ende")
		if st := visit(t, ctx, d.app, "/formulari", "a1-nxenes-formulari-telefon.png"); st != 200 {
			t.Fatalf("A1: HTTP %d", st)
		}
		fitsWidth(t, ctx, 390)
		if bad := linksAnswer(t, ctx); len(bad) > 0 {
			t.Errorf("links of the student that do not open: %v", bad)
		}
	})

	t.Run("A1_StudentWhoFiledA2", func(t *testing.T) {
		ctx := journeyBrowser(t)
		phone(t, ctx)
		login(t, ctx, d.app, d.filedA2, demoPassword)
		visit(t, ctx, d.app, "/paneli", "a1-nxenes-me-a2-paneli-telefon.png")
		if main := text(t, ctx, "main"); strings.Contains(main, "Plotësoni formularin A2") {
			t.Fatalf("a student who filed A2 is told to fill it in")
		}
		mustContain(t, "tomorrow", text(t, ctx, "#exam-eve"), "Nesër: provimi D1")
	})

	t.Run("A2_FailingStudent", func(t *testing.T) {
		ctx := journeyBrowser(t)
		phone(t, ctx)
		login(t, ctx, d.app, d.failing, demoPassword)
		visit(t, ctx, d.app, "/paneli", "a2-mbetes-paneli-telefon.png")
		mustContain(t, "the failing student", text(t, ctx, "#failing"), "Nuk jeni në listat", "Neni 35", "Neni 36", "sesionin e dytë", "Neni 58")
		main := text(t, ctx, "main")
		for _, w := range []string{"Plotësoni formularin A2", "nuk është caktuar ende", "Nuk është caktuar ende", "Nesër: provimi"} {
			if strings.Contains(main, w) {
				t.Errorf("the failing student's dashboard says %q", w)
			}
		}
		visit(t, ctx, d.app, "/qendra-ime", "a2-mbetes-qendra-ime-telefon.png")
		mustContain(t, "my venue", text(t, ctx, "main"), "nxënës mbetës", "Neni 58")
	})

	t.Run("A3_EachRolesWhatNow", func(t *testing.T) {
		// The materials' step is called due while it waits, and only then.
		kmshWant, kmshNot := []string{}, []string{"Hidhni shortin", "Publikoni angazhimin"}
		papWant, papNot := []string{"personelin e caktuar me short"}, []string{}
		if d.materialsNext == 3 {
			kmshWant = append(kmshWant, "Materialet e D1", "Tërheqja nga PAP")
			papWant = append(papWant, "Tërhiqni materialet e D1", "nesër në orën 08:00")
		} else {
			kmshNot = append(kmshNot, "Tërheqja nga PAP")
			papNot = append(papNot, "Tërhiqni materialet")
		}
		for _, tc := range []struct {
			user string
			want []string
			not  []string
		}{
			{"ava", nil, []string{"Ndërtoni listat përfundimtare", "Caktoni numrat e regjistrimit"}},
			{"kmsh.tirane", kmshWant, kmshNot},
			{"kshmsh.tr-003", []string{"Njoftoni çdo nxënës", "Neni 12.9"}, []string{"Dërgoni formularët dhe tabelën T"}},
			{"pap.q-tr-003", papWant, papNot},
			{"vleresues.d1", []string{"Vlerësimi i D1", "nis pas provimit"}, nil},
		} {
			t.Run(tc.user, func(t *testing.T) {
				ctx := journeyBrowser(t)
				login(t, ctx, d.app, tc.user, demoPassword)
				visit(t, ctx, d.app, "/paneli", "a3-"+tc.user+"-paneli.png")
				main := text(t, ctx, "main")
				todo := get(t, ctx, chromedp.Evaluate[string](`(document.querySelector('#todo') || {innerText: ''}).innerText`))
				if len(tc.want) > 0 {
					mustContain(t, tc.user+"'s dashboard", todo, tc.want...)
				}
				for _, w := range tc.not {
					if strings.Contains(main, w) {
						t.Errorf("%s is told %q though it is done", tc.user, w)
					}
				}
				if got := text(t, ctx, `nav.main a[aria-current="page"]`); got != "Paneli" {
					t.Errorf("%s: the menu marks %q", tc.user, got)
				}
			})
		}
	})

	t.Run("A4_PAPsVenue", func(t *testing.T) {
		ctx := journeyBrowser(t)
		login(t, ctx, d.app, "pap.q-tr-003", demoPassword)
		visit(t, ctx, d.app, "/paneli", "a4-pap-paneli.png")
		venue := text(t, ctx, "#my-venue")
		mustContain(t, "the PAP's venue", venue, "Listat emërore të sallave", "Personeli i caktuar me short", "Përgjegjës i administrimit", "Materialet e provimit")
		// The demo's PAP is the person the draw picked for the venue.
		who := text(t, ctx, "#who .user")
		name := strings.TrimSuffix(who, " (PAP)")
		papLine := get(t, ctx, chromedp.Evaluate[string](`(Array.from(document.querySelectorAll('#my-venue li')).find(li => li.innerText.startsWith('Përgjegjës')) || {innerText: ''}).innerText`))
		parts := strings.Fields(name)
		if len(parts) < 2 || !strings.Contains(papLine, parts[len(parts)-1]) || !strings.Contains(papLine, parts[0]) {
			t.Errorf("the PAP account %q is not the drawn PAP (%q)", who, papLine)
		}
		if bad := linksAnswer(t, ctx); len(bad) > 0 {
			t.Errorf("links on the PAP's dashboard that do not open: %v", bad)
		}
		room := get(t, ctx, chromedp.Evaluate[string](`document.querySelector('#my-venue a[href^="/plani/salla/"]').getAttribute('href')`))
		if st := visit(t, ctx, d.app, room, "a4-pap-lista-salles.png"); st != 200 {
			t.Fatalf("room list %s: HTTP %d", room, st)
		}
		if rows := tableRows(t, ctx, "#room-list"); len(rows) == 0 {
			t.Error("the room list is empty")
		}
		if bad := linksAnswer(t, ctx); len(bad) > 0 {
			t.Errorf("links on the room list that do not open for the PAP: %v", bad)
		}
		if st := visit(t, ctx, d.app, "/shorti", "a4-pap-shorti.png"); st != 200 {
			t.Fatalf("/shorti for the PAP: HTTP %d", st)
		}
		mustContain(t, "the venue's draw", text(t, ctx, "main"), "Q-TR-003", "D1", "Përgjegjës i administrimit")
		drawLink := get(t, ctx, chromedp.Evaluate[string](`document.querySelector('main h2 a[href^="/shorti/"]').getAttribute('href')`))
		if st := visit(t, ctx, d.app, drawLink, "a4-pap-shorti-nr.png"); st != 200 {
			t.Fatalf("%s for the PAP: HTTP %d", drawLink, st)
		}
		mustContain(t, "the draw page", text(t, ctx, "#draw-verified"), "përputhet")
		for _, row := range tableRows(t, ctx, "#draw-result") {
			if !strings.Contains(row[1], "Q-TR-003") {
				t.Errorf("the PAP sees another venue's line: %q", row)
			}
		}
		if bad := linksAnswer(t, ctx); len(bad) > 0 {
			t.Errorf("links on the draw page that do not open for the PAP: %v", bad)
		}
		if st := visit(t, ctx, d.app, "/materialet/Q-TR-003/D1", "a4-pap-materialet.png"); st != 200 {
			t.Fatalf("materials: HTTP %d", st)
		}
		phone(t, ctx)
		visit(t, ctx, d.app, "/paneli", "a4-pap-paneli-telefon.png")
		fitsWidth(t, ctx, 390)
	})

	t.Run("D_ErrorPagesAndThePublicDraw", func(t *testing.T) {
		ctx := journeyBrowser(t)
		if st := visit(t, ctx, d.app, "/nuk-ekziston", "d-404-anonim.png"); st != 404 {
			t.Errorf("unknown path: HTTP %d", st)
		}
		mustContain(t, "404", text(t, ctx, "main"), "Faqja /nuk-ekziston nuk ekziston")
		login(t, ctx, d.app, "kmsh.tirane", demoPassword)
		if st := visit(t, ctx, d.app, "/dalje", "d-405-dalje.png"); st != 405 {
			t.Errorf("GET /dalje: HTTP %d", st)
		}
		mustContain(t, "405", text(t, ctx, ".error"), "Faqja /dalje nuk hapet kështu")
		do(t, ctx, chromedp.WaitVisible(chromedp.ID("who"))) // inside the layout, still signed in
		if st := visit(t, ctx, d.app, "/nuk-ekziston", ""); st != 404 {
			t.Errorf("unknown path signed in: HTTP %d", st)
		}
		visit(t, ctx, d.app, "/shorti", "d-kmsh-shorti.png")
		id := get(t, ctx, chromedp.Evaluate[string](`document.querySelector('#draws a[href^="/shorti/"]').getAttribute('href').split('/')[2]`))
		visit(t, ctx, d.app, "/shorti/"+id, "d-kmsh-shorti-nr.png")
		mustContain(t, "one number", text(t, ctx, "h1"), "Shorti nr. "+id)
		logout(t, ctx)
		phone(t, ctx)
		if st := visit(t, ctx, d.app, "/shorti-publik/"+id, "d-shorti-publik-telefon.png"); st != 200 {
			t.Fatalf("public draw: HTTP %d", st)
		}
		mustContain(t, "the public draw", text(t, ctx, "#draw-howto"), "Si ta verifikoni vetë", "SHA-256", "Fisher–Yates")
		fitsWidth(t, ctx, 390)
		visit(t, ctx, d.app, "/hyrje", "d-hyrje-telefon.png")
		if w := get(t, ctx, chromedp.Evaluate[float64](`document.querySelector('form.card').getBoundingClientRect().width`)); w > 26*16+1 {
			t.Errorf("the login form is %.0f px wide: the stylesheet's narrow form is not applied", w)
		}
	})
	if dir := os.Getenv("PROVIM_E2E_ARTIFACTS"); dir != "" {
		t.Logf("screenshots in %s", dir)
	}
}

var _ = context.Background
