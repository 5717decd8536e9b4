"""The demo municipality "Gemeente Voorbeeld": geography, residents, communities, partners and known logins.

`build(seed=N)` creates it in one transaction, deterministically: the same seed (and the same `now`) gives the same
names, codes, coordinates, memberships and timestamps (see `content_digest`). Dates are relative to `now` (default:
today, midnight UTC) so the demo always looks recent. `reset()` deletes the demo data and nothing else.

Used by `samenveilig demo` (samenveilig/demo/management/commands/demo.py) and `samenveilig serve --demo`.
"""

import base64
import hashlib
import json
import math
import random
import time
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from samenveilig.accounts.models import Organisation, Residence, StaffMembership, User
from samenveilig.areas import geo
from samenveilig.areas.models import Area, AreaKind
from samenveilig.areas.services import area_save
from samenveilig.communities import services as community_services
from samenveilig.communities.models import (
    Community,
    CommunityKind,
    HouseRules,
    Invite,
    Membership,
    MembershipStatus,
    Partnership,
    PhaseChange,
)
from samenveilig.core import refcache
from samenveilig.core.models import AuditEvent
from samenveilig.core.permissions import OrganisationKind, Role
from samenveilig.demo import alerts as demo_alerts
from samenveilig.demo import conversation as demo_conversation
from samenveilig.demo import geography as g
from samenveilig.demo import names
from samenveilig.demo import reports as demo_reports
from samenveilig.demo.accounts import (
    DEMO_ACCOUNTS,
    DEMO_DOMAIN,
    DEMO_MFA_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
)

MUNICIPALITY_CODE = "GM9999"
MUNICIPALITY_NAME = "Voorbeeld"
CITY = "Voorbeeld"
DEFAULT_RESIDENTS = 5000

# (wijk code, name, [(buurt code, name, street theme, housing density)])
PLAN: list[tuple[str, str, list[tuple[str, str, str, float]]]] = [
    (
        "01",
        "Centrum",
        [
            ("01", "Oude Kern", "old_town", 1.5),
            ("02", "Stationskwartier", "station", 1.2),
            ("03", "Havenkwartier", "harbour", 0.8),
            ("04", "Molenwijk", "mills", 1.0),
        ],
    ),
    (
        "02",
        "Kloosterveld",
        [
            ("01", "Vogelbuurt", "birds", 1.0),
            ("02", "Bloemenbuurt", "flowers", 1.0),
            ("03", "Bomenbuurt", "trees", 0.8),
            ("04", "Kloosterakker", "monastery", 0.9),
        ],
    ),
    (
        "03",
        "De Heuvelrand",
        [
            ("01", "Schildersbuurt", "painters", 1.0),
            ("02", "Componistenbuurt", "composers", 0.9),
            ("03", "Hoge Weide", "meadows", 0.6),
            ("04", "Bedrijvenpark De Vaart", "industry", 0.05),
        ],
    ),
]
BUSINESS_PARK_BUURT = "BU99990304"
HARBOUR_BUURT = "BU99990103"
STATION_BUURT = "BU99990102"
OLD_TOWN_BUURT = "BU99990101"
SHOPPING_BUURT_2 = "BU99990204"

HOUSE_RULES = (
    "1. We melden wat we zien: gedrag, plaats en tijd; niet hoe iemand eruitziet of waar iemand vandaan komt.\n"
    "2. Bij een noodgeval bellen we eerst 112, daarna informeren we de groep (SAAR).\n"
    "3. We nemen het recht niet in eigen hand en spreken niemand agressief aan.\n"
    "4. Geen namen, foto's of adressen van verdachten of andere mensen in de groep.\n"
    "5. We blijven vriendelijk en bij het onderwerp: geen ruzies, beschuldigingen of gezelligheidsberichten.\n"
    "6. De coördinator mag berichten verwijderen en, na een waarschuwing, leden die zich niet aan de regels houden."
)
HOUSE_RULES_V2_EXTRA = (
    "\n7. Verloren en gevonden voorwerpen, verkoop en oproepen horen niet in deze groep; gebruik daarvoor de "
    "buurtapp of het prikbord.\n8. We geven elkaar terugkoppeling: wie een melding doet, hoort wat ermee is gedaan."
)

PHASE_REASONS = {
    (1, 2): [
        "Kennismakingsavond gehouden; een kerngroep en coördinatoren gekozen.",
        "Genoeg bewoners gevonden die willen meedoen; rollen verdeeld.",
        "Eerste gesprek met wijkagent en gemeente; we bouwen de structuur op.",
    ],
    (2, 3): [
        "Spelregels vastgesteld en partners aangesloten; we gaan samen aan de slag.",
        "Meldroutes met politie en gemeente afgesproken; de groep is actief.",
    ],
    (3, 4): [
        "Eerste evaluatie met partners gehouden; we verbeteren in cycli.",
        "Communitymonitor ingevuld en besproken; verbeterpunten gekozen.",
    ],
    (3, 2): ["Beide coördinatoren gestopt; eerst de structuur opnieuw opbouwen."],
}
REMOVAL_REASONS = [
    "Herhaaldelijk ongepaste berichten, ook na een waarschuwing.",
    "Deelde een foto van een vermeende verdachte in de groep.",
    "Riep op om zelf een verdachte aan te pakken (eigenrichting).",
]
REJECT_REASONS = [
    "Woont niet in het gebied van deze groep.",
    "Nog onbekend bij de coördinatoren: eerst kennismaken op de buurtavond.",
    "Dubbele aanmelding.",
]
LEAVE_REASONS = ["Verhuisd naar een andere gemeente.", "Geen tijd meer.", "Verhuisd naar een andere wijk."]


# --- Plans (pure data, decided before anything is written) ---------------------------------------------------------


@dataclass
class Home:
    buurt: str
    street: str
    number: str
    postcode: str
    lat: float
    lon: float


@dataclass
class Person:
    first: str
    last: str
    local: str  # e-mail local part, also the username
    joined: datetime
    code: uuid.UUID
    home: Home | None = None
    staff: bool = False
    superuser: bool = False

    @property
    def email(self) -> str:
        return f"{self.local}@{DEMO_DOMAIN}"


@dataclass
class MemberPlan:
    person: int
    role: str
    status: str
    joined: datetime
    version: int = 1
    accepted_at: datetime | None = None
    invite: int | None = None
    ended_at: datetime | None = None
    reason: str = ""


@dataclass
class InvitePlan:
    token: str
    note: str
    created: datetime
    expires: datetime
    max_uses: int | None
    requires_approval: bool
    revoked: datetime | None = None
    creator: int | None = None


@dataclass
class CommunityPlan:
    name: str
    kind: str
    description: str
    buurten: list[str]  # codes, for a community over whole buurten
    drawn: BaseGeometry | None  # WGS84 polygon, for a drawn area
    home_buurten: set[str]  # the buurten it lies in (drawn areas too): for partner areas
    candidates: list[int]
    rate: float
    phase: int = 1
    approval_required: bool = True
    founded: datetime | None = None
    code: uuid.UUID | None = None
    members: list[MemberPlan] = field(default_factory=list)
    rules_v2_at: datetime | None = None
    invites: list[InvitePlan] = field(default_factory=list)
    phase_changes: list[tuple[int, int, datetime, int | None, str]] = field(default_factory=list)


@dataclass
class OrganisationPlan:
    name: str
    kind: str
    description: str
    areas: list[str]
    staff: list[tuple[int, str]]  # (person, title)
    code: uuid.UUID
    community_kinds: frozenset[str] | None = None  # the kinds of community it joins; None: every kind
    in_its_area_only: bool = False  # only communities that lie in its working area


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _token(rng: random.Random) -> str:
    return base64.urlsafe_b64encode(rng.randbytes(32)).decode().rstrip("=")


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    if end <= start:
        return start
    seconds = int((end - start).total_seconds())
    return start + timedelta(seconds=rng.randrange(seconds))


class Plan:
    """Everything the demo will contain, decided with seeded random generators and no database access."""

    def __init__(self, *, seed: int, residents: int, now: datetime):
        self.seed = seed
        self.now = now
        self.people: list[Person] = []
        self.rng_people = random.Random(f"{seed}-people")
        self.rng_ids = random.Random(f"{seed}-ids")
        self._geography(random.Random(f"{seed}-geo"), residents)
        self._communities(random.Random(f"{seed}-communities"))
        self._memberships(random.Random(f"{seed}-members"))
        self._demo_people()
        self._organisations(random.Random(f"{seed}-partners"))

    # People ----------------------------------------------------------------------------------------------------------
    def new_person(self, *, first: str = "", last: str = "", home: Home | None = None, local: str = "") -> int:
        rng = self.rng_people
        first = first or rng.choice(names.FIRST_NAMES)
        last = last or rng.choice(names.SURNAMES)
        index = len(self.people)
        local = local or f"{_ascii(first)}.{_ascii(last)}.{index + 1}"
        joined = self.now - timedelta(days=rng.randint(20, 900), minutes=rng.randint(0, 1439))
        self.people.append(
            Person(first=first, last=last, local=local, joined=joined, code=_uuid(self.rng_ids), home=home)
        )
        return index

    # Geography -------------------------------------------------------------------------------------------------------
    def _geography(self, rng: random.Random, residents: int) -> None:
        self.whole, self.wijken = g.split_municipality(rng, PLAN, MUNICIPALITY_CODE)
        self.buurten = {b.code: b for w in self.wijken for b in w.buurten}
        namer = g.StreetNamer(rng, names.STREET_THEMES, names.SUFFIXES)
        namer.reserve("Marktstraat")
        namer.reserve("Studentenerf")

        # Special places: two business parks, a student complex, two shopping areas (drawn polygons, in metres).
        vaart = self.buurten[BUSINESS_PARK_BUURT].metres
        park_1 = g.largest_polygon(g.shrink(vaart, 90).simplify(5))
        haven = self.buurten[HARBOUR_BUURT].metres
        centre = g.random_point_in(g.shrink(haven, 140), rng)
        park_2 = g.largest_polygon(g.rectangle(centre, 240, 170, rng.uniform(0, 90)).intersection(haven.buffer(-15)))
        station = self.buurten[STATION_BUURT].metres
        campus = g.rectangle(g.random_point_in(g.shrink(station, 120), rng), 110, 70, rng.uniform(0, 90))
        campus = g.largest_polygon(campus.intersection(station.buffer(-15)))
        kloosterakker = self.buurten[SHOPPING_BUURT_2].metres
        mall = g.rectangle(g.random_point_in(g.shrink(kloosterakker, 150), rng), 170, 110, rng.uniform(0, 90))
        mall = g.largest_polygon(mall.intersection(kloosterakker.buffer(-5)))
        exclusions = park_1.union(park_2).union(campus.buffer(15))

        # Residents per buurt: by surface and housing density.
        weights = {code: b.metres.area * b.density for code, b in self.buurten.items()}
        total_weight = sum(weights.values())
        quota = {code: int(residents * w / total_weight) for code, w in weights.items()}
        quota[OLD_TOWN_BUURT] += residents - sum(quota.values())
        students = min(140, quota[STATION_BUURT] // 3)

        self.streets: dict[str, list[g.Street]] = {}
        self.street_residents: dict[str, list[int]] = {}
        self.all_residents: list[int] = []
        self.buurt_residents: dict[str, list[int]] = {code: [] for code in self.buurten}
        for pc_index, (code, buurt) in enumerate(sorted(self.buurten.items())):
            region = buurt.metres.buffer(-12).difference(exclusions)
            needed = quota[code] - (students if code == STATION_BUURT else 0)
            sizes = self._household_sizes(rng, needed)
            streets, houses = g.lay_streets(
                rng=rng,
                region=region,
                houses_needed=len(sizes),
                buurt=code,
                pc4=3990 + pc_index,
                names=namer,
                theme=buurt.theme,
                first_street_through=buurt.metres.centroid if code == OLD_TOWN_BUURT else None,
                forced_first_name="Marktstraat" if code == OLD_TOWN_BUURT else None,
            )
            self.streets[code] = streets
            for house, size in zip(houses, sizes, strict=True):
                self._household(house, size)
            if code == STATION_BUURT:
                self._student_complex(rng, campus, code, 3990 + pc_index, students)
        self.park_1 = g.to_degrees(park_1)
        self.park_2 = g.to_degrees(park_2)
        self.campus = g.to_degrees(campus)
        self.mall = g.to_degrees(mall)
        market = self.streets[OLD_TOWN_BUURT][0].line
        self.market = g.to_degrees(market.buffer(35).intersection(self.buurten[OLD_TOWN_BUURT].metres.buffer(-5)))

    @staticmethod
    def _household_sizes(rng: random.Random, residents: int) -> list[int]:
        sizes, total = [], 0
        while total < residents:
            sizes.append(min(rng.choices([1, 2, 3, 4], weights=[38, 42, 15, 5])[0], residents - total))
            total += sizes[-1]
        return sizes

    def _household(self, house: g.House, size: int) -> None:
        lat, lon = g.latlon(house.x, house.y)
        surname = self.rng_people.choice(names.SURNAMES)
        for n in range(size):
            home = Home(house.buurt, house.street, house.number, house.postcode, lat, lon)
            last = surname if n == 0 or self.rng_people.random() < 0.6 else ""
            index = self.new_person(last=last, home=home)
            self.buurt_residents[house.buurt].append(index)
            self.all_residents.append(index)
            self.street_residents.setdefault(house.street, []).append(index)

    def _student_complex(self, rng: random.Random, campus: BaseGeometry, code: str, pc4: int, count: int) -> None:
        inner = campus.buffer(-8)
        letters = g.postcode_letters()
        postcode = f"{pc4} {next(letters)}"
        for i in range(count):
            building = 1 + 2 * (i % 3)
            unit = 101 + (i // 3)
            p = g.random_point_in(inner, rng)
            lat, lon = g.latlon(p.x, p.y)
            home = Home(code, "Studentenerf", f"{building}-{unit}", postcode, lat, lon)
            index = self.new_person(home=home)
            self.buurt_residents[code].append(index)
            self.all_residents.append(index)
            self.street_residents.setdefault("Studentenerf", []).append(index)

    # Communities -----------------------------------------------------------------------------------------------------
    def _communities(self, rng: random.Random) -> None:
        residential = [code for code in sorted(self.buurten) if code != BUSINESS_PARK_BUURT]
        plans: list[CommunityPlan] = []

        def over(codes: list[str]) -> list[int]:
            return [i for code in codes for i in self.buurt_residents[code]]

        # Neighbourhood watches (WhatsApp): most residential buurten, plus one over two buurten.
        watch_buurten = sorted(rng.sample(residential, 9))
        for code in watch_buurten:
            name = rng.choice(["Buurtpreventie {}", "WhatsApp Buurtpreventie {}", "Buurtwacht {}", "{} Alert"])
            buurt = self.buurten[code]
            plans.append(
                CommunityPlan(
                    name=name.format(buurt.name),
                    kind=CommunityKind.WHATSAPP,
                    description=f"Bewoners van {buurt.name} letten op elkaar en op de buurt, samen met de wijkagent.",
                    buurten=[code],
                    drawn=None,
                    home_buurten={code},
                    candidates=over([code]),
                    rate=rng.uniform(0.2, 0.35),
                )
            )
        pair = [OLD_TOWN_BUURT, HARBOUR_BUURT]
        plans.append(
            CommunityPlan(
                name="Buurtpreventie Haven en Oude Kern",
                kind=CommunityKind.WHATSAPP,
                description="Avondrondes en een appgroep voor de kades en de oude binnenstad.",
                buurten=pair,
                drawn=None,
                home_buurten=set(pair),
                candidates=over(pair),
                rate=0.06,
            )
        )
        # Street communities: a drawn strip along one street.
        street_buurten = sorted(rng.sample([c for c in residential if c != OLD_TOWN_BUURT], 4))
        for code in street_buurten:
            streets = sorted(
                (s for s in self.streets[code] if len(self.street_residents.get(s.name, [])) >= 12),
                key=lambda s: -len(self.street_residents[s.name]),
            )
            street = streets[0] if streets else self.streets[code][0]
            strip = g.to_degrees(street.line.buffer(30).intersection(self.buurten[code].metres.buffer(-2)))
            strip = g.largest_polygon(strip)
            residents = [
                i
                for i in self.street_residents.get(street.name, [])
                if strip.contains(Point(self.people[i].home.lon, self.people[i].home.lat))
            ]
            plans.append(
                CommunityPlan(
                    name=rng.choice(["Bewoners {}", "{} Veilig", "Straatgroep {}"]).format(street.name),
                    kind=CommunityKind.STREET,
                    description=f"De bewoners van de {street.name} houden samen de straat veilig en gezellig.",
                    buurten=[],
                    drawn=strip,
                    home_buurten={code},
                    candidates=residents,
                    rate=rng.uniform(0.45, 0.7),
                )
            )
        # A platform per wijk, over all its buurten.
        for wijk in self.wijken:
            codes = [b.code for b in wijk.buurten]
            plans.append(
                CommunityPlan(
                    name=f"Wijkplatform Veilig {wijk.name}",
                    kind=CommunityKind.WIJK,
                    description=f"Bewoners, ondernemers en partners werken aan een veilige wijk {wijk.name}.",
                    buurten=codes,
                    drawn=None,
                    home_buurten=set(codes),
                    candidates=over(codes),
                    rate=0.07,
                )
            )
        # Business parks, a student complex and shopping areas: drawn polygons; members are mostly entrepreneurs.
        specials = [
            ("Ondernemerskring Bedrijvenpark De Vaart", CommunityKind.BUSINESS_PARK, self.park_1, BUSINESS_PARK_BUURT),
            ("Keurmerk Veilig Ondernemen Havenkwartier", CommunityKind.BUSINESS_PARK, self.park_2, HARBOUR_BUURT),
            ("Studentencomplex Spoorzicht", CommunityKind.STUDENT_COMPLEX, self.campus, STATION_BUURT),
            ("Winkelgebied Marktstraat", CommunityKind.SHOPPING_AREA, self.market, OLD_TOWN_BUURT),
            ("Winkelcentrum Kloosterveld", CommunityKind.SHOPPING_AREA, self.mall, SHOPPING_BUURT_2),
        ]
        descriptions = {
            CommunityKind.BUSINESS_PARK: "Ondernemers, beveiliging en politie tegen inbraak, diefstal en dumpingen.",
            CommunityKind.STUDENT_COMPLEX: "Bewoners van het complex letten op fietsen, entrees en elkaar.",
            CommunityKind.SHOPPING_AREA: "Winkeliers waarschuwen elkaar voor winkeldiefstal en overlast.",
        }
        for name, kind, polygon, code in specials:
            if kind == CommunityKind.STUDENT_COMPLEX:
                candidates, rate = list(self.street_residents["Studentenerf"]), 0.5
            else:
                owners = [self.new_person() for _ in range(rng.randint(14, 24))]
                inside = [
                    i
                    for i in self.buurt_residents[code]
                    if polygon.contains(Point(self.people[i].home.lon, self.people[i].home.lat))
                ]
                candidates, rate = owners + inside, 0.75
            plans.append(
                CommunityPlan(
                    name=name,
                    kind=kind,
                    description=descriptions[kind],
                    buurten=[],
                    drawn=polygon,
                    home_buurten={code},
                    candidates=candidates,
                    rate=rate,
                )
            )
        # Online watches: over many buurten.
        plans.append(
            CommunityPlan(
                name="Online Buurtwacht Voorbeeld",
                kind=CommunityKind.ONLINE_WATCH,
                description="Een chatgroep voor de hele gemeente: waarschuwingen over oplichting en online fraude.",
                buurten=residential,
                drawn=None,
                home_buurten=set(residential),
                candidates=over(residential),
                rate=0.03,
            )
        )
        kloosterveld = [b.code for b in self.wijken[1].buurten]
        plans.append(
            CommunityPlan(
                name="Chatwacht Kloosterveld",
                kind=CommunityKind.ONLINE_WATCH,
                description="Avondchat van vrijwilligers die meldingen uit Kloosterveld verzamelen en doorzetten.",
                buurten=kloosterveld,
                drawn=None,
                home_buurten=set(kloosterveld),
                candidates=over(kloosterveld),
                rate=0.04,
            )
        )
        phases = [1, 2, 3, 4] * math.ceil(len(plans) / 4)
        rng.shuffle(phases)
        for plan, phase in zip(plans, phases, strict=False):
            plan.phase = phase
            plan.approval_required = plan.kind != CommunityKind.ONLINE_WATCH and rng.random() < 0.8
            plan.founded = self.now - timedelta(days=rng.randint(40 + 110 * (phase - 1), 90 + 170 * (phase - 1)))
            plan.code = _uuid(self.rng_ids)
        self.communities = plans
        # The facilitators (procesbegeleiders): professionals without a home in the demo.
        self.facilitators = [
            self.new_person(first="Fenna", last="Smit", local="procesbegeleider"),
            self.new_person(),
            self.new_person(),
        ]

    # Memberships -----------------------------------------------------------------------------------------------------
    def _memberships(self, rng: random.Random) -> None:
        for number, plan in enumerate(self.communities):
            self._community_members(rng, plan, number)

    def _community_members(self, rng: random.Random, plan: CommunityPlan, number: int) -> None:
        now, founded = self.now, plan.founded
        pool = list(plan.candidates)
        rng.shuffle(pool)
        size_factor = {1: 0.45, 2: 0.75, 3: 1.0, 4: 1.1}[plan.phase]
        target = max(8, min(len(pool), round(len(pool) * plan.rate * size_factor), 220))
        if len(pool) < target + 6:  # too few candidates: add neighbours from the same buurten
            extra = [i for code in sorted(plan.home_buurten) for i in self.buurt_residents[code] if i not in pool]
            rng.shuffle(extra)
            pool += extra[: target + 6 - len(pool)]
        if len(pool) < target + 6:  # a very small demo: neighbours from anywhere in the municipality
            taken = set(pool)
            pool += [i for i in self.all_residents if i not in taken][: target + 6 - len(pool)]
        chosen, waiting = pool[:target], pool[target : target + (rng.randint(1, 5) if plan.approval_required else 0)]

        # House rules: a second version in some communities that have come further.
        if plan.phase >= 2 and rng.random() < 0.5:
            plan.rules_v2_at = _between(rng, founded + timedelta(days=30), now - timedelta(days=10))

        # Invites: a general link, sometimes a letter campaign, an expired one, a revoked one.
        plan.invites.append(
            InvitePlan(
                token=_token(rng),
                note=rng.choice(["Flyer buurtavond", "Link in de nieuwsbrief", "QR-code op de poster"]),
                created=_between(rng, founded, founded + timedelta(days=14)),
                expires=now + timedelta(days=rng.randint(20, 120)),
                max_uses=None,
                requires_approval=plan.approval_required,
            )
        )
        if rng.random() < 0.5:
            plan.invites.append(
                InvitePlan(
                    token=_token(rng),
                    note="Brief aan nieuwe bewoners",
                    created=now - timedelta(days=rng.randint(10, 40)),
                    expires=now + timedelta(days=rng.randint(10, 60)),
                    max_uses=rng.choice([25, 50, 100]),
                    requires_approval=True,
                )
            )
        if rng.random() < 0.4:
            created = _between(rng, founded, now - timedelta(days=40))
            plan.invites.append(
                InvitePlan(
                    token=_token(rng),
                    note="Informatieavond (verlopen)",
                    created=created,
                    expires=created + timedelta(days=14),
                    max_uses=None,
                    requires_approval=plan.approval_required,
                )
            )
        if number % 4 == 1:
            created = _between(rng, founded, now - timedelta(days=20))
            plan.invites.append(
                InvitePlan(
                    token=_token(rng),
                    note="Per ongeluk openbaar gedeeld",
                    created=created,
                    expires=created + timedelta(days=90),
                    max_uses=None,
                    requires_approval=plan.approval_required,
                    revoked=created + timedelta(days=rng.randint(1, 5)),
                )
            )

        def accepted(joined: datetime) -> tuple[int, datetime]:
            v2 = plan.rules_v2_at
            if v2 is None:
                return 1, joined
            if joined >= v2:
                return 2, joined
            if rng.random() < 0.75:
                return 2, _between(rng, v2, min(now, v2 + timedelta(days=30)))
            return 1, joined

        members: list[MemberPlan] = []
        for n, person in enumerate(chosen):
            joined = _between(rng, founded, now - timedelta(days=2)) if n else founded
            version, accepted_at = accepted(joined)
            members.append(
                MemberPlan(
                    person=person,
                    role=Role.PARTICIPANT,
                    status=MembershipStatus.ACTIVE,
                    joined=joined,
                    version=version,
                    accepted_at=accepted_at,
                )
            )
        # Where rules changed, make sure at least one member still has to accept the new version.
        if plan.rules_v2_at and not any(m.version == 1 for m in members):
            early = [m for m in members if m.joined < plan.rules_v2_at]
            if early:
                early[-1].version, early[-1].accepted_at = 1, early[-1].joined
        # Roles: coordinators, initiators (trekkers) among the members.
        coordinators = 1 + (rng.random() < 0.5) + (len(members) > 120)
        initiators = 1 + (rng.random() < 0.3)
        for m in members[:coordinators]:
            m.role = Role.COORDINATOR
        for m in members[coordinators : coordinators + initiators]:
            m.role = Role.INITIATOR
        # A few members left or were removed (with a reason).
        participants = [m for m in members if m.role == Role.PARTICIPANT]
        leaving = min(rng.randint(0, 2), max(0, len(participants) - 5))
        for m in participants[len(participants) - leaving :] if leaving else []:
            m.status = MembershipStatus.LEFT
            m.ended_at = _between(rng, m.joined, now - timedelta(days=1))
            m.reason = rng.choice(LEAVE_REASONS)
        if plan.phase >= 3 and rng.random() < 0.6 and len(participants) - leaving > 4:
            m = participants[len(participants) // 2]
            m.status = MembershipStatus.REMOVED
            m.ended_at = _between(rng, m.joined, now - timedelta(days=1))
            m.reason = rng.choice(REMOVAL_REASONS)
        # Those who wait for a coordinator's approval.
        for person in waiting:
            joined = now - timedelta(days=rng.randint(0, 12), minutes=rng.randint(0, 1439))
            members.append(
                MemberPlan(
                    person=person,
                    role=Role.PARTICIPANT,
                    status=MembershipStatus.PENDING,
                    joined=joined,
                    version=2 if plan.rules_v2_at else 1,
                    accepted_at=joined,
                )
            )
        # Now and then a coordinator did not admit someone (with a reason).
        rest = pool[target + len(waiting) :]
        if plan.approval_required and rest and rng.random() < 0.4:
            asked = now - timedelta(days=rng.randint(5, 60))
            members.append(
                MemberPlan(
                    person=rest[0],
                    role=Role.PARTICIPANT,
                    status=MembershipStatus.REJECTED,
                    joined=asked,
                    version=2 if plan.rules_v2_at and asked >= plan.rules_v2_at else 1,
                    accepted_at=asked,
                    ended_at=asked + timedelta(days=rng.randint(1, 4)),
                    reason=rng.choice(REJECT_REASONS),
                )
            )
        # The invite links that brought people in (uses are counted from these).
        general = plan.invites[0]
        for m in members[coordinators + initiators :]:
            if m.joined >= general.created and rng.random() < 0.4:
                m.invite = 0
        if len(plan.invites) > 1 and plan.invites[1].max_uses:
            letter = plan.invites[1]
            late = [m for m in members if m.joined >= letter.created and m.invite is None]
            for m in late[: letter.max_uses]:
                m.invite = 1
        coordinator = next(m.person for m in members if m.role == Role.COORDINATOR)
        for invite in plan.invites:
            invite.creator = coordinator
        plan.members = members

    # The demo logins -------------------------------------------------------------------------------------------------
    def _demo_people(self) -> None:
        """Give the known demo logins to people who hold the matching role; add the facilitators everywhere."""
        by_local = {email.split("@")[0]: email for email, _label in DEMO_ACCOUNTS}
        self.renamed: set[int] = set()
        rng = random.Random(f"{self.seed}-demo")
        watches = [c for c in self.communities if c.kind == CommunityKind.WHATSAPP and len(c.buurten) == 1]
        # The coordinator: of a neighbourhood watch that is well on its way.
        coord_watch = max(watches, key=lambda c: (c.phase, len(c.members)))
        coordinator = next(m for m in coord_watch.members if m.role == Role.COORDINATOR)
        self._rename(coordinator.person, by_local["coordinator"])
        # The resident: a participant of another watch (one that has come further, if there is one), who has
        # accepted the current house rules.
        others = sorted((c for c in watches if c is not coord_watch), key=lambda c: c.phase < 2)
        resident = next(
            m
            for c in [*others, coord_watch]
            for m in c.members
            if m.role == Role.PARTICIPANT
            and m.status == MembershipStatus.ACTIVE
            and m.version == (2 if c.rules_v2_at else 1)
            and m.person not in self.renamed
        )
        self._rename(resident.person, by_local["bewoner"])
        # The initiator: the trekker of a street community (or, failing that, of any community over buurten).
        streets_first = sorted(self.communities, key=lambda c: c.kind != CommunityKind.STREET)
        initiator = next(
            m
            for c in streets_first
            for m in c.members
            if m.role == Role.INITIATOR and m.person not in self.renamed and self.people[m.person].home
        )
        self._rename(initiator.person, by_local["initiatiefnemer"])
        # The demo residents are also in their wijk platform and the online watch.
        for member in (coordinator, resident, initiator):
            buurt = self.people[member.person].home.buurt
            for plan in self.communities:
                if plan.kind in {CommunityKind.WIJK, CommunityKind.ONLINE_WATCH} and buurt in plan.buurten:
                    self._ensure_member(rng, plan, member.person)
        # Facilitators: the demo procesbegeleider in a dozen communities, two colleagues in the rest.
        demo_facilitator, *colleagues = self.facilitators
        step_back = next((n for n, plan in enumerate(self.communities) if plan.phase >= 3), None)
        for n, plan in enumerate(self.communities):
            person = demo_facilitator if n % 2 == 0 else colleagues[n % len(colleagues)]
            joined = plan.founded + timedelta(days=rng.randint(0, 10))
            version = 2 if plan.rules_v2_at and rng.random() < 0.8 else 1
            plan.members.append(
                MemberPlan(
                    person=person,
                    role=Role.FACILITATOR,
                    status=MembershipStatus.ACTIVE,
                    joined=joined,
                    version=version,
                    accepted_at=max(joined, plan.rules_v2_at) if version == 2 else joined,
                )
            )
            plan.phase_changes = self._phase_history(
                rng, plan, facilitator=person, step_back=n == step_back or (plan.phase >= 3 and n % 7 == 3)
            )
        # Nobody joined a community before they joined the platform.
        for plan in self.communities:
            for m in plan.members:
                person = self.people[m.person]
                person.joined = min(person.joined, m.joined - timedelta(days=1, minutes=rng.randint(0, 1439)))

    def _rename(self, person: int, email: str) -> None:
        self.people[person].local = email.split("@")[0]
        self.renamed.add(person)

    def _ensure_member(self, rng: random.Random, plan: CommunityPlan, person: int) -> None:
        if any(m.person == person for m in plan.members):
            for m in plan.members:
                if m.person == person:
                    m.status, m.ended_at, m.reason = MembershipStatus.ACTIVE, None, ""
            return
        joined = _between(rng, plan.founded, self.now - timedelta(days=3))
        version = 2 if plan.rules_v2_at else 1
        plan.members.append(
            MemberPlan(
                person=person,
                role=Role.PARTICIPANT,
                status=MembershipStatus.ACTIVE,
                joined=joined,
                version=version,
                accepted_at=max(joined, plan.rules_v2_at) if plan.rules_v2_at else joined,
            )
        )

    def _phase_history(
        self, rng: random.Random, plan: CommunityPlan, *, facilitator: int, step_back: bool
    ) -> list[tuple[int, int, datetime, int | None, str]]:
        steps = [(p, p + 1) for p in range(1, plan.phase)]
        if step_back:  # a step back, and forward again: allowed, and logged
            steps[1:2] = [(2, 3), (3, 2), (2, 3)]
        if not steps:
            return []
        span = (self.now - timedelta(days=7)) - (plan.founded + timedelta(days=21))
        history = []
        for k, (a, b) in enumerate(steps):
            when = plan.founded + timedelta(days=21) + span * (k + 1) / (len(steps) + 0.5)
            when += timedelta(minutes=rng.randint(0, 600))
            history.append((a, b, when, facilitator, rng.choice(PHASE_REASONS[(a, b)])))
        return history

    # Partner organisations -------------------------------------------------------------------------------------------
    def _organisations(self, rng: random.Random) -> None:
        CK = CommunityKind  # noqa: N806 - a short alias for the lists below

        def staff(first: str, last: str, local: str = "") -> int:
            return self.new_person(first=first, last=last, local=local)

        def pick() -> tuple[str, str]:
            return rng.choice(names.FIRST_NAMES), rng.choice(names.SURNAMES)

        wijk_codes = [w.code for w in self.wijken]
        all_buurten = sorted(self.buurten)
        residential = [c for c in all_buurten if c != BUSINESS_PARK_BUURT]
        wijkagenten = [(staff("Wendy", "Visser", "wijkagent"), f"wijkagent {self.wijken[0].name}")]
        wijkagenten += [(staff(*pick()), f"wijkagent {w.name}") for w in self.wijken[1:]]
        corporation_buurten = sorted(rng.sample(residential, 5))
        plans = [
            OrganisationPlan(
                name="Politie basisteam Voorbeeld-Vallei",
                kind=OrganisationKind.POLICE,
                description="Basisteam van de politie, met een wijkagent per wijk.",
                areas=wijk_codes,
                staff=[*wijkagenten, (staff(*pick()), "teamchef")],
                code=_uuid(self.rng_ids),
            ),
            OrganisationPlan(
                name="Gemeente Voorbeeld, afdeling Openbare Orde en Veiligheid",
                kind=OrganisationKind.MUNICIPALITY,
                description="OOV-adviseurs en wijkregisseurs van de gemeente.",
                areas=[MUNICIPALITY_CODE],
                staff=[
                    (staff("Mark", "Mulder", "oov"), "OOV-adviseur"),
                    (staff(*pick()), "wijkregisseur Centrum"),
                    (staff(*pick()), "wijkregisseur Kloosterveld en De Heuvelrand"),
                ],
                code=_uuid(self.rng_ids),
            ),
            OrganisationPlan(
                name="Brandweer Veiligheidsregio Midden-Voorbeeld, post Voorbeeld",
                kind=OrganisationKind.FIRE,
                description="Brandweerpost met adviseurs brandveilig leven.",
                community_kinds=frozenset({CK.WIJK, CK.BUSINESS_PARK, CK.STUDENT_COMPLEX, CK.SHOPPING_AREA}),
                areas=[MUNICIPALITY_CODE],
                staff=[(staff(*pick(), "brandweer"), "adviseur brandveilig leven"), (staff(*pick()), "postcommandant")],
                code=_uuid(self.rng_ids),
            ),
            OrganisationPlan(
                name="GHOR Veiligheidsregio Midden-Voorbeeld",
                kind=OrganisationKind.MEDICAL,
                description="Geneeskundige hulpverleningsorganisatie in de regio.",
                community_kinds=frozenset({CK.WIJK, CK.STUDENT_COMPLEX}),
                areas=[MUNICIPALITY_CODE],
                staff=[(staff(*pick(), "ghor"), "adviseur gezondheid en veiligheid")],
                code=_uuid(self.rng_ids),
            ),
            OrganisationPlan(
                name="Woonstichting Thuis in Voorbeeld",
                kind=OrganisationKind.HOUSING,
                description="Woningcorporatie met huurwoningen in vijf buurten.",
                community_kinds=frozenset({CK.WHATSAPP, CK.STREET, CK.WIJK}),
                in_its_area_only=True,
                areas=corporation_buurten,
                staff=[(staff(*pick(), "woningcorporatie"), "wijkconsulent"), (staff(*pick()), "huismeester")],
                code=_uuid(self.rng_ids),
            ),
            OrganisationPlan(
                name="Winkeliersvereniging Centrum Voorbeeld",
                kind=OrganisationKind.ORGANISATION,
                description="Vereniging van winkeliers in de Marktstraat en het winkelcentrum Kloosterveld.",
                community_kinds=frozenset({CK.SHOPPING_AREA, CK.WHATSAPP}),
                in_its_area_only=True,
                areas=[OLD_TOWN_BUURT, SHOPPING_BUURT_2],
                staff=[(staff(*pick(), "winkeliers"), "voorzitter"), (staff(*pick()), "secretaris")],
                code=_uuid(self.rng_ids),
            ),
            OrganisationPlan(
                name="Parkmanagement Bedrijvenpark De Vaart",
                kind=OrganisationKind.ORGANISATION,
                description="Parkmanagement en collectieve beveiliging van het bedrijvenpark.",
                community_kinds=frozenset({CK.BUSINESS_PARK}),
                in_its_area_only=True,
                areas=[BUSINESS_PARK_BUURT, HARBOUR_BUURT],
                staff=[(staff(*pick()), "parkmanager")],
                code=_uuid(self.rng_ids),
            ),
        ]
        self.organisations = plans
        self.admin = self.new_person(first="Beheerder", last="Voorbeeld", local="beheerder")
        self.people[self.admin].staff = self.people[self.admin].superuser = True

    @staticmethod
    def partner_of(org: OrganisationPlan, plan: CommunityPlan) -> bool:
        """Whether a partner works with a community: by its trade, and for local organisations by its area."""
        if org.community_kinds is not None and plan.kind not in org.community_kinds:
            return False
        return not org.in_its_area_only or bool(plan.home_buurten & set(org.areas))


# --- Writing it ------------------------------------------------------------------------------------------------------


def is_empty() -> bool:
    return not User.objects.exists()


def default_now() -> datetime:
    return timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)


@transaction.atomic
def build(*, seed: int = 1, residents: int = DEFAULT_RESIDENTS, now: datetime | None = None) -> str:
    """Create Gemeente Voorbeeld. Returns a one-line summary with the time taken."""
    started = time.monotonic()
    now = now or default_now()
    plan = Plan(seed=seed, residents=residents, now=now)
    areas = _write_areas(plan)
    users = _write_people(plan, areas)
    organisations = _write_organisations(plan, users, areas)
    communities = _write_communities(plan, users, areas, organisations)
    reports, notifications = demo_reports.write_reports(plan, users, areas, organisations, communities, residents)
    posts = demo_conversation.write_conversations(plan, users, organisations, communities)
    alerts = demo_alerts.write_alerts(plan, users, organisations)
    refcache.bump()  # partnerships and memberships went in with bulk_create, which sends no signals
    memberships = Membership.objects.filter(community__municipality=areas[MUNICIPALITY_CODE]).count()
    homes = sum(1 for p in plan.people if p.home)
    return (
        f"Gemeente {MUNICIPALITY_NAME} (seed {seed}): {len(plan.wijken)} wijken, {len(plan.buurten)} buurten, "
        f"{homes:,} residents, {len(plan.people):,} people, {len(communities)} communities with {memberships:,} "
        f"memberships, {len(organisations)} partner organisations, {reports:,} reports, {notifications:,} "
        f"notifications, {posts:,} posts, {alerts} alerts; built in {time.monotonic() - started:.1f} s"
    )


def _write_areas(plan: Plan) -> dict[str, Area]:
    areas: dict[str, Area] = {}
    gm, _ = area_save(
        kind=AreaKind.MUNICIPALITY,
        code=MUNICIPALITY_CODE,
        name=MUNICIPALITY_NAME,
        geometry=geo.to_geojson(plan.whole),
    )
    areas[gm.code] = gm
    for wijk in plan.wijken:
        wk, _ = area_save(
            kind=AreaKind.WIJK, code=wijk.code, name=wijk.name, geometry=geo.to_geojson(wijk.degrees), parent=gm
        )
        areas[wk.code] = wk
        for buurt in wijk.buurten:
            bu, _ = area_save(
                kind=AreaKind.BUURT,
                code=buurt.code,
                name=buurt.name,
                geometry=geo.to_geojson(buurt.degrees),
                parent=wk,
            )
            areas[bu.code] = bu
    return areas


def _write_people(plan: Plan, areas: dict[str, Area]) -> list[User]:
    password = make_password(DEMO_PASSWORD)  # hashed once: the slow part of creating thousands of users
    users = User.objects.bulk_create(
        [
            User(
                username=p.local,
                email=p.email,
                first_name=p.first,
                last_name=p.last,
                password=password,
                is_staff=p.staff,
                is_superuser=p.superuser,
                date_joined=p.joined,
                code=p.code,
            )
            for p in plan.people
        ],
        batch_size=500,
    )
    if any(u.pk is None for u in users):  # databases that do not return ids from a bulk insert
        ids = dict(User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").values_list("username", "pk"))
        for u in users:
            u.pk = u.id = ids[u.username]
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users], batch_size=500
    )
    Residence.objects.bulk_create(
        [
            Residence(
                user=u,
                street=p.home.street,
                house_number=p.home.number,
                postcode=p.home.postcode,
                city=CITY,
                buurt=areas[p.home.buurt],
                **geo.point_fields(p.home.lat, p.home.lon),
            )
            for p, u in zip(plan.people, users, strict=True)
            if p.home
        ],
        batch_size=500,
    )
    return users


def _write_organisations(plan: Plan, users: list[User], areas: dict[str, Area]) -> list[Organisation]:
    organisations = []
    mfa_people = {plan.admin}
    for org_plan in plan.organisations:
        org = Organisation.objects.create(
            name=org_plan.name, kind=org_plan.kind, description=org_plan.description, code=org_plan.code
        )
        org.areas.set([areas[code] for code in org_plan.areas])
        StaffMembership.objects.bulk_create(
            [StaffMembership(organisation=org, user=users[person], title=title) for person, title in org_plan.staff]
        )
        mfa_people.update(person for person, _title in org_plan.staff)
        organisations.append(org)
    # Partners and the admin must use two-factor authentication: all get the published demo TOTP secret.
    for person in sorted(mfa_people):
        TOTP.activate(users[person], DEMO_TOTP_SECRET)
    return organisations


def _write_communities(
    plan: Plan, users: list[User], areas: dict[str, Area], organisations: list[Organisation]
) -> list[Community]:
    """Create the communities through the communities services (so their rules apply and their history is
    audit-logged), then add invites and memberships in bulk, and give every row its planned date."""
    gm = areas[MUNICIPALITY_CODE]
    codes = random.Random(f"{plan.seed}-codes")  # public codes: deterministic, unlike the uuid4 defaults
    communities = []
    invites, members, partnerships, dated = [], [], [], []
    for cp in plan.communities:
        creator = users[next(m.person for m in cp.members if m.role == Role.COORDINATOR)]
        community = community_services.community_create(
            name=cp.name,
            kind=cp.kind,
            municipality=gm,
            buurten=[areas[code] for code in cp.buurten],
            geometry=geo.to_geojson(cp.drawn) if cp.drawn is not None else None,
            description=cp.description,
            approval_required=cp.approval_required,
            house_rules=HOUSE_RULES,
            created_by=creator,
        )
        Community.objects.filter(pk=community.pk).update(code=cp.code, created_at=cp.founded)
        HouseRules.objects.filter(community=community, version=1).update(created_at=cp.founded)
        dated.append((_last_audit_event(community), cp.founded))
        # Its history, in the order it happened: phase moves and a new version of the house rules.
        history: list[tuple[datetime, int, Any]] = [
            (when, 0, (to, by, reason)) for _from, to, when, by, reason in cp.phase_changes
        ]
        if cp.rules_v2_at:
            history.append((cp.rules_v2_at, 1, None))
        for when, what, details in sorted(history, key=lambda item: (item[0], item[1])):
            if what == 0:
                to, by, reason = details
                row = community_services.community_change_phase(
                    community=community, to_phase=to, by=users[by], reason=reason
                )
            else:
                row = community_services.house_rules_publish(
                    community=community, text=HOUSE_RULES + HOUSE_RULES_V2_EXTRA, by=creator
                )
            dated += [(row, when), (_last_audit_event(community), when)]
        communities.append(community)
        cp_invites = [
            Invite(
                community=community,
                token=i.token,
                created_by=users[i.creator],
                note=i.note,
                expires_at=i.expires,
                max_uses=i.max_uses,
                uses=sum(1 for m in cp.members if m.invite == n),
                requires_approval=i.requires_approval,
                revoked_at=i.revoked,
                **_code(Invite, codes),
            )
            for n, i in enumerate(cp.invites)
        ]
        invites += [(invite, i.created) for invite, i in zip(cp_invites, cp.invites, strict=True)]
        for m in cp.members:
            membership = Membership(
                community=community,
                user=users[m.person],
                role=m.role,
                status=m.status,
                rules_version_accepted=m.version,
                rules_accepted_at=m.accepted_at,
                invite=cp_invites[m.invite] if m.invite is not None else None,
                ended_at=m.ended_at,
                end_reason=m.reason,
                **_code(Membership, codes),
            )
            members.append((membership, m.joined))
        for org_plan, org in zip(plan.organisations, organisations, strict=True):
            if Plan.partner_of(org_plan, cp):
                partnerships.append(Partnership(community=community, organisation=org))

    Invite.objects.bulk_create([row[0] for row in invites], batch_size=500)
    Membership.objects.bulk_create([row[0] for row in members], batch_size=500)
    Partnership.objects.bulk_create(partnerships, batch_size=500)
    for rows in (invites, members, dated):
        _backdate(rows)
    return communities


def _code(model: type, rng: random.Random) -> dict[str, uuid.UUID]:
    """A deterministic public code for models that have one."""
    return {"code": _uuid(rng)} if any(f.name == "code" for f in model._meta.fields) else {}


def _last_audit_event(community: Community) -> AuditEvent:
    return AuditEvent.objects.filter(object_type=Community._meta.label_lower, object_id=str(community.pk)).latest("id")


def _backdate(rows: list[tuple[object, datetime]]) -> None:
    """Give rows their planned dates: created_at is set to "now" on insert (auto_now_add), so it is written after,
    with one bulk update per model."""
    by_model: dict[type, list[object]] = {}
    for obj, when in rows:
        obj.created_at = when
        by_model.setdefault(type(obj), []).append(obj)
    for model, objects in by_model.items():
        model.objects.bulk_update(objects, ["created_at"], batch_size=500)


# --- Reset, digest, accounts -----------------------------------------------------------------------------------------


def _demo_users():
    return User.objects.filter(email__iendswith=f"@{DEMO_DOMAIN}")


def _demo_areas():
    return Area.objects.filter(
        Q(code=MUNICIPALITY_CODE) | Q(parent__code=MUNICIPALITY_CODE) | Q(parent__parent__code=MUNICIPALITY_CODE)
    )


@transaction.atomic
def reset() -> int:
    """Delete the demo data, and only that: the demo municipality (GM9999) with its wijken, buurten and
    communities, the people with an @demo.samenveilig.nl address, and the partner organisations that work only in
    the demo municipality. Returns the number of demo people deleted."""
    area_ids = list(_demo_areas().values_list("pk", flat=True))
    demo_alerts.delete_alerts(_demo_users())
    community_ids = list(Community.objects.filter(municipality_id__in=area_ids).values_list("pk", flat=True))
    AuditEvent.objects.filter(
        object_type="communities.community", object_id__in=[str(i) for i in community_ids]
    ).delete()
    demo_reports.delete_reports(community_ids)
    demo_conversation.delete_conversations(community_ids)
    Community.objects.filter(pk__in=community_ids).delete()
    organisations = Organisation.objects.filter(areas__in=area_ids).exclude(
        areas__in=Area.objects.exclude(pk__in=area_ids)
    )
    org_ids = [str(pk) for pk in organisations.values_list("pk", flat=True)]
    AuditEvent.objects.filter(object_type=Organisation._meta.label_lower, object_id__in=org_ids).delete()
    organisations.delete()
    Authenticator.objects.filter(user__in=_demo_users()).delete()
    deleted = _demo_users().count()
    _demo_users().delete()
    for kind in (AreaKind.BUURT, AreaKind.WIJK, AreaKind.MUNICIPALITY):
        Area.objects.filter(pk__in=area_ids, kind=kind).delete()
    return deleted


def content_digest() -> str:
    """A SHA-256 over the demo's content (names, codes, coordinates, memberships, dates), free of database ids and
    of values that are random by design (password salts). Equal for two builds with the same seed and `now`."""
    gm = Area.objects.filter(code=MUNICIPALITY_CODE)
    lines: list[str] = []

    def add(*parts: object) -> None:
        lines.append(json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False))

    for a in _demo_areas().select_related("parent"):
        add("area", a.code, a.kind, a.name, a.parent.code if a.parent else None, a.geometry, a.cells.count())
    for u in _demo_users():
        add("user", u.username, u.email, u.first_name, u.last_name, u.is_staff, u.is_superuser, u.date_joined, u.code)
    for r in Residence.objects.filter(user__in=_demo_users()).select_related("user", "buurt"):
        add("home", r.user.email, r.street, r.house_number, r.postcode, r.city, r.lat, r.lon, r.h3_r9, r.buurt.code)
    for o in Organisation.objects.filter(areas__in=_demo_areas()).distinct():
        add("org", o.name, o.kind, o.code, sorted(o.areas.values_list("code", flat=True)))
        for s in o.staff.select_related("user"):
            add("staff", o.name, s.user.email, s.title)
    for a in Authenticator.objects.filter(user__in=_demo_users()).select_related("user"):
        add("mfa", a.user.email, a.type)
    communities = Community.objects.filter(municipality__in=gm)
    for c in communities:
        add(
            "community",
            c.slug,
            c.name,
            c.kind,
            c.phase,
            c.approval_required,
            c.code,
            c.description,
            c.geometry,
            c.created_at,
            sorted(c.buurten.values_list("code", flat=True)),
            sorted(c.partners.values_list("name", flat=True)),
        )
    for r in HouseRules.objects.filter(community__in=communities).select_related("community"):
        add("rules", r.community.slug, r.version, r.text, r.created_at)
    for i in Invite.objects.filter(community__in=communities).select_related("community"):
        add(
            "invite",
            getattr(i, "code", None),
            i.community.slug,
            i.token,
            i.note,
            i.expires_at,
            i.max_uses,
            i.uses,
            i.revoked_at,
            i.created_at,
        )
    for m in Membership.objects.filter(community__in=communities).select_related("community", "user", "invite"):
        add(
            "member",
            getattr(m, "code", None),
            m.community.slug,
            m.user.email,
            m.role,
            m.status,
            m.rules_version_accepted,
            m.rules_accepted_at,
            m.invite.token if m.invite else None,
            m.ended_at,
            m.end_reason,
            m.created_at,
        )
    for p in PhaseChange.objects.filter(community__in=communities).select_related("community", "changed_by"):
        add("phase", p.community.slug, p.from_phase, p.to_phase, p.reason, p.changed_by.email, p.created_at)
    demo_reports.digest_lines(communities, add)
    demo_conversation.digest_lines(communities, add)
    demo_alerts.digest_lines(_demo_users(), add)
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()


def account_lines() -> list[str]:
    """What `serve --demo` prints: every demo login, the shared password, and the 2FA secret for partners."""
    lines = [
        f"{label:<36} {email}{'  (+ 2FA)' if email in DEMO_MFA_ACCOUNTS else ''}" for email, label in DEMO_ACCOUNTS
    ]
    lines.append(f"Password for every demo person: {DEMO_PASSWORD}")
    lines.append(
        f"2FA (TOTP) secret of the partner and admin accounts: {DEMO_TOTP_SECRET} "
        "(add it to an authenticator app, or print the current code with `samenveilig demo --totp`)"
    )
    return lines
