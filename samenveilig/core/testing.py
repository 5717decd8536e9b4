"""Shared test helpers: simple geometry and the fixed test cast (CONVENTIONS §8).

The cast, in one municipality "Testdorp" with buurten Noord and Zuid and the community "Buurtpreventie Noord"
(over Noord): anna (participant), cor (coordinator), ivo (initiator), fenna (facilitator), wendy (police, her
organisation is a partner of the community, has 2FA), mark (municipality, partner, has 2FA), bob (police of
another basisteam, not involved, has 2FA), olaf (signed in, no role anywhere), root (admin, has 2FA).
"""

import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connections
from django.test import TestCase

from samenveilig.accounts.models import Organisation, StaffMembership, User
from samenveilig.areas.models import Area, AreaKind
from samenveilig.areas.services import area_save
from samenveilig.communities import services as community_services
from samenveilig.communities.models import Community, Membership, MembershipStatus, Partnership
from samenveilig.core.permissions import OrganisationKind, Role

# Testdorp lies around (52.09 N, 5.12 E). Noord and Zuid are 0.01° x 0.02° boxes (about 1.1 km x 1.4 km).
ORIGIN = (52.08, 5.10)


def box(lat: float, lon: float, dlat: float, dlon: float) -> dict[str, Any]:
    """A GeoJSON rectangle with its south-west corner at (lat, lon)."""
    ring = [[lon, lat], [lon + dlon, lat], [lon + dlon, lat + dlat], [lon, lat + dlat], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def make_areas() -> dict[str, Area]:
    lat, lon = ORIGIN
    gm, _ = area_save(kind=AreaKind.MUNICIPALITY, code="GM9001", name="Testdorp", geometry=box(lat, lon, 0.02, 0.02))
    wk, _ = area_save(
        kind=AreaKind.WIJK, code="WK900101", name="Centrum", geometry=box(lat, lon, 0.02, 0.02), parent=gm
    )
    zuid, _ = area_save(
        kind=AreaKind.BUURT, code="BU90010101", name="Zuid", geometry=box(lat, lon, 0.01, 0.02), parent=wk
    )
    noord, _ = area_save(
        kind=AreaKind.BUURT,
        code="BU90010102",
        name="Noord",
        geometry=box(lat + 0.01, lon, 0.01, 0.02),
        parent=wk,
    )
    return {"gemeente": gm, "wijk": wk, "zuid": zuid, "noord": noord}


def make_user(handle: str, *, first_name: str = "", mfa: bool = False, **extra: Any) -> User:
    user = User.objects.create_user(
        username=handle,
        email=f"{handle}@example.org",
        password="correct-horse-battery",
        first_name=first_name or handle.title(),
        **extra,
    )
    if mfa:
        TOTP.activate(user, generate_totp_secret())
    return user


def add_member(community: Community, user: User, role: str = Role.PARTICIPANT) -> Membership:
    current = community.rule_versions.order_by("-version").first()
    return Membership.objects.create(
        community=community,
        user=user,
        role=role,
        status=MembershipStatus.ACTIVE,
        rules_version_accepted=current.version if current else 0,
    )


def make_cast(target: Any) -> None:
    """Set the cast as attributes on `target` (a TestCase or any object)."""
    target.areas = make_areas()
    target.noord, target.zuid = target.areas["noord"], target.areas["zuid"]
    target.buurt = community_services.community_create(
        name="Buurtpreventie Noord",
        kind="whatsapp",
        municipality=target.areas["gemeente"],
        buurten=[target.noord],
    )
    target.zuid_community = community_services.community_create(
        name="Straat Zuid", kind="street", municipality=target.areas["gemeente"], buurten=[target.zuid]
    )
    target.anna = make_user("anna", first_name="Anna", last_name="Jansen")
    target.cor = make_user("cor", first_name="Cor", last_name="de Vries")
    target.ivo = make_user("ivo", first_name="Ivo", last_name="Bakker")
    target.fenna = make_user("fenna", first_name="Fenna", last_name="Smit")
    target.wendy = make_user("wendy", first_name="Wendy", last_name="Visser", mfa=True)
    target.mark = make_user("mark", first_name="Mark", last_name="Mulder", mfa=True)
    target.bob = make_user("bob", first_name="Bob", last_name="Bos", mfa=True)
    target.olaf = make_user("olaf", first_name="Olaf", last_name="Dekker")
    target.root = make_user("root", first_name="Root", mfa=True, is_staff=True, is_superuser=True)
    target.police = Organisation.objects.create(name="Politie basisteam Testdorp", kind=OrganisationKind.POLICE)
    target.other_police = Organisation.objects.create(name="Politie basisteam Elders", kind=OrganisationKind.POLICE)
    target.gemeente = Organisation.objects.create(name="Gemeente Testdorp (OOV)", kind=OrganisationKind.MUNICIPALITY)
    StaffMembership.objects.create(organisation=target.police, user=target.wendy, title="wijkagent")
    StaffMembership.objects.create(organisation=target.other_police, user=target.bob, title="wijkagent")
    StaffMembership.objects.create(organisation=target.gemeente, user=target.mark, title="OOV-adviseur")
    Partnership.objects.create(community=target.buurt, organisation=target.police)
    Partnership.objects.create(community=target.buurt, organisation=target.gemeente)
    add_member(target.buurt, target.anna)
    add_member(target.buurt, target.cor, Role.COORDINATOR)
    add_member(target.buurt, target.ivo, Role.INITIATOR)
    add_member(target.buurt, target.fenna, Role.FACILITATOR)


CAST = ("anna", "cor", "ivo", "fenna", "wendy", "mark", "bob", "olaf", "root")


class SamenVeiligTestCase(TestCase):
    """A TestCase with the cast in place; `login_as("anna")` signs the test client in (None signs out)."""

    @classmethod
    def setUpTestData(cls) -> None:
        make_cast(cls)

    def login_as(self, who: str | None) -> None:
        self.client.logout()
        if who is not None:
            self.client.force_login(getattr(self, who))


class ApiTestCase(SamenVeiligTestCase):
    """The cast, and requests to the API as one of them (an API token each, made on first use; None: no token)."""

    def setUp(self) -> None:
        super().setUp()
        self._keys: dict[str, str] = {}

    def auth(self, who: Any) -> dict[str, str]:
        if who is None:
            return {}
        if who.username not in self._keys:
            from samenveilig.accounts.services import token_create

            self._keys[who.username] = token_create(user=who)[1]
        return {"HTTP_AUTHORIZATION": f"Bearer {self._keys[who.username]}"}

    def get(self, url: str, who: Any = None, **extra: Any) -> Any:
        return self.client.get(url, **self.auth(who), **extra)

    def post(self, url: str, body: dict, who: Any = None, **extra: Any) -> Any:
        return self.client.post(url, body, content_type="application/json", **self.auth(who), **extra)

    def put(self, url: str, body: dict, who: Any = None, **extra: Any) -> Any:
        return self.client.put(url, body, content_type="application/json", **self.auth(who), **extra)


def swap_sqlite_memory_for_a_file() -> Callable[[], None]:
    """For a test of concurrent writers: on SQLite the test database is in memory, shared by every thread through
    one cache (so threads see "database table is locked" instead of waiting, and a live server shares one
    connection). This copies it into a file for the test's duration, so each thread opens its own connection as
    the real server does (WAL, IMMEDIATE transactions, a busy timeout). Returns the function that puts the
    in-memory database back. Does nothing on PostgreSQL."""
    memory = connections["default"]
    if memory.vendor != "sqlite" or not memory.is_in_memory_db():
        return lambda: None
    folder = Path(tempfile.mkdtemp(prefix="sv-concurrency-"))
    path = folder / "test.sqlite3"
    memory.ensure_connection()
    with sqlite3.connect(path) as target:
        memory.connection.backup(target)  # the schema (and the migrations' rows), nothing of other tests
    saved = memory.settings_dict
    connections.settings["default"] = {**saved, "NAME": str(path)}
    connections["default"] = connections.create_connection("default")

    def restore() -> None:
        connections["default"].close()
        connections.settings["default"] = saved
        connections["default"] = memory
        shutil.rmtree(folder, ignore_errors=True)

    return restore
