"""Background tasks of the platform itself (django-tasks, database backend).

A task is enqueued inside the transaction of the change that needs it: the task row commits with the change, or
not at all. `samenveilig serve` runs them in a worker thread on SQLite; `samenveilig worker` runs them at scale.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import Q
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult, get_date_max

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


def book(job: Any, at: Any) -> None:
    """`job` to run at `at` (None: nothing to book), unless it is already queued to run by then (with the
    database backend): a task booked for the moment it has work, never a poll."""
    if at is None:
        return
    if "django_tasks_db" in settings.TASKS["default"]["BACKEND"]:
        queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=job.module_path).filter(
            Q(run_after=get_date_max()) | Q(run_after__lte=at)
        )
        if queued.exists():
            return
    job.using(run_after=at).enqueue()


@task()
def health_ping(*, note: str = "") -> int:
    """Prove that the background worker runs: append one audit event and return its id."""
    event = AuditEvent.objects.create(
        action="health.ping", object_type="core.worker", object_id="-", data={"note": note}
    )
    return event.pk
