"""Delivery on the outside channels: records written with the message, sent by the worker through real transports
(e-mail through Django's backend, SMS over HTTP to a fake gateway on loopback), retried with back-off when a channel
is down, dead letters on permanent errors, quiet hours, and a worker that dies after sending."""

import datetime
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

from django.core import mail
from django.test import override_settings

from samenveilig.core.errors import Invalid
from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.notifications import delivery, services
from samenveilig.notifications.models import ChannelChoice, Delivery, DeliveryState, Notification, Urgency

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Tomorrow at noon: after the deliveries' due time (now), outside the default quiet hours.
NOON = datetime.datetime.combine(
    datetime.datetime.now(tz=AMSTERDAM).date() + datetime.timedelta(days=1), datetime.time(12, 0), tzinfo=AMSTERDAM
)


class FakeGateway:
    """An SMS gateway on loopback: records every request; `script` is a list of (status, headers) answers to give
    first (then 200)."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.script: list[tuple[int, dict[str, str]]] = []
        self.delay_s = 0.0  # how long each answer takes
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                time.sleep(gateway.delay_s)
                status, headers = gateway.script.pop(0) if gateway.script else (200, {})
                gateway.received.append(
                    {
                        "body": body,
                        "key": self.headers["Idempotency-Key"],
                        "auth": self.headers["Authorization"],
                        "status": status,
                    }  # fmt: skip
                )
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class DeliveryTests(SamenVeiligTestCase):
    def setUp(self) -> None:
        self.gateway = FakeGateway()
        self.addCleanup(self.gateway.close)
        overrides = override_settings(SMS_URL=self.gateway.url, SMS_KEY="geheim", SITE_URL="https://sv.example")
        overrides.enable()
        self.addCleanup(overrides.disable)
        self.anna.phone = "+31612345678"
        self.anna.save(update_fields=["phone"])
        services.channels_set(user=self.anna, category="report", channels=["sms", "email"])

    def notify(self, urgency: str = Urgency.NORMAL) -> Notification:
        services.notify(
            recipients=[self.anna, self.ivo],
            kind="report.status",
            data={"status": "in_progress", "summary": "Fietsendiefstal"},
            link="/meldingen/x/",
            urgency=urgency,
        )
        return Notification.objects.filter(recipient=self.anna).latest("pk")

    def test_the_chosen_channels_get_a_delivery_with_the_message_and_are_sent_once(self) -> None:
        note = self.notify()
        self.assertEqual(sorted(note.deliveries.values_list("channel", flat=True)), ["email", "sms"])
        self.assertFalse(Delivery.objects.filter(notification__recipient=self.ivo).exists())  # ivo chose nothing
        self.assertEqual(delivery.deliver_due(now=NOON), {"sent": 2})
        self.assertEqual(delivery.deliver_due(now=NOON), {})  # nothing twice
        [sms] = self.gateway.received
        self.assertEqual(sms["body"]["to"], "+31612345678")
        self.assertEqual(sms["key"], f"samenveilig-{note.pk}-sms")
        self.assertEqual(sms["auth"], "Bearer geheim")
        self.assertIn("https://sv.example/meldingen/x/", sms["body"]["text"])
        [email] = mail.outbox
        self.assertEqual(email.to, [self.anna.email])
        self.assertEqual(len(email.alternatives), 1)  # plain text and HTML
        self.assertEqual(set(note.deliveries.values_list("state", flat=True)), {DeliveryState.SENT})

    def test_a_channel_that_is_down_delays_its_delivery_and_loses_none(self) -> None:
        services.channels_set(user=self.anna, category="report", channels=["sms"])
        note = self.notify()
        self.gateway.script = [(503, {"Retry-After": "600"}), (503, {})]
        self.assertEqual(delivery.deliver_due(now=NOON), {"failed": 1})
        row = note.deliveries.get()
        self.assertEqual((row.attempts, row.last_error), (1, "HTTP 503"))
        self.assertGreaterEqual(row.due_at, NOON + datetime.timedelta(seconds=600))  # the gateway's Retry-After
        self.assertEqual(delivery.deliver_due(now=NOON + datetime.timedelta(seconds=599)), {})  # not yet
        self.assertEqual(delivery.deliver_due(now=row.due_at), {"failed": 1})
        later = note.deliveries.get().due_at
        self.assertEqual(delivery.deliver_due(now=later), {"sent": 1})
        self.assertEqual([r["status"] for r in self.gateway.received], [503, 503, 200])
        self.assertEqual({r["key"] for r in self.gateway.received}, {f"samenveilig-{note.pk}-sms"})

    def test_back_off_doubles_with_jitter_up_to_a_cap(self) -> None:
        import random

        rng = random.Random(1)
        for attempts, base in ((1, 30), (2, 60), (5, 480), (30, 6 * 3600)):
            with self.subTest(attempts=attempts):
                delay = delivery.backoff_s(attempts, rng=rng)
                self.assertTrue(base * 0.5 <= delay <= base * 1.5, delay)

    def test_a_permanent_error_is_a_dead_letter_at_once_and_can_be_retried_by_hand(self) -> None:
        services.channels_set(user=self.anna, category="report", channels=["sms"])
        note = self.notify()
        self.gateway.script = [(400, {})]
        self.assertEqual(delivery.deliver_due(now=NOON), {"dead": 1})
        dead = note.deliveries.get()
        self.assertEqual((dead.state, dead.last_error), (DeliveryState.DEAD, "HTTP 400"))
        # Anna hears it in her inbox (there only), with where to fix it; once while that message is unread.
        [told] = Notification.objects.filter(recipient=self.anna, kind="delivery.refused")
        self.assertEqual((told.link, told.deliveries.count()), ("/berichten/instellingen/", 0))
        from samenveilig.notifications.selectors import notification_view

        self.assertIn("sms", notification_view(told).title.lower())
        self.gateway.script = [(400, {})]
        self.notify()
        delivery.deliver_due(now=NOON)
        self.assertEqual(Notification.objects.filter(recipient=self.anna, kind="delivery.refused").count(), 1)
        dead.refresh_from_db()
        delivery.delivery_retry(delivery=dead)
        self.assertEqual(delivery.deliver_due(now=NOON + datetime.timedelta(hours=1)), {"sent": 1})

    def test_after_the_channels_maximum_of_attempts_it_is_dead(self) -> None:
        services.channels_set(user=self.anna, category="report", channels=["sms"])
        note = self.notify()
        self.gateway.script = [(500, {})] * 20
        moment = NOON
        for _ in range(10):
            delivery.deliver_due(now=moment)
            moment = note.deliveries.get().due_at
        row = note.deliveries.get()
        self.assertEqual((row.state, row.attempts), (DeliveryState.DEAD, 10))

    def test_quiet_hours_hold_normal_messages_until_morning_but_never_urgent_ones(self) -> None:
        night = NOON + datetime.timedelta(hours=11, minutes=30)
        services.channels_set(user=self.anna, category="report", channels=["sms"])
        normal = self.notify()
        self.assertEqual(delivery.deliver_due(now=night), {"held": 1})
        morning = datetime.datetime.combine(night.date() + datetime.timedelta(days=1), datetime.time(7, 0), AMSTERDAM)
        self.assertEqual(normal.deliveries.get().due_at, morning)
        self.assertEqual(self.gateway.received, [])
        Notification.objects.all().delete()
        self.notify(Urgency.URGENT)
        self.assertEqual(delivery.deliver_due(now=night), {"sent": 1})
        services.quiet_hours_set(user=self.anna, quiet_from=datetime.time(0, 0), quiet_until=datetime.time(0, 0))
        self.notify()  # no quiet hours at all now
        self.assertEqual(delivery.deliver_due(now=night), {"sent": 1})

    def test_a_worker_that_dies_after_sending_leaves_a_lease_that_runs_out_and_the_same_key(self) -> None:
        services.channels_set(user=self.anna, category="report", channels=["sms"])
        note = self.notify()
        [leased] = delivery._lease(NOON, 10)  # a worker leases the row ...
        delivery.TRANSPORTS["sms"].send(delivery._message(leased))  # ... sends, and dies before recording
        self.assertEqual(delivery.deliver_due(now=NOON + datetime.timedelta(seconds=30)), {})  # leased to it
        self.assertEqual(
            delivery.deliver_due(now=NOON + delivery.lease_time() + datetime.timedelta(seconds=1)), {"sent": 1}
        )
        keys = [r["key"] for r in self.gateway.received]
        self.assertEqual(keys, [f"samenveilig-{note.pk}-sms"] * 2)  # at-least-once, with a key to drop the double
        self.assertEqual(note.deliveries.get().state, DeliveryState.SENT)

    def test_a_fan_out_writes_its_deliveries_with_its_notifications_once(self) -> None:
        services.channels_set(user=self.cor, category="conversation", channels=["email"])
        services.notify_audience(community=self.buurt, kind="conversation.shared_report", data={"community": "x"})
        self.assertEqual(services.fan_out_pending(), 1)
        self.assertEqual(services.fan_out_pending(), 0)
        rows = Delivery.objects.all()
        self.assertEqual([(d.notification.recipient, d.channel) for d in rows], [(self.cor, "email")])
        self.assertEqual(delivery.deliver_due(now=NOON), {"sent": 1})

    def test_digest_messages_get_no_delivery_now(self) -> None:
        self.notify(Urgency.DIGEST)
        self.assertFalse(Delivery.objects.exists())

    def test_bad_choices_are_refused_in_dutch_and_change_nothing(self) -> None:
        before = list(ChannelChoice.objects.values_list("user", "category", "channel"))
        for category, channels, field in (
            ("weer", ["email"], "category"),
            ("report", ["duif"], "channels"),
        ):
            with self.subTest(category=category), self.assertRaises(Invalid) as caught:
                services.channels_set(user=self.anna, category=category, channels=channels)
            self.assertIn(field, caught.exception.fields)
        with self.assertRaises(Invalid) as caught:
            services.channels_set(user=self.ivo, category="report", channels=["sms"])  # ivo has no phone number
        self.assertIn("telefoonnummer", str(caught.exception.message))
        self.assertEqual(list(ChannelChoice.objects.values_list("user", "category", "channel")), before)


class UrgentReportTests(SamenVeiligTestCase):
    def test_an_urgent_report_reaches_the_chosen_channels_also_in_quiet_hours(self) -> None:
        from samenveilig.reports.tests.factories import submit

        gateway = FakeGateway()
        self.addCleanup(gateway.close)
        self.anna.phone = "+31612345678"
        self.anna.save(update_fields=["phone"])
        services.channels_set(user=self.anna, category="report", channels=["sms"])
        submit(self.ivo, self.buurt)  # urgent, to all members
        submit(self.ivo, self.buurt, "overlast")  # normal, not to anna (coordinators and partners)
        services.fan_out_pending()
        [row] = Delivery.objects.filter(notification__recipient=self.anna)
        self.assertEqual(row.notification.urgency, Urgency.URGENT)
        night = NOON + datetime.timedelta(hours=12)
        with override_settings(SMS_URL=gateway.url):
            self.assertEqual(delivery.deliver_due(now=night), {"sent": 1})
        self.assertEqual(len(gateway.received), 1)


class OperationsTests(SamenVeiligTestCase):
    def setUp(self) -> None:
        services.channels_set(user=self.anna, category="report", channels=["email"])
        services.notify(recipients=[self.anna], kind="report.status", data={"status": "closed"})
        ChannelChoice.objects.create(user=self.anna, category="report", channel="sms")  # chosen back when she had a
        services.notify(recipients=[self.anna], kind="report.status", data={"status": "closed"})  # phone number
        with override_settings(SMS_URL="http://127.0.0.1:9/"):
            delivery.deliver_due(now=NOON)  # the SMS is a dead letter at once (no number); the e-mails are sent

    def test_admins_see_counts_and_dead_letters_and_send_one_again(self) -> None:
        self.login_as("root")
        status = self.client.get("/api/v1/notifications/delivery-status").json()["channels"]
        self.assertEqual(status["email"], {"pending": 0, "sent": 2, "failed": 0, "dead": 0})
        self.assertEqual(status["sms"], {"pending": 0, "sent": 0, "failed": 0, "dead": 1})
        page = self.client.get("/berichten/bezorging/")
        self.assertContains(page, "no phone number")
        dead = Delivery.objects.get(state=DeliveryState.DEAD)
        self.assertEqual(self.client.post("/berichten/bezorging/", {"delivery": dead.pk}).status_code, 302)
        dead.refresh_from_db()
        self.assertEqual((dead.state, dead.attempts), (DeliveryState.PENDING, 0))
        again = self.client.post("/berichten/bezorging/", {"delivery": dead.pk}, follow=True)
        self.assertContains(again, "onbestelbaar")  # not dead any more: nothing changes

    def test_nobody_else_sees_them(self) -> None:
        for who in ("anna", "cor", "wendy", "mark"):
            with self.subTest(who=who):
                self.login_as(who)
                self.assertEqual(self.client.get("/berichten/bezorging/").status_code, 404)
                self.assertEqual(self.client.get("/api/v1/notifications/delivery-status").status_code, 404)


class DeliveryHistoryTests(SamenVeiligTestCase):
    def test_an_admin_reads_one_persons_history_and_the_read_is_logged(self) -> None:
        from samenveilig.core.models import AuditEvent

        services.channels_set(user=self.anna, category="report", channels=["email"])
        services.notify(recipients=[self.anna], kind="report.status", data={"status": "closed"})
        delivery.deliver_due(now=NOON)
        self.login_as("root")
        page = self.client.get("/berichten/bezorging/", {"persoon": self.anna.email.upper()})
        self.assertContains(page, "report.status")
        self.assertContains(page, "Verstuurd")
        self.assertTrue(AuditEvent.objects.filter(action="delivery.history_read", object_id=str(self.anna.pk)).exists())
        self.assertContains(self.client.get("/berichten/bezorging/", {"persoon": "niemand@example.org"}), "Niemand")
        self.login_as("cor")
        self.assertEqual(self.client.get("/berichten/bezorging/", {"persoon": self.anna.email}).status_code, 404)

    def test_an_admin_sees_who_got_one_message_on_which_channel_and_the_read_is_logged(self) -> None:
        from samenveilig.core.models import AuditEvent

        services.channels_set(user=self.anna, category="report", channels=["email"])
        services.notify(
            recipients=[self.anna, self.ivo],
            kind="report.status",
            data={"status": "closed"},
            subject=("reports.report", "abc123"),
        )
        services.notify(recipients=[self.cor], kind="report.status", data={"status": "closed"}, subject=("x", "other"))
        delivery.deliver_due(now=NOON)
        self.login_as("root")
        page = self.client.get("/berichten/bezorging/", {"bericht": "abc123"})
        rows = page.content.decode().split("data-message-history", 1)[1]
        self.assertIn("Anna Jansen", rows)
        self.assertIn("Ivo Bakker", rows)
        self.assertNotIn("Cor de Vries", rows)  # another message
        self.assertIn("e-mail: verstuurd (", rows)  # channel, state and when
        self.assertIn("alleen in de inbox", rows.lower())  # ivo chose no other channel
        self.assertTrue(AuditEvent.objects.filter(action="delivery.message_read").exists())
        self.login_as("cor")
        self.assertEqual(self.client.get("/berichten/bezorging/", {"bericht": "abc123"}).status_code, 404)


class NextRunTests(SamenVeiligTestCase):
    def test_after_a_failure_the_task_books_its_next_run_for_the_retry(self) -> None:
        from django.utils import timezone
        from django_tasks_db.models import DBTaskResult

        from samenveilig.notifications import tasks

        gateway = FakeGateway()
        self.addCleanup(gateway.close)
        gateway.script = [(503, {"Retry-After": "300"})]
        self.anna.phone = "+31612345678"
        self.anna.save(update_fields=["phone"])
        services.channels_set(user=self.anna, category="report", channels=["sms"])
        services.notify(recipients=[self.anna], kind="report.status", data={"status": "closed"}, urgency="urgent")
        DBTaskResult.objects.all().delete()
        with override_settings(SMS_URL=gateway.url):
            self.assertEqual(tasks.deliver.call(), {"failed": 1})  # what the worker runs
        row = Delivery.objects.get()
        booked = DBTaskResult.objects.get(task_path=tasks.deliver.module_path, status="READY")
        self.assertEqual(booked.run_after, row.due_at)  # the retry, not an unrelated wake-up
        self.assertGreater(row.due_at, timezone.now() + datetime.timedelta(seconds=290))
        tasks.schedule_delivery(row.due_at)  # asked again: already booked
        self.assertEqual(DBTaskResult.objects.filter(task_path=tasks.deliver.module_path).count(), 1)

    def test_nothing_waiting_books_nothing(self) -> None:
        self.assertIsNone(delivery.next_due())


class BurstTests(SamenVeiligTestCase):
    def test_a_backlog_wakes_a_second_worker_once_and_a_small_batch_does_not(self) -> None:
        from django_tasks_db.models import DBTaskResult

        from samenveilig.notifications import tasks

        gateway = FakeGateway()
        self.addCleanup(gateway.close)
        self.anna.phone = "+31612345678"
        self.anna.save(update_fields=["phone"])
        services.channels_set(user=self.anna, category="report", channels=["sms"])
        for _ in range(3):
            services.notify(recipients=[self.anna], kind="report.status", data={"status": "closed"}, urgency="urgent")
        DBTaskResult.objects.all().delete()
        woken = []
        with override_settings(SMS_URL=gateway.url):
            self.assertEqual(delivery.deliver_due(batch=2, on_backlog=lambda: woken.append(1)), {"sent": 3})
        self.assertEqual(woken, [1])  # a full first batch: once, not per batch
        services.notify(recipients=[self.anna], kind="report.status", data={"status": "closed"}, urgency="urgent")
        with override_settings(SMS_URL=gateway.url):
            self.assertEqual(delivery.deliver_due(batch=2, on_backlog=lambda: woken.append(2)), {"sent": 1})
        self.assertEqual(woken, [1])  # one row: no second worker needed
        tasks.wake_another()
        tasks.wake_another()  # a task already waits: not a second one
        self.assertEqual(DBTaskResult.objects.filter(task_path=tasks.deliver.module_path, status="READY").count(), 1)
