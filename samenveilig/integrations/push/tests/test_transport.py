"""The push transport through the delivery worker, over real HTTP: against web-push-testing (which decrypts what it
gets, so the payload encryption and VAPID signature are checked by another implementation), and against a recording
push service on loopback for the headers, the JWT and the answers a real push service gives (410, 404, 429, 5xx,
redirects)."""

import datetime
import json
import time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.test import override_settings
from py_vapid import Vapid02

from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.integrations.base import retry_after_s
from samenveilig.integrations.push import selectors, services
from samenveilig.integrations.push.models import PushSubscription
from samenveilig.integrations.push.tests.support import (
    Browser,
    PushServiceEmulator,
    RecordingPushService,
    b64url_decode,
    closed_port_url,
)
from samenveilig.integrations.push.transport import origin, topic
from samenveilig.notifications import delivery
from samenveilig.notifications import services as notifications
from samenveilig.notifications.models import Delivery, DeliveryState, Notification, Urgency

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Tomorrow at noon: after the deliveries' due time (now), outside the default quiet hours.
NOON = datetime.datetime.combine(
    datetime.datetime.now(tz=AMSTERDAM).date() + datetime.timedelta(days=1), datetime.time(12, 0), tzinfo=AMSTERDAM
)
SUBJECT = "mailto:beheer@samenveilig.example"
PUSH_SETTINGS = {
    "ALLOW_PRIVATE_ENDPOINTS": True,  # the push services of these tests live on loopback, over http
    "PUSH_VAPID_SUBJECT": SUBJECT,
    "PUSH_TTL_S": 600,
    "SITE_URL": "https://sv.example",
}


class PushTestCase(SamenVeiligTestCase):
    def setUp(self) -> None:
        overrides = override_settings(**PUSH_SETTINGS)
        overrides.enable()
        self.addCleanup(overrides.disable)

    def subscribe(self, person, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
        subscription, _created = services.push_subscribe(person=person, endpoint=endpoint, p256dh=p256dh, auth=auth)
        return subscription

    def choose_push(self, person=None) -> None:
        notifications.channels_set(user=person or self.anna, category="report", channels=["push"])

    def notify(self, urgency: str = Urgency.NORMAL, person=None) -> Notification:
        person = person or self.anna
        notifications.notify(
            recipients=[person],
            kind="report.status",
            data={"status": "in_progress", "summary": "Fietsendiefstal"},
            link="/meldingen/x/",
            urgency=urgency,
        )
        return Notification.objects.filter(recipient=person).latest("pk")


class EmulatorTests(PushTestCase):
    """Against web-push-testing, one server for the class."""

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.emulator = PushServiceEmulator()
        cls.addClassCleanup(cls.emulator.close)

    def browser(self) -> dict:
        """A browser subscribing at the emulator with our key, and storing it as anna's device."""
        found = self.emulator.subscribe(selectors.vapid_public_key())
        self.subscribe(self.anna, found["endpoint"], found["keys"]["p256dh"], found["keys"]["auth"])
        return found

    def test_a_notification_reaches_the_device_through_the_worker_encrypted_and_signed(self) -> None:
        device = self.browser()
        self.choose_push()
        note = self.notify()
        [row] = note.deliveries.all()
        expected = delivery._message(row)
        self.assertEqual(delivery.deliver_due(now=NOON), {"sent": 1})
        self.assertEqual(delivery.deliver_due(now=NOON), {})  # nothing twice
        [received] = self.emulator.messages(device["clientHash"])  # decrypted by the emulator
        self.assertEqual(
            json.loads(received),
            {
                "title": expected.title,
                "body": expected.body,
                "link": "https://sv.example/meldingen/x/",
                "key": f"samenveilig-{note.pk}-push",
            },
        )
        self.assertIn("Fietsendiefstal", expected.body)
        self.assertEqual(Delivery.objects.get().state, DeliveryState.SENT)
        self.assertIsNotNone(PushSubscription.objects.get().last_success_at)

    def test_an_expired_subscription_is_removed_and_the_others_still_get_the_message(self) -> None:
        gone, kept = self.browser(), self.browser()
        self.emulator.expire(gone["clientHash"])  # the emulator answers 410 for it from now on
        self.choose_push()
        self.notify()
        self.assertEqual(delivery.deliver_due(now=NOON), {"sent": 1})
        self.assertEqual(list(PushSubscription.objects.values_list("endpoint", flat=True)), [kept["endpoint"]])
        self.assertEqual(len(self.emulator.messages(kept["clientHash"])), 1)
        self.assertEqual(self.emulator.messages(gone["clientHash"]), [])

    def test_when_the_last_subscription_expired_the_delivery_is_dead_at_once(self) -> None:
        device = self.browser()
        self.choose_push()
        self.emulator.expire(device["clientHash"])
        note = self.notify()
        self.assertEqual(delivery.deliver_due(now=NOON), {"dead": 1})
        row = note.deliveries.get()
        self.assertEqual((row.state, row.attempts, row.last_error), (DeliveryState.DEAD, 1, "no device subscribed"))
        self.assertFalse(PushSubscription.objects.exists())


class RecordedTests(PushTestCase):
    """Against push services on loopback that record what they get and answer as scripted."""

    def setUp(self) -> None:
        super().setUp()
        self.service = RecordingPushService()
        self.addCleanup(self.service.close)
        self.phone = Browser()
        self.device = self.subscribe(self.anna, self.service.endpoint("phone"), self.phone.p256dh, self.phone.auth)
        self.choose_push()

    def jwt_of(self, request: dict) -> tuple[dict, str]:
        """The claims of the VAPID JWT in `Authorization: vapid t=…,k=…`, checking its signature, and its k."""
        scheme, _space, params = request["headers"]["Authorization"].partition(" ")
        self.assertEqual(scheme, "vapid")
        parts = dict(param.split("=", 1) for param in params.split(","))
        self.assertTrue(Vapid02.verify(request["headers"]["Authorization"]), "the JWT's signature does not verify")
        header, claims, _signature = parts["t"].split(".")
        self.assertEqual(json.loads(b64url_decode(header)), {"typ": "JWT", "alg": "ES256"})
        return json.loads(b64url_decode(claims)), parts["k"]

    def test_vapid_aud_is_each_endpoints_own_origin_and_urgent_messages_say_urgency_high(self) -> None:
        other = RecordingPushService(host="localhost")  # another push service: another origin
        self.addCleanup(other.close)
        laptop = Browser()
        self.subscribe(self.anna, other.endpoint("laptop"), laptop.p256dh, laptop.auth)
        note = self.notify(Urgency.URGENT)
        before = int(time.time())
        self.assertEqual(delivery.deliver_due(now=NOON), {"sent": 1})
        [to_phone], [to_laptop] = self.service.received, other.received
        for request, service, browser in ((to_phone, self.service, self.phone), (to_laptop, other, laptop)):
            with self.subTest(origin=service.origin):
                claims, key = self.jwt_of(request)
                self.assertEqual(claims["aud"], service.origin)
                self.assertEqual(claims["sub"], SUBJECT)
                self.assertTrue(before < claims["exp"] <= before + 24 * 3600 + 5, claims["exp"])
                self.assertEqual(key, selectors.vapid_public_key())
                headers = request["headers"]
                self.assertEqual(headers["Urgency"], "high")
                self.assertEqual(headers["TTL"], "600")
                self.assertEqual(headers["Content-Encoding"], "aes128gcm")
                self.assertEqual(headers["Topic"], topic(f"samenveilig-{note.pk}-push"))
                self.assertEqual(browser.decrypt(request["body"])["key"], f"samenveilig-{note.pk}-push")
        self.assertEqual(self.service.origin.split(":")[1], "//127.0.0.1")
        self.assertEqual(other.origin.split(":")[1], "//localhost")

        self.notify(Urgency.NORMAL)
        self.assertEqual(delivery.deliver_due(now=NOON), {"sent": 1})
        self.assertEqual(self.service.received[-1]["headers"]["Urgency"], "normal")

    def test_429_is_retried_no_sooner_than_its_retry_after(self) -> None:
        note = self.notify()
        self.service.script = [(429, {"Retry-After": "900"})]
        self.assertEqual(delivery.deliver_due(now=NOON), {"failed": 1})
        row = note.deliveries.get()
        self.assertEqual((row.attempts, row.last_error), (1, f"device {self.device.pk}: HTTP 429"))
        self.assertGreaterEqual(row.due_at, NOON + datetime.timedelta(seconds=900))
        self.assertEqual(delivery.deliver_due(now=NOON + datetime.timedelta(seconds=899)), {})  # not yet
        self.assertEqual(delivery.deliver_due(now=row.due_at), {"sent": 1})
        self.assertEqual(len(self.service.received), 2)
        self.assertEqual({r["headers"]["Topic"] for r in self.service.received}, {topic(f"samenveilig-{note.pk}-push")})

    def test_5xx_and_network_errors_are_retried_with_back_off(self) -> None:
        note = self.notify()
        self.service.script = [(503, {})]
        self.assertEqual(delivery.deliver_due(now=NOON), {"failed": 1})
        row = note.deliveries.get()
        self.assertEqual(row.last_error, f"device {self.device.pk}: HTTP 503")
        self.assertGreater(row.due_at, NOON)
        PushSubscription.objects.filter(pk=self.device.pk).update(endpoint=closed_port_url())
        self.assertEqual(delivery.deliver_due(now=row.due_at), {"failed": 1})
        self.assertEqual(note.deliveries.get().last_error, f"device {self.device.pk}: ConnectionError")
        self.assertTrue(PushSubscription.objects.filter(pk=self.device.pk).exists())

    def test_404_removes_the_subscription_and_with_none_left_the_delivery_is_dead(self) -> None:
        note = self.notify()
        self.service.script = [(404, {})]
        self.assertEqual(delivery.deliver_due(now=NOON), {"dead": 1})
        self.assertEqual(note.deliveries.get().last_error, "no device subscribed")
        self.assertFalse(PushSubscription.objects.exists())

    def test_another_4xx_is_permanent_for_that_device_but_the_device_is_kept(self) -> None:
        note = self.notify()
        self.service.script = [(400, {})]
        self.assertEqual(delivery.deliver_due(now=NOON), {"dead": 1})
        self.assertEqual(note.deliveries.get().last_error, f"device {self.device.pk}: HTTP 400")
        self.assertTrue(PushSubscription.objects.filter(pk=self.device.pk).exists())

    def test_one_device_taking_it_is_enough(self) -> None:
        other = RecordingPushService()
        self.addCleanup(other.close)
        laptop = Browser()
        self.subscribe(self.anna, other.endpoint("laptop"), laptop.p256dh, laptop.auth)
        self.service.script = [(500, {})]
        self.notify()
        self.assertEqual(delivery.deliver_due(now=NOON), {"sent": 1})
        self.assertEqual((len(self.service.received), len(other.received)), (1, 1))

    def test_a_redirect_is_never_followed(self) -> None:
        elsewhere = RecordingPushService()
        self.addCleanup(elsewhere.close)
        note = self.notify()
        self.service.script = [(307, {"Location": elsewhere.endpoint("inside")})]
        self.assertEqual(delivery.deliver_due(now=NOON), {"dead": 1})
        self.assertEqual(note.deliveries.get().last_error, f"device {self.device.pk}: HTTP 307")
        self.assertEqual(elsewhere.received, [])

    def test_the_endpoint_is_checked_again_before_each_send(self) -> None:
        note = self.notify()
        with override_settings(ALLOW_PRIVATE_ENDPOINTS=False):  # the loopback endpoint is refused now
            self.assertEqual(delivery.deliver_due(now=NOON), {"failed": 1})
        self.assertEqual(self.service.received, [])
        self.assertEqual(note.deliveries.get().last_error, f"device {self.device.pk}: endpoint not found or not public")

    def test_a_person_without_a_device_gets_a_dead_letter_not_a_retry(self) -> None:
        note = self.notify()
        PushSubscription.objects.all().delete()  # e.g. removed on another device after choosing push
        self.assertEqual(delivery.deliver_due(now=NOON), {"dead": 1})
        self.assertEqual(note.deliveries.get().last_error, "no device subscribed")

    def test_a_long_body_is_shortened_to_fit_a_push_message(self) -> None:
        notifications.notify(
            recipients=[self.anna], kind="report.status", data={"status": "in_progress", "summary": "é" * 5000}
        )
        self.assertEqual(delivery.deliver_due(now=NOON), {"sent": 1})
        [request] = self.service.received
        self.assertLess(len(request["body"]), 4096)
        self.assertTrue(self.phone.decrypt(request["body"])["body"].endswith("…"))


class HelperTests(SamenVeiligTestCase):
    def test_the_origin_leaves_out_the_default_port(self) -> None:
        for endpoint, expected in (
            ("https://Push.Example:443/wpush/v2/abc", "https://push.example"),
            ("https://push.example:8443/x?y=1", "https://push.example:8443"),
            ("http://127.0.0.1:8090/notify/x", "http://127.0.0.1:8090"),
        ):
            with self.subTest(endpoint=endpoint):
                self.assertEqual(origin(endpoint), expected)

    def test_retry_after_takes_seconds_and_http_dates(self) -> None:
        later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=120)
        self.assertEqual(retry_after_s("30"), 30.0)
        self.assertAlmostEqual(retry_after_s(later.strftime("%a, %d %b %Y %H:%M:%S GMT")), 120, delta=3)
        self.assertIsNone(retry_after_s("soon"))
        self.assertIsNone(retry_after_s(None))

    def test_the_public_key_is_the_uncompressed_point_of_the_kept_private_key(self) -> None:
        raw = b64url_decode(selectors.vapid_public_key())
        self.assertEqual((len(raw), raw[0]), (65, 4))
        self.assertTrue(settings.PUSH_VAPID_PRIVATE_KEY)
