"""The worker's side of the inbox: write pending audience notifications (notifications.services.fan_out_pending)."""

from django.conf import settings
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from samenveilig.core.tasks import on_worker_start


@task()
def fan_out() -> int:
    """Write every pending fan-out; returns how many were done."""
    from samenveilig.notifications.services import fan_out_pending

    return fan_out_pending()


def fan_out_is_waiting() -> bool:
    """True when a fan-out task waits in the database queue and has not started: it will see every fan-out
    committed before it starts. False with any other task backend (then every wake-up enqueues)."""
    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return False
    return DBTaskResult.objects.ready().filter(task_path=fan_out.module_path).exists()


@on_worker_start
def resume_fan_out() -> None:
    """A worker that starts finishes what a stopped one left: pending fan-outs get a task."""
    from samenveilig.notifications.models import Fanout

    if Fanout.objects.filter(done_at__isnull=True).exists() and not fan_out_is_waiting():
        fan_out.enqueue()
