"""Dutch texts for the demo's conversations: what members write, what partners explain, what coordinators decide.

Demo content, not interface text: shown as-is, never translated. Placeholders: {straat} a street in the community,
{plek} a place in the neighbourhood (report_texts.PLACES), {dag} a day of the week.

The flagged examples are deliberately mild and illustrative (what a moderation screen has to deal with, not real
slurs); each comes with the text its author would have written instead. The demo computes every flag with
moderation.checks, so a text here is only as flagged as the checks say it is.
"""

# fmt: off

DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"]

# Members' messages: top-level posts about safety in the neighbourhood (clean).
MESSAGES = [
    "Bij de basisschool aan de {straat} brandt sinds gisteravond het licht in een lokaal en staat een raam op een "
    "kier. Ik heb de conciërge gemaild; wie hem kent, mag het hem ook even laten weten.",
    "Het hek van {plek} stond vanavond om tien uur wagenwijd open. Ik heb het dichtgedaan; misschien kan de "
    "gemeente naar het slot kijken?",
    "Dank aan de wijkagent voor de extra rondes deze week: het is een stuk rustiger bij {plek}.",
    "Herinnering: {dag} om 19.30 uur is de buurtavond in het wijkcentrum, met de wijkagent en iemand van de "
    "gemeente. Iedereen is welkom.",
    "Avondronde van gisteren: rustig in de {straat}. Twee schuurtjes stonden open; de bewoners hebben een briefje "
    "in de bus gekregen.",
    "Er rijdt vanmiddag een witte bestelbus zonder opschrift langzaam door de {straat}. De bestuurder (grijze trui, "
    "zwarte pet) stapt steeds uit en kijkt over de schuttingen. Niet zelf op afgaan; ik heb het gemeld bij "
    "0900-8844.",
    "Let op: de lantaarnpaal bij {plek} is al drie avonden kapot. Ik heb het gemeld bij de gemeente.",
    "Vanochtend stond de deur van de portiek aan de {straat} weer open, hij klemt. Graag goed dichttrekken, dan "
    "loopt er niemand ongemerkt naar binnen.",
    "Een buurvrouw aan de {straat} kreeg een appje van 'haar dochter' met een nieuw nummer die dringend geld nodig "
    "had. Gelukkig belde ze eerst het oude nummer. Waarschuw je ouders ook!",
    "Wie loopt {dag} mee met de avondronde? We beginnen om 21.00 uur bij {plek}; hesjes en zaklampen zijn er.",
    "Er lag vanochtend een doorgeknipt fietsslot bij {plek}. Zet je fiets binnen of met een tweede slot aan een "
    "vaste paal.",
    "Bij {plek} liggen glasscherven op het fietspad. Ik heb het gemeld; tot die tijd voorzichtig met de kinderen.",
    "Mijn deurbelcamera nam vannacht iemand op die aan autoportieren voelde in de {straat}: donkere jas, lichte "
    "sneakers, rugzak, liep richting het park. De beelden heb ik aan de politie gegeven.",
    "Sinds de nieuwe verlichting bij {plek} is het 's avonds echt prettiger lopen. Dank aan iedereen die het "
    "gemeld heeft.",
    "De folders over inbraakpreventie liggen bij de bakker; neem er een paar mee voor je buren in de {straat}.",
    "Gisteravond brandde er een container aan de {straat}. De brandweer was er snel bij en niemand is gewond. "
    "Zag iemand hoe het begon? Geef het door aan de politie.",
    "Twee jongens keken bij {plek} in geparkeerde auto's en liepen door toen ik de buitenlamp aandeed. De een lang "
    "met een groene jas, de ander klein met een witte pet. Gemeld bij de politie.",
    "De struiken bij het tuinpad achter de {straat} zijn zo hoog dat je er 's avonds niets meer ziet. Ik vraag de "
    "corporatie of ze gesnoeid kunnen worden.",
    "Op {dag} komt de wijkagent naar de koffieochtend in het buurthuis. Heb je vragen over veiligheid in de buurt, "
    "kom langs.",
    "Let op bij het pinautomaat bij {plek}: er zat gisteren een los stukje plastic op de kaartlezer. De bank is "
    "ingelicht.",
    "De schuurdeur van het gemeenschappelijke fietsenhok aan de {straat} sluit niet meer. Wie weet wie de sleutel "
    "beheert?",
    "Vannacht rond twee uur hoorde ik een alarm in de {straat}. Het ging na een paar minuten uit; weet iemand wat "
    "er was?",
    "Goed nieuws: de kapotte speeltoestellen bij {plek} zijn weggehaald en de gemeente zet er nieuwe neer.",
    "Er wordt weer gecollecteerd in de buurt. Echte collectanten hebben een pasje; vraag er gerust naar.",
]

# Replies (one level deep), to messages and to shared reports (clean).
REPLIES = [
    "Goed dat je het meldt, ik let vanavond ook even op.",
    "Ik heb het ook gezien en net gemeld.",
    "Ik loop {dag} mee met de ronde.",
    "Bij ons aan de {straat} was het vannacht rustig.",
    "Het is inmiddels gerepareerd, zag ik vanochtend.",
    "Goed opgelet! Ik doe mijn schuur voortaan ook op slot.",
    "De wijkagent weet ervan; die komt vanavond langs.",
    "Ik zet mijn buitenlamp voortaan 's nachts aan.",
    "Mijn camera heeft niets opgenomen, maar ik houd het in de gaten.",
    "Dank je, ik heb het doorgegeven aan mijn buren.",
    "Bij {plek} heb ik hetzelfde gezien, rond dezelfde tijd.",
    "Ik heb de gemeente ook gemaild; hoe meer meldingen, hoe sneller.",
]

# Pinned by a coordinator: the house rules in a nutshell, the evening rounds.
PINNED = [
    "Welkom in de groep! In het kort: we melden gedrag, plaats en tijd. Bij nood bel je eerst 112 en zet je het "
    "daarna hier. Vragen over de groep? Stuur de coördinatoren een bericht.",
    "Avondrondes: elke {dag} om 21.00 uur vanaf {plek}. Aanmelden bij de coördinatoren; hesjes en zaklampen "
    "liggen klaar.",
]

# Voorlichting by partner staff, per organisation kind: (text, perspective for action).
VOORLICHTING: dict[str, list[tuple[str, str]]] = {
    "police": [
        ("In de wijk is de afgelopen weken een aantal keer ingebroken via achterdeuren en schuurtjes.",
         "Doe achterdeur en schuur op slot, ook als je maar even weg bent, en laat 's avonds een lamp branden. Zie je "
         "iets verdachts, bel 112; heb je achteraf informatie, bel 0900-8844."),
        ("Er gaan berichten rond over mensen die zich als agent voordoen en aanbellen.",
         "Een echte agent laat altijd een politiepas zien. Twijfel je, laat niemand binnen en bel 0900-8844 om het "
         "te controleren."),
        ("Fietsdiefstal bij het station en de winkels neemt toe.",
         "Gebruik twee sloten, waarvan één aan een vaste paal, en noteer het framenummer van je fiets."),
    ],
    "municipality": [
        ("De gemeente vervangt de komende weken de straatverlichting in de wijk door ledlampen.",
         "Zie je een lamp die het niet doet, meld het via de website van de gemeente met het nummer op de paal."),
        ("Op {dag} is er een buurtschouw: we lopen met bewoners, politie en corporatie door de buurt.",
         "Loop mee en wijs ons op donkere plekken, kapotte hekken en andere onveilige punten. Opgeven kan bij de "
         "coördinatoren."),
    ],
    "fire": [
        ("Nu de avonden kouder worden, zien we meer branden door kachels en kaarsen.",
         "Hang een rookmelder op elke verdieping en test hem elke maand. Laat kaarsen nooit alleen branden."),
        ("Een volle brandgang of portiek houdt de brandweer op.",
         "Houd brandgangen en portieken vrij van fietsen, containers en grofvuil."),
    ],
    "medical": [
        ("De komende dagen wordt het warm.",
         "Drink genoeg, zoek de schaduw op en kijk om naar oudere buren. Weet waar de dichtstbijzijnde AED hangt."),
        ("In de wijk hangen nu vijf AED's.",
         "Meld je aan als burgerhulpverlener en volg een reanimatiecursus: het kost één avond."),
    ],
    "housing": [
        ("In een aantal portieken sluiten de deuren niet goed.",
         "Trek de portiekdeur achter je dicht en meld een kapotte deur bij de huismeester. Laat geen onbekenden mee "
         "naar binnen."),
    ],
    "organisation": [
        ("Er zijn deze week meerdere winkeldiefstallen geweest.",
         "Houd de kassa en de ingang in het zicht en bel 112 bij een diefstal op heterdaad. Deel camerabeelden "
         "alleen met de politie."),
        ("De slagboom gaat vanaf volgende week om 22.00 uur dicht.",
         "Geef medewerkers met late diensten een pas. Zie je iemand over het hek klimmen, bel 112."),
    ],
}

# Flagged examples: (flag, what the author wrote first, what they wrote instead). Mild and illustrative.
FLAGGED: list[tuple[str, str, str]] = [
    ("stigmatisering",
     "Daar staat die Poolse bus weer bij {plek}. Ik vertrouw het niet.",
     "Er staat al twee dagen een bestelbus bij {plek}; 's nachts wordt er steeds iets in- en uitgeladen. Ik heb het "
     "gemeld bij de politie."),
    ("stigmatisering",
     "Er loopt weer een verdachte allochtoon rond in de {straat}.",
     "Er loopt een man door de {straat} die bij elke voordeur aanbelt en snel doorloopt: grijze jas, blauwe "
     "rugzak, lang. Gemeld bij 0900-8844."),
    ("stigmatisering",
     "Dat zijn vast weer die asielzoekers geweest.",
     "Weet iemand wie er vannacht bij de schuurtjes aan de {straat} was? Ik heb het gemeld bij de politie."),
    ("persoonsgegevens",
     "Volgens mij is het de zoon van de familie Jansen, {straat} 12.",
     "Ik heb een vermoeden wie het is; dat heb ik rechtstreeks aan de wijkagent doorgegeven."),
    ("persoonsgegevens",
     "De eigenaar van die scooter heet Kevin de Vries, hij woont op de {straat} 31.",
     "Die scooter staat vaak op de stoep aan de {straat}; ik heb het bij de gemeente gemeld."),
    ("eigenrichting",
     "Volgende keer wachten we ze op bij de schuurtjes en pakken we ze zelf aan.",
     "Volgende keer bellen we meteen 112 als we iemand bij de schuurtjes zien."),
    ("eigenrichting",
     "Zullen we vanavond met een paar man die jongeren bij {plek} eens flink wegjagen?",
     "Zullen we de wijkagent vragen om vanavond bij {plek} langs te gaan? Het is er elke avond onrustig."),
    ("eigenrichting",
     "Ik heb een foto van die fietsendief, deel hem maar zodat iedereen weet wie het is.",
     "Ik heb de camerabeelden van de fietsendiefstal aan de politie gegeven; zij gaan ermee aan de slag."),
    ("irrelevant",
     "Te koop: kinderfiets, zo goed als nieuw, 40 euro.",
     ""),
    ("irrelevant",
     "Wie kent een goede loodgieter in de buurt?",
     ""),
    ("irrelevant",
     "Fijne feestdagen allemaal en tot de volgende buurtborrel!",
     ""),
]

# Flagged by the checks, but worth publishing: a coordinator does, after the author sent them anyway.
PUBLISHED_ANYWAY = [
    "Gevonden: een sleutelbos met een rode hanger bij {plek}. Hij ligt bij mij; liever niet in verkeerde handen, "
    "dus stuur me een bericht als het de jouwe is.",
    "Pas op: er belt iemand rond vanaf 085-1234567 die zich voordoet als de bank en naar je pincode vraagt. Gewoon "
    "ophangen.",
]

# A published post that members reported (the checks missed it), and why they reported it.
REPORTED = [
    "Alweer die hangjongeren bij {plek}. Ik ben er helemaal klaar mee, iemand moet ze eens de waarheid vertellen.",
    "Waarom doet de politie hier eigenlijk nooit iets? Dan hoeven we ook niks meer te melden.",
    "Die buren met die blaffende hond houden nooit rekening met iemand. Zo asociaal.",
]
REPORT_REASONS = [
    "Dit leidt tot ruzie en helpt niemand.",
    "Klinkt als een oproep om ze zelf aan te spreken.",
    "Dit gaat niet over veiligheid maar over een burenruzie.",
    "Toon is onnodig fel.",
]

# What coordinators answer when they decide on a post in the queue.
REJECT_REASONS = {
    "stigmatisering": "Dit noemt afkomst in plaats van wat er gebeurde. Beschrijf gedrag, plaats en tijd, dan "
                      "plaatsen we het graag.",
    "persoonsgegevens": "Geen namen of adressen in de groep (spelregel 4); geef dit door aan de wijkagent.",
    "eigenrichting": "We nemen het recht niet in eigen hand (spelregel 3). Bel bij gevaar 112.",
    "irrelevant": "Dit hoort niet in deze groep (spelregel 5); het prikbord in het buurthuis is er voor.",
    "reported": "Na meldingen van leden verwijderd: dit leidt tot ruzie en gaat niet over een concrete situatie.",
}
REPHRASE_REASONS = {
    "stigmatisering": "Kun je beschrijven wat je zag (gedrag, kleding, richting), zonder afkomst?",
    "persoonsgegevens": "Kun je het zonder namen of adressen zeggen? Die geef je aan de wijkagent.",
    "eigenrichting": "Kun je het zo zeggen dat niemand zelf op pad gaat? Vraag de wijkagent erbij of bel 112.",
    "irrelevant": "Kun je vertellen wat dit met de veiligheid in de buurt te maken heeft?",
}
PUBLISH_REASONS = ["", "Akkoord: nuttige waarschuwing voor de buurt.", "Gecontroleerd, mag geplaatst worden."]
KEEP_REASON = "Bekeken na meldingen van leden: dit mag blijven staan."

# Conduct steps and appeals (handbook 3.3.2).
STEP_MESSAGES = {
    "request": "Hoi {name}, dank dat je meedoet. Je laatste bericht past niet bij onze spelregels: beschrijf gedrag "
               "in plaats van mensen en laat optreden over aan de politie. Wil je daar voortaan op letten?",
    "warning": "{name}, we hebben je eerder gevraagd je aan de spelregels te houden. Dit is een waarschuwing: als "
               "het nog eens gebeurt, word je uit de groep verwijderd.",
}
APPEALS = [
    "Ik bedoelde het niet kwaad; ik wilde alleen waarschuwen. Mijn bericht is verkeerd begrepen.",
    "Ik vind de waarschuwing te zwaar: ik heb mijn bericht zelf al aangepast.",
]
APPEAL_DECISIONS = {
    "upheld": "We hebben je bericht en de spelregels opnieuw bekeken; de stap blijft staan. Je blijft welkom in de "
              "groep.",
    "overturned": "Je hebt gelijk dat je bericht al was aangepast; de stap is ingetrokken.",
}
