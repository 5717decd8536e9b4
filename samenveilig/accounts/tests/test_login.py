"""Signing up and in with allauth: a one-time code, a password, e-mail verification by code, logging out."""

import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse

from samenveilig.accounts.models import User
from samenveilig.accounts.tests.helpers import code_from_last_mail, password_login, verified
from samenveilig.core.testing import make_user

_INLINE = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|\sstyle=|\son[a-z]+=", re.I)


class LoginTests(TestCase):
    def setUp(self) -> None:
        cache.clear()  # allauth's rate limits and used-code marks live in the cache
        self.anna = make_user("anna", first_name="Anna", last_name="Jansen")
        # As after a sign-up: allauth knows her address as verified (mandatory verification otherwise asks again).
        EmailAddress.objects.create(user=self.anna, email=self.anna.email, verified=True, primary=True)

    def _is_signed_in_as(self, user: User) -> bool:
        return (
            self.client.get(reverse("accounts:profile")).status_code == 200
            and int(self.client.session["_auth_user_id"]) == user.pk
        )

    def test_login_by_code_sends_a_code_that_signs_the_person_in(self) -> None:
        response = self.client.post(reverse("account_request_login_code"), {"email": "anna@example.org"})
        self.assertRedirects(response, reverse("account_confirm_login_code"), fetch_redirect_response=False)
        code = code_from_last_mail("anna@example.org")
        response = self.client.post(reverse("account_confirm_login_code"), {"code": code})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(self._is_signed_in_as(self.anna))

    def test_a_wrong_login_code_does_not_sign_in(self) -> None:
        self.client.post(reverse("account_request_login_code"), {"email": "anna@example.org"})
        code = code_from_last_mail("anna@example.org")
        wrong = "ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY"
        response = self.client.post(reverse("account_confirm_login_code"), {"code": wrong})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "utrecht-form-field-error-message")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_password_login_signs_in(self) -> None:
        response = self.client.post(
            reverse("account_login"), {"login": "anna@example.org", "password": "correct-horse-battery"}
        )
        self.assertRedirects(response, reverse("start:home"), fetch_redirect_response=False)
        self.assertTrue(self._is_signed_in_as(self.anna))

    def test_a_wrong_password_shows_the_error_on_the_form(self) -> None:
        response = self.client.post(reverse("account_login"), {"login": "anna@example.org", "password": "wrong-one"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "utrecht-alert--error")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_signup_verifies_the_e_mail_address_by_code_then_signs_in(self) -> None:
        response = self.client.post(
            reverse("account_signup"),
            {"email": "nieuw@example.org", "password1": "a-long-pass-phrase-42", "password2": "a-long-pass-phrase-42"},
        )
        self.assertEqual(response.status_code, 302)
        user = User.objects.get(email="nieuw@example.org")
        self.assertNotIn("_auth_user_id", self.client.session)  # not before the address is verified
        code = code_from_last_mail("nieuw@example.org")
        response = self.client.post(reverse("account_email_verification_sent"), {"code": code})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(user.emailaddress_set.get(email="nieuw@example.org").verified)
        self.assertTrue(self._is_signed_in_as(user))

    def test_signup_with_bad_input_creates_nobody(self) -> None:
        response = self.client.post(
            reverse("account_signup"), {"email": "not-an-address", "password1": "short", "password2": "other"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'aria-invalid="true"')
        self.assertFalse(User.objects.filter(email="not-an-address").exists())
        self.assertEqual(mail.outbox, [])

    def test_logout_is_a_post(self) -> None:
        self.client.force_login(self.anna)
        response = self.client.get(reverse("account_logout"))  # a confirmation page, still signed in
        self.assertEqual(response.status_code, 200)
        self.assertIn("_auth_user_id", self.client.session)
        response = self.client.post(reverse("account_logout"))
        self.assertRedirects(response, reverse("start:home"), fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)


class AllauthPagesLookLikeTheSiteTests(TestCase):
    """allauth's pages render inside the site's base template with NL Design System classes and no inline code."""

    def setUp(self) -> None:
        cache.clear()
        self.olaf = verified(make_user("olaf"))

    def _check(self, response) -> str:
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn('class="utrecht-heading-1"', html)
        self.assertIn('id="main"', html)  # the site's own layout
        self.assertIsNone(_INLINE.search(html), _INLINE.search(html) and _INLINE.search(html).group(0))
        return html

    def test_signed_out_pages(self) -> None:
        for name in ("account_login", "account_signup", "account_request_login_code", "account_reset_password"):
            with self.subTest(page=name):
                html = self._check(self.client.get(reverse(name)))
                self.assertIn("utrecht-textbox", html)
                self.assertIn("utrecht-button", html)

    def test_login_fields_have_labels(self) -> None:
        html = self._check(self.client.get(reverse("account_login")))
        for input_id in ("id_login", "id_password"):
            self.assertIn(f'for="{input_id}"', html)

    def test_signed_in_pages(self) -> None:
        password_login(self.client, self.olaf)
        for name in (
            "account_logout",
            "account_email",
            "account_change_password",
            "mfa_index",
            "account_reauthenticate",
        ):
            with self.subTest(page=name):
                self._check(self.client.get(reverse(name)))

    def test_totp_activation_asks_the_password_again_then_shows_the_qr_code_as_an_image(self) -> None:
        password_login(self.client, self.olaf)
        response = self.client.get(reverse("mfa_activate_totp"))
        self.assertRedirects(
            response,
            reverse("account_reauthenticate") + "?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F",
            fetch_redirect_response=False,
        )
        self.client.post(reverse("account_reauthenticate"), {"password": "correct-horse-battery"})
        html = self._check(self.client.get(reverse("mfa_activate_totp")))
        self.assertRegex(html, r'<img class="utrecht-img sv-qr" src="data:image/svg\+xml;base64,')
