package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"provim/internal/registry"
)

const password = "sekret-i-gjatë-2027"

// An AVA user logs in, imports a students file with one bad row, sees the
// error with its line, fixes the file, imports it, and finds the student.
func TestImportFixAndFindStudent(t *testing.T) {
	a := startApp(t, func(a *app) {
		a.provim([]string{"PROVIM_PASSWORD=" + password}, "user", "add", "--username", "ava", "--name", "Drita Kola", "--role", "ava")
		a.provim(nil, "import", "--entity", "units", writeFile(t, "units.csv",
			"kodi,emri,lloji,kodi_prind,qyteti\nDAR-TR,DAR Tiranë,DAR,,Tiranë\n"))
		a.provim(nil, "import", "--entity", "schools", writeFile(t, "schools.csv",
			"kodi,emri,kodi_dar_za,qyteti,publike,profili,vite\nTR-001,Gjimnazi \"Sami Frashëri\",DAR-TR,Tiranë,po,gjimnaz,4\n"))
	})
	ctx := browser(t)
	good := registry.MakeNID(time.Date(2008, 3, 14, 0, 0, 0, 0, time.UTC), "F", 7)
	other := registry.MakeNID(time.Date(2008, 4, 1, 0, 0, 0, 0, time.UTC), "M", 8)
	header := "nr_personal,emri,atesia,mbiemri,datelindja,kodi_shkolles,nota_mesatare\n"
	bad := writeFile(t, "nxenesit.csv", header+
		good+",Ëngjëllushe,Çlirim,Çaushi,14.03.2008,TR-001,9.5\n"+
		other+",Dhimitër,Gjergj,Llaci,01.04.2008,TR-001,11\n")
	fixed := writeFile(t, "nxenesit-ok.csv", header+
		good+",Ëngjëllushe,Çlirim,Çaushi,14.03.2008,TR-001,9.5\n"+
		other+",Dhimitër,Gjergj,Llaci,01.04.2008,TR-001,8.25\n")

	var who, errs, result, table string
	run(t, ctx,
		login(a, "ava", password),
		chromedp.Text("#who", &who, chromedp.ByID),
		chromedp.Navigate(a.url+"/importi"),
		chromedp.SetValue("#entity", "students", chromedp.ByID),
		chromedp.SetUploadFiles("#file", []string{bad}, chromedp.ByID),
		chromedp.Submit("#file", chromedp.ByID),
		chromedp.WaitVisible("#import-errors", chromedp.ByID),
		chromedp.Text("#import-errors", &errs, chromedp.ByID),
	)
	mustContain(t, "header", who, "AVA", "Kombëtar")
	mustContain(t, "errors", errs, "3", "jashtë kufijve 5–10")

	run(t, ctx,
		chromedp.SetValue("#entity", "students", chromedp.ByID),
		chromedp.SetUploadFiles("#file", []string{fixed}, chromedp.ByID),
		chromedp.Submit("#file", chromedp.ByID),
		chromedp.WaitVisible("#import-result", chromedp.ByID),
		chromedp.Text("#import-result", &result, chromedp.ByID),
	)
	mustContain(t, "result", result, "2 të rinj")

	run(t, ctx,
		chromedp.Navigate(a.url+"/nxenesit"),
		chromedp.WaitVisible("#q", chromedp.ByID),
		chromedp.SendKeys("#q", "Çaushi", chromedp.ByID),
		chromedp.Submit("#q", chromedp.ByID),
		chromedp.WaitVisible("#students", chromedp.ByID),
		chromedp.Text("#students tbody", &table, chromedp.ByQuery),
	)
	mustContain(t, "search", table, "Çaushi", "Ëngjëllushe", good, "9,50")
	if strings.Contains(table, "Llaci") {
		t.Fatalf("search returned another student: %s", table)
	}
}
