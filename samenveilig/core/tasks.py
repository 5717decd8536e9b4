"""Background tasks of the platform itself (django-tasks, database backend).

A task is enqueued inside the transaction of the change that needs it: the task row commits with the change, or
not at all. `samenveilig serve` runs them in a worker thread on SQLite; `samenveilig worker` runs them at scale.
"""

from django_tasks import task

from samenveilig.core.models import AuditEvent


@task()
def health_ping(*, note: str = "") -> int:
    """Prove that the background worker runs: append one audit event and return its id."""
    event = AuditEvent.objects.create(
        action="health.ping", object_type="core.worker", object_id="-", data={"note": note}
    )
    return event.pk
