"""The webhook channel end to end: a message for a partner organisation is written with the change that causes it,
and the delivery worker POSTs it, signed, to a real HTTP receiver on loopback; retries, dead letters, redirects,
timeouts and addresses that are not public."""

import datetime
import json
import re
import time
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

from django.conf import settings
from django.test import override_settings

from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.integrations.webhook import services, transport
from samenveilig.integrations.webhook.tests.support import Receiver, expected_signature
from samenveilig.notifications import delivery
from samenveilig.notifications import services as notifications
from samenveilig.notifications.models import Channel, Delivery, DeliveryState, Notification, Urgency
from samenveilig.reports.tests.factories import submit

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Tomorrow at noon: after the deliveries' due time (now), outside the quiet hours that hold normal messages.
NOON = datetime.datetime.combine(
    datetime.datetime.now(tz=AMSTERDAM).date() + datetime.timedelta(days=1), datetime.time(12, 0), tzinfo=AMSTERDAM
)


@override_settings(ALLOW_PRIVATE_ENDPOINTS=True, SITE_URL="https://samenveilig.example")  # the receiver: loopback
class WebhookDeliveryTests(SamenVeiligTestCase):
    def setUp(self) -> None:
        self.receiver = Receiver()
        self.addCleanup(self.receiver.close)
        self.endpoint = services.webhook_set(organisation=self.police, url=self.receiver.url, by=self.root)

    def notify_police(self, urgency: str = Urgency.NORMAL) -> Notification:
        notifications.notify_audience(
            organisation_ids=[self.police.pk],
            kind="report.reopen_request",
            data={"summary": "De melder vraagt om heropening."},
            link="/meldingen/abc/",
            subject=("reports.report", "abc"),
            urgency=urgency,
        )
        return Notification.objects.filter(organisation=self.police).latest("pk")

    def test_a_routed_report_reaches_the_police_system_once_signed_over_timestamp_and_body(self) -> None:
        with self.captureOnCommitCallbacks() as callbacks:
            report = submit(self.anna, self.buurt)  # urgent: routed to the police of Noord
        self.assertIn(notifications.wake_delivery, callbacks)  # the worker is woken when the report commits
        note = Notification.objects.get(organisation=self.police)
        self.assertEqual((note.recipient_id, note.recipient_key, note.kind), (None, "", "report.routed"))
        self.assertEqual(list(note.deliveries.values_list("channel", "state")), [("webhook", "pending")])
        self.assertFalse(Notification.objects.filter(organisation=self.gemeente).exists())  # no webhook there

        before = int(time.time())
        self.assertEqual(delivery.deliver_due(), {"sent": 1})  # urgent: never held by quiet hours
        self.assertEqual(delivery.deliver_due(), {})  # nothing twice
        [got] = self.receiver.received
        self.assertEqual((got.method, got.path), ("POST", "/hooks/samenveilig?source=test"))
        self.assertEqual(got.headers["Content-Type"], "application/json")
        self.assertEqual(got.headers["User-Agent"], "SamenVeilig-Webhook/1")
        key = f"samenveilig-{note.pk}-webhook"
        self.assertEqual(got.headers["X-Samenveilig-Delivery"], key)
        timestamp = got.headers["X-Samenveilig-Timestamp"]
        self.assertTrue(before <= int(timestamp) <= int(time.time()), timestamp)
        self.endpoint.refresh_from_db()
        self.assertEqual(
            got.headers["X-Samenveilig-Signature"], expected_signature(self.endpoint.secret, timestamp, got.body)
        )
        self.assertNotEqual(  # the signature covers the timestamp: the same body at another time does not verify
            got.headers["X-Samenveilig-Signature"], expected_signature(self.endpoint.secret, str(before - 60), got.body)
        )

        body = json.loads(got.body)
        self.assertEqual(set(body), {"id", "kind", "urgency", "created_at", "title", "body", "link", "subject"}, body)
        self.assertEqual((body["id"], body["kind"], body["urgency"]), (key, "report.routed", "urgent"))
        self.assertEqual(body["subject"], {"type": "reports.report", "code": str(report.code)})
        self.assertEqual(body["link"], f"https://samenveilig.example{note.link}")
        self.assertEqual(datetime.datetime.fromisoformat(body["created_at"]), note.created_at)
        self.assertIn("Buurtpreventie Noord", body["title"])
        self.assertIn("Nieuwe melding", body["title"])  # in Dutch, whoever's language
        self.assertEqual(note.deliveries.get().state, DeliveryState.SENT)

    def test_the_example_verifier_in_the_docs_accepts_a_real_delivery_and_rejects_a_changed_one(self) -> None:
        docs = Path(settings.PROJECT_DIR) / "docs" / "webhooks.md"
        [example] = re.findall(r"```python\n(.*?)```", docs.read_text(encoding="utf-8"), flags=re.DOTALL)
        namespace: dict = {}
        exec(compile(example, str(docs), "exec"), namespace)  # noqa: S102 - our own documentation
        verify = namespace["verify"]
        self.notify_police()
        delivery.deliver_due(now=NOON)
        [got] = self.receiver.received
        secret = self.endpoint.secret
        self.assertTrue(verify(secret, got.headers, got.body))
        self.assertFalse(verify(secret, got.headers, got.body.replace(b"heropening", b"heropening!")))
        self.assertFalse(verify("0" * 64, got.headers, got.body))
        stale = {**got.headers, "X-Samenveilig-Timestamp": str(int(time.time()) - 301)}
        self.assertFalse(verify(secret, stale, got.body))

    def test_a_receiver_that_is_down_gets_the_same_delivery_again_until_it_takes_it(self) -> None:
        note = self.notify_police()
        self.receiver.script = [(503, {}), (503, {"Retry-After": "120"})]
        self.assertEqual(delivery.deliver_due(now=NOON), {"failed": 1})
        row = note.deliveries.get()
        self.assertEqual((row.state, row.attempts, row.last_error), (DeliveryState.FAILED, 1, "HTTP 503"))
        self.assertEqual(delivery.deliver_due(now=row.due_at), {"failed": 1})
        row.refresh_from_db()
        self.assertGreaterEqual(row.due_at, NOON + datetime.timedelta(seconds=120))  # the receiver's Retry-After
        self.assertEqual(delivery.deliver_due(now=row.due_at), {"sent": 1})
        self.assertEqual(delivery.deliver_due(now=row.due_at + datetime.timedelta(days=1)), {})
        self.assertEqual([r.status for r in self.receiver.received], [503, 503, 200])
        ids = {r.headers["X-Samenveilig-Delivery"] for r in self.receiver.received}
        self.assertEqual(ids, {f"samenveilig-{note.pk}-webhook"})
        self.assertEqual(len({r.body for r in self.receiver.received}), 1)  # the same message every time
        for attempt in self.receiver.received:  # each attempt signed for its own timestamp
            stamp = attempt.headers["X-Samenveilig-Timestamp"]
            sig = attempt.headers["X-Samenveilig-Signature"]
            self.assertEqual(sig, expected_signature(self.endpoint.secret, stamp, attempt.body))
        row.refresh_from_db()
        self.assertEqual((row.state, row.attempts, row.last_error), (DeliveryState.SENT, 3, ""))

    def test_gone_is_a_dead_letter_at_once(self) -> None:
        note = self.notify_police()
        self.receiver.script = [(410, {})]
        self.assertEqual(delivery.deliver_due(now=NOON), {"dead": 1})
        row = note.deliveries.get()
        self.assertEqual((row.state, row.attempts), (DeliveryState.DEAD, 1))
        self.assertIn("HTTP 410", row.last_error)
        self.assertEqual(delivery.deliver_due(now=NOON + datetime.timedelta(days=1)), {})
        self.assertEqual(len(self.receiver.received), 1)

    def test_other_client_errors_are_permanent_and_rate_limits_wait(self) -> None:
        for status, headers, outcome in (
            (400, {}, (False, False, "HTTP 400")),
            (401, {}, (False, False, "HTTP 401")),
            (408, {}, (False, True, "HTTP 408")),
            (429, {"Retry-After": "900"}, (False, True, "HTTP 429")),
            (500, {}, (False, True, "HTTP 500")),
            (204, {}, (True, False, "")),
        ):
            with self.subTest(status=status):
                self.receiver.script = [(status, headers)]
                got = transport.WebhookTransport().send(delivery._message(self.pending()))
                self.assertEqual((got.sent, got.retry, got.error), outcome)
                if status == 429:
                    self.assertEqual(got.retry_after, 900.0)

    def pending(self) -> Delivery:
        self.notify_police()
        return Delivery.objects.filter(channel=Channel.WEBHOOK).select_related("notification").latest("pk")

    def test_a_retry_after_date_is_honoured(self) -> None:
        later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(minutes=10)
        self.receiver.script = [(503, {"Retry-After": later.strftime("%a, %d %b %Y %H:%M:%S GMT")})]
        got = transport.WebhookTransport().send(delivery._message(self.pending()))
        self.assertTrue(got.retry)
        self.assertTrue(540 <= got.retry_after <= 600, got.retry_after)

    def test_a_redirect_is_not_followed(self) -> None:
        note = self.notify_police()
        self.receiver.script = [(307, {"Location": f"{self.receiver.base}/elsewhere"})]
        self.assertEqual(delivery.deliver_due(now=NOON), {"dead": 1})
        self.assertEqual([r.path for r in self.receiver.received], ["/hooks/samenveilig?source=test"])
        error = note.deliveries.get().last_error
        self.assertIn("HTTP 307", error)
        self.assertIn("/elsewhere", error)
        self.assertIn("not followed", error)

    def test_a_slow_receiver_times_out_and_is_retried(self) -> None:
        note = self.notify_police()
        self.receiver.delay_s = 1.0
        with mock.patch.object(transport, "TIMEOUT_S", 0.2):
            self.assertEqual(delivery.deliver_due(now=NOON), {"failed": 1})
        self.assertIn("timed out", note.deliveries.get().last_error.lower())

    def test_a_receiver_that_is_not_there_is_retried(self) -> None:
        note = self.notify_police()
        self.receiver.close()
        self.assertEqual(delivery.deliver_due(now=NOON), {"failed": 1})
        self.assertIn("ConnectionRefusedError", note.deliveries.get().last_error)

    def test_the_current_secret_signs_a_retry_after_rotation(self) -> None:
        note = self.notify_police()
        self.receiver.script = [(503, {})]
        delivery.deliver_due(now=NOON)
        rotated = services.webhook_rotate_secret(organisation=self.police, by=self.root)
        delivery.deliver_due(now=note.deliveries.get().due_at)
        first, second = self.receiver.received
        self.assertEqual(first.headers["X-Samenveilig-Delivery"], second.headers["X-Samenveilig-Delivery"])
        stamp = second.headers["X-Samenveilig-Timestamp"]
        self.assertEqual(
            second.headers["X-Samenveilig-Signature"], expected_signature(rotated.secret, stamp, second.body)
        )

    def test_a_switched_off_webhook_gets_no_new_messages_and_waiting_ones_are_given_up(self) -> None:
        waiting = self.notify_police()
        services.webhook_switch(organisation=self.police, active=False, by=self.root)
        notifications.notify_audience(organisation_ids=[self.police.pk], kind="report.reopen_request", data={})
        self.assertEqual(Notification.objects.filter(organisation=self.police).count(), 1)  # only the first
        self.assertEqual(delivery.deliver_due(now=NOON), {"dead": 1})
        self.assertEqual(waiting.deliveries.get().last_error, "the organisation has no webhook switched on")
        self.assertEqual(self.receiver.received, [])

    def test_a_system_gets_normal_messages_also_at_night(self) -> None:
        # Quiet hours are a person's; an organisation's system has none.
        self.notify_police()
        night = NOON.replace(hour=23)
        self.assertEqual(delivery.deliver_due(now=night), {"sent": 1})
        self.assertEqual(len(self.receiver.received), 1)

    def test_one_message_per_organisation_with_a_webhook(self) -> None:
        services.webhook_set(organisation=self.other_police, url=self.receiver.url, by=self.root)
        notifications.notify_audience(
            organisation_ids=[self.police.pk, self.other_police.pk, self.gemeente.pk, self.police.pk],
            kind="report.reopen_request",
            data={"summary": "x"},
            urgency=Urgency.DIGEST,  # a system gets digest messages at once too
        )
        self.assertEqual(
            sorted(Notification.objects.filter(organisation__isnull=False).values_list("organisation_id", flat=True)),
            sorted([self.police.pk, self.other_police.pk]),
        )
        self.assertEqual(delivery.deliver_due(now=NOON), {"sent": 2})
        self.assertEqual(len({r.headers["X-Samenveilig-Delivery"] for r in self.receiver.received}), 2)


class PublicAddressesOnlyTests(SamenVeiligTestCase):
    """Without the test setting, nothing is sent to a loopback or private address: neither when the stored address
    is refused by the check before the send, nor when the connection would go to one."""

    def setUp(self) -> None:
        self.receiver = Receiver()
        self.addCleanup(self.receiver.close)
        with override_settings(ALLOW_PRIVATE_ENDPOINTS=True):
            services.webhook_set(organisation=self.police, url=self.receiver.url, by=self.root)

    @override_settings(ALLOW_PRIVATE_ENDPOINTS=False)
    def test_a_stored_address_that_is_no_longer_allowed_gets_nothing(self) -> None:
        notifications.notify_audience(organisation_ids=[self.police.pk], kind="report.reopen_request", data={})
        self.assertEqual(delivery.deliver_due(now=NOON), {"failed": 1})
        self.assertIn("address refused", Delivery.objects.get(channel="webhook").last_error)
        self.assertEqual(self.receiver.received, [])

    @override_settings(ALLOW_PRIVATE_ENDPOINTS=False)
    def test_the_connection_itself_refuses_an_address_that_is_not_public(self) -> None:
        # What a host name that resolves to a public address for the check and to loopback a moment later would get.
        with self.assertRaisesRegex(ConnectionRefusedError, "non-public address"):
            transport.post(self.receiver.url, b"{}", {"Content-Type": "application/json"})
        self.assertEqual(self.receiver.received, [])
