"""A year of reports (meldingen) in every demo community, with their whole handling history.

Written in bulk (a few thousand reports in seconds) but with every invariant the reports services keep: the
submitter pseudonym on every report and the sealed link on anonymous ones, a unique idempotency key per reporter,
the point with its H3 cell and buurt, routes computed with reports.routing exactly as services._route does (so the
access gates answer as for live reports), handling deadlines on the organisation routes, and an append-only
history (ReportEvent) that moves only along services.TRANSITIONS, with first_response_at and closed_at to match.

Times follow patterns: urgent reports mostly in the evening and at night, burglary-type signals more in the dark
months, nuisance on weekends and summer evenings, ideas during the day. Notifications are written for the last
weeks only. Everything is decided with random generators seeded from the demo seed, relative to the build's `now`.
"""

import hashlib
import math
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Model
from django.urls import reverse
from shapely.geometry import Point, shape
from shapely.prepared import prep

from samenveilig.accounts.models import Organisation, StaffMembership, User
from samenveilig.areas import geo
from samenveilig.areas.models import Area
from samenveilig.communities.models import Community, CommunityKind, Membership, MembershipStatus
from samenveilig.core.permissions import OrganisationKind, Role
from samenveilig.demo import geography as g
from samenveilig.demo import report_texts as t
from samenveilig.notifications.models import Notification
from samenveilig.reports import descriptions, identity, plates, routing
from samenveilig.reports import services as report_services
from samenveilig.reports.access import AUDIENCE_ROLES
from samenveilig.reports.models import (
    Audience,
    EventKind,
    Feedback,
    ForwardLink,
    HandlingDeadline,
    Outcome,
    Question,
    ReopenRequest,
    Report,
    ReportEvent,
    ReportPerson,
    ReportRoute,
    ReportStatus,
    ReportType,
    ReportVehicle,
    Urgency,
)

REPORTS_PER_RESIDENT = 0.5  # 2,500 reports for the default 5,000 residents
MIN_PER_COMMUNITY = 12
WINDOW_DAYS = 360  # a year, within the 365 days a report may look back
NOTIFY_DAYS = 21  # notifications are written for the last three weeks only
BATCH = 1000

# Handling deadlines in hours, per organisation kind and report type.
DEADLINES: dict[str, dict[str, int]] = {
    OrganisationKind.POLICE: {ReportType.URGENT: 24, ReportType.OVERLAST: 72, ReportType.INFORMATIE: 168},
    OrganisationKind.MUNICIPALITY: {
        ReportType.OVERLAST: 120,
        ReportType.VERBETERIDEE: 720,
        ReportType.INFORMATIE: 240,
    },
    OrganisationKind.HOUSING: {ReportType.OVERLAST: 72, ReportType.VERBETERIDEE: 480},
    OrganisationKind.FIRE: {ReportType.URGENT: 48},
    OrganisationKind.ORGANISATION: {ReportType.URGENT: 24, ReportType.OVERLAST: 96},
}

# Type mix per kind of community (urgent, overlast, verbeteridee, informatie).
TYPE_MIX: dict[str, tuple[int, int, int, int]] = {
    CommunityKind.WHATSAPP: (45, 30, 12, 13),
    CommunityKind.STREET: (25, 35, 25, 15),
    CommunityKind.WIJK: (20, 35, 30, 15),
    CommunityKind.BUSINESS_PARK: (55, 20, 10, 15),
    CommunityKind.STUDENT_COMPLEX: (30, 40, 15, 15),
    CommunityKind.SHOPPING_AREA: (45, 30, 10, 15),
    CommunityKind.ONLINE_WATCH: (25, 15, 10, 50),
}
TYPES = (ReportType.URGENT, ReportType.OVERLAST, ReportType.VERBETERIDEE, ReportType.INFORMATIE)

# Weight per hour of the day (0-23).
HOURS: dict[str, list[float]] = {
    ReportType.URGENT: [5, 4, 4, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.5, 2, 3, 4, 5, 6, 7, 6],
    ReportType.OVERLAST: [4, 3, 2, 1, 0.5, 0.2, 0.2, 0.5, 1, 1, 1, 1, 1.5, 1.5, 1.5, 2, 2, 2.5, 3, 4, 5, 6, 6, 5],
    ReportType.VERBETERIDEE: [0, 0, 0, 0, 0, 0, 0.2, 0.5, 1.5, 3, 3, 3, 2.5, 3, 3, 3, 2.5, 2, 1.5, 2, 2, 1.5, 0.5, 0.1],
    ReportType.INFORMATIE: [
        0.5,
        0.3,
        0.1,
        0.1,
        0.1,
        0.2,
        0.5,
        1,
        2,
        2.5,
        2.5,
        2.5,
        2,
        2,
        2,
        2,
        2,
        2,
        2.5,
        3,
        3,
        2.5,
        1.5,
        1,
    ],
}
# Weight per day of the week (Monday first).
WEEKDAYS: dict[str, list[float]] = {
    ReportType.URGENT: [1, 1, 1, 1, 1.2, 1.3, 1.1],
    ReportType.OVERLAST: [0.8, 0.8, 0.8, 0.9, 1.4, 2.0, 1.6],
    ReportType.VERBETERIDEE: [1.2, 1.2, 1.2, 1.2, 1.1, 0.6, 0.5],
    ReportType.INFORMATIE: [1, 1, 1, 1, 1, 0.9, 0.9],
}
# Weight per month (January first): burglary in the dark months, nuisance in summer.
MONTHS: dict[str, list[float]] = {
    "burglary": [1.6, 1.5, 1.2, 0.9, 0.7, 0.6, 0.6, 0.7, 0.9, 1.3, 1.6, 1.8],
    ReportType.URGENT: [1, 1, 1, 1, 1, 1.1, 1.2, 1.2, 1, 1, 1, 1.2],
    ReportType.OVERLAST: [0.9, 0.7, 0.8, 1, 1.2, 1.5, 1.7, 1.6, 1.2, 0.9, 0.9, 1.3],
    ReportType.VERBETERIDEE: [0.9, 1, 1.2, 1.2, 1.1, 1, 0.7, 0.7, 1.2, 1.2, 1.1, 0.8],
    ReportType.INFORMATIE: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
}
# Who handles a report, in order of preference among the routed organisations.
HANDLERS: dict[str, tuple[str, ...]] = {
    ReportType.URGENT: (OrganisationKind.POLICE, OrganisationKind.ORGANISATION, OrganisationKind.FIRE),
    ReportType.OVERLAST: (OrganisationKind.MUNICIPALITY, OrganisationKind.HOUSING, OrganisationKind.ORGANISATION),
    ReportType.VERBETERIDEE: (OrganisationKind.MUNICIPALITY, OrganisationKind.HOUSING),
    ReportType.INFORMATIE: (OrganisationKind.POLICE, OrganisationKind.MUNICIPALITY),
}


def custom_rules(plan: Any) -> list[tuple[str, str, dict[str, Any]]]:
    """A few communities changed their routing (community name, type, rule): business parks and shops involve
    their own organisation, the student complex also the fire brigade and GHOR, one wijk platform sends
    information to the police and the municipality."""
    rules = []
    for cp in plan.communities:
        if cp.kind == CommunityKind.BUSINESS_PARK:
            kinds = [OrganisationKind.POLICE, OrganisationKind.ORGANISATION]
            rules.append((cp.name, ReportType.URGENT, {"to_members": True, "partner_kinds": kinds}))
        elif cp.kind == CommunityKind.SHOPPING_AREA:
            kinds = [OrganisationKind.MUNICIPALITY, OrganisationKind.ORGANISATION]
            rules.append((cp.name, ReportType.OVERLAST, {"to_members": True, "partner_kinds": kinds}))
        elif cp.kind == CommunityKind.STUDENT_COMPLEX:
            kinds = [OrganisationKind.POLICE, OrganisationKind.FIRE, OrganisationKind.MEDICAL]
            rules.append((cp.name, ReportType.URGENT, {"to_members": True, "partner_kinds": kinds}))
    wijk = next(cp for cp in plan.communities if cp.kind == CommunityKind.WIJK)
    kinds = [OrganisationKind.POLICE, OrganisationKind.MUNICIPALITY]
    rules.append((wijk.name, ReportType.INFORMATIE, {"to_initiators": True, "partner_kinds": kinds}))
    return rules


# --- The plan of one report ------------------------------------------------------------------------------------------


@dataclass
class Ev:
    kind: str
    at: datetime
    actor: int | None = None  # person index
    org: int | None = None  # organisation index
    internal: bool = False
    status_from: str = ""
    status_to: str = ""
    outcome: str = ""
    text: str = ""
    community_text: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class FeedbackPlan:
    code: uuid.UUID
    at: datetime
    author: int
    org: int
    to_reporter: str
    to_community: str
    helpful: bool | None = None
    rated_at: datetime | None = None


@dataclass
class QuestionPlan:
    code: uuid.UUID
    at: datetime
    by: int
    org: int
    text: str
    answer: str = ""
    answered_at: datetime | None = None


@dataclass
class ForwardPlan:
    code: uuid.UUID
    token_hash: str
    at: datetime
    by: int
    org: int
    recipient: str
    message: str
    answer: str = ""
    answered_at: datetime | None = None


@dataclass
class ReopenPlan:
    at: datetime
    feedback: uuid.UUID
    reason: str
    decision: str = ReopenRequest.Decision.PENDING
    decided_by: int | None = None
    decided_at: datetime | None = None


@dataclass
class Scenario:
    """What must happen to a report (the demo accounts' reports); None leaves it to chance."""

    status: str | None = None
    open_question: bool = False
    feedback: bool | None = None
    community_feedback: bool = False
    helpful: bool | None = None  # rated: True/False; None: by chance
    reopen_pending: bool = False


@dataclass
class ReportPlan:
    code: uuid.UUID
    community: int  # index in plan.communities
    type: str
    created: datetime
    occurred: datetime
    reporter: int  # person index
    anonymous: bool
    what: str
    idempotency_key: uuid.UUID
    urgency: str = ""
    called_112: bool | None = None
    share: bool = True
    lat: float | None = None
    lon: float | None = None
    address: str = ""
    buurt: str | None = None
    persons: list[dict[str, str]] = field(default_factory=list)
    vehicles: list[dict[str, Any]] = field(default_factory=list)
    scenario: Scenario | None = None
    # Decided when written (routing needs the database):
    audiences: list[str] = field(default_factory=list)
    orgs: list[int] = field(default_factory=list)
    status: str = ReportStatus.RECEIVED
    outcome: str = ""
    first_response: datetime | None = None
    closed: datetime | None = None
    events: list[Ev] = field(default_factory=list)
    feedback: list[FeedbackPlan] = field(default_factory=list)
    questions: list[QuestionPlan] = field(default_factory=list)
    forwards: list[ForwardPlan] = field(default_factory=list)
    reopens: list[ReopenPlan] = field(default_factory=list)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def dutch_plate(rng: random.Random) -> str:
    """A valid Dutch plate of a recent side code (6 to 11, 13, 14), in its official notation."""
    code = rng.choice([6, 7, 8, 9, 10, 11, 13, 14])
    compact = "".join(
        rng.choice(t.PLATE_LETTERS) if ch == "L" else rng.choice("0123456789")
        for ch in "".join(plates.SIDE_CODES[code])
    )
    return plates.normalise_dutch_plate(compact)


class Reports:
    """Plans and writes the reports of a built demo (the Plan, and the rows already written)."""

    def __init__(
        self,
        plan: Any,
        users: list[User],
        areas: dict[str, Area],
        organisations: list[Organisation],
        communities: list[Community],
        residents: int,
    ):
        self.plan, self.users, self.areas = plan, users, areas
        self.organisations, self.communities = organisations, communities
        self.now: datetime = plan.now
        self.start = self.now - timedelta(days=WINDOW_DAYS)
        self.rng = random.Random(f"{plan.seed}-reports")
        self.ids = random.Random(f"{plan.seed}-report-ids")
        self.total = max(round(residents * REPORTS_PER_RESIDENT), MIN_PER_COMMUNITY * len(plan.communities))
        self.people = {p.local: i for i, p in enumerate(plan.people) if "." not in p.local}
        self.shapes = [prep(shape(c.geometry)) for c in communities]
        self.raw_shapes = [shape(c.geometry) for c in communities]
        self.buurt_shapes = sorted((code, prep(b.degrees)) for code, b in plan.buurten.items())
        self.wijk_of = {b.code: w.code for w in plan.wijken for b in w.buurten}
        self.org_index = {o.pk: i for i, o in enumerate(organisations)}
        self.reports: list[ReportPlan] = []

    # Planning --------------------------------------------------------------------------------------------------------
    def plan_reports(self) -> None:
        rng = self.rng
        weights = []
        for cp in self.plan.communities:
            active = sum(1 for m in cp.members if m.status == MembershipStatus.ACTIVE and m.role != Role.FACILITATOR)
            days = max(1, (self.now - max(cp.founded, self.start)).days)
            weights.append(math.sqrt(active) * days / WINDOW_DAYS + 0.05)
        rest = self.total - MIN_PER_COMMUNITY * len(weights)
        counts = [MIN_PER_COMMUNITY + int(rest * w / sum(weights)) for w in weights]
        counts[0] += self.total - sum(counts)
        for index, (cp, count) in enumerate(zip(self.plan.communities, counts, strict=True)):
            activity = {m.person: rng.expovariate(1.0) for m in cp.members}
            for _ in range(count):
                report_type = rng.choices(TYPES, weights=TYPE_MIX[cp.kind])[0]
                self._one(index, report_type, activity)
        self._demo_reports()
        self.reports.sort(key=lambda r: (r.created, str(r.code)))

    def _when(self, report_type: str, earliest: datetime, burglary: bool) -> datetime:
        rng = self.rng
        months = MONTHS["burglary" if burglary else report_type]
        days = max(1, (self.now - earliest).days)
        for _ in range(200):
            day = self.now - timedelta(days=rng.randint(1, days))
            weight = months[day.month - 1] * WEEKDAYS[report_type][day.weekday()]
            if rng.random() * 2.1 < weight:
                break
        hour = rng.choices(range(24), weights=HOURS[report_type])[0]
        when = day.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60))
        return min(max(when, earliest), self.now - timedelta(minutes=5))

    def _reporters(self, index: int, when: datetime) -> list[Any]:
        cp = self.plan.communities[index]
        return [
            m
            for m in cp.members
            if m.role != Role.FACILITATOR and m.status == MembershipStatus.ACTIVE and m.joined < when
        ]

    def _one(
        self,
        index: int,
        report_type: str,
        activity: dict[int, float] | None = None,
        *,
        reporter: int | None = None,
        created: datetime | None = None,
        anonymous: bool | None = None,
        scenario: Scenario | None = None,
    ) -> ReportPlan | None:
        rng = self.rng
        cp = self.plan.communities[index]
        burglary = report_type == ReportType.URGENT and rng.random() < 0.45
        earliest = max(self.start, cp.founded + timedelta(days=1))
        created = created or self._when(report_type, earliest, burglary)
        if reporter is None:
            candidates = self._reporters(index, created)
            if not candidates:
                return None
            reporter = rng.choices(candidates, weights=[activity[m.person] + 0.05 for m in candidates])[0].person
        r = ReportPlan(
            code=_uuid(self.ids),
            community=index,
            type=report_type,
            created=created,
            occurred=created,
            reporter=reporter,
            anonymous=rng.random() < 0.08 if anonymous is None else anonymous,
            what="",
            idempotency_key=_uuid(self.ids),
            scenario=scenario,
        )
        located = report_type in report_services.LOCATION_REQUIRED or rng.random() < 0.6
        street = ""
        if located:
            for _ in range(10):  # a point in a buurt (a drawn area may reach just outside the buurten)
                r.lat, r.lon = self._point(index, reporter)
                r.buurt = self._buurt_at(r.lat, r.lon)
                if r.buurt is not None:
                    break
            street = self._street_near(r.buurt, r.lat, r.lon)
            r.address = street if rng.random() < 0.8 else f"{street} (bij {rng.choice(t.PLACES)})"
        street = street or rng.choice(sorted({s.name for ss in self.plan.streets.values() for s in ss}))
        if report_type == ReportType.URGENT:
            life = rng.random() < 0.08
            r.urgency = Urgency.LIFE_THREATENING if life else Urgency.SUSPICIOUS
            r.called_112 = True if life else rng.random() < 0.35
            r.share = rng.random() < 0.9
            pool = t.URGENT_LIFE if life else (t.URGENT_BURGLARY if burglary else t.URGENT_SUSPICIOUS)
            r.occurred = created - timedelta(minutes=rng.randint(1, 25))
            if not life and rng.random() < 0.6:
                r.persons = [self._person(street) for _ in range(rng.choice([1, 1, 1, 2]))]
            if not life and rng.random() < 0.3:
                r.vehicles = [self._vehicle()]
        elif report_type == ReportType.OVERLAST:
            pool = t.OVERLAST
            r.occurred = created - timedelta(minutes=rng.randint(5, 180))
        elif report_type == ReportType.VERBETERIDEE:
            pool = t.VERBETERIDEE
        else:
            pool = t.INFORMATIE
            r.occurred = created - timedelta(hours=rng.randint(0, 30))
        r.occurred = max(r.occurred, self.now - timedelta(days=364))
        place = rng.choice(t.PLACES)
        direction = rng.choice(t.DIRECTIONS).format(straat=street)
        r.what = rng.choice(pool).format(straat=street, plek=place, richting=direction)
        self.reports.append(r)
        return r

    def _point(self, index: int, person: int) -> tuple[float, float]:
        rng = self.rng
        home = self.plan.people[person].home
        area, raw = self.shapes[index], self.raw_shapes[index]
        if home is not None and area.contains(Point(home.lon, home.lat)) and rng.random() < 0.7:
            for _ in range(20):
                lat = home.lat + rng.uniform(-150, 150) / g.M_PER_DEG_LAT
                lon = home.lon + rng.uniform(-150, 150) / g.M_PER_DEG_LON
                if area.contains(Point(lon, lat)):
                    return round(lat, 6), round(lon, 6)
        p = g.random_point_in(raw, rng)
        return round(p.y, 6), round(p.x, 6)

    def _buurt_at(self, lat: float, lon: float) -> str | None:
        """The buurt holding the point (the lowest code on a border), as areas.selectors.buurt_at decides."""
        point = Point(lon, lat)
        return next((code for code, poly in self.buurt_shapes if poly.covers(point)), None)

    def _street_near(self, buurt: str | None, lat: float, lon: float) -> str:
        streets = self.plan.streets.get(buurt) or [s for ss in self.plan.streets.values() for s in ss]
        here = Point((lon - g.ORIGIN_LON) * g.M_PER_DEG_LON, (lat - g.ORIGIN_LAT) * g.M_PER_DEG_LAT)
        return min(streets, key=lambda s: (s.line.distance(here), s.name)).name

    def _person(self, street: str) -> dict[str, str]:
        rng = self.rng
        person = {
            "sex": rng.choice(t.SEX),
            "age": rng.choice(t.AGE),
            "height": rng.choice(t.HEIGHT),
            "build": rng.choice(t.BUILD),
            "top": rng.choice(t.TOP),
            "bottom": rng.choice(t.BOTTOM),
            "shoes": rng.choice(t.SHOES),
            "headwear": rng.choice(t.HEADWEAR),
            "hair": rng.choice(t.HAIR) if rng.random() < 0.5 else "",
            "marks": rng.choice(t.MARKS) if rng.random() < 0.4 else "",
            "direction": rng.choice(t.DIRECTIONS).format(straat=street),
        }
        # Skin colour only together with clothing, shoes and height (the method's description rule).
        if rng.random() < 0.1:
            person["skin_colour"] = rng.choice(t.SKIN)
        return person

    def _vehicle(self) -> dict[str, Any]:
        rng = self.rng
        kind = rng.choice(t.VEHICLE_KINDS)
        foreign = rng.random() < 0.1
        plate = rng.choice(t.FOREIGN_PLATES) if foreign else dutch_plate(rng)
        if rng.random() < 0.15:
            plate, foreign = "", False  # the plate could not be read
        return {"kind": kind, "make": rng.choice(t.MAKES), "colour": rng.choice(t.COLOURS), "plate": plate,
                "foreign_plate": foreign}  # fmt: skip

    def _demo_reports(self) -> None:
        """The demo logins' own stories: the resident's reports, open and overdue work for the wijkagent,
        nuisance for the municipality and the housing corporation, community feedback for the coordinator."""
        plan, now = self.plan, self.now
        member_of = {}
        for index, cp in enumerate(plan.communities):
            for m in cp.members:
                if m.status == MembershipStatus.ACTIVE:
                    member_of.setdefault(m.person, []).append(index)
        resident, coordinator = self.people["bewoner"], self.people["coordinator"]
        home_watch = next(i for i in member_of[resident] if plan.communities[i].kind == CommunityKind.WHATSAPP)
        wijk = next(i for i in member_of[resident] if plan.communities[i].kind == CommunityKind.WIJK)
        mine = [
            (
                home_watch,
                ReportType.URGENT,
                40,
                False,
                Scenario(status=ReportStatus.CLOSED, feedback=True, helpful=True),
            ),
            (home_watch, ReportType.URGENT, 75, True, Scenario(status=ReportStatus.CLOSED, feedback=True)),
            (wijk, ReportType.OVERLAST, 6, False, Scenario(status=ReportStatus.IN_PROGRESS, open_question=True)),
            (
                wijk,
                ReportType.VERBETERIDEE,
                30,
                False,
                Scenario(status=ReportStatus.CLOSED, feedback=True, reopen_pending=True),
            ),
            (wijk, ReportType.OVERLAST, 2, False, Scenario(status=ReportStatus.IN_PROGRESS, feedback=True)),
            (home_watch, ReportType.INFORMATIE, 1, False, Scenario(status=ReportStatus.RECEIVED)),
        ]
        for index, report_type, days, anonymous, scenario in mine:
            created = now - timedelta(days=days, hours=self.rng.randint(2, 6), minutes=self.rng.randrange(60))
            self._one(index, report_type, reporter=resident, created=created, anonymous=anonymous, scenario=scenario)
        # The wijkagent (Centrum): open urgent reports, fresh and overdue, in communities of her wijk.
        centrum = {b.code for b in plan.wijken[0].buurten}
        in_centrum = [i for i, cp in enumerate(plan.communities) if cp.home_buurten & centrum and cp.buurten]
        for n, (hours, status) in enumerate(
            [(3, ReportStatus.RECEIVED), (9, ReportStatus.RECEIVED), (30, ReportStatus.RECEIVED),
             (52, ReportStatus.IN_PROGRESS), (80, ReportStatus.IN_PROGRESS), (20, ReportStatus.IN_PROGRESS)]
        ):  # fmt: skip
            index = in_centrum[n % len(in_centrum)]
            self._scripted(index, ReportType.URGENT, hours, Scenario(status=status))
        # The municipality and the housing corporation: open nuisance where the corporation works.
        housing = next(o for o in plan.organisations if o.kind == OrganisationKind.HOUSING)
        in_housing = [
            i for i, cp in enumerate(plan.communities) if cp.buurten and set(cp.buurten) <= set(housing.areas)
        ] or [i for i, cp in enumerate(plan.communities) if set(cp.buurten) & set(housing.areas)]
        for n, (hours, status) in enumerate(
            [(5, ReportStatus.RECEIVED), (50, ReportStatus.RECEIVED), (100, ReportStatus.IN_PROGRESS),
             (200, ReportStatus.IN_PROGRESS), (26, ReportStatus.CLOSED)]
        ):  # fmt: skip
            self._scripted(in_housing[n % len(in_housing)], ReportType.OVERLAST, hours, Scenario(status=status))
        # The coordinator's watch: feedback to the community on recent reports.
        watch = next(
            i
            for i, cp in enumerate(plan.communities)
            if any(m.person == coordinator and m.role == Role.COORDINATOR for m in cp.members)
        )
        for hours, report_type in ((60, ReportType.URGENT), (200, ReportType.OVERLAST), (400, ReportType.URGENT)):
            scenario = Scenario(status=ReportStatus.CLOSED, feedback=True, community_feedback=True)
            self._scripted(watch, report_type, hours, scenario)

    def _scripted(self, index: int, report_type: str, hours: int, scenario: Scenario) -> None:
        created = self.now - timedelta(hours=hours, minutes=self.rng.randrange(60))
        candidates = self._reporters(index, created)
        reporter = self.rng.choice(candidates).person
        self._one(index, report_type, reporter=reporter, created=created, anonymous=False, scenario=scenario)

    # Handling --------------------------------------------------------------------------------------------------------
    def route(self) -> None:
        """The routes of every report, computed with reports.routing as services._route does."""
        rules: dict[tuple[int, str], routing.Rule] = {}
        orgs: dict[tuple[int, tuple[str, ...], str | None], list[int]] = {}
        for r in self.reports:
            community = self.communities[r.community]
            key = (r.community, r.type)
            if key not in rules:
                rules[key] = routing.rule_for(community, r.type)
            rule = rules[key]
            r.audiences = routing.member_audiences(rule, share_with_members=r.share)
            okey = (r.community, rule.partner_kinds, r.buurt)
            if okey not in orgs:
                buurt = self.areas[r.buurt] if r.buurt else None
                found = routing.organisations_for(community=community, kinds=rule.partner_kinds, buurt=buurt)
                orgs[okey] = [self.org_index[o.pk] for o in found]
            r.orgs = orgs[okey]

    def _handler(self, r: ReportPlan) -> tuple[int, int] | None:
        """The routed organisation that handles the report, and the person there who does."""
        if not r.orgs:
            return None
        kinds = {self.plan.organisations[i].kind: i for i in reversed(r.orgs)}
        preferred = [k for k in HANDLERS[r.type] if k in kinds]
        if (
            r.type == ReportType.OVERLAST
            and OrganisationKind.HOUSING in kinds
            and (self.rng.random() < 0.5 or (r.scenario and r.scenario.status == ReportStatus.CLOSED))
        ):
            preferred.insert(0, OrganisationKind.HOUSING)
        org = kinds[preferred[0]] if preferred else r.orgs[0]
        staff = [person for person, _title in self.plan.organisations[org].staff]
        kind = self.plan.organisations[org].kind
        if kind == OrganisationKind.POLICE and r.buurt:  # the wijkagent of the wijk
            wijk = self.wijk_of[r.buurt]
            number = [w.code for w in self.plan.wijken].index(wijk)
            person = staff[number] if self.rng.random() < 0.85 else staff[-1]
        else:
            person = staff[0] if self.rng.random() < 0.7 else self.rng.choice(staff)
        return org, person

    def handle(self) -> None:
        for r in self.reports:
            self._life(r)

    def _at(self, after: datetime, low: timedelta, high: timedelta) -> datetime:
        """A moment `low` to `high` after `after` (log-uniform), and never later than just before now."""
        lo, hi = max(low.total_seconds(), 60), max(high.total_seconds(), 120)
        seconds = math.exp(self.rng.uniform(math.log(lo), math.log(hi)))
        return max(after, min(after + timedelta(seconds=seconds), self.now - timedelta(minutes=1)))

    def _life(self, r: ReportPlan) -> None:
        rng, now, s = self.rng, self.now, r.scenario or Scenario()
        r.events.append(Ev(EventKind.SUBMITTED, r.created, status_to=ReportStatus.RECEIVED))
        handler = self._handler(r)
        if handler is None:
            return  # routed to members only: nobody at a partner handles it
        org, person = handler
        age = now - r.created
        target = s.status or self._target(age)
        if target == ReportStatus.RECEIVED:
            return
        delay = {
            ReportType.URGENT: (timedelta(minutes=5), timedelta(hours=8)),
            ReportType.OVERLAST: (timedelta(hours=2), timedelta(days=3)),
            ReportType.VERBETERIDEE: (timedelta(hours=12), timedelta(days=12)),
            ReportType.INFORMATIE: (timedelta(hours=1), timedelta(days=4)),
        }[r.type]
        low, high = delay
        if r.created + low > now - timedelta(minutes=10):
            low, high = timedelta(minutes=2), age / 2
        t1 = self._at(r.created, low, min(high, age * 0.6))
        self._status(r, t1, person, org, ReportStatus.IN_PROGRESS)
        if rng.random() < 0.35:
            r.events.append(Ev(EventKind.NOTE, t1, person, org, True, text=rng.choice(t.NOTES)))
        last = max(t1, min(t1 + timedelta(minutes=2), now - timedelta(minutes=1)))
        if s.open_question or rng.random() < 0.15:
            question, answer = rng.choice(t.QUESTIONS)
            asked = self._at(last, timedelta(minutes=5), timedelta(hours=20))
            q = QuestionPlan(_uuid(self.ids), asked, person, org, question)
            r.questions.append(q)
            r.events.append(Ev(EventKind.QUESTION, asked, person, org, text=question, data={"question": str(q.code)}))
            answered = self._at(asked, timedelta(minutes=20), timedelta(hours=30))
            if not s.open_question and answered < now - timedelta(hours=1) and rng.random() < 0.85:
                q.answer, q.answered_at = answer, answered
                r.events.append(Ev(EventKind.ANSWER, answered, text=answer, data={"question": str(q.code)}))
                last = answered
            else:
                last = asked
        if rng.random() < 0.03 and r.type != ReportType.URGENT:
            self._forward(r, last, person, org)
        if target == ReportStatus.IN_PROGRESS:
            if s.feedback or (s.feedback is None and rng.random() < 0.3):
                self._feedback(r, last, person, org, "interim", s)
            return
        self._close(r, last, person, org, s)

    def _target(self, age: timedelta) -> str:
        roll = self.rng.random()
        if age < timedelta(hours=6):
            table = [(0.7, ReportStatus.RECEIVED), (1.0, ReportStatus.IN_PROGRESS)]
        elif age < timedelta(days=3):
            table = [(0.3, ReportStatus.RECEIVED), (0.75, ReportStatus.IN_PROGRESS), (1.0, ReportStatus.CLOSED)]
        elif age < timedelta(days=14):
            table = [(0.08, ReportStatus.RECEIVED), (0.35, ReportStatus.IN_PROGRESS), (1.0, ReportStatus.CLOSED)]
        else:
            table = [(0.02, ReportStatus.RECEIVED), (0.07, ReportStatus.IN_PROGRESS), (1.0, ReportStatus.CLOSED)]
        return next(status for limit, status in table if roll < limit)

    def _status(self, r: ReportPlan, at: datetime, person: int, org: int, to: str, outcome: str = "") -> None:
        current = r.status
        assert to in report_services.TRANSITIONS[current], (current, to)  # noqa: S101 - a planning error
        r.events.append(Ev(EventKind.STATUS, at, person, org, status_from=current, status_to=to, outcome=outcome))
        r.status = to
        if r.first_response is None:
            r.first_response = at
        if to == ReportStatus.CLOSED:
            r.outcome, r.closed = outcome, at
        elif to == ReportStatus.REOPENED:
            r.outcome, r.closed = "", None

    def _feedback(self, r: ReportPlan, after: datetime, person: int, org: int, tone: str, s: Scenario) -> FeedbackPlan:
        rng = self.rng
        at = self._at(after, timedelta(minutes=10), timedelta(hours=30))
        to_community = ""
        if s.community_feedback or (tone != "interim" and rng.random() < 0.35):
            to_community = rng.choice(t.COMMUNITY_FEEDBACK)
        to_reporter = rng.choice(t.FEEDBACK[tone])
        if to_community and not s.feedback and rng.random() < 0.15:
            to_reporter = ""  # only a message to the community
        f = FeedbackPlan(_uuid(self.ids), at, person, org, to_reporter, to_community)
        r.feedback.append(f)
        data = {"feedback": str(f.code)}
        r.events.append(Ev(EventKind.FEEDBACK, at, person, org, text=to_reporter, community_text=to_community,
                           data=data))  # fmt: skip
        if r.first_response is None:
            r.first_response = at
        return f

    def _forward(self, r: ReportPlan, after: datetime, person: int, org: int) -> None:
        rng = self.rng
        recipient, message, answer = rng.choice(t.FORWARDS)
        at = self._at(after, timedelta(minutes=5), timedelta(hours=6))
        token_hash = hashlib.sha256(rng.randbytes(32)).hexdigest()
        f = ForwardPlan(_uuid(self.ids), token_hash, at, person, org, recipient, message)
        r.forwards.append(f)
        data = {"recipient": recipient, "forward": str(f.code)}
        r.events.append(Ev(EventKind.FORWARDED, at, person, org, True, text=message, data=data))
        answered = self._at(at, timedelta(hours=3), timedelta(days=5))
        if answer and answered < self.now - timedelta(hours=1):
            f.answer, f.answered_at = answer, answered
            r.events.append(Ev(EventKind.FORWARD_ANSWER, answered, None, org, True, text=answer, data=dict(data)))

    def _close(self, r: ReportPlan, after: datetime, person: int, org: int, s: Scenario) -> None:
        rng, now = self.rng, self.now
        outcome = rng.choices(Outcome.values, weights=[45, 20, 25, 10])[0]
        handling = {
            ReportType.URGENT: (timedelta(minutes=30), timedelta(days=3)),
            ReportType.OVERLAST: (timedelta(hours=6), timedelta(days=14)),
            ReportType.VERBETERIDEE: (timedelta(days=1), timedelta(days=40)),
            ReportType.INFORMATIE: (timedelta(hours=1), timedelta(days=5)),
        }[r.type]
        given = None
        if s.feedback or s.helpful is not None or s.reopen_pending or (s.feedback is None and rng.random() < 0.88):
            given = self._feedback(r, after, person, org, outcome, s)
            after = given.at
        closed = self._at(after, min(handling[0], (now - after) / 3), min(handling[1], (now - after) * 0.8))
        self._status(r, max(closed, after), person, org, ReportStatus.CLOSED, outcome)
        if given is None or not given.to_reporter:
            return
        if s.helpful is None and not s.reopen_pending and rng.random() > 0.55:
            return  # not rated
        helpful = False if s.reopen_pending else (s.helpful if s.helpful is not None else rng.random() < 0.78)
        rated = self._at(r.closed, timedelta(minutes=10), timedelta(days=2))
        given.helpful, given.rated_at = helpful, rated
        reason = "" if helpful else rng.choice(t.REOPEN_REASONS)
        data = {"feedback": str(given.code), "helpful": helpful}
        r.events.append(Ev(EventKind.RATING, rated, None, given.org, text=reason, data=data))
        if helpful:
            return
        request = ReopenPlan(rated, given.code, reason)
        r.reopens.append(request)
        r.events.append(Ev(EventKind.REOPEN_REQUEST, rated, text=reason))
        decided = self._at(rated, timedelta(hours=4), timedelta(days=4))
        if s.reopen_pending or decided > now - timedelta(days=2) or rng.random() < 0.15:
            return  # waiting for a decision
        reopen = rng.random() < 0.4
        note = rng.choice(t.REOPEN_NOTES if reopen else t.DECLINE_NOTES)
        request.decision = ReopenRequest.Decision.REOPENED if reopen else ReopenRequest.Decision.DECLINED
        request.decided_by, request.decided_at = person, decided
        r.events.append(Ev(EventKind.REOPEN_DECISION, decided, person, org, text=note, data={"reopen": reopen}))
        if not reopen:
            return
        self._status(r, decided, person, org, ReportStatus.REOPENED)
        if rng.random() < 0.35:
            return
        again = self._at(decided, timedelta(hours=2), timedelta(days=3))
        self._status(r, again, person, org, ReportStatus.IN_PROGRESS)
        if rng.random() < 0.3 or again > now - timedelta(days=1):
            return
        self._close(r, again, person, org, Scenario(feedback=True, helpful=True))

    # Writing ---------------------------------------------------------------------------------------------------------
    def write(self) -> list[Report]:
        users = self.users
        keys = {}
        rows = []
        for r in self.reports:
            person = users[r.reporter]
            if r.reporter not in keys:
                keys[r.reporter] = identity.submitter_key(person)
            data = report_services.ReportInput(
                type=r.type, what=r.what, called_112=r.called_112, urgency=r.urgency, lat=r.lat, lon=r.lon,
                address=r.address, occurred_at=r.occurred, persons=r.persons, vehicles=r.vehicles,
                anonymous=r.anonymous, share_with_members=r.share,
            )  # fmt: skip
            point = {"lat": r.lat, "lon": r.lon, "h3_r9": geo.cell_at(r.lat, r.lon, 9)} if r.lat is not None else {}
            updated = max(e.at for e in r.events)
            rows.append(
                Report(
                    code=r.code,
                    community=self.communities[r.community],
                    type=r.type,
                    urgency=r.urgency,
                    called_112=r.called_112,
                    what=r.what,
                    occurred_at=r.occurred,
                    address=r.address,
                    buurt=self.areas[r.buurt] if r.buurt else None,
                    reporter=None if r.anonymous else person,
                    anonymous=r.anonymous,
                    submitter_key=keys[r.reporter],
                    reporter_sealed=identity.seal(person) if r.anonymous else "",
                    idempotency_key=r.idempotency_key,
                    request_hash=data.fingerprint(),
                    share_with_members=r.share,
                    status=r.status,
                    outcome=r.outcome,
                    first_response_at=r.first_response,
                    closed_at=r.closed,
                    created_at=r.created,
                    updated_at=updated,
                    **point,
                )
            )
        with _explicit_dates(Report, ReportRoute, ReportEvent, Question, ForwardLink, Feedback, ReopenRequest):
            reports = Report.objects.bulk_create(rows, batch_size=BATCH)
            if any(x.pk is None for x in reports):  # databases that do not return ids from a bulk insert
                ids = dict(Report.objects.filter(code__in=[x.code for x in reports]).values_list("code", "pk"))
                for x in reports:
                    x.pk = x.id = ids[x.code]
            self._write_details(reports)
        return reports

    def _write_details(self, reports: list[Report]) -> None:
        users, orgs = self.users, self.organisations
        hours = {(d.organisation_id, d.type): d.hours for d in HandlingDeadline.objects.filter(organisation__in=orgs)}
        persons, vehicles, routes, events, feedback, questions, forwards = [], [], [], [], [], [], []
        reopen_rows: list[tuple[ReopenPlan, Report]] = []
        for r, report in zip(self.reports, reports, strict=True):
            persons += [ReportPerson(report=report, position=i, **p) for i, p in enumerate(r.persons)]
            vehicles += [ReportVehicle(report=report, position=i, **v) for i, v in enumerate(r.vehicles)]
            routes += [ReportRoute(report=report, audience=a, created_at=r.created) for a in r.audiences]
            for i in r.orgs:
                org = orgs[i]
                due = r.created + timedelta(hours=hours[org.pk, r.type]) if (org.pk, r.type) in hours else None
                routes.append(
                    ReportRoute(
                        report=report,
                        audience=Audience.ORGANISATION,
                        organisation=org,
                        due_at=due,
                        created_at=r.created,
                    )
                )
            for e in sorted(r.events, key=lambda e: e.at):
                events.append(
                    ReportEvent(
                        report=report, kind=e.kind, created_at=e.at,
                        actor=users[e.actor] if e.actor is not None else None,
                        organisation=orgs[e.org] if e.org is not None else None, internal=e.internal,
                        status_from=e.status_from, status_to=e.status_to, outcome=e.outcome, text=e.text,
                        community_text=e.community_text, data=e.data,
                    )
                )  # fmt: skip
            feedback += [
                Feedback(
                    code=f.code, report=report, author=users[f.author], organisation=orgs[f.org],
                    to_reporter=f.to_reporter, to_community=f.to_community, created_at=f.at, helpful=f.helpful,
                    rated_at=f.rated_at,
                )
                for f in r.feedback
            ]  # fmt: skip
            questions += [
                Question(
                    code=q.code, report=report, asked_by=users[q.by], organisation=orgs[q.org], text=q.text,
                    answer=q.answer, asked_at=q.at, answered_at=q.answered_at,
                )
                for q in r.questions
            ]  # fmt: skip
            forwards += [
                ForwardLink(
                    code=f.code, report=report, token_hash=f.token_hash, recipient=f.recipient, message=f.message,
                    created_by=users[f.by], organisation=orgs[f.org], created_at=f.at,
                    expires_at=f.at + timedelta(days=14), answered_at=f.answered_at, answer=f.answer,
                )
                for f in r.forwards
            ]  # fmt: skip
            reopen_rows += [(request, report) for request in r.reopens]
        for model, objects in (
            (ReportPerson, persons),
            (ReportVehicle, vehicles),
            (ReportRoute, routes),
            (ReportEvent, events),
            (Question, questions),
            (ForwardLink, forwards),
        ):
            model.objects.bulk_create(objects, batch_size=BATCH)
        feedback = Feedback.objects.bulk_create(feedback, batch_size=BATCH)
        by_code = {f.code: f for f in feedback}
        if any(f.pk is None for f in feedback):
            by_code = {f.code: f for f in Feedback.objects.filter(code__in=list(by_code))}
        ReopenRequest.objects.bulk_create(
            [
                ReopenRequest(
                    report=report, feedback=by_code[p.feedback], reason=p.reason, decision=p.decision,
                    decided_by=users[p.decided_by] if p.decided_by is not None else None, decided_at=p.decided_at,
                    created_at=p.at,
                )
                for p, report in reopen_rows
            ],
            batch_size=BATCH,
        )  # fmt: skip

    # Notifications ---------------------------------------------------------------------------------------------------
    def notify(self, reports: list[Report]) -> int:
        """The in-app inbox of the last weeks, as the services would have written it (older ones read)."""
        since = self.now - timedelta(days=NOTIFY_DAYS)
        rng = random.Random(f"{self.plan.seed}-notifications")
        members: dict[tuple[int, str], set[int]] = {}
        for community_id, user_id, role in Membership.objects.filter(
            community__in=self.communities, status=MembershipStatus.ACTIVE
        ).values_list("community_id", "user_id", "role"):
            members.setdefault((community_id, role), set()).add(user_id)
        staff: dict[int, set[int]] = {}
        for org_id, user_id in StaffMembership.objects.filter(organisation__in=self.organisations).values_list(
            "organisation_id", "user_id"
        ):
            staff.setdefault(org_id, set()).add(user_id)

        def audience_ids(report: Report, audiences: list[str]) -> set[int]:
            roles: set[str] = set().union(*(AUDIENCE_ROLES.get(a, set()) for a in audiences))
            return set().union(*(members.get((report.community_id, role), set()) for role in roles))

        rows: list[Notification] = []

        links: dict[uuid.UUID, str] = {}

        def add(when: datetime, kind: str, report: Report, data: dict[str, Any], *, ids=(), keys=()) -> None:
            if report.code not in links:
                links[report.code] = reverse("reports:detail", args=[report.code])
            link = links[report.code]
            read = when + timedelta(hours=rng.uniform(0.2, 30)) if rng.random() < 0.85 else None
            if read is not None and read > self.now - timedelta(days=2):
                read = None
            common = {"kind": kind, "data": data, "link": link, "subject_type": "reports.report",
                      "subject_code": str(report.code), "created_at": when, "read_at": read}  # fmt: skip
            rows.extend(Notification(recipient_id=pk, **common) for pk in sorted(set(ids)))
            rows.extend(Notification(recipient_key=key, **common) for key in sorted(set(keys) - {""}))

        def to_reporter(when: datetime, kind: str, report: Report, data: dict[str, Any]) -> None:
            if report.anonymous:
                add(when, kind, report, data, keys=[report.submitter_key])
            else:
                add(when, kind, report, data, ids=[report.reporter_id])

        for r, report in zip(self.reports, reports, strict=True):
            if max(e.at for e in r.events) < since:
                continue
            community = self.communities[r.community]
            summary = report.what[:140]
            reporter_id = self.users[r.reporter].pk
            org_ids = [self.organisations[i].pk for i in r.orgs]
            for e in sorted(r.events, key=lambda e: e.at):
                if e.at < since:
                    continue
                org_name = self.organisations[e.org].name if e.org is not None else ""
                if e.kind == EventKind.SUBMITTED:
                    ids = audience_ids(report, r.audiences).union(*(staff.get(pk, set()) for pk in org_ids))
                    data = {"type": r.type, "community": community.name, "summary": summary}
                    add(e.at, "report.routed", report, data, ids=ids - {reporter_id})
                elif e.kind == EventKind.STATUS:
                    to_reporter(e.at, "report.status", report, {"status": e.status_to, "summary": summary})
                elif e.kind == EventKind.QUESTION:
                    to_reporter(e.at, "report.question", report, {"organisation": org_name})
                elif e.kind == EventKind.ANSWER:
                    asker = next(q.by for q in r.questions if str(q.code) == e.data["question"])
                    add(e.at, "report.answer", report, {"summary": e.text[:140]}, ids=[self.users[asker].pk])
                elif e.kind == EventKind.FEEDBACK:
                    if e.text:
                        to_reporter(e.at, "report.feedback", report, {"organisation": org_name})
                    if e.community_text:
                        ids = audience_ids(report, r.audiences) - {report.reporter_id}
                        data = {"organisation": org_name, "community": community.name,
                                "summary": e.community_text[:140]}  # fmt: skip
                        add(e.at, "report.community_feedback", report, data, ids=ids)
                elif e.kind == EventKind.FORWARD_ANSWER:
                    by = next(f.by for f in r.forwards if str(f.code) == e.data["forward"])
                    add(e.at, "report.forward_answer", report, {"recipient": e.data["recipient"]},
                        ids=[self.users[by].pk])  # fmt: skip
                elif e.kind == EventKind.REOPEN_REQUEST:
                    ids = set().union(*(staff.get(pk, set()) for pk in org_ids))
                    add(e.at, "report.reopen_request", report, {"summary": e.text[:140] or summary}, ids=ids)
        with _explicit_dates(Notification):
            Notification.objects.bulk_create(rows, batch_size=BATCH)
        return len(rows)


@contextmanager
def _explicit_dates(*models: type[Model]) -> Iterator[None]:
    """Let bulk_create keep the dates we give (auto_now_add / auto_now would overwrite them with the time of the
    build). Only while the demo is written, before anything serves requests; restored whatever happens."""
    saved = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def set_deadlines_and_rules(plan: Any, users: list[User], organisations: list[Organisation],
                            communities: list[Community]) -> None:  # fmt: skip
    """Handling deadlines per organisation and type, and the communities' own routing rules, through the services
    (so the changes are audit-logged like any other)."""
    for org_plan, org in zip(plan.organisations, organisations, strict=True):
        for report_type, hours in DEADLINES.get(org_plan.kind, {}).items():
            by = users[org_plan.staff[-1][0]]
            report_services.deadline_set(organisation=org, report_type=report_type, hours=hours, by=by)
    by_name = {c.name: (c, cp) for c, cp in zip(communities, plan.communities, strict=True)}
    for name, report_type, rule in custom_rules(plan):
        community, cp = by_name[name]
        coordinator = next(m.person for m in cp.members if m.role == Role.COORDINATOR)
        report_services.routing_rule_set(
            community=community,
            report_type=report_type,
            by=users[coordinator],
            to_members=rule.get("to_members", False),
            to_coordinators=True,
            to_initiators=rule.get("to_initiators", False),
            partner_kinds=rule["partner_kinds"],
        )


def write_reports(
    plan: Any,
    users: list[User],
    areas: dict[str, Area],
    organisations: list[Organisation],
    communities: list[Community],
    residents: int,
) -> tuple[int, int]:
    """Deadlines, routing rules, a year of reports with their history, and recent notifications. Returns the
    numbers of reports and notifications written."""
    set_deadlines_and_rules(plan, users, organisations, communities)
    builder = Reports(plan, users, areas, organisations, communities, residents)
    builder.plan_reports()
    builder.route()
    builder.handle()
    reports = builder.write()
    return len(reports), builder.notify(reports)


# --- Reset and digest ------------------------------------------------------------------------------------------------


def delete_reports(community_ids: list[int]) -> None:
    """Delete the reports of these communities and the notifications about them (before the communities go)."""
    codes = [str(c) for c in Report.objects.filter(community_id__in=community_ids).values_list("code", flat=True)]
    for start in range(0, len(codes), 500):
        Notification.objects.filter(subject_type="reports.report", subject_code__in=codes[start : start + 500]).delete()
    Report.objects.filter(community_id__in=community_ids).delete()


def digest_lines(communities: Any, add: Any) -> None:
    """The reports' content for builder.content_digest (no database ids, no pseudonyms or sealed values: those
    depend on the installation's reporter key and on encryption randomness)."""
    reports = Report.objects.filter(community__in=communities)
    for r in reports.select_related("community", "reporter", "buurt"):
        add(
            "report", r.code, r.community.slug, r.type, r.urgency, r.called_112, r.what, r.occurred_at, r.created_at,
            r.updated_at, r.lat, r.lon, r.h3_r9, r.address, r.buurt.code if r.buurt else None,
            r.reporter.email if r.reporter else None, r.anonymous, r.idempotency_key, r.request_hash,
            r.share_with_members, r.status, r.outcome, r.first_response_at, r.closed_at,
        )  # fmt: skip
    for p in ReportPerson.objects.filter(report__in=reports).select_related("report"):
        add("person", p.report.code, p.position, *(getattr(p, name) for name in descriptions.PERSON_FIELDS))
    for v in ReportVehicle.objects.filter(report__in=reports).select_related("report"):
        add("vehicle", v.report.code, v.position, v.kind, v.make, v.colour, v.plate, v.foreign_plate)
    for x in ReportRoute.objects.filter(report__in=reports).select_related("report", "organisation"):
        add("route", x.report.code, x.audience, x.organisation.name if x.organisation else None, x.due_at, x.created_at)
    for e in ReportEvent.objects.filter(report__in=reports).select_related("report", "actor", "organisation"):
        add(
            "event", e.report.code, e.kind, e.created_at, e.actor.email if e.actor else None,
            e.organisation.name if e.organisation else None, e.internal, e.status_from, e.status_to, e.outcome,
            e.text, e.community_text, e.data,
        )  # fmt: skip
    for f in Feedback.objects.filter(report__in=reports).select_related("report"):
        add("feedback", f.code, f.report.code, f.to_reporter, f.to_community, f.created_at, f.helpful, f.rated_at)
    for q in Question.objects.filter(report__in=reports).select_related("report"):
        add("question", q.code, q.report.code, q.text, q.answer, q.asked_at, q.answered_at)
    for f in ForwardLink.objects.filter(report__in=reports).select_related("report"):
        add("forward", f.code, f.report.code, f.token_hash, f.recipient, f.message, f.created_at, f.answered_at)
    for q in ReopenRequest.objects.filter(report__in=reports).select_related("report", "feedback"):
        add("reopen", q.report.code, q.feedback.code if q.feedback else None, q.reason, q.decision, q.decided_at,
            q.created_at)  # fmt: skip
    for d in HandlingDeadline.objects.filter(organisation__report_routes__report__in=reports).distinct():
        add("deadline", d.organisation.name, d.type, d.hours)
    for n in Notification.objects.filter(
        subject_type="reports.report", subject_code__in=[str(c) for c in reports.values_list("code", flat=True)]
    ).select_related("recipient"):
        add("notification", n.recipient.email if n.recipient else "key", n.kind, n.message_data, n.message_link,
            n.subject_code, n.created_at, n.read_at)  # fmt: skip
