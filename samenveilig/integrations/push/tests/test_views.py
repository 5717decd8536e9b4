"""The settings page's push section, removing a device there, and the push service worker."""

from django.test import override_settings
from django.urls import reverse

from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.integrations.push import services
from samenveilig.integrations.push.models import PushSubscription
from samenveilig.integrations.push.tests.support import Browser

SETTINGS = "/berichten/instellingen/"


@override_settings(ALLOW_PRIVATE_ENDPOINTS=True)
class PushPageTests(SamenVeiligTestCase):
    def device(self, person, endpoint: str = "https://push.example/a", label: str = "Firefox, Android"):
        browser = Browser()
        found, _created = services.push_subscribe(
            person=person, endpoint=endpoint, p256dh=browser.p256dh, auth=browser.auth, device=label
        )
        return found

    def test_the_settings_page_has_the_push_switch_and_lists_my_devices(self) -> None:
        self.device(self.anna)
        self.device(self.cor, "https://push.example/b", "Safari, iOS")
        self.login_as("anna")
        response = self.client.get(SETTINGS)
        self.assertContains(response, 'aria-labelledby="push_heading" data-push')
        self.assertContains(response, 'src="/static/push/push.js"')
        self.assertContains(response, 'data-key-url="/api/v1/push/key"')
        self.assertContains(response, 'data-subscriptions-url="/api/v1/push/subscriptions"')
        self.assertContains(response, 'data-sw-url="/push/sw.js" data-sw-scope="/push/"')
        self.assertContains(response, "Firefox, Android")
        self.assertNotContains(response, "Safari, iOS")  # cor's
        self.assertNotContains(response, "<script>")  # no inline script (CSP)

    def test_choosing_push_without_a_device_is_refused_on_the_page(self) -> None:
        self.login_as("anna")
        body = {"channels_report": ["push"], "quiet_from": "22:00", "quiet_until": "07:00"}
        self.assertEqual(self.client.post(SETTINGS, body).status_code, 422)
        self.device(self.anna)
        self.assertRedirects(self.client.post(SETTINGS, body), SETTINGS)

    def test_a_device_is_removed_by_its_owner_only(self) -> None:
        mine, theirs = self.device(self.anna), self.device(self.cor, "https://push.example/b")
        self.login_as("anna")
        self.assertEqual(self.client.post(reverse("push:device_remove", args=[theirs.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("push:device_remove", args=[mine.pk])).status_code, 405)
        self.assertRedirects(self.client.post(reverse("push:device_remove", args=[mine.pk])), SETTINGS)
        self.assertEqual(list(PushSubscription.objects.all()), [theirs])

    def test_the_service_worker_is_served_with_its_scope(self) -> None:
        response = self.client.get("/push/sw.js")  # also signed out: the browser checks it for updates
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/javascript; charset=utf-8")
        self.assertEqual(response["Service-Worker-Allowed"], "/push/")
        self.assertIn(b"showNotification", response.content)
        self.assertIn(b"notificationclick", response.content)
