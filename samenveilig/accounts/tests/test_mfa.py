"""Two-factor authentication: partner staff and admins need it before any page with personal data; residents never."""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.core.cache import cache
from django.urls import reverse

from samenveilig.accounts import selectors, services
from samenveilig.accounts.models import StaffMembership
from samenveilig.accounts.tests.helpers import password_login, problem, totp_code, verified
from samenveilig.core.testing import SamenVeiligTestCase, make_user


class MfaTestCase(SamenVeiligTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Partner staff and an admin who have not set up two-factor authentication yet.
        cls.pieter = make_user("pieter", first_name="Pieter", last_name="Pol")
        StaffMembership.objects.create(organisation=cls.police, user=cls.pieter, title="wijkagent")
        cls.beheer = make_user("beheer", first_name="Bea", is_staff=True)
        for user in (cls.pieter, cls.wendy, cls.anna):
            verified(user)

    def setUp(self) -> None:
        cache.clear()


class WhoNeedsMfaTests(MfaTestCase):
    def test_partner_staff_and_admins_need_it_and_residents_do_not(self) -> None:
        expected = {"anna": False, "cor": False, "olaf": False, "wendy": True, "pieter": True, "root": True}
        for who, needs in {**expected, "beheer": True}.items():
            with self.subTest(who=who):
                self.assertEqual(selectors.user_needs_mfa(getattr(self, who)), needs)

    def test_only_an_app_or_a_security_key_counts_as_having_it(self) -> None:
        self.assertTrue(selectors.user_has_mfa(self.wendy))
        self.assertFalse(selectors.user_has_mfa(self.pieter))
        Authenticator.objects.create(user=self.pieter, type=Authenticator.Type.RECOVERY_CODES, data={})
        self.assertFalse(selectors.user_has_mfa(StaffMembership.objects.get(user=self.pieter).user))


class RequireMfaMiddlewareTests(MfaTestCase):
    def test_a_partner_without_it_is_sent_to_the_authenticator_set_up_from_every_page(self) -> None:
        self.client.force_login(self.pieter)
        pages = [
            "/",
            reverse("accounts:profile"),
            reverse("accounts:organisation", args=[self.police.code]),
            "/beheer/",
        ]
        for path in pages:
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertRedirects(response, reverse("mfa_activate_totp"), fetch_redirect_response=False)

    def test_an_admin_without_it_is_sent_there_too(self) -> None:
        self.client.force_login(self.beheer)
        response = self.client.get(reverse("accounts:profile"))
        self.assertRedirects(response, reverse("mfa_activate_totp"), fetch_redirect_response=False)

    def test_the_api_answers_mfa_required_for_a_session(self) -> None:
        self.client.force_login(self.pieter)
        response = self.client.get("/api/v1/me")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(problem(response)["code"], "mfa_required")

    def test_the_api_answers_mfa_required_for_a_token(self) -> None:
        _token, key = services.token_create(user=self.pieter)
        response = self.client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(problem(response)["code"], "mfa_required")
        self.client.logout()
        response = self.client.get("/api/v1/me/residence", HTTP_AUTHORIZATION=f"Bearer {key}")
        self.assertEqual(problem(response)["code"], "mfa_required")

    def test_setting_up_and_logging_out_stay_reachable(self) -> None:
        self.client.force_login(self.pieter)
        response = self.client.get(reverse("mfa_activate_totp"))  # allauth first asks the password again
        self.assertEqual(response.status_code, 302)
        self.assertNotEqual(response["Location"], reverse("mfa_activate_totp"))
        self.assertEqual(self.client.get(reverse("mfa_index")).status_code, 200)
        self.assertEqual(self.client.post(reverse("account_logout")).status_code, 302)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_with_two_factor_partners_and_admins_pass(self) -> None:
        for who in ("wendy", "root"):
            with self.subTest(who=who):
                self.login_as(who)
                self.assertEqual(self.client.get(reverse("accounts:profile")).status_code, 200)
                self.assertEqual(self.client.get("/api/v1/me").status_code, 200)

    def test_residents_never_need_it(self) -> None:
        for who in ("anna", "cor", "olaf"):
            with self.subTest(who=who):
                self.login_as(who)
                self.assertEqual(self.client.get(reverse("accounts:profile")).status_code, 200)
                self.assertEqual(self.client.get("/api/v1/me").status_code, 200)
                self.assertFalse(Authenticator.objects.filter(user=getattr(self, who)).exists())


class TotpLoginTests(MfaTestCase):
    def test_login_with_an_authenticator_asks_for_its_code(self) -> None:
        response = password_login(self.client, self.wendy)
        self.assertRedirects(response, reverse("mfa_authenticate"), fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)  # the password alone is not enough
        page = self.client.get(reverse("mfa_authenticate"))
        self.assertContains(page, 'class="utrecht-heading-1"')

        response = self.client.post(reverse("mfa_authenticate"), {"code": "000000"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'aria-invalid="true"')
        self.assertNotIn("_auth_user_id", self.client.session)

        response = self.client.post(reverse("mfa_authenticate"), {"code": totp_code(self.wendy)})
        self.assertRedirects(response, reverse("start:home"), fetch_redirect_response=False)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.wendy.pk)
        self.assertEqual(self.client.get(reverse("accounts:profile")).status_code, 200)

    def test_a_partner_sets_up_the_authenticator_app_and_then_passes(self) -> None:
        password_login(self.client, self.pieter)
        self.assertRedirects(self.client.get("/"), reverse("mfa_activate_totp"), fetch_redirect_response=False)
        self.client.post(reverse("account_reauthenticate"), {"password": "correct-horse-battery"})
        page = self.client.get(reverse("mfa_activate_totp"))
        self.assertEqual(page.status_code, 200)
        secret = self.client.session[SECRET_SESSION_KEY]  # what the QR code holds
        code = format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))
        response = self.client.post(reverse("mfa_activate_totp"), {"code": code})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Authenticator.objects.filter(user=self.pieter, type=Authenticator.Type.TOTP).exists())
        self.assertEqual(self.client.get(reverse("accounts:profile")).status_code, 200)
        self.assertEqual(self.client.get("/api/v1/me").json()["mfa_enabled"], True)
