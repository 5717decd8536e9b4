"""/api/v1/push: the key, subscribe (only valid subscriptions, once per endpoint), list and unsubscribe one's own
devices; signed-in people only, the browser's session with its CSRF token as well as API tokens."""

from urllib.parse import urlsplit

from django.test import Client, override_settings
from django.utils import translation
from django.utils.translation import gettext

from samenveilig.integrations.push import selectors
from samenveilig.integrations.push.models import PushSubscription
from samenveilig.integrations.push.tests.support import Browser, b64url
from samenveilig.reports.tests.test_api import ReportApiTestCase

URL = "/api/v1/push/subscriptions"
FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"


def subscription(endpoint: str = "https://push.example/wpush/v2/abc", **keys: str) -> dict:
    browser = Browser()
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": browser.p256dh, "auth": browser.auth} | keys,
    }


def dutch(text: str) -> str:
    with translation.override("nl"):
        return gettext(text)


@override_settings(ALLOW_PRIVATE_ENDPOINTS=True)  # the endpoints of these tests need no DNS (push.example)
class PushApiTests(ReportApiTestCase):
    def test_the_key_is_the_servers_public_key(self) -> None:
        response = self.get("/api/v1/push/key", self.anna)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"public_key": selectors.vapid_public_key()})

    def test_subscribe_once_per_endpoint_list_and_unsubscribe(self) -> None:
        body = subscription()
        created = self.post(URL, body, self.anna, HTTP_USER_AGENT=FIREFOX_ANDROID)
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(created.json()["device"], "Firefox, Android")
        renewed = subscription()  # the same browser, new keys
        again = self.post(URL, renewed, self.anna)
        self.assertEqual(again.status_code, 200)
        stored = PushSubscription.objects.get()
        self.assertEqual((stored.person, stored.p256dh), (self.anna, renewed["keys"]["p256dh"]))

        mine = self.get(URL, self.anna).json()
        self.assertEqual([d["endpoint"] for d in mine], [body["endpoint"]])
        self.assertEqual(set(mine[0]), {"endpoint", "device", "created_at", "last_success_at"})
        self.assertEqual(self.get(URL, self.cor).json(), [])

        self.assertProblem(
            self.client.delete(f"{URL}?endpoint={body['endpoint']}", **self.auth(self.cor)), 404, "not_found"
        )
        self.assertTrue(PushSubscription.objects.exists())  # cor cannot remove anna's device
        gone = self.client.delete(f"{URL}?endpoint={body['endpoint']}", **self.auth(self.anna))
        self.assertEqual(gone.status_code, 204)
        self.assertFalse(PushSubscription.objects.exists())
        self.assertProblem(
            self.client.delete(f"{URL}?endpoint={body['endpoint']}", **self.auth(self.anna)), 404, "not_found"
        )

    def test_malformed_keys_are_refused_with_a_message_per_key_and_nothing_is_stored(self) -> None:
        not_on_curve = b64url(b"\x04" + b"\x01" * 64)
        for keys, fields in (
            ({"p256dh": "not base64url!"}, {"keys.p256dh"}),
            ({"p256dh": b64url(b"\x04" + b"\x01" * 63)}, {"keys.p256dh"}),  # 64 bytes
            ({"p256dh": not_on_curve}, {"keys.p256dh"}),
            ({"auth": b64url(b"\x02" * 15)}, {"keys.auth"}),
            ({"auth": "a+b/c"}, {"keys.auth"}),
            ({"p256dh": "", "auth": ""}, {"keys.p256dh", "keys.auth"}),
        ):
            with self.subTest(keys=keys):
                problem = self.assertProblem(self.post(URL, subscription(**keys), self.anna), 422, "push.invalid")
                self.assertEqual(set(problem["fields"]), fields)
                self.assertEqual(problem["detail"], dutch("This push subscription is not valid; nothing was stored."))
        self.assertEqual(
            problem["fields"]["keys.auth"],
            [dutch("The secret of the browser (auth) must be 16 bytes, written in base64url.")],
        )
        self.assertProblem(self.post(URL, {"endpoint": "https://push.example/x"}, self.anna), 422, "invalid")
        self.assertFalse(PushSubscription.objects.exists())

    @override_settings(ALLOW_PRIVATE_ENDPOINTS=False)
    def test_loopback_private_and_plain_http_endpoints_are_refused(self) -> None:
        for endpoint, message in (
            ("https://127.0.0.1/push/x", "The address %(host)s is not a public internet address."),
            ("https://localhost:8443/push/x", "The address %(host)s is not a public internet address."),
            ("https://10.1.2.3/push/x", "The address %(host)s is not a public internet address."),
            ("https://192.168.1.20/push/x", "The address %(host)s is not a public internet address."),
            ("https://169.254.169.254/latest", "The address %(host)s is not a public internet address."),
            ("https://[::1]/push/x", "The address %(host)s is not a public internet address."),
            ("https://[fe80::1]/push/x", "The address %(host)s is not a public internet address."),
            ("http://8.8.8.8/push/x", "Give a complete https address (https://…)."),
            ("file:///etc/passwd", "Give a complete https address (https://…)."),
        ):
            with self.subTest(endpoint=endpoint):
                problem = self.assertProblem(self.post(URL, subscription(endpoint), self.anna), 422, "push.invalid")
                expected = dutch(message) % {"host": urlsplit(endpoint).hostname} if "%(" in message else dutch(message)
                self.assertEqual(problem["fields"], {"endpoint": [expected]})
        self.assertFalse(PushSubscription.objects.exists())

    def test_only_signed_in_people(self) -> None:
        for method, call in (
            ("GET key", lambda: self.client.get("/api/v1/push/key")),
            ("GET", lambda: self.client.get(URL)),
            ("POST", lambda: self.client.post(URL, subscription(), content_type="application/json")),
            ("DELETE", lambda: self.client.delete(f"{URL}?endpoint=https://push.example/x")),
        ):
            with self.subTest(method=method):
                self.assertProblem(call(), 401, "unauthenticated")
        self.assertFalse(PushSubscription.objects.exists())

    def test_the_browser_session_needs_its_csrf_token(self) -> None:
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(self.anna)
        browser.get("/berichten/instellingen/")  # sets the CSRF cookie, as the settings page does
        refused = browser.post(URL, subscription(), content_type="application/json")
        self.assertEqual(refused.status_code, 403)
        self.assertFalse(PushSubscription.objects.exists())
        token = browser.cookies["csrftoken"].value
        accepted = browser.post(URL, subscription(), content_type="application/json", HTTP_X_CSRFTOKEN=token)
        self.assertEqual(accepted.status_code, 201, accepted.content)


@override_settings(ALLOW_PRIVATE_ENDPOINTS=True)  # no DNS for push.example
class LogoutTests(ReportApiTestCase):
    def test_logging_out_ends_the_push_messages_of_that_browser_only(self) -> None:
        browser = Client()
        browser.force_login(self.anna)
        here = subscription("https://push.example/wpush/v2/gedeelde-pc")
        made = browser.post(URL, here, content_type="application/json")
        self.assertEqual(made.status_code, 201, made.content)
        phone = subscription("https://push.example/wpush/v2/eigen-telefoon")
        self.assertEqual(self.post(URL, phone, self.anna).status_code, 201)  # through an API token: no session
        other = Client()
        other.force_login(self.anna)
        laptop = subscription("https://push.example/wpush/v2/laptop")
        self.assertEqual(other.post(URL, laptop, content_type="application/json").status_code, 201)

        browser.post("/accounts/logout/")  # the shared computer
        left = set(PushSubscription.objects.filter(person=self.anna).values_list("endpoint", flat=True))
        self.assertEqual(left, {phone["endpoint"], laptop["endpoint"]})


RENEWALS = "/api/v1/push/renewals"


@override_settings(ALLOW_PRIVATE_ENDPOINTS=True)  # no DNS for push.example
class RenewalTests(ReportApiTestCase):
    """The push service worker's renewal on `pushsubscriptionchange`: no login, the old subscription's secret."""

    def setUp(self) -> None:
        super().setUp()
        browser = Client()
        browser.force_login(self.anna)
        self.old = subscription("https://push.example/wpush/v2/oud")
        made = browser.post(URL, self.old, content_type="application/json", HTTP_USER_AGENT=FIREFOX_ANDROID)
        self.assertEqual(made.status_code, 201, made.content)
        self.stored = PushSubscription.objects.get()

    def renew(self, new: dict, old_auth: str | None = None, old_endpoint: str | None = None) -> object:
        body = {
            "old_endpoint": old_endpoint or self.old["endpoint"],
            "old_auth": self.old["keys"]["auth"] if old_auth is None else old_auth,
            "subscription": new,
        }
        return Client(enforce_csrf_checks=True).post(RENEWALS, body, content_type="application/json")

    def unchanged(self) -> None:
        now = PushSubscription.objects.get()
        self.assertEqual(
            (now.endpoint, now.p256dh, now.auth), (self.old["endpoint"], self.stored.p256dh, self.stored.auth)
        )

    def test_the_new_subscription_takes_the_old_ones_place_for_the_same_person_device_and_session(self) -> None:
        new = subscription("https://push.example/wpush/v2/nieuw")
        answer = self.renew(new)
        self.assertEqual(answer.status_code, 204, answer.content)
        now = PushSubscription.objects.get()
        self.assertEqual(now.pk, self.stored.pk)
        self.assertEqual(
            (now.endpoint, now.p256dh, now.auth), (new["endpoint"], new["keys"]["p256dh"], new["keys"]["auth"])
        )
        same = (now.person, now.device, now.session_hash, now.created_at)
        self.assertEqual(same, (self.anna, "Firefox, Android", self.stored.session_hash, self.stored.created_at))
        self.assertProblem(self.renew(subscription("https://push.example/wpush/v2/derde")), 404, "not_found")  # once

    def test_a_wrong_secret_or_an_unknown_subscription_changes_nothing(self) -> None:
        new = subscription("https://push.example/wpush/v2/nieuw")
        for name, answer in (
            ("another secret", self.renew(new, old_auth=Browser().auth)),
            ("no secret", self.renew(new, old_auth="")),
            ("the public key as secret", self.renew(new, old_auth=self.old["keys"]["p256dh"])),
            ("unknown endpoint", self.renew(new, old_endpoint="https://push.example/wpush/v2/onbekend")),
        ):
            with self.subTest(name):
                self.assertProblem(answer, 404, "not_found")
                self.unchanged()

    def test_an_invalid_new_subscription_is_refused_with_its_reason_and_changes_nothing(self) -> None:
        problem = self.assertProblem(
            self.renew(subscription("https://push.example/wpush/v2/nieuw", auth=b64url(b"\x02" * 15))),
            422,
            "push.invalid",
        )
        self.assertEqual(
            problem["fields"]["keys.auth"],
            [dutch("The secret of the browser (auth) must be 16 bytes, written in base64url.")],
        )
        with override_settings(ALLOW_PRIVATE_ENDPOINTS=False):
            problem = self.assertProblem(self.renew(subscription("https://10.1.2.3/push/x")), 422, "push.invalid")
        self.assertEqual(set(problem["fields"]), {"endpoint"})
        self.unchanged()

    def test_a_new_endpoint_another_row_had_is_not_kept_twice(self) -> None:
        taken = subscription("https://push.example/wpush/v2/al-bekend")
        self.assertEqual(self.post(URL, taken, self.cor).status_code, 201)
        self.assertEqual(self.renew(taken).status_code, 204)
        [now] = PushSubscription.objects.all()
        self.assertEqual((now.pk, now.person, now.endpoint), (self.stored.pk, self.anna, taken["endpoint"]))
