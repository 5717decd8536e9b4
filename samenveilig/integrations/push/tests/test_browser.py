"""The push switch and the push service worker in a real browser (Debian's headless Chromium, live server).

Headless Chromium has no push service to subscribe at (its own talks to Google's servers), so the page's
PushManager.subscribe is replaced by one that hands out a subscription of web-push-testing: everything around it is
real — the permission, registering /push/sw.js, fetching the key, storing the subscription through the API with the
session and its CSRF token, switching off — and the worker then delivers a notification to the emulator, which
decrypts it. The service worker itself gets a push message through the DevTools protocol (ServiceWorker.
deliverPushMessage, what the DevTools "Push" button does) and shows it as a notification."""

import json

import pytest
from django.conf import settings
from django.test import Client, override_settings

from samenveilig.core.testing import make_cast
from samenveilig.core.tests.browser import BrowserTestCase
from samenveilig.integrations.push import selectors
from samenveilig.integrations.push.models import PushSubscription
from samenveilig.integrations.push.tests.support import PushServiceEmulator
from samenveilig.notifications import delivery
from samenveilig.notifications import services as notifications
from samenveilig.notifications.models import Urgency

# PushManager without a push service: subscribe hands out the subscription the test put in sessionStorage (and keeps
# the applicationServerKey it was given); getSubscription finds it again after a reload; unsubscribe forgets it.
FAKE_PUSH_MANAGER = """
(() => {
  const load = () => JSON.parse(sessionStorage.getItem("fake-subscription") || "null");
  const wrap = (json) => json && {
    endpoint: json.endpoint,
    options: { applicationServerKey: null },
    toJSON: () => json,
    unsubscribe: () => { sessionStorage.removeItem("fake-subscription"); return Promise.resolve(true); },
  };
  PushManager.prototype.subscribe = function (options) {
    const key = new Uint8Array(options.applicationServerKey);
    sessionStorage.setItem("subscribed-with", btoa(String.fromCharCode(...key)));
    const json = JSON.parse(sessionStorage.getItem("offered-subscription"));
    sessionStorage.setItem("fake-subscription", JSON.stringify(json));
    return Promise.resolve(wrap(json));
  };
  PushManager.prototype.getSubscription = function () { return Promise.resolve(wrap(load())); };
})();
"""
SETTINGS = "/berichten/instellingen/"
# In the push worker: the old subscription as pushsubscriptionchange gives it (endpoint, getKey("auth")) and the new
# one (toJSON), handed to the handler's function; resolves to the server's status.
RENEW_AS_THE_EVENT_WOULD = """([old, fresh]) => {
  const base64 = old.keys.auth.replace(/-/g, "+").replace(/_/g, "/");
  const auth = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const getKey = (name) => (name === "auth" ? auth.buffer : null);
  return self.svPushRenewal({ endpoint: old.endpoint, options: {}, getKey }, { toJSON: () => fresh });
}"""
SHOWN = (
    "() => navigator.serviceWorker.getRegistration('/push/').then(r => r.getNotifications())"
    ".then(list => list.map(n => [n.title, n.body, n.tag, n.data.link]))"
)


@pytest.mark.browser
@override_settings(ALLOW_PRIVATE_ENDPOINTS=True, MAP_TILE_URL="")
class PushBrowserTests(BrowserTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.emulator = PushServiceEmulator()
        cls.addClassCleanup(cls.emulator.close)

    def setUp(self) -> None:
        make_cast(self)
        self.context = self.browser.new_context(locale="nl-NL")
        self.context.grant_permissions(["notifications"], origin=self.live_server_url)
        client = Client()
        client.force_login(self.anna)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": self.live_server_url}])
        self.context.add_init_script(FAKE_PUSH_MANAGER)
        self.page = self.context.new_page()

    def tearDown(self) -> None:
        self.context.close()

    def state(self) -> str:
        self.page.wait_for_selector("[data-push][data-state=on], [data-push][data-state=off]")
        return self.page.get_attribute("[data-push]", "data-state")

    def test_switch_on_store_deliver_show_and_switch_off(self) -> None:
        page = self.page
        offered = self.emulator.subscribe(selectors.vapid_public_key())
        page.goto(self.live_server_url + SETTINGS)
        page.evaluate("(json) => sessionStorage.setItem('offered-subscription', json)", json.dumps(offered))
        self.assertEqual(self.state(), "off")

        with page.expect_navigation():  # stored, then the page reloads to list the device
            page.click("[data-push-toggle]")
        self.assertEqual(self.state(), "on")
        stored = PushSubscription.objects.get()
        self.assertEqual((stored.person, stored.endpoint), (self.anna, offered["endpoint"]))
        self.assertEqual(stored.device, "Chrome, Linux")
        used = page.evaluate("() => sessionStorage.getItem('subscribed-with')")
        self.assertEqual(used.rstrip("=").replace("+", "-").replace("/", "_"), selectors.vapid_public_key())
        self.assertEqual(page.get_attribute("[data-push-toggle]", "aria-pressed"), "true")

        # The worker delivers to it; the emulator decrypts.
        notifications.channels_set(user=self.anna, category="report", channels=["push"])
        notifications.notify(
            recipients=[self.anna], kind="report.status", data={"status": "in_progress"}, urgency=Urgency.URGENT
        )
        self.assertEqual(delivery.deliver_due(), {"sent": 1})
        [message] = self.emulator.messages(offered["clientHash"])

        # The service worker shows that message as a notification, its key as the tag.
        registrations: list[str] = []
        cdp = self.context.new_cdp_session(page)
        cdp.on(
            "ServiceWorker.workerRegistrationUpdated",
            lambda event: registrations.extend(
                r["registrationId"] for r in event["registrations"] if r["scopeURL"].endswith("/push/")
            ),
        )
        cdp.send("ServiceWorker.enable")
        page.wait_for_function("() => navigator.serviceWorker.getRegistration('/push/').then(r => !!r && !!r.active)")
        self.assertTrue(registrations, "the push worker is not registered")
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": self.live_server_url, "registrationId": registrations[-1], "data": message},
        )
        shown: list = []
        for _ in range(200):  # up to 20 s: on a loaded machine (the suite in parallel) the worker can be slow
            shown = page.evaluate(SHOWN)
            if shown:
                break
            page.wait_for_timeout(100)
        sent = json.loads(message)
        self.assertEqual(shown, [[sent["title"], sent["body"], sent["key"], "/berichten/"]])

        with page.expect_navigation():
            page.click("[data-push-toggle]")
        self.assertEqual(self.state(), "off")
        self.assertFalse(PushSubscription.objects.exists())

    def test_a_subscription_the_push_service_replaced_is_renewed_by_the_worker_without_a_login(self) -> None:
        page = self.page
        first = self.emulator.subscribe(selectors.vapid_public_key())
        page.goto(self.live_server_url + SETTINGS)
        page.evaluate("(json) => sessionStorage.setItem('offered-subscription', json)", json.dumps(first))
        with page.expect_navigation():
            page.click("[data-push-toggle]")
        self.assertEqual(self.state(), "on")
        self.assertEqual(PushSubscription.objects.get().endpoint, first["endpoint"])

        # The push service replaces it; the worker does what its pushsubscriptionchange handler does, in the worker.
        workers = []
        for _ in range(100):
            workers = [w for w in self.context.service_workers if w.url.endswith("/push/sw.js")]
            if workers:
                break
            page.wait_for_timeout(100)
        self.assertTrue(workers, "the push worker is not running")
        second = self.emulator.subscribe(selectors.vapid_public_key())
        self.context.clear_cookies()  # the worker sends no session: the old subscription's secret is the proof
        status = workers[0].evaluate(
            RENEW_AS_THE_EVENT_WOULD,
            [first, second],
        )
        self.assertEqual(status, 204)
        stored = PushSubscription.objects.get()
        self.assertEqual((stored.person, stored.endpoint), (self.anna, second["endpoint"]))

        notifications.channels_set(user=self.anna, category="report", channels=["push"])
        notifications.notify(
            recipients=[self.anna], kind="report.status", data={"status": "in_progress"}, urgency=Urgency.URGENT
        )
        self.assertEqual(delivery.deliver_due(), {"sent": 1})
        self.assertEqual(len(self.emulator.messages(second["clientHash"])), 1)
        self.assertEqual(self.emulator.messages(first["clientHash"]), [])
