"""API errors speak the reader's language: Dutch by default, English with Accept-Language: en."""

from django.test import override_settings
from django.utils import translation

from samenveilig.accounts.auth import MFA_REQUIRED_MESSAGE
from samenveilig.accounts.models import StaffMembership
from samenveilig.accounts.tests.helpers import problem
from samenveilig.core.testing import SamenVeiligTestCase, make_user

OUTSIDE = {"street": "Elders", "house_number": "1", "postcode": "1234 AB", "city": "Nergens", "lat": 52.2, "lon": 5.3}


class ApiLanguageTests(SamenVeiligTestCase):
    def _put_outside(self, **headers: str):
        self.login_as("anna")
        return self.client.put("/api/v1/me/residence", OUTSIDE, content_type="application/json", **headers)

    @staticmethod
    def _in(language: str, text: object) -> str:
        with translation.override(language):
            return str(text)

    def test_english_with_accept_language_en(self) -> None:
        response = self._put_outside(HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response["Content-Language"], "en")
        body = problem(response)
        self.assertEqual(body["code"], "residence.outside_area")
        self.assertEqual(
            body["detail"],
            "This point does not lie in any neighbourhood known to Samen Veilig. Check the map point.",
        )

    def test_dutch_by_default(self) -> None:
        response = self._put_outside()
        self.assertEqual(response["Content-Language"], "nl")
        # The message as the Dutch catalogue has it (the English text until the catalogue is filled in).
        expected = self._in(
            "nl",
            translation.gettext_lazy(
                "This point does not lie in any neighbourhood known to Samen Veilig. Check the map point."
            ),
        )
        self.assertEqual(problem(response)["detail"], expected)

    @override_settings(LANGUAGE_CODE="nl")
    def test_mfa_required_follows_the_language_too(self) -> None:
        pieter = make_user("pieter")
        StaffMembership.objects.create(organisation=self.police, user=pieter)
        self.client.force_login(pieter)
        english = self.client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(english["Content-Language"], "en")
        self.assertEqual(problem(english)["detail"], "Set up two-factor authentication before you use this account.")
        dutch = self.client.get("/api/v1/me")
        self.assertEqual(dutch["Content-Language"], "nl")
        self.assertEqual(problem(dutch)["detail"], self._in("nl", MFA_REQUIRED_MESSAGE))
