"""The home address: service, profile page and API. Only the person themself reads it here."""

from django.test import override_settings
from django.urls import reverse

from samenveilig.accounts import services
from samenveilig.accounts.models import Residence
from samenveilig.accounts.tests.helpers import problem
from samenveilig.areas import geo
from samenveilig.core.errors import Invalid
from samenveilig.core.models import AuditEvent
from samenveilig.core.testing import SamenVeiligTestCase

IN_NOORD = {"lat": 52.095, "lon": 5.11}
IN_ZUID = {"lat": 52.085, "lon": 5.11}
OUTSIDE = {"lat": 52.2, "lon": 5.3}
ADDRESS = {"street": "Dorpsstraat", "house_number": "12a", "postcode": "1234ab", "city": "Testdorp"}


class PostcodeTests(SamenVeiligTestCase):
    def test_dutch_postcodes_are_normalised(self) -> None:
        for given, expected in {"1234AB": "1234 AB", " 1234 ab ": "1234 AB", "9999zz": "9999 ZZ"}.items():
            with self.subTest(given=given):
                self.assertEqual(services.postcode_normalise(given), expected)

    def test_other_text_is_not_a_postcode(self) -> None:
        for given in ("", "0123 AB", "123 AB", "12345 AB", "1234 A", "1234 A1", "AB 1234"):
            with self.subTest(given=given):
                self.assertIsNone(services.postcode_normalise(given))


class ResidenceSetTests(SamenVeiligTestCase):
    def test_stores_the_address_the_point_its_cells_and_the_buurt(self) -> None:
        residence = services.residence_set(user=self.anna, **ADDRESS, **IN_NOORD)
        residence.refresh_from_db()
        self.assertEqual(residence.postcode, "1234 AB")
        self.assertEqual((residence.street, residence.house_number, residence.city), ("Dorpsstraat", "12a", "Testdorp"))
        self.assertEqual(residence.buurt, self.noord)
        self.assertEqual(residence.h3_r9, geo.cell_at(52.095, 5.11, 9))
        self.assertEqual(residence.h3_r7, geo.cell_at(52.095, 5.11, 7))

    def test_changing_it_moves_the_home_to_the_other_buurt(self) -> None:
        services.residence_set(user=self.anna, **ADDRESS, **IN_NOORD)
        services.residence_set(user=self.anna, **ADDRESS, **IN_ZUID)
        self.assertEqual(Residence.objects.filter(user=self.anna).count(), 1)
        self.assertEqual(Residence.objects.get(user=self.anna).buurt, self.zuid)

    def test_a_point_outside_every_area_is_refused_and_nothing_is_stored(self) -> None:
        with self.assertRaises(Invalid) as caught:
            services.residence_set(user=self.anna, **ADDRESS, **OUTSIDE)
        self.assertEqual(caught.exception.code, "residence.outside_area")
        self.assertIn("lat", caught.exception.fields)
        self.assertFalse(Residence.objects.filter(user=self.anna).exists())

    def test_a_refused_change_keeps_the_old_home(self) -> None:
        services.residence_set(user=self.anna, **ADDRESS, **IN_NOORD)
        with self.assertRaises(Invalid):
            services.residence_set(user=self.anna, **{**ADDRESS, "street": "Elders"}, **OUTSIDE)
        residence = Residence.objects.get(user=self.anna)
        self.assertEqual((residence.street, residence.lat), ("Dorpsstraat", 52.095))

    def test_bad_fields_are_named(self) -> None:
        with self.assertRaises(Invalid) as caught:
            services.residence_set(user=self.anna, street="", house_number="x", postcode="12", city="", lat=91, lon=5)
        self.assertEqual(caught.exception.code, "residence.invalid")
        self.assertEqual(set(caught.exception.fields), {"street", "house_number", "postcode", "city", "lat"})
        self.assertFalse(Residence.objects.exists())

    def test_the_audit_log_says_that_the_home_changed_but_not_where(self) -> None:
        residence = services.residence_set(user=self.anna, **ADDRESS, **IN_NOORD)
        event = AuditEvent.objects.get(action="residence.set", object_id=str(residence.pk))
        self.assertNotIn("Dorpsstraat", str(event.data))
        self.assertNotIn("52.095", str(event.data))

    def test_clear_forgets_the_home(self) -> None:
        services.residence_set(user=self.anna, **ADDRESS, **IN_NOORD)
        self.assertTrue(services.residence_clear(user=self.anna))
        self.assertFalse(Residence.objects.filter(user=self.anna).exists())
        self.assertFalse(services.residence_clear(user=self.anna))


class ProfilePageTests(SamenVeiligTestCase):
    def test_shows_name_e_mail_memberships_and_two_factor_status(self) -> None:
        self.login_as("cor")
        response = self.client.get(reverse("accounts:profile"))
        self.assertContains(response, "Cor de Vries")
        self.assertContains(response, "cor@example.org")
        self.assertContains(response, "Buurtpreventie Noord")
        self.assertContains(response, reverse("mfa_activate_totp"))
        self.assertNotContains(response, "Straat Zuid")  # not his community

    def test_a_partner_sees_their_organisations(self) -> None:
        self.login_as("wendy")
        response = self.client.get(reverse("accounts:profile"))
        self.assertContains(response, "Politie basisteam Testdorp")
        self.assertContains(response, reverse("accounts:organisation", args=[self.police.code]))
        self.assertContains(response, reverse("mfa_index"))

    def test_signed_out_goes_to_login(self) -> None:
        response = self.client.get(reverse("accounts:profile"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("account_login"), response["Location"])

    def test_the_form_saves_the_home_address(self) -> None:
        self.login_as("anna")
        response = self.client.post(reverse("accounts:residence"), {**ADDRESS, **IN_NOORD})
        self.assertRedirects(response, reverse("accounts:profile"), fetch_redirect_response=False)
        self.assertEqual(Residence.objects.get(user=self.anna).postcode, "1234 AB")
        page = self.client.get(reverse("accounts:profile"))
        self.assertContains(page, "Dorpsstraat 12a, 1234 AB Testdorp")
        self.assertContains(page, "Noord")

    def test_a_point_outside_every_area_re_renders_the_form_with_422(self) -> None:
        self.login_as("anna")
        response = self.client.post(reverse("accounts:residence"), {**ADDRESS, **OUTSIDE})
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, 'id="id_lat-error"', status_code=422)
        self.assertContains(response, 'aria-describedby="id_lat-description id_lat-error"', status_code=422)
        self.assertContains(response, 'value="Dorpsstraat"', status_code=422)  # what was typed stays
        self.assertFalse(Residence.objects.filter(user=self.anna).exists())

    def test_a_bad_postcode_re_renders_the_form_with_422(self) -> None:
        self.login_as("anna")
        response = self.client.post(reverse("accounts:residence"), {**ADDRESS, "postcode": "ABCD", **IN_NOORD})
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, 'id="id_postcode-error"', status_code=422)
        self.assertFalse(Residence.objects.exists())

    def test_missing_fields_re_render_the_form_with_422(self) -> None:
        self.login_as("anna")
        response = self.client.post(reverse("accounts:residence"), {})
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "utrecht-alert--error", status_code=422)
        self.assertFalse(Residence.objects.exists())

    def test_remove_the_home_address(self) -> None:
        services.residence_set(user=self.anna, **ADDRESS, **IN_NOORD)
        self.login_as("anna")
        self.assertEqual(self.client.get(reverse("accounts:residence_delete")).status_code, 405)
        response = self.client.post(reverse("accounts:residence_delete"))
        self.assertRedirects(response, reverse("accounts:profile"), fetch_redirect_response=False)
        self.assertFalse(Residence.objects.filter(user=self.anna).exists())


@override_settings(LANGUAGE_CODE="en")
class ResidenceApiTests(SamenVeiligTestCase):
    url = "/api/v1/me/residence"

    def test_get_without_a_home_is_404(self) -> None:
        self.login_as("anna")
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(problem(response)["code"], "residence.not_set")

    def test_put_stores_and_get_reads_it_back(self) -> None:
        self.login_as("anna")
        response = self.client.put(self.url, {**ADDRESS, **IN_NOORD}, content_type="application/json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["postcode"], "1234 AB")
        body = self.client.get(self.url).json()
        self.assertEqual(body["buurt"], {"code": self.noord.code, "name": "Noord"})
        self.assertEqual((body["lat"], body["lon"]), (52.095, 5.11))

    def test_put_outside_every_area_is_a_problem_and_stores_nothing(self) -> None:
        self.login_as("anna")
        response = self.client.put(self.url, {**ADDRESS, **OUTSIDE}, content_type="application/json")
        self.assertEqual(response.status_code, 422)
        body = problem(response)
        self.assertEqual(body["code"], "residence.outside_area")
        self.assertIn("lat", body["fields"])
        self.assertFalse(Residence.objects.exists())

    def test_put_with_missing_or_wrong_fields_names_them(self) -> None:
        self.login_as("anna")
        response = self.client.put(self.url, {"street": "X", "lat": 200}, content_type="application/json")
        self.assertEqual(response.status_code, 422)
        fields = problem(response)["fields"]
        self.assertTrue({"house_number", "postcode", "city", "lat", "lon"} <= set(fields), fields)
        self.assertFalse(Residence.objects.exists())

    def test_delete_forgets_it(self) -> None:
        services.residence_set(user=self.anna, **ADDRESS, **IN_NOORD)
        self.login_as("anna")
        self.assertEqual(self.client.delete(self.url).status_code, 204)
        self.assertFalse(Residence.objects.exists())

    def test_each_person_reads_only_their_own(self) -> None:
        services.residence_set(user=self.anna, **ADDRESS, **IN_NOORD)
        self.login_as("cor")
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.client.delete(self.url)
        self.assertTrue(Residence.objects.filter(user=self.anna).exists())

    def test_signed_out_is_401(self) -> None:
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(problem(response)["code"], "unauthenticated")
