"""What the start page shows a signed-in person: what waits for them (an unanswered question on their report,
unread messages, an open alert, new and overdue reports for their organisation, requests to reopen, people asking
to join a community they coordinate), their communities with their role, and their latest reports.

Only reads through the other apps' selectors, so each rule stays where it lives; a part that does not apply to
the person (the inbox for a resident) costs no query."""

from dataclasses import dataclass, field
from typing import Any

from samenveilig.alerts import selectors as alerts
from samenveilig.communities import selectors as communities
from samenveilig.communities.models import Community, MembershipStatus
from samenveilig.core.permissions import Role
from samenveilig.notifications.selectors import unread_count
from samenveilig.reports import selectors as reports
from samenveilig.reports.models import Report, ReportStatus

RECENT_REPORTS = 3


@dataclass
class Waiting:
    """One thing that waits for the person: how many, and where to go."""

    kind: str
    count: int
    community: Community | None = None


@dataclass
class StartOverview:
    waiting: list[Waiting] = field(default_factory=list)
    communities: list[Community] = field(default_factory=list)  # each with `my_role_label` and `my_pending`
    recent_reports: list[Report] = field(default_factory=list)
    partner: bool = False


def start_overview(viewer: Any) -> StartOverview:
    """The start page of a signed-in person."""
    overview = StartOverview()
    mine = reports.reports_of_reporter(viewer)
    overview.recent_reports = list(mine[:RECENT_REPORTS])
    _count(overview, "questions", mine.filter(open_questions=True).count())
    _count(overview, "messages", unread_count(viewer))
    _count(overview, "alerts", sum(1 for a in alerts.alerts_for(viewer) if a.open and a.view == "recipient"))

    overview.partner = bool(reports.inbox_organisations(viewer))
    if overview.partner:
        _count(overview, "inbox_new", reports.reports_for_inbox(viewer=viewer, status=ReportStatus.RECEIVED).count())
        _count(overview, "inbox_overdue", reports.reports_for_inbox(viewer=viewer, overdue=True).count())
        _count(overview, "reopen_requests", reports.pending_reopen_requests(viewer).count())

    memberships = communities.memberships_of(viewer)
    overview.communities = list(communities.communities_for_user(viewer))
    for community in overview.communities:
        membership = memberships.get(community.pk)  # None: through a partner organisation
        community.my_role_label = Role(membership.role).label if membership else ""
        community.my_pending = bool(membership and membership.status == MembershipStatus.PENDING)
    overview.waiting += [
        Waiting("members_asking", c.asking, community=c) for c in communities.join_requests_to_decide(viewer)
    ]
    return overview


def _count(overview: StartOverview, kind: str, count: int) -> None:
    if count:
        overview.waiting.append(Waiting(kind, count))
