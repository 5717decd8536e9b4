"""The worker's side of the inbox: write pending audience notifications (notifications.services.fan_out_pending) and
send due deliveries on the outside channels (notifications.delivery.deliver_due)."""

from typing import Any

from django.utils import timezone
from django_tasks import task

from samenveilig.core.tasks import book, on_worker_start, queued_by


@task()
def fan_out() -> int:
    """Write every pending fan-out; returns how many were done."""
    from samenveilig.notifications.services import fan_out_pending

    return fan_out_pending()


def fan_out_is_waiting() -> bool:
    """True when a fan-out task waits in the database queue and has not started: it will see every fan-out
    committed before it starts. False with any other task backend (then every wake-up enqueues)."""
    return queued_by(fan_out, timezone.now())


@on_worker_start
def resume_fan_out() -> None:
    """A worker that starts finishes what a stopped one left: pending fan-outs get a task."""
    from samenveilig.notifications.models import Fanout

    if Fanout.objects.filter(done_at__isnull=True).exists() and not fan_out_is_waiting():
        fan_out.enqueue()


@task()
def deliver() -> dict[str, int]:
    """Send every due delivery, then book the next run for the next retry or end of quiet hours; returns how many
    ended in each state."""
    from samenveilig.notifications.delivery import deliver_due, next_due

    counts = deliver_due(on_backlog=wake_another)
    schedule_delivery(next_due())
    return counts


def wake_another() -> None:
    """More is due than one batch: a second delivery task for another worker (one waiting task at most; the worker
    that takes it does the same while the backlog lasts)."""
    if not delivery_is_waiting():
        deliver.enqueue()


def schedule_delivery(at: Any) -> None:
    """A delivery task at `at` unless one is already queued to run by then (with the database backend)."""
    book(deliver, at)


@task()
def send_digests() -> int:
    """Send the digests that are due (notifications.digest), then book the next run at the next period's start
    while digest messages wait."""
    from samenveilig.notifications.digest import digests_send

    sent = digests_send()
    schedule_digest()
    return sent


def schedule_digest() -> None:
    """The digest task at the next period's start, when digest messages wait and none is booked by then. Called
    when digest messages are written (on commit) and after each digest run; no messages, no task."""
    from samenveilig.notifications.digest import next_run
    from samenveilig.notifications.models import Notification, Urgency

    waiting = Notification.objects.filter(urgency=Urgency.DIGEST, digested_at__isnull=True, recipient__isnull=False)
    if waiting.exists():
        book(send_digests, next_run(timezone.now()))


@on_worker_start
def resume_digests() -> None:
    """A worker that starts sends an overdue digest (its installation was down at the period's start)."""
    from samenveilig.notifications.digest import overdue

    if overdue(timezone.now()):
        book(send_digests, timezone.now())
    else:
        schedule_digest()


def delivery_is_waiting() -> bool:
    """Like fan_out_is_waiting, for the delivery task."""
    return queued_by(deliver, timezone.now())


@on_worker_start
def resume_delivery() -> None:
    """A worker that starts sends what is due (also what a killed worker had leased: its lease runs out)."""
    from samenveilig.notifications.models import Delivery, DeliveryState

    due = Delivery.objects.filter(state__in=[DeliveryState.PENDING, DeliveryState.FAILED], due_at__lte=timezone.now())
    if due.exists() and not delivery_is_waiting():
        deliver.enqueue()
