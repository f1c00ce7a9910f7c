package demo

// place is a regional directorate (DAR) or local education office (ZA) of
// the demo country, with the settlements its schools are in.
type place struct {
	code   string  // "DAR-TR", "ZA-KAV"
	name   string  // district or municipality: "Tiranë", "Malësi e Madhe"
	city   string  // seat of the office: "Tiranë", "Koplik"
	pop    float64 // population in thousands (2023 census, rounded), weights the schools
	places []string
	// places are villages and small towns of the district for the rural
	// schools (shkolla të mesme të bashkuara); the seat is the city.
}

// region is one DAR with the ZA under it. prefix starts the codes of its
// schools ("TR-001"); side picks regional surnames ("N" north, "S" south).
type region struct {
	dar    place
	prefix string
	side   string
	zas    []place
}

// regions are the 12 regional directorates in alphabetical order, each with
// its seat and the offices of the other districts and municipalities.
var regions = []region{
	{
		dar:    place{"DAR-BR", "Berat", "Berat", 50, []string{"Otllak", "Velabisht", "Roshnik", "Ura Vajgurore"}},
		prefix: "BR", side: "S",
		zas: []place{
			{"ZA-KUC", "Kuçovë", "Kuçovë", 26, []string{"Lumas", "Perondi"}},
			{"ZA-SKR", "Skrapar", "Çorovodë", 8, []string{"Bogovë", "Potom"}},
			{"ZA-POL", "Poliçan", "Poliçan", 8, []string{"Vërtop", "Terpan"}},
		},
	},
	{
		dar:    place{"DAR-DI", "Dibër", "Peshkopi", 50, []string{"Maqellarë", "Kastriot", "Melan", "Sllovë"}},
		prefix: "DI", side: "N",
		zas: []place{
			{"ZA-BUL", "Bulqizë", "Bulqizë", 25, []string{"Zerqan", "Shupenzë", "Fushë-Bulqizë"}},
			{"ZA-MAT", "Mat", "Burrel", 25, []string{"Ulëz", "Rukaj", "Macukull"}},
			{"ZA-KLO", "Klos", "Klos", 12, []string{"Suç", "Gurrë", "Xibër"}},
		},
	},
	{
		dar:    place{"DAR-DR", "Durrës", "Durrës", 155, []string{"Sukth", "Manëz", "Rrashbull", "Katund i Ri", "Ishëm"}},
		prefix: "DR",
		zas: []place{
			{"ZA-KRU", "Krujë", "Krujë", 55, []string{"Fushë-Krujë", "Thumanë", "Nikël", "Bubq"}},
			{"ZA-SHI", "Shijak", "Shijak", 28, []string{"Maminas", "Xhafzotaj", "Gjepalaj"}},
		},
	},
	{
		dar:    place{"DAR-EL", "Elbasan", "Elbasan", 120, []string{"Shushicë", "Papër", "Bradashesh", "Labinot-Fushë", "Gjinar", "Funarë"}},
		prefix: "EL",
		zas: []place{
			{"ZA-GRA", "Gramsh", "Gramsh", 15, []string{"Kodovjat", "Pishaj", "Tunjë"}},
			{"ZA-LIB", "Librazhd", "Librazhd", 20, []string{"Prrenjas", "Hotolisht", "Qukës", "Lunik"}},
			{"ZA-PEQ", "Peqin", "Peqin", 20, []string{"Shezë", "Gjoçaj"}},
			{"ZA-CER", "Cërrik", "Cërrik", 22, []string{"Gostimë", "Mollas", "Shalës"}},
			{"ZA-BEL", "Belsh", "Belsh", 14, []string{"Fierzë", "Rrasë"}},
		},
	},
	{
		dar:    place{"DAR-FR", "Fier", "Fier", 105, []string{"Levan", "Mbrostar", "Frakull", "Libofshë", "Cakran", "Portëz"}},
		prefix: "FR", side: "S",
		zas: []place{
			{"ZA-LUS", "Lushnjë", "Lushnjë", 70, []string{"Karbunarë", "Fier-Shegan", "Dushk", "Hysgjokaj", "Bubullimë"}},
			{"ZA-MAL", "Mallakastër", "Ballsh", 20, []string{"Aranitas", "Fratar", "Hekal"}},
			{"ZA-PAT", "Patos", "Patos", 19, []string{"Zharëz", "Ruzhdie"}},
			{"ZA-ROS", "Roskovec", "Roskovec", 17, []string{"Kuman", "Kurjan", "Strum"}},
			{"ZA-DIV", "Divjakë", "Divjakë", 27, []string{"Gradishtë", "Remas", "Tërbuf"}},
		},
	},
	{
		dar:    place{"DAR-GJ", "Gjirokastër", "Gjirokastër", 25, []string{"Lazarat", "Odrie", "Libohovë"}},
		prefix: "GJ", side: "S",
		zas: []place{
			{"ZA-PER", "Përmet", "Përmet", 8, []string{"Këlcyrë", "Çarshovë", "Petran"}},
			{"ZA-TEP", "Tepelenë", "Tepelenë", 8, []string{"Lopës", "Qesarat", "Kurvelesh"}},
			{"ZA-MEM", "Memaliaj", "Memaliaj", 7, []string{"Buz", "Krahës"}},
		},
	},
	{
		dar:    place{"DAR-KO", "Korçë", "Korçë", 75, []string{"Voskopojë", "Mollaj", "Drenovë", "Lekas"}},
		prefix: "KO", side: "S",
		zas: []place{
			{"ZA-DEV", "Devoll", "Bilisht", 20, []string{"Miras", "Progër", "Hoçisht"}},
			{"ZA-KOL", "Kolonjë", "Ersekë", 8, []string{"Leskovik", "Barmash"}},
			{"ZA-POG", "Pogradec", "Pogradec", 46, []string{"Buçimas", "Udënisht", "Proptisht"}},
			{"ZA-MLQ", "Maliq", "Maliq", 30, []string{"Pirg", "Pojan", "Moker", "Vreshtas"}},
		},
	},
	{
		dar:    place{"DAR-KU", "Kukës", "Kukës", 37, []string{"Bicaj", "Shtiqën", "Zapod", "Shishtavec"}},
		prefix: "KU", side: "N",
		zas: []place{
			{"ZA-HAS", "Has", "Krumë", 13, []string{"Golaj", "Fajza", "Gjinaj"}},
			{"ZA-TRO", "Tropojë", "Bajram Curri", 16, []string{"Margegaj", "Lekbibaj", "Bujan"}},
		},
	},
	{
		dar:    place{"DAR-LE", "Lezhë", "Lezhë", 55, []string{"Shëngjin", "Balldren", "Zejmen", "Shënkoll", "Kolsh"}},
		prefix: "LE", side: "N",
		zas: []place{
			{"ZA-KUR", "Kurbin", "Laç", 40, []string{"Mamurras", "Milot", "Fushë-Kuqe"}},
			{"ZA-MIR", "Mirditë", "Rrëshen", 17, []string{"Rubik", "Kaçinar", "Orosh"}},
		},
	},
	{
		dar:    place{"DAR-SH", "Shkodër", "Shkodër", 110, []string{"Bërdicë", "Dajç", "Velipojë", "Postribë", "Rrethinat"}},
		prefix: "SH", side: "N",
		zas: []place{
			{"ZA-MMA", "Malësi e Madhe", "Koplik", 23, []string{"Kastrat", "Shkrel", "Gruemirë"}},
			{"ZA-PUK", "Pukë", "Pukë", 8, []string{"Fushë-Arrëz", "Qerret"}},
			{"ZA-VDE", "Vau i Dejës", "Vau i Dejës", 22, []string{"Bushat", "Hajmel", "Vig-Mnelë"}},
		},
	},
	{
		dar:    place{"DAR-TR", "Tiranë", "Tiranë", 560, []string{"Kashar", "Vaqarr", "Ndroq", "Pezë", "Baldushk", "Petrelë", "Dajt", "Zall-Herr", "Krrabë", "Farkë", "Shëngjergj", "Berzhitë"}},
		prefix: "TR",
		zas: []place{
			{"ZA-KAV", "Kavajë", "Kavajë", 36, []string{"Golem", "Synej", "Helmës", "Gosë"}},
			{"ZA-KAM", "Kamëz", "Kamëz", 90, []string{"Paskuqan", "Valias", "Bathore"}},
			{"ZA-VOR", "Vorë", "Vorë", 30, []string{"Prezë", "Marikaj"}},
			{"ZA-RRO", "Rrogozhinë", "Rrogozhinë", 18, []string{"Kryevidh", "Sinaballaj", "Lekaj"}},
		},
	},
	{
		dar:    place{"DAR-VL", "Vlorë", "Vlorë", 120, []string{"Orikum", "Novoselë", "Nartë", "Shushicë"}},
		prefix: "VL", side: "S",
		zas: []place{
			{"ZA-DEL", "Delvinë", "Delvinë", 7, []string{"Vergo", "Finiq"}},
			{"ZA-SAR", "Sarandë", "Sarandë", 30, []string{"Ksamil", "Lukovë", "Xarrë", "Konispol"}},
			{"ZA-HIM", "Himarë", "Himarë", 8, []string{"Vuno", "Qeparo"}},
			{"ZA-SEL", "Selenicë", "Selenicë", 14, []string{"Armen", "Vllahinë", "Brataj"}},
		},
	},
}

// universityCities are the DAR seats with a public university, whose
// lecturers (pedagogë) are registered as potential markers.
var universityCities = map[string]int{
	"DAR-TR": 24, "DAR-SH": 8, "DAR-EL": 8, "DAR-KO": 6, "DAR-VL": 6, "DAR-DR": 6, "DAR-GJ": 4,
}
