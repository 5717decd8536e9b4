"""Demo mode: one-click login as a demo person of every role, from the login page."""

from unittest import mock

from django.test import Client, override_settings
from django.urls import reverse

from samenveilig.core.models import AuditEvent
from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.demo import accounts as demo_accounts

DEMO = [
    ("anna@example.org", "Resident"),
    ("cor@example.org", "Coordinator"),
    ("wendy@example.org", "Police (wijkagent)"),
    ("ghost@example.org", "Not in this database"),
]


@mock.patch.object(demo_accounts, "DEMO_ACCOUNTS", DEMO)
class DemoLoginTests(SamenVeiligTestCase):
    url = reverse("accounts:demo_login")

    @override_settings(DEMO_MODE=True)
    def test_the_login_page_offers_a_button_per_demo_person_in_the_database(self) -> None:
        response = self.client.get(reverse("account_login"))
        self.assertContains(response, "sv-demo-logins")
        for email in ("anna@example.org", "cor@example.org", "wendy@example.org"):
            self.assertContains(response, f'name="email" value="{email}"')
        self.assertNotContains(response, "ghost@example.org")
        self.assertNotContains(response, "olaf@example.org")  # a person, but not a demo login
        self.assertContains(response, "Police (wijkagent)")
        self.assertContains(response, f'action="{self.url}"', count=3)

    @override_settings(DEMO_MODE=False)
    def test_outside_demo_mode_the_login_page_has_no_list(self) -> None:
        response = self.client.get(reverse("account_login"))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "sv-demo-logins")
        self.assertNotContains(response, self.url)

    @override_settings(DEMO_MODE=True)
    def test_one_click_signs_in_a_resident(self) -> None:
        response = self.client.post(self.url, {"email": "anna@example.org"})
        self.assertRedirects(response, reverse("start:home"), fetch_redirect_response=False)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.anna.pk)
        self.assertEqual(self.client.session["account_authentication_methods"][-1]["method"], "demo")
        self.assertTrue(AuditEvent.objects.filter(action="account.demo_login", actor=self.anna).exists())

    @override_settings(DEMO_MODE=True)
    def test_a_demo_partner_skips_the_totp_step_and_passes_the_two_factor_rule(self) -> None:
        self.client.post(self.url, {"email": "WENDY@example.org"})
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.wendy.pk)
        self.assertEqual(self.client.get(reverse("accounts:profile")).status_code, 200)
        self.assertEqual(self.client.get("/api/v1/me").status_code, 200)

    @override_settings(DEMO_MODE=False)
    def test_outside_demo_mode_it_is_404(self) -> None:
        response = self.client.post(self.url, {"email": "anna@example.org"})
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("_auth_user_id", self.client.session)

    @override_settings(DEMO_MODE=True)
    def test_an_address_that_is_not_a_demo_login_is_404(self) -> None:
        for email in ("olaf@example.org", "ghost@example.org", "", "not an address"):
            with self.subTest(email=email):
                self.assertEqual(self.client.post(self.url, {"email": email}).status_code, 404)
                self.assertNotIn("_auth_user_id", self.client.session)

    @override_settings(DEMO_MODE=True)
    def test_only_a_post_with_csrf_token_works(self) -> None:
        self.assertEqual(self.client.get(self.url, {"email": "anna@example.org"}).status_code, 405)
        strict = Client(enforce_csrf_checks=True)
        self.assertEqual(strict.post(self.url, {"email": "anna@example.org"}).status_code, 403)
        self.assertNotIn("_auth_user_id", strict.session)
