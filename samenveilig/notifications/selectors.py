"""Reads for the in-app inbox: always the viewer's own notifications (and those of their reporter pseudonym); and the
viewer's delivery choices."""

import datetime as dt
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from samenveilig.accounts.pseudonyms import pseudonym
from samenveilig.core.errors import NotFound
from samenveilig.notifications import kinds
from samenveilig.notifications.models import (
    Channel,
    ChannelChoice,
    Delivery,
    DeliverySettings,
    DeliveryState,
    Notification,
)


def _mine(user: Any) -> Q:
    return Q(recipient=user) | Q(recipient_key=pseudonym(user))


def notifications_for(*, viewer: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """The viewer's notifications, newest first."""
    if not getattr(viewer, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(_mine(viewer)).select_related("fanout")  # its shared facts (message_data)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def unread_count(viewer: Any) -> int:
    if not getattr(viewer, "is_authenticated", False):
        return 0
    return Notification.objects.filter(_mine(viewer), read_at__isnull=True).count()


@dataclass(frozen=True)
class NotificationView:
    id: int
    kind: str
    title: str
    body: str
    link: str
    created_at: datetime
    read: bool


def notification_view(n: Notification) -> NotificationView:
    text = kinds.render(n.kind, n.message_data)
    return NotificationView(
        id=n.pk,
        kind=n.kind,
        title=text.title,
        body=text.body,
        link=n.message_link,
        created_at=n.created_at,
        read=n.is_read,
    )


# --- a person's delivery choices --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DeliveryChoices:
    channels: dict[str, list[str]]  # per kind of message (services.CATEGORIES) the outside channels chosen
    quiet_from: dt.time
    quiet_until: dt.time
    digest: str  # DigestPeriod: how often digest messages are bundled


def delivery_choices(user: Any) -> DeliveryChoices:
    from samenveilig.notifications.services import CATEGORIES

    chosen: dict[str, list[str]] = {category: [] for category in CATEGORIES}
    for category, channel in ChannelChoice.objects.filter(user=user).values_list("category", "channel"):
        chosen.setdefault(category, []).append(channel)
    found = DeliverySettings.objects.filter(user=user).first() or DeliverySettings()
    return DeliveryChoices(
        channels={k: sorted(v) for k, v in chosen.items()},
        quiet_from=found.quiet_from,
        quiet_until=found.quiet_until,
        digest=found.digest,
    )


# --- operations (admins) ----------------------------------------------------------------------------------------------
def _admin(viewer: Any) -> None:
    if not getattr(viewer, "is_superuser", False):
        raise NotFound()


def delivery_counts(*, viewer: Any) -> dict[str, dict[str, int]]:
    """Per outside channel the number of deliveries in each state (for the operations page and monitoring)."""
    _admin(viewer)
    counts = {channel: dict.fromkeys(DeliveryState.values, 0) for channel in Channel.values}
    for channel, state, n in Delivery.objects.values_list("channel", "state").annotate(n=Count("pk")).order_by():
        counts.setdefault(channel, dict.fromkeys(DeliveryState.values, 0))[state] = n
    return counts


def dead_letters(*, viewer: Any, limit: int = 50) -> list[Delivery]:
    """The deliveries that were given up, newest first, with their recipient and error."""
    _admin(viewer)
    found = Delivery.objects.filter(state=DeliveryState.DEAD).select_related(
        "notification__recipient", "notification__organisation"
    )
    return list(found.order_by("-due_at", "-pk")[:limit])


def deliveries_of_person(*, viewer: Any, email: str) -> tuple[Any, list[Delivery]]:
    """One person's delivery history (the person, found by e-mail address, and their last 200 deliveries with the
    message kind, channel, state, attempts and error), or (None, []) when nobody has that address. The caller logs
    the read (it shows what a person was sent)."""
    _admin(viewer)
    from samenveilig.accounts.models import User

    person = User.objects.filter(email__iexact=email.strip()).first() if email.strip() else None
    if person is None:
        return None, []
    found = Delivery.objects.filter(notification__recipient=person).select_related("notification")
    return person, list(found.order_by("-created_at", "-pk")[:200])


def deliveries_of_message(*, viewer: Any, subject: str) -> list[Notification]:
    """Who got one message and how: every notification about a subject (a report's or post's public code), oldest
    first, with its recipient (a person, an anonymous reporter's pseudonym, or an organisation's system), whether it
    was read, and its deliveries per channel with their state and time (`deliveries_list`). At most 1,000. The caller
    logs the read (it shows who was told what)."""
    _admin(viewer)
    code = subject.strip()
    if not code:
        return []
    found = list(
        Notification.objects.filter(subject_code=code)
        .select_related("recipient", "organisation")
        .prefetch_related("deliveries")
        .order_by("created_at", "pk")[:1000]
    )
    for notification in found:
        notification.deliveries_list = sorted(notification.deliveries.all(), key=lambda d: d.channel)
    return found
