"""The delivery worker: send due deliveries on their outside channel, retry with back-off, give up into dead
letters (docs/delivery.md).

1. Lease: in one short transaction, take up to `batch` due rows (pending or failed, `due_at` passed, no live lease)
   and set `leased_until`. Parallel workers skip each other's rows (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite has
   one writer at a time), so no row is sent by two workers at once.
2. Send each outside any transaction (a slow gateway holds no lock).
3. Record the outcome on the row, only if the lease is still ours: sent; failed with the next attempt after an
   exponential back-off with jitter (or the channel's Retry-After, if longer); dead after the channel's maximum or
   at once on a permanent error.

A worker killed between 2 and 3 leaves its lease to run out: the row is sent again. That is at-least-once to the
outside; the row's key (the same on every attempt) lets a channel that takes one drop the duplicate.

Quiet hours: a normal message due inside the recipient's quiet hours is moved to their end without an attempt;
urgent messages never wait. After a run the task books the next one for `next_due` (a retry, the end of quiet hours,
a lease that runs out), so nothing waits for an unrelated wake-up.
"""

import datetime
import random
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone, translation

from samenveilig.integrations.base import Message, Outcome, Transport
from samenveilig.notifications import kinds
from samenveilig.notifications.models import (
    Channel,
    Delivery,
    DeliverySettings,
    DeliveryState,
    Notification,
    Urgency,
)

BACKOFF_BASE_S = 30.0
BACKOFF_CAP_S = 6 * 3600.0
BATCH = 100
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DEFAULT_QUIET = (datetime.time(22, 0), datetime.time(7, 0))


def _transports() -> dict[str, Transport]:
    """One transport per channel: the Transport class in `samenveilig/integrations/<channel>/transport.py`."""
    found: dict[str, Transport] = {}
    for channel in Channel.values:
        module = import_module(f"samenveilig.integrations.{channel}.transport")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Transport) and getattr(value, "channel", "") == channel:
                found[channel] = value()
    return found


TRANSPORTS: dict[str, Transport] = _transports()


def backoff_s(attempts: int, *, rng: random.Random | None = None) -> float:
    """Seconds before attempt `attempts + 1`: 30 s doubling per attempt up to 6 h, times a jitter of 0.5–1.5 so
    that deliveries that failed together do not all come back together."""
    delay = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** max(attempts - 1, 0))
    return delay * (rng or random).uniform(0.5, 1.5)


def quiet_until(at: datetime.datetime, quiet: tuple[datetime.time, datetime.time]) -> datetime.datetime | None:
    """When the quiet hours around `at` end (Europe/Amsterdam), or None when `at` is outside them."""
    start, end = quiet
    local = at.astimezone(AMSTERDAM)
    now = local.time()
    inside = (start <= now or now < end) if start > end else (start <= now < end)
    if not inside or start == end:
        return None
    day = local.date() if now < end else local.date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, end, tzinfo=AMSTERDAM)


def lease_time() -> datetime.timedelta:
    """How long a worker may take to send what it leased (SAMENVEILIG_DELIVERY_LEASE_S, longer than any transport's
    timeout); after that another worker sends it."""
    return datetime.timedelta(seconds=settings.DELIVERY_LEASE_S)


def _lease(now: datetime.datetime, batch: int) -> list[Delivery]:
    lease = lease_time()
    with transaction.atomic():
        rows = list(
            Delivery.objects.filter(state__in=[DeliveryState.PENDING, DeliveryState.FAILED], due_at__lte=now)
            .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
            .select_for_update(skip_locked=True)
            .order_by("due_at", "pk")[:batch]
        )
        for row in rows:
            row.leased_until = now + lease
        Delivery.objects.bulk_update(rows, ["leased_until"])
    return rows


def _message(delivery: Delivery) -> Message:
    notification = delivery.notification
    with translation.override(settings.LANGUAGE_CODE):
        text = kinds.render(notification.kind, notification.message_data)
    path = notification.message_link
    link = f"{settings.SITE_URL}{path}" if path and settings.SITE_URL else ""
    return Message(
        key=f"samenveilig-{notification.pk}-{delivery.channel}",
        recipient=notification.recipient,  # None for a partner organisation's message (its webhook)
        title=str(text.title),
        body=str(text.body),
        link=link,
        urgent=notification.urgency == Urgency.URGENT,
        kind=notification.kind,
        urgency=notification.urgency,
        created_at=notification.created_at,
        subject_type=notification.subject_type,
        subject_code=notification.subject_code,
        path=path,
        organisation_id=notification.organisation_id,
    )


def _record(delivery: Delivery, lease: datetime.datetime, outcome: Outcome, now: datetime.datetime) -> str:
    """Write the outcome if the lease is still ours (a worker that ran past it lost the row to another)."""
    attempts = delivery.attempts + 1
    transport = TRANSPORTS[delivery.channel]
    fields: dict[str, Any] = {"attempts": attempts, "leased_until": None}
    if outcome.sent:
        fields |= {"state": DeliveryState.SENT, "sent_at": now, "last_error": ""}
    elif not outcome.retry or attempts >= transport.max_attempts:
        fields |= {"state": DeliveryState.DEAD, "last_error": outcome.error}
    else:
        delay = max(backoff_s(attempts), outcome.retry_after or 0.0)
        fields |= {
            "state": DeliveryState.FAILED,
            "last_error": outcome.error,
            "due_at": now + datetime.timedelta(seconds=delay),
        }
    recorded = Delivery.objects.filter(pk=delivery.pk, leased_until=lease).update(**fields)
    if recorded and fields.get("state") == DeliveryState.DEAD and not outcome.retry:
        _tell_recipient(delivery)
    return fields.get("state", DeliveryState.FAILED)


def _tell_recipient(delivery: Delivery) -> None:
    """A channel refused a person's address for good (a bounced e-mail address, a refused number, no device left):
    they hear it in the inbox, once while unread, with where to fix it. In-app only, so it can never fail the same
    way (nobody chooses channels for "delivery")."""
    from samenveilig.notifications.services import notify

    person = delivery.notification.recipient_id
    if person is None or delivery.channel == "webhook":
        return
    told = Notification.objects.filter(
        recipient_id=person, kind="delivery.refused", read_at__isnull=True, data__channel=delivery.channel
    )
    if not told.exists():
        notify(
            recipients=[person],
            kind="delivery.refused",
            data={"channel": delivery.channel},
            link="/berichten/instellingen/",
        )


def deliver_due(
    *,
    now: datetime.datetime | None = None,
    batch: int = BATCH,
    transports: Mapping[str, Transport] | None = None,
    on_backlog: Callable[[], None] | None = None,
) -> dict[str, int]:
    """Send every due delivery, `batch` at a time; returns how many ended in each state (and "held" for those moved
    to the end of quiet hours). `on_backlog` is called once when a full batch was leased (more may wait): the task
    uses it to wake another worker, so a burst is sent by every idle worker at once, each leasing its own rows."""
    counts: dict[str, int] = {}
    senders = transports or TRANSPORTS
    while True:
        moment = now or timezone.now()
        rows = _lease(moment, batch)
        if not rows:
            return counts
        if on_backlog is not None and len(rows) == batch:
            on_backlog()
            on_backlog = None
        leased = {row.pk: row.leased_until for row in rows}
        with_facts = Delivery.objects.select_related("notification__recipient", "notification__fanout")
        full = with_facts.in_bulk([row.pk for row in rows])
        quiet = {
            s.user_id: (s.quiet_from, s.quiet_until)
            for s in DeliverySettings.objects.filter(user_id__in=[d.notification.recipient_id for d in full.values()])
        }
        for pk in sorted(full):
            delivery = full[pk]
            # Quiet hours are a person's: an organisation's system (its webhook) gets every message as it comes.
            if delivery.notification.urgency != Urgency.URGENT and delivery.notification.recipient_id is not None:
                ends = quiet_until(moment, quiet.get(delivery.notification.recipient_id, DEFAULT_QUIET))
                if ends is not None:
                    Delivery.objects.filter(pk=pk, leased_until=leased[pk]).update(due_at=ends, leased_until=None)
                    counts["held"] = counts.get("held", 0) + 1
                    continue
            outcome = senders[delivery.channel].send(_message(delivery))
            state = _record(delivery, leased[pk], outcome, now or timezone.now())
            counts[state] = counts.get(state, 0) + 1


def next_due(*, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """When the worker must look again: the earliest retry or end of quiet hours of a row nobody holds, or the end
    of a lease (a worker that died), whichever comes first; None when nothing waits."""
    moment = now or timezone.now()
    waiting = Delivery.objects.filter(state__in=[DeliveryState.PENDING, DeliveryState.FAILED])
    free = waiting.filter(Q(leased_until__isnull=True) | Q(leased_until__lt=moment)).aggregate(at=Min("due_at"))["at"]
    held = waiting.filter(leased_until__gte=moment).aggregate(at=Min("leased_until"))["at"]
    found = [at for at in (free, held) if at is not None]
    return max(min(found), moment) if found else None


def delivery_retry(*, delivery: Delivery) -> Delivery:
    """An administrator sends a dead delivery again (after fixing the address or the gateway): due now, with a
    fresh count of attempts."""
    Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.DEAD).update(
        state=DeliveryState.PENDING, attempts=0, due_at=timezone.now(), leased_until=None
    )
    delivery.refresh_from_db()
    return delivery
