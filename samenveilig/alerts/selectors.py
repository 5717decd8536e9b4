"""Reads for alerts, always scoped to the viewer or to an alert the caller already holds through the gate
(alerts.access): the alerts a person may see, the figures of one alert for its sender's side, its answers and
updates, and the templates that make an alert quick to write.

Nothing here returns home points or who received an alert: recipients are counted, never listed.
"""

from typing import Any
from uuid import UUID

from django.db.models import Case, Count, Min, Q, QuerySet, Value, When
from django.db.models.fields import BooleanField, IntegerField
from django.utils import timezone
from django.utils.translation import gettext as _

from samenveilig.accounts.models import StaffMembership
from samenveilig.alerts.access import COPY_KIND
from samenveilig.alerts.audiences import SENT_KIND, SUBJECT_TYPE
from samenveilig.alerts.models import Alert, AlertKind, AlertResponse, AlertUpdate, ResponseKind, SentAs
from samenveilig.communities.models import Membership, MembershipStatus
from samenveilig.core.permissions import Role
from samenveilig.notifications.models import PERSONAL_CHANNELS, Delivery, DeliveryState, Notification


# --- the alerts a person may see ----------------------------------------------------------------------------------
def _sender_side_q(viewer: Any) -> Q:
    """The alerts whose sender's side the person is on (the same rule as alerts.access._is_sender_side)."""
    organisations = StaffMembership.objects.filter(user_id=viewer.pk).values("organisation_id")
    coordinated = Membership.objects.filter(
        user_id=viewer.pk, role=Role.COORDINATOR, status=MembershipStatus.ACTIVE
    ).values("community_id")
    police = Q(sent_as=SentAs.POLICE, organisation_id__in=organisations)
    coordinator = Q(sent_as=SentAs.COORDINATOR) & (Q(sender_id=viewer.pk) | Q(community_id__in=coordinated))
    return police | coordinator


def alerts_for(viewer: Any) -> list[Alert]:
    """The alerts the person may see: those of their police organisations and those sent as coordinator in the
    communities they coordinate (sender's side), those they received, and the copies for their police. Open ones
    first, then newest first. Each alert carries `view` ("sender", "recipient" or "copy") and `open`.

    Two queries: the person's alert notifications, then the alerts (the sender's side as subqueries)."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    kinds: dict[UUID, str] = {}
    for subject_code, kind in Notification.objects.filter(
        recipient_id=viewer.pk, subject_type=SUBJECT_TYPE, kind__in=[SENT_KIND, COPY_KIND]
    ).values_list("subject_code", "kind"):
        try:
            code = UUID(subject_code)
        except ValueError:
            continue
        if kind == SENT_KIND or code not in kinds:
            kinds[code] = kind  # a recipient's view wins over a copy
    sender_side = _sender_side_q(viewer)
    now = timezone.now()
    alerts = list(
        Alert.objects.filter(sender_side | Q(code__in=list(kinds)))
        .select_related("organisation", "community")
        .annotate(
            on_sender_side=Case(When(sender_side, then=Value(True)), default=Value(False), output_field=BooleanField()),
            closed_order=Case(
                When(closed_at__isnull=True, valid_until__gt=now, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("closed_order", "-created_at", "-id")
    )
    for alert in alerts:
        alert.open = alert.closed_order == 0
        if alert.on_sender_side:
            alert.view = "sender"
        else:
            alert.view = "recipient" if kinds.get(alert.code) == SENT_KIND else "copy"
    return alerts


# --- one alert ----------------------------------------------------------------------------------------------------
def _sent_notifications(alert: Alert) -> QuerySet[Notification]:
    return Notification.objects.filter(subject_type=SUBJECT_TYPE, subject_code=str(alert.code), kind=SENT_KIND)


def alert_figures(alert: Alert) -> dict[str, Any]:
    """The figures of an alert for its sender's side (counts only, never who):

    - reached: how many got it (None while the fan-out is pending),
    - opened: how many opened it (their "alert.sent" notification is read),
    - answered: how many people answered, answers: how many answers, by_kind: answers per kind,
    - first_answer_s: seconds from sending to the first answer (None without answers),
    - channels: per outside channel, the deliveries of the alert by state."""
    fanout = alert.fanout if alert.fanout_id else None
    reached = fanout.written if fanout is not None and fanout.done_at is not None else None
    opened = _sent_notifications(alert).filter(read_at__isnull=False).count()
    answers = AlertResponse.objects.filter(alert=alert).aggregate(
        answers=Count("id"),
        answered=Count("responder", distinct=True),
        first=Min("created_at"),
        **{kind: Count("id", filter=Q(kind=kind)) for kind in ResponseKind.values},
    )
    first = answers["first"]
    channels: dict[str, dict[str, int]] = {
        str(channel): dict.fromkeys(DeliveryState.values, 0) for channel in PERSONAL_CHANNELS
    }
    rows = (
        Delivery.objects.filter(
            notification__subject_type=SUBJECT_TYPE,
            notification__subject_code=str(alert.code),
            notification__kind=SENT_KIND,
            channel__in=list(channels),
        )
        .values_list("channel", "state")
        .annotate(n=Count("id"))
        .order_by()
    )
    for channel, state, n in rows:
        channels[channel][state] = n
    return {
        "reached": reached,
        "opened": opened,
        "answered": answers["answered"],
        "answers": answers["answers"],
        "by_kind": {kind: answers[kind] for kind in ResponseKind.values},
        "first_answer_s": (first - alert.created_at).total_seconds() if first is not None else None,
        "channels": channels,
    }


def alert_responses(alert: Alert) -> QuerySet[AlertResponse]:
    """Every answer to the alert, newest first, with who answered (for the sender's side only)."""
    return AlertResponse.objects.filter(alert=alert).select_related("responder", "photo").order_by("-created_at", "-id")


def own_responses(alert: Alert, user: Any) -> QuerySet[AlertResponse]:
    """The person's own answers to the alert, newest first."""
    return (
        AlertResponse.objects.filter(alert=alert, responder_id=user.pk)
        .select_related("photo")
        .order_by("-created_at", "-id")
    )


def alert_updates(alert: Alert) -> QuerySet[AlertUpdate]:
    """The sender's messages while the alert runs, oldest first (a story read top to bottom)."""
    return AlertUpdate.objects.filter(alert=alert).order_by("created_at", "id")


# --- writing one quickly --------------------------------------------------------------------------------------------
def alert_templates() -> dict[str, dict[str, str]]:
    """A title and a text per kind of alert, in the reader's language, with [brackets] to fill in. They describe
    behaviour and clothing, ask for answers through the app and point to 112; they never ask anybody to act."""
    return {
        AlertKind.SUSPECT.value: {
            "title": _("Suspect sought near [place]"),
            "text": _(
                "At [time] a suspect of [what happened] left towards [direction]. Description: [height], [build], "
                "wearing [top] and [bottom], [shoes]. Seen this person? Answer with where and when you saw them. "
                "Do not approach them: in an emergency call 112."
            ),
        },
        AlertKind.VEHICLE.value: {
            "title": _("Vehicle sought: [colour] [make]"),
            "text": _(
                "We are looking for a [colour] [make] [type of vehicle], licence plate [plate], last seen at [time] "
                "near [place], driving towards [direction]. Seen it? Answer with where, when and which way it went. "
                "In an emergency call 112."
            ),
        },
        AlertKind.MISSING.value: {
            "title": _("Missing: [who], [age]"),
            "text": _(
                "Since [time] [who] ([age]) is missing, last seen near [place]. Description: [height], [build], "
                "[hair], wearing [top] and [bottom]. Please look in your garden, shed and garage. Seen them? "
                "Answer with where and when, or call 112 at once."
            ),
        },
        AlertKind.WARNING.value: {
            "title": _("Warning: [what] in [place]"),
            "text": _(
                "In [place] there have been [what] recently, most often around [time]. Lock doors and windows, "
                "keep valuables out of sight and switch on outside lighting. Seen something suspicious? Answer "
                "here or call 112 when it happens."
            ),
        },
        AlertKind.WITNESS.value: {
            "title": _("Witnesses sought: [what] on [date]"),
            "text": _(
                "On [date] around [time] there was [what happened] near [place]. Did you see or hear something, or "
                "do you have camera images? Answer with what you saw."
            ),
        },
    }
