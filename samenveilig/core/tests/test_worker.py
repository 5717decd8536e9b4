"""Background work: the task row commits with the change that needs it, and the workers run it.

TransactionTestCase, because a worker runs outside the test's transaction: it must see real commits (and real
rollbacks), as it does in production.
"""

from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django.test import TransactionTestCase
from django_tasks_db.models import DBTaskResult

from samenveilig.core.management.commands.serve import start_worker_thread
from samenveilig.core.models import AuditEvent
from samenveilig.core.tasks import health_ping

SUCCESSFUL = "SUCCESSFUL"


class Rollback(Exception):
    pass


class WorkerCommandTests(TransactionTestCase):
    def test_a_task_enqueued_in_a_committed_transaction_is_run_by_the_worker(self) -> None:
        with transaction.atomic():
            result = health_ping.enqueue(note="committed")
        self.assertFalse(AuditEvent.objects.filter(action="health.ping").exists())  # queued, not run yet

        call_command("worker", batch=True, stdout=StringIO())

        event = AuditEvent.objects.get(action="health.ping")
        self.assertEqual(event.data, {"note": "committed"})
        row = DBTaskResult.objects.get(pk=result.id)
        self.assertEqual((row.status, row.return_value), (SUCCESSFUL, event.pk))

    def test_a_task_enqueued_in_a_rolled_back_transaction_is_never_run(self) -> None:
        with self.assertRaises(Rollback), transaction.atomic():
            health_ping.enqueue(note="rolled back")
            raise Rollback

        call_command("worker", batch=True, stdout=StringIO())

        self.assertFalse(DBTaskResult.objects.exists())
        self.assertFalse(AuditEvent.objects.filter(action="health.ping").exists())

    def test_a_batch_worker_runs_every_queued_task_once(self) -> None:
        for n in range(3):
            health_ping.enqueue(note=f"ping {n}")

        call_command("worker", batch=True, stdout=StringIO())
        call_command("worker", batch=True, stdout=StringIO())  # nothing left: runs nothing twice

        notes = sorted(AuditEvent.objects.filter(action="health.ping").values_list("data__note", flat=True))
        self.assertEqual(notes, ["ping 0", "ping 1", "ping 2"])
        self.assertEqual(set(DBTaskResult.objects.values_list("status", flat=True)), {SUCCESSFUL})


class ServeWorkerThreadTests(TransactionTestCase):
    def test_the_worker_thread_of_serve_picks_up_queued_work(self) -> None:
        result = health_ping.enqueue(note="in-process")

        background = start_worker_thread(interval=0.05, max_tasks=1)
        background.thread.join(timeout=30)  # it stops by itself after its one task

        self.assertFalse(background.thread.is_alive())
        self.assertEqual(DBTaskResult.objects.get(pk=result.id).status, SUCCESSFUL)
        self.assertTrue(AuditEvent.objects.filter(action="health.ping", data__note="in-process").exists())

    def test_the_worker_thread_stops_when_asked(self) -> None:
        background = start_worker_thread(interval=0.05)
        self.assertTrue(background.thread.is_alive())
        self.assertTrue(background.stop(timeout=10))


class QueuedByTests(TransactionTestCase):
    """core.tasks.queued_by: whether a task already waits to run by a moment (so a wake-up or booking is not
    enqueued twice)."""

    def test_a_waiting_task_counts_by_its_run_after_and_only_until_it_starts(self) -> None:
        from datetime import timedelta

        from django.utils import timezone

        from samenveilig.core.tasks import queued_by

        now = timezone.now()
        self.assertFalse(queued_by(health_ping, now))
        later = health_ping.using(run_after=now + timedelta(hours=1)).enqueue()
        self.assertFalse(queued_by(health_ping, now))  # booked for later: not waiting now
        self.assertTrue(queued_by(health_ping, now + timedelta(hours=2)))
        DBTaskResult.objects.filter(pk=later.id).delete()
        soon = health_ping.enqueue()  # no run_after: ready at once
        self.assertTrue(queued_by(health_ping, now))
        DBTaskResult.objects.filter(pk=soon.id).update(status="RUNNING")
        self.assertFalse(queued_by(health_ping, now))  # started: it may not see what comes next
