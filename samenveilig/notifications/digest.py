"""The digest: messages of urgency "digest" (trends, updates that can wait) are in the inbox at once, and go out on
the outside channels bundled, once a week (Monday 08:00) or once a month (the 1st, 08:00; Europe/Amsterdam), as the
person chose (DeliverySettings.digest). Handbook 3.3.4: incidents are fed back more often than trends.

`digests_send` writes, per person with digest messages from before their period's start, one `digest.summary`
notification (its deliveries on the channels they chose for "digest") and marks the bundled messages, in one
transaction: a crash leaves a person's digest whole or not started, and a re-run never sends it twice.
"""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from samenveilig.notifications.delivery import AMSTERDAM
from samenveilig.notifications.models import DeliverySettings, DigestPeriod, Notification, Urgency

DIGEST_TIME = datetime.time(8, 0)
DIGEST_ITEMS = 20  # messages named in one digest; the count says how many there were


def period_start(now: datetime.datetime, period: str) -> datetime.datetime:
    """The start of the current period: the last Monday 08:00, or the 1st of the month 08:00, at or before `now`."""
    local = now.astimezone(AMSTERDAM)
    if period == DigestPeriod.MONTHLY:
        start = datetime.datetime.combine(local.date().replace(day=1), DIGEST_TIME, tzinfo=AMSTERDAM)
        if start > local:
            previous = (local.date().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
            start = datetime.datetime.combine(previous, DIGEST_TIME, tzinfo=AMSTERDAM)
        return start
    monday = local.date() - datetime.timedelta(days=local.weekday())
    start = datetime.datetime.combine(monday, DIGEST_TIME, tzinfo=AMSTERDAM)
    return start if start <= local else start - datetime.timedelta(days=7)


def next_run(now: datetime.datetime) -> datetime.datetime:
    """The next start of any period after `now` (when the digest task must run again)."""
    week = period_start(now, DigestPeriod.WEEKLY) + datetime.timedelta(days=7)
    this_month = period_start(now, DigestPeriod.MONTHLY).date()
    first_next = (this_month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    month = datetime.datetime.combine(first_next, DIGEST_TIME, tzinfo=AMSTERDAM)
    return min(week, month).astimezone(datetime.UTC)


def overdue(now: datetime.datetime) -> bool:
    """True when a digest message from before the current week's start still waits (a missed run)."""
    start = period_start(now, DigestPeriod.WEEKLY)
    return Notification.objects.filter(
        urgency=Urgency.DIGEST, digested_at__isnull=True, recipient__isnull=False, created_at__lt=start
    ).exists()


def digests_send(*, now: datetime.datetime | None = None) -> int:
    """Send every digest that is due; returns how many people got one."""
    from samenveilig.notifications.services import notify

    moment = now or timezone.now()
    waiting = Notification.objects.filter(urgency=Urgency.DIGEST, digested_at__isnull=True, recipient__isnull=False)
    people = sorted(set(waiting.values_list("recipient_id", flat=True)))
    periods = dict(DeliverySettings.objects.filter(user_id__in=people).values_list("user_id", "digest"))
    sent = 0
    for person in people:
        period = periods.get(person, DigestPeriod.WEEKLY)
        start = period_start(moment, period)
        with transaction.atomic():
            items = list(
                waiting.select_for_update()
                .filter(recipient_id=person, created_at__lt=start)
                .order_by("created_at", "pk")
            )
            if not items:
                continue  # what came in this period waits for the next digest
            data: dict[str, Any] = {
                "period": period,
                "count": len(items),
                "items": [{"kind": n.kind, "data": n.message_data} for n in items[:DIGEST_ITEMS]],
            }
            notify(recipients=[person], kind="digest.summary", data=data, link="/berichten/", urgency=Urgency.NORMAL)
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(digested_at=moment)
            DeliverySettings.objects.update_or_create(user_id=person, defaults={"digest_last_at": moment})
        sent += 1
    return sent
