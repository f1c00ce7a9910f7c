package demo

// Name lists of the demo data. Within each list the more common names come
// first: picks favour the head of a list (see pickCommon).

// boysNames are first names of young men born in the 2000s.
var boysNames = []string{
	"Klajdi", "Ergi", "Arbër", "Erion", "Enea", "Kevin", "Aldo", "Ardit", "Arlind", "Albi",
	"Mateo", "Kristian", "Ermal", "Dritan", "Besnik", "Andi", "Anxhelo", "Ardi", "Arbi", "Alesio",
	"Dorian", "Denis", "Dejvi", "Endri", "Erald", "Ergys", "Erjon", "Ervis", "Fatjon", "Florian",
	"Gerald", "Geri", "Gjergj", "Gjon", "Indrit", "Jurgen", "Kristi", "Klevis", "Kleidi", "Lorenc",
	"Marsel", "Mikel", "Nikolin", "Orgest", "Redi", "Rei", "Renaldo", "Rigers", "Romeo", "Samuel",
	"Sidrit", "Stefan", "Tedi", "Xhuljan", "Xhoni", "Xhulio", "Ylber", "Alban", "Agon", "Altin",
	"Ardian", "Arion", "Artiol", "Dardan", "Drilon", "Edison", "Elton", "Enis", "Granit", "Hekuran",
	"Jonid", "Kastriot", "Laert", "Leon", "Lindon", "Luan", "Mario", "Mërgim", "Nertil", "Noel",
	"Olsi", "Redon", "Sajmir", "Taulant", "Valentin", "Visar", "Ylli", "Ëndrit", "Fisnik", "Bekim",
	"Shpend", "Shkodran", "Dhimitër", "Llazar", "Nikollë", "Rrok", "Pjetër", "Xhoel", "Aleks", "Ajdin",
	"Aurel", "Dion", "Drin", "Ergest", "Genti", "Gledis", "Joel", "Kristjan", "Lirim", "Ornel",
	"Paulin", "Rinaldo", "Sokol", "Uran", "Çlirim", "Ilia", "Thoma", "Argjend", "Eljon", "Franc",
}

// girlsNames are first names of young women born in the 2000s.
var girlsNames = []string{
	"Anisa", "Klea", "Ardita", "Elona", "Jonida", "Xhesika", "Sara", "Ajola", "Alesia", "Arjola",
	"Denisa", "Kejsi", "Megi", "Erisa", "Amelia", "Aurora", "Alba", "Anxhela", "Ariana", "Bora",
	"Besjana", "Dea", "Dorina", "Eda", "Edlira", "Elda", "Elisa", "Enkeleda", "Era", "Esmeralda",
	"Eva", "Fjorela", "Fjona", "Gresa", "Hana", "Ina", "Ilda", "Jona", "Joana", "Juna",
	"Klaudia", "Kristiana", "Lea", "Lira", "Luana", "Marsela", "Mikaela", "Nensi", "Olsa", "Orjona",
	"Rea", "Sindi", "Sidorela", "Xhensila", "Xhuljeta", "Zhaklina", "Ilirjana", "Blerta", "Blerina", "Bleona",
	"Diana", "Dajana", "Egla", "Eglantina", "Elsa", "Erlinda", "Etleva", "Fatjona", "Franceska", "Greta",
	"Irma", "Iva", "Jetmira", "Jora", "Kejda", "Klajdia", "Laura", "Lorela", "Mirela", "Nertila",
	"Orgesa", "Paola", "Ramona", "Rovena", "Sabina", "Sonila", "Suela", "Tea", "Valbona", "Vjosa",
	"Xhoana", "Elira", "Rina", "Drenusha", "Dëshira", "Bardha", "Shqipe", "Dhurata", "Rrezarta", "Çiljeta",
	"Ermira", "Klodiana", "Migena", "Evisa", "Anjeza", "Nikoleta", "Katerina", "Eleni", "Marigona", "Gentiana",
	"Ornela", "Enxhi", "Ledia", "Sibora", "Drita", "Ëngjëllushe", "Fllanza", "Manjola", "Mimoza", "Lindita",
}

// fathersNames are men's first names of the parents' generation, used for
// the father's name (atësia) and for adult staff.
var fathersNames = []string{
	"Agim", "Ilir", "Fatmir", "Arben", "Gëzim", "Bujar", "Petrit", "Artan", "Sokol", "Shpëtim",
	"Astrit", "Ylli", "Besnik", "Dritan", "Edmond", "Genc", "Kujtim", "Lulzim", "Mentor", "Naim",
	"Pëllumb", "Qemal", "Rexhep", "Sabri", "Skënder", "Tefik", "Vladimir", "Xhevdet", "Zef", "Arjan",
	"Alban", "Altin", "Arsen", "Bardhyl", "Bashkim", "Bledar", "Çlirim", "Dashamir", "Dhimitër", "Fatos",
	"Flamur", "Gani", "Gjergj", "Gjon", "Hysen", "Ibrahim", "Ilirjan", "Jetmir", "Kastriot", "Leonard",
	"Luan", "Maksim", "Mark", "Mehmet", "Myrteza", "Nikolla", "Ndue", "Pal", "Përparim", "Pjetër",
	"Ramadan", "Rrapo", "Sali", "Saimir", "Shaban", "Shkëlqim", "Sotir", "Spiro", "Thoma", "Taulant",
	"Urim", "Vangjel", "Xhemal", "Ylber", "Zenel", "Adem", "Afrim", "Agron", "Andrea", "Aleksandër",
	"Anastas", "Behar", "Besim", "Blerim", "Durim", "Elton", "Ermal", "Erion", "Fran", "Gazmend",
	"Gramoz", "Hajdar", "Halil", "Hamdi", "Ismet", "Ilia", "Jani", "Kristaq", "Lefter", "Lek",
	"Llambi", "Marjan", "Mustafa", "Nazmi", "Njazi", "Osman", "Perlat", "Qazim", "Sadik", "Safet",
	"Shefqet", "Tomorr", "Vasil", "Veli", "Xhavit", "Zamir", "Rrok", "Prenk", "Nikollë", "Dhori",
}

// womenNames are women's first names of the parents' generation (staff).
var womenNames = []string{
	"Drita", "Mimoza", "Lindita", "Vjollca", "Manjola", "Mirela", "Ermira", "Valbona", "Majlinda", "Entela",
	"Etleva", "Marjeta", "Shpresa", "Lumturi", "Liljana", "Albana", "Alma", "Anila", "Arjana", "Brunilda",
	"Diana", "Dallëndyshe", "Dhurata", "Elida", "Elsa", "Enkeleda", "Eriona", "Esmeralda", "Fatbardha", "Flutura",
	"Gentiana", "Ilirjana", "Irena", "Jonida", "Klodiana", "Ledia", "Luljeta", "Merita", "Miranda", "Nertila",
	"Olta", "Pranvera", "Rajmonda", "Rudina", "Sonila", "Suela", "Teuta", "Tatjana", "Vera", "Violeta",
	"Xhuljeta", "Zamira", "Zhaneta", "Zana", "Ëngjëllushe", "Bukurie", "Fatmira", "Natasha", "Ornela", "Rozeta",
	"Silvana", "Tefta", "Vitore", "Zhaklina", "Antoneta", "Blerina", "Denada", "Eglantina", "Fjoralba", "Edlira",
	"Adriana", "Ardiana", "Besa", "Bora", "Dorina", "Elvira", "Emirjeta", "Evgjeni", "Floresha", "Gjystina",
	"Hatixhe", "Ina", "Juliana", "Kozeta", "Lirie", "Loreta", "Marinela", "Mariana", "Nadire", "Nexhmije",
	"Qëndresa", "Rita", "Rozana", "Shkëndije", "Sabrije", "Tereza", "Vasilika", "Xhemile", "Ylvije", "Mëhrie",
}

// surnames are common across the country.
var surnames = []string{
	"Hoxha", "Shehu", "Çela", "Dervishi", "Kola", "Gjoka", "Leka", "Xhafa", "Dhima", "Llaci",
	"Ëngjëlli", "Çaushi", "Zeqiri", "Basha", "Berisha", "Bushati", "Cani", "Dema", "Duka", "Gjika",
	"Hasani", "Hysa", "Kapllani", "Koci", "Lika", "Mema", "Metaj", "Murati", "Muça", "Ndreu",
	"Osmani", "Prifti", "Qosja", "Rama", "Rexha", "Sula", "Tafa", "Toska", "Veliu", "Shkurti",
	"Kadiu", "Bregu", "Bajrami", "Cenaj", "Dauti", "Gega", "Haxhiu", "Isufi", "Jaupi", "Kurti",
	"Laçi", "Malaj", "Memaj", "Nika", "Përmeti", "Pllumbi", "Qorri", "Rrapi", "Sinani", "Troka",
	"Ymeri", "Xhelili", "Zeneli", "Abazi", "Alia", "Allushi", "Bardhi", "Beqiri", "Çobani", "Daci",
	"Elezi", "Fejzo", "Gashi", "Gjini", "Hida", "Ibrahimi", "Karaj", "Kelmendi", "Kuka", "Lala",
	"Luli", "Mançaku", "Mehmeti", "Mustafaj", "Neza", "Pashaj", "Pepa", "Qerimi", "Rakipi", "Ruçi",
	"Sallaku", "Sejdiu", "Shahu", "Shala", "Tabaku", "Thaçi", "Topalli", "Uka", "Vata", "Vrioni",
	"Zenelaj", "Zhulali", "Xhaferri", "Bunjaku", "Hoti", "Lleshi", "Curri", "Rrahmani", "Dhamo", "Dhrami",
	"Gjeka", "Lulja", "Meçe", "Muço", "Sheqeri", "Brahimi", "Çuni", "Dervishaj", "Begaj", "Hajdari",
	"Hallulli", "Kastrati", "Kaloshi", "Lamaj", "Mersini", "Nuri", "Qehaja", "Rustemi", "Selimi", "Shyti",
	"Tahiri", "Xhixho", "Ahmeti", "Balla", "Bejko", "Cukalla", "Doçi", "Gjata", "Guri", "Hysenaj",
	"Kaja", "Koçi", "Mara", "Minga", "Nelaj", "Omari", "Puka", "Sadiku", "Skënderi", "Veizi",
}

// northSurnames are more frequent in Shkodër, Lezhë, Kukës and Dibër.
var northSurnames = []string{
	"Prenga", "Marku", "Gjoni", "Pjetri", "Gjergji", "Ndoci", "Vuksani", "Lekaj", "Dushaj", "Frroku",
	"Kolaj", "Preçi", "Gjeloshi", "Marashi", "Deda", "Gjokaj", "Dodaj", "Ujka", "Shllaku", "Tuci",
	"Zadeja", "Mjeda", "Kaçorri", "Lazri", "Biba", "Nikolli", "Gruda", "Lufi", "Rroji", "Gjonaj",
}

// southSurnames are more frequent in Korçë, Gjirokastër, Vlorë, Fier and Berat.
var southSurnames = []string{
	"Thanasi", "Thoma", "Kristo", "Nasi", "Papa", "Qirjako", "Mitro", "Pano", "Kote", "Bollano",
	"Duro", "Tare", "Çipa", "Kokalari", "Kondi", "Mile", "Vangjeli", "Zoto", "Bezhani", "Muka",
	"Jorgji", "Dhimitri", "Lapa", "Shuteriqi", "Xhemo", "Bakiri", "Çomo", "Gjinopulli", "Mitrushi", "Rrapaj",
}

// figures are the national figures public schools are named after.
var figures = []string{
	"Sami Frashëri", "Naim Frashëri", "Abdyl Frashëri", "Ismail Qemali", "Skënderbeu",
	"Petro Nini Luarasi", "Asim Vokshi", "Qemal Stafa", "Andon Zako Çajupi", "Ndre Mjeda",
	"Gjergj Fishta", "Luigj Gurakuqi", "Fan Noli", "Migjeni", "Lasgush Poradeci",
	"Faik Konica", "Jeronim De Rada", "Pashko Vasa", "Hasan Prishtina", "Isa Boletini",
	"Avni Rustemi", "Mihal Grameno", "Dora d'Istria", "Nënë Tereza", "Ali Demi",
	"Çerçiz Topulli", "Bajram Curri", "Dritëro Agolli", "Aleksandër Moisiu", "Kostandin Kristoforidhi",
	"Marin Barleti", "Pjetër Bogdani", "Pjetër Budi", "Gjon Buzuku", "Frang Bardhi",
	"Jani Vreto", "Thimi Mitko", "Spiro Dine", "Koto Hoxhi", "Sotir Peçi",
	"Parashqevi Qiriazi", "Sevasti Qiriazi", "Gjerasim Qiriazi", "Kristo Luarasi", "Aleksandër Xhuvani",
	"Eqrem Çabej", "Shahin Kolonja", "Dervish Hima", "Hoxha Tahsin", "Themistokli Gërmenji",
	"Hil Mosi", "Vaso Pasha", "Mit'hat Frashëri", "Ymer Prizreni", "Azem Galica",
	"Shote Galica", "Mic Sokoli", "Dedë Gjon Luli", "Sulejman Delvina", "Asdreni",
	"Zef Jubani", "Filip Shiroka", "Mustafa Matohiti", "Shtjefën Gjeçovi", "Pjetër Arbnori",
	"Musine Kokalari", "Urani Rumbo", "Bajo Topulli", "Jani Minga", "Petro Marko",
	"Nikolla Ivanaj", "Xhevat Korça", "Sali Nivica", "Josif Bageri", "Kajo Babjeni",
	"Nuçi Naçi", "Pandeli Sotiri", "Thoma Avrami", "Papa Kristo Negovani", "Naum Veqilharxhi",
	"Dhaskal Todri", "Ismail Kadare", "Eqrem Bej Vlora", "Hasan Tahsini", "Gjergj Pekmezi",
	"Fatmir Haxhiu", "Mujo Ulqinaku", "Prek Cali", "Ibrahim Rugova", "Adem Jashari",
	"Idriz Seferi", "Selam Musai", "Riza Cerova", "Lef Nosi", "Mehmet Konica",
	"Hamdi Bey Dibra", "Elez Isufi", "Ahmet Dakli", "Qazim Koculi", "Bilal Golemi",
	"Kolë Jakova", "Ndoc Nikaj", "Loni Ligori", "Ernest Koliqi", "Jakov Xoxa",
	"Shefqet Musaraj", "Sterjo Spasse", "Fatime Sokoli", "Marie Shllaku", "Androkli Kostallari",
	"28 Nëntori", "Pavarësia", "Lidhja e Prizrenit", "Kongresi i Lushnjës", "Rilindja",
}

// artists name the art lyceums.
var artists = []string{
	"Jordan Misja", "Tish Daija", "Prenkë Jakova", "Çesk Zadeja", "Kolë Idromeno",
	"Onufri", "Odhise Paskali", "Vangjush Mio", "Abdurrahim Buza", "Simon Gjoni",
	"Tonin Harapi", "Mustafa Arapi", "Lola Gjoka",
}

// athletes name the sports schools.
var athletes = []string{
	"Loro Boriçi", "Riza Lushta", "Naim Kryeziu", "Panajot Pano", "Ymer Pampuri",
	"Ilir Pere", "Sulejman Maliqati", "Medi Sulejmani", "Skënder Gega",
}

// privateNames name non-public schools.
var privateNames = []string{
	"Arbëria", "Dardania", "Iliria", "Horizont", "Ardhmëria", "Dituria", "Kristal", "Mësonjëtorja",
	"Drita e Diturisë", "Shpresa", "Gjeniu", "Ylli", "Ëndrra", "Çelësi i Dijes", "Udha e Dritës", "Atlantis",
	"Europa", "Mileniumi", "Olimpia", "Harmonia", "Vizioni", "Sukses", "Përparimi", "Perspektiva",
	"Ylberi", "Lumi i Dijes", "Pishtari", "Alfa", "Omega", "Shkolla e Re", "Dija", "Ura e Dijes",
	"Emanuel", "Zgjimi", "Qiriu", "Shqiponja", "Teuta", "Bylis", "Apolonia", "Butrinti",
	"Albanologjia", "Flaka", "Agimi", "Kurora", "Epidamni", "Aulona", "Gjergj Kastrioti", "Edukimi",
}

// vocationalKinds qualify vocational school names.
var vocationalKinds = []string{
	"Shkolla e Mesme Profesionale",
	"Shkolla e Mesme Profesionale",
	"Shkolla e Mesme Teknike Ekonomike",
	"Shkolla e Mesme Profesionale Bujqësore",
	"Shkolla e Mesme Industriale",
	"Shkolla e Mesme e Hotelerisë dhe Turizmit",
	"Shkolla e Mesme e Shërbimeve Sociale",
}

// streets name the addresses of town schools, with the named figures.
var streets = []string{
	"Rruga e Kavajës", "Rruga e Durrësit", "Rruga e Elbasanit", "Rruga e Dibrës", "Rruga e Barrikadave",
	"Rruga e Shkollës", "Rruga e Kalasë", "Bulevardi Dëshmorët e Kombit", "Bulevardi Zogu I", "Bulevardi Gjergj Fishta",
	"Rruga Myslym Shyri", "Rruga Pjetër Bogdani", "Rruga Ismail Qemali", "Rruga Sami Frashëri", "Rruga Naim Frashëri",
	"Rruga Fan Noli", "Rruga Bajram Curri", "Rruga Qemal Stafa", "Rruga Skënderbeu", "Rruga Hoxha Tahsin",
	"Rruga Sulejman Delvina", "Rruga Ali Demi", "Rruga Asim Vokshi", "Rruga Kongresi i Manastirit", "Rruga Pavarësia",
	"Rruga Demokracia", "Rruga Tregtare", "Rruga Lidhja e Prizrenit", "Rruga Gjergj Kastrioti", "Rruga Çajupi",
	"Rruga Republika", "Rruga 28 Nëntori", "Rruga Migjeni", "Rruga Luigj Gurakuqi", "Rruga Shën Gjergji",
	"Rruga Dëshmorët", "Rruga Rilindja", "Rruga Ullishtat", "Rruga Lumi", "Rruga Xhamia e Plumbit",
}
