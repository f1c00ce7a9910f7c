package web

import (
	"provim/internal/accounts"
	"provim/internal/anonym"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/certificate"
	"provim/internal/custody"
	"provim/internal/draw"
	"provim/internal/examday"
	"provim/internal/marking"
	"provim/internal/registry"
	"provim/internal/remark"
	"provim/internal/results"
	"provim/internal/venue"
	"provim/internal/web/webkit"
)

// menuEntry is a link of the main menu and who is offered it (a domain's
// answer to "may", never a role compared here).
type menuEntry struct {
	webkit.Link
	may func(*auth.Principal) bool
}

func always(*auth.Principal) bool { return true }

// menu is the main menu, in its order.
var menu = []menuEntry{
	{webkit.Link{Href: "/paneli", Label: "Paneli"}, always},
	{webkit.Link{Href: "/formulari", Label: "Formulari A1"}, application.MayFileOwn},
	{webkit.Link{Href: "/formulari/a2", Label: "Formulari A2"}, application.MayFileOwn},
	{webkit.Link{Href: "/aplikimet", Label: "Aplikimet"}, application.AtSchoolDesk},
	{webkit.Link{Href: "/aplikimet/tabela-t", Label: "Tabela T"}, application.AtSchoolDesk},
	{webkit.Link{Href: "/aplikimet/rajoni", Label: "Aplikimet"}, application.AtRegionDesk},
	{webkit.Link{Href: "/aplikimet/ava", Label: "Aplikimet"}, application.AtNationalDesk},
	{webkit.Link{Href: "/aplikimet/kategori-te-vecanta", Label: "Kategoritë e veçanta"}, application.MayRegisterSpecial},
	{webkit.Link{Href: "/listat", Label: "Listat"}, application.MayHandleForms},
	{webkit.Link{Href: "/nxenesit", Label: "Të dhënat e mia"}, registry.OwnRecordOnly},
	{webkit.Link{Href: "/nxenesit", Label: "Nxënësit"}, registry.MayEditStudents},
	{webkit.Link{Href: "/shkollat", Label: "Shkollat"}, registry.MayListSchools},
	{webkit.Link{Href: "/personeli", Label: "Personeli"}, registry.MayListSchools},
	{webkit.Link{Href: "/qendrat", Label: "Qendrat"}, registry.MayListVenues},
	{webkit.Link{Href: "/materialet", Label: "Materialet"}, custody.MayView},
	{webkit.Link{Href: "/dita-e-provimit", Label: "Dita e provimit"}, examday.MayOpenDay},
	{webkit.Link{Href: "/sekretimi", Label: "Sekretimi"}, anonym.MaySeeLabels},
	{webkit.Link{Href: "/vleresimi", Label: "Vlerësimi"}, marking.MayOpenMarking},
	{webkit.Link{Href: "/rivleresimi", Label: "Rivlerësimi"}, remark.MayOpenRemark},
	{webkit.Link{Href: "/rezultatet", Label: "Rezultatet"}, results.MayOpenResults},
	{webkit.Link{Href: "/eksporti", Label: "Eksporti (SMIP)"}, results.MayExportResults}, // smip
	{webkit.Link{Href: "/certifikatat", Label: "Dëftesat"}, certificate.MayList},
	{webkit.Link{Href: "/certifikata/ime", Label: "Dëftesa ime"}, certificate.MayOwn},
	{webkit.Link{Href: "/qendrat/inspektimi", Label: "Inspektimi"}, venue.MayInspect},
	{webkit.Link{Href: "/plani", Label: "Plani i qendrave"}, venue.MayPlan},
	{webkit.Link{Href: "/qendra-ime", Label: "Qendra ime"}, venue.MaySeeOwnSeat},
	{webkit.Link{Href: "/njoftimet", Label: "Njoftimet"}, venue.MayReceiveNotices},
	{webkit.Link{Href: "/plani/shkolla", Label: "Ku japin provim nxënësit"}, venue.MayListSchoolSeats},
	{webkit.Link{Href: "/njesite", Label: "DAR/ZA"}, registry.MayListUnits},
	{webkit.Link{Href: "/shorti", Label: "Shorti"}, draw.MayView},
	{webkit.Link{Href: "/shorti", Label: "Personeli i shortit"}, draw.MayReadVenue},
	{webkit.Link{Href: "/importi", Label: "Importi"}, registry.MayImport},
	{webkit.Link{Href: "/vitet", Label: "Viti i provimit"}, always},
	{webkit.Link{Href: "/perdoruesit", Label: "Përdoruesit"}, (*auth.Principal).IsNational},
	{webkit.Link{Href: "/llogarite", Label: "Llogaritë në grup"}, accounts.MayCreateInBulk},
	{webkit.Link{Href: "/auditimi", Label: "Auditimi"}, (*auth.Principal).IsNational},
	{webkit.Link{Href: "/llogaria", Label: "Llogaria"}, always},
}

// nav is the main menu of p.
func nav(p *auth.Principal) []webkit.Link {
	var out []webkit.Link
	for _, e := range menu {
		if e.may(p) {
			out = append(out, e.Link)
		}
	}
	return out
}
