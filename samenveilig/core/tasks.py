"""Background tasks of the platform itself (django-tasks, database backend).

A task is enqueued inside the transaction of the change that needs it: the task row commits with the change, or
not at all. `samenveilig serve` runs them in a worker thread on SQLite; `samenveilig worker` runs them at scale.
"""

from collections.abc import Callable

from django_tasks import task

from samenveilig.core.models import AuditEvent

_WORKER_START: list[Callable[[], None]] = []


def on_worker_start(func: Callable[[], None]) -> Callable[[], None]:
    """Register `func` to run when a worker starts (in-process or `samenveilig worker`): apps use it to pick up
    work a stopped worker left unfinished. Register at import time of the app's tasks module."""
    _WORKER_START.append(func)
    return func


def run_worker_start_hooks() -> None:
    for func in _WORKER_START:
        func()


@task()
def health_ping(*, note: str = "") -> int:
    """Prove that the background worker runs: append one audit event and return its id."""
    event = AuditEvent.objects.create(
        action="health.ping", object_type="core.worker", object_id="-", data={"note": note}
    )
    return event.pk
