"""Reads for the in-app inbox: always the viewer's own notifications (and those of their reporter pseudonym); and the
viewer's delivery choices."""

import datetime as dt
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from samenveilig.accounts.pseudonyms import pseudonym
from samenveilig.notifications import kinds
from samenveilig.notifications.models import ChannelChoice, DeliverySettings, Notification


def _mine(user: Any) -> Q:
    return Q(recipient=user) | Q(recipient_key=pseudonym(user))


def notifications_for(*, viewer: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """The viewer's notifications, newest first."""
    if not getattr(viewer, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(_mine(viewer))
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
    text = kinds.render(n.kind, n.data)
    return NotificationView(
        id=n.pk, kind=n.kind, title=text.title, body=text.body, link=n.link, created_at=n.created_at, read=n.is_read
    )


# --- a person's delivery choices --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DeliveryChoices:
    channels: dict[str, list[str]]  # per kind of message (services.CATEGORIES) the outside channels chosen
    quiet_from: dt.time
    quiet_until: dt.time


def delivery_choices(user: Any) -> DeliveryChoices:
    from samenveilig.notifications.services import CATEGORIES

    chosen: dict[str, list[str]] = {category: [] for category in CATEGORIES}
    for category, channel in ChannelChoice.objects.filter(user=user).values_list("category", "channel"):
        chosen.setdefault(category, []).append(channel)
    found = DeliverySettings.objects.filter(user=user).first() or DeliverySettings()
    return DeliveryChoices(
        channels={k: sorted(v) for k, v in chosen.items()}, quiet_from=found.quiet_from, quiet_until=found.quiet_until
    )
