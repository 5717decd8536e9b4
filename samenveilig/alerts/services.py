"""Writes for alerts: sending (checked, stored and handed to the fan-out in one transaction, idempotent), answers,
updates, closing with the outcome, expiry, and the retention of answers (docs/alerts.md).

Rules (issue 7): the police send every kind inside their working area; a coordinator sends a warning or witness
call inside their own community's area, to its members, with 112 confirmed when urgent, at most
ALERT_COORDINATOR_LIMIT per coordinator and community per 24 hours, and the police of the area get a copy.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samenveilig.accounts.models import Organisation, StaffMembership
from samenveilig.alerts import access, targeting
from samenveilig.alerts.audiences import SENT_KIND, SUBJECT_TYPE, target_of
from samenveilig.alerts.models import (
    COORDINATOR_KINDS,
    URGENT_KINDS,
    Alert,
    AlertKind,
    AlertOutcome,
    AlertPhoto,
    AlertResponse,
    AlertUpdate,
    ResponseKind,
    SentAs,
    TargetKind,
)
from samenveilig.areas import geo
from samenveilig.areas import selectors as area_selectors
from samenveilig.areas.models import Area, AreaKind
from samenveilig.communities.models import Community, Membership, MembershipStatus
from samenveilig.core.audit import audit_record
from samenveilig.core.errors import Conflict, Forbidden, Invalid, NotFound, TooMany
from samenveilig.core.permissions import OrganisationKind, Role
from samenveilig.core.photos import CleanPhoto
from samenveilig.live import events as live
from samenveilig.moderation import checks
from samenveilig.notifications import services as notifications
from samenveilig.notifications.models import Urgency
from samenveilig.reports.descriptions import person_problems, vehicle_problems

MIN_RADIUS_M, MAX_RADIUS_M = 100, 5_000
MIN_VALID_MINUTES, MAX_VALID_MINUTES, DEFAULT_VALID_MINUTES = 10, 24 * 60, 60
MAX_TITLE, MAX_TEXT, MAX_ANSWER, MAX_OUTCOME = 120, 2_000, 1_000, 500
MAX_PERSONS = MAX_VEHICLES = 5
MAX_BUURTEN = 50
# Flags that stop a text: a description by origin alone, a call to take the law into one's own hands. The others
# (personal data: a missing child's name is the point of the alert) are kept with the alert for the record.
BLOCKING_FLAGS = (checks.STIGMATISERING, checks.EIGENRICHTING)
CLOSING_OUTCOMES = tuple(o for o in AlertOutcome.values if o != AlertOutcome.EXPIRED)


# --- input ------------------------------------------------------------------------------------------------------------
@dataclass
class AlertInput:
    """An alert as the web form and the API deliver it, before the rules are checked."""

    kind: str
    title: str = ""
    text: str = ""
    persons: list[dict[str, Any]] = field(default_factory=list)
    vehicles: list[dict[str, Any]] = field(default_factory=list)
    urgent: bool | None = None  # None: urgent for suspects, vehicles and missing persons
    called_112: bool | None = None
    target: str = TargetKind.RADIUS
    lat: float | None = None
    lon: float | None = None
    radius_m: float | None = None
    buurten: list[str] = field(default_factory=list)  # CBS codes
    community: str = ""  # code or slug: the coordinator's community, or the community a police alert targets
    organisation: str = ""  # the police organisation's code, when the sender works for more than one
    valid_minutes: int = DEFAULT_VALID_MINUTES

    def fingerprint(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class Checked:
    """A checked alert, ready to store: who sends it as what, the cleaned texts and the resolved target."""

    sent_as: str
    organisation: Organisation | None
    community: Community | None
    kind: str
    title: str
    text: str
    persons: list[dict[str, Any]]
    vehicles: list[dict[str, Any]]
    urgent: bool
    called_112: bool | None
    target: targeting.Target
    buurten: list[Area]
    valid_until: datetime
    flags: list[str]


def _problem(problems: dict[str, list[str]], name: str, message: str) -> None:
    problems.setdefault(name, []).append(message)


def text_verdict(text: str, *, field_name: str, problems: dict[str, list[str]]) -> list[str]:
    """The moderation checks on an alert's text or an answer: a blocking flag is a problem with its reason (the
    same rule as for residents: nobody is described by origin alone); returns the flags."""
    verdict = checks.check_text(text, skip=(checks.IRRELEVANT,))
    for flag in BLOCKING_FLAGS:
        if flag in verdict.flags:
            _problem(
                problems,
                field_name,
                _("This text cannot go out like this: %(reason)s") % {"reason": verdict.reasons.get(flag, flag)},
            )
    return list(verdict.flags)


def _police_organisations(user: Any) -> list[Organisation]:
    return list(
        Organisation.objects.filter(
            kind=OrganisationKind.POLICE, pk__in=StaffMembership.objects.filter(user_id=user.pk).values("organisation")
        ).order_by("pk")
    )


def _community(value: str) -> Community | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return Community.objects.filter(code=UUID(value)).first()
    except ValueError:
        return Community.objects.filter(slug=value).first()


def _coordinator_membership(user: Any, community: Community | None) -> Membership | None:
    if community is None:
        return None
    return Membership.objects.filter(
        user_id=user.pk, community=community, role=Role.COORDINATOR, status=MembershipStatus.ACTIVE
    ).first()


def sender_role(user: Any, data: AlertInput) -> tuple[str, Organisation | None, Community | None]:
    """As whom the person sends: the police (staff of a police organisation) or a coordinator of `data.community`.
    Anybody else: Forbidden with a clear message."""
    police = _police_organisations(user)
    community = _community(data.community)
    if police and not (community and _coordinator_membership(user, community) and not data.organisation):
        if data.organisation:
            chosen = [o for o in police if str(o.code) == str(data.organisation)]
            if not chosen:
                message = _("Choose a police organisation you work for.")
                raise Invalid(message, code="alert.invalid", fields={"organisation": [message]})
            return SentAs.POLICE, chosen[0], community
        return SentAs.POLICE, police[0], community
    if _coordinator_membership(user, community):
        return SentAs.COORDINATOR, None, community
    raise Forbidden(
        _("Only the police and a community's coordinators send alerts. Seen something? Make a report instead."),
        code="alert.forbidden",
    )


def _working_area_ids(organisation: Organisation) -> set[int]:
    return set(organisation.areas.values_list("pk", flat=True))


def _within_working_area(organisation: Organisation, areas: list[Area]) -> bool:
    """True when one of the areas (with their parents) is in the organisation's working area, or it has none set."""
    working = _working_area_ids(organisation)
    if not working:
        return True
    ids = set()
    for area in areas:
        ids.add(area.pk)
        ids.update(a.pk for a in area_selectors.area_ancestors(area))
    return bool(ids & working)


def _check_target(
    data: AlertInput, sent_as: str, organisation: Organisation | None, community: Community | None, problems: Any
) -> tuple[targeting.Target | None, list[Area]]:
    kind = data.target
    if kind not in TargetKind.values:
        _problem(problems, "target", _("Choose one of: %(expected)s.") % {"expected": ", ".join(TargetKind.values)})
        return None, []
    buurten: list[Area] = []
    lat, lon, radius = data.lat, data.lon, data.radius_m
    if kind == TargetKind.RADIUS:
        if not geo.valid_latlon(lat, lon):
            _problem(problems, "location", _("Put the centre of the alert on the map."))
            return None, []
        ok = isinstance(radius, int | float) and not isinstance(radius, bool) and radius == radius
        if not ok or not MIN_RADIUS_M <= radius <= MAX_RADIUS_M:
            _problem(
                problems,
                "radius_m",
                _("Choose a radius from %(min)d m to %(max)d km.") % {"min": MIN_RADIUS_M, "max": MAX_RADIUS_M // 1000},
            )
            return None, []
        areas = area_selectors.areas_at(lat=lat, lon=lon)
        if not any(a.kind == AreaKind.MUNICIPALITY for a in areas):
            _problem(problems, "location", _("This point lies outside the municipality. Choose a point inside it."))
            return None, []
        if organisation is not None and not _within_working_area(organisation, areas):
            _problem(
                problems,
                "location",
                _("This point lies outside the working area of %(organisation)s.") % {"organisation": organisation},
            )
            return None, []
        if sent_as == SentAs.COORDINATOR and not area_selectors.owner_shape(community).covers(geo_point(lat, lon)):
            _problem(
                problems,
                "location",
                _("As a coordinator you send alerts only inside the area of %(community)s.") % {"community": community},
            )
            return None, []
    elif kind == TargetKind.BUURTEN:
        codes = sorted({str(c).strip() for c in data.buurten if str(c).strip()})
        if not codes or len(codes) > MAX_BUURTEN:
            _problem(problems, "buurten", _("Choose one or more buurten (at most %(max)d).") % {"max": MAX_BUURTEN})
            return None, []
        buurten = list(Area.objects.filter(code__in=codes, kind=AreaKind.BUURT).defer("geometry"))
        if len(buurten) != len(codes):
            unknown = sorted(set(codes) - {b.code for b in buurten})
            _problem(problems, "buurten", _("Unknown buurt: %(codes)s.") % {"codes": ", ".join(unknown)})
            return None, []
        if organisation is not None and not all(_within_working_area(organisation, [b]) for b in buurten):
            _problem(
                problems,
                "buurten",
                _("These buurten lie outside the working area of %(organisation)s.") % {"organisation": organisation},
            )
            return None, []
        if sent_as == SentAs.COORDINATOR:
            own = set(community.buurten.values_list("pk", flat=True))
            if not {b.pk for b in buurten} <= own:
                _problem(
                    problems,
                    "buurten",
                    _("As a coordinator you send alerts only to the buurten of %(community)s.")
                    % {"community": community},
                )
                return None, []
        lat, lon, radius = buurten[0].centroid_lat, buurten[0].centroid_lon, None
    else:
        if community is None:
            _problem(problems, "community", _("Choose the community to alert."))
            return None, []
        if organisation is not None and not _within_working_area(organisation, [community.municipality]):
            _problem(
                problems,
                "community",
                _("This community lies outside the working area of %(organisation)s.") % {"organisation": organisation},
            )
            return None, []
        lat, lon, radius = community.centroid_lat, community.centroid_lon, None
    target = targeting.Target(
        kind=kind,
        lat=lat,
        lon=lon,
        radius_m=radius,
        buurt_ids=tuple(sorted(b.pk for b in buurten)),
        community_id=community.pk if kind == TargetKind.COMMUNITY and community else None,
        members_of=community.pk if sent_as == SentAs.COORDINATOR else None,
    )
    return target, buurten


def geo_point(lat: float, lon: float) -> Any:
    from shapely.geometry import Point

    return Point(lon, lat)


def _clean_text(value: Any, *, name: str, limit: int, required: bool, problems: Any) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        _problem(problems, name, _("This field is required."))
    elif len(text) > limit:
        _problem(problems, name, _("This text is too long (at most %(max)s characters).") % {"max": limit})
    return text


def alert_check(*, sender: Any, data: AlertInput, now: datetime | None = None) -> Checked:
    """Check an alert against every rule; raise Forbidden (not a sender), Invalid (with a Dutch message per field)
    or TooMany (a coordinator over the limit), or return it checked. Changes nothing."""
    now = now or timezone.now()
    sent_as, organisation, community = sender_role(sender, data)
    problems: dict[str, list[str]] = {}
    if data.kind not in AlertKind.values:
        _problem(problems, "kind", _("Choose one of: %(expected)s.") % {"expected": ", ".join(AlertKind.values)})
    elif sent_as == SentAs.COORDINATOR and data.kind not in COORDINATOR_KINDS:
        _problem(
            problems, "kind", _("As a coordinator you send a warning or a witness call; the police send the rest.")
        )
    title = _clean_text(data.title, name="title", limit=MAX_TITLE, required=True, problems=problems)
    text = _clean_text(data.text, name="text", limit=MAX_TEXT, required=True, problems=problems)
    flags = sorted(set(text_verdict(f"{title}\n{text}", field_name="text", problems=problems)))
    if len(data.persons) > MAX_PERSONS:
        _problem(problems, "persons", _("Describe at most %(max)s persons.") % {"max": MAX_PERSONS})
    if len(data.vehicles) > MAX_VEHICLES:
        _problem(problems, "vehicles", _("Describe at most %(max)s vehicles.") % {"max": MAX_VEHICLES})
    persons = [p for i, raw in enumerate(data.persons[:MAX_PERSONS]) if (p := person_problems(i, raw, problems))]
    vehicles = [v for i, raw in enumerate(data.vehicles[:MAX_VEHICLES]) if (v := vehicle_problems(i, raw, problems))]
    urgent = data.kind in URGENT_KINDS if data.urgent is None else bool(data.urgent)
    if sent_as == SentAs.COORDINATOR and urgent and data.called_112 is not True:
        _problem(
            problems,
            "called_112",
            _("An urgent situation goes to 112 first. Confirm that 112 was called before you alert the community."),
        )
    minutes = data.valid_minutes
    if (
        not isinstance(minutes, int)
        or isinstance(minutes, bool)
        or not MIN_VALID_MINUTES <= minutes <= MAX_VALID_MINUTES
    ):
        _problem(
            problems,
            "valid_minutes",
            _("An alert is valid from %(min)d minutes to %(max)d hours.")
            % {"min": MIN_VALID_MINUTES, "max": MAX_VALID_MINUTES // 60},
        )
        minutes = DEFAULT_VALID_MINUTES
    target, buurten = _check_target(data, sent_as, organisation, community, problems)
    if problems:
        raise Invalid(_("The alert is not complete yet: see the fields marked."), code="alert.invalid", fields=problems)
    return Checked(
        sent_as=sent_as,
        organisation=organisation,
        community=community,
        kind=data.kind,
        title=title,
        text=text,
        persons=persons,
        vehicles=vehicles,
        urgent=urgent,
        called_112=data.called_112,
        target=targeting.Target(**{**asdict(target), "exclude_id": sender.pk}),
        buurten=buurten,
        valid_until=now + timedelta(minutes=minutes),
        flags=flags,
    )


def alert_preview(*, sender: Any, data: AlertInput) -> dict[str, int]:
    """How many people the alert would reach, in all and per outside channel they chose for alerts; counts only.
    Only the sender and the target are checked (the texts may still be empty)."""
    sent_as, organisation, community = sender_role(sender, data)
    problems: dict[str, list[str]] = {}
    target, _buurten = _check_target(data, sent_as, organisation, community, problems)
    if problems or target is None:
        raise Invalid(_("Choose where the alert goes: see the fields marked."), code="alert.invalid", fields=problems)
    return targeting.recipient_counts(targeting.Target(**{**asdict(target), "exclude_id": sender.pk}))


# --- sending ----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sent:
    alert: Alert
    created: bool  # False for a replayed idempotency key: the first alert is returned


def _rate_limit(sender: Any, community: Community, now: datetime) -> None:
    """At most ALERT_COORDINATOR_LIMIT alerts per coordinator and community per 24 hours. The coordinator's
    membership row is locked first, so two sends at once cannot both pass (PostgreSQL; SQLite has one writer)."""
    list(Membership.objects.select_for_update().filter(user_id=sender.pk, community=community))
    limit = settings.ALERT_COORDINATOR_LIMIT
    sent = Alert.objects.filter(
        sender_id=sender.pk, community=community, sent_as=SentAs.COORDINATOR, created_at__gt=now - timedelta(hours=24)
    ).count()
    if sent >= limit:
        raise TooMany(
            _(
                "You have sent %(limit)d alerts in this community in the last 24 hours, the most a coordinator may. "
                "Ask the police (the wijkagent) to send it."
            )
            % {"limit": limit},
            code="alert.rate_limited",
        )


def _replay(sender: Any, idempotency_key: UUID, fingerprint: str) -> Alert | None:
    prior = Alert.objects.filter(sender_id=sender.pk, idempotency_key=idempotency_key).first()
    if prior is not None and prior.request_hash and prior.request_hash != fingerprint:
        raise Conflict(
            _("This idempotency key was already used for a different alert. Use a new key for a new alert."),
            code="alert.idempotency_mismatch",
        )
    return prior


def _save_photo(photo: CleanPhoto) -> AlertPhoto:
    import secrets

    stored = AlertPhoto(content_type=photo.content_type, width=photo.width, height=photo.height)
    stored.file.save(f"{secrets.token_hex(16)}.{photo.extension}", ContentFile(photo.content), save=False)
    stored.save()
    return stored


def link_of(alert: Alert) -> str:
    from django.urls import reverse

    return reverse("alerts:detail", args=[alert.code])


def _notice_data(alert: Alert) -> dict[str, Any]:
    sender = alert.organisation.name if alert.organisation_id else (alert.community.name if alert.community else "")
    return {"kind": alert.kind, "title": alert.title, "from": sender, "code": str(alert.code)}


def _police_of_area(community: Community) -> list[int]:
    """The police organisations a coordinator's alert is copied to: the community's police partners, or else the
    police whose working area holds its municipality."""
    partners = list(community.partners.filter(kind=OrganisationKind.POLICE).values_list("pk", flat=True))
    if partners:
        return partners
    return list(
        Organisation.objects.filter(kind=OrganisationKind.POLICE, areas=community.municipality).values_list(
            "pk", flat=True
        )
    )


def alert_send(
    *,
    sender: Any,
    data: AlertInput,
    idempotency_key: UUID,
    photo: CleanPhoto | None = None,
    now: datetime | None = None,
) -> Sent:
    """Check, store and hand the alert to the fan-out in one transaction; a replayed key returns the first alert.
    Every recipient gets one "alert.sent" notification (the worker writes them with one statement), urgent
    alerts on every channel the person chose for alerts, also in quiet hours."""
    now = now or timezone.now()
    fingerprint = data.fingerprint()
    if prior := _replay(sender, idempotency_key, fingerprint):
        return Sent(prior, False)
    checked = alert_check(sender=sender, data=data, now=now)
    try:
        with transaction.atomic():
            if checked.sent_as == SentAs.COORDINATOR:
                _rate_limit(sender, checked.community, now)
            alert = _store(sender, checked, idempotency_key, fingerprint, photo)
    except IntegrityError:
        if prior := _replay(sender, idempotency_key, fingerprint):
            return Sent(prior, False)
        raise
    return Sent(alert, True)


def _store(sender: Any, checked: Checked, idempotency_key: UUID, fingerprint: str, photo: CleanPhoto | None) -> Alert:
    target = checked.target
    alert = Alert.objects.create(
        kind=checked.kind,
        title=checked.title,
        text=checked.text,
        persons=checked.persons,
        vehicles=checked.vehicles,
        urgent=checked.urgent,
        called_112=checked.called_112,
        flags=checked.flags,
        sender=sender,
        sent_as=checked.sent_as,
        organisation=checked.organisation,
        community=checked.community,
        target_kind=target.kind,
        lat=target.lat,
        lon=target.lon,
        radius_m=round(target.radius_m) if target.radius_m is not None else None,
        valid_until=checked.valid_until,
        idempotency_key=idempotency_key,
        request_hash=fingerprint,
        photo=_save_photo(photo) if photo is not None else None,
    )
    if checked.buurten:
        alert.buurten.set(checked.buurten)
    urgency = Urgency.URGENT if alert.urgent else Urgency.NORMAL
    alert.fanout = notifications.notify_audience(
        audience={"name": "alert.target", "alert": alert.pk},
        kind=SENT_KIND,
        data=_notice_data(alert),
        link=link_of(alert),
        subject=(SUBJECT_TYPE, str(alert.code)),
        urgency=urgency,
    )
    alert.save(update_fields=["fanout"])
    if alert.sent_as == SentAs.COORDINATOR:
        notifications.notify_audience(
            organisation_ids=_police_of_area(alert.community),
            kind=access.COPY_KIND,
            data=_notice_data(alert),
            link=link_of(alert),
            subject=(SUBJECT_TYPE, str(alert.code)),
            urgency=urgency,
        )
    audit_record(actor=sender, action="alert.sent", obj=alert, kind=alert.kind, target=alert.target_kind)
    _changed(alert)
    transaction.on_commit(lambda: _book_expiry(alert.valid_until))
    return alert


def _book_expiry(at: datetime) -> None:
    from samenveilig.alerts import tasks

    tasks.schedule_expiry(at)


def _changed(alert: Alert) -> None:
    live.alert_changed(
        alert_id=alert.pk,
        organisation_ids=[alert.organisation_id] if alert.organisation_id else [],
        user_ids=access.sender_side_user_ids(alert),
    )


# --- answers ----------------------------------------------------------------------------------------------------------
def _still_open(alert: Alert, now: datetime) -> None:
    if alert.closed_at is not None:
        raise Invalid(_("This alert is closed: answers are no longer taken."), code="alert.closed")
    if alert.valid_until <= now:
        raise Invalid(_("This alert has expired: answers are no longer taken."), code="alert.closed")


def alert_respond(
    *,
    alert: Alert,
    responder: Any,
    kind: str,
    text: str = "",
    lat: float | None = None,
    lon: float | None = None,
    photo: CleanPhoto | None = None,
    idempotency_key: UUID | None = None,
    now: datetime | None = None,
) -> tuple[AlertResponse, bool]:
    """A recipient's answer (they may answer again as things develop); a replayed key returns the first answer.
    The answer is for the sender's side only; its location is cleared after the retention period."""
    now = now or timezone.now()
    asked = (alert.pk, kind, text.strip() if isinstance(text, str) else text, lat, lon)
    if idempotency_key is not None and (prior := _answer_replay(responder, idempotency_key, asked)):
        return prior, False
    if access.standing_of(responder, alert).view != "recipient":
        raise NotFound()
    problems: dict[str, list[str]] = {}
    if kind not in ResponseKind.values:
        _problem(problems, "kind", _("Choose one of: %(expected)s.") % {"expected": ", ".join(ResponseKind.values)})
    text = _clean_text(text, name="text", limit=MAX_ANSWER, required=kind == ResponseKind.INFO, problems=problems)
    flags = text_verdict(text, field_name="text", problems=problems) if text else []
    if (lat is None) != (lon is None) or (lat is not None and not geo.valid_latlon(lat, lon)):
        _problem(problems, "location", _("Give a valid point on the map."))
    _still_open(alert, now)
    if problems:
        raise Invalid(
            _("The answer is not complete yet: see the fields marked."), code="answer.invalid", fields=problems
        )
    try:
        with transaction.atomic():
            # Re-read under the lock a close takes too: an answer never lands after the alert closed.
            _still_open(Alert.objects.select_for_update().only("closed_at", "valid_until").get(pk=alert.pk), now)
            answer = AlertResponse.objects.create(
                alert=alert,
                responder=responder,
                kind=kind,
                text=text,
                flags=flags,
                lat=lat,
                lon=lon,
                photo=_save_photo(photo) if photo is not None else None,
                idempotency_key=idempotency_key,
            )
            notifications.notifications_mark_read(user=responder, subject=(SUBJECT_TYPE, str(alert.code)))
            _changed(alert)
    except IntegrityError:
        if prior := _answer_replay(responder, idempotency_key, asked):
            return prior, False
        raise
    return answer, True


def _answer_replay(responder: Any, idempotency_key: UUID, asked: tuple[Any, ...]) -> AlertResponse | None:
    """The answer this key already made (a replay), or None; the same key for a different answer is a Conflict."""
    prior = AlertResponse.objects.filter(responder_id=responder.pk, idempotency_key=idempotency_key).first()
    if prior is not None and (prior.alert_id, prior.kind, prior.text, prior.lat, prior.lon) != asked:
        raise Conflict(
            _("This idempotency key was already used for a different answer. Use a new key."),
            code="answer.idempotency_mismatch",
        )
    return prior


# --- the sender's side ------------------------------------------------------------------------------------------------
def _to_recipients(alert: Alert, *, kind: str, data: dict[str, Any], urgency: str) -> None:
    notifications.notify_audience(
        audience={"name": "alert.recipients", "code": str(alert.code)},
        kind=kind,
        data={**_notice_data(alert), **data},
        link=link_of(alert),
        subject=(SUBJECT_TYPE, str(alert.code)),
        urgency=urgency,
    )
    if alert.sent_as == SentAs.COORDINATOR:
        notifications.notify_audience(
            organisation_ids=_police_of_area(alert.community),
            kind=kind,
            data={**_notice_data(alert), **data},
            link=link_of(alert),
            subject=(SUBJECT_TYPE, str(alert.code)),
            urgency=Urgency.NORMAL,
        )


def alert_update(*, alert: Alert, by: Any, text: str, now: datetime | None = None) -> AlertUpdate:
    """A message from the sender's side to every recipient while the alert runs."""
    now = now or timezone.now()
    problems: dict[str, list[str]] = {}
    text = _clean_text(text, name="text", limit=MAX_ANSWER, required=True, problems=problems)
    if text:
        text_verdict(text, field_name="text", problems=problems)
    if problems:
        raise Invalid(
            _("The update cannot go out like this: see the fields marked."), code="alert.invalid", fields=problems
        )
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        _still_open(alert, now)
        update = AlertUpdate.objects.create(alert=alert, author=by, text=text)
        _to_recipients(
            alert,
            kind="alert.update",
            data={"text": text[:300]},
            urgency=Urgency.URGENT if alert.urgent else Urgency.NORMAL,
        )
        audit_record(actor=by, action="alert.updated", obj=alert)
        _changed(alert)
    return update


def alert_close(*, alert: Alert, by: Any, outcome: str, text: str = "", now: datetime | None = None) -> Alert:
    """Close the alert with its outcome; every recipient hears it, answered or not. A second close is refused."""
    now = now or timezone.now()
    problems: dict[str, list[str]] = {}
    if outcome not in CLOSING_OUTCOMES:
        _problem(problems, "outcome", _("Choose one of: %(expected)s.") % {"expected": ", ".join(CLOSING_OUTCOMES)})
    text = _clean_text(text, name="text", limit=MAX_OUTCOME, required=False, problems=problems)
    if text:
        text_verdict(text, field_name="text", problems=problems)
    if problems:
        raise Invalid(
            _("The alert cannot be closed like this: see the fields marked."), code="alert.invalid", fields=problems
        )
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.closed_at is not None:
            raise Conflict(_("This alert is already closed."), code="alert.already_closed")
        _close(alert, by=by, outcome=outcome, text=text, now=now)
    return alert


def _close(alert: Alert, *, by: Any, outcome: str, text: str, now: datetime) -> None:
    alert.closed_at, alert.closed_by, alert.outcome, alert.outcome_text = now, by, outcome, text
    alert.save(update_fields=["closed_at", "closed_by", "outcome", "outcome_text", "updated_at"])
    _to_recipients(alert, kind="alert.closed", data={"outcome": outcome, "text": text[:300]}, urgency=Urgency.NORMAL)
    audit_record(actor=by, action="alert.closed", obj=alert, outcome=outcome)
    _changed(alert)
    transaction.on_commit(_book_purge)


def _book_purge() -> None:
    from samenveilig.alerts import tasks

    tasks.schedule_purge()


def alerts_expire(*, now: datetime | None = None) -> int:
    """Close every alert whose validity ran out with the outcome "expired"; its recipients hear it too. Returns
    how many. Safe to run twice and from several workers (each alert is locked and re-read)."""
    now = now or timezone.now()
    closed = 0
    for pk in Alert.objects.filter(closed_at__isnull=True, valid_until__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            alert = Alert.objects.select_for_update().filter(pk=pk, closed_at__isnull=True).first()
            if alert is None:
                continue
            _close(alert, by=None, outcome=AlertOutcome.EXPIRED, text="", now=now)
            closed += 1
    return closed


def responses_purge(*, now: datetime | None = None) -> dict[str, int]:
    """The retention of answers (docs/alerts.md): a location is kept while the alert runs and
    ALERT_LOCATION_KEEP_DAYS after it closed; an answer (text, photo) ALERT_ANSWER_KEEP_DAYS after it closed."""
    now = now or timezone.now()
    located = AlertResponse.objects.filter(
        alert__closed_at__lte=now - timedelta(days=settings.ALERT_LOCATION_KEEP_DAYS), lat__isnull=False
    )
    cleared = located.update(lat=None, lon=None)
    old = AlertResponse.objects.filter(alert__closed_at__lte=now - timedelta(days=settings.ALERT_ANSWER_KEEP_DAYS))
    photos = list(old.exclude(photo=None).values_list("photo_id", flat=True))
    deleted = old.delete()[0]
    for photo in AlertPhoto.objects.filter(pk__in=photos):
        photo.file.delete(save=False)
        photo.delete()
    return {"locations_cleared": cleared, "answers_deleted": deleted}


def alerts_whole_area_set(*, user: Any, community: Community, on: bool) -> Membership:
    """A member hears every alert in the community's whole area (on), or only those around their home (off)."""
    membership = Membership.objects.filter(user_id=user.pk, community=community, status=MembershipStatus.ACTIVE).first()
    if membership is None:
        raise NotFound()
    membership.alerts_whole_area = bool(on)
    membership.save(update_fields=["alerts_whole_area", "updated_at"])
    return membership


def recipients_of(alert: Alert) -> list[int]:
    """Everybody the alert's target reaches now (for tests and the benchmark; the fan-out uses the same SQL)."""
    return targeting.recipient_ids(target_of(alert))


# --- photos -----------------------------------------------------------------------------------------------------------
def _drop_photo_later(photo_id: int | None) -> None:
    """Delete a replaced photo: its row now (it is no longer linked), its file once the transaction committed, so
    a rollback never leaves a row without its file."""
    if photo_id is None:
        return
    old = AlertPhoto.objects.filter(pk=photo_id).first()
    if old is None:
        return
    name, storage = old.file.name, old.file.storage
    old.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def alert_set_photo(*, alert: Alert, by: Any, photo: CleanPhoto, now: datetime | None = None) -> AlertPhoto:
    """The sender's side sets or replaces the alert's photo (metadata already stripped by core.photos) while the
    alert is open; the old photo is deleted. Returns the new photo."""
    now = now or timezone.now()
    if access.standing_of(by, alert).view != "sender":
        raise Forbidden(_("You can see this alert, but you are not allowed to do this."))
    with transaction.atomic():
        locked = Alert.objects.select_for_update().get(pk=alert.pk)
        _still_open(locked, now)
        old_id = locked.photo_id
        stored = _save_photo(photo)
        locked.photo = stored
        locked.save(update_fields=["photo", "updated_at"])
        _drop_photo_later(old_id)
        audit_record(actor=by, action="alert.photo", obj=locked, replaced=old_id is not None)
        _changed(locked)
    alert.photo = stored
    return stored


def response_set_photo(
    *, response: AlertResponse, by: Any, photo: CleanPhoto, now: datetime | None = None
) -> AlertPhoto:
    """The author of an answer adds or replaces its photo while the alert is open (anybody else: NotFound); the old
    photo is deleted. Returns the new photo."""
    now = now or timezone.now()
    if response.responder_id != getattr(by, "pk", None):
        raise NotFound()
    with transaction.atomic():
        # The same lock an answer and a close take: a photo never lands after the alert closed.
        alert = Alert.objects.select_for_update().get(pk=response.alert_id)
        _still_open(alert, now)
        locked = AlertResponse.objects.select_for_update().get(pk=response.pk)
        old_id = locked.photo_id
        stored = _save_photo(photo)
        locked.photo = stored
        locked.save(update_fields=["photo"])
        _drop_photo_later(old_id)
        audit_record(actor=by, action="alert.answer_photo", obj=alert, answer=str(locked.code))
        _changed(alert)
    response.photo = stored
    return stored
