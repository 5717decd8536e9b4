"""The scenario of `samenveilig bench reports` (samenveilig/core/management/commands/bench.py runs it).

Inside the benchmark's fresh installation, `seed()` builds a community of a few hundred active members in one
buurt, with two coordinators and a police team (three staff) that works in the buurt and is a partner of the
community, all through the real services and test helpers. Every load client reports as a member of its own, with a
Bearer token of its own. `report_body()` is the urgent report each client sends, with a fresh Idempotency-Key per
request; the default routing sends it to the coordinators, the police and all members (the SAAR "App" step), so
each report is stored, routed and fanned out to a few hundred inboxes in its transaction.

`tally()` counts what was stored, so the benchmark can check that every accepted request stored exactly one report,
and that the worker wrote one notification per recipient of each (the fan-out follows the report's transaction).
"""

from typing import Any

from django.db import transaction

MEMBERS = 300
POLICE_STAFF = 3
# A point inside the buurt Noord of samenveilig.core.testing.make_areas.
POINT = {"lat": 52.095, "lon": 5.11}


def seed(*, clients: int, members: int = MEMBERS) -> dict[str, Any]:
    """Build the community and `clients` reporters with a token each; return its code and the tokens."""
    from samenveilig.accounts.models import Organisation, StaffMembership, User
    from samenveilig.accounts.services import token_create
    from samenveilig.communities import services as community_services
    from samenveilig.communities.models import Partnership
    from samenveilig.core.permissions import OrganisationKind, Role
    from samenveilig.core.testing import add_member, make_areas

    members = max(members, clients + 2)
    with transaction.atomic():
        areas = make_areas()
        community = community_services.community_create(
            name="Buurtpreventie Bench", kind="whatsapp", municipality=areas["gemeente"], buurten=[areas["noord"]]
        )
        # Unusable passwords: hashing 300 passwords would take longer than the benchmark.
        people = [
            User(username=f"bench{n}", email=f"bench{n}@example.org", first_name=f"Bench{n}") for n in range(members)
        ]
        for person in people:
            person.set_unusable_password()
        User.objects.bulk_create(people)
        people = list(User.objects.filter(username__startswith="bench").order_by("pk"))
        for n, person in enumerate(people):
            add_member(community, person, Role.COORDINATOR if n < 2 else Role.PARTICIPANT)
        police = Organisation.objects.create(name="Politie basisteam Bench", kind=OrganisationKind.POLICE)
        police.areas.add(areas["wijk"])
        Partnership.objects.create(community=community, organisation=police)
        staff = [
            User(username=f"agent{n}", email=f"agent{n}@example.org", first_name=f"Agent{n}")
            for n in range(POLICE_STAFF)
        ]
        for person in staff:
            person.set_unusable_password()
        User.objects.bulk_create(staff)
        for person in User.objects.filter(username__startswith="agent"):
            StaffMembership.objects.create(organisation=police, user=person, title="wijkagent")
        reporters = people[2 : 2 + clients]
        tokens = [token_create(user=person, name="bench")[1] for person in reporters]
    return {
        "community": str(community.code),
        "members": members,
        "police_staff": POLICE_STAFF,
        "recipients_per_report": members - 1 + POLICE_STAFF,  # everybody but the reporter
        "tokens": tokens,
    }


def report_body(community: str) -> dict[str, Any]:
    """A valid urgent report (SAAR: 112 called, behaviour first, one person, one vehicle, a point in the buurt)."""
    return {
        "community": community,
        "type": "urgent",
        "called_112": True,
        "what": "Twee personen lopen langs de achterdeuren en voelen aan de deurklinken.",
        "location": POINT,
        "persons": [{"sex": "man", "age": "ca. 25", "top": "zwarte hoodie", "bottom": "grijze joggingbroek"}],
        "vehicles": [{"kind": "scooter", "make": "Piaggio", "colour": "wit", "plate": "GF-123-K"}],
        "anonymous": False,
    }


def tally() -> dict[str, int]:
    """What the installation stored: reports, their distinct idempotency keys, routes, notifications, floor rows."""
    from samenveilig.core.models import BenchProbe
    from samenveilig.notifications.models import Fanout, Notification
    from samenveilig.reports.models import Report, ReportRoute

    reports = Report.objects.all()
    return {
        "reports": reports.count(),
        "report_keys": reports.values("submitter_key", "idempotency_key").distinct().count(),
        "routes": ReportRoute.objects.count(),
        "notifications": Notification.objects.count(),
        "fanouts_pending": Fanout.objects.filter(done_at__isnull=True).count(),
        "floor_rows": BenchProbe.objects.count(),
    }
