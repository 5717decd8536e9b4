"""Dutch texts for the demo's reports (meldingen): what residents report and what partners answer.

Demo content, not interface text: shown as-is, never translated. Placeholders: {straat} a street near the point,
{plek} a place in the neighbourhood, {richting} a direction of travel.
"""

# fmt: off

# Urgent, suspicious: burglary-type signals (more in the dark months) and other suspicious behaviour.
URGENT_BURGLARY = [
    "Twee personen lopen langs de achterpaden van de {straat} en voelen aan tuinpoortjes. Ze schijnen met een "
    "zaklamp in de schuurtjes.",
    "Iemand staat al tien minuten bij een woning aan de {straat} en kijkt steeds door de ramen naar binnen. Er brandt "
    "geen licht in het huis.",
    "Ik hoorde glasgerinkel achter de huizen aan de {straat}. Daarna zag ik iemand wegrennen {richting}.",
    "Een man belt bij meerdere huizen aan de {straat} aan en loopt snel door als er iemand opendoet. Hij schrijft "
    "iets op een briefje.",
    "Bij de {straat} staat een busje met draaiende motor; twee personen dragen spullen uit een garagebox.",
    "Er klimt iemand over de schutting van een woning aan de {straat}. Voor zover ik weet zijn de bewoners op "
    "vakantie.",
    "De tuindeur van de buren aan de {straat} staat open en er is niemand thuis. Ik zag net iemand met een rugzak "
    "de tuin uit komen.",
    "Iemand loopt met een breekijzer onder zijn jas langs de voordeuren aan de {straat} en kijkt of er iemand "
    "thuis is.",
    "Twee personen plakken stukjes plakband op voordeuren aan de {straat}; zo kijken ze of er iemand thuis is.",
]
URGENT_SUSPICIOUS = [
    "Een auto rijdt al drie keer langzaam door de {straat} en stopt steeds even bij de geparkeerde auto's.",
    "Twee jongens proberen bij {plek} fietssloten open te knippen.",
    "Iemand probeert de portieren van geparkeerde auto's aan de {straat} te openen.",
    "Bij {plek} wordt steeds iets overgedragen vanuit een auto; er komen telkens andere mensen kort langs.",
    "Een oudere buurvrouw aan de {straat} kreeg bezoek van twee mannen die zeggen van de energiemaatschappij te "
    "komen; ze lieten geen pasje zien en willen binnenkomen.",
    "Een persoon loopt met een tas vol gereedschap langs de bedrijfspanden bij de {straat} en trekt aan deuren.",
    "Er staat een onbekende bestelbus zonder zichtbare naam al uren bij {plek}; de bestuurder maakt foto's van "
    "de huizen.",
    "Jongeren gooien stenen naar de lantaarnpalen bij {plek} en trappen tegen geparkeerde auto's.",
]
URGENT_LIFE = [
    "Vechtpartij bij {plek}: meerdere personen, één persoon ligt op de grond. 112 is gebeld.",
    "Er komt rook uit een woning aan de {straat}; de bewoner reageert niet op aanbellen. 112 gebeld, brandweer "
    "is onderweg.",
    "Een man bedreigt voorbijgangers met een mes bij {plek}. 112 is gebeld.",
    "Iemand is onwel geworden bij {plek} en reageert niet. 112 gebeld, buren zijn bij hem.",
    "Een auto is met hoge snelheid tegen een lantaarnpaal gereden aan de {straat}; de bestuurder zit nog in de "
    "auto. 112 is gebeld.",
]
OVERLAST = [
    "Elke avond een groep jongeren met scooters bij {plek}: harde muziek en gescheurd tot na middernacht.",
    "Harde muziek en geschreeuw uit een woning aan de {straat}, al sinds het begin van de avond.",
    "Afval en grofvuil naast de containers bij {plek} gedumpt: matrassen en opengescheurde vuilniszakken.",
    "Veel hondenpoep op het speelveld bij {plek}; de kinderen kunnen er niet meer spelen.",
    "Auto's parkeren op de stoep aan de {straat}; met een rollator of kinderwagen kom je er niet langs.",
    "Vuurwerk afgestoken in de portiek van de flat aan de {straat}; de deur is zwartgeblakerd.",
    "Lachgascilinders en blikjes achtergelaten bij {plek} na een feestje.",
    "Scooters rijden veel te hard over het fietspad en het voetpad bij {plek}.",
    "De tuin van een woning aan de {straat} ligt al weken vol afval; er lopen ratten.",
    "Hangjongeren in de portiek aan de {straat}; bewoners durven er 's avonds niet langs.",
    "Geluidsoverlast van een tuinfeest aan de {straat}, tot diep in de nacht.",
    "Sterke wietlucht uit een woning aan de {straat}, de hele dag; ook een zoemend geluid uit de zolder.",
    "Zwerfvuil en kapotte flessen op het plein bij {plek}.",
    "Een bewoner aan de {straat} scheldt voorbijgangers uit en gooit spullen vanaf het balkon.",
    "Auto's met harde uitlaten scheuren 's avonds rondjes over de parkeerplaats bij {plek}.",
    "Jongeren zitten 's nachts op het dak van de fietsenstalling bij {plek} en gooien met flessen.",
]
VERBETERIDEE = [
    "De lantaarnpaal bij {plek} is al weken kapot; het pad is 's avonds aardedonker. Kan er ook een extra lamp "
    "komen?",
    "Idee: een bord 'Buurtpreventie' bij de ingang van de {straat}, zodat iedereen ziet dat we op elkaar letten.",
    "De struiken langs het fietspad bij {plek} zijn zo hoog dat je er niet overheen kijkt. Snoeien zou veel schelen.",
    "Voorstel: een drempel of 30-bord in de {straat}; er wordt hard gereden langs de school.",
    "Kunnen we een informatieavond over woninginbraak houden, met de wijkagent, in het buurthuis?",
    "Een afsluitbare fietsenstalling bij {plek} zou fietsdiefstal schelen.",
    "Idee: een buurtschouw met gemeente en corporatie langs de donkere plekken in de buurt.",
    "De brandgang achter de {straat} kan een hek met slot krijgen; nu loopt iedereen er 's nachts doorheen.",
    "Een extra afvalbak bij {plek}; nu ligt het zwerfvuil overal.",
    "Kunnen we samen een aanmeldactie doen voor Camera in Beeld, zodat de politie weet waar deurbelcamera's hangen?",
    "Een verkeersspiegel op de hoek van de {straat} geeft overzicht bij het uitrijden.",
    "Idee: een avondwandeling met buren één keer per maand, om te zien waar het donker of onveilig is.",
]
INFORMATIE = [
    "Let op: in de buurt wordt aangebeld door 'collectanten' zonder pasje. Doe niet zomaar open.",
    "Deze week zijn bij meerdere auto's aan de {straat} de spiegels afgebroken.",
    "Ter info: de poort bij {plek} is kapot en staat 's nachts open.",
    "De buitenlamp bij het buurthuis werkt niet meer; het is daar 's avonds erg donker.",
    "Waarschuwing: er gaan nep-sms'jes rond namens een pakketdienst, ook bij buren. Klik niet op de link.",
    "Er staat al twee weken een fiets zonder voorwiel vastgeketend bij {plek}.",
    "Babbeltruc gezien bij de {straat}: een vrouw vraagt om een glas water en loopt dan het huis in.",
    "Vanaf maandag wordt de {straat} opgebroken; de achterom is dan slecht verlicht.",
    "Nieuwe bewoners aan de {straat} vragen of er een buurtpreventieteam is; ze willen graag meedoen.",
    "Ter info: bij {plek} is een kapotte stoeptegel waar al twee mensen over zijn gestruikeld.",
    "Let op je auto: er worden katalysatoren gestolen, vooral bij hoge auto's aan de rand van de buurt.",
]

PLACES = [
    "de speeltuin", "het winkelcentrum", "de bushalte", "het buurthuis", "de basisschool", "het trapveldje",
    "de ingang van het park", "de fietsenstalling", "de snackbar", "de parkeerplaats achter de supermarkt",
    "het bankje bij de vijver", "de glasbak", "de tunnel onder het spoor", "het skatepark", "de brandgang",
]
DIRECTIONS = [
    "richting het station", "richting het centrum", "richting het park", "richting de snelweg", "de brandgang in",
    "richting de {straat}",
]

# Persons (SAAR signalement): behaviour first; skin colour only ever with several other details.
SEX = ["man", "man", "man", "vrouw", "jongen", "meisje"]
AGE = ["ongeveer 16", "tussen 18 en 25", "rond de 30", "tussen 30 en 40", "rond de 50", "ouder, 60+"]
HEIGHT = ["ongeveer 1,65 m", "ongeveer 1,75 m", "ongeveer 1,80 m", "lang, ca. 1,90 m", "klein"]
BUILD = ["slank", "normaal", "stevig", "breed", "tenger"]
TOP = [
    "zwarte hoodie", "donkergroene parka", "grijs trainingsjack", "blauwe spijkerjas", "oranje veiligheidshesje",
    "rode bodywarmer", "zwart leren jack", "wit T-shirt",
]
BOTTOM = ["grijze joggingbroek", "zwarte spijkerbroek", "blauwe jeans", "camouflagebroek", "korte broek"]
SHOES = ["witte sneakers", "zwarte schoenen", "werkschoenen", "rode sportschoenen", "slippers"]
HEADWEAR = ["zwarte pet", "muts", "capuchon op", "bivakmuts op het hoofd", ""]
HAIR = ["kort donker haar", "blond, in een staart", "kaal", "krullend bruin haar", "grijs haar"]
MARKS = ["tatoeage in de nek", "volle baard", "draagt een bril", "loopt mank", "grote rugzak", "litteken op de wang"]
SKIN = ["licht getint", "donker", "blank"]

VEHICLE_KINDS = ["personenauto", "personenauto", "bestelbus", "scooter", "motor"]
MAKES = ["Volkswagen", "Opel", "Renault", "Toyota", "Peugeot", "Ford", "Mercedes", "BMW", "Kia", "Fiat", "Piaggio"]
COLOURS = ["zwart", "grijs", "wit", "donkerblauw", "rood", "zilver"]
FOREIGN_PLATES = ["1-ABC-234", "KLE-AB 123", "GR 4567", "WA 12345", "2-DEF-789", "BOR-ZK 88"]
# Letters as on recent Dutch plates (no vowels, no C or Q).
PLATE_LETTERS = "BDFGHJKLNPRSTVXZ"

NOTES = [
    "Noodhulp is ter plaatse geweest; niets aangetroffen.",
    "Bekend adres: eerder meldingen over dezelfde woning.",
    "Afgestemd met de wijkregisseur; we pakken dit samen op.",
    "Opgenomen in de briefing voor de avonddienst.",
    "Camerabeelden van de buren opgevraagd.",
    "Melder wil graag teruggebeld worden, liefst na 18.00 uur.",
    "Lijkt samen te hangen met de inbraken in de wijk van vorige week.",
    "Doorgezet naar handhaving voor een extra ronde.",
    "Eigenaar van het pand is aangeschreven.",
]
QUESTIONS = [
    ("Weet je nog welke kant de persoon op liep?", "Richting het park, langs de brandgang."),
    ("Heb je misschien beelden van een deurbelcamera?", "Ja, ik heb een filmpje van 20 seconden. Waar kan ik het "
     "naartoe sturen?"),
    ("Hoe laat begon het ongeveer?", "Rond half elf 's avonds, en het duurde tot na één uur."),
    ("Gebeurt dit vaker, en op welke dagen?", "Vooral op vrijdag en zaterdag, de laatste weken bijna elk weekend."),
    ("Kun je het kenteken nog een keer controleren?", "Ik twijfel over de laatste letter, de rest klopt zeker."),
    ("Mogen we je bellen voor een paar aanvullende vragen?", "Ja hoor, overdag ben ik goed bereikbaar."),
    ("Weet je om welk huisnummer het precies gaat?", "Het is het hoekhuis, naast de garage met de groene deur."),
    ("Zijn er ook andere buren die dit hebben gezien?", "Mijn overbuurvrouw heeft het ook gezien."),
]
FEEDBACK = {
    "solved": [
        "Dank je wel voor je melding. Collega's zijn direct gaan kijken en hebben de situatie opgelost.",
        "Bedankt! Dankzij jouw melding konden we snel ter plaatse zijn. Het probleem is verholpen.",
        "Je melding is opgepakt en het is opgelost. Fijn dat je zo oplettend bent.",
        "We hebben de betrokkenen aangesproken en afspraken gemaakt. Laat het ons weten als het weer gebeurt.",
        "De aannemer heeft het herstel uitgevoerd. Dank voor het doorgeven!",
    ],
    "referred": [
        "Dank voor je melding. We hebben hem doorgezet naar de organisatie die hierover gaat; zij nemen contact op.",
        "Je melding is doorgestuurd naar buurtbemiddeling; zij helpen buren om er samen uit te komen.",
        "Dit valt onder beheer openbare ruimte; we hebben het daar neergelegd met het verzoek om snel te handelen.",
    ],
    "no_action": [
        "Dank voor je melding. Toen we ter plaatse kwamen was er niemand meer; we hebben niets kunnen aantreffen.",
        "We hebben gekeken, maar er was geen strafbaar feit. Blijf vooral melden wat je ziet.",
        "Helaas kunnen we hier nu niets mee doen. We houden de plek wel extra in de gaten.",
    ],
    "duplicate": [
        "Deze situatie was al door een buurtgenoot gemeld; we hebben jouw informatie bij die melding gevoegd.",
        "Dank je; we hadden hier al een melding over en pakken het daarin op.",
    ],
    "interim": [
        "We hebben je melding ontvangen en zijn ermee bezig. Je hoort van ons als er nieuws is.",
        "Tussenstand: we zijn met de eigenaar in gesprek. Dank voor je geduld.",
    ],
}
COMMUNITY_FEEDBACK = [
    "Naar aanleiding van meldingen uit de buurt surveilleren we de komende weken extra in de avonduren.",
    "Dank aan iedereen die meldt: door jullie signalen hebben we twee verdachten kunnen aanhouden.",
    "De kapotte verlichting is gerepareerd. Blijf melden wat je opvalt!",
    "We hebben gesprekken gevoerd met de jongeren en hun ouders; we blijven de plek in de gaten houden.",
    "Tip: doe bij het weggaan de achterdeur op slot en laat 's avonds een lamp branden.",
    "De gedumpte spullen zijn opgeruimd; de gemeente plaatst een camera bij de containers.",
    "Er wordt een buurtschouw georganiseerd met gemeente en corporatie; je hoort binnenkort de datum.",
]
REOPEN_REASONS = [
    "Het probleem is niet opgelost: de overlast gaat gewoon door.",
    "Ik heb geen idee wat er nu precies is gedaan.",
    "Er is niemand komen kijken, terwijl het nog steeds gebeurt.",
    "De lamp is nog steeds kapot.",
]
DECLINE_NOTES = [
    "We hebben gedaan wat binnen onze mogelijkheden ligt; meld het opnieuw als het weer gebeurt.",
    "Dit is doorgezet naar de juiste organisatie; daar loopt het verder.",
    "Er is opnieuw gekeken en er is nu geen aanleiding om de melding te heropenen.",
]
REOPEN_NOTES = ["We pakken het opnieuw op en gaan nog een keer kijken.", "Terecht: we nemen het weer in behandeling."]
FORWARDS = [
    ("Stadsbeheer, team openbare verlichting", "Kunnen jullie deze lantaarnpaal bekijken?", "Lamp vervangen."),
    ("Afvalservice Voorbeeld", "Graag de gedumpte spullen ophalen.", "Opgehaald op de eerstvolgende route."),
    ("Handhaving (boa's) gemeente Voorbeeld", "Graag een extra ronde in de avond.", "Twee avonden extra gelopen."),
    ("Buurtbemiddeling Voorbeeld", "Zouden jullie contact willen leggen met beide buren?", "Eerste gesprek gepland."),
    ("Netbeheerder, storingsdienst", "De kast staat open; kunnen jullie die afsluiten?", ""),
]
# fmt: on
