"""Webhook signing secrets are kept encrypted with SAMENVEILIG_WEBHOOK_KEY: a copy of the database does not give
them away; a replaced key kept behind the new one still opens them; a lost key makes messages wait (retried, never
signed wrongly) until an admin makes a new secret; and the migration seals the secrets kept before as they were."""

import datetime

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase, override_settings
from django.utils import timezone

from samenveilig.accounts.models import Organisation
from samenveilig.core import sealing
from samenveilig.core.permissions import OrganisationKind
from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.integrations.webhook import services
from samenveilig.integrations.webhook.models import WebhookEndpoint
from samenveilig.integrations.webhook.tests.support import Receiver, expected_signature
from samenveilig.integrations.webhook.tests.test_transport import NOON
from samenveilig.notifications import delivery
from samenveilig.notifications import services as notifications
from samenveilig.notifications.models import Notification

PUBLIC = "https://145.97.1.1/samenveilig"


def stored_row(endpoint: WebhookEndpoint) -> str:
    """Every column of the endpoint's row as the database holds it, as one text."""
    table = connection.ops.quote_name(WebhookEndpoint._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [endpoint.pk])  # noqa: S608 - our identifier
        return " ".join(str(value) for value in cursor.fetchone())


@override_settings(ALLOW_PRIVATE_ENDPOINTS=False)
class SealedSecretTests(SamenVeiligTestCase):
    def setUp(self) -> None:
        self.endpoint = services.webhook_set(organisation=self.police, url=PUBLIC, by=self.root)

    def test_the_database_holds_the_secret_only_encrypted(self) -> None:
        secret = WebhookEndpoint.objects.get(pk=self.endpoint.pk).secret
        self.assertRegex(secret, r"^[0-9a-f]{64}$")
        row = stored_row(self.endpoint)
        self.assertNotIn(secret, row)
        self.assertNotIn(secret.upper(), row.upper())
        self.assertEqual(sealing.unseal(self.endpoint.secret_sealed, settings.WEBHOOK_KEY), secret)
        self.assertIsNone(sealing.unseal(self.endpoint.secret_sealed, sealing.new_key()))  # not without the key

    def test_a_replaced_key_kept_behind_the_new_one_still_opens_and_a_new_secret_is_sealed_with_the_new(self) -> None:
        secret, old, new = self.endpoint.secret, settings.WEBHOOK_KEY, sealing.new_key()
        with override_settings(WEBHOOK_KEY=f"{new},{old}"):
            self.assertEqual(WebhookEndpoint.objects.get().secret, secret)
            rotated = services.webhook_rotate_secret(organisation=self.police, by=self.root)
        with override_settings(WEBHOOK_KEY=new):  # the old key may go once every secret is sealed again
            self.assertEqual(WebhookEndpoint.objects.get().secret, rotated.secret)

    def test_a_lost_key_shows_the_admin_what_to_do_and_a_new_secret_mends_it(self) -> None:
        self.login_as("root")
        page = f"/webhooks/{self.police.code}/"
        with override_settings(WEBHOOK_KEY=sealing.new_key()):
            self.assertIsNone(WebhookEndpoint.objects.get().secret)
            answer = self.client.get(page)
            self.assertContains(answer, "data-secret-unreadable")
            self.assertContains(answer, "Maak een nieuw geheim en geef het aan de organisatie")
            self.assertNotContains(answer, "<code data-secret>")
            self.assertIsNone(self.client.get(f"/api/v1/organisations/{self.police.code}/webhook").json()["secret"])
            self.client.post(f"{page}nieuw-geheim/")
            secret = WebhookEndpoint.objects.get().secret
            self.assertRegex(secret, r"^[0-9a-f]{64}$")
            self.assertContains(self.client.get(page), f"<code data-secret>{secret}</code>", html=False)


@override_settings(ALLOW_PRIVATE_ENDPOINTS=True, SITE_URL="https://samenveilig.example")  # the receiver: loopback
class LostKeyDeliveryTests(SamenVeiligTestCase):
    def test_messages_wait_while_the_secret_cannot_be_opened_and_go_out_signed_after_a_new_one(self) -> None:
        receiver = Receiver()
        self.addCleanup(receiver.close)
        services.webhook_set(organisation=self.police, url=receiver.url, by=self.root)
        notifications.notify_audience(
            organisation_ids=[self.police.pk], kind="report.reopen_request", data={"summary": "Heropenen?"}
        )
        with override_settings(WEBHOOK_KEY=sealing.new_key()):
            self.assertEqual(delivery.deliver_due(now=NOON), {"failed": 1})
            self.assertEqual(receiver.received, [])  # nothing sent unsigned or signed with something else
            waiting = Notification.objects.get(organisation=self.police).deliveries.get()
            self.assertIn("SAMENVEILIG_WEBHOOK_KEY", waiting.last_error)
            secret = services.webhook_rotate_secret(organisation=self.police, by=self.root).secret
            self.assertEqual(delivery.deliver_due(now=waiting.due_at + datetime.timedelta(seconds=1)), {"sent": 1})
        [got] = receiver.received
        stamp = got.headers["X-Samenveilig-Timestamp"]
        self.assertEqual(got.headers["X-Samenveilig-Signature"], expected_signature(secret, stamp, got.body))


class SealingMigrationTests(TransactionTestCase):
    """0002 seals each secret kept as it was, and taking it back restores the same text."""

    before = [("webhook", "0001_initial")]
    after = [("webhook", "0002_secret_sealed")]

    def migrate(self, targets: list[tuple[str, str]]) -> MigrationExecutor:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor

    def tearDown(self) -> None:
        self.migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    def test_existing_secrets_are_sealed_and_opened_again_on_the_way_back(self) -> None:
        organisation = Organisation.objects.create(name="Politie basisteam Migratie", kind=OrganisationKind.POLICE)
        executor = self.migrate(self.before)
        old = executor.loader.project_state(self.before).apps.get_model("webhook", "WebhookEndpoint")
        secret = "0123456789abcdef" * 4
        old.objects.create(organisation_id=organisation.pk, url=PUBLIC, secret=secret, secret_set_at=timezone.now())

        executor = self.migrate(self.after)
        new = executor.loader.project_state(self.after).apps.get_model("webhook", "WebhookEndpoint")
        sealed = new.objects.get(organisation_id=organisation.pk).secret_sealed
        self.assertNotIn(secret, sealed)
        self.assertEqual(sealing.unseal(sealed, settings.WEBHOOK_KEY), secret)

        executor = self.migrate(self.before)
        back = executor.loader.project_state(self.before).apps.get_model("webhook", "WebhookEndpoint")
        self.assertEqual(back.objects.get(organisation_id=organisation.pk).secret, secret)
