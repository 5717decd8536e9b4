from io import StringIO
from typing import Any
from unittest.mock import patch

from django.core.management import call_command
from django.db import connection, transaction
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from samenveilig.accounts.pseudonyms import pseudonym
from samenveilig.core.permissions import Role
from samenveilig.core.tasks import run_worker_start_hooks
from samenveilig.core.testing import SamenVeiligTestCase, make_cast
from samenveilig.notifications import selectors, services, tasks
from samenveilig.notifications.models import Fanout, Notification


class NotifyTests(SamenVeiligTestCase):
    def _routed(self, **audience: Any) -> Fanout | None:
        return services.notify_audience(kind="report.routed", data={"community": "Noord"}, **audience)

    def test_an_audience_waits_for_the_worker_then_reaches_each_person_once_without_the_excluded(self) -> None:
        self._routed(community=self.buurt, organisation_ids=[self.police.pk], exclude_id=self.anna.pk)
        self.assertFalse(Notification.objects.exists())  # only the fan-out row is written with the change
        self.assertEqual(services.fan_out_pending(), 1)
        people = sorted(Notification.objects.values_list("recipient__username", flat=True))
        self.assertEqual(people, ["cor", "fenna", "ivo", "wendy"])
        self.assertEqual(Notification.objects.get(recipient=self.cor).message_data, {"community": "Noord"})
        self.assertEqual(Fanout.objects.get().written, 4)

    def test_roles_narrow_the_members_and_notifications_keep_the_time_of_the_event(self) -> None:
        fanout = self._routed(community=self.buurt, roles=[Role.COORDINATOR])
        services.fan_out_pending()
        self.assertEqual(list(Notification.objects.values_list("recipient__username", flat=True)), ["cor"])
        self.assertEqual(Notification.objects.get().created_at, fanout.created_at)

    def test_staff_only_and_nobody_at_all(self) -> None:
        self._routed(organisation_ids=[self.police.pk])
        self.assertIsNone(self._routed())
        services.fan_out_pending()
        self.assertEqual(list(Notification.objects.values_list("recipient__username", flat=True)), ["wendy"])

    def test_fan_outs_written_together_keep_each_its_own_audience_exclusion_and_count(self) -> None:
        everybody = self._routed(community=self.buurt, organisation_ids=[self.police.pk], exclude_id=self.anna.pk)
        coordinators = self._routed(community=self.buurt, roles=[Role.COORDINATOR], exclude_id=self.cor.pk)
        police = self._routed(organisation_ids=[self.police.pk], exclude_id=self.anna.pk)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(services.fan_out_pending(), 3)
        inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "notifications_notification"')]
        self.assertEqual(len(inserts), 1, inserts)  # the three audiences in one statement
        written = {f.pk: f.written for f in Fanout.objects.all()}
        self.assertEqual(written, {everybody.pk: 4, coordinators.pk: 0, police.pk: 1})
        per_fanout = sorted(Notification.objects.values_list("fanout_id", "recipient__username"))
        self.assertEqual(
            per_fanout,
            sorted([(everybody.pk, name) for name in ("cor", "fenna", "ivo", "wendy")] + [(police.pk, "wendy")]),
        )
        self.assertTrue(all(n.created_at == n.fanout.created_at for n in Notification.objects.select_related("fanout")))

    def test_running_again_writes_nothing_twice(self) -> None:
        self._routed(community=self.buurt)
        self.assertEqual((services.fan_out_pending(), services.fan_out_pending()), (1, 0))
        self.assertEqual(Notification.objects.count(), 4)  # anna, cor, fenna, ivo

    def test_a_failure_mid_batch_writes_nothing_and_the_next_run_writes_each_once(self) -> None:
        self._routed(community=self.buurt)
        self._routed(organisation_ids=[self.police.pk])
        real = services._write_fanouts

        def failing(fanouts: list[Fanout]) -> None:
            real(fanouts)  # both fan-outs' rows are written, then the worker dies before the batch commits
            self.assertEqual(Notification.objects.count(), 5)
            raise OSError("the worker died here")

        with patch.object(services, "_write_fanouts", failing), self.assertRaises(OSError):
            services.fan_out_pending()
        self.assertFalse(Notification.objects.exists())
        self.assertEqual(Fanout.objects.filter(done_at__isnull=True).count(), 2)
        self.assertEqual(services.fan_out_pending(), 2)
        self.assertEqual(Notification.objects.count(), 5)  # four members, one police officer

    def test_a_burst_of_fan_outs_wakes_the_worker_with_one_task(self) -> None:
        for _ in range(3):
            with self.captureOnCommitCallbacks(execute=True):
                self._routed(community=self.buurt)
        self.assertEqual(DBTaskResult.objects.filter(task_path=tasks.fan_out.module_path).count(), 1)

    def test_a_starting_worker_gives_pending_fan_outs_a_task(self) -> None:
        self._routed(community=self.buurt)  # committed, but its wake-up was lost (a crash)
        self.assertFalse(DBTaskResult.objects.exists())
        run_worker_start_hooks()
        run_worker_start_hooks()
        self.assertEqual(DBTaskResult.objects.filter(task_path=tasks.fan_out.module_path).count(), 1)


class FanOutDeliveryPlanTests(SamenVeiligTestCase):
    """The deliveries of a fan-out are found through the fan-out's own rows: SQLite once scanned every notification
    ever written for each fan-out, so the worker slowed down as the inbox grew."""

    def test_sqlite_reads_the_fanouts_rows_through_its_index_not_the_whole_table(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("SQLite's planner: PostgreSQL plans this join from statistics of its own")
        fanout = services.notify_audience(kind="report.routed", data={}, community=self.buurt)
        services.fan_out_pending()
        with connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN QUERY PLAN " + services.fanout_deliveries_sql(), ["pending", None, None, fanout.pk, "urgent"]
            )
            plan = [row[-1] for row in cursor.fetchall()]
        self.assertTrue(any(step.startswith("SEARCH n USING INDEX") for step in plan), plan)
        self.assertFalse(any(step.startswith("SCAN n") for step in plan), plan)


class FanOutWorkerTests(TransactionTestCase):
    """The real path: a committed change wakes the worker, the worker writes the notifications."""

    def setUp(self) -> None:
        make_cast(self)

    def test_the_worker_writes_a_committed_fan_out(self) -> None:
        with transaction.atomic():
            services.notify_audience(community=self.buurt, kind="report.routed", exclude_id=self.anna.pk)
        self.assertFalse(Notification.objects.exists())
        call_command("worker", batch=True, stdout=StringIO())
        self.assertEqual(Notification.objects.count(), 3)  # cor, fenna, ivo
        self.assertEqual(selectors.unread_count(self.cor), 1)

    def test_a_rolled_back_change_notifies_nobody(self) -> None:
        with self.assertRaises(ValueError), transaction.atomic():
            services.notify_audience(community=self.buurt, kind="report.routed")
            raise ValueError
        call_command("worker", batch=True, stdout=StringIO())
        self.assertFalse(Fanout.objects.exists() or Notification.objects.exists())

    def test_a_pseudonym_finds_its_notifications_and_nobody_else_does(self) -> None:
        services.notify(recipient_keys=[pseudonym(self.anna)], kind="report.feedback", data={"organisation": "X"})
        self.assertEqual(selectors.unread_count(self.anna), 1)
        self.assertEqual(selectors.unread_count(self.cor), 0)
        self.assertIsNone(Notification.objects.get().recipient)

    def test_marking_read_touches_only_ones_own(self) -> None:
        services.notify(recipients=[self.anna, self.cor], kind="x", subject=("reports.report", "abc"))
        services.notify(recipients=[self.anna], kind="y", subject=("reports.report", "def"))
        self.assertEqual(services.notifications_mark_read(user=self.anna, subject=("reports.report", "abc")), 1)
        self.assertEqual((selectors.unread_count(self.anna), selectors.unread_count(self.cor)), (1, 1))
        self.assertEqual(services.notifications_mark_read(user=self.anna), 1)
        self.assertEqual(selectors.unread_count(self.anna), 0)

    def test_an_unknown_kind_still_renders(self) -> None:
        services.notify(recipients=[self.anna], kind="nobody.knows")
        view = selectors.notification_view(Notification.objects.get())
        self.assertTrue(view.title)
