"""Reads for reports, always scoped to the viewer: the partner inbox, "Mijn meldingen", what a community sees, one
report's timeline as each view may see it, and possible duplicates nearby."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import h3
from django.db.models import Case, Exists, IntegerField, Min, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from samenveilig.accounts.models import Organisation, StaffMembership
from samenveilig.areas import geo
from samenveilig.communities.models import Community, Membership, MembershipStatus
from samenveilig.conversation import selectors as conversation_selectors
from samenveilig.core.audit import audit_record
from samenveilig.reports import identity, routing
from samenveilig.reports.access import AUDIENCE_ROLES
from samenveilig.reports.models import (
    Audience,
    EventKind,
    Feedback,
    HandlingDeadline,
    Question,
    ReopenRequest,
    Report,
    ReportEvent,
    ReportRoute,
    ReportStatus,
    ReportType,
)

DUPLICATE_RADIUS_M = 50
DUPLICATE_WINDOW = timedelta(hours=24)
OPEN = [ReportStatus.RECEIVED, ReportStatus.IN_PROGRESS, ReportStatus.REOPENED]


# --- the partner inbox ------------------------------------------------------------------------------------------------
def inbox_communities(viewer: Any) -> list[Community]:
    """The communities of the reports in the person's inbox (for its filter), by name."""
    return list(
        Community.objects.filter(reports__routes__organisation__staff__user=viewer)
        .distinct()
        .order_by("name")
        .only("pk", "code", "name")
    )


def due_for(routes: Any, organisations: Any) -> datetime | None:
    """The earliest handling deadline among a report's routes (`routes`) to these organisations, or None."""
    mine = {o.pk for o in organisations}
    return min((r.due_at for r in routes if r.organisation_id in mine and r.due_at), default=None)


def inbox_organisations(viewer: Any) -> list[Organisation]:
    if not getattr(viewer, "is_authenticated", False):
        return []
    return list(Organisation.objects.filter(staff__user=viewer).order_by("name"))


def reports_for_inbox(
    *,
    viewer: Any,
    organisation: Organisation | None = None,
    status: str | None = None,
    type: str | None = None,  # noqa: A002 - the API's name
    community: Community | None = None,
    max_age_days: int | None = None,
    overdue: bool | None = None,
) -> QuerySet[Report]:
    """The reports routed to the organisations the viewer works for (or one of them), open urgent ones first, then
    newest first. Each carries `due_at` (the earliest handling deadline of the viewer's organisations) and
    `overdue`. Filters: status, type, community, age in days, overdue only."""
    orgs = StaffMembership.objects.filter(user=viewer).values("organisation_id")
    if organisation is not None:
        orgs = orgs.filter(organisation=organisation)
    routed = ReportRoute.objects.filter(organisation_id__in=orgs)
    now = timezone.now()
    qs = (
        Report.objects.filter(pk__in=routed.values("report_id"))
        .select_related("community", "buurt")
        .annotate(
            due_at=Min("routes__due_at", filter=Q(routes__organisation_id__in=orgs)),
            urgent_open=Case(
                When(type=ReportType.URGENT, status__in=OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
    )
    if status:
        qs = qs.filter(status=status)
    if type:
        qs = qs.filter(type=type)
    if community is not None:
        qs = qs.filter(community=community)
    if max_age_days:
        qs = qs.filter(created_at__gte=now - timedelta(days=max_age_days))
    if overdue:
        qs = qs.filter(status__in=OPEN, due_at__lt=now)
    return qs.order_by("urgent_open", "-created_at", "-pk")


def is_overdue(report: Report, now: datetime | None = None) -> bool:
    due = getattr(report, "due_at", None)
    return bool(due and report.status in OPEN and due < (now or timezone.now()))


# --- the reporter's own -----------------------------------------------------------------------------------------------
def reports_of_reporter(viewer: Any) -> QuerySet[Report]:
    """The viewer's own reports, anonymous ones included (found by their pseudonym), newest first."""
    if not getattr(viewer, "is_authenticated", False):
        return Report.objects.none()
    mine = Q(reporter=viewer) | Q(submitter_key=identity.submitter_key(viewer))
    unanswered = Question.objects.filter(report=OuterRef("pk"), answered_at__isnull=True)
    return (
        Report.objects.filter(mine)
        .select_related("community")
        .annotate(open_questions=Exists(unanswered))
        .order_by("-created_at", "-pk")
    )


# --- what a member sees -----------------------------------------------------------------------------------------------
def reports_for_member(*, viewer: Any, community: Community) -> QuerySet[Report]:
    """The community's reports that were routed to the viewer's role in it (all members, coordinators,
    initiators), newest first. Nothing for somebody without an active role."""
    role = (
        Membership.objects.filter(community=community, user=viewer, status=MembershipStatus.ACTIVE)
        .values_list("role", flat=True)
        .first()
    )
    if role is None:
        return Report.objects.none()
    audiences = [a for a, roles in AUDIENCE_ROLES.items() if role in roles and a != Audience.MEMBERS]
    routed = ReportRoute.objects.filter(audience__in=audiences).values("report_id")
    to_all = ReportRoute.objects.filter(audience=Audience.MEMBERS).values("report_id")
    shared = conversation_selectors.shared_report_codes(community)  # flagged ones once a coordinator published them
    return (
        Report.objects.filter(community=community)
        .filter(Q(pk__in=routed) | Q(pk__in=to_all) & (Q(flags=[]) | Q(code__in=shared)))
        .order_by("-created_at", "-pk")
    )


# --- one report -------------------------------------------------------------------------------------------------------
def report_timeline(report: Report, *, view: str) -> list[ReportEvent]:
    """The events of a report as a view may see them: partners and admins everything; the reporter everything but
    internal events; members only status changes and feedback with a message to the community."""
    qs = ReportEvent.objects.filter(report=report).select_related("organisation", "actor").order_by("created_at", "pk")
    if view in ("partner", "admin"):
        return list(qs)
    if view == "reporter":
        return list(qs.filter(internal=False))
    if view == "member":
        return list(
            qs.filter(
                Q(kind__in=[EventKind.SUBMITTED, EventKind.STATUS]) | Q(kind=EventKind.FEEDBACK) & ~Q(community_text="")
            )
        )
    return []


def report_feedback(report: Report) -> QuerySet[Feedback]:
    return Feedback.objects.filter(report=report).select_related("organisation").order_by("created_at", "pk")


def report_questions(report: Report) -> QuerySet[Question]:
    return Question.objects.filter(report=report).select_related("organisation").order_by("asked_at", "pk")


def report_reopen_requests(report: Report) -> QuerySet[ReopenRequest]:
    return ReopenRequest.objects.filter(report=report).order_by("created_at", "pk")


def report_routes(report: Report) -> QuerySet[ReportRoute]:
    return ReportRoute.objects.filter(report=report).select_related("organisation").order_by("audience", "pk")


def reporter_for_partner(*, report: Report, viewer: Any, organisation: Organisation) -> dict[str, str] | None:
    """The reporter's name and contact for a partner who handles the report, or None when it is anonymous. The
    read is personal data and is logged (DESIGN.md §3 J)."""
    if report.anonymous or report.reporter is None:
        return None
    person = report.reporter
    audit_record(actor=viewer, action="report.reporter_read", obj=report, organisation=str(organisation.code))
    return {"name": person.get_full_name() or person.first_name, "email": person.email, "phone": person.phone}


@dataclass(frozen=True)
class Durations:
    first_response: timedelta | None
    closing: timedelta | None


def report_durations(report: Report) -> Durations:
    """Time from submission to the first partner response and to closing."""
    return Durations(
        first_response=report.first_response_at - report.created_at if report.first_response_at else None,
        closing=report.closed_at - report.created_at if report.closed_at else None,
    )


def possible_duplicates(*, report: Report, viewer: Any) -> list[Report]:
    """Reports of the same type within about 50 m and 24 hours of this one, routed to an organisation the viewer
    works for: a hint for the partner, never an extra step for the reporter."""
    if report.lat is None or report.h3_r9 is None:
        return []
    cells = [h3.str_to_int(c) for c in h3.grid_disk(h3.int_to_str(report.h3_r9), 1)]
    orgs = StaffMembership.objects.filter(user=viewer).values("organisation_id")
    candidates = (
        Report.objects.filter(
            type=report.type,
            h3_r9__in=cells,
            created_at__gte=report.created_at - DUPLICATE_WINDOW,
            created_at__lte=report.created_at + DUPLICATE_WINDOW,
            routes__organisation_id__in=orgs,
        )
        .exclude(pk=report.pk)
        .distinct()
        .select_related("community")
        .order_by("created_at", "pk")
    )
    return [c for c in candidates if geo.haversine_m(report.lat, report.lon, c.lat, c.lon) <= DUPLICATE_RADIUS_M]


def pending_reopen_requests(viewer: Any) -> QuerySet[ReopenRequest]:
    """Requests to reopen, waiting for a decision, on reports routed to the viewer's organisations."""
    orgs = StaffMembership.objects.filter(user=viewer).values("organisation_id")
    return (
        ReopenRequest.objects.filter(decision=ReopenRequest.Decision.PENDING, report__routes__organisation_id__in=orgs)
        .distinct()
        .select_related("report__community")
        .order_by("created_at", "pk")
    )


def deadlines_of(organisation: Organisation) -> dict[str, int | None]:
    hours = dict(HandlingDeadline.objects.filter(organisation=organisation).values_list("type", "hours"))
    return {t: hours.get(t) for t in ReportType.values}


def routing_rules(community: Community) -> dict[str, routing.Rule]:
    return routing.rules_for(community)


def audience_label(audience: str) -> str:
    return str(Audience(audience).label)
