"""Setting, rotating, switching and removing a partner's webhook: bad addresses are refused with nothing changed,
secrets are random and long, every change is audited without the secret; and the documented signature example."""

import json
import re
from pathlib import Path

from django.conf import settings
from django.test import override_settings

from samenveilig.core.errors import Invalid, NotFound
from samenveilig.core.models import AuditEvent
from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.integrations.webhook import services, transport
from samenveilig.integrations.webhook.models import WebhookEndpoint

PUBLIC = "https://145.97.1.1/samenveilig"  # a public address written as an IP: no DNS needed to check it
BAD = {
    "http, not https": "http://145.97.1.1/samenveilig",
    "loopback": "https://127.0.0.1/samenveilig",
    "loopback IPv6": "https://[::1]/samenveilig",
    "private": "https://10.1.2.3/samenveilig",
    "private 192.168": "https://192.168.1.20:8443/samenveilig",
    "link-local (cloud metadata)": "https://169.254.169.254/latest/meta-data",
    "cannot be found": "https://partner-system.invalid/samenveilig",
    "user and password": "https://user:secret@145.97.1.1/samenveilig",
    "not a URL": "meldingen bij de politie",
    "another scheme": "ftp://145.97.1.1/samenveilig",
    "empty": "",
    "too long": "https://145.97.1.1/" + "a" * 500,
}


def audit(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


@override_settings(ALLOW_PRIVATE_ENDPOINTS=False)
class WebhookSetTests(SamenVeiligTestCase):
    def test_an_admin_sets_a_public_https_address_and_a_new_secret_is_made(self) -> None:
        endpoint = services.webhook_set(organisation=self.police, url=f"  {PUBLIC} ", by=self.root)
        self.assertEqual((endpoint.url, endpoint.active, endpoint.set_by), (PUBLIC, True, self.root))
        self.assertRegex(endpoint.secret, r"^[0-9a-f]{64}$")  # 32 random bytes
        other = services.webhook_set(organisation=self.gemeente, url=PUBLIC, by=self.root)
        self.assertNotEqual(endpoint.secret, other.secret)
        event, _gemeente = audit("webhook.set")
        where = (event.actor, event.object_type, event.object_id)
        self.assertEqual(where, (self.root, "accounts.organisation", str(self.police.pk)))
        self.assertEqual(event.data, {"url": PUBLIC, "previous_url": "", "active": True})

    def test_bad_addresses_are_refused_with_a_message_and_nothing_is_stored(self) -> None:
        for why, url in BAD.items():
            with self.subTest(why):
                with self.assertRaises(Invalid) as caught:
                    services.webhook_set(organisation=self.police, url=url, by=self.root)
                self.assertEqual(caught.exception.code, "webhook.invalid")
                self.assertTrue(caught.exception.fields["url"][0])
                self.assertFalse(WebhookEndpoint.objects.exists())
        self.assertFalse(AuditEvent.objects.filter(action__startswith="webhook.").exists())

    def test_the_messages_say_what_is_wrong(self) -> None:
        for url, expected in (
            ("http://145.97.1.1/x", "https"),
            ("https://10.1.2.3/x", "10.1.2.3"),
            ("https://partner-system.invalid/x", "partner-system.invalid"),
        ):
            with self.subTest(url), self.assertRaises(Invalid) as caught:
                services.webhook_set(organisation=self.police, url=url, by=self.root)
            self.assertIn(expected, str(caught.exception.message))

    def test_a_bad_address_leaves_the_existing_one_as_it_was(self) -> None:
        before = services.webhook_set(organisation=self.police, url=PUBLIC, by=self.root)
        with self.assertRaises(Invalid):
            services.webhook_set(organisation=self.police, url="https://10.0.0.8/x", by=self.cor)
        after = WebhookEndpoint.objects.get()
        self.assertEqual((after.url, after.secret, after.set_by), (PUBLIC, before.secret, self.root))
        self.assertEqual(len(audit("webhook.set")), 1)

    def test_a_new_address_keeps_the_secret_and_is_audited_with_the_old_one(self) -> None:
        first = services.webhook_set(organisation=self.police, url=PUBLIC, by=self.root)
        second = services.webhook_set(organisation=self.police, url=PUBLIC + "/v2", by=self.root)
        self.assertEqual((second.pk, second.secret), (first.pk, first.secret))
        self.assertEqual(audit("webhook.set")[-1].data, {"url": PUBLIC + "/v2", "previous_url": PUBLIC, "active": True})
        services.webhook_set(organisation=self.police, url=PUBLIC + "/v2", by=self.root)  # no change: no event
        self.assertEqual(len(audit("webhook.set")), 2)

    def test_the_test_setting_allows_loopback_and_http(self) -> None:
        with override_settings(ALLOW_PRIVATE_ENDPOINTS=True):
            endpoint = services.webhook_set(organisation=self.police, url="http://127.0.0.1:9/x", by=self.root)
        self.assertEqual(endpoint.url, "http://127.0.0.1:9/x")


@override_settings(ALLOW_PRIVATE_ENDPOINTS=False)
class WebhookChangeTests(SamenVeiligTestCase):
    def setUp(self) -> None:
        self.endpoint = services.webhook_set(organisation=self.police, url=PUBLIC, by=self.root)

    def test_rotating_makes_a_new_secret_and_audits_without_it(self) -> None:
        old = self.endpoint.secret
        rotated = services.webhook_rotate_secret(organisation=self.police, by=self.root)
        self.assertNotEqual(rotated.secret, old)
        self.assertRegex(rotated.secret, r"^[0-9a-f]{64}$")
        self.assertGreater(rotated.secret_set_at, self.endpoint.secret_set_at)
        [event] = audit("webhook.secret_rotated")
        self.assertEqual((event.actor, event.object_id), (self.root, str(self.police.pk)))
        every = json.dumps([e.data for e in AuditEvent.objects.all()])
        self.assertNotIn(old, every)
        self.assertNotIn(rotated.secret, every)

    def test_switching_off_and_on_and_removing_are_audited(self) -> None:
        services.webhook_switch(organisation=self.police, active=False, by=self.root)
        services.webhook_switch(organisation=self.police, active=False, by=self.root)  # already off: no event
        self.assertFalse(WebhookEndpoint.objects.get().active)
        services.webhook_switch(organisation=self.police, active=True, by=self.root)
        self.assertTrue(WebhookEndpoint.objects.get().active)
        self.assertTrue(services.webhook_remove(organisation=self.police, by=self.root))
        self.assertFalse(WebhookEndpoint.objects.exists())
        self.assertFalse(services.webhook_remove(organisation=self.police, by=self.root))
        actions = list(
            AuditEvent.objects.filter(action__startswith="webhook.", object_id=str(self.police.pk))
            .order_by("pk")
            .values_list("action", flat=True)
        )
        self.assertEqual(actions, ["webhook.set", "webhook.switched_off", "webhook.switched_on", "webhook.removed"])
        self.assertEqual(audit("webhook.removed")[0].data, {"url": PUBLIC})

    def test_an_organisation_without_a_webhook_has_nothing_to_rotate_or_switch(self) -> None:
        for change in (
            lambda: services.webhook_rotate_secret(organisation=self.gemeente, by=self.root),
            lambda: services.webhook_switch(organisation=self.gemeente, active=False, by=self.root),
        ):
            with self.assertRaises(NotFound) as caught:
                change()
            self.assertEqual(caught.exception.code, "webhook.not_set")


class DocumentedSignatureTests(SamenVeiligTestCase):
    def test_the_example_request_in_the_docs_is_signed_as_the_transport_signs(self) -> None:
        text = (Path(settings.PROJECT_DIR) / "docs" / "webhooks.md").read_text(encoding="utf-8")
        block = re.search(r"```\nPOST .*?\n```", text, flags=re.DOTALL).group(0)
        stamp = re.search(r"X-Samenveilig-Timestamp: (\d+)", block).group(1)
        signature = re.search(r"X-Samenveilig-Signature: (\S+)", block).group(1)
        body = block.strip("`\n").split("\n\n", 1)[1].encode()
        secret = re.search(r"With the secret `([0-9a-f]{64})`", text).group(1)
        self.assertEqual(transport.signature(secret, stamp, body), signature)
        self.assertEqual(json.loads(body)["id"], re.search(r"X-Samenveilig-Delivery: (\S+)", block).group(1))


@override_settings(ALLOW_PRIVATE_ENDPOINTS=False)
class ActiveEndpointsTests(SamenVeiligTestCase):
    """Every routed report asks which organisations have their webhook on; the answer is kept per process and must
    follow every change at once."""

    def test_switching_on_off_and_removing_show_at_once(self) -> None:
        from samenveilig.integrations.webhook import selectors

        ids = [self.police.pk, self.gemeente.pk]
        self.assertEqual(selectors.organisations_with_endpoint(ids), [])
        services.webhook_set(organisation=self.police, url=PUBLIC, by=self.root)
        self.assertEqual(selectors.organisations_with_endpoint(ids), [self.police.pk])
        services.webhook_switch(organisation=self.police, active=False, by=self.root)
        self.assertEqual(selectors.organisations_with_endpoint(ids), [])
        services.webhook_switch(organisation=self.police, active=True, by=self.root)
        self.assertEqual(selectors.organisations_with_endpoint(ids), [self.police.pk])
        services.webhook_remove(organisation=self.police, by=self.root)
        self.assertEqual(selectors.organisations_with_endpoint(ids), [])
