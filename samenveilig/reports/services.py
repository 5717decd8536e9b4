"""Writes for reports: submission (validated, stored and routed in one transaction, idempotent), and the partner's
handling: statuses, notes, questions, forwards, feedback, ratings and reopening. Every change appends a ReportEvent.

Callers pass objects that passed a gate (reports.access, communities.access); these functions check the rules.
"""

import hashlib
import json
import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samenveilig.accounts.models import Organisation
from samenveilig.areas import geo
from samenveilig.areas import selectors as area_selectors
from samenveilig.communities import access as community_access
from samenveilig.communities.models import Community
from samenveilig.conversation import services as conversation
from samenveilig.core.audit import audit_record
from samenveilig.core.errors import Conflict, Invalid, NotFound
from samenveilig.core.permissions import OrganisationKind, Role
from samenveilig.core.photos import CleanPhoto
from samenveilig.core.tokens import new_token
from samenveilig.notifications import services as notifications
from samenveilig.notifications.models import Urgency as MessageUrgency
from samenveilig.reports import identity, routing
from samenveilig.reports.access import AUDIENCE_ROLES
from samenveilig.reports.descriptions import person_problems, vehicle_problems
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
    ReportPhoto,
    ReportRoute,
    ReportStatus,
    ReportType,
    ReportVehicle,
    RoutingRule,
    Urgency,
)

MAX_WHAT = 4000
MAX_TEXT = 4000
MAX_PERSONS = 10
MAX_VEHICLES = 10
MAX_AGE_DAYS = 365
CLOCK_SKEW = timedelta(minutes=10)
LOCATION_REQUIRED = {ReportType.URGENT, ReportType.OVERLAST}


# received → in progress → closed; closed → reopened → in progress.
TRANSITIONS: dict[str, set[str]] = {
    ReportStatus.RECEIVED: {ReportStatus.IN_PROGRESS},
    ReportStatus.IN_PROGRESS: {ReportStatus.CLOSED},
    ReportStatus.CLOSED: {ReportStatus.REOPENED},
    ReportStatus.REOPENED: {ReportStatus.IN_PROGRESS},
}


# --- input ------------------------------------------------------------------------------------------------------------
@dataclass
class ReportInput:
    """A report as the web form and the API deliver it, before the rules are checked."""

    type: str
    what: str = ""
    called_112: bool | None = None
    urgency: str = ""
    lat: float | None = None
    lon: float | None = None
    address: str = ""
    occurred_at: datetime | None = None
    persons: list[dict[str, Any]] = field(default_factory=list)
    vehicles: list[dict[str, Any]] = field(default_factory=list)
    anonymous: bool = False
    share_with_members: bool = True

    def fingerprint(self) -> str:
        """A hash of what was asked, to tell a replay (same key, same request) from a key used twice."""
        body = asdict(self)
        body["occurred_at"] = self.occurred_at.isoformat() if self.occurred_at else None
        return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def _clean(value: Any, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit] if value is not None else ""


def _location_problems(community: Community, data: ReportInput, problems: dict[str, list[str]]) -> Any:
    """Check the point; return the buurt it lies in (or None)."""
    if data.lat is None and data.lon is None:
        if data.type in LOCATION_REQUIRED:
            message = _("Say where it happens: put a pin on the map, use your location, or give an address.")
            problems.setdefault("location", []).append(message)
        return None
    if not geo.valid_latlon(data.lat, data.lon):
        problems.setdefault("location", []).append(_("Give a valid point on the map."))
        return None
    margin = settings.COMMUNITY_AREA_MARGIN_M
    if geo.distance_to_polygon_m(area_selectors.owner_shape(community), data.lat, data.lon) > margin:
        problems.setdefault("location", []).append(
            _(
                "This place lies outside the area of %(community)s (more than %(km)s km away). Choose a point in or "
                "near the community's area, or report to the community of that place."
            )
            % {"community": community.name, "km": f"{margin / 1000:g}"}
        )
        return None
    return area_selectors.buurt_at(lat=data.lat, lon=data.lon)


def report_check(*, community: Community, data: ReportInput, now: datetime | None = None) -> dict[str, Any]:
    """Check a report against every rule; raise Invalid with a Dutch message per field, or return the cleaned
    fields (what, persons, vehicles, buurt, occurred_at, urgency)."""
    now = now or timezone.now()
    problems: dict[str, list[str]] = {}
    if data.type not in ReportType.values:
        problems["type"] = [_("Choose one of: %(expected)s.") % {"expected": ", ".join(ReportType.values)}]
    what = (data.what or "").strip()
    if not what:
        problems["what"] = [_("Describe what happens: behaviour first.")]
    elif len(what) > MAX_WHAT:
        problems["what"] = [_("This text is too long (at most %(max)s characters).") % {"max": MAX_WHAT}]
    urgency = ""
    if data.type == ReportType.URGENT:
        if data.called_112 is None:
            problems["called_112"] = [_("Say whether you called 112: in an emergency, call 112 first.")]
        urgency = data.urgency or Urgency.SUSPICIOUS
        if urgency not in Urgency.values:
            problems["urgency"] = [_("Choose one of: %(expected)s.") % {"expected": ", ".join(Urgency.values)}]
    occurred_at = data.occurred_at or now
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > now + CLOCK_SKEW:
        problems["occurred_at"] = [_("This moment lies in the future.")]
    elif occurred_at < now - timedelta(days=MAX_AGE_DAYS):
        problems["occurred_at"] = [_("This moment lies more than a year ago.")]
    if len(data.persons) > MAX_PERSONS:
        problems["persons"] = [_("Describe at most %(max)s persons.") % {"max": MAX_PERSONS}]
    if len(data.vehicles) > MAX_VEHICLES:
        problems["vehicles"] = [_("Describe at most %(max)s vehicles.") % {"max": MAX_VEHICLES}]
    persons = [p for i, raw in enumerate(data.persons[:MAX_PERSONS]) if (p := person_problems(i, raw, problems))]
    vehicles = [v for i, raw in enumerate(data.vehicles[:MAX_VEHICLES]) if (v := vehicle_problems(i, raw, problems))]
    buurt = _location_problems(community, data, problems)
    if problems:
        raise Invalid(
            _("The report is not complete yet: see the fields marked."), code="report.invalid", fields=problems
        )
    return {
        "what": what,
        "persons": persons,
        "vehicles": vehicles,
        "buurt": buurt,
        "occurred_at": occurred_at,
        "urgency": urgency,
    }


# --- submission -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Submitted:
    report: Report
    created: bool  # False when the idempotency key was seen before: the first report is returned
    # What this call wrote, when it created the report (so an answer needs no second read); empty for a replay.
    persons: list[ReportPerson] = field(default_factory=list)
    vehicles: list[ReportVehicle] = field(default_factory=list)
    photos: list[ReportPhoto] = field(default_factory=list)
    events: list[ReportEvent] = field(default_factory=list)


def _replay(key: str, idempotency_key: UUID, fingerprint: str) -> Report | None:
    prior = Report.objects.filter(submitter_key=key, idempotency_key=idempotency_key).first()
    if prior is not None and prior.request_hash and prior.request_hash != fingerprint:
        raise Conflict(
            _("This idempotency key was already used for a different report. Use a new key for a new report."),
            code="report.idempotency_mismatch",
        )
    return prior


def report_submit(
    *,
    reporter: Any,
    community: Community,
    data: ReportInput,
    idempotency_key: UUID,
    photos: list[CleanPhoto] | tuple[CleanPhoto, ...] = (),
) -> Submitted:
    """Store a report once and route it, in one transaction. A replayed key returns the first report: the unique
    constraint on (reporter, key) decides, also while the first is still being written, and the loser reads the
    winner's report. A replay is checked like a first request (a reporter who is no longer a member gets 404), and
    the common case, a new key, costs no extra look-up.

    The reporter must be an active member of the community (communities.access, Need.VIEW as a member)."""
    key = identity.submitter_key(reporter)
    fingerprint = hashlib.sha256(f"{community.code}:{data.fingerprint()}".encode()).hexdigest()
    if community_access.standing_of(reporter, community).active_role is None:
        raise NotFound()  # only members report in a community; to anybody else it does not exist
    cleaned = report_check(community=community, data=data)
    cleaned["verdict"] = conversation.check_for(community, cleaned["what"])
    if len(photos) > settings.REPORT_MAX_PHOTOS:
        message = _("Add at most %(max)s photos.") % {"max": settings.REPORT_MAX_PHOTOS}
        raise Invalid(message, code="report.photo", fields={"photos": [message]})
    try:
        with transaction.atomic():
            submitted = _store(reporter, community, data, cleaned, key, idempotency_key, fingerprint)
            submitted.photos.extend(_store_photo(submitted.report, photo) for photo in photos)
            _route(submitted.report, community, reporter)
    except IntegrityError:
        if prior := _replay(key, idempotency_key, fingerprint):
            return Submitted(prior, False)
        raise
    return submitted


def _store(
    reporter: Any,
    community: Community,
    data: ReportInput,
    cleaned: dict[str, Any],
    key: str,
    idempotency_key: UUID,
    fingerprint: str,
) -> Submitted:
    point = {}
    if data.lat is not None and data.lon is not None:
        point = {"lat": data.lat, "lon": data.lon, "h3_r9": geo.cell_at(data.lat, data.lon, 9)}
    report = Report.objects.create(
        community=community,
        type=data.type,
        urgency=cleaned["urgency"],
        called_112=data.called_112 if data.type == ReportType.URGENT else None,
        what=cleaned["what"],
        occurred_at=cleaned["occurred_at"],
        address=_clean(data.address, 200),
        buurt=cleaned["buurt"],
        reporter=None if data.anonymous else reporter,
        anonymous=data.anonymous,
        submitter_key=key,
        reporter_sealed=identity.seal(reporter) if data.anonymous else "",
        idempotency_key=idempotency_key,
        request_hash=fingerprint,
        share_with_members=data.share_with_members if data.type == ReportType.URGENT else True,
        flags=list(cleaned["verdict"].flags),
        reasons=dict(cleaned["verdict"].reasons),
        **point,
    )
    persons = ReportPerson.objects.bulk_create(
        [ReportPerson(report=report, position=i, **p) for i, p in enumerate(cleaned["persons"])]
    )
    vehicles = ReportVehicle.objects.bulk_create(
        [ReportVehicle(report=report, position=i, **v) for i, v in enumerate(cleaned["vehicles"])]
    )
    event = ReportEvent.objects.create(report=report, kind=EventKind.SUBMITTED, status_to=ReportStatus.RECEIVED)
    return Submitted(report, True, persons=persons, vehicles=vehicles, events=[event])


def _store_photo(report: Report, photo: CleanPhoto) -> ReportPhoto:
    stored = ReportPhoto(
        report=report, content_type=photo.content_type, width=photo.width, height=photo.height, size=len(photo.content)
    )
    stored.file.save(f"{secrets.token_hex(16)}.{photo.extension}", ContentFile(photo.content), save=False)
    stored.save()
    return stored


def report_add_photo(*, report: Report, photo: CleanPhoto) -> ReportPhoto:
    """Add a photo to one's own report (the API sends photos after the report)."""
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.photos.count() >= settings.REPORT_MAX_PHOTOS:
            message = _("Add at most %(max)s photos.") % {"max": settings.REPORT_MAX_PHOTOS}
            raise Invalid(message, code="report.photo", fields={"photos": [message]})
        return _store_photo(locked, photo)


def _summary(report: Report) -> str:
    return report.what[:140]


def _link(report: Report) -> str:
    return reverse("reports:detail", args=[report.code])


def _route(report: Report, community: Community, reporter: Any) -> None:
    """Decide the recipients (ReportRoute rows) and give each person one notification. A report for all members
    appears in the community's conversation; when the checks flagged its description, the partners and the
    coordinators get it at once and the other members only after a coordinator has published it there."""
    rule = routing.cached_rule_for(community, report.type)
    audiences = routing.member_audiences(rule, share_with_members=report.share_with_members)
    held = bool(report.flags) and Audience.MEMBERS in audiences
    if held and Audience.COORDINATORS not in audiences:
        audiences = [*audiences, Audience.COORDINATORS]  # they decide whether the members see it
    organisations = routing.cached_organisations_for(
        community=community, kinds=rule.partner_kinds, buurt=report.buurt, deadline_for=report.type
    )
    routes = [ReportRoute(report=report, audience=a) for a in audiences]
    routes += [
        ReportRoute(
            report=report,
            audience=Audience.ORGANISATION,
            organisation=org,
            due_at=report.created_at + timedelta(hours=org.deadline_hours) if org.deadline_hours is not None else None,
        )
        for org in organisations
    ]
    ReportRoute.objects.bulk_create(routes)
    if Audience.MEMBERS in audiences:
        conversation.post_share_report(
            community=community, report_code=report.code, text=report.what, flags=report.flags, reasons=report.reasons
        )
    _notify_audiences(
        community,
        [a for a in audiences if not (held and a == Audience.MEMBERS)],
        [o.pk for o in organisations],
        exclude_id=reporter.pk,
        kind="report.routed",
        data={"type": report.type, "community": community.name, "summary": _summary(report)},
        report=report,
        urgency=MessageUrgency.URGENT if report.type == ReportType.URGENT else MessageUrgency.NORMAL,
    )


def _notify_audiences(
    community: Community,
    audiences: list[str],
    organisation_ids: list[int],
    *,
    exclude_id: int | None,
    kind: str,
    data: dict[str, Any],
    report: Report,
    urgency: str = MessageUrgency.NORMAL,
) -> None:
    """One notification for each person in these route audiences and organisations (written by the worker); an
    urgent report's goes out at once on every channel, also in quiet hours."""
    roles: set[str] = set().union(*(AUDIENCE_ROLES.get(a, set()) for a in audiences))
    notifications.notify_audience(
        urgency=urgency,
        community=community if roles else None,
        roles=() if roles == set(Role.values) else roles,
        organisation_ids=organisation_ids,
        exclude_id=exclude_id,
        kind=kind,
        data=data,
        link=_link(report),
        subject=("reports.report", str(report.code)),
    )


# --- routing rules ----------------------------------------------------------------------------------------------------
def routing_rule_set(
    *,
    community: Community,
    report_type: str,
    by: Any,
    to_members: bool,
    to_coordinators: bool,
    to_initiators: bool,
    partner_kinds: list[str],
) -> RoutingRule:
    """Change who receives reports of a type (coordinators, admins); the old and new rule are logged."""
    problems: dict[str, list[str]] = {}
    if report_type not in ReportType.values:
        problems["type"] = [_("Choose one of: %(expected)s.") % {"expected": ", ".join(ReportType.values)}]
    unknown = sorted(set(partner_kinds) - set(OrganisationKind.values))
    if unknown:
        problems["partner_kinds"] = [_("Unknown kinds of organisation: %(kinds)s.") % {"kinds": ", ".join(unknown)}]
    if not problems and not (to_members or to_coordinators or to_initiators or partner_kinds):
        problems["__all__"] = [_("Choose at least one recipient: a report must reach somebody.")]
    if problems:
        raise Invalid(_("The routing rule is not valid."), code="routing.invalid", fields=problems)
    with transaction.atomic():
        before = routing.rule_for(community, report_type)
        rule, _created = RoutingRule.objects.update_or_create(
            community=community,
            type=report_type,
            defaults={
                "to_members": to_members,
                "to_coordinators": to_coordinators,
                "to_initiators": to_initiators,
                "partner_kinds": [k for k in OrganisationKind.values if k in partner_kinds],
                "updated_by": by,
            },
        )
        audit_record(
            actor=by,
            action="routing.change",
            obj=community,
            type=report_type,
            before=before.as_dict(),
            after=routing.rule_from_row(rule).as_dict(),
        )
    return rule


# --- handling ---------------------------------------------------------------------------------------------------------
def _locked(report: Report) -> Report:
    locked = Report.objects.select_for_update().get(pk=report.pk)
    report.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return report


def _first_response(report: Report, now: datetime) -> None:
    if report.first_response_at is None:
        report.first_response_at = now


def _text(value: Any, *, field_name: str, required: bool, limit: int = MAX_TEXT) -> str:
    text = (value or "").strip()
    if required and not text:
        message = _("This field is required.")
        raise Invalid(message, code="invalid", fields={field_name: [message]})
    if len(text) > limit:
        message = _("This text is too long (at most %(max)s characters).") % {"max": limit}
        raise Invalid(message, code="invalid", fields={field_name: [message]})
    return text


def _notify_reporter(report: Report, *, kind: str, data: dict[str, Any]) -> None:
    if report.anonymous or report.reporter_id is None:
        keys, people = [report.submitter_key], []
    else:
        keys, people = [], [report.reporter_id]
    notifications.notify(
        recipients=people,
        recipient_keys=keys,
        kind=kind,
        data=data,
        link=_link(report),
        subject=("reports.report", str(report.code)),
    )


def report_transition(
    *,
    report: Report,
    by: Any,
    organisation: Organisation,
    status: str,
    outcome: str = "",
    note: str = "",
    confirm_without_feedback: bool = False,
) -> ReportEvent:
    """Move a report to another status (see TRANSITIONS); closing needs an outcome, and closing without any
    feedback to the reporter needs `confirm_without_feedback`. Refused transitions raise Conflict (409)."""
    if status not in ReportStatus.values:
        message = _("Choose one of: %(expected)s.") % {"expected": ", ".join(ReportStatus.values)}
        raise Invalid(message, code="report.unknown_status", fields={"status": [message]})
    note = _text(note, field_name="note", required=False)
    with transaction.atomic():
        _locked(report)
        current = report.status
        if status not in TRANSITIONS[current]:
            allowed = ", ".join(str(ReportStatus(s).label) for s in sorted(TRANSITIONS[current]))
            raise Conflict(
                _("A report that is %(current)s cannot become %(target)s; from here it can become: %(allowed)s.")
                % {"current": ReportStatus(current).label, "target": ReportStatus(status).label, "allowed": allowed},
                code="report.invalid_transition",
                fields={"status": [_("Not possible from the current status.")]},
            )
        if status == ReportStatus.CLOSED:
            if outcome not in Outcome.values:
                message = _("Choose the outcome: %(expected)s.") % {"expected": ", ".join(Outcome.values)}
                raise Invalid(message, code="report.outcome_required", fields={"outcome": [message]})
            has_feedback = report.feedback.exclude(to_reporter="").exists()
            if not has_feedback and not confirm_without_feedback:
                raise Conflict(
                    _(
                        "You are closing this report without any feedback to the reporter. Feedback keeps people "
                        "reporting: give feedback first, or confirm that you close it without."
                    ),
                    code="report.no_feedback",
                    fields={"confirm_without_feedback": [_("Confirm closing without feedback.")]},
                )
        elif outcome:
            message = _("An outcome belongs to closing a report.")
            raise Invalid(message, code="report.outcome_not_closing", fields={"outcome": [message]})
        now = timezone.now()
        _first_response(report, now)
        report.status = status
        if status == ReportStatus.CLOSED:
            report.outcome, report.closed_at = outcome, now
        elif status == ReportStatus.REOPENED:
            report.outcome, report.closed_at = "", None
        report.save(update_fields=["status", "outcome", "closed_at", "first_response_at", "updated_at"])
        event = ReportEvent.objects.create(
            report=report,
            kind=EventKind.STATUS,
            actor=by,
            organisation=organisation,
            status_from=current,
            status_to=status,
            outcome=outcome if status == ReportStatus.CLOSED else "",
        )
        if note:
            ReportEvent.objects.create(
                report=report, kind=EventKind.NOTE, actor=by, organisation=organisation, internal=True, text=note
            )
        _notify_reporter(report, kind="report.status", data={"status": status, "summary": _summary(report)})
    return event


def report_note_add(*, report: Report, by: Any, organisation: Organisation, text: str) -> ReportEvent:
    """An internal note: only the routed partners ever see it."""
    text = _text(text, field_name="text", required=True)
    return ReportEvent.objects.create(
        report=report, kind=EventKind.NOTE, actor=by, organisation=organisation, internal=True, text=text
    )


@transaction.atomic
def report_question_ask(*, report: Report, by: Any, organisation: Organisation, text: str) -> Question:
    """Ask the reporter something; it appears in their inbox and under "Mijn meldingen"."""
    text = _text(text, field_name="text", required=True, limit=2000)
    _locked(report)
    question = Question.objects.create(report=report, asked_by=by, organisation=organisation, text=text)
    ReportEvent.objects.create(
        report=report,
        kind=EventKind.QUESTION,
        actor=by,
        organisation=organisation,
        text=text,
        data={"question": str(question.code)},
    )
    _first_response(report, timezone.now())
    report.save(update_fields=["first_response_at", "updated_at"])
    _notify_reporter(report, kind="report.question", data={"organisation": organisation.name})
    return question


@transaction.atomic
def question_answer(*, question: Question, text: str) -> Question:
    """The reporter answers a question once; the answer joins the report's history."""
    text = _text(text, field_name="text", required=True, limit=2000)
    locked = Question.objects.select_for_update().get(pk=question.pk)
    if locked.answered_at is not None:
        raise Conflict(_("This question has already been answered."), code="report.question_answered")
    locked.answer, locked.answered_at = text, timezone.now()
    locked.save(update_fields=["answer", "answered_at"])
    ReportEvent.objects.create(
        report=question.report, kind=EventKind.ANSWER, text=text, data={"question": str(question.code)}
    )
    if locked.asked_by_id:
        notifications.notify(
            recipients=[locked.asked_by_id],
            kind="report.answer",
            data={"summary": text[:140]},
            link=_link(question.report),
            subject=("reports.report", str(question.report.code)),
        )
    return locked


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def report_forward(
    *, report: Report, by: Any, organisation: Organisation, recipient: str, message: str = ""
) -> tuple[ForwardLink, str]:
    """Forward a report to an outside party through a one-time link (no account needed). Returns the link and its
    token; the token is shown once and only its hash is kept."""
    recipient = _text(recipient, field_name="recipient", required=True, limit=200)
    message = _text(message, field_name="message", required=False, limit=2000)
    token = new_token()
    link = ForwardLink.objects.create(
        report=report,
        token_hash=_token_hash(token),
        recipient=recipient,
        message=message,
        created_by=by,
        organisation=organisation,
        expires_at=timezone.now() + timedelta(days=settings.REPORT_FORWARD_DAYS),
    )
    ReportEvent.objects.create(
        report=report,
        kind=EventKind.FORWARDED,
        actor=by,
        organisation=organisation,
        internal=True,
        text=message,
        data={"recipient": recipient, "forward": str(link.code)},
    )
    return link, token


def forward_by_token(token: str) -> ForwardLink:
    """The forward for a one-time link, if it is still usable; else NotFound (used, expired and unknown alike)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 64:
        raise NotFound()
    link = (
        ForwardLink.objects.select_related("report__community", "organisation")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if link is None or link.answered_at is not None or link.expires_at <= timezone.now():
        raise NotFound()
    return link


@transaction.atomic
def forward_answer(*, token: str, text: str) -> ForwardLink:
    """The outside party answers once; the answer comes back into the report's history (internal)."""
    link = forward_by_token(token)
    text = _text(text, field_name="text", required=True)
    locked = ForwardLink.objects.select_for_update().get(pk=link.pk)
    if locked.answered_at is not None:
        raise Conflict(_("This link has already been used."), code="report.forward_used")
    locked.answer, locked.answered_at = text, timezone.now()
    locked.save(update_fields=["answer", "answered_at"])
    ReportEvent.objects.create(
        report=link.report,
        kind=EventKind.FORWARD_ANSWER,
        organisation=link.organisation,
        internal=True,
        text=text,
        data={"recipient": link.recipient, "forward": str(link.code)},
    )
    if locked.created_by_id:
        notifications.notify(
            recipients=[locked.created_by_id],
            kind="report.forward_answer",
            data={"recipient": link.recipient},
            link=_link(link.report),
            subject=("reports.report", str(link.report.code)),
        )
    return locked


@transaction.atomic
def feedback_give(
    *, report: Report, by: Any, organisation: Organisation, to_reporter: str = "", to_community: str = ""
) -> Feedback:
    """Terugkoppeling: to the reporter, and optionally a general message for the community (no personal details;
    the community sees it with the report)."""
    to_reporter = _text(to_reporter, field_name="to_reporter", required=False)
    to_community = _text(to_community, field_name="to_community", required=False)
    if not to_reporter and not to_community:
        message = _("Write feedback for the reporter, for the community, or both.")
        raise Invalid(message, code="report.feedback_empty", fields={"to_reporter": [message]})
    if to_community and not (verdict := conversation.check_for(report.community, to_community)).clean:
        # The whole community reads it: the same checks as a member's post, refused here so the partner can
        # rephrase at once (personal details belong in the feedback to the reporter).
        message = _("The message to the community was not sent: %(reasons)s") % {
            "reasons": " ".join(verdict.reasons.values())
        }
        raise Invalid(message, code="report.feedback_flagged", fields={"to_community": [message]})
    _locked(report)
    feedback = Feedback.objects.create(
        report=report, author=by, organisation=organisation, to_reporter=to_reporter, to_community=to_community
    )
    ReportEvent.objects.create(
        report=report,
        kind=EventKind.FEEDBACK,
        actor=by,
        organisation=organisation,
        text=to_reporter,
        community_text=to_community,
        data={"feedback": str(feedback.code)},
    )
    _first_response(report, timezone.now())
    report.save(update_fields=["first_response_at", "updated_at"])
    if to_reporter:
        _notify_reporter(report, kind="report.feedback", data={"organisation": organisation.name})
    if to_community:
        audiences = list(report.routes.exclude(audience=Audience.ORGANISATION).values_list("audience", flat=True))
        if Audience.MEMBERS in audiences:
            conversation.post_share_feedback(
                community=report.community, report_code=report.code, by=by, organisation=organisation, text=to_community
            )
        _notify_audiences(
            report.community,
            audiences,
            [],
            exclude_id=report.reporter_id,
            kind="report.community_feedback",
            data={"organisation": organisation.name, "community": report.community.name, "summary": to_community[:140]},
            report=report,
            # Handbook 3.3.4: incidents are fed back at once, trends may wait: on a non-urgent report the members'
            # update is a digest message (in the inbox at once, on e-mail/SMS/push in their weekly or monthly digest).
            urgency=MessageUrgency.NORMAL if report.type == ReportType.URGENT else MessageUrgency.DIGEST,
        )
    return feedback


@transaction.atomic
def feedback_rate(*, feedback: Feedback, helpful: bool, reason: str = "") -> Feedback:
    """The reporter's one-tap rating. "Not helpful" on a closed report becomes a request to reopen, which a person
    at the partner decides on (one open request at a time)."""
    reason = _text(reason, field_name="reason", required=False, limit=2000)
    locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
    locked.helpful, locked.rated_at = helpful, timezone.now()
    locked.save(update_fields=["helpful", "rated_at"])
    report = feedback.report
    ReportEvent.objects.create(
        report=report,
        kind=EventKind.RATING,
        text=reason,
        organisation=locked.organisation,
        data={"feedback": str(locked.code), "helpful": helpful},
    )
    pending = report.reopen_requests.filter(decision=ReopenRequest.Decision.PENDING).exists()
    if not helpful and report.status == ReportStatus.CLOSED and not pending:
        ReopenRequest.objects.create(report=report, feedback=locked, reason=reason)
        ReportEvent.objects.create(report=report, kind=EventKind.REOPEN_REQUEST, text=reason)
        organisation_ids = report.routes.filter(organisation__isnull=False).values_list("organisation_id", flat=True)
        notifications.notify_audience(
            organisation_ids=list(organisation_ids),
            kind="report.reopen_request",
            data={"summary": reason[:140] or _summary(report)},
            link=_link(report),
            subject=("reports.report", str(report.code)),
        )
    return locked


@transaction.atomic
def reopen_decide(
    *, request: ReopenRequest, by: Any, organisation: Organisation, reopen: bool, note: str = ""
) -> ReopenRequest:
    """A person at the partner decides on a request to reopen: reopen the report, or decline (with a reason that the
    reporter sees)."""
    note = _text(note, field_name="note", required=not reopen, limit=2000)
    locked = ReopenRequest.objects.select_for_update().get(pk=request.pk)
    if locked.decision != ReopenRequest.Decision.PENDING:
        raise Conflict(_("This request has already been decided."), code="report.reopen_decided")
    locked.decision = ReopenRequest.Decision.REOPENED if reopen else ReopenRequest.Decision.DECLINED
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.save(update_fields=["decision", "decided_by", "decided_at"])
    report = request.report
    ReportEvent.objects.create(
        report=report,
        kind=EventKind.REOPEN_DECISION,
        actor=by,
        organisation=organisation,
        text=note,
        data={"reopen": reopen},
    )
    if reopen:
        report_transition(report=report, by=by, organisation=organisation, status=ReportStatus.REOPENED)
    return locked


def deadline_set(
    *, organisation: Organisation, report_type: str, hours: int | None, by: Any
) -> HandlingDeadline | None:
    """Set (or with None remove) how many hours the organisation takes at most for a report type."""
    if report_type not in ReportType.values:
        message = _("Choose one of: %(expected)s.") % {"expected": ", ".join(ReportType.values)}
        raise Invalid(message, code="invalid", fields={"type": [message]})
    if hours is not None and not (isinstance(hours, int) and 1 <= hours <= 24 * 90):
        message = _("Give a number of hours from 1 to %(max)s.") % {"max": 24 * 90}
        raise Invalid(message, code="invalid", fields={"hours": [message]})
    with transaction.atomic():
        if hours is None:
            HandlingDeadline.objects.filter(organisation=organisation, type=report_type).delete()
            result = None
        else:
            result, _created = HandlingDeadline.objects.update_or_create(
                organisation=organisation, type=report_type, defaults={"hours": hours}
            )
        audit_record(actor=by, action="deadline.change", obj=organisation, type=report_type, hours=hours)
    return result


@transaction.atomic
def report_reveal_reporter(*, report: Report, by: Any, reason: str) -> Any:
    """Open the sealed link to an anonymous reporter for abuse handling (admins only, behind the REVEAL gate).
    The opening is logged with its reason before the person is returned."""
    from samenveilig.accounts.models import User

    reason = _text(reason, field_name="reason", required=True, limit=1000)
    if report.anonymous:
        code = identity.unseal(report.reporter_sealed)
        user = User.objects.filter(code=code).first() if code else None
    else:
        user = report.reporter
    audit_record(actor=by, action="report.reveal_reporter", obj=report, reason=reason, found=user is not None)
    return user
