"""Word lists for the demo: Dutch first names, surnames, and street-name themes per buurt (fictional, plausible)."""

# fmt: off

FIRST_NAMES = [
    "Daan", "Sem", "Lucas", "Levi", "Finn", "Milan", "Noah", "Bram", "Thijs", "Jesse", "Ruben", "Lars", "Tim",
    "Jeroen", "Martijn", "Bas", "Sander", "Kees", "Henk", "Piet", "Johan", "Gerrit", "Wim", "Hans", "Joost",
    "Mark", "Erik", "Peter", "Rob", "Frank", "Dennis", "Niels", "Koen", "Stijn", "Wouter", "Jan", "Willem",
    "Mohammed", "Yusuf", "Ahmed", "Hamza", "Emre", "Mehmet", "Rayan", "Omar", "Ravi", "Dewi", "Anand", "Kevin",
    "Emma", "Julia", "Sophie", "Tess", "Sara", "Anna", "Fleur", "Lotte", "Eva", "Lisa", "Sanne", "Iris",
    "Femke", "Marieke", "Anouk", "Esther", "Ingrid", "Annemarie", "Wilma", "Ria", "Joke", "Els", "Karin",
    "Monique", "Petra", "Linda", "Mirjam", "Ellen", "Marloes", "Nienke", "Roos", "Noor", "Mila", "Saar",
    "Fatima", "Yasmina", "Aisha", "Zeynep", "Elif", "Samira", "Nadia", "Priya", "Shanti", "Mei", "Olga",
]

SURNAMES = [
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer",
    "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer",
    "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan",
    "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn", "de Bruin", "van der Heijden",
    "Schouten", "van Beek", "Willems", "van Vliet", "van de Ven", "Hoekstra", "Maas", "Verhoeven", "Koster",
    "van Dam", "van der Wal", "Prins", "Blom", "Huisman", "Peeters", "de Jonge", "Kuipers", "van Veen", "Post",
    "Kuiper", "Veenstra", "Kramer", "van den Brink", "Scholten", "van Wijk", "Postma", "Martens", "Vink",
    "de Ruiter", "Timmermans", "Groen", "Gerritsen", "Jonker", "van Loon", "Boer", "van der Velde", "Willemsen",
    "Smeets", "de Lange", "de Vos", "Bosch", "Verbeek", "Hermans", "Wouters", "Evers", "Claassen", "Pauwels",
    "Yilmaz", "Kaya", "Demir", "El Amrani", "Bouzid", "Benali", "Ait Taleb", "Pinas", "Sedney", "Nguyen",
    "Tran", "Ramdin", "Soekhlal", "Kowalski", "Nowak", "Haddad", "Tahiri", "Ouali",
]

# Street-name themes: Dutch buurten name their streets after one theme each.
STREET_THEMES = {
    "old_town": [
        ("Markt", "straat"), ("Kerk", "straat"), ("Molen", "straat"), ("Brouwers", "gracht"), ("Schoolsteeg", ""),
        ("Voorstraat", ""), ("Achterstraat", ""), ("Oude Gracht", ""), ("Nieuwe Gracht", ""), ("Lange", "straat"),
        ("Korte", "straat"), ("Smeden", "straat"), ("Bakkers", "steeg"), ("Gasthuis", "straat"), ("Vismarkt", ""),
        ("Torenstraat", ""), ("Poortstraat", ""), ("Kloostersteeg", ""), ("Walstraat", ""), ("Begijnen", "hof"),
    ],
    "station": [
        ("Stationsweg", ""), ("Spoorlaan", ""), ("Perronstraat", ""), ("Seinhuisstraat", ""), ("Wissel", "straat"),
        ("Rails", "pad"), ("Conducteurs", "laan"), ("Machinisten", "straat"), ("Locomotief", "straat"),
        ("Stoomtram", "weg"), ("Emplacement", "straat"), ("Dienstregeling", "pad"), ("Remise", "straat"),
        ("Overweg", "straat"), ("Stationsplein", ""), ("Goederen", "straat"),
    ],
    "harbour": [
        ("Haven", "kade"), ("Loswal", ""), ("Schippers", "straat"), ("Sluis", "weg"), ("Anker", "straat"),
        ("Boeg", "straat"), ("Roer", "straat"), ("Zeil", "makerstraat"), ("Touw", "slagerslaan"), ("Kaai", "straat"),
        ("Baken", "straat"), ("Dok", "weg"), ("Meer", "kade"), ("Pieren", "pad"), ("Vaart", "straat"),
        ("Jachthaven", "weg"),
    ],
    "mills": [
        ("Korenmolen", "straat"), ("Oliemolen", "straat"), ("Houtzaag", "molenlaan"), ("Watermolen", "weg"),
        ("Poldermolen", "straat"), ("Molenwiek", "straat"), ("Maalsteen", "straat"), ("Molenaars", "hof"),
        ("Standerd", "molenweg"), ("Stellingmolen", "straat"), ("Wipmolen", "straat"), ("Pelmolen", "laan"),
        ("Molenkap", "straat"), ("Molenerf", ""), ("Graanzolder", "straat"),
    ],
    "birds": [
        ("Merel", "straat"), ("Lijster", "straat"), ("Spreeuwen", "laan"), ("Koolmees", "hof"), ("Roodborst", "straat"),
        ("Vink", "straat"), ("Zwaluw", "straat"), ("Kievit", "laan"), ("Reiger", "straat"), ("Specht", "straat"),
        ("Buizerd", "laan"), ("Ekster", "hof"), ("Gaai", "straat"), ("Uilen", "pad"), ("Zanglijster", "hof"),
        ("Havik", "straat"), ("Valk", "laan"), ("Wielewaal", "straat"), ("Nachtegaal", "laan"), ("Putter", "straat"),
    ],
    "flowers": [
        ("Tulp", "straat"), ("Narcis", "straat"), ("Roos", "laan"), ("Lelie", "straat"), ("Krokus", "hof"),
        ("Hyacint", "straat"), ("Anjer", "straat"), ("Dahlia", "laan"), ("Irisstraat", ""), ("Viooltjes", "hof"),
        ("Zonnebloem", "straat"), ("Klaproos", "laan"), ("Madeliefje", "straat"), ("Sering", "straat"),
        ("Lavendel", "hof"), ("Goudsbloem", "straat"), ("Akelei", "straat"), ("Orchidee", "laan"),
    ],
    "trees": [
        ("Eiken", "laan"), ("Beuken", "laan"), ("Linden", "straat"), ("Kastanje", "straat"), ("Esdoorn", "laan"),
        ("Berken", "hof"), ("Wilgen", "straat"), ("Populieren", "laan"), ("Iepen", "straat"), ("Platanen", "laan"),
        ("Elzen", "straat"), ("Essen", "straat"), ("Hazelaar", "hof"), ("Lijsterbes", "straat"), ("Meidoorn", "straat"),
        ("Walnoot", "straat"), ("Acacia", "laan"), ("Taxus", "hof"),
    ],
    "monastery": [
        ("Kloosterakker", ""), ("Abdij", "laan"), ("Monniken", "pad"), ("Pater", "straat"), ("Kapittel", "weg"),
        ("Kloostertuin", ""), ("Priorij", "straat"), ("Kruisgang", ""), ("Refter", "straat"), ("Getijden", "laan"),
        ("Novicen", "straat"), ("Abt", "straat"), ("Cellen", "straat"), ("Kloosterhof", ""), ("Kapel", "straat"),
    ],
    "painters": [
        ("Rembrandt", "laan"), ("Vermeer", "straat"), ("Frans Hals", "straat"), ("Jan Steen", "straat"),
        ("Van Gogh", "laan"), ("Mondriaan", "straat"), ("Jacob van Ruisdael", "straat"), ("Pieter de Hooch", "straat"),
        ("Breitner", "straat"), ("Mesdag", "straat"), ("Jozef Israëls", "laan"), ("Toorop", "straat"),
        ("Escher", "hof"), ("Charley Toorop", "straat"), ("Judith Leyster", "straat"), ("Avercamp", "straat"),
        ("Hobbema", "straat"), ("Ferdinand Bol", "straat"),
    ],
    "composers": [
        ("Sweelinck", "straat"), ("Mozart", "laan"), ("Beethoven", "straat"), ("Bach", "straat"), ("Chopin", "hof"),
        ("Händel", "straat"), ("Haydn", "straat"), ("Schubert", "laan"), ("Vivaldi", "straat"), ("Verdi", "straat"),
        ("Diepenbrock", "straat"), ("Röntgen", "straat"), ("Andriessen", "hof"), ("Mahler", "laan"),
        ("Brahms", "straat"), ("Grieg", "straat"),
    ],
    "meadows": [
        ("Hoge Weide", ""), ("Lage Weide", ""), ("Boterbloem", "weide"), ("Klaver", "weide"), ("Slootkant", ""),
        ("Weidevogel", "laan"), ("Grutto", "straat"), ("Tureluur", "straat"), ("Kwartel", "hof"),
        ("Hooiberg", "straat"), ("Dijkgraaf", "straat"), ("Polder", "weg"), ("Greppel", "pad"),
        ("Koeien", "pad"), ("Melkweg", ""),
    ],
    "industry": [
        ("Industrieweg", ""), ("Ambachts", "straat"), ("Nijverheids", "weg"), ("Handels", "kade"),
        ("Transport", "weg"), ("Energieweg", ""), ("Zuivel", "weg"), ("Koper", "slagerstraat"),
    ],
}

SUFFIXES = ["straat", "laan", "weg", "hof", "plein", "singel", "dreef", "pad"]

BUSINESS_NAMES = [
    "Bakkerij", "Slagerij", "Fietsenmaker", "Bloemenzaak", "Kapsalon", "Apotheek", "Boekhandel", "Opticien",
    "Schoenmaker", "Drogisterij", "Lunchroom", "IJssalon", "Kaaswinkel", "Groenteboer", "Juwelier", "Reisbureau",
    "Installatiebedrijf", "Autogarage", "Timmerbedrijf", "Drukkerij", "Transportbedrijf", "Groothandel",
    "Metaalbewerking", "Bouwbedrijf", "Schildersbedrijf", "Verhuurbedrijf",
]
# fmt: on
