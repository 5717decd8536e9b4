"""The webhook page: an admin sets it up, sees and rotates the secret, switches it off and on, removes it; a bad
address is shown as an error and changes nothing; the delivery history lists each message with its outcome. And
organisation messages never show up in a person's inbox."""

from django.test import override_settings

from samenveilig.core.models import AuditEvent
from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.integrations.webhook import services
from samenveilig.integrations.webhook.models import WebhookEndpoint
from samenveilig.integrations.webhook.tests.support import Receiver
from samenveilig.integrations.webhook.tests.test_transport import NOON
from samenveilig.notifications import delivery, selectors
from samenveilig.notifications.models import Delivery, DeliveryState, Notification
from samenveilig.notifications.services import fan_out_pending
from samenveilig.reports.tests.factories import submit

PUBLIC = "https://145.97.1.1/samenveilig"


@override_settings(ALLOW_PRIVATE_ENDPOINTS=False)
class WebhookPageTests(SamenVeiligTestCase):
    def setUp(self) -> None:
        self.login_as("root")
        self.page = f"/webhooks/{self.police.code}/"

    def test_an_admin_sets_it_up_rotates_switches_and_removes_it(self) -> None:
        self.assertContains(self.client.get(self.page), 'name="url"')
        answer = self.client.post(self.page, {"url": PUBLIC})
        self.assertRedirects(answer, self.page, fetch_redirect_response=False)
        endpoint = WebhookEndpoint.objects.get(organisation=self.police)
        page = self.client.get(self.page)
        self.assertContains(page, PUBLIC)
        self.assertContains(page, f"<code data-secret>{endpoint.secret}</code>", html=False)

        self.client.post(f"{self.page}nieuw-geheim/")
        rotated = WebhookEndpoint.objects.get()
        self.assertNotEqual(rotated.secret, endpoint.secret)
        self.assertContains(self.client.get(self.page), rotated.secret)

        self.client.post(f"{self.page}aan-uit/", {"active": "0"})
        self.assertFalse(WebhookEndpoint.objects.get().active)
        self.assertContains(self.client.get(self.page), 'data-active="0"')
        self.client.post(self.page, {"url": PUBLIC + "/v2"})  # a new address keeps it switched off
        self.assertEqual(
            (WebhookEndpoint.objects.get().url, WebhookEndpoint.objects.get().active), (PUBLIC + "/v2", False)
        )
        self.client.post(f"{self.page}aan-uit/", {"active": "1"})
        self.assertTrue(WebhookEndpoint.objects.get().active)

        self.client.post(f"{self.page}verwijderen/")
        self.assertFalse(WebhookEndpoint.objects.exists())
        self.assertContains(self.client.get(self.page), "data-no-endpoint")
        actions = list(AuditEvent.objects.filter(action__startswith="webhook.").values_list("action", "actor"))
        self.assertEqual(
            sorted(actions),
            sorted(
                [
                    ("webhook.set", self.root.pk),
                    ("webhook.secret_rotated", self.root.pk),
                    ("webhook.switched_off", self.root.pk),
                    ("webhook.set", self.root.pk),
                    ("webhook.switched_on", self.root.pk),
                    ("webhook.removed", self.root.pk),
                ]
            ),
        )

    def test_a_bad_address_is_shown_at_the_field_and_nothing_changes(self) -> None:
        self.client.post(self.page, {"url": PUBLIC})
        for url in ("http://145.97.1.1/x", "https://192.168.0.10/x", "https://partner-system.invalid/x"):
            with self.subTest(url=url):
                answer = self.client.post(self.page, {"url": url})
                self.assertEqual(answer.status_code, 422)
                self.assertContains(answer, "utrecht-form-field--invalid", status_code=422)
                self.assertContains(answer, 'aria-invalid="true"', status_code=422)
                self.assertEqual(WebhookEndpoint.objects.get().url, PUBLIC)

    def test_the_organisation_page_links_to_its_webhook_for_its_staff(self) -> None:
        self.login_as("wendy")
        self.assertContains(self.client.get(f"/accounts/organisaties/{self.police.code}/"), self.page)


@override_settings(ALLOW_PRIVATE_ENDPOINTS=True)
class WebhookHistoryTests(SamenVeiligTestCase):
    def setUp(self) -> None:
        self.receiver = Receiver()
        self.addCleanup(self.receiver.close)
        services.webhook_set(organisation=self.police, url=self.receiver.url, by=self.root)

    def test_the_history_lists_each_message_with_state_attempts_error_and_time_sent(self) -> None:
        first = submit(self.anna, self.buurt)
        self.receiver.script = [(503, {})]
        delivery.deliver_due(now=NOON)  # the first: failed once
        submit(self.cor, self.buurt)
        delivery.deliver_due(now=NOON)  # the second: sent
        sent, failed = Delivery.objects.filter(channel="webhook").order_by("-pk")
        self.assertEqual((sent.state, failed.state), (DeliveryState.SENT, DeliveryState.FAILED))
        for who in ("root", "wendy"):
            with self.subTest(who=who):
                self.login_as(who)
                page = self.client.get(f"/webhooks/{self.police.code}/").content.decode()
                rows = page.split("data-delivery=")[1:]
                self.assertEqual(len(rows), 2)  # newest first
                self.assertIn(f"samenveilig-{sent.notification_id}-webhook", rows[0])
                self.assertIn('data-state="sent"', rows[0])
                self.assertIn(f"samenveilig-{failed.notification_id}-webhook", rows[1])
                self.assertIn('data-state="failed"', rows[1])
                self.assertIn("HTTP 503", rows[1])
                self.assertIn("report.routed", rows[1])
        self.assertEqual(str(first.code), failed.notification.subject_code)

    def test_only_the_organisations_own_deliveries_are_listed(self) -> None:
        submit(self.anna, self.buurt)
        services.webhook_set(organisation=self.other_police, url=self.receiver.url, by=self.root)
        self.login_as("root")
        page = self.client.get(f"/webhooks/{self.other_police.code}/")
        self.assertNotContains(page, "data-delivery=")


@override_settings(ALLOW_PRIVATE_ENDPOINTS=True)
class OrganisationMessagesAreInNobodysInboxTests(SamenVeiligTestCase):
    def test_the_organisations_message_is_not_in_any_inbox_or_unread_count(self) -> None:
        services.webhook_set(organisation=self.police, url="http://127.0.0.1:9/x", by=self.root)
        submit(self.anna, self.buurt)
        fan_out_pending()  # what the worker does: the staff's own notifications
        organisation_note = Notification.objects.get(organisation=self.police)
        wendy = Notification.objects.get(recipient=self.wendy)  # the police officer still gets hers
        self.assertEqual(selectors.unread_count(self.wendy), 1)
        self.assertEqual(list(selectors.notifications_for(viewer=self.wendy)), [wendy])
        for who in ("anna", "cor", "ivo", "fenna", "wendy", "mark", "bob", "olaf", "root"):
            with self.subTest(who=who):
                person = getattr(self, who)
                self.assertNotIn(organisation_note, selectors.notifications_for(viewer=person))
                mine = selectors.notifications_for(viewer=person).count()
                self.assertEqual(selectors.unread_count(person), mine)
                self.login_as(who)
                page = self.client.get("/berichten/")
                self.assertNotContains(page, f"/berichten/{organisation_note.pk}/gelezen/")
        self.login_as("wendy")
        self.assertEqual(self.client.post("/api/v1/notifications/read-all").json(), {"marked": 1})
        organisation_note.refresh_from_db()
        self.assertIsNone(organisation_note.read_at)
