"""Background tasks of the platform itself (django-tasks, database backend).

A task is enqueued inside the transaction of the change that needs it: the task row commits with the change, or
not at all. `samenveilig serve` runs them in a worker thread on SQLite; `samenveilig worker` runs them at scale.
"""

from collections.abc import Callable
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection
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


@cache
def _queued_sql() -> str:
    meta = DBTaskResult._meta
    column = {name: connection.ops.quote_name(meta.get_field(name).column) for name in ("status", "task_path")}
    run_after = connection.ops.quote_name(meta.get_field("run_after").column)
    return (
        f"SELECT 1 FROM {connection.ops.quote_name(meta.db_table)} "  # noqa: S608 - identifiers are the model's
        f"WHERE {column['status']} = %s AND {column['task_path']} = %s AND ({run_after} = %s OR {run_after} <= %s) "
        "LIMIT 1"
    )


def queued_by(job: Any, at: Any) -> bool:
    """True when `job` waits in the database queue, not started, to run at `at` or before (always False with another
    task backend). Raw SQL on purpose: every routed report asks this after its commit, and building the same
    query through the ORM cost ~1 ms there against ~0.1 ms."""
    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return False
    adapt = connection.ops.adapt_datetimefield_value
    params = [TaskResultStatus.READY.value, job.module_path, adapt(get_date_max()), adapt(at)]
    with connection.cursor() as cursor:
        cursor.execute(_queued_sql(), params)
        return cursor.fetchone() is not None


def book(job: Any, at: Any) -> None:
    """`job` to run at `at` (None: nothing to book), unless it is already queued to run by then (with the
    database backend): a task booked for the moment it has work, never a poll."""
    if at is None or queued_by(job, at):
        return
    job.using(run_after=at).enqueue()


@task()
def health_ping(*, note: str = "") -> int:
    """Prove that the background worker runs: append one audit event and return its id."""
    event = AuditEvent.objects.create(
        action="health.ping", object_type="core.worker", object_id="-", data={"note": note}
    )
    return event.pk
