"""How a person wants to hear: the settings page and API, all or nothing, with Dutch errors."""

import datetime

from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.notifications.models import ChannelChoice, DeliverySettings


class DeliverySettingsTests(SamenVeiligTestCase):
    def test_the_page_saves_channels_per_kind_and_quiet_hours(self) -> None:
        self.anna.phone = "+31612345678"
        self.anna.save(update_fields=["phone"])
        self.login_as("anna")
        page = self.client.get("/berichten/instellingen/")
        self.assertContains(page, 'name="channels_report" value="sms"')
        saved = self.client.post(
            "/berichten/instellingen/",
            {
                "channels_report": ["sms", "email"],
                "channels_conduct": ["email"],
                "quiet_from": "23:00",
                "quiet_until": "06:30",
                "digest": "monthly",
            },  # fmt: skip
        )
        self.assertEqual(saved.status_code, 302)
        self.assertEqual(
            sorted(ChannelChoice.objects.filter(user=self.anna).values_list("category", "channel")),
            [("conduct", "email"), ("report", "email"), ("report", "sms")],
        )
        quiet = DeliverySettings.objects.get(user=self.anna)
        self.assertEqual((quiet.quiet_from, quiet.quiet_until), (datetime.time(23, 0), datetime.time(6, 30)))
        self.assertEqual(quiet.digest, "monthly")
        page = self.client.get("/berichten/instellingen/")
        self.assertContains(page, 'value="sms" checked')
        self.assertContains(page, 'value="monthly" checked')

    def test_sms_without_a_phone_number_is_refused_in_dutch_and_nothing_changes(self) -> None:
        self.login_as("ivo")
        answer = self.client.post(
            "/berichten/instellingen/",
            {"channels_report": ["email"], "channels_conduct": ["sms"], "quiet_from": "22:00", "quiet_until": "07:00"},
        )
        self.assertContains(answer, "telefoonnummer", status_code=422)
        self.assertFalse(ChannelChoice.objects.filter(user=self.ivo).exists())  # report/email was not kept either
        self.assertContains(
            self.client.post("/berichten/instellingen/", {"quiet_from": "laat", "quiet_until": "07:00"}),
            "stille uren",
            status_code=422,
        )

    def test_the_api_gives_and_takes_the_same_choices(self) -> None:
        self.login_as("anna")
        self.assertEqual(
            self.client.get("/api/v1/notifications/settings").json(),
            {
                "channels": {"report": [], "conversation": [], "conduct": [], "alert": [], "digest": []},
                "quiet_from": "22:00:00",
                "quiet_until": "07:00:00",
                "digest": "weekly",
            },  # fmt: skip
        )
        body = {"channels": {"conversation": ["email"]}, "quiet_from": "21:00", "quiet_until": "08:00"}
        answer = self.client.put("/api/v1/notifications/settings", body, content_type="application/json").json()
        self.assertEqual(answer["channels"]["conversation"], ["email"])
        self.assertEqual(answer["quiet_from"], "21:00:00")
        bad = {"channels": {"conversation": [], "weer": ["email"]}, "quiet_from": "21:00", "quiet_until": "08:00"}
        refused = self.client.put("/api/v1/notifications/settings", bad, content_type="application/json")
        self.assertEqual((refused.status_code, refused.json()["code"]), (422, "delivery.invalid"))
        self.assertEqual(  # all or nothing: conversation kept its e-mail
            list(ChannelChoice.objects.filter(user=self.anna).values_list("category", "channel")),
            [("conversation", "email")],
        )
        monthly = {**body, "digest": "monthly"}
        answer = self.client.put("/api/v1/notifications/settings", monthly, content_type="application/json").json()
        self.assertEqual(answer["digest"], "monthly")
        daily = {**body, "digest": "daily"}
        refused = self.client.put("/api/v1/notifications/settings", daily, content_type="application/json")
        self.assertEqual(refused.status_code, 422)
        self.assertEqual(self.client.get("/api/v1/notifications/settings").json()["digest"], "monthly")
        self.login_as(None)
        self.assertEqual(self.client.get("/api/v1/notifications/settings").status_code, 401)
