"""The worker's side of alerts: close expired alerts at their time, and keep answers only as long as the retention
policy says (docs/alerts.md). Each task is booked for the moment it has work, never to poll."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Min
from django_tasks import task

from samenveilig.core.tasks import book, on_worker_start


@task()
def expire_alerts() -> int:
    """Close the alerts whose validity ran out, then book the next run at the next open alert's end."""
    from samenveilig.alerts.services import alerts_expire

    closed = alerts_expire()
    schedule_expiry(next_end())
    return closed


def next_end() -> Any:
    from samenveilig.alerts.models import Alert

    return Alert.objects.filter(closed_at__isnull=True).aggregate(at=Min("valid_until"))["at"]


def schedule_expiry(at: Any) -> None:
    book(expire_alerts, at)


@task()
def purge_answers() -> dict[str, int]:
    """Clear what the retention policy no longer allows, then book the run for the next thing that will be due."""
    from samenveilig.alerts.services import responses_purge

    done = responses_purge()
    schedule_purge()
    return done


def next_purge() -> Any:
    """When the next location or answer falls out of the retention period (None when no answers are kept)."""
    from samenveilig.alerts.models import Alert

    closed = Alert.objects.filter(closed_at__isnull=False)
    located = closed.filter(responses__lat__isnull=False).aggregate(at=Min("closed_at"))["at"]
    answered = closed.filter(responses__isnull=False).aggregate(at=Min("closed_at"))["at"]
    due = []
    if located is not None:
        due.append(located + timedelta(days=settings.ALERT_LOCATION_KEEP_DAYS))
    if answered is not None:
        due.append(answered + timedelta(days=settings.ALERT_ANSWER_KEEP_DAYS))
    return min(due) if due else None


def schedule_purge() -> None:
    book(purge_answers, next_purge())


@on_worker_start
def resume_alerts() -> None:
    """A worker that starts closes what expired while nothing ran, and books the retention run when it is due."""
    schedule_expiry(next_end())
    schedule_purge()
