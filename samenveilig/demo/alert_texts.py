"""The demo's alerts (oproepen), in Dutch: what the police and a coordinator sent, what the recipients answered and how
each ended. Demo data shown as-is, not interface text.

Every description keeps the method's rule (handbook 3.3.2): nobody is described by skin colour or origin; people are
described by clothing, build, height and behaviour, and each text passes the moderation checks the alerts services
run (no calls to take the law into one's own hands).

Times are relative to the build's `now`: `days` before it, at `hour` (UTC); answers `minutes` after sending. All
within the last three weeks, where the demo writes notifications (demo.reports.NOTIFY_DAYS).
"""

from typing import Any

# One answer: (minutes after sending, kind, text, with a location near the centre).
Answer = tuple[int, str, str, bool]

PAST: list[dict[str, Any]] = [
    {
        "kind": "suspect",
        "by": "police",
        "days": 20,
        "hour": 21.5,
        "radius_m": 800,
        "valid_minutes": 180,
        "title": "Gezocht: man na woninginbraak aan de Oude Kern",
        "text": (
            "Rond 21:15 is ingebroken in een woning. De man vluchtte te voet richting het station. Heeft u hem gezien? "
            "Benader hem niet, bel bij directe aanwezigheid 112 en laat het hier weten."
        ),
        "persons": [
            {
                "sex": "man",
                "age": "ongeveer 30",
                "height": "ongeveer 1,85 m",
                "build": "slank",
                "top": "donkergroene jas met capuchon",
                "bottom": "grijze joggingbroek",
                "shoes": "witte sportschoenen",
                "headwear": "zwarte pet",
                "direction": "te voet richting het station",
            }
        ],
        "answers": [
            (6, "seen", "Man met groene jas en pet liep net langs de bakker, richting het spoor.", True),
            (9, "not_seen", "", False),
            (12, "info", "Op mijn deurbelcamera zie ik om 21:14 iemand met een pet hard langs lopen.", True),
            (15, "not_seen", "", False),
            (21, "seen", "Zag iemand in een grijze joggingbroek de fietsenstalling bij het station in gaan.", True),
        ],
        "outcome": "arrested",
        "outcome_text": "Dankzij uw tips is een verdachte bij het station aangehouden. Dank voor het meekijken!",
        "close_after": 64,
    },
    {
        "kind": "vehicle",
        "by": "police",
        "days": 18,
        "hour": 14.0,
        "radius_m": 1000,
        "valid_minutes": 240,
        "title": "Gestolen bestelbus: witte Ford Transit",
        "text": (
            "Vanochtend is bij het bedrijvenpark een witte bestelbus gestolen. Ziet u hem rijden of geparkeerd staan? "
            "Laat het weten met de plek en de tijd. Benader de bestuurder niet."
        ),
        "vehicles": [{"kind": "bestelbus", "make": "Ford Transit", "colour": "wit", "plate": "VX-123-B"}],
        "answers": [
            (18, "not_seen", "", False),
            (25, "info", "Er staat al sinds de middag een witte bus op het parkeerterrein bij de sporthal.", True),
            (31, "seen", "Witte Ford zonder belettering, staat bij de sporthal, kenteken begint met VX.", True),
        ],
        "outcome": "found",
        "outcome_text": "De bestelbus is teruggevonden bij de sporthal en gaat terug naar de eigenaar.",
        "close_after": 95,
    },
    {
        "kind": "missing",
        "by": "police",
        "days": 15,
        "hour": 17.0,
        "radius_m": 1200,
        "valid_minutes": 360,
        "title": "Vermist: jongen van 9 jaar, Daan",
        "text": (
            "Daan (9) is na school niet thuisgekomen. Hij was op weg naar de speeltuin in de Vogelbuurt. Kijk even "
            "in uw straat, schuur of tuin. Gezien? Bel 112 en blijf bij hem."
        ),
        "persons": [
            {
                "sex": "jongen",
                "age": "9",
                "height": "ongeveer 1,35 m",
                "build": "tenger",
                "top": "rode regenjas",
                "bottom": "blauwe spijkerbroek",
                "shoes": "gele laarzen",
                "hair": "kort, blond",
                "marks": "blauwe rugzak met dinosaurussen",
            }
        ],
        "answers": [
            (8, "not_seen", "", False),
            (11, "not_seen", "Schuur en tuin nagekeken, niets gezien.", False),
            (14, "seen", "Jongen in rode regenjas liep om 16:40 langs de vijver, samen met een andere jongen.", True),
            (19, "info", "Mijn zoon zegt dat ze vaak bij de hut achter de voetbalkooi spelen.", True),
            (22, "not_seen", "", False),
            (26, "seen", "Gele laarzen en rode jas bij de voetbalkooi gezien, een paar minuten geleden.", True),
        ],
        "outcome": "found",
        "outcome_text": "Daan is terecht: hij speelde bij een vriendje. Iedereen bedankt voor het zoeken!",
        "close_after": 41,
    },
    {
        "kind": "warning",
        "by": "police",
        "days": 13,
        "hour": 10.0,
        "radius_m": 1500,
        "valid_minutes": 480,
        "title": "Let op: nepmonteurs aan de deur",
        "text": (
            "Vandaag bellen mannen aan die zeggen dat ze de watermeter moeten controleren. Het waterbedrijf komt "
            "nooit onaangekondigd. Laat niemand binnen zonder afspraak en vraag altijd om een pasje. Waarschuw ook "
            "oudere buren."
        ),
        "answers": [
            (
                35,
                "info",
                "Bij ons in de straat belden vanochtend twee mannen aan, we hebben ze niet binnengelaten.",
                True,
            ),
            (70, "seen", "Twee mannen met een klembord bij de flat aan de overkant, rond 11 uur.", True),
            (120, "not_seen", "", False),
        ],
        "outcome": "expired",
        "close_after": None,
    },
    {
        "kind": "witness",
        "by": "police",
        "days": 11,
        "hour": 9.0,
        "radius_m": 700,
        "valid_minutes": 720,
        "title": "Getuigen gezocht: aanrijding met fietser",
        "text": (
            "Gisteravond rond 22:30 is een fietser aangereden op de rotonde bij het Havenkwartier. De bestuurder "
            "reed door. Heeft u iets gezien of camerabeelden van die tijd? Laat het hier weten."
        ),
        "answers": [
            (40, "not_seen", "", False),
            (
                95,
                "info",
                "Ik hoorde rond half elf een harde klap en daarna een auto hard wegrijden, richting de kade.",
                True,
            ),
            (180, "not_seen", "", False),
        ],
        "outcome": "no_result",
        "outcome_text": "De bestuurder is nog niet gevonden. Het onderzoek loopt door; dank voor de tips.",
        "close_after": 600,
    },
    {
        "kind": "warning",
        "by": "coordinator",
        "days": 8,
        "hour": 19.0,
        "radius_m": 400,
        "valid_minutes": 240,
        "title": "Let op: fietsen op slot bij de speeltuin doorgeknipt",
        "text": (
            "Vanmiddag zijn bij de speeltuin twee fietsen gestolen, de sloten waren doorgeknipt. Zet uw fiets binnen "
            "of aan een vast punt met een tweede slot. Ziet u iets verdachts, bel de politie en meld het in de app."
        ),
        "answers": [
            (12, "info", "Bij ons achterom is vorige week ook een slot doorgeknipt.", False),
            (30, "not_seen", "", False),
        ],
        "outcome": "cancelled",
        "outcome_text": "De politie heeft het overgenomen; zie de berichten van de wijkagent.",
        "close_after": 90,
    },
    {
        "kind": "witness",
        "by": "coordinator",
        "days": 6,
        "hour": 11.0,
        "radius_m": 450,
        "valid_minutes": 300,
        "title": "Wie zag vannacht iemand bij de auto's in de straat?",
        "text": (
            "Vannacht zijn bij drie auto's in onze buurt de spiegels vernield. De politie is ingelicht. Heeft u "
            "tussen 2:00 en 4:00 iets gezien of gehoord, of heeft u camerabeelden? Laat het weten."
        ),
        "answers": [
            (20, "not_seen", "", False),
            (
                45,
                "info",
                "Om ongeveer 3 uur hoorde ik glasgerinkel en twee mensen lachen, richting het pleintje.",
                True,
            ),
        ],
        "outcome": "no_result",
        "outcome_text": "Geen nieuwe tips meer binnengekomen; de informatie is doorgegeven aan de wijkagent.",
        "close_after": 260,
    },
    {
        "kind": "missing",
        "by": "police",
        "days": 3,
        "hour": 20.0,
        "radius_m": 1000,
        "valid_minutes": 240,
        "title": "Vermist: vrouw van 79 jaar met rollator",
        "text": (
            "Mevrouw Jansen (79) is sinds 19:00 niet thuis. Ze is wat verward en loopt met een rollator. Ziet u "
            "haar? Bel 112, spreek haar rustig aan en blijf bij haar."
        ),
        "persons": [
            {
                "sex": "vrouw",
                "age": "79",
                "height": "ongeveer 1,60 m",
                "build": "klein",
                "top": "lichtblauwe regenjas",
                "bottom": "donkere rok",
                "hair": "grijs, kort",
                "marks": "rode rollator",
            }
        ],
        "answers": [(10, "not_seen", "", False)],
        "outcome": "cancelled",
        "outcome_text": "Mevrouw bleek bij haar dochter te zijn; de oproep is ingetrokken. Dank voor het meekijken.",
        "close_after": 25,
    },
    {
        "kind": "suspect",
        "by": "police",
        "days": 1,
        "hour": 23.0,
        "radius_m": 600,
        "valid_minutes": 120,
        "title": "Gezocht: twee personen na poging tot inbraak in schuur",
        "text": (
            "Rond 22:50 probeerden twee personen een schuur open te breken en gingen er op een fiets vandoor. "
            "Gezien? Bel 112 als ze er nog zijn en laat het daarna hier weten. Ga niet zelf achter ze aan."
        ),
        "persons": [
            {
                "sex": "man",
                "age": "ongeveer 18",
                "height": "ongeveer 1,75 m",
                "build": "tenger",
                "top": "zwart trainingsjack met witte strepen",
                "bottom": "zwarte broek",
                "headwear": "muts",
                "direction": "op een fiets richting de Bomenbuurt",
            },
            {
                "sex": "man",
                "age": "ongeveer 20",
                "height": "ongeveer 1,90 m",
                "build": "stevig",
                "top": "lichtgrijze hoodie",
                "shoes": "rode sportschoenen",
                "direction": "achterop dezelfde fiets",
            },
        ],
        "answers": [
            (7, "seen", "Twee jongens op één fiets reden net hard langs, de achterste in een grijze hoodie.", True),
            (13, "not_seen", "", False),
            (16, "not_seen", "", False),
        ],
        "outcome": "no_result",
        "outcome_text": "De twee zijn niet meer aangetroffen. Sluit uw schuur goed af; dank voor de reacties.",
        "close_after": 75,
    },
]

# The alert in progress: sent MINUTES before `now`, valid for hours, a few answers so far.
LIVE: dict[str, Any] = {
    "kind": "missing",
    "by": "police",
    "minutes_before_now": 40,
    "radius_m": 900,
    "valid_minutes": 24 * 60,
    "title": "Vermist: man van 84 jaar, meneer De Vries",
    "text": (
        "Meneer De Vries (84) is vanavond niet teruggekomen van zijn wandeling met de hond. Hij is vergeetachtig. "
        "Ziet u hem? Bel 112, blijf bij hem en laat het hier weten. Kijk ook even in portieken en bij bankjes."
    ),
    "persons": [
        {
            "sex": "man",
            "age": "84",
            "height": "ongeveer 1,75 m",
            "build": "mager",
            "top": "beige regenjas",
            "bottom": "bruine ribbroek",
            "headwear": "geruite pet",
            "hair": "wit",
            "marks": "loopt met een wandelstok en een kleine zwarte hond",
        }
    ],
    "answers": [
        (6, "not_seen", "", False),
        (
            11,
            "seen",
            "Oudere man met geruite pet en een zwart hondje liep een kwartier geleden langs het kanaal.",
            True,
        ),
        (17, "info", "Hij zit vaak op het bankje bij de molen, daar ga ik nu even kijken.", True),
    ],
    "update_after": 25,
    "update": "Hij is gezien bij het kanaal. Kijkt u vooral rond de molen en het fietspad langs het water.",
}
